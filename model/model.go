// Package model holds followrank's domain types: what a unit reported on a
// day, what a WeChat account did on a day, a row a source could not take,
// and a run of a source. They are plain values; every other package of the
// program speaks in them, and this package imports none of ours.
package model

import "time"

// Figure is one unit's figures on one day: what a sheet row, a submission
// or a stored row says. The stock (Members, Followers) holds until the next
// report; the engagement is the day's flow.
type Figure struct {
	Unit string    // the unit's code
	Date time.Time // the day the figures are for, at 00:00 UTC (see Date)
	// HasStock says Members and Followers were reported; engagement-only
	// rows (a day's reads, say) leave the unit's last stock in force.
	HasStock  bool
	Members   uint32 // 离退休干部数, the follow rate's denominator
	Followers uint32 // 已关注人数
	Engagement
	// Line is where in its sheet the figure was read, for answers; 0 when
	// it did not come from a sheet.
	Line int
}

// Engagement is what followers did over a period: flows, summed over days.
type Engagement struct {
	Reads    uint64 // 阅读
	Shares   uint64 // 分享/转发
	Likes    uint64 // 点赞
	Wow      uint64 // 在看
	Comments uint64 // 留言
}

// Add sums two engagement figures.
func (e Engagement) Add(o Engagement) Engagement {
	return Engagement{e.Reads + o.Reads, e.Shares + o.Shares, e.Likes + o.Likes, e.Wow + o.Wow, e.Comments + o.Comments}
}

// Date truncates t to its calendar date in UTC, the form figures are
// stored and compared in.
func Date(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Day is a civil date as the days since 1970-01-01: ClickHouse's Date as a
// number, and 4 bytes where a time.Time takes 24, for the millions of
// reports a country's series of snapshots holds.
type Day int32

// DayOf is the day of t's calendar date.
func DayOf(t time.Time) Day { return Day(Date(t).Unix() / 86400) }

// Time is the day at 00:00 UTC.
func (d Day) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

// String is the day as 2006-01-02.
func (d Day) String() string { return d.Time().Format(time.DateOnly) }

// MonthStart is the first day of d's month.
func MonthStart(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// MonthEnd is the last day of d's month.
func MonthEnd(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC)
}

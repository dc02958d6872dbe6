// Package ingest reads follow and engagement figures from their sources:
// figure sheets, the submission API, the WeChat data API and the demo
// generator. It turns each into Figures; storing them is the store's job.
package ingest

import "time"

// Figure is one unit's figures on one date.
type Figure struct {
	Unit string    // the unit's code
	Date time.Time // the day the figures are for, at 00:00 UTC
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

// Engagement is what followers did over the day: flows, summed over periods.
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

// Day truncates t to its calendar date in UTC, the form figures are stored in.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Package wording writes what followrank tells people in Chinese: dates,
// percentages, places in a ranking (第3, 倒数第2), rank changes (↑3, ↓1),
// titles and footnotes. The table, the charts and the drafted 通报 all take
// their words from here, so they never disagree.
package wording

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"followrank/rank"
)

// Date is a day as a 通报 writes it: 2024年6月30日; — for none.
func Date(d time.Time) string {
	if d.IsZero() {
		return "—"
	}
	return fmt.Sprintf("%d年%d月%d日", d.Year(), d.Month(), d.Day())
}

// Month is a day's month: 2024年6月.
func Month(d time.Time) string { return fmt.Sprintf("%d年%d月", d.Year(), d.Month()) }

// MonthDay is a day of a year the text has named already: 8月5日.
func MonthDay(d time.Time) string { return fmt.Sprintf("%d月%d日", d.Month(), d.Day()) }

// Count is a count with thousands separated: 197,148.
func Count(n uint64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Percent is a rate as a percentage with two decimals: 85.30%.
func Percent(rate float64) string { return fmt.Sprintf("%.2f%%", rate*100) }

// Target is a target rate (省定目标) as a bureau sets it, without trailing
// zeros: 90%, 87.5%.
func Target(rate float64) string {
	return strconv.FormatFloat(math.Round(rate*10000)/100, 'f', -1, 64) + "%"
}

// Ordinal is a rank counted from the top: 第3.
func Ordinal(rank int) string { return fmt.Sprintf("第%d", rank) }

// Place words a rank the way a 通报 does: 第3 in the upper half, 倒数第2 in
// the lower half, 未排名 for none.
func Place(rank, of int) string {
	switch {
	case rank == 0:
		return "未排名"
	case rank > of/2 && of > 2:
		return "倒数" + Ordinal(of-rank+1)
	}
	return Ordinal(rank)
}

// Change words a rank change (positions gained) the way a table prints
// it: ↑3, ↓1 or 持平.
func Change(n int) string {
	switch {
	case n > 0:
		return fmt.Sprintf("↑%d", n)
	case n < 0:
		return fmt.Sprintf("↓%d", -n)
	}
	return "持平"
}

// Compared is how a text names the comparison its dates imply.
type Compared struct {
	Label string // 较上月, 较上季度, 较去年同期, 较上期
	Short string // 上月, 上季度, 去年同期, 上期: a column's "上月排名"
	// Text is Label as a sentence writes it, with the date when the dates
	// imply no calendar period: 较上期（2024年3月15日）.
	Text string
}

// Comparisons of dates a month, a quarter or a year apart: month ends
// (2024-06-30 and 2024-05-31) or the same day of the month.
func Comparison(date, compare time.Time) Compared {
	if compare.IsZero() {
		return Compared{"较上期", "上期", "较上期"}
	}
	apart := func(months int) bool {
		earlier := date.AddDate(0, -months, 0)
		if isMonthEnd(date) {
			first := time.Date(date.Year(), date.Month(), 1, 0, 0, 0, 0, date.Location())
			earlier = first.AddDate(0, -months+1, -1)
		}
		return compare.Equal(earlier)
	}
	switch {
	case apart(12):
		return Compared{"较去年同期", "去年同期", "较去年同期（同比）"}
	case apart(3):
		return Compared{"较上季度", "上季度", "较上季度"}
	case apart(1):
		return Compared{"较上月", "上月", "较上月（环比）"}
	}
	return Compared{"较上期", "上期", "较上期（" + Date(compare) + "）"}
}

func isMonthEnd(d time.Time) bool { return d.AddDate(0, 0, 1).Day() == 1 }

// Title is the ranking table's title line, e.g.
// 安徽省各县（市、区）关注“离退休干部工作”公众号情况通报（截至2024年6月30日）.
func Title(r *rank.Ranking) string {
	return fmt.Sprintf("%s各%s关注“离退休干部工作”公众号情况通报（截至%s）", r.Within.Name, r.Level.Chinese(), Date(r.Date))
}

// ChartTitle is the title of a ranking chart: 安徽省各县(市、区)关注率排名.
func ChartTitle(r *rank.Ranking) string {
	return fmt.Sprintf("%s各%s关注率排名", r.Within.Name, r.Level.Chinese())
}

// Notes are the table's footnote: the rules the figures follow, what the
// marks mean, and when the table was made.
func Notes(r *rank.Ranking, made time.Time, withCity bool) []string {
	notes := []string{
		"注：1. 关注率 = 关注人数 ÷ 离退休干部数；上级单位未单独报送时，按所辖单位合计计算（Σ关注人数 ÷ Σ离退休干部数）。",
		"2. 按关注率由高到低排名，关注率相同（精确到0.01个百分点）的并列，并列时按单位代码排列。",
		fmt.Sprintf("3. 各单位数据取截至统计日最近一次报送；“数据沿用”为统计日所在月未报送、沿用此前最近一次报送；标“*”的单位最近一次报送早于统计日%d天以上；“未报送”的单位不参加排名。", r.StaleDays),
		"4. 合计为表中各单位之和（下属单位已计入其上级单位的，不重复计算）；" + r.Within.Name + "自行报送的数据与合计不同时，另列“" + r.Within.Whole() + "上报”一行。",
	}
	if !r.Compare.IsZero() {
		c := Comparison(r.Date, r.Compare)
		notes = append(notes, fmt.Sprintf("5. %s为截至%s；“持平”为名次不变，“无上期”为%s无数据、未参加排名。", c.Short, Date(r.Compare), c.Short))
	}
	notes = append(notes, "生成时间："+made.Format("2006-01-02 15:04")+"（followrank）")
	return notes
}

// Footnote is Notes as lines of one text.
func Footnote(r *rank.Ranking, generated time.Time) string {
	return strings.Join(Notes(r, generated, false), "\n")
}

// Summary says in one line where a climbing unit started and ended, e.g.
// "蒙城县：倒数第3 → 第2（上升100位，2023年1月至2024年6月），关注率 29.0% → 96.1%".
func Summary(c *rank.Climb) string {
	var first, last *rank.Step
	for i := range c.Steps {
		if c.Steps[i].Rank > 0 {
			if first == nil {
				first = &c.Steps[i]
			}
			last = &c.Steps[i]
		}
	}
	if first == nil {
		return fmt.Sprintf("%s：未参与排名（无数据）", c.Unit.Name)
	}
	gained := first.Rank - last.Rank
	dir := fmt.Sprintf("上升%d位", gained)
	if gained < 0 {
		dir = fmt.Sprintf("下降%d位", -gained)
	} else if gained == 0 {
		dir = "位次不变"
	}
	return fmt.Sprintf("%s：%s → %s（%s，%s至%s），关注率 %s → %s",
		c.Unit.Name, Place(first.Rank, first.Of), Place(last.Rank, last.Of), dir,
		Month(first.Date), Month(last.Date), Percent(first.Rate()), Percent(last.Rate()))
}

// followSources names the user_source values of WeChat's getusersummary:
// where an account's new followers came from (公众号数据接口文档,
// 获取用户增减数据).
var followSources = map[int]string{
	0:   "其他",
	1:   "搜索",
	17:  "名片分享",
	30:  "扫描二维码",
	57:  "文章内账号名称",
	100: "微信广告",
	149: "小程序关注",
	161: "他人转载",
	200: "视频号",
	201: "直播",
}

// FollowSource names where an account's followers came from: 扫描二维码
// for user_source 30; a code WeChat adds later is named by its number.
func FollowSource(code int) string {
	if s, ok := followSources[code]; ok {
		return s
	}
	return fmt.Sprintf("其他来源（%d）", code)
}

package wording_test

import (
	"strings"
	"testing"
	"time"

	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func TestWords(t *testing.T) {
	tests := []struct{ got, want string }{
		{wording.Date(day("2024-06-30")), "2024年6月30日"},
		{wording.Date(time.Time{}), "—"},
		{wording.Month(day("2024-06-30")), "2024年6月"},
		{wording.Percent(0.853), "85.30%"},
		{wording.Count(197148), "197,148"},
		{wording.Count(288318000), "288,318,000"},
		{wording.Count(999), "999"},
		{wording.Percent(0.99995), "100.00%"},
		{wording.Target(0.9), "90%"},
		{wording.Target(0.875), "87.5%"},
		{wording.Target(0.57), "57%"},
		{wording.Target(1), "100%"},
		{wording.MonthDay(day("2024-08-05")), "8月5日"},
		{wording.Place(3, 104), "第3"},
		{wording.Place(52, 104), "第52"},
		{wording.Place(102, 104), "倒数第3"},
		{wording.Place(2, 2), "第2"},
		{wording.Place(0, 104), "未排名"},
		{wording.Change(3), "↑3"},
		{wording.Change(-1), "↓1"},
		{wording.Change(0), "持平"},
		{wording.FollowSource(30), "扫描二维码"},
		{wording.FollowSource(0), "其他"},
		{wording.FollowSource(57), "文章内账号名称"},
		{wording.FollowSource(161), "他人转载"},
		{wording.FollowSource(149), "小程序关注"},
		{wording.FollowSource(201), "直播"},
		{wording.FollowSource(43), "其他来源（43）"},
		{wording.Comparison(day("2024-06-30"), day("2024-05-31")).Text, "较上月（环比）"},
		{wording.Comparison(day("2024-06-15"), day("2024-05-15")).Label, "较上月"},
		{wording.Comparison(day("2024-06-30"), day("2024-03-31")).Label, "较上季度"},
		{wording.Comparison(day("2024-02-29"), day("2023-02-28")).Text, "较去年同期（同比）"},
		{wording.Comparison(day("2024-06-30"), day("2023-06-30")).Short, "去年同期"},
		{wording.Comparison(day("2024-06-30"), day("2024-06-15")).Text, "较上期（2024年6月15日）"},
		{wording.Comparison(day("2024-06-30"), time.Time{}).Label, "较上期"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestTitleFootnoteAndSummary(t *testing.T) {
	anhui := units.Node{Code: "340000", Name: "安徽省", Level: units.Province}
	r := &rank.Ranking{Level: units.County, Within: anhui, Date: day("2024-06-30"), Compare: day("2024-05-31"), StaleDays: 45}
	if got, want := wording.Title(r), "安徽省各县（市、区）关注“离退休干部工作”公众号情况通报（截至2024年6月30日）"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	note := wording.Footnote(r, time.Date(2024, 7, 1, 9, 30, 0, 0, time.UTC))
	for _, want := range []string{"早于统计日45天以上", "5. 上月为截至2024年5月31日；“持平”为名次不变", "生成时间：2024-07-01 09:30"} {
		if !strings.Contains(note, want) {
			t.Errorf("footnote lacks %q:\n%s", want, note)
		}
	}
	c := &rank.Climb{Unit: units.Node{Name: "蒙城县"}, Steps: []rank.Step{
		{Date: day("2023-01-31"), Rank: 102, Of: 104, State: rank.State{Members: 1000, Followers: 290}},
		{Date: day("2024-06-30"), Rank: 2, Of: 104, State: rank.State{Members: 1000, Followers: 961}},
	}}
	if got, want := wording.Summary(c), "蒙城县：倒数第3 → 第2（上升100位，2023年1月至2024年6月），关注率 29.00% → 96.10%"; got != want {
		t.Errorf("summary %q, want %q", got, want)
	}
}

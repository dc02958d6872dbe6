package charts

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"followrank/model"
	"followrank/rank"
	"followrank/wording"
)

// Account draws a WeChat account: its followers day by day (the total as a
// line, new and cancelled as bars), what they did, per follower (reads
// per 100 followers and the activity index of docs/metrics.md), and where
// the period's new followers came from.
func Account(name string, days []model.AccountDay, o Options) []Panel {
	h := fnv.New32a()
	h.Write([]byte(name))
	id := "account_" + strconv.FormatUint(uint64(h.Sum32()), 16)
	dates := make([]string, len(days))
	total := make([]opts.LineData, len(days))
	gained := make([]opts.BarData, len(days))
	lost := make([]opts.BarData, len(days))
	per100 := make([]opts.LineData, len(days))
	activity := make([]opts.LineData, len(days))
	for i, d := range days {
		dates[i] = d.Date.Format("01-02")
		total[i] = opts.LineData{Value: d.CumulativeUsers}
		if d.CumulativeUsers == 0 {
			total[i] = opts.LineData{Value: "-"} // no total that day: a gap, not a fall to zero
		}
		gained[i] = opts.BarData{Value: d.NewUsers}
		lost[i] = opts.BarData{Value: -int64(d.CancelledUsers)}
		if d.CumulativeUsers > 0 {
			per100[i] = opts.LineData{Value: fmt.Sprintf("%.1f", float64(d.Reads)/float64(d.CumulativeUsers)*100)}
			e := model.Engagement{Reads: d.Reads, Shares: d.Shares, Likes: d.Favourites}
			activity[i] = opts.LineData{Value: fmt.Sprintf("%.2f", rank.Activity(e, uint64(d.CumulativeUsers), 1))}
		} else {
			per100[i], activity[i] = opts.LineData{Value: "-"}, opts.LineData{Value: "-"}
		}
	}
	var first, last string
	if len(days) > 0 {
		first, last = days[0].Date.Format("2006年1月2日"), days[len(days)-1].Date.Format("2006年1月2日")
	}
	growth := charts.NewBar()
	growth.SetGlobalOptions(
		initOpts(o, id+"_followers", 420),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: name + " 关注人数", Subtitle: first + " 至 " + last, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "44"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "84", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "新增/取关"}),
	)
	growth.ExtendYAxis(opts.YAxis{Type: "value", Name: "累计关注", Scale: opts.Bool(true)})
	growth.SetXAxis(dates).
		AddSeries("新增关注", gained, charts.WithItemStyleOpts(opts.ItemStyle{Color: colourTarget})).
		AddSeries("取消关注", lost, charts.WithItemStyleOpts(opts.ItemStyle{Color: colourFaint}))
	line := charts.NewLine()
	line.SetXAxis(dates).AddSeries("累计关注", total,
		charts.WithLineStyleOpts(opts.LineStyle{Color: colourHighlight, Width: 3}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colourHighlight}),
		charts.WithLineChartOpts(opts.LineChart{YAxisIndex: 1, ShowSymbol: opts.Bool(false)}))
	growth.Overlap(line)

	eng := charts.NewLine()
	eng.SetGlobalOptions(
		initOpts(o, id+"_engagement", 360),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: name + " 每百名关注者阅读量与活跃指数", Subtitle: "阅读量 ÷ 累计关注 × 100;活跃指数见 docs/metrics.md", Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "44"}),
		charts.WithGridOpts(opts.Grid{Left: timeAxisMargin, Right: timeAxisMargin, Top: "84", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(timeAxis()),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
	)
	eng.SetXAxis(dates).
		AddSeries("每百人阅读", per100, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})).
		AddSeries("活跃指数", activity, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	panels := []Panel{{ID: id + "_followers", Height: 420, Chart: growth}, {ID: id + "_engagement", Height: 360, Chart: eng}}
	if p, ok := followSources(id+"_sources", name, first, last, days, o); ok {
		panels = append(panels, p)
	}
	return panels
}

// followSources draws the period's new followers by where they came from,
// the largest source on top, each bar labelled with its count and share;
// ok is false when the days say nothing about sources.
func followSources(id, name, first, last string, days []model.AccountDay, o Options) (Panel, bool) {
	totals := map[int]uint64{}
	var all uint64
	for _, d := range days {
		for _, s := range d.Sources {
			totals[s.Source] += uint64(s.NewUsers)
			all += uint64(s.NewUsers)
		}
	}
	if all == 0 {
		return Panel{}, false
	}
	codes := slices.Collect(maps.Keys(totals))
	slices.SortFunc(codes, func(a, b int) int {
		if c := cmp.Compare(totals[b], totals[a]); c != 0 {
			return c
		}
		return a - b
	})
	names := make([]string, len(codes))
	data := make([]opts.BarData, len(codes))
	for i, c := range codes {
		names[i] = wording.FollowSource(c)
		data[i] = opts.BarData{Name: names[i], Value: totals[c],
			Label: &opts.Label{Show: opts.Bool(true), Position: "right",
				Formatter: types.FuncStr(fmt.Sprintf("%d人 · %s", totals[c], wording.Percent(float64(totals[c])/float64(all))))}}
	}
	height := 110 + 30*max(len(codes), 3)
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts(o, id, height),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: name + " 新增关注来源", Subtitle: fmt.Sprintf("%s 至 %s · 共新增 %d 人", first, last, all), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "110", Top: "70", Bottom: "16", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Name: "人"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	bar.SetXAxis(names).XYReversal()
	bar.AddSeries("新增关注", data, charts.WithItemStyleOpts(opts.ItemStyle{Color: colourTarget}),
		charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "30%"}))
	return Panel{ID: id, Height: height, Chart: bar}, true
}

package charts

import (
	"fmt"
	"hash/fnv"
	"strconv"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"followrank/model"
	"followrank/rank"
)

// Account draws a WeChat account: its followers day by day (the total as a
// line, new and cancelled as bars) and what they did, per follower (reads
// per 100 followers and the activity index of docs/metrics.md).
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
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "84", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", BoundaryGap: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
	)
	eng.SetXAxis(dates).
		AddSeries("每百人阅读", per100, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)})).
		AddSeries("活跃指数", activity, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false)}))
	return []Panel{{ID: id + "_followers", Height: 420, Chart: growth}, {ID: id + "_engagement", Height: 360, Chart: eng}}
}

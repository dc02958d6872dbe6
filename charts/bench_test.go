package charts_test

import (
	"bytes"
	"testing"
	"time"

	"followrank/charts"
	"followrank/model"
	"followrank/rank"
	"followrank/units"
)

// BenchmarkDashboardRender lays out and writes the dashboard page of a
// province (16 cities, 104 counties, 36 months) from figures in memory:
// the cost of the page itself, apart from the queries.
func BenchmarkDashboardRender(b *testing.B) {
	tree, _ := units.NewTree(units.Builtin())
	anhui, _ := tree.Get("340000")
	counties, cities := tree.Descendants("340000", units.County), tree.Descendants("340000", units.City)
	rankOf := func(ns []units.Node, lvl units.Level, d time.Time, shift int) *rank.Ranking {
		var figs []rank.State
		for i, n := range ns {
			figs = append(figs, rank.State{Unit: n, Members: 1000, Followers: uint64(300 + (i*37+shift*11)%690), Engagement: model.Engagement{Reads: 5000}})
		}
		rows := rank.RankStates(figs)
		return &rank.Ranking{Level: lvl, Within: anhui, Date: d, Rows: rows, Ranked: len(rows), StaleDays: 45,
			Total: rank.State{Unit: anhui, Members: 100000, Followers: 68000}}
	}
	var climb rank.Climb
	climb.Unit, climb.Within = counties[50], anhui
	start := time.Date(2021, 7, 31, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 36; m++ {
		d := time.Date(start.Year(), start.Month()+time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC)
		r := rankOf(counties, units.County, d, m)
		row, _ := r.Find(climb.Unit.Code)
		climb.Rankings = append(climb.Rankings, r)
		climb.Steps = append(climb.Steps, rank.Step{Date: d, Rank: row.Rank, Of: r.Ranked, State: row.State})
	}
	outline, _ := charts.OutlineOf(anhui)
	trend := &rank.Trend{Units: []units.Node{climb.Unit}, Figures: [][]rank.State{nil}}
	for _, s := range climb.Steps {
		trend.Dates, trend.PeriodDays = append(trend.Dates, s.Date), append(trend.PeriodDays, 30)
		trend.Figures[0] = append(trend.Figures[0], s.State)
	}
	o := charts.Options{Highlight: climb.Unit.Code}
	var size int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		last := climb.Rankings[35]
		page := charts.Page{Title: "安徽省", Panels: []charts.Panel{charts.Ranking(last, o), charts.Climb(&climb, o),
			charts.Map(rankOf(cities, units.City, last.Date, 0), outline, o), charts.Ranking(rankOf(cities, units.City, last.Date, 0), o)}}
		page.Panels = append(page.Panels, charts.Trend(trend, o)...)
		var buf bytes.Buffer
		if err := page.Write(&buf); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

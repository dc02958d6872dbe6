package charts_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"followrank/charts"
	"followrank/headless"
	"followrank/headless/headlesstest"
	"followrank/model"
	"followrank/rank"
	"followrank/units"
)

// bigRanking is a province's 104 counties, some with rates close to the
// target and to the province's own rate, where labels crowd.
func bigRanking() *rank.Ranking {
	var figs []rank.State
	for i := range 104 {
		code := fmt.Sprintf("34%04d", 100+i)
		figs = append(figs, rank.State{Unit: units.Node{Code: code, Name: fmt.Sprintf("第%d县", i+1), Level: units.County, Parent: "340000"},
			Members: 1000, Followers: uint64(980 - 7*i)})
	}
	rows := rank.RankStates(figs)
	var total rank.State
	for _, r := range rows {
		total.Members += r.Members
		total.Followers += r.Followers
	}
	total.Unit = units.Node{Code: "340000", Name: "安徽省", Level: units.Province}
	return &rank.Ranking{Level: units.County, Within: total.Unit, Date: day("2024-06-30"), Rows: rows, Total: total, Ranked: len(rows)}
}

// bigClimb is one county's climb from last of 104 to first over a year.
func bigClimb() *rank.Climb {
	within := units.Node{Code: "340000", Name: "安徽省", Level: units.Province}
	c := &rank.Climb{Within: within}
	for m := range 12 {
		date := day("2024-02-01").AddDate(0, m, -1) // month ends
		var figs []rank.State
		for i := range 104 {
			code := fmt.Sprintf("34%04d", 100+i)
			f := uint64(900 - 8*i)
			if i == 103 {
				f = uint64(70 + m*80)
			}
			figs = append(figs, rank.State{Unit: units.Node{Code: code, Name: fmt.Sprintf("第%d县", i+1), Level: units.County}, Members: 1000, Followers: f})
		}
		r := &rank.Ranking{Level: units.County, Within: within, Date: date, Rows: rank.RankStates(figs), Ranked: 104}
		c.Rankings = append(c.Rankings, r)
		row, _ := r.Find("340203")
		c.Unit = row.Unit
		c.Steps = append(c.Steps, rank.Step{Date: date, Rank: row.Rank, Of: 104, State: row.State})
	}
	return c
}

// threeTrend is three counties' year, one of them without engagement
// figures for two months.
func threeTrend() *rank.Trend {
	t := &rank.Trend{}
	for i, name := range []string{"谯城区", "涡阳县", "蒙城县"} {
		t.Units = append(t.Units, units.Node{Code: fmt.Sprintf("3416%02d", 21+i), Name: name, Level: units.County})
		var figs []rank.State
		for m := range 12 {
			s := rank.State{Members: 1000, Followers: uint64(300 + 50*m + 40*i), Engagement: model.Engagement{Reads: uint64(800 + 90*m*(i+1))}}
			if i == 2 && (m == 4 || m == 5) {
				s.Engagement = model.Engagement{}
			}
			figs = append(figs, s)
		}
		t.Figures = append(t.Figures, figs)
	}
	for m := range 12 {
		t.Dates = append(t.Dates, day("2024-02-01").AddDate(0, m, -1))
		t.PeriodDays = append(t.PeriodDays, 30)
	}
	return t
}

// TestLabelsInBrowser draws every kind of chart, with the crowded figures
// a province or a year gives, in headless Chromium at a PC's and a
// narrow window's width, and reads every label's box from the page: none
// runs off the chart and none overlaps another.
func TestLabelsInBrowser(t *testing.T) {
	headlesstest.NeedBrowser(t)
	tree, _ := units.NewTree(units.Builtin())
	anhui, _ := charts.OutlineOf(units.Node{Code: "340000", Level: units.Province})
	target := charts.Options{Highlight: "340203", Target: 0.9}
	close := bigRanking()
	close.Total.Followers = close.Total.Members * 88 / 100 // the scope's rate two points from the target
	china, _ := tree.Get(units.Root)
	var provinces []rank.State
	for i, p := range tree.Children(units.Root) {
		provinces = append(provinces, rank.State{Unit: p, Members: 1000, Followers: uint64(300 + 19*i)})
	}
	national := &rank.Ranking{Level: units.Province, Within: china, Date: day("2024-06-30"), Rows: rank.RankStates(provinces)}
	chinaOutline, _ := charts.OutlineOf(china)
	bozhou, _ := tree.Get("341600")
	bozhouOutline, _ := charts.OutlineOf(bozhou)
	var counties []rank.State
	for i, c := range tree.Children("341600") {
		counties = append(counties, rank.State{Unit: c, Members: 2000, Followers: uint64(1100 + 270*i)})
	}
	bozhouRanking := &rank.Ranking{Level: units.County, Within: bozhou, Date: day("2024-06-30"), Rows: rank.RankStates(counties)}
	pages := []struct {
		name   string
		panels []charts.Panel
	}{
		{"ranking", []charts.Panel{charts.Ranking(bigRanking(), target)}},
		{"ranking-close-target", []charts.Panel{charts.Ranking(close, target)}},
		{"ranking-small", []charts.Panel{charts.Ranking(sampleRanking(), charts.Options{Highlight: "341622", Target: 0.9})}},
		{"climb", []charts.Panel{charts.Climb(bigClimb(), target)}},
		{"climb-small", []charts.Panel{charts.Climb(sampleClimb(), charts.Options{})}},
		{"trend", charts.Trend(threeTrend(), charts.Options{Highlight: "341623"})},
		{"trend-plain", charts.Trend(threeTrend(), charts.Options{})},
		{"map-anhui", []charts.Panel{charts.Map(anhuiMapRanking(), anhui, charts.Options{Highlight: "341600"})}},
		{"map-china", []charts.Panel{charts.Map(national, chinaOutline, charts.Options{Highlight: "340000"})}},
		{"map-bozhou", []charts.Panel{charts.Map(bozhouRanking, bozhouOutline, charts.Options{Highlight: "341622"})}},
		{"account", charts.Account("蒙城银辉", sampleAccountDays(), charts.Options{})},
	}
	dir := t.TempDir()
	for _, p := range pages {
		path := filepath.Join(dir, p.name+".html")
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := (charts.Page{Title: p.name, Panels: p.panels}).Write(f); err != nil {
			t.Fatal(err)
		}
		f.Close()
		for _, width := range []int{1200, 600} {
			t.Run(fmt.Sprintf("%s/%d", p.name, width), func(t *testing.T) {
				b, err := headless.Open(context.Background(), path, width, 900)
				if err != nil {
					t.Fatal(err)
				}
				defer b.Close()
				drawn, err := b.Labels()
				if err != nil {
					t.Fatal(err)
				}
				if len(drawn) != len(p.panels) {
					t.Fatalf("%d charts drawn, want %d", len(drawn), len(p.panels))
				}
				for _, c := range drawn {
					for _, p := range c.Problems() {
						t.Error(p)
					}
				}
				if errs := b.Errors(); len(errs) > 0 {
					t.Errorf("script errors: %s", strings.Join(errs, "; "))
				}
				if dirOut := os.Getenv("FOLLOWRANK_SCREENSHOTS"); dirOut != "" {
					png, _ := b.PNG()
					os.WriteFile(filepath.Join(dirOut, fmt.Sprintf("layout-%s-%d.png", p.name, width)), png, 0o644)
				}
			})
		}
	}
}

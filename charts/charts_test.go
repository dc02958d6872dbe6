package charts_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"followrank/charts"
	"followrank/internal/golden"
	"followrank/model"
	"followrank/rank"
	"followrank/units"
)

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func fig(code, name string, members, followers uint64) rank.State {
	return rank.State{Unit: units.Node{Code: code, Name: name, Level: units.County, Parent: "341600"}, Members: members, Followers: followers}
}

const evilName = `</script><script>alert("x")</script>'"&`

func sampleRanking() *rank.Ranking {
	rows := rank.RankStates([]rank.State{
		fig("341602", "谯城区", 1000, 700),
		fig("341621", "涡阳县", 800, 720),
		fig("341622", "蒙城县", 1200, 1150),
		fig("341623", evilName, 900, 450),
	})
	rows[0].PrevRank = 3
	total := rank.State{Unit: units.Node{Code: "341600", Name: "亳州市", Level: units.City}, Members: 3900, Followers: 3020}
	return &rank.Ranking{Level: units.County, Within: total.Unit, Date: day("2024-06-30"), Rows: rows, Total: total, Ranked: 4}
}

// option parses a panel's option JSON, as the page hands it to ECharts.
func option(t *testing.T, p charts.Panel) map[string]any {
	t.Helper()
	var o map[string]any
	if err := json.Unmarshal([]byte(charts.OptionJSON(p.Chart)), &o); err != nil {
		t.Fatalf("option JSON does not parse: %v", err)
	}
	return o
}

func TestRankingChart(t *testing.T) {
	p := charts.Ranking(sampleRanking(), charts.Options{Highlight: "341622", Target: 0.9})
	o := option(t, p)

	yAxis := o["yAxis"].([]any)[0].(map[string]any)
	if yAxis["inverse"] != true || yAxis["type"] != "category" {
		t.Errorf("yAxis = %v, want an inverted category axis (rank 1 on top)", yAxis)
	}
	names := yAxis["data"].([]any)
	if names[0] != "蒙城县" || names[1] != "涡阳县" || names[3] != evilName {
		t.Errorf("category order = %v, want rank order", names)
	}
	series := o["series"].([]any)[0].(map[string]any)
	data := series["data"].([]any)
	first := data[0].(map[string]any)
	if first["value"] != "95.83" || first["itemStyle"].(map[string]any)["color"] != "#d9342b" {
		t.Errorf("first bar = %v, want 蒙城县 at 95.83 in the highlight colour", first)
	}
	if c := data[1].(map[string]any)["itemStyle"].(map[string]any)["color"]; c == "#d9342b" {
		t.Errorf("a unit that is not highlighted has the highlight colour")
	}
	tip := data[3].(map[string]any)["tooltip"].(map[string]any)["formatter"].(string)
	if strings.Contains(tip, "<script>") || !strings.Contains(tip, "&lt;/script&gt;") {
		t.Errorf("tooltip %q does not escape the unit name", tip)
	}
	marks := series["markLine"].(map[string]any)["data"].([]any)
	if len(marks) != 2 {
		t.Fatalf("mark lines = %v, want the average and the target", marks)
	}
	golden.Check(t, "testdata/ranking.json", []byte(charts.OptionJSON(p.Chart)+"\n"))
}

func sampleClimb() *rank.Climb {
	mk := func(d string, rates map[string]uint64) *rank.Ranking {
		var figs []rank.State
		for _, code := range []string{"341602", "341621", "341622"} {
			figs = append(figs, fig(code, map[string]string{"341602": "谯城区", "341621": "涡阳县", "341622": "蒙城县"}[code], 100, rates[code]))
		}
		return &rank.Ranking{Level: units.County, Date: day(d), Rows: rank.RankStates(figs), Ranked: 3}
	}
	rs := []*rank.Ranking{
		mk("2024-04-30", map[string]uint64{"341602": 80, "341621": 70, "341622": 30}),
		mk("2024-05-31", map[string]uint64{"341602": 80, "341621": 70, "341622": 75}),
		mk("2024-06-30", map[string]uint64{"341602": 80, "341621": 70, "341622": 95}),
	}
	c := &rank.Climb{Unit: rs[0].Rows[2].Unit, Within: units.Node{Code: "341600", Name: "亳州市", Level: units.City}, Rankings: rs}
	for _, r := range rs {
		row, _ := r.Find("341622")
		c.Steps = append(c.Steps, rank.Step{Date: r.Date, Rank: row.Rank, Of: r.Ranked, State: row.State})
	}
	return c
}

func TestClimbChart(t *testing.T) {
	p := charts.Climb(sampleClimb(), charts.Options{})
	o := option(t, p)
	yAxis := o["yAxis"].([]any)[0].(map[string]any)
	if yAxis["inverse"] != true || yAxis["min"] != 1.0 || yAxis["max"] != 3.0 {
		t.Errorf("yAxis = %v, want ranks 1..3 on an inverted axis", yAxis)
	}
	series := o["series"].([]any)
	var names []string
	for _, s := range series {
		names = append(names, s.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "谯城区,涡阳县,蒙城县" {
		t.Errorf("series = %v, want siblings by code, then the unit last (on top)", names)
	}
	focus := series[2].(map[string]any)
	var ranks []float64
	for _, d := range focus["data"].([]any) {
		ranks = append(ranks, d.(map[string]any)["value"].(float64))
	}
	if len(ranks) != 3 || ranks[0] != 3 || ranks[2] != 1 {
		t.Errorf("focus ranks = %v, want 3 → 1", ranks)
	}
	marks := focus["markPoint"].(map[string]any)["data"].([]any)
	if len(marks) != 2 || marks[0].(map[string]any)["name"] != "倒数第1" || marks[1].(map[string]any)["name"] != "第1" {
		t.Errorf("end marks = %v, want 倒数第1 and 第1", marks)
	}
	if w := focus["lineStyle"].(map[string]any)["width"].(float64); w < 3 {
		t.Errorf("focus line width %v, want it bold", w)
	}
	golden.Check(t, "testdata/climb.json", []byte(charts.OptionJSON(p.Chart)+"\n"))
}

func TestPageIsSelfContainedAndSafe(t *testing.T) {
	r := sampleRanking()
	page := charts.Page{
		Title:  "亳州市 " + evilName,
		Stats:  []charts.Stat{{Label: "关注率", Value: "77.44%", Note: evilName}},
		Panels: []charts.Panel{charts.Ranking(r, charts.Options{}), charts.Climb(sampleClimb(), charts.Options{})},
	}
	var buf bytes.Buffer
	if err := page.Write(&buf); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if regexp.MustCompile(`(?i)<script[^>]+src=`).MatchString(html) || regexp.MustCompile(`(?i)<link[^>]+href=["']?https?:`).MatchString(html) {
		t.Error("page loads a script or stylesheet from elsewhere")
	}
	if !strings.Contains(html, "echarts.init") || !strings.Contains(html, "Apache Software Foundation") {
		t.Error("page does not inline ECharts")
	}
	// Exactly the page's own script elements: ECharts and the chart set-up.
	if n := strings.Count(html, "<script"); n != 2 {
		t.Errorf("page has %d <script elements, want 2: a unit name broke out of its JSON", n)
	}
	if strings.Contains(html, `alert("x")</script>`) {
		t.Error("unit name reached the page unescaped")
	}
	// Printing: A4, and the charts redrawn without animation first.
	for _, want := range []string{"@page { size: A4", `addEventListener("beforeprint"`, "animation: false", "saveAsImage"} {
		if !strings.Contains(html, want) {
			t.Errorf("page lacks %s", want)
		}
	}
}

func TestPageRejectsDuplicateIDs(t *testing.T) {
	r := sampleRanking()
	p := charts.Page{Panels: []charts.Panel{charts.Ranking(r, charts.Options{}), charts.Ranking(r, charts.Options{})}}
	if err := p.Write(&bytes.Buffer{}); err == nil {
		t.Fatal("two charts with one id were accepted")
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []charts.Options{{Theme: "westeros"}, {Target: 90}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	if err := (charts.Options{Theme: "dark", Target: 0.9}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestTrendCharts(t *testing.T) {
	panels := charts.Trend(sampleTrend(), charts.Options{Highlight: "341622"})
	if len(panels) != 2 || panels[0].ID == panels[1].ID {
		t.Fatalf("panels = %v, want the rate and the engagement chart", panels)
	}
	o := option(t, panels[0])
	s := o["series"].([]any)[0].(map[string]any)
	data := s["data"].([]any)
	if s["name"] != "蒙城县" || len(data) != 3 || data[2].(map[string]any)["value"] != "95.00" {
		t.Errorf("rate series = %v", s)
	}
	if w := s["lineStyle"].(map[string]any)["width"].(float64); w != 4 {
		t.Errorf("highlighted unit's line width %v, want 4", w)
	}
	golden.Check(t, "testdata/trend.json", []byte(charts.OptionJSON(panels[0].Chart)+"\n"))

	// A month without engagement figures is a gap in reads per 100, not 0.
	tr := sampleTrend()
	tr.Figures[0][1].Engagement = model.Engagement{}
	tr.Figures[0][2].Engagement = model.Engagement{Reads: 300}
	reads := option(t, charts.Trend(tr, charts.Options{})[1])["series"].([]any)[0].(map[string]any)["data"].([]any)
	if v := reads[1].(map[string]any)["value"]; v != "-" {
		t.Errorf("reads per 100 in a month without engagement = %v, want a gap (-)", v)
	}
	if v := reads[2].(map[string]any)["value"]; v == "-" {
		t.Errorf("reads per 100 in a month with engagement is a gap")
	}
}

func TestMapChart(t *testing.T) {
	outline, ok := charts.OutlineOf(units.Node{Code: "340000", Level: units.Province})
	if !ok || len(outline.Features) != 16 {
		t.Fatalf("Anhui outline: %v, %d areas; want 16 cities", ok, len(outline.Features))
	}
	p := charts.Map(anhuiMapRanking(), outline, charts.Options{})
	o := option(t, p)
	if _, has := o["legend"]; has {
		t.Error("map has a legend, which draws a dot on every area")
	}
	s := o["series"].([]any)[0].(map[string]any)
	if s["map"] != outline.Name || len(s["data"].([]any)) != 16 {
		t.Errorf("series = %v", s)
	}
	china, ok := charts.OutlineOf(units.Node{Code: units.Root, Level: units.Country})
	if !ok {
		t.Fatal("no outline of China")
	}
	tree, _ := units.NewTree(units.Builtin())
	for _, p := range tree.Children(units.Root) {
		found := false
		for _, f := range china.Features {
			found = found || strings.HasPrefix(p.Name, f)
		}
		if !found {
			t.Errorf("province %s has no area on the map of China", p.Name)
		}
	}
	bozhou, ok := charts.OutlineOf(units.Node{Code: "341600", Level: units.City})
	if got := strings.Join(bozhou.Features, ","); !ok || got != "谯城区,涡阳县,蒙城县,利辛县" {
		t.Errorf("亳州市's outline: %v, areas %s; want its four counties", ok, got)
	}
	if _, ok := charts.OutlineOf(units.Node{Code: "341622", Level: units.County}); ok {
		t.Error("a county has an outline; none ships below a city")
	}
	golden.Check(t, "testdata/map.json", []byte(charts.OptionJSON(p.Chart)+"\n"))
}

// TestCountyOutlines checks the county maps against the divisions the
// program ranks (NBS 2023): every area of a city's map is one of its
// counties, every county of a city with a map has its area, and the cities
// without one are the few the README names.
func TestCountyOutlines(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	var cities, drawn int
	var without []string
	for _, p := range tree.Children(units.Root) {
		for _, c := range tree.Children(p.Code) {
			if c.Level != units.City {
				continue
			}
			cities++
			o, ok := charts.OutlineOf(c)
			if !ok {
				without = append(without, c.Name)
				continue
			}
			drawn++
			names := map[string]bool{}
			for _, f := range o.Features {
				names[f] = true
			}
			for _, county := range tree.Children(c.Code) {
				if !names[county.Name] {
					t.Errorf("%s's map has no area for %s", c.Name, county.Name)
				}
				delete(names, county.Name)
			}
			for f := range names {
				t.Errorf("%s's map has an area %s that is none of its counties", c.Name, f)
			}
		}
	}
	t.Logf("%d of %d cities have a county map; without: %s", drawn, cities, strings.Join(without, "、"))
	if len(without) > 14 { // the README of assets/maps/counties names them
		t.Errorf("only %d of %d cities have a county map", drawn, cities)
	}
}

func sampleAccountDays() []model.AccountDay {
	var days []model.AccountDay
	for i := 0; i < 5; i++ {
		days = append(days, model.AccountDay{Account: "蒙城银辉", Date: day("2024-07-01").AddDate(0, 0, i),
			NewUsers: uint32(10 + i), CancelledUsers: 2, CumulativeUsers: uint32(1000 + 8*i), Reads: uint64(300 + i), Shares: 20, Favourites: 5})
	}
	days[2].CumulativeUsers = 0 // a day the API had no total for
	days[0].Sources = []model.AccountSource{{Source: 30, NewUsers: 6}, {Source: 17, NewUsers: 3, CancelledUsers: 2}, {Source: 0, NewUsers: 1}}
	days[1].Sources = []model.AccountSource{{Source: 17, NewUsers: 5}, {Source: 57, NewUsers: 6}}
	return days
}

func TestAccountCharts(t *testing.T) {
	panels := charts.Account("蒙城银辉", sampleAccountDays(), charts.Options{})
	if len(panels) != 3 {
		t.Fatalf("%d panels, want followers, engagement and sources", len(panels))
	}
	o := option(t, panels[0])
	series := o["series"].([]any)
	var names []string
	for _, s := range series {
		names = append(names, s.(map[string]any)["name"].(string))
	}
	if strings.Join(names, ",") != "新增关注,取消关注,累计关注" {
		t.Errorf("follower series = %v", names)
	}
	if n := len(o["yAxis"].([]any)); n != 2 {
		t.Errorf("%d y axes, want counts and the running total", n)
	}
	if lost := series[1].(map[string]any)["data"].([]any)[0].(map[string]any)["value"]; lost != -2.0 {
		t.Errorf("cancelled followers drawn as %v, want -2 (below the axis)", lost)
	}
	e := option(t, panels[1])
	per100 := e["series"].([]any)[0].(map[string]any)["data"].([]any)
	if per100[0].(map[string]any)["value"] != "30.0" || per100[2].(map[string]any)["value"] != "-" {
		t.Errorf("reads per 100 followers = %v", per100)
	}

	// New followers by source: the period's totals, largest first, named in
	// Chinese and labelled with count and share.
	src := option(t, panels[2])
	var got []string
	for _, d := range src["series"].([]any)[0].(map[string]any)["data"].([]any) {
		m := d.(map[string]any)
		got = append(got, fmt.Sprintf("%s=%v %s", m["name"], m["value"], m["label"].(map[string]any)["formatter"]))
	}
	want := "名片分享=8 8人 · 38.10%,扫描二维码=6 6人 · 28.57%,文章内账号名称=6 6人 · 28.57%,其他=1 1人 · 4.76%"
	if strings.Join(got, ",") != want {
		t.Errorf("sources = %s\nwant      %s", strings.Join(got, ","), want)
	}
	if title := src["title"].(map[string]any); title["text"] != "蒙城银辉 新增关注来源" || !strings.Contains(title["subtext"].(string), "共新增 21 人") {
		t.Errorf("sources title = %v", title)
	}
	if n := len(charts.Account("蒙城银辉", sampleAccountDays()[2:], charts.Options{})); n != 2 {
		t.Errorf("days without sources drew %d panels, want no sources panel", n)
	}
}

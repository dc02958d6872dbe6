package charts_test

import (
	"context"
	image_png "image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"followrank/charts"
	"followrank/headless"
	"followrank/headless/headlesstest"
	"followrank/rank"
	"followrank/units"
)

func anhuiMapRanking() *rank.Ranking {
	tree, _ := units.NewTree(units.Builtin())
	var figs []rank.State
	for i, c := range tree.Children("340000") {
		figs = append(figs, rank.State{Unit: c, Members: 1000, Followers: uint64(500 + 25*i)})
	}
	anhui, _ := tree.Get("340000")
	return &rank.Ranking{Level: units.City, Within: anhui, Date: day("2024-06-30"), Rows: rank.RankStates(figs), Ranked: len(figs)}
}

func sampleTrend() *rank.Trend {
	c := sampleClimb()
	t := &rank.Trend{Units: []units.Node{c.Unit}}
	t.Figures = [][]rank.State{nil}
	for _, s := range c.Steps {
		t.Dates = append(t.Dates, s.Date)
		t.Figures[0] = append(t.Figures[0], s.State)
		t.PeriodDays = append(t.PeriodDays, 30)
	}
	return t
}

// TestChartsInBrowser opens every kind of chart in headless Chromium with the
// network cut off, fails on any script error, and checks what ECharts holds.
func TestChartsInBrowser(t *testing.T) {
	headlesstest.NeedBrowser(t)
	outline, ok := charts.OutlineOf(units.Node{Code: "340000", Level: units.Province})
	if !ok {
		t.Fatal("no outline of Anhui")
	}
	o := charts.Options{Highlight: "341622", Target: 0.9}
	pages := []struct {
		name   string
		panels []charts.Panel
		want   []int
	}{
		{"ranking", []charts.Panel{charts.Ranking(sampleRanking(), o)}, []int{4}},
		{"climb", []charts.Panel{charts.Climb(sampleClimb(), o)}, []int{3}},
		{"trend", charts.Trend(sampleTrend(), o), []int{3, 3}},
		{"map", []charts.Panel{charts.Map(anhuiMapRanking(), outline, o)}, []int{16}},
		{"account", charts.Account("蒙城银辉", sampleAccountDays(), o), []int{5, 5, 4}},
	}
	dir := t.TempDir()
	ctx := context.Background()
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) {
			path := filepath.Join(dir, p.name+".html")
			f, err := os.Create(path)
			if err != nil {
				t.Fatal(err)
			}
			page := charts.Page{Title: p.name + " " + evilName, Panels: p.panels}
			if err := page.Write(f); err != nil {
				t.Fatal(err)
			}
			f.Close()
			b, err := headless.Open(ctx, path, 1200, 900)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			var lengths []int
			// The last series holds the highlighted unit in a bump chart.
			if err := b.Eval(`followrankCharts.map(c => { const s = c.getOption().series; return s[s.length-1].data.length; })`, &lengths); err != nil {
				t.Fatal(err)
			}
			if len(lengths) != len(p.want) {
				t.Fatalf("%d charts on the page, want %d", len(lengths), len(p.want))
			}
			for i := range lengths {
				if lengths[i] != p.want[i] {
					t.Errorf("chart %d has %d data points, want %d", i, lengths[i], p.want[i])
				}
			}
			var loaded []string
			if err := b.Eval(`performance.getEntriesByType("resource").map(e => e.name)`, &loaded); err != nil {
				t.Fatal(err)
			}
			if len(loaded) > 0 {
				t.Errorf("the page loaded %v; it must need nothing beyond itself", loaded)
			}
			var injected bool
			if err := b.Eval(`typeof window.alert_called !== "undefined" || document.querySelectorAll("script").length !== 2`, &injected); err != nil {
				t.Fatal(err)
			}
			if injected {
				t.Error("a unit name added a script element to the page")
			}
			if errs := b.Errors(); len(errs) > 0 {
				t.Errorf("script errors: %s", strings.Join(errs, "; "))
			}
			if png, err := b.PNG(); err != nil || len(png) < 10_000 {
				t.Errorf("screenshot: %d bytes, %v", len(png), err)
			} else if dirOut := os.Getenv("FOLLOWRANK_SCREENSHOTS"); dirOut != "" {
				os.WriteFile(filepath.Join(dirOut, p.name+".png"), png, 0o644)
			}
		})
	}
}

// TestRenderPNGFitsTheChart renders a page of one small chart: the picture
// is as tall as the page, not the browser's window.
func TestRenderPNGFitsTheChart(t *testing.T) {
	headlesstest.NeedBrowser(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "small.html")
	f, _ := os.Create(path)
	panel := charts.Ranking(sampleRanking(), charts.Options{})
	if err := (charts.Page{Title: "small", Panels: []charts.Panel{panel}}).Write(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	png := filepath.Join(dir, "small.png")
	if err := headless.RenderPNG(context.Background(), path, png); err != nil {
		t.Fatal(err)
	}
	r, _ := os.Open(png)
	defer r.Close()
	cfg, err := image_png.DecodeConfig(r)
	if err != nil {
		t.Fatal(err)
	}
	// The header (about 70 px), the card's margins and the chart itself.
	if cfg.Height < panel.Height || cfg.Height > panel.Height+160 {
		t.Errorf("PNG of a %d px chart is %dx%d: not fitted to the page", panel.Height, cfg.Width, cfg.Height)
	}
}

func TestRenderPNGFailsOnScriptErrors(t *testing.T) {
	headlesstest.NeedBrowser(t)
	path := filepath.Join(t.TempDir(), "broken.html")
	os.WriteFile(path, []byte(`<html><body><script>window.followrankCharts=[1]; throw new Error("boom")</script></body></html>`), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := headless.RenderPNG(ctx, path, filepath.Join(t.TempDir(), "x.png"))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the script error reported", err)
	}
}

// TestMapsInBrowser draws the national map, a province's map and a city's
// map of its counties offline and reads the page's own state: the national map has 南海诸岛, no drawn text
// and no tooltip says NaN, areas without figures have the no-data colour,
// and the focus unit is outlined.
func TestMapsInBrowser(t *testing.T) {
	headlesstest.NeedBrowser(t)
	tree, _ := units.NewTree(units.Builtin())
	china, _ := tree.Get(units.Root)
	var provinces []rank.State
	for i, p := range tree.Children(units.Root) {
		if i%3 == 0 { // two provinces in three have no figures
			provinces = append(provinces, rank.State{Unit: p, Members: 1000, Followers: uint64(400 + 17*i)})
		} else {
			provinces = append(provinces, rank.State{Unit: p})
		}
	}
	national := &rank.Ranking{Level: units.Province, Within: china, Date: day("2024-06-30"), Rows: rank.RankStates(provinces)}
	anhui := anhuiMapRanking()
	anhui.Rows[3].State = rank.State{Unit: anhui.Rows[3].Unit} // a city without figures
	bozhouNode, _ := tree.Get("341600")
	var counties []rank.State
	for i, c := range tree.Children("341600") {
		counties = append(counties, rank.State{Unit: c, Members: 2000, Followers: uint64(1200 + 250*i)})
	}
	counties[1] = rank.State{Unit: counties[1].Unit} // 涡阳县 has not reported
	bozhou := &rank.Ranking{Level: units.County, Within: bozhouNode, Date: day("2024-06-30"), Rows: rank.RankStates(counties)}
	cases := []struct {
		name      string
		r         *rank.Ranking
		scope     units.Node
		highlight string
		nanhai    bool
	}{
		{"china", national, china, "340000", true},
		{"anhui", anhui, anhui.Within, "341600", false},
		{"bozhou", bozhou, bozhouNode, "341622", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			outline, ok := charts.OutlineOf(tc.scope)
			if !ok {
				t.Fatalf("no outline of %s", tc.scope.Name)
			}
			path := filepath.Join(t.TempDir(), tc.name+".html")
			f, _ := os.Create(path)
			charts.Page{Title: tc.name, Panels: []charts.Panel{charts.Map(tc.r, outline, charts.Options{Highlight: tc.highlight})}}.Write(f)
			f.Close()
			b, err := headless.Open(context.Background(), path, 1200, 900)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			var state struct {
				Regions  []string
				Texts    []string
				Tooltips []string
				NoData   []string
				Missing  []string
				Outlined []string
			}
			err = b.Eval(`(() => {
				const c = followrankCharts[0];
				const s = c.getModel().getSeriesByIndex(0);
				const regions = s.coordinateSystem.regions.map(r => r.name);
				const texts = c.getZr().storage.getDisplayList(true).map(el => el.style && el.style.text).filter(Boolean);
				const data = c.getOption().series[0].data;
				const noData = [], missing = [], outlined = [], tooltips = [];
				data.forEach(d => {
					tooltips.push(String(d.tooltip && d.tooltip.formatter));
					if (d.name !== "南海诸岛" && (d.value === "-" || d.value === undefined || Number.isNaN(Number(d.value)))) {
						missing.push(d.name);
						if (d.itemStyle && d.itemStyle.areaColor === "#d9d9d9") noData.push(d.name);
					}
					if (d.itemStyle && d.itemStyle.borderWidth >= 2) outlined.push(d.name);
				});
				return {Regions: regions, Texts: texts, Tooltips: tooltips, NoData: noData, Missing: missing, Outlined: outlined};
			})()`, &state)
			if err != nil {
				t.Fatal(err)
			}
			has := func(list []string, s string) bool { return slices.Contains(list, s) }
			if tc.nanhai != has(state.Regions, "南海诸岛") {
				t.Errorf("南海诸岛 among the map's regions: %v, want %v (regions %v)", has(state.Regions, "南海诸岛"), tc.nanhai, state.Regions)
			}
			for _, row := range tc.r.Rows {
				if !slices.ContainsFunc(state.Regions, func(r string) bool { return strings.HasPrefix(row.Unit.Name, r) }) {
					t.Errorf("%s has no region on the map of %s (regions %v)", row.Unit.Name, tc.scope.Name, state.Regions)
				}
			}
			for _, s := range append(state.Texts, state.Tooltips...) {
				if strings.Contains(s, "NaN") || strings.Contains(s, "undefined") {
					t.Errorf("the map shows %q", s)
				}
			}
			if len(state.Missing) == 0 || len(state.NoData) != len(state.Missing) {
				t.Errorf("areas without figures %v, of which in the no-data colour %v", state.Missing, state.NoData)
			}
			if !slices.ContainsFunc(state.Texts, func(s string) bool { return strings.Contains(s, "无数据") }) {
				t.Error("no area is labelled 无数据")
			}
			if len(state.Outlined) != 1 {
				t.Errorf("outlined areas %v, want the focus unit alone", state.Outlined)
			}
			if errs := b.Errors(); len(errs) > 0 {
				t.Errorf("script errors: %s", strings.Join(errs, "; "))
			}
			if dirOut := os.Getenv("FOLLOWRANK_SCREENSHOTS"); dirOut != "" {
				png, _ := b.PNG()
				os.WriteFile(filepath.Join(dirOut, "map-"+tc.name+".png"), png, 0o644)
			}
		})
	}
}

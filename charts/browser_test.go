package charts_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/charts"
	"followrank/headless"
	"followrank/rank"
	"followrank/units"
)

// needBrowser skips a test where Chromium is not installed, except under
// `make test` (FOLLOWRANK_TEST_REQUIRE_BROWSER=1) and in CI, which install it.
func needBrowser(t *testing.T) {
	t.Helper()
	if _, err := headless.BrowserPath(); errors.Is(err, headless.ErrNoBrowser) {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_BROWSER") == "1" || os.Getenv("CI") == "true" {
			t.Fatal("Chromium is required here: ", err)
		}
		t.Skip("skipping: this test needs Chromium (make test installs Debian's chromium): ", err)
	}
}

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
	needBrowser(t)
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

func TestRenderPNGFailsOnScriptErrors(t *testing.T) {
	needBrowser(t)
	path := filepath.Join(t.TempDir(), "broken.html")
	os.WriteFile(path, []byte(`<html><body><script>window.followrankCharts=[1]; throw new Error("boom")</script></body></html>`), 0o644)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	err := headless.RenderPNG(ctx, path, filepath.Join(t.TempDir(), "x.png"))
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("err = %v, want the script error reported", err)
	}
}

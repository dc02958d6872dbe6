package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"followrank/charts"
	"followrank/export"
	"followrank/metrics"
	"followrank/store"
	"followrank/units"
)

// chartFlags are the options every chart takes.
type chartFlags struct {
	out       *string
	png       *string
	title     *string
	theme     *string
	animation *bool
}

func addChartFlags(fs *flag.FlagSet) chartFlags {
	return chartFlags{
		out:       fs.String("o", "", "HTML file to write (required)"),
		png:       fs.String("png", "", "also render the page to this PNG file with headless Chromium (implies --animation=false)"),
		title:     fs.String("title", "", "title instead of the generated one"),
		theme:     fs.String("theme", "light", "light or dark"),
		animation: fs.Bool("animation", true, "animate the charts; --animation=false for printing"),
	}
}

func runChart(ctx context.Context, e *env, args []string) (err error) {
	if len(args) == 0 || chartSummary[args[0]] == "" {
		fmt.Fprint(e.stderr, "usage: followrank chart ranking|climb|trend|map|dashboard [options] -o FILE.html\n"+
			"Run 'followrank chart KIND --help' for the options of each kind.\n")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return usageError("chart: name the kind of chart: ranking, climb, trend, map or dashboard")
	}
	kind := args[0]
	fs := newFlags(e, "chart "+kind, "[options] -o FILE.html", chartSummary[kind])
	cf := addChartFlags(fs)
	rf := addRankingFlags(fs)
	unit := fs.String("unit", "", "climb: the unit whose climb to draw")
	unitList := fs.String("units", "", "trend: units to draw, comma-separated codes or names")
	focus := fs.String("focus", "", "dashboard: the unit to highlight and follow")
	highlight := fs.String("highlight", "", "ranking: unit drawn in its own colour")
	target := fs.Float64("target", 0, "ranking: target follow rate drawn as a line, e.g. 0.9")
	var from, to dateFlag
	fs.Var(&from, "from", "climb: first date (default: the first reported date)")
	fs.Var(&to, "to", "climb: last date (default: the latest reported date)")
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *cf.out == "" {
		return usageError("chart %s: -o FILE.html is required", kind)
	}
	o := charts.Options{Title: *cf.title, Theme: *cf.theme, Animation: *cf.animation && *cf.png == "", Target: *target}
	if *cf.png != "" {
		if _, err := charts.BrowserPath(); err != nil {
			return usageError("--png: %v", err)
		}
		defer func() {
			if err == nil {
				if err = charts.RenderPNG(ctx, *cf.out, *cf.png); err == nil {
					fmt.Fprintf(e.stdout, "wrote %s\n", *cf.png)
				}
			}
		}()
	}
	if err := o.Validate(); err != nil {
		return usageError("%v", err)
	}

	s, m, err := e.engine(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	scope, err := e.within(m.Tree(), *rf.within)
	if err != nil {
		return err
	}
	first, last, err := span(ctx, s)
	if err != nil {
		return err
	}
	rf.date.orDefault(last)
	day, compare := rf.date, rf.compare

	switch kind {
	case "ranking":
		lvl, err := rf.parseLevel()
		if err != nil {
			return err
		}
		if *highlight != "" {
			u, err := m.Tree().Find(*highlight, scope.Code)
			if err != nil {
				return usageError("--highlight: %v", err)
			}
			o.Highlight = u.Code
		}
		r, err := m.Rank(ctx, lvl, scope, day.t, compare.t)
		if err != nil {
			return err
		}
		page := charts.Page{Title: r.Title(), Theme: o.Theme, Panels: []charts.Panel{charts.Ranking(r, o)}, Footnote: footnote(e, r)}
		return writePage(e, page, *cf.out)
	case "climb":
		if *unit == "" {
			return usageError("chart climb: --unit is required")
		}
		u, err := m.Tree().Find(*unit, scope.Code)
		if err != nil {
			return usageError("--unit: %v", err)
		}
		from.orDefault(first)
		to.orDefault(last)
		dates, err := metrics.Dates(from.t, to.t, metrics.Monthly)
		if err != nil {
			return usageError("%v", err)
		}
		c, err := m.Climb(ctx, u, scope, dates)
		if err != nil {
			return err
		}
		page := charts.Page{Title: fmt.Sprintf("%s关注率排名变化", u.Name), Theme: o.Theme, Panels: []charts.Panel{charts.Climb(c, o)}}
		return writePage(e, page, *cf.out)
	case "trend":
		var us []units.Node
		for _, name := range strings.FieldsFunc(*unitList, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
			u, err := m.Tree().Find(name, scope.Code)
			if err != nil {
				return usageError("--units: %v", err)
			}
			us = append(us, u)
		}
		if len(us) == 0 {
			return usageError("chart trend: --units is required, e.g. --units 蒙城县,亳州市")
		}
		from.orDefault(first)
		to.orDefault(last)
		dates, err := metrics.Dates(from.t, to.t, metrics.Monthly)
		if err != nil {
			return usageError("%v", err)
		}
		t, err := m.Trend(ctx, us, dates)
		if err != nil {
			return err
		}
		page := charts.Page{Title: "关注率与阅读变化", Theme: o.Theme, Panels: charts.Trend(t, o)}
		return writePage(e, page, *cf.out)
	case "map":
		outline, ok := charts.OutlineOf(scope)
		if !ok {
			return usageError("chart map: no map of %s ships with followrank; maps show China by province and each province by city (--within 全国 or a province)", scope.Name)
		}
		children := m.Tree().Children(scope.Code)
		r, err := m.Rank(ctx, children[0].Level, scope, day.t, time.Time{})
		if err != nil {
			return err
		}
		page := charts.Page{Title: r.Title(), Theme: o.Theme, Panels: []charts.Panel{charts.Map(r, outline, o)}, Footnote: footnote(e, r)}
		return writePage(e, page, *cf.out)
	}
	d := dashboardArgs{within: scope.Code, focus: *focus, date: day.t, compare: compare.t, from: first, opts: o}
	return writeDashboard(ctx, e, s, d, *cf.out)
}

var chartSummary = map[string]string{
	"ranking":   "Draw the ranking of one level within a scope as horizontal bars, rank 1 on top.",
	"climb":     "Draw a unit's rank over time among its siblings (the bump chart).",
	"trend":     "Draw units' follow rates over time, and their reads per 100 followers.",
	"map":       "Colour a province's cities (or China's provinces) by follow rate.",
	"dashboard": "One page with the headline figures, the rankings, the map and the focus unit's climb and trend.",
}

func footnote(e *env, r *metrics.Ranking) string {
	return r.Footnote(time.Now())
}

func writePage(e *env, p charts.Page, path string) error {
	if err := writeFile(path, p.Write); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return nil
}

type dashboardArgs struct {
	within, focus string
	date, compare time.Time
	from          time.Time // first date of the climb
	opts          charts.Options
}

// writeDashboard renders the dashboard of a scope into path.
func writeDashboard(ctx context.Context, e *env, s *store.Store, d dashboardArgs, path string) error {
	m, err := metrics.New(ctx, s, e.cfg.Metrics.StaleAfterDays)
	if err != nil {
		return err
	}
	spec := charts.DashboardSpec{Date: d.date, Compare: d.compare, From: d.from, Options: d.opts}
	if spec.Scope, err = m.Tree().Find(d.within, ""); err != nil {
		return usageError("--within: %v", err)
	}
	if d.focus != "" {
		if spec.Focus, err = m.Tree().Find(d.focus, spec.Scope.Code); err != nil {
			return usageError("--focus: %v", err)
		}
	}
	page, err := charts.Dashboard(ctx, m, spec)
	if err != nil {
		return err
	}
	return writePage(e, page, path)
}

type exportArgs struct {
	levels        []units.Level // one sheet each
	within        string
	date, compare time.Time
	highlight     string
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "--level L [--within X] [--date D] [--compare D2] --format xlsx|csv -o FILE",
		"Write the ranking table (通报): XLSX ready to print on A4, or CSV (UTF-8 with BOM).")
	rf := addRankingFlags(fs)
	format := fs.String("format", "", "xlsx or csv (default: from the file name)")
	out := fs.String("o", "", "file to write (required)")
	highlight := fs.String("highlight", "", "unit to mark in the XLSX")
	allLevels := fs.Bool("all-levels", false, "XLSX: one sheet for each level below the scope (cities, counties, …)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError("export: -o FILE is required")
	}
	if *format == "" {
		*format = formatOf(*out)
	}
	if *format != "xlsx" && *format != "csv" {
		return usageError("--format %q is not xlsx or csv", *format)
	}
	if *allLevels && *format != "xlsx" {
		return usageError("--all-levels writes one sheet per level, which needs --format xlsx")
	}
	lvl, err := rf.parseLevel()
	if err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	_, last, err := span(ctx, s)
	if err != nil {
		return err
	}
	rf.date.orDefault(last)
	within := *rf.within
	if within == "" {
		within = e.cfg.Scope
	}
	x := exportArgs{levels: []units.Level{lvl}, within: within, date: rf.date.t, compare: rf.compare.t, highlight: *highlight}
	if *allLevels {
		x.levels = nil // every level below the scope
	}
	return writeExport(ctx, e, s, x, *format, *out)
}

func formatOf(path string) string {
	for _, f := range []string{"xlsx", "csv"} {
		if len(path) > len(f) && path[len(path)-len(f)-1:] == "."+f {
			return f
		}
	}
	return ""
}

func writeExport(ctx context.Context, e *env, s *store.Store, x exportArgs, format, path string) error {
	m, err := metrics.New(ctx, s, e.cfg.Metrics.StaleAfterDays)
	if err != nil {
		return err
	}
	scope, err := m.Tree().Find(x.within, "")
	if err != nil {
		return usageError("--within: %v", err)
	}
	var highlight string
	if x.highlight != "" {
		u, err := m.Tree().Find(x.highlight, scope.Code)
		if err != nil {
			return usageError("--highlight: %v", err)
		}
		highlight = u.Code
	}
	levels := x.levels
	if levels == nil {
		levels = m.LevelsBelow(scope)
	}
	var rs []*metrics.Ranking
	for _, lvl := range levels {
		r, err := m.Rank(ctx, lvl, scope, x.date, x.compare)
		if err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return fmt.Errorf("%s has no units below it to rank", scope.Name)
	}
	r := rs[0]
	write := func(w io.Writer) error { return export.WriteCSV(w, r) }
	if format == "xlsx" {
		o := export.XLSXOptions{Highlight: highlight, Generated: time.Now()}
		write = func(w io.Writer) error { return export.WriteXLSX(w, o, rs...) }
	}
	if err := writeFile(path, write); err != nil {
		return err
	}
	for _, r := range rs {
		fmt.Fprintf(e.stdout, "wrote %s: %d %s ranked as of %s\n", path, r.Ranked, r.Level, r.Date.Format(time.DateOnly))
	}
	return nil
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", "[--level L] [--within X] --date D --compare D2 [--focus UNIT]",
		"Draft the paragraph of a 通报 in Chinese: the overall rate and its change, the top and\nbottom three, the biggest climbers and the focus unit's place, from the same figures as the table.")
	rf := addRankingFlags(fs)
	focus := fs.String("focus", "", "unit whose place and change to state")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	lvl, err := rf.parseLevel()
	if err != nil {
		return err
	}
	s, m, err := e.engine(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	scope, err := e.within(m.Tree(), *rf.within)
	if err != nil {
		return err
	}
	_, last, err := span(ctx, s)
	if err != nil {
		return err
	}
	rf.date.orDefault(last)
	if rf.compare.t.IsZero() {
		rf.compare.t = time.Date(rf.date.t.Year(), rf.date.t.Month(), 0, 0, 0, 0, 0, time.UTC) // the previous month's end
	}
	var focusCode string
	if *focus != "" {
		u, err := m.Tree().Find(*focus, scope.Code)
		if err != nil {
			return usageError("--focus: %v", err)
		}
		focusCode = u.Code
	}
	r, err := m.Rank(ctx, lvl, scope, rf.date.t, rf.compare.t)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, export.Draft(r, focusCode))
	return nil
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"followrank/charts"
	"followrank/export"
	"followrank/headless"
	"followrank/model"
	"followrank/pages"
	"followrank/rank"
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
	if len(args) == 0 || pages.Kinds[args[0]] == "" {
		fmt.Fprint(e.stderr, "usage: followrank chart ranking|climb|trend|map|account|dashboard [options] -o FILE.html\n"+
			"Run 'followrank chart KIND --help' for the options of each kind.\n")
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return usageError("chart: name the kind of chart: ranking, climb, trend, map, account or dashboard")
	}
	kind := args[0]
	fs := newFlags(e, "chart "+kind, "[options] -o FILE.html", pages.Kinds[kind])
	cf := addChartFlags(fs)
	rf := addRankingFlags(fs)
	unit := fs.String("unit", "", "climb: the unit whose climb to draw")
	unitList := fs.String("units", "", "trend: units to draw, comma-separated codes or names")
	account := fs.String("account", "", "account: the WeChat account to draw (default: the first stored)")
	focus := fs.String("focus", "", "dashboard: the unit to highlight and follow")
	highlight := fs.String("highlight", "", "ranking, map: unit drawn in its own colour (outlined on a map)")
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
		if _, err := headless.BrowserPath(); err != nil {
			return usageError("--png: %v", err)
		}
		defer func() {
			if err == nil {
				if err = headless.RenderPNG(ctx, *cf.out, *cf.png); err == nil {
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
	spec := pages.Spec{Kind: kind, Options: o, Compare: rf.compare.t, Account: *account}
	if spec.Scope, err = e.within(m.Tree(), *rf.within); err != nil {
		return err
	}
	if spec.Level, err = rf.parseLevel(); err != nil {
		return err
	}
	first, last, err := span(ctx, s)
	if err != nil && kind == "account" {
		// An account's chart needs no unit figures: its last 90 days.
		last, err = model.Date(time.Now()), nil
		first = last.AddDate(0, 0, -90)
	}
	if err != nil {
		return err
	}
	rf.date.orDefault(last)
	from.orDefault(first)
	to.orDefault(last)
	spec.Date, spec.From, spec.To = rf.date.t, from.t, to.t
	for flag, name := range map[string]string{"--unit": *unit, "--highlight": *highlight, "--focus": *focus} {
		if name == "" {
			continue
		}
		if spec.Unit, err = m.Tree().Find(name, spec.Scope.Code); err != nil {
			return usageError("%s: %v", flag, err)
		}
	}
	for _, name := range strings.FieldsFunc(*unitList, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		u, err := m.Tree().Find(name, spec.Scope.Code)
		if err != nil {
			return usageError("--units: %v", err)
		}
		spec.Units = append(spec.Units, u)
	}
	page, err := pages.Builder{Engine: m, Accounts: s}.Build(ctx, spec)
	if err != nil {
		return userError(err)
	}
	return writePage(e, page, *cf.out)
}

// userError turns a question the figures cannot answer as asked into a
// command-line mistake (exit status 2).
func userError(err error) error {
	var qe *rank.QueryError
	if errors.As(err, &qe) {
		return usageError("%v", err)
	}
	return err
}

func writePage(e *env, p charts.Page, path string) error {
	if err := writeFile(path, p.Write); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s\n", path)
	return nil
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
	s, m, err := e.engine(ctx)
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
	return writeExport(ctx, e, m, x, *format, *out)
}

func formatOf(path string) string {
	for _, f := range []string{"xlsx", "csv"} {
		if len(path) > len(f) && path[len(path)-len(f)-1:] == "."+f {
			return f
		}
	}
	return ""
}

func writeExport(ctx context.Context, e *env, m *rank.Engine, x exportArgs, format, path string) error {
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
	var rs []*rank.Ranking
	for _, lvl := range levels {
		r, err := m.Rank(ctx, lvl, scope, x.date, x.compare)
		if err != nil {
			return userError(err)
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return fmt.Errorf("%s has no units below it to rank", scope.Name)
	}
	var tables []export.Table
	for _, r := range rs {
		tables = append(tables, export.Tabulate(r, e.tableOptions(m.Tree(), highlight)))
	}
	write := func(w io.Writer) error { return export.WriteCSV(w, tables[0]) }
	if format == "xlsx" {
		write = func(w io.Writer) error { return export.WriteXLSX(w, tables...) }
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
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	rf.compareDefault()
	unit, err := findFocus(m, scope, *focus)
	if err != nil {
		return err
	}
	r, err := m.Rank(ctx, lvl, scope, rf.date.t, rf.compare.t)
	if err != nil {
		return userError(err)
	}
	text, err := export.Draft(r, unit.Code)
	if err != nil {
		return userError(err)
	}
	fmt.Fprintln(e.stdout, text)
	return nil
}

// tableOptions are the choices of every table this process writes: the
// configured bureau as 制表单位, made now.
func (e *env) tableOptions(tree *units.Tree, highlight string) export.TableOptions {
	return export.TableOptions{Highlight: highlight, Issuer: e.cfg.Bureau, Made: time.Now(), Attachment: "附件", Tree: tree}
}

func runTongbao(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tongbao", "[--level L] [--within X] --date D [--compare D2] [--focus UNIT] -o FILE.docx|FILE.pdf",
		"Write the whole 通报, ready to sign: the title, the drafted text (editable in Word), the\n"+
			"ranking chart, the issuing office (bureau: in the config) and date, and the ranking table\n"+
			"as 附件 with 制表单位, 制表日期 and page numbers. --compare defaults to the previous month's\n"+
			"end. A .pdf is printed through LibreOffice, or Chromium when the machine has no LibreOffice.")
	rf := addRankingFlags(fs)
	focus := fs.String("focus", "", "unit whose place the text states and the table marks")
	out := fs.String("o", "", "file to write: .docx (Word, WPS) or .pdf")
	format := fs.String("format", "", "docx or pdf (default: from -o's extension)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	if *out == "" || (*format != "docx" && *format != "pdf") {
		return usageError("-o FILE.docx or -o FILE.pdf is required (or --format docx|pdf)")
	}
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	rf.compareDefault()
	unit, err := findFocus(m, scope, *focus)
	if err != nil {
		return err
	}
	d, warning, err := pages.Builder{Engine: m, Accounts: s}.Tongbao(ctx, pages.TongbaoSpec{
		Level: lvl, Scope: scope, Date: rf.date.t, Compare: rf.compare.t, Focus: unit,
		Bureau: e.cfg.Bureau, Issued: time.Now(), Tree: m.Tree()})
	if err != nil {
		return userError(err)
	}
	if warning != "" {
		e.log.Warn(warning)
	}
	write := func(w io.Writer) error { return export.WriteDOCX(w, d) }
	if *format == "pdf" {
		pdf, err := pages.PDF(ctx, d)
		if err != nil {
			return err
		}
		write = func(w io.Writer) error { _, err := w.Write(pdf); return err }
	}
	if err := writeFile(*out, write); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s: %s\n", *out, d.Title)
	return nil
}

// compareDefault sets --compare to the previous month's end when not given,
// as a monthly 通报 compares.
func (r *rankingFlags) compareDefault() {
	if r.compare.t.IsZero() {
		r.compare.t = model.MonthStart(r.date.t).AddDate(0, 0, -1)
	}
}

// findFocus resolves --focus within the scope; zero when not given.
func findFocus(m *rank.Engine, scope units.Node, name string) (units.Node, error) {
	if name == "" {
		return units.Node{}, nil
	}
	u, err := m.Tree().Find(name, scope.Code)
	if err != nil {
		return units.Node{}, usageError("--focus: %v", err)
	}
	return u, nil
}

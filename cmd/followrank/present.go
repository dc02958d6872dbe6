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

	"followrank/catalog"
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

func addChartFlags(e *env, fs *flag.FlagSet) chartFlags {
	return chartFlags{
		out:       fs.String("o", "", e.cli.Say(catalog.FlagChartOut)),
		png:       fs.String("png", "", e.cli.Say(catalog.FlagChartPNG)),
		title:     fs.String("title", "", e.cli.Say(catalog.FlagChartTitle)),
		theme:     fs.String("theme", "light", e.cli.Say(catalog.FlagChartTheme)),
		animation: fs.Bool("animation", true, e.cli.Say(catalog.FlagChartAnimation)),
	}
}

// chartDesc says what each kind of chart draws, in --help.
var chartDesc = map[string]catalog.Code{
	"ranking": catalog.ChartRankingDesc, "climb": catalog.ChartClimbDesc, "trend": catalog.ChartTrendDesc,
	"map": catalog.ChartMapDesc, "account": catalog.ChartAccountDesc, "dashboard": catalog.ChartDashboardDesc,
}

func runChart(ctx context.Context, e *env, args []string) (err error) {
	if len(args) == 0 || pages.Kinds[args[0]] == "" {
		fmt.Fprint(e.stderr, e.cli.Say(catalog.ChartUsage))
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h") {
			return nil
		}
		return mistake(e.cli, catalog.ChartKindNeeded)
	}
	kind := args[0]
	desc, ok := chartDesc[kind]
	if !ok {
		desc = catalog.Code(pages.Kinds[kind]) // a kind the catalogue has no words for yet: its English
	}
	fs := newFlags(e, "chart "+kind, catalog.ChartArgs, desc)
	cf := addChartFlags(e, fs)
	rf := addRankingFlags(e, fs)
	unit := fs.String("unit", "", e.cli.Say(catalog.FlagChartUnit))
	unitList := fs.String("units", "", e.cli.Say(catalog.FlagChartUnits))
	account := fs.String("account", "", e.cli.Say(catalog.FlagChartAccount))
	focus := fs.String("focus", "", e.cli.Say(catalog.FlagChartFocus))
	highlight := fs.String("highlight", "", e.cli.Say(catalog.FlagChartHighlight))
	var target rateFlag
	fs.Var(&target, "target", e.cli.Say(catalog.FlagChartTarget))
	var from, to dateFlag
	fs.Var(&from, "from", e.cli.Say(catalog.FlagChartFrom))
	fs.Var(&to, "to", e.cli.Say(catalog.FlagChartTo))
	if _, err := parse(fs, args[1:]); err != nil {
		return err
	}
	if *cf.out == "" {
		return mistake(e.cli, catalog.ChartOutNeeded, kind)
	}
	o := charts.Options{Title: *cf.title, Theme: *cf.theme, Animation: *cf.animation && *cf.png == "", Target: float64(target)}
	if *cf.png != "" {
		if _, err := headless.BrowserPath(); err != nil {
			return mistake(e.cli, catalog.FlagProblem, "--png", err.Error())
		}
		defer func() {
			if err == nil {
				if err = headless.RenderPNG(ctx, *cf.out, *cf.png); err == nil {
					fmt.Fprintln(e.stdout, e.cli.Say(catalog.Wrote, *cf.png))
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
	first, last, err := e.span(ctx, s)
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
	if target == 0 { // the configured 省定目标 of the scope, if any
		ts, err := e.targets(m.Tree(), spec.Scope, 0)
		if err != nil {
			return err
		}
		spec.Options.Target, _ = ts.Of(spec.Scope.Code)
	}
	for flag, name := range map[string]string{"--unit": *unit, "--highlight": *highlight, "--focus": *focus} {
		if name == "" {
			continue
		}
		if spec.Unit, err = m.Tree().Find(name, spec.Scope.Code); err != nil {
			return unitMistake(e.cli, flag, err)
		}
	}
	for _, name := range strings.FieldsFunc(*unitList, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		u, err := m.Tree().Find(name, spec.Scope.Code)
		if err != nil {
			return unitMistake(e.cli, "--units", err)
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
	fmt.Fprintln(e.stdout, e.cli.Say(catalog.Wrote, path))
	return nil
}

type exportArgs struct {
	levels        []units.Level // one sheet each
	within        string
	date, compare time.Time
	highlight     string
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", catalog.ExportArgs, catalog.ExportDesc)
	rf := addRankingFlags(e, fs)
	format := fs.String("format", "", e.cli.Say(catalog.FlagExportFormat))
	out := fs.String("o", "", e.cli.Say(catalog.FlagExportOut))
	highlight := fs.String("highlight", "", e.cli.Say(catalog.FlagExportHighlight))
	allLevels := fs.Bool("all-levels", false, e.cli.Say(catalog.FlagExportAllLevels))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return mistake(e.cli, catalog.ExportOutNeeded)
	}
	if *format == "" {
		*format = formatOf(*out)
	}
	if *format != "xlsx" && *format != "csv" {
		return mistake(e.cli, catalog.FlagNotOneOf, "--format", *format, e.cli.Or("xlsx", "csv"))
	}
	if *allLevels && *format != "xlsx" {
		return mistake(e.cli, catalog.AllLevelsXLSX)
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
	_, last, err := e.span(ctx, s)
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
		return unitMistake(e.cli, "--within", err)
	}
	var highlight string
	if x.highlight != "" {
		u, err := m.Tree().Find(x.highlight, scope.Code)
		if err != nil {
			return unitMistake(e.cli, "--highlight", err)
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
		return errors.New(e.cli.Say(catalog.NoUnitsBelow, scope.Name))
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
		fmt.Fprintln(e.stdout, e.cli.Say(catalog.WroteRanking, path, r.Ranked, e.levelWord(r.Level), e.dateWord(r.Date)))
	}
	return nil
}

func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report", catalog.ReportArgs, catalog.ReportDesc)
	rf := addRankingFlags(e, fs)
	focus := fs.String("focus", "", e.cli.Say(catalog.FlagReportFocus))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	rf.compareDefault()
	unit, err := e.findFocus(m, scope, *focus)
	if err != nil {
		return err
	}
	r, err := m.Rank(ctx, lvl, scope, rf.date.t, rf.compare.t)
	if err != nil {
		return userError(err)
	}
	targets, err := e.targets(m.Tree(), scope, 0)
	if err != nil {
		return err
	}
	text, err := export.DraftWith(r, export.DraftOptions{Focus: unit.Code, Target: targets.Of})
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
	fs := newFlags(e, "tongbao", catalog.TongbaoArgs, catalog.TongbaoDesc)
	rf := addRankingFlags(e, fs)
	focus := fs.String("focus", "", e.cli.Say(catalog.FlagTongbaoFocus))
	out := fs.String("o", "", e.cli.Say(catalog.FlagTongbaoOut))
	format := fs.String("format", "", e.cli.Say(catalog.FlagTongbaoFormat))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format == "" {
		*format = strings.TrimPrefix(strings.ToLower(filepath.Ext(*out)), ".")
	}
	if *out == "" || (*format != "docx" && *format != "pdf") {
		return mistake(e.cli, catalog.TongbaoOutNeeded)
	}
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	rf.compareDefault()
	unit, err := e.findFocus(m, scope, *focus)
	if err != nil {
		return err
	}
	targets, err := e.targets(m.Tree(), scope, 0)
	if err != nil {
		return err
	}
	d, warning, err := pages.Builder{Engine: m, Accounts: s}.Tongbao(ctx, pages.TongbaoSpec{
		Level: lvl, Scope: scope, Date: rf.date.t, Compare: rf.compare.t, Focus: unit,
		Bureau: e.cfg.Bureau, Issued: time.Now(), Tree: m.Tree(), Target: targets.Of})
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
	fmt.Fprintln(e.stdout, e.cli.Say(catalog.WroteDocument, *out, d.Title))
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
func (e *env) findFocus(m *rank.Engine, scope units.Node, name string) (units.Node, error) {
	if name == "" {
		return units.Node{}, nil
	}
	u, err := m.Tree().Find(name, scope.Code)
	if err != nil {
		return units.Node{}, unitMistake(e.cli, "--focus", err)
	}
	return u, nil
}

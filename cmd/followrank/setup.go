package main

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/charts"
	"followrank/export"
	"followrank/ingest"
	"followrank/ingest/demo"
	"followrank/ingest/wechat"
	"followrank/ingest/wechat/wechattest"
	"followrank/jobs"
	"followrank/pages"
	"followrank/rank"
	"followrank/store"
	"followrank/units"
)

func runMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", catalog.MigrateArgs, catalog.MigrateDesc)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, applied, err := migrate(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(applied) == 0 {
		fmt.Fprintln(e.stdout, e.cli.Say(catalog.SchemaUpToDate, e.cfg.ClickHouse.Address(), store.SchemaVersion()))
	} else {
		steps := make([]string, len(applied))
		for i, v := range applied {
			steps[i] = strconv.Itoa(int(v))
		}
		fmt.Fprintln(e.stdout, e.cli.Say(catalog.SchemaMigrated, e.cfg.ClickHouse.Address(), store.SchemaVersion(), e.cli.List(steps...)))
	}
	return nil
}

// migrate creates the database, brings the schema up to date and stores the
// built-in divisions; it returns the open store.
func migrate(ctx context.Context, e *env) (*store.Store, []uint32, error) {
	if err := store.CreateDatabase(ctx, e.cfg.ClickHouse); err != nil {
		return nil, nil, storeWords(e.cli, err)
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	applied, err := s.Migrate(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	if err := s.SaveUnits(ctx, tree, tree.All(), "builtin", store.BuiltinVersion); err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, applied, nil
}

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", catalog.DemoArgs, catalog.DemoDesc)
	out := fs.String("o", e.cfg.OutDir, e.cli.Say(catalog.FlagDemoOut))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	start := time.Now()
	step := func(code catalog.Code, a ...any) {
		fmt.Fprintf(e.stdout, "[%5.1fs] %s\n", time.Since(start).Seconds(), e.cli.Say(code, a...))
	}

	step(catalog.DemoMigrating, e.cfg.ClickHouse.Address())
	s, _, err := migrate(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()

	gen := demo.New()
	tree, err := units.NewTree(append(units.Builtin(), gen.Units()...))
	if err != nil {
		return err
	}
	// 蒙城县's own units, so that its dashboard ranks them.
	if err := s.SaveUnits(ctx, tree, gen.Units(), "demo", store.BuiltinVersion+1); err != nil {
		return err
	}
	figs := gen.Figures(tree)
	step(catalog.DemoLoading, len(figs), len(tree.Descendants(gen.Province, units.County)), gen.Months)
	rec := jobs.NewRecorder(s, e.log)
	run, err := rec.Start(ctx, "demo")
	if err != nil {
		return err
	}
	werr := s.WriteFigures(ctx, "demo", run.ID, figs)
	stored := ingest.Outcome{Accepted: len(figs), Stored: len(figs)}
	if werr != nil {
		stored = ingest.Outcome{}
	}
	if _, err := rec.Finish(ctx, run, stored, werr); err != nil && werr == nil {
		return err
	}
	if werr != nil {
		return werr
	}

	ends := gen.MonthEnds()
	asOf, prev := ends[len(ends)-1], ends[len(ends)-2]
	step(catalog.DemoWeChat, demoAccount)
	if err := demoWeChat(ctx, e, rec, s, asOf); err != nil {
		return err
	}
	step(catalog.DemoDashboard, e.dateWord(asOf))
	m := rank.New(s, tree, e.cfg.Metrics.StaleAfterDays)
	anhui, _ := m.Tree().Get(gen.Province)
	climber, _ := m.Tree().Get(demo.Climber)
	page, err := pages.Builder{Engine: m, Accounts: s}.Build(ctx, pages.Spec{Kind: "dashboard", Scope: anhui, Unit: climber, Date: asOf, Compare: prev, From: ends[0], Options: charts.Options{Animation: true}})
	if err != nil {
		return err
	}
	dash := filepath.Join(*out, "dashboard.html")
	if err := writePage(e, page, dash); err != nil {
		return err
	}

	step(catalog.DemoExporting)
	x := exportArgs{levels: []units.Level{units.County}, within: gen.Province, date: asOf, compare: prev, highlight: demo.Climber}
	xlsx, csvPath := filepath.Join(*out, "ranking.xlsx"), filepath.Join(*out, "ranking.csv")
	if err := writeExport(ctx, e, m, x, "xlsx", xlsx); err != nil {
		return err
	}
	if err := writeExport(ctx, e, m, x, "csv", csvPath); err != nil {
		return err
	}
	step(catalog.DemoTongbao)
	bureau := e.cfg.Bureau
	if bureau == "" {
		bureau = "中共安徽省委老干部局" // the demo's figures are Anhui's
	}
	d, warning, err := pages.Builder{Engine: m, Accounts: s}.Tongbao(ctx, pages.TongbaoSpec{Level: units.County, Scope: anhui,
		Date: asOf, Compare: prev, Focus: climber, Bureau: bureau, Issued: asOf.AddDate(0, 0, 5), Tree: m.Tree()})
	if err != nil {
		return err
	}
	if warning != "" {
		e.log.Warn(warning)
	}
	docx := filepath.Join(*out, "通报.docx")
	if err := writeFile(docx, func(w io.Writer) error { return export.WriteDOCX(w, d) }); err != nil {
		return err
	}
	step(catalog.DemoDone)
	for _, p := range []string{dash, xlsx, csvPath, docx} {
		fmt.Fprintf(e.stdout, "  %s\n", p)
	}
	return nil
}

// demoAccount is the demo's county bureau account.
const demoAccount = "蒙城银辉"

// demoWeChat loads the year to asOf of a county bureau's account the way
// the WeChat source loads a real one: the source asks a local fake of the
// WeChat API (which follows the API's documentation) the morning after
// asOf, and the run is recorded like any other.
func demoWeChat(ctx context.Context, e *env, rec *jobs.Recorder, s *store.Store, asOf time.Time) error {
	from := asOf.AddDate(-1, 0, 1)
	morning := time.Date(asOf.Year(), asOf.Month(), asOf.Day()+1, 10, 0, 0, 0, wechattest.China)
	now := func() time.Time { return morning }
	api := httptest.NewServer(wechattest.NewFake(wechattest.NewSeries(from, 20300), now))
	defer api.Close()
	src := &wechat.Source{
		Account: demoAccount, AppID: wechattest.AppID, Secret: func() (string, error) { return wechattest.AppSecret, nil },
		BaseURL: api.URL, From: from, To: asOf, Now: now, Log: e.log,
	}
	run, err := rec.Start(ctx, src.Name())
	if err != nil {
		return err
	}
	out, ierr := src.Ingest(ctx, s, run.ID)
	if _, err := rec.Finish(ctx, run, out, ierr); err != nil && ierr == nil {
		return err
	}
	return ierr
}

func runUnits(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "units", catalog.UnitsArgs, catalog.UnitsDesc)
	within := fs.String("within", "", e.cli.Say(catalog.FlagUnitsWithin))
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 1 && pos[0] == "list":
		return listUnits(ctx, e, *within)
	case len(pos) == 2 && pos[0] == "import":
		return importUnits(ctx, e, pos[1])
	}
	return mistake(e.cli, catalog.UnitsUsage)
}

// listUnits prints the stored tree, or the built-in one when ClickHouse
// cannot be reached.
func listUnits(ctx context.Context, e *env, within string) error {
	var nodes []units.Node
	if s, err := e.openStore(ctx); err == nil {
		nodes, err = s.Units(ctx)
		s.Close()
		if err != nil {
			return err
		}
	}
	if len(nodes) == 0 {
		nodes = units.Builtin()
	}
	tree, err := units.NewTree(nodes)
	if err != nil {
		return err
	}
	var scope string
	if within != "" {
		n, err := tree.Find(within, "")
		if err != nil {
			return unitMistake(e.cli, "--within", err)
		}
		scope = n.Code
	}
	rows := [][]string{strings.Split(e.cli.Say(catalog.UnitsColumns), "\t")}
	for _, n := range tree.All() {
		if scope != "" && !tree.Within(n.Code, scope) {
			continue
		}
		rows = append(rows, []string{n.Code, n.Name, string(n.Level), n.Parent})
	}
	return writeAligned(e.stdout, rows, nil)
}

func importUnits(ctx context.Context, e *env, path string) error {
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	stored, err := s.Units(ctx)
	if err != nil {
		return err
	}
	tree, err := units.NewTree(stored)
	if err != nil {
		return err
	}
	nodes, err := ingest.ReadUnits(path, tree)
	if err != nil {
		return &exitError{code: 2, err: &worded{e.cli.Say(catalog.UnitsNotStored, err.Error()), err}}
	}
	// Every unit below the counties is saved again, so that a unit moved
	// to another parent takes its descendants' paths with it.
	inFile := map[string]bool{}
	merged := append([]units.Node(nil), nodes...)
	for _, n := range nodes {
		inFile[n.Code] = true
	}
	for _, n := range stored {
		if !inFile[n.Code] {
			merged = append(merged, n)
		}
	}
	full, err := units.NewTree(merged)
	if err != nil {
		return err
	}
	var below []units.Node
	for _, n := range full.All() {
		if n.Level == units.Unit {
			below = append(below, n)
		}
	}
	// Recorded as a run, as figures are: a running serve sees the new
	// units on its next request (its kept pages are of the old tree).
	rec := jobs.NewRecorder(s, e.log)
	run, err := rec.Start(ctx, jobs.UnitsSource)
	if err != nil {
		return err
	}
	serr := s.SaveUnits(ctx, full, below, "import", uint64(time.Now().UnixNano()))
	out := ingest.Outcome{Items: []string{filepath.Base(path)}}
	if serr == nil {
		out.Accepted, out.Stored = len(nodes), len(nodes)
	}
	if _, err := rec.Finish(ctx, run, out, serr); err != nil && serr == nil {
		return err
	}
	if serr != nil {
		return serr
	}
	added := 0
	for _, n := range nodes {
		if _, ok := tree.Get(n.Code); !ok {
			added++
		}
	}
	fmt.Fprintln(e.stdout, e.cli.Say(catalog.UnitsStored, path, len(nodes), added, len(nodes)-added))
	return nil
}

func runRuns(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "runs", catalog.RunsArgs, catalog.RunsDesc)
	limit := fs.Int("limit", 20, e.cli.Say(catalog.FlagRunsLimit))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	if _, err := jobs.NewRecorder(s, e.log).Sweep(ctx); err != nil {
		e.log.Warn("could not look for interrupted runs", "err", err)
	}
	runs, err := s.Runs(ctx, *limit)
	if err != nil {
		return err
	}
	// What a run read goes before its error; its lines are joined in one
	// cell, so that a run stays one line of the table.
	rows := [][]string{strings.Split(e.cli.Say(catalog.RunsColumns), "\t")}
	for _, r := range runs {
		rows = append(rows, []string{r.Started.Local().Format("2006-01-02 15:04:05"), r.Source, r.Status,
			strconv.FormatUint(r.Accepted, 10), strconv.FormatUint(r.Rejected, 10),
			strconv.FormatFloat(r.Finished.Sub(r.Started).Seconds(), 'f', 1, 64), strings.Join(r.Items, "；"), r.Error})
	}
	return writeAligned(e.stdout, rows, map[int]bool{3: true, 4: true, 5: true})
}

package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"followrank/config"
	"followrank/model"
	"followrank/store"
	"followrank/store/storetest"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestMigrateIsIdempotent(t *testing.T) {
	cfg := storetest.Config(t)
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	first, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(first, store.SchemaVersion()) {
		t.Fatalf("first migrate applied %v, want it to include %d", first, store.SchemaVersion())
	}
	again, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", again)
	}
}

func TestOpenUnreachableFailsFastNamingAddress(t *testing.T) {
	cfg := config.ClickHouse{DSN: "clickhouse://127.0.0.1:1/followrank", DialTimeout: 2 * time.Second}
	start := time.Now()
	_, err := store.Open(context.Background(), cfg)
	if err == nil {
		t.Fatal("Open of a closed port succeeded")
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("Open took %v to fail, want seconds", took)
	}
	msg := err.Error()
	if !strings.Contains(msg, "127.0.0.1:1") || strings.Contains(msg, "\n") {
		t.Errorf("error %q should be one line naming the address", msg)
	}
}

func TestWriteFiguresTwiceDoesNotDoubleCount(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	figs := []model.Figure{
		{Unit: "341622", Date: day("2024-05-31"), HasStock: true, Members: 1000, Followers: 400, Engagement: model.Engagement{Reads: 10}},
		{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 900, Engagement: model.Engagement{Reads: 5}},
		{Unit: "341622", Date: day("2024-06-15"), Engagement: model.Engagement{Reads: 7, Shares: 2}},
		{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 100},
	}
	for i := 0; i < 2; i++ {
		if err := s.WriteFigures(ctx, "test", model.NewRunID(), figs); err != nil {
			t.Fatal(err)
		}
	}
	var stocks []model.Figure
	err := s.EachStock(ctx, "341600", day("2024-01-01"), day("2024-06-20"), func(st model.Figure) error {
		stocks = append(stocks, st)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]model.Figure{}
	for _, st := range stocks {
		got[st.Unit] = st
	}
	if len(got) != 1 || got["341622"].Followers != 400 || !got["341622"].Date.Equal(day("2024-05-31")) {
		t.Fatalf("stocks as of 2024-06-20 = %+v, want only 341622 with 400 followers reported 2024-05-31", stocks)
	}
	eng, err := s.Engagement(ctx, "341600", day("2024-06-01"), day("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if e := eng["341622"]; e.Reads != 12 || e.Shares != 2 {
		t.Fatalf("June engagement of 341622 = %+v, want 12 reads and 2 shares (each row once)", e)
	}

	// A corrected figure for the same unit and date replaces the old one.
	fix := []model.Figure{{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 950}}
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), fix); err != nil {
		t.Fatal(err)
	}
	stocks, err = s.StocksOf(ctx, []string{"341622", "341621"}, day("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if len(stocks) != 2 || stocks[0].Followers+stocks[1].Followers != 1050 {
		t.Fatalf("after correction stocks = %+v, want 950 followers", stocks)
	}
}

func TestRunsAreRecordedAndUpdated(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	r := model.Run{ID: model.NewRunID(), Source: "demo", Started: time.Now().Truncate(time.Second), Status: model.RunRunning}
	if err := s.RecordRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Status, r.Accepted, r.Finished = model.RunOK, 42, time.Now()
	if err := s.RecordRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRejections(ctx, r.ID, []model.Rejection{{File: "a.csv", Line: 7, Field: "followers", Reason: "120 > members 100"}}); err != nil {
		t.Fatal(err)
	}
	items := []string{"亳州各县-2024年7月.xlsx：入库 40 行，拒收 1 行", "b.csv：入库 2 行，拒收 0 行"}
	if err := s.RecordRunItems(ctx, r.ID, items); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != model.RunOK || runs[0].Accepted != 42 {
		t.Fatalf("runs = %+v, want one finished run with 42 accepted", runs)
	}
	if strings.Join(runs[0].Items, "|") != strings.Join(items, "|") {
		t.Errorf("the run's items = %q, want %q in order", runs[0].Items, items)
	}
	// The schedule asks for a source's last finished run.
	if last, ok, err := s.LastRun(ctx, "demo"); err != nil || !ok || last.ID != r.ID || last.Accepted != 42 {
		t.Errorf("LastRun(demo) = %+v, %v, %v; want the finished run", last, ok, err)
	}
	if _, ok, err := s.LastRun(ctx, "wechat"); err != nil || ok {
		t.Errorf("LastRun(wechat) = %v, %v; want none", ok, err)
	}
}

func TestErrorsDoNotShowThePassword(t *testing.T) {
	cfg := config.ClickHouse{DSN: "clickhouse://ops:s3cret-pass@127.0.0.1:1/followrank", DialTimeout: time.Second}
	_, err := store.Open(context.Background(), cfg)
	if err == nil || strings.Contains(err.Error(), "s3cret-pass") {
		t.Fatalf("err = %v; it must not show the password", err)
	}
	if err := store.CreateDatabase(context.Background(), cfg); err == nil || strings.Contains(err.Error(), "s3cret-pass") {
		t.Fatalf("err = %v; it must not show the password", err)
	}
}

// TestSQLTakesValuesOnlyAsBoundParameters reads the store's source: values
// reach ClickHouse only as bound parameters (?), and the only statements
// built with Sprintf are those naming the database, an identifier checked
// against a strict pattern first.
func TestSQLTakesValuesOnlyAsBoundParameters(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			if !strings.Contains(line, "Sprintf(") {
				continue
			}
			if strings.Contains(line, "conn.Exec(ctx, fmt.Sprintf(stmt, db, on))") {
				continue // CREATE/DROP DATABASE: db and cluster matched ^[A-Za-z_][A-Za-z0-9_]{0,63}$ first
			}
			if strings.Contains(line, `CREATE TABLE IF NOT EXISTS %s`) || strings.Contains(line, "fmt.Sprintf(replicated, path)") {
				continue // DDL from the schema's own table definitions and validated names
			}
			if strings.Contains(strings.ToUpper(line), "SELECT") || strings.Contains(strings.ToUpper(line), "INSERT") || strings.Contains(line, "conn.") || strings.Contains(line, "s.query(") || strings.Contains(line, "s.exec(") {
				t.Errorf("%s:%d builds SQL with Sprintf: %s", f, i+1, strings.TrimSpace(line))
			}
		}
	}
	if err := store.CreateDatabase(context.Background(), config.ClickHouse{DSN: "clickhouse://127.0.0.1:9000/x;DROP", DialTimeout: time.Second}); err == nil {
		t.Error("a database name with ; was accepted")
	}
}

// TestStatementLogRecordsBoundStatements: with clickhouse.statement_log
// set, every statement is appended as the server received it (values
// bound, {db}. qualified), with the store's function that sent it and that
// function's caller: what `make test-current` runs on current ClickHouse.
// It fails too if an update of the driver stops logging what it sends.
func TestStatementLogRecordsBoundStatements(t *testing.T) {
	cfg := storetest.Config(t)
	cfg.StatementLog = filepath.Join(t.TempDir(), "statements.jsonl")
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.EachStock(ctx, "341622", day("2024-01-01"), day("2024-06-30"), func(model.Figure) error { return nil }); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(cfg.StatementLog)
	if err != nil {
		t.Fatal(err)
	}
	var sent []store.Statement
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var st store.Statement
		if err := json.Unmarshal([]byte(line), &st); err != nil {
			t.Fatalf("%v: %s", err, line)
		}
		if st.Database != cfg.Database() {
			t.Errorf("recorded in database %q, want %q: %s", st.Database, cfg.Database(), line)
		}
		sent = append(sent, st)
	}
	find := func(by, text string) *store.Statement {
		for i := range sent {
			if sent[i].By == by && strings.Contains(sent[i].SQL, text) {
				return &sent[i]
			}
		}
		t.Errorf("no statement by %s with %q among the %d recorded", by, text, len(sent))
		return nil
	}
	find("store.Open", "SELECT version()")
	find("store.(*Store).Migrate", "CREATE TABLE IF NOT EXISTS unit_figures")
	find("store.(*Store).Migrate", "INSERT INTO schema_migrations")
	if st := find("store.(*Store).EachStock", "FROM unit_figures"); st != nil {
		for _, bound := range []string{"toDate('2024-01-01')", "toDate('2024-06-30')", "code = '341622' OR has(path, '341622')", cfg.Database() + ".units"} {
			if !strings.Contains(st.SQL, bound) {
				t.Errorf("EachStock recorded without %s:\n%s", bound, st.SQL)
			}
		}
		if st.Caller != "store_test.TestStatementLogRecordsBoundStatements" {
			t.Errorf("EachStock's caller recorded as %q", st.Caller)
		}
	}
}

// TestEachReportKeepsNewestIngestion checks the one-pass read behind
// series of snapshots: one report per unit and day in order, the newest
// ingestion's engagement, and the newest stock even when a newer
// engagement-only row came after it. Every figure differs from the others,
// so a column stored in another's place shows.
func TestEachReportKeepsNewestIngestion(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	writes := [][]model.Figure{
		{
			{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 900, Engagement: model.Engagement{Reads: 5}},
			{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 100},
			{Unit: "341622", Date: day("2024-06-29"), Engagement: model.Engagement{Reads: 3, Shares: 1}},
			{Unit: "341622", Date: day("2024-05-31"), HasStock: true, Members: 990, Followers: 800},
			{Unit: "110101", Date: day("2024-06-30"), HasStock: true, Members: 10, Followers: 1},
		},
		{{Unit: "341622", Date: day("2024-06-30"), Engagement: model.Engagement{Reads: 7, Shares: 2, Likes: 3, Wow: 4, Comments: 5}}},
		{{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 200}},
	}
	for _, w := range writes {
		if err := s.WriteFigures(ctx, "test", model.NewRunID(), w); err != nil {
			t.Fatal(err)
		}
	}
	read := func(scope string, stocksOnly bool) []model.Figure {
		t.Helper()
		var out []model.Figure
		if err := s.EachReport(ctx, scope, day("2024-06-01"), day("2024-06-30"), stocksOnly, func(r model.Figure) error {
			out = append(out, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	anhui := []model.Figure{
		{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 200},
		{Unit: "341622", Date: day("2024-06-29"), Engagement: model.Engagement{Reads: 3, Shares: 1}},
		{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 900, Engagement: model.Engagement{Reads: 7, Shares: 2, Likes: 3, Wow: 4, Comments: 5}},
	}
	if got := read("341600", false); !slices.Equal(got, anhui) {
		t.Errorf("reports within 亳州市:\n got %+v\nwant %+v", got, anhui)
	}
	country := append([]model.Figure{{Unit: "110101", Date: day("2024-06-30"), HasStock: true, Members: 10, Followers: 1}}, anhui...)
	if got := read("000000", false); !slices.Equal(got, country) {
		t.Errorf("reports within 全国:\n got %+v\nwant %+v", got, country)
	}
	stocks := []model.Figure{
		{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 200},
		{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 900},
	}
	if got := read("341600", true); !slices.Equal(got, stocks) {
		t.Errorf("stock reports within 亳州市:\n got %+v\nwant %+v", got, stocks)
	}

	// By the units' codes, the same reports.
	readOf := func(codes []string, stocksOnly bool) []model.Figure {
		t.Helper()
		var out []model.Figure
		if err := s.EachReportOf(ctx, codes, day("2024-06-01"), day("2024-06-30"), stocksOnly, func(r model.Figure) error {
			out = append(out, r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	bozhou := []string{"341600", "341602", "341621", "341622", "341623"}
	if got := readOf(bozhou, false); !slices.Equal(got, anhui) {
		t.Errorf("reports of 亳州市's units by code:\n got %+v\nwant %+v", got, anhui)
	}
	if got := readOf(bozhou, true); !slices.Equal(got, stocks) {
		t.Errorf("stock reports of 亳州市's units by code:\n got %+v\nwant %+v", got, stocks)
	}

	stop := errors.New("stop")
	n := 0
	err := s.EachReport(ctx, "341600", day("2024-06-01"), day("2024-06-30"), false, func(model.Figure) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachReport after fn failed = %v after %d calls, want the error after 1", err, n)
	}
}

// TestWriteFiguresRefusesDatesClickHouseCannotHold checks that a date
// outside ClickHouse's Date is refused by name, and nothing is stored.
func TestWriteFiguresRefusesDatesClickHouseCannotHold(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	for _, d := range []time.Time{day("1969-12-31"), day("2150-01-01"), day("2024-06-30").Add(time.Hour)} {
		figs := []model.Figure{
			{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 10, Followers: 5},
			{Unit: "341622", Date: d, HasStock: true, Members: 10, Followers: 5},
		}
		err := s.WriteFigures(ctx, "test", model.NewRunID(), figs)
		if err == nil || !strings.Contains(err.Error(), "341622") {
			t.Errorf("WriteFigures with date %s = %v, want an error naming 341622", d, err)
		}
	}
	if n, err := s.FigureRows(ctx); err != nil || n != 0 {
		t.Errorf("after refused writes %d rows are stored (%v), want 0", n, err)
	}
}

func TestStaleRunsAreThoseThatStoppedBeating(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	for _, r := range []model.Run{
		{ID: "dead", Source: "import", Started: now.Add(-time.Hour), Finished: now.Add(-50 * time.Minute), Status: model.RunRunning},
		{ID: "alive", Source: "inbox", Started: now.Add(-time.Hour), Finished: now.Add(-30 * time.Second), Status: model.RunRunning},
		{ID: "done", Source: "api", Started: now.Add(-time.Hour), Finished: now.Add(-50 * time.Minute), Status: model.RunOK},
	} {
		if err := s.RecordRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	stale, err := s.StaleRuns(ctx, now.Add(-3*time.Minute))
	if err != nil || len(stale) != 1 || stale[0].ID != "dead" {
		t.Fatalf("stale runs %+v, %v; want the dead one", stale, err)
	}
}

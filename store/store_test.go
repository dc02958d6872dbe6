package store_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"followrank/config"
	"followrank/ingest"
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
	figs := []ingest.Figure{
		{Unit: "341622", Date: day("2024-05-31"), HasStock: true, Members: 1000, Followers: 400, Engagement: ingest.Engagement{Reads: 10}},
		{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 900, Engagement: ingest.Engagement{Reads: 5}},
		{Unit: "341622", Date: day("2024-06-15"), Engagement: ingest.Engagement{Reads: 7, Shares: 2}},
		{Unit: "341621", Date: day("2024-06-30"), HasStock: true, Members: 500, Followers: 100},
	}
	for i := 0; i < 2; i++ {
		if err := s.WriteFigures(ctx, "test", store.NewRunID(), figs); err != nil {
			t.Fatal(err)
		}
	}
	stocks, err := s.Stocks(ctx, "341600", day("2024-01-01"), day("2024-06-20"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]store.Stock{}
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
	fix := []ingest.Figure{{Unit: "341622", Date: day("2024-06-30"), HasStock: true, Members: 1000, Followers: 950}}
	if err := s.WriteFigures(ctx, "test", store.NewRunID(), fix); err != nil {
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
	r := store.Run{ID: store.NewRunID(), Source: "demo", Started: time.Now().Truncate(time.Second), Status: store.RunRunning}
	if err := s.RecordRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	r.Status, r.Accepted, r.Finished = store.RunOK, 42, time.Now()
	if err := s.RecordRun(ctx, r); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRejections(ctx, r.ID, []ingest.Rejection{{File: "a.csv", Line: 7, Field: "followers", Reason: "120 > members 100"}}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || runs[0].Status != store.RunOK || runs[0].Accepted != 42 {
		t.Fatalf("runs = %+v, want one finished run with 42 accepted", runs)
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

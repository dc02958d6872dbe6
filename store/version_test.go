package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/model"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

// TestLowCardinalityColumnsAreWrittenAndReadAsStrings: a current server
// creates new tables with their few-valued strings as
// LowCardinality(String) (schema-current.sql), and every writer and reader
// of the store takes them as it takes String, through the driver. 18.16 has
// the type as an experiment: the test turns it on and creates the current
// schema without its codecs, which 18.16 lacks; the rest of what differs
// runs on ClickHouse 26.7 in `make test-current`.
func TestLowCardinalityColumnsAreWrittenAndReadAsStrings(t *testing.T) {
	cfg := storetest.Config(t)
	ctx := context.Background()
	opts, err := clickhouse.ParseDSN(cfg.DSN)
	if err != nil {
		t.Fatal(err)
	}
	opts.Settings = clickhouse.Settings{"allow_experimental_low_cardinality_type": 1}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	low := 0
	for _, stmt := range store.Schema("24.8.4.13") {
		low += strings.Count(stmt, "LowCardinality(String)")
		if err := conn.Exec(ctx, strings.ReplaceAll(stmt, " CODEC(Delta, ZSTD)", "")); err != nil {
			t.Fatalf("%v\n%s", err, stmt)
		}
	}
	var made uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = ? AND type = 'LowCardinality(String)'", cfg.Database()).Scan(&made); err != nil || low == 0 || made != uint64(low) {
		t.Fatalf("%d LowCardinality columns made of the schema's %d: %v", made, low, err)
	}

	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveUnits(ctx, tree, tree.All(), "builtin", store.BuiltinVersion); err != nil {
		t.Fatal(err)
	}
	stored, err := s.Units(ctx)
	if err != nil || len(stored) != len(tree.All()) {
		t.Fatalf("units: %d stored, %d saved: %v", len(stored), len(tree.All()), err)
	}
	if i := slices.IndexFunc(stored, func(n units.Node) bool { return n.Code == "341622" }); i < 0 || stored[i].Level != units.County {
		t.Errorf("蒙城县 read back as %+v", stored[i])
	}

	run := model.Run{ID: model.NewRunID(), Source: "import", Started: time.Now().Truncate(time.Second), Status: model.RunOK, Finished: time.Now()}
	june := day("2024-06-30")
	if err := s.WriteFigures(ctx, "import", run.ID, []model.Figure{{Unit: "341622", Date: june, HasStock: true, Members: 2374, Followers: 2025}}); err != nil {
		t.Fatal(err)
	}
	var got []model.Figure
	if err := s.EachReport(ctx, "341600", june, june, false, func(f model.Figure) error { got = append(got, f); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Unit != "341622" || got[0].Followers != 2025 {
		t.Errorf("figures read back: %+v", got)
	}

	if err := s.RecordRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	if err := s.RecordRejections(ctx, run.ID, []model.Rejection{{File: "a.csv", Line: 7, Field: "followers", Reason: "120 > 100"}}); err != nil {
		t.Fatal(err)
	}
	if last, ok, err := s.LastRun(ctx, "import"); err != nil || !ok || last.ID != run.ID || last.Status != model.RunOK {
		t.Errorf("last run: %+v, %v, %v", last, ok, err)
	}
	if rs, err := s.Rejections(ctx, run.ID); err != nil || len(rs) != 1 || rs[0].Field != "followers" {
		t.Errorf("rejections: %+v, %v", rs, err)
	}

	days := []model.AccountDay{{Account: "蒙城银辉", Date: june, NewUsers: 5, CumulativeUsers: 23300, Sources: []model.AccountSource{{Source: 30, NewUsers: 5}}}}
	if err := s.WriteAccountDays(ctx, run.ID, days); err != nil {
		t.Fatal(err)
	}
	if accounts, err := s.Accounts(ctx); err != nil || !slices.Equal(accounts, []string{"蒙城银辉"}) {
		t.Errorf("accounts: %v, %v", accounts, err)
	}
	if read, err := s.AccountDays(ctx, "蒙城银辉", june, june); err != nil || len(read) != 1 || read[0].CumulativeUsers != 23300 || len(read[0].Sources) != 1 {
		t.Errorf("account days: %+v, %v", read, err)
	}
}

package rank_test

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"followrank/ingest/demo"
	"followrank/model"
	"followrank/rank"
	"followrank/store/storetest"
	"followrank/units"
)

func stock(code, date string, members, followers uint32) model.Figure {
	return model.Figure{Unit: code, Date: day(date), HasStock: true, Members: members, Followers: followers}
}

// engineWith stores figures in a fresh test database and returns an engine
// over it.
func engineWith(t *testing.T, figs []model.Figure) *rank.Engine {
	t.Helper()
	s := storetest.New(t)
	ctx := context.Background()
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), figs); err != nil {
		t.Fatal(err)
	}
	e, err := newEngine(ctx, s, 45)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestSnapshotRollUp runs the roll-up rules against a real ClickHouse: a
// parent is the sum of its children unless it has a fresh report of its own;
// reports carry forward and are flagged stale past the window.
func TestSnapshotRollUp(t *testing.T) {
	tests := []struct {
		name   string
		figs   []model.Figure
		asOf   string
		code   string
		rate   float64
		stale  bool
		report bool
	}{
		{"parent not reported sums its children",
			[]model.Figure{stock("341621", "2024-06-30", 100, 50), stock("341622", "2024-06-30", 100, 90)},
			"2024-06-30", "341600", 0.70, false, false},
		{"parent reported uses its own report",
			[]model.Figure{stock("341621", "2024-06-30", 100, 50), stock("341622", "2024-06-30", 100, 90), stock("341600", "2024-06-30", 1000, 500)},
			"2024-06-30", "341600", 0.50, false, true},
		{"stale parent report gives way to fresh children",
			[]model.Figure{stock("341621", "2024-06-30", 100, 50), stock("341622", "2024-06-30", 100, 90), stock("341600", "2024-01-31", 1000, 500)},
			"2024-06-30", "341600", 0.70, false, false},
		{"report carries forward within the window",
			[]model.Figure{stock("341622", "2024-05-31", 100, 40)},
			"2024-06-30", "341622", 0.40, false, true},
		{"report older than the window is stale but kept",
			[]model.Figure{stock("341622", "2024-03-31", 100, 40)},
			"2024-06-30", "341622", 0.40, true, true},
		{"later report on or before the date wins",
			[]model.Figure{stock("341622", "2024-05-31", 100, 40), stock("341622", "2024-06-30", 100, 60), stock("341622", "2024-07-31", 100, 99)},
			"2024-07-15", "341622", 0.60, false, true},
		{"stale child makes the sum stale",
			[]model.Figure{stock("341621", "2024-06-30", 100, 50), stock("341622", "2024-01-31", 100, 90)},
			"2024-06-30", "341600", 0.70, true, false},
		{"province sums across cities",
			[]model.Figure{stock("341622", "2024-06-30", 300, 240), stock("340102", "2024-06-30", 100, 40)},
			"2024-06-30", "340000", 0.70, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := engineWith(t, tt.figs)
			anhui, _ := e.Tree().Get("340000")
			snap, err := e.Snapshot(ctx, anhui, day(tt.asOf))
			if err != nil {
				t.Fatal(err)
			}
			f, ok := snap.Get(tt.code)
			if !ok {
				t.Fatalf("%s missing from snapshot", tt.code)
			}
			if math.Abs(f.Rate()-tt.rate) > 1e-9 || f.Stale != tt.stale || f.Reported != tt.report {
				t.Fatalf("%s: rate %.4f stale %v reported %v; want %.4f %v %v", tt.code, f.Rate(), f.Stale, f.Reported, tt.rate, tt.stale, tt.report)
			}
		})
	}
}

func TestRankWithCompare(t *testing.T) {
	ctx := context.Background()
	e := engineWith(t, []model.Figure{
		stock("341602", "2024-05-31", 100, 90), stock("341621", "2024-05-31", 100, 80), stock("341622", "2024-05-31", 100, 30), stock("341623", "2024-05-31", 100, 60),
		stock("341602", "2024-06-30", 100, 90), stock("341621", "2024-06-30", 100, 80), stock("341622", "2024-06-30", 100, 95), stock("341623", "2024-06-30", 100, 80),
	})
	bozhou, _ := e.Tree().Get("341600")
	r, err := e.Rank(ctx, units.County, bozhou, day("2024-06-30"), day("2024-05-31"))
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		code       string
		rank, prev int
		change     int
	}
	wants := []want{{"341622", 1, 4, 3}, {"341602", 2, 1, -1}, {"341621", 3, 2, -1}, {"341623", 3, 3, 0}}
	if len(r.Rows) != len(wants) {
		t.Fatalf("%d rows, want %d", len(r.Rows), len(wants))
	}
	for i, w := range wants {
		row := r.Rows[i]
		ch, ok := row.Change()
		if row.Unit.Code != w.code || row.Rank != w.rank || row.PrevRank != w.prev || !ok || ch != w.change {
			t.Errorf("row %d = %s rank %d prev %d change %d; want %+v", i, row.Unit.Code, row.Rank, row.PrevRank, ch, w)
		}
	}
	if r.Total.Members != 400 || r.Total.Followers != 345 {
		t.Errorf("total = %d/%d, want 345/400", r.Total.Followers, r.Total.Members)
	}
}

func TestDates(t *testing.T) {
	got, err := rank.Dates(day("2024-01-15"), day("2024-04-10"), rank.Monthly)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-10"}
	if len(got) != len(want) {
		t.Fatalf("Dates = %v, want %v", got, want)
	}
	for i := range want {
		if got[i].Format("2006-01-02") != want[i] {
			t.Fatalf("Dates = %v, want %v", got, want)
		}
	}
	if _, err := rank.Dates(day("2024-02-01"), day("2024-01-01"), rank.Monthly); err == nil {
		t.Error("Dates accepted --to before --from")
	}
}

// TestRankOnClickHouse ranks stored figures: ties, a single reporting unit,
// an empty scope, stale units, and parents reported and not.
func TestRankOnClickHouse(t *testing.T) {
	type want struct {
		code  string
		rank  int
		stale bool
	}
	tests := []struct {
		name   string
		figs   []model.Figure
		level  units.Level
		within string
		want   []want
	}{
		{"ties share a rank", []model.Figure{stock("341602", "2024-06-30", 100, 50), stock("341621", "2024-06-30", 200, 100), stock("341622", "2024-06-30", 100, 90), stock("341623", "2024-06-30", 100, 10)},
			units.County, "341600", []want{{"341622", 1, false}, {"341602", 2, false}, {"341621", 2, false}, {"341623", 4, false}}},
		{"single reporting unit", []model.Figure{stock("341622", "2024-06-30", 100, 90)},
			units.County, "341600", []want{{"341622", 1, false}, {"341602", 0, false}, {"341621", 0, false}, {"341623", 0, false}}},
		{"empty scope", nil,
			units.County, "341600", []want{{"341602", 0, false}, {"341621", 0, false}, {"341622", 0, false}, {"341623", 0, false}}},
		{"stale units are ranked and flagged", []model.Figure{stock("341622", "2024-03-31", 100, 90), stock("341621", "2024-06-30", 100, 50)},
			units.County, "341600", []want{{"341622", 1, true}, {"341621", 2, false}, {"341602", 0, false}, {"341623", 0, false}}},
		{"parent reported uses its own figures", []model.Figure{stock("341622", "2024-06-30", 100, 50), stock("341600", "2024-06-30", 100, 90), stock("340100", "2024-06-30", 100, 80)},
			units.City, "340000", []want{{"341600", 1, false}, {"340100", 2, false}}},
		{"parent not reported is the sum of its children", []model.Figure{stock("341622", "2024-06-30", 100, 50), stock("341621", "2024-06-30", 300, 290), stock("340100", "2024-06-30", 100, 80)},
			units.City, "340000", []want{{"341600", 1, false}, {"340100", 2, false}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			e := engineWith(t, tt.figs)
			within, _ := e.Tree().Get(tt.within)
			r, err := e.Rank(ctx, tt.level, within, day("2024-06-30"), time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tt.want {
				row := r.Rows[i]
				if row.Unit.Code != w.code || row.Rank != w.rank || row.Stale != w.stale {
					t.Errorf("row %d = %s rank %d stale %v; want %+v", i, row.Unit.Code, row.Rank, row.Stale, w)
				}
			}
		})
	}
}

// TestSnapshotsEqualOneByOne checks the batched snapshots of a span against
// a snapshot per day, on the demo figures with a correction, a stale unit
// and a parent report mixed in.
func TestSnapshotsEqualOneByOne(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	e, err := newEngine(ctx, s, 45)
	if err != nil {
		t.Fatal(err)
	}
	demo := demo.New()
	figs := append(demo.Figures(e.Tree()),
		stock("341622", "2024-03-31", 3000, 10), // replaced below by a later ingestion
		stock("341600", "2023-06-30", 9000, 8000),
		stock("110101", "2022-01-31", 100, 50), // Beijing: reported long before the span
	)
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), figs); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), []model.Figure{stock("341622", "2024-03-31", 3300, 3100)}); err != nil {
		t.Fatal(err)
	}
	china, _ := e.Tree().Get(units.Root)
	dates := append(demo.MonthEnds(), day("2024-07-15"), day("2023-03-10"))
	batched, err := e.Snapshots(ctx, china, dates, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range batched {
		one, err := e.Snapshot(ctx, china, b.Date)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range e.Tree().All() {
			want, _ := one.Get(n.Code)
			got, _ := b.Get(n.Code)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s on %s: batched %+v, one by one %+v", n.Code, b.Date.Format(time.DateOnly), got, want)
			}
		}
	}
}

// TestMovedUnitCountsUnderItsNewParent moves a unit to another county and
// reads both counties before ClickHouse merges the unit's two versions: the
// scope filters may still read the unit within its old county, and the
// unit must count only under its new one, one day at a time and in series.
func TestMovedUnitCountsUnderItsNewParent(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	moved := units.Node{Code: "U1", Name: "某局", Level: units.Unit}
	for i, parent := range []string{"341621", "341622"} {
		moved.Parent = parent
		tree, err := units.NewTree(append(units.Builtin(), moved))
		if err != nil {
			t.Fatal(err)
		}
		if err := s.SaveUnits(ctx, tree, []units.Node{moved}, "test", uint64(10+i)); err != nil {
			t.Fatal(err)
		}
	}
	f := stock("U1", "2024-06-30", 100, 80)
	f.Reads = 7
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), []model.Figure{f}); err != nil {
		t.Fatal(err)
	}
	e, err := newEngine(ctx, s, 45)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		county             string
		members, followers uint64
		reads              uint64
	}{{"341621", 0, 0, 0}, {"341622", 100, 80, 7}} {
		scope, _ := e.Tree().Get(tt.county)
		one, err := e.Snapshot(ctx, scope, day("2024-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		series, err := e.Snapshots(ctx, scope, []time.Time{day("2024-06-30")}, true)
		if err != nil {
			t.Fatal(err)
		}
		for name, snap := range map[string]*rank.Snapshot{"Snapshot": one, "Snapshots": series[0]} {
			got, _ := snap.Get(tt.county)
			if got.Members != tt.members || got.Followers != tt.followers || got.Engagement.Reads != tt.reads {
				t.Errorf("%s of %s = %d/%d, %d reads; want %d/%d, %d reads", name, tt.county, got.Followers, got.Members, got.Engagement.Reads, tt.followers, tt.members, tt.reads)
			}
		}
	}
}

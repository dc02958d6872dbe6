package rank_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"followrank/model"
	"followrank/rank"
	"followrank/units"
)

// The declarative cases (cases_test.go) hold Memory to the store's answers;
// these tests pin what the cases cannot reach: versions out of order, codes
// the tree does not know, errors and callbacks.

func newMemory(t *testing.T, extra ...units.Node) *rank.Memory {
	t.Helper()
	tree, err := units.NewTree(append(slices.Clone(builtin()), extra...))
	if err != nil {
		t.Fatal(err)
	}
	return rank.NewMemory(tree)
}

func reads(code, date string, n uint64) model.Figure {
	return model.Figure{Unit: code, Date: day(date), Engagement: model.Engagement{Reads: n}}
}

// collect lists what an Each method passes on, one line a figure.
func collect(t *testing.T, each func(fn func(model.Figure) error) error) []string {
	t.Helper()
	var out []string
	err := each(func(f model.Figure) error {
		out = append(out, fmt.Sprintf("%s %s %v %d/%d r%d", f.Unit, f.Date.Format(time.DateOnly), f.HasStock, f.Followers, f.Members, f.Reads))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func wantLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func TestMemoryOrderAndScope(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t, units.Node{Code: "341622001", Name: "城关镇", Parent: "341622", Level: units.Unit})
	if err := m.Add(1,
		stock("341622001", "2024-06-30", 10, 5),
		stock("341622", "2024-06-20", 100, 60),
		stock("341622", "2024-06-10", 100, 50),
		stock("340102", "2024-06-30", 100, 40),
		stock("999999", "2024-06-30", 100, 30), // a unit the tree does not know
		reads("341621", "2024-06-15", 7),
	); err != nil {
		t.Fatal(err)
	}
	from, to := day("2024-06-01"), day("2024-06-30")
	stocks := func(scope string) []string {
		return collect(t, func(fn func(model.Figure) error) error { return m.EachStock(ctx, scope, from, to, fn) })
	}
	wantLines(t, "EachStock in 亳州市", stocks("341600"),
		"341622 2024-06-20 true 60/100 r0", "341622001 2024-06-30 true 5/10 r0")
	wantLines(t, "EachStock in 蒙城县, which is in its own scope", stocks("341622"),
		"341622 2024-06-20 true 60/100 r0", "341622001 2024-06-30 true 5/10 r0")
	wantLines(t, "EachStock in the country, unknown units included", stocks(units.Root),
		"340102 2024-06-30 true 40/100 r0", "341622 2024-06-20 true 60/100 r0", "341622001 2024-06-30 true 5/10 r0", "999999 2024-06-30 true 30/100 r0")
	wantLines(t, "EachReport in 亳州市, by unit and day",
		collect(t, func(fn func(model.Figure) error) error { return m.EachReport(ctx, "341600", from, to, false, fn) }),
		"341621 2024-06-15 false 0/0 r7", "341622 2024-06-10 true 50/100 r0", "341622 2024-06-20 true 60/100 r0", "341622001 2024-06-30 true 5/10 r0")
	wantLines(t, "EachReport of stocks in 亳州市",
		collect(t, func(fn func(model.Figure) error) error { return m.EachReport(ctx, "341600", from, to, true, fn) }),
		"341622 2024-06-10 true 50/100 r0", "341622 2024-06-20 true 60/100 r0", "341622001 2024-06-30 true 5/10 r0")
	wantLines(t, "EachStock in a window that ends before the later report", collect(t, func(fn func(model.Figure) error) error {
		return m.EachStock(ctx, "341622", from, day("2024-06-19"), fn)
	}), "341622 2024-06-10 true 50/100 r0")
}

func TestMemoryVersions(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	f := stock("341622", "2024-06-30", 100, 90)
	f.Reads = 5
	must(m.Add(10, f))
	must(m.Add(5, stock("341622", "2024-06-30", 100, 10), reads("341622", "2024-06-30", 1))) // older versions, added later
	must(m.Add(20, reads("341622", "2024-06-30", 20)))                                       // newer, without a stock
	must(m.Add(30, stock("341621", "2024-06-30", 100, 10)))
	must(m.Add(30, stock("341621", "2024-06-30", 100, 40))) // the same version again: the later Add wins

	from, to := day("2024-06-01"), day("2024-06-30")
	wantLines(t, "EachReport",
		collect(t, func(fn func(model.Figure) error) error { return m.EachReport(ctx, "341600", from, to, false, fn) }),
		"341621 2024-06-30 true 40/100 r0", "341622 2024-06-30 true 90/100 r20")
	wantLines(t, "EachStock",
		collect(t, func(fn func(model.Figure) error) error { return m.EachStock(ctx, "341600", from, to, fn) }),
		"341621 2024-06-30 true 40/100 r0", "341622 2024-06-30 true 90/100 r0")
	eng, err := m.Engagement(ctx, "341600", from, to)
	must(err)
	if len(eng) != 1 || eng["341622"].Reads != 20 {
		t.Errorf("Engagement = %v, want only 341622 with the newest ingestion's 20 reads", eng)
	}
	figs, err := m.StocksOf(ctx, []string{"341622", "341621"}, to)
	must(err)
	var got []string
	for _, f := range figs {
		got = append(got, fmt.Sprintf("%s %d/%d", f.Unit, f.Followers, f.Members))
	}
	wantLines(t, "StocksOf", got, "341621 40/100", "341622 90/100")
}

func TestMemoryStocksOf(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t)
	if err := m.Add(1,
		stock("341622", "2024-01-31", 100, 10),
		stock("341622", "2024-03-31", 100, 30),
		reads("341622", "2024-04-30", 9), // no stock: not a report of one
		stock("999999", "2024-02-29", 100, 20),
		stock("341621", "2024-05-31", 100, 50), // after the day
	); err != nil {
		t.Fatal(err)
	}
	figs, err := m.StocksOf(ctx, []string{"999999", "341622", "341621", "341622", "110101"}, day("2024-04-30"))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range figs {
		got = append(got, fmt.Sprintf("%s %s %v %d/%d", f.Unit, f.Date.Format(time.DateOnly), f.HasStock, f.Followers, f.Members))
	}
	// In code order, once each, whether or not the tree knows the unit.
	wantLines(t, "StocksOf", got, "341622 2024-03-31 true 30/100", "999999 2024-02-29 true 20/100")
	if figs, _ := m.StocksOf(ctx, []string{"341621"}, day("2024-01-01")); figs != nil {
		t.Errorf("StocksOf before any report = %v, want nil", figs)
	}
}

func TestMemoryEngagement(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t)
	if err := m.Add(1,
		reads("341622", "2024-05-31", 1000),
		reads("341622", "2024-06-01", 10),
		reads("341622", "2024-06-30", 20),
		reads("341622", "2024-07-01", 500),
		stock("341621", "2024-06-30", 100, 50), // no engagement: left out
		reads("340102", "2024-06-15", 3),       // outside the scope
	); err != nil {
		t.Fatal(err)
	}
	if err := m.Add(2, stock("341623", "2024-06-15", 100, 50)); err != nil {
		t.Fatal(err)
	}
	eng, err := m.Engagement(ctx, "341600", day("2024-06-01"), day("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]model.Engagement{"341622": {Reads: 30}}; fmt.Sprint(eng) != fmt.Sprint(want) {
		t.Errorf("Engagement = %v, want %v", eng, want)
	}
	if eng, _ := m.Engagement(ctx, "341623", day("2024-06-01"), day("2024-06-30")); eng == nil || len(eng) != 0 {
		t.Errorf("Engagement of a unit without any = %#v, want an empty map", eng)
	}
}

func TestMemoryRejectsDatesTheStoreRejects(t *testing.T) {
	m := newMemory(t)
	noon := stock("341622", "2024-06-30", 100, 90)
	noon.Date = noon.Date.Add(12 * time.Hour)
	if err := m.Add(1, stock("341621", "2024-06-30", 100, 50), noon); err == nil {
		t.Fatal("Add took a date at noon")
	}
	if err := m.Add(1, stock("341621", "1969-12-31", 100, 50)); err == nil {
		t.Fatal("Add took a date before 1970")
	}
	figs, _ := m.StocksOf(context.Background(), []string{"341621", "341622"}, day("2024-06-30"))
	if len(figs) != 0 {
		t.Errorf("a rejected Add stored %v", figs)
	}
	// A day at 00:00 UTC given in another zone is that day, as in the store.
	east := time.FixedZone("CST", 8*3600)
	f := stock("341622", "2024-06-30", 100, 90)
	f.Date, f.Line = f.Date.In(east), 7
	if err := m.Add(1, f); err != nil {
		t.Fatal(err)
	}
	figs, _ = m.StocksOf(context.Background(), []string{"341622"}, day("2024-06-30"))
	if len(figs) != 1 || !figs[0].Date.Equal(day("2024-06-30")) || figs[0].Date.Location() != time.UTC || figs[0].Line != 0 {
		t.Errorf("StocksOf = %+v, want the report of 2024-06-30 in UTC without its line", figs)
	}
}

func TestMemoryCallbacks(t *testing.T) {
	ctx := context.Background()
	m := newMemory(t)
	if err := m.Add(1, stock("341621", "2024-06-30", 100, 50), stock("341622", "2024-06-30", 100, 90)); err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	calls := 0
	err := m.EachReport(ctx, "341600", day("2024-06-01"), day("2024-06-30"), false, func(model.Figure) error {
		calls++
		return stop
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Errorf("EachReport after the callback's error: %v, %d calls; want stop after 1", err, calls)
	}
	// A callback may add figures: the reading holds no lock while it runs.
	err = m.EachStock(ctx, "341600", day("2024-06-01"), day("2024-06-30"), func(f model.Figure) error {
		return m.Add(2, reads(f.Unit, "2024-06-30", 1))
	})
	if err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := m.Engagement(cancelled, "341600", day("2024-06-01"), day("2024-06-30")); !errors.Is(err, context.Canceled) {
		t.Errorf("Engagement with a cancelled context: %v", err)
	}
}

// TestMemoryEngine ranks over Memory the way the pages do: the engine's
// one-day and series reads agree on it.
func TestMemoryEngine(t *testing.T) {
	ctx := context.Background()
	tree, err := units.NewTree(builtin())
	if err != nil {
		t.Fatal(err)
	}
	m := rank.NewMemory(tree)
	if err := m.Add(1,
		stock("341602", "2024-05-31", 100, 90), stock("341621", "2024-03-31", 100, 80),
		stock("341622", "2024-06-30", 100, 95), reads("341622", "2024-06-12", 40), stock("341600", "2024-01-31", 900, 100),
	); err != nil {
		t.Fatal(err)
	}
	e := rank.New(m, tree, 45)
	bozhou, _ := tree.Get("341600")
	one, err := e.Snapshot(ctx, bozhou, day("2024-06-30"))
	if err != nil {
		t.Fatal(err)
	}
	series, err := e.Snapshots(ctx, bozhou, []time.Time{day("2024-05-31"), day("2024-06-30")}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range tree.Descendants("341600", units.County) {
		a, _ := one.Get(n.Code)
		b, _ := rank.At(series, day("2024-06-30")).Get(n.Code)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Errorf("%s: Snapshot %+v, Snapshots %+v", n.Code, a, b)
		}
	}
	total, _ := one.Get("341600")
	if total.Members != 300 || total.Followers != 265 || !total.Stale || total.Reported || total.Engagement.Reads != 40 {
		t.Errorf("亳州市 = %+v, want the sum 265/300 of its counties, stale, with 40 reads", total)
	}
}

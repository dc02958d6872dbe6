package rank_test

import (
	"context"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"followrank/model"
	"followrank/rank"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

// readCounter is the store, counting the reads of reports the engine makes.
type readCounter struct {
	*store.Store
	reads atomic.Int64
}

func (c *readCounter) EachStock(ctx context.Context, scope string, from, to time.Time, fn func(model.Figure) error) error {
	c.reads.Add(1)
	return c.Store.EachStock(ctx, scope, from, to, fn)
}

func (c *readCounter) StocksOf(ctx context.Context, codes []string, day time.Time) ([]model.Figure, error) {
	c.reads.Add(1)
	return c.Store.StocksOf(ctx, codes, day)
}

func (c *readCounter) EachReport(ctx context.Context, scope string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	c.reads.Add(1)
	return c.Store.EachReport(ctx, scope, from, to, stocksOnly, fn)
}

func (c *readCounter) EachReportOf(ctx context.Context, codes []string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	c.reads.Add(1)
	return c.Store.EachReportOf(ctx, codes, from, to, stocksOnly, fn)
}

// TestClimbThroughTheCountryKept: a climb through the country at a version
// of the figures keeps the divisions' states in ClickHouse; the next climb
// at that version — by a new engine, as in another process — reads no
// reports and gives the same steps and rankings, for a province and for a
// city. A run that lands (another version) is computed again and shows its
// figures; a climb over more days computes those only; the climbs of other
// staleness windows and of engagement are never answered from them.
func TestClimbThroughTheCountryKept(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	figs := []model.Figure{
		stock("341622", "2024-04-30", 100, 40), stock("341622", "2024-05-31", 100, 60), stock("341622", "2024-06-30", 100, 90),
		stock("340102", "2024-04-30", 200, 100), stock("340102", "2024-05-31", 200, 110),
		stock("320102", "2024-04-30", 100, 70), stock("320102", "2024-05-31", 100, 72), stock("320102", "2024-06-30", 100, 74),
		stock("330102", "2024-03-31", 100, 50), // carried forward, stale by June
	}
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), figs); err != nil {
		t.Fatal(err)
	}
	tree, err := units.NewCache(s, 0).Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	china, _ := tree.Get(units.Root)
	anhui, _ := tree.Get("340000")
	bozhou, _ := tree.Get("341600")
	dates, _ := rank.Dates(day("2024-04-01"), day("2024-06-30"), rank.Monthly)
	climbOver := func(ctx context.Context, unit units.Node, dates []time.Time, staleDays int, withEngagement bool) (*rank.Climb, int64) {
		t.Helper()
		c := &readCounter{Store: s}
		got, err := rank.New(c, tree, staleDays).Climb(ctx, unit, china, dates, withEngagement)
		if err != nil {
			t.Fatal(err)
		}
		return got, c.reads.Load()
	}
	climb := func(ctx context.Context, unit units.Node, staleDays int, withEngagement bool) (*rank.Climb, int64) {
		t.Helper()
		return climbOver(ctx, unit, dates, staleDays, withEngagement)
	}
	same := func(what string, got, want *rank.Climb) {
		t.Helper()
		if !reflect.DeepEqual(got.Steps, want.Steps) {
			t.Errorf("%s: steps\n got %+v\nwant %+v", what, got.Steps, want.Steps)
		}
		if !reflect.DeepEqual(got.Rankings, want.Rankings) {
			t.Errorf("%s: rankings differ from the computed ones", what)
		}
	}

	computed, _ := climb(ctx, anhui, 45, false)
	cityComputed, _ := climb(ctx, bozhou, 45, false)
	v1 := rank.WithVersion(ctx, "v1")
	first, reads := climb(v1, anhui, 45, false)
	if reads == 0 {
		t.Fatal("the first climb at v1 read no reports")
	}
	same("first climb at v1", first, computed)
	kept, reads := climb(v1, anhui, 45, false)
	if reads != 0 {
		t.Errorf("the second climb at v1 read reports %d times; want its roll-ups kept", reads)
	}
	same("kept climb of 安徽省", kept, computed)
	city, reads := climb(v1, bozhou, 45, false)
	if reads != 0 {
		t.Errorf("the climb of 亳州市 at v1 read reports %d times", reads)
	}
	same("kept climb of 亳州市", city, cityComputed)
	// A climb from March reads March only, and keeps it.
	longer := append([]time.Time{day("2024-03-31")}, dates...)
	longerComputed, _ := climbOver(ctx, anhui, longer, 45, false)
	got, reads := climbOver(v1, anhui, longer, 45, false)
	if reads == 0 {
		t.Error("the climb from March, not kept, read no reports")
	}
	same("climb from March", got, longerComputed)
	if got, reads := climbOver(v1, anhui, longer, 45, false); reads != 0 {
		t.Errorf("the second climb from March read reports %d times", reads)
	} else {
		same("kept climb from March", got, longerComputed)
	}
	if _, reads := climb(v1, anhui, 30, false); reads == 0 {
		t.Error("a climb with another staleness window was answered from v1's roll-ups")
	}
	if _, reads := climb(v1, anhui, 45, true); reads == 0 {
		t.Error("a climb with engagement was answered from roll-ups without it")
	}

	// A run lands: 安徽's June climbs to the top.
	if err := s.WriteFigures(ctx, "test", model.NewRunID(), []model.Figure{stock("340102", "2024-06-30", 200, 199)}); err != nil {
		t.Fatal(err)
	}
	v2 := rank.WithVersion(ctx, "v2")
	after, reads := climb(v2, anhui, 45, false)
	if reads == 0 {
		t.Fatal("the climb at v2 read no reports: answered from v1's roll-ups")
	}
	recomputed, _ := climb(ctx, anhui, 45, false)
	same("climb at v2", after, recomputed)
	if last := after.Steps[len(after.Steps)-1]; last.Rank != 1 || last.Followers != 90+199 {
		t.Errorf("June at v2: rank %d with %d followers; want 1 with 289", last.Rank, last.Followers)
	}
	again, reads := climb(v2, anhui, 45, false)
	if reads != 0 {
		t.Errorf("the second climb at v2 read reports %d times", reads)
	}
	same("kept climb at v2", again, recomputed)
}

package rank_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"followrank/ingest/demo"
	"followrank/rank"
	"followrank/units"
)

// TestKeptSnapshotsAnswerAsTheScopesOwn: a scope's snapshot seen within the
// country's kept one ranks, totals and compares exactly as the scope's own
// snapshot does, for a province, a city, a county and its units; and a new
// version of the figures is read afresh.
func TestKeptSnapshotsAnswerAsTheScopesOwn(t *testing.T) {
	d := demo.New()
	tree, err := units.NewTree(append(units.Builtin(), d.Units()...))
	if err != nil {
		t.Fatal(err)
	}
	m := rank.NewMemory(tree)
	if err := m.Add(1, d.Figures(tree)...); err != nil {
		t.Fatal(err)
	}
	e := rank.New(m, tree, 45)
	date, prev := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
	kept := rank.WithVersion(context.Background(), "v1")
	// The first request reads its own scope and has the country read in
	// the background; wait for it.
	settle := func(ctx context.Context, days ...time.Time) {
		t.Helper()
		anhui, _ := tree.Get("340000")
		for start := time.Now(); !e.Kept(ctx, days, true); time.Sleep(5 * time.Millisecond) {
			if _, err := e.Snapshots(ctx, anhui, days, true); err != nil {
				t.Fatal(err)
			}
			if time.Since(start) > 10*time.Second {
				t.Fatal("the country's snapshots were not kept within 10 s")
			}
		}
	}
	settle(kept, prev, date)
	for _, tt := range []struct {
		scope string
		level units.Level
	}{
		{"340000", units.County}, {"340000", units.City}, {"341600", units.County}, {"341622", units.Unit}, {units.Root, units.Province},
	} {
		scope, _ := tree.Get(tt.scope)
		ranking := func(ctx context.Context) *rank.Ranking {
			t.Helper()
			snaps, err := e.Snapshots(ctx, scope, []time.Time{prev, date}, true)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.RankOf(tt.level, rank.At(snaps, date), rank.At(snaps, prev))
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		own, seen := ranking(context.Background()), ranking(kept)
		if !reflect.DeepEqual(own, seen) {
			t.Errorf("%s by %s: the kept country's view differs from the scope's own:\n own %+v\nseen %+v", scope.Name, tt.level, own, seen)
		}
		if len(own.Rows) == 0 {
			t.Errorf("%s by %s: nothing ranked", scope.Name, tt.level)
		}
	}

	// New figures at a new version are seen; at the old version they are not.
	anhui, _ := tree.Get("340000")
	mengcheng, _ := tree.Get("341622")
	before, _ := e.Snapshots(kept, anhui, []time.Time{date}, true)
	st, _ := before[0].Get(mengcheng.Code)
	fig := d.Figures(tree)[0]
	fig.Unit, fig.Date, fig.HasStock, fig.Members, fig.Followers = mengcheng.Code, date, true, 4000, 4000
	if err := m.Add(2, fig); err != nil {
		t.Fatal(err)
	}
	again, _ := e.Snapshots(kept, anhui, []time.Time{date}, true)
	if got, _ := again[0].Get(mengcheng.Code); got.Followers != st.Followers {
		t.Errorf("at the same version the kept snapshot changed: %d followers, kept %d", got.Followers, st.Followers)
	}
	v2 := rank.WithVersion(context.Background(), "v2")
	settle(v2, date)
	after, _ := e.Snapshots(v2, anhui, []time.Time{date}, true)
	if got, _ := after[0].Get(mengcheng.Code); got.Followers != 4000 {
		t.Errorf("at a new version 蒙城县 has %d followers, want the 4000 just stored", got.Followers)
	}
}

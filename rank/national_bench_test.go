package rank_test

import (
	"context"
	"fmt"
	"io"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/model"
	"followrank/pages"
	"followrank/rank"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

const (
	nationalUnits  = 100_000
	nationalMonths = 36
)

var nationalStart = time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)

// nationalStore holds China's 2,851 county-level divisions with 100,000
// units below them, 36 month-end reports of every unit, and daily
// engagement of every county over the three years (6.7 million rows). It is
// loaded once into followrank_bench_national and kept for later runs.
func nationalStore(b *testing.B) (*store.Store, *rank.Engine) {
	counties := func() []units.Node {
		tree, _ := units.NewTree(units.Builtin())
		return tree.Descendants(units.Root, units.County)
	}()
	days := int(nationalStart.AddDate(0, nationalMonths, 0).Sub(nationalStart).Hours() / 24)
	want := uint64(nationalUnits*nationalMonths + len(counties)*days)
	s := storetest.Persistent(b, "followrank_bench_national", want, func(s *store.Store) error {
		ctx := context.Background()
		tree, _ := units.NewTree(units.Builtin())
		nodes := make([]units.Node, nationalUnits)
		for i := range nodes {
			c := counties[i%len(counties)]
			nodes[i] = units.Node{Code: fmt.Sprintf("N%06d", i), Name: fmt.Sprintf("%s单位%d", c.Name, i/len(counties)), Parent: c.Code, Level: units.Unit}
		}
		full, err := units.NewTree(append(tree.All(), nodes...))
		if err != nil {
			return err
		}
		if err := s.SaveUnits(ctx, full, nodes, "bench", 2); err != nil {
			return err
		}
		batch := make([]model.Figure, 0, 200_000)
		put := func(f model.Figure) error {
			batch = append(batch, f)
			if len(batch) == cap(batch) {
				err := s.WriteFigures(ctx, "bench", "bench", batch)
				batch = batch[:0]
				return err
			}
			return nil
		}
		for m := 0; m < nationalMonths; m++ {
			end := nationalStart.AddDate(0, m+1, -1)
			for i, n := range nodes {
				members := uint32(20 + i%80)
				if err := put(model.Figure{Unit: n.Code, Date: end, HasStock: true, Members: members, Followers: members * uint32(25+(i+3*m)%75) / 100}); err != nil {
					return err
				}
			}
		}
		for d := 0; d < days; d++ {
			day := nationalStart.AddDate(0, 0, d)
			for i, c := range counties {
				if err := put(model.Figure{Unit: c.Code, Date: day, Engagement: model.Engagement{Reads: uint64(100 + (i+d)%400), Shares: uint64(5 + i%20)}}); err != nil {
					return err
				}
			}
		}
		return s.WriteFigures(ctx, "bench", "bench", batch)
	})
	m, err := newEngine(context.Background(), s, 45)
	if err != nil {
		b.Fatal(err)
	}
	return s, m
}

// counted gives a context whose queries add the rows ClickHouse read to n.
func counted(n *atomic.Int64) context.Context {
	return clickhouse.Context(context.Background(), clickhouse.WithProgress(func(p *clickhouse.Progress) { n.Add(int64(p.Rows)) }))
}

// benchQuery runs a query b.N times after one run that warms the caches,
// and reports, besides the mean, the median time (this machine is shared:
// one slow run moves the mean) and the rows ClickHouse read per run.
func benchQuery(b *testing.B, run func(ctx context.Context) error) {
	var rows atomic.Int64
	ctx := counted(&rows)
	if err := run(ctx); err != nil { // warm the caches once
		b.Fatal(err)
	}
	rows.Store(0)
	times := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		start := time.Now()
		if err := run(ctx); err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "ms_median")
	b.ReportMetric(float64(rows.Load())/float64(b.N), "rows_read/op")
}

func lastMonth() time.Time { return nationalStart.AddDate(0, nationalMonths, -1) }

func BenchmarkNationalCountyRankingInProvince(b *testing.B) {
	_, m := nationalStore(b)
	anhui, _ := m.Tree().Get("340000")
	benchQuery(b, func(ctx context.Context) error {
		r, err := m.Rank(ctx, units.County, anhui, lastMonth(), time.Time{})
		if err == nil && r.Ranked != 104 {
			err = fmt.Errorf("%d counties ranked", r.Ranked)
		}
		return err
	})
}

func BenchmarkNationalCityRankingInCountry(b *testing.B) {
	_, m := nationalStore(b)
	china, _ := m.Tree().Get(units.Root)
	benchQuery(b, func(ctx context.Context) error {
		r, err := m.Rank(ctx, units.City, china, lastMonth(), time.Time{})
		if err == nil && r.Ranked < 300 {
			err = fmt.Errorf("%d cities ranked", r.Ranked)
		}
		return err
	})
}

func BenchmarkNationalClimb36Months(b *testing.B) {
	_, m := nationalStore(b)
	anhui, _ := m.Tree().Get("340000")
	mengcheng, _ := m.Tree().Get("341622")
	dates, _ := rank.Dates(nationalStart, lastMonth(), rank.Monthly)
	benchQuery(b, func(ctx context.Context) error {
		c, err := m.Climb(ctx, mengcheng, anhui, dates, false)
		if err == nil && len(c.Steps) != nationalMonths {
			err = fmt.Errorf("%d steps", len(c.Steps))
		}
		return err
	})
}

// BenchmarkNationalClimbProvinceInCountry follows a province through 36
// months of the country's ranking: every unit's reports of three years
// (3.6 million) are read and rolled up, one month at a time.
func BenchmarkNationalClimbProvinceInCountry(b *testing.B) {
	_, m := nationalStore(b)
	china, _ := m.Tree().Get(units.Root)
	anhui, _ := m.Tree().Get("340000")
	dates, _ := rank.Dates(nationalStart, lastMonth(), rank.Monthly)
	b.ReportAllocs()
	benchQuery(b, func(ctx context.Context) error {
		c, err := m.Climb(ctx, anhui, china, dates, false)
		if err == nil && len(c.Steps) != nationalMonths {
			err = fmt.Errorf("%d steps", len(c.Steps))
		}
		return err
	})
}

// BenchmarkNationalClimbProvinceInCountryKept is that climb at a version
// of the figures whose roll-ups a first climb kept in ClickHouse, by a new
// engine each time, as a process that has just started: cold, but for
// ClickHouse's own caches.
func BenchmarkNationalClimbProvinceInCountryKept(b *testing.B) {
	s, m := nationalStore(b)
	china, _ := m.Tree().Get(units.Root)
	anhui, _ := m.Tree().Get("340000")
	dates, _ := rank.Dates(nationalStart, lastMonth(), rank.Monthly)
	version, err := s.RunsVersion(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	benchQuery(b, func(ctx context.Context) error {
		m := rank.New(s, m.Tree(), 45)
		c, err := m.Climb(rank.WithVersion(ctx, "bench "+version), anhui, china, dates, false)
		if err == nil && len(c.Steps) != nationalMonths {
			err = fmt.Errorf("%d steps", len(c.Steps))
		}
		return err
	})
}

// BenchmarkNationalDashboard is the dashboard of a province end to end: its
// queries (rankings, 36-month climb with engagement, map, trend) and the page.
func BenchmarkNationalDashboard(b *testing.B) {
	s, m := nationalStore(b)
	anhui, _ := m.Tree().Get("340000")
	mengcheng, _ := m.Tree().Get("341622")
	benchQuery(b, func(ctx context.Context) error {
		page, err := pages.Builder{Engine: m, Accounts: s}.Build(ctx, pages.Spec{Kind: "dashboard", Scope: anhui, Unit: mengcheng, Date: lastMonth(), From: nationalStart})
		if err != nil {
			return err
		}
		return page.Write(io.Discard)
	})
}

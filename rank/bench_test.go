package rank_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"followrank/model"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

const (
	benchUnits = 10_000
	benchDays  = 730
)

// benchStore holds 10,000 units below Anhui's 104 counties with two years
// of daily figures (7.3 million rows). It is loaded once and kept in the
// database followrank_bench_rank for later runs.
func benchStore(b *testing.B) *store.Store {
	return storetest.Persistent(b, "followrank_bench_rank", benchUnits*benchDays, func(s *store.Store) error {
		ctx := context.Background()
		tree, err := units.NewTree(units.Builtin())
		if err != nil {
			return err
		}
		counties := tree.Descendants("340000", units.County)
		nodes := make([]units.Node, benchUnits)
		all := tree.All()
		for i := range nodes {
			nodes[i] = units.Node{Code: fmt.Sprintf("U%05d", i), Name: fmt.Sprintf("单位%05d", i), Parent: counties[i%len(counties)].Code, Level: units.Unit}
		}
		full, err := units.NewTree(append(all, nodes...))
		if err != nil {
			return err
		}
		if err := s.SaveUnits(ctx, full, nodes, "bench", 2); err != nil {
			return err
		}
		start := time.Date(2022, 7, 1, 0, 0, 0, 0, time.UTC)
		batch := make([]model.Figure, 0, 100_000)
		for d := 0; d < benchDays; d++ {
			day := start.AddDate(0, 0, d)
			for i := 0; i < benchUnits; i++ {
				m := uint32(50 + i%200)
				batch = append(batch, model.Figure{Unit: nodes[i].Code, Date: day, HasStock: true, Members: m,
					Followers: m * uint32(20+(i+d/30)%80) / 100, Engagement: model.Engagement{Reads: uint64(i % 37), Shares: uint64(i % 5)}})
				if len(batch) == cap(batch) {
					if err := s.WriteFigures(ctx, "bench", "bench", batch); err != nil {
						return err
					}
					batch = batch[:0]
				}
			}
		}
		return s.WriteFigures(ctx, "bench", "bench", batch)
	})
}

// BenchmarkRankCountiesOver10kUnits ranks Anhui's counties on one date,
// each the roll-up of its units' latest daily figures.
func BenchmarkRankCountiesOver10kUnits(b *testing.B) {
	s := benchStore(b)
	ctx := context.Background()
	e, err := newEngine(ctx, s, 45)
	if err != nil {
		b.Fatal(err)
	}
	anhui, _ := e.Tree().Get("340000")
	day := time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)
	benchQuery(b, func(ctx context.Context) error {
		r, err := e.Rank(ctx, units.County, anhui, day, time.Time{})
		if err == nil && r.Ranked != 104 {
			err = fmt.Errorf("%d counties ranked, want 104", r.Ranked)
		}
		return err
	})
}

package metrics_test

import (
	"context"
	"testing"
	"time"
)

func BenchmarkTmpParts(b *testing.B) {
	s, m := nationalStore(b)
	ctx := context.Background()
	day := lastMonth()
	since := day.AddDate(0, 0, -45)
	var codes []string
	for _, n := range m.Tree().All() {
		if n.Level != "unit" {
			codes = append(codes, n.Code)
		}
	}
	for i := 0; i < 5; i++ {
		t := time.Now()
		st, _ := s.Stocks(ctx, "000000", since, day)
		t1 := time.Now()
		o, _ := s.StocksOf(ctx, codes, since.AddDate(0, 0, -1))
		t2 := time.Now()
		e, _ := s.Engagement(ctx, "000000", time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC), day)
		t3 := time.Now()
		b.Logf("stocks %d %v; of %d %v; eng %d %v", len(st), t1.Sub(t), len(o), t2.Sub(t1), len(e), t3.Sub(t2))
	}
}

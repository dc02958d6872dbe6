package ingest

import (
	"math/rand/v2"
	"testing"
)

// TestSeenDaysFindsEveryDuplicate checks the duplicate check against a map
// of every day taken, for sheets in date order, in unit order, with gaps,
// backwards and in no order.
func TestSeenDaysFindsEveryDuplicate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	type take struct{ day, line int32 }
	orders := map[string]func() []take{
		"date order, every day": func() []take {
			var out []take
			for d := int32(0); d < 500; d++ {
				out = append(out, take{19000 + d, 3 + d*2851})
			}
			return out
		},
		"unit order, repeated": func() []take {
			var out []take
			for d := int32(0); d < 300; d++ {
				out = append(out, take{19000 + d, 10 + d})
			}
			for d := int32(0); d < 300; d += 7 {
				out = append(out, take{19000 + d, 400 + d})
			}
			return out
		},
		"gaps and uneven lines": func() []take {
			var out []take
			line := int32(2)
			for d := int32(0); d < 400; d++ {
				if d%5 == 0 {
					continue
				}
				line += 1 + int32(rng.IntN(3))
				out = append(out, take{19000 + d, line})
			}
			return out
		},
		"backwards": func() []take {
			var out []take
			for d := int32(200); d >= 0; d-- {
				out = append(out, take{19000 + d, 1000 - d})
			}
			return append(out, take{19100, 2000})
		},
		"no order, with repeats": func() []take {
			var out []take
			for i := int32(0); i < 2000; i++ {
				out = append(out, take{19000 + int32(rng.IntN(600)), i + 2})
			}
			return out
		},
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			var s seenDays
			want := map[int32]int32{}
			for _, tk := range order() {
				first, dup := s.take(tk.day, tk.line)
				wantFirst, wantDup := want[tk.day]
				if dup != wantDup || (dup && first != wantFirst) {
					t.Fatalf("take(%d, line %d) = %d, %v; want %d, %v", tk.day, tk.line, first, dup, wantFirst, wantDup)
				}
				if !dup {
					want[tk.day] = tk.line
				}
			}
		})
	}
	var s seenDays
	for d := int32(0); d < 100_000; d++ {
		s.take(d, 3+d*2851)
	}
	if len(s.runs) != 1 {
		t.Errorf("100,000 days in date order took %d runs, want 1", len(s.runs))
	}
}

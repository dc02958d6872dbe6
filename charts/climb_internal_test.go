package charts

import (
	"slices"
	"testing"
)

func TestRankTicks(t *testing.T) {
	for _, tt := range []struct {
		of   int
		want []int
	}{
		{1, []int{1}},
		{3, []int{1, 2, 3}},
		{12, []int{1, 2, 4, 6, 8, 10, 12}},
		{16, []int{1, 5, 10, 16}},
		{104, []int{1, 20, 40, 60, 80, 104}}, // not 100 right above 104
		{2851, []int{1, 500, 1000, 1500, 2000, 2500, 2851}},
	} {
		if got := rankTicks(tt.of); !slices.Equal(got, tt.want) {
			t.Errorf("rankTicks(%d) = %v, want %v", tt.of, got, tt.want)
		}
	}
}

package pages_test

import (
	"slices"
	"testing"
	"time"

	"followrank/pages"
	"followrank/push"
	"followrank/rank"
	"followrank/remind"
	"followrank/units"
)

// TestSummaryOfARanking: the top and the bottom three of the ranked units
// (never sharing one, and never the unranked), the unit that gained most
// places, and the 催报 counts.
func TestSummaryOfARanking(t *testing.T) {
	day := time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC)
	// A unit ranked reported on the day; one not ranked never did.
	row := func(name string, place, prev int, followers uint64) rank.Row {
		st := rank.State{Unit: units.Node{Code: name, Name: name}}
		if place > 0 {
			st.Members, st.Followers, st.Reported, st.ReportDate = 100, followers, true, day
		}
		return rank.Row{Rank: place, PrevRank: prev, State: st}
	}
	tests := []struct {
		name        string
		rows        []rank.Row
		top, bottom []string
		climber     string
		unreported  int
	}{
		{"seven ranked, one not",
			[]rank.Row{row("甲", 1, 4, 99), row("乙", 2, 1, 95), row("丙", 3, 7, 90), row("丁", 4, 2, 80), row("戊", 5, 3, 70), row("己", 6, 5, 60), row("庚", 7, 6, 50), row("辛", 0, 0, 0)},
			[]string{"甲", "乙", "丙"}, []string{"戊", "己", "庚"}, "丙", 1},
		{"four ranked: two and two", []rank.Row{row("甲", 1, 1, 99), row("乙", 2, 2, 95), row("丙", 3, 3, 90), row("丁", 4, 4, 80)},
			[]string{"甲", "乙"}, []string{"丙", "丁"}, "", 0},
		{"one ranked: no lists", []rank.Row{row("甲", 1, 0, 99)}, nil, nil, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ranked := 0
			for _, r := range tt.rows {
				if r.Rank > 0 {
					ranked++
				}
			}
			r := &rank.Ranking{Within: units.Node{Code: "341622", Name: "蒙城县"}, Date: day, Rows: tt.rows, Ranked: ranked}
			var l *remind.List
			if tt.unreported > 0 {
				l = remind.Check(r, nil, remind.Options{})
			}
			s := pages.Summary(r, l, "https://example.gov.cn/")
			names := func(es []push.Entry) []string {
				var out []string
				for _, e := range es {
					out = append(out, e.Name)
				}
				return out
			}
			if got := names(s.Top); !slices.Equal(got, tt.top) {
				t.Errorf("top %v, want %v", got, tt.top)
			}
			if got := names(s.Bottom); !slices.Equal(got, tt.bottom) {
				t.Errorf("bottom %v, want %v", got, tt.bottom)
			}
			switch {
			case tt.climber == "" && s.Climber != nil:
				t.Errorf("climber %+v, want none", s.Climber)
			case tt.climber != "" && (s.Climber == nil || s.Climber.Name != tt.climber):
				t.Errorf("climber %+v, want %s", s.Climber, tt.climber)
			}
			if s.Unreported != tt.unreported || s.Scope != "蒙城县" || s.Ranked != ranked || s.Link != "https://example.gov.cn/" {
				t.Errorf("summary %+v", s)
			}
		})
	}
}

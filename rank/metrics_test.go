package rank_test

import (
	"context"
	"testing"
	"time"

	"followrank/ingest/demo"
	"followrank/model"
	"followrank/rank"
	"followrank/store/storetest"
	"followrank/units"
	"followrank/wording"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func figs(code string, members, followers uint64) rank.State {
	return rank.State{Unit: units.Node{Code: code, Name: code}, Members: members, Followers: followers}
}

func TestRankFigures(t *testing.T) {
	tests := []struct {
		name  string
		in    []rank.State
		codes []string
		ranks []int
	}{
		{"empty scope", nil, []string{}, []int{}},
		{"single unit", []rank.State{figs("a", 10, 5)}, []string{"a"}, []int{1}},
		{"by rate descending", []rank.State{figs("a", 10, 5), figs("b", 10, 9), figs("c", 10, 7)},
			[]string{"b", "c", "a"}, []int{1, 2, 3}},
		{"ties share a rank and are listed by code", []rank.State{
			figs("d", 100, 50), figs("c", 10, 9), figs("b", 1000, 900), figs("a", 2, 1)},
			[]string{"b", "c", "a", "d"}, []int{1, 1, 3, 3}},
		{"rates equal to 0.01 pp tie", []rank.State{figs("a", 100000, 85301), figs("b", 100000, 85299)},
			[]string{"a", "b"}, []int{1, 1}},
		{"rates 0.02 pp apart do not tie", []rank.State{figs("a", 10000, 8530), figs("b", 10000, 8532)},
			[]string{"b", "a"}, []int{1, 2}},
		{"units without figures are unranked and last", []rank.State{figs("a", 0, 0), figs("b", 10, 1)},
			[]string{"b", "a"}, []int{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := rank.RankStates(tt.in)
			codes, ranks := []string{}, []int{}
			for _, r := range rows {
				codes = append(codes, r.Unit.Code)
				ranks = append(ranks, r.Rank)
			}
			if !equal(codes, tt.codes) || !equal(ranks, tt.ranks) {
				t.Fatalf("got order %v ranks %v, want %v %v", codes, ranks, tt.codes, tt.ranks)
			}
		})
	}
}

func equal[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestDemoClimberRisesFromBottomToTop(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	e, err := newEngine(ctx, s, 45)
	if err != nil {
		t.Fatal(err)
	}
	gen := demo.New()
	if err := s.WriteFigures(ctx, "demo", model.NewRunID(), gen.Figures(e.Tree())); err != nil {
		t.Fatal(err)
	}
	anhui, _ := e.Tree().Get("340000")
	mengcheng, _ := e.Tree().Get(demo.Climber)
	ends := gen.MonthEnds()
	c, err := e.Climb(ctx, mengcheng, anhui, ends, false)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range c.Steps {
		t.Logf("%s rank %d of %d rate %.4f", st.Date.Format(time.DateOnly), st.Rank, st.Of, st.Rate())
	}
	first, last := c.Steps[0], c.Steps[len(c.Steps)-1]
	if first.Of != 104 || last.Of != 104 {
		t.Fatalf("ranked %d and %d counties, want all 104 of Anhui", first.Of, last.Of)
	}
	if first.FromBottom() > 5 {
		t.Errorf("蒙城县 starts %s, want within the bottom 5", wording.Place(first.Rank, first.Of))
	}
	if last.Rank > 5 {
		t.Errorf("蒙城县 ends %s, want within the top 5", wording.Place(last.Rank, last.Of))
	}
	t.Log(wording.Summary(c))
}

func TestActivity(t *testing.T) {
	e := model.Engagement{Reads: 3100, Likes: 180, Wow: 90, Shares: 250, Comments: 21}
	if got := rank.Activity(e, 3195, 30); got < 4.685 || got > 4.695 {
		t.Errorf("Activity = %.4f, want 4.69 (the example in docs/metrics.md)", got)
	}
	if rank.Activity(e, 0, 30) != 0 || rank.Activity(e, 10, 0) != 0 {
		t.Error("Activity without followers or days is not 0")
	}
}

package metrics_test

import (
	"context"
	"testing"
	"time"

	"followrank/ingest"
	"followrank/metrics"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func figs(code string, members, followers uint64) metrics.Figures {
	return metrics.Figures{Unit: units.Node{Code: code, Name: code}, Members: members, Followers: followers}
}

func TestRankFigures(t *testing.T) {
	tests := []struct {
		name  string
		in    []metrics.Figures
		codes []string
		ranks []int
	}{
		{"empty scope", nil, []string{}, []int{}},
		{"single unit", []metrics.Figures{figs("a", 10, 5)}, []string{"a"}, []int{1}},
		{"by rate descending", []metrics.Figures{figs("a", 10, 5), figs("b", 10, 9), figs("c", 10, 7)},
			[]string{"b", "c", "a"}, []int{1, 2, 3}},
		{"ties share a rank and are listed by code", []metrics.Figures{
			figs("d", 100, 50), figs("c", 10, 9), figs("b", 1000, 900), figs("a", 2, 1)},
			[]string{"b", "c", "a", "d"}, []int{1, 1, 3, 3}},
		{"rates equal to 0.01 pp tie", []metrics.Figures{figs("a", 100000, 85301), figs("b", 100000, 85299)},
			[]string{"a", "b"}, []int{1, 1}},
		{"rates 0.02 pp apart do not tie", []metrics.Figures{figs("a", 10000, 8530), figs("b", 10000, 8532)},
			[]string{"b", "a"}, []int{1, 2}},
		{"units without figures are unranked and last", []metrics.Figures{figs("a", 0, 0), figs("b", 10, 1)},
			[]string{"b", "a"}, []int{1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows := metrics.RankFigures(tt.in)
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
	e, err := metrics.New(ctx, s, 45)
	if err != nil {
		t.Fatal(err)
	}
	demo := ingest.NewDemo()
	if err := s.WriteFigures(ctx, "demo", store.NewRunID(), demo.Figures(e.Tree())); err != nil {
		t.Fatal(err)
	}
	anhui, _ := e.Tree().Get("340000")
	mengcheng, _ := e.Tree().Get(ingest.Climber)
	ends := demo.MonthEnds()
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
		t.Errorf("蒙城县 starts %s, want within the bottom 5", metrics.Place(first.Rank, first.Of))
	}
	if last.Rank > 5 {
		t.Errorf("蒙城县 ends %s, want within the top 5", metrics.Place(last.Rank, last.Of))
	}
	t.Log(c.Summary())
}

func TestActivity(t *testing.T) {
	e := ingest.Engagement{Reads: 3100, Likes: 180, Wow: 90, Shares: 250, Comments: 21}
	if got := metrics.Activity(e, 3195, 30); got < 4.685 || got > 4.695 {
		t.Errorf("Activity = %.4f, want 4.69 (the example in docs/metrics.md)", got)
	}
	if metrics.Activity(e, 0, 30) != 0 || metrics.Activity(e, 10, 0) != 0 {
		t.Error("Activity without followers or days is not 0")
	}
}

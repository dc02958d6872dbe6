package export_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/export"
	"followrank/internal/golden"
	"followrank/rank"
	"followrank/units"
)

// TestDraftGolden drafts the 通报's paragraph for the cases a bureau meets
// and compares each with testdata/report/NAME.txt (go test -update rewrites
// them; read the diff).
func TestDraftGolden(t *testing.T) {
	withPrev := func(r *rank.Ranking) *rank.Ranking {
		r.PrevTotal = rank.State{Members: 3900, Followers: 2900}
		return r
	}
	// 省定目标: one for the whole city, or the city's with 蒙城县's own.
	city := func(string) (float64, bool) { return 0.9, true }
	own := func(code string) (float64, bool) {
		if code == "341622" {
			return 0.96, true
		}
		return 0.7, true
	}
	cases := []struct {
		name   string
		edit   func(r *rank.Ranking)
		focus  string
		target func(string) (float64, bool)
	}{
		{"month", func(r *rank.Ranking) {}, "341622", nil},
		{"year", func(r *rank.Ranking) { r.Compare = day("2023-06-30") }, "341622", nil},
		{"quarter", func(r *rank.Ranking) { r.Compare = day("2024-03-31") }, "341602", nil},
		{"odd-dates", func(r *rank.Ranking) { r.Compare = day("2024-06-15") }, "", nil},
		{"no-comparison", func(r *rank.Ranking) {
			r.Compare, r.PrevTotal = time.Time{}, rank.State{}
			for i := range r.Rows {
				r.Rows[i].PrevRank = 0
			}
		}, "341622", nil},
		{"last-place", func(r *rank.Ranking) {}, "341623", nil},
		{"stale", func(r *rank.Ranking) {
			for i := range r.Rows {
				r.Rows[i].Stale, r.Rows[i].ReportDate = true, day("2024-03-31")
			}
		}, "", nil},
		{"missing-and-carried", func(r *rank.Ranking) {
			r.Rows[1].ReportDate = day("2024-05-31")
			r.Rows = append(r.Rows, rank.Row{State: rank.State{Unit: units.Node{Code: "341699", Name: "亳州新区"}}})
		}, "", nil},
		{"tie", func(r *rank.Ranking) {
			r.Rows[1].Followers = 1080 // 90.00% as 蒙城县 is not; make two of them share rank 2
			r.Rows[1].Members = 1200
			r.Rows[2].Members, r.Rows[2].Followers = 1000, 900
			r.Rows[2].Rank = 2
			r.Total.Members, r.Total.Followers = 4300, 3580 // the roll-up of the lines
		}, "341602", nil},
		{"reported-differs", func(r *rank.Ranking) {
			r.Total = rank.State{Unit: r.Total.Unit, Members: 4200, Followers: 3300, Reported: true}
			r.PrevTotal = rank.State{Members: 4200, Followers: 3150, Reported: true}
		}, "", nil},
		{"target", func(r *rank.Ranking) {}, "341622", city},
		{"targets-differ", func(r *rank.Ranking) {}, "", own},
		{"target-all-met", func(r *rank.Ranking) {}, "", func(string) (float64, bool) { return 0.5, true }},
		{"target-none-met", func(r *rank.Ranking) {}, "", func(string) (float64, bool) { return 0.99, true }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := withPrev(sample())
			tc.edit(r)
			got, err := export.DraftWith(r, export.DraftOptions{Focus: tc.focus, Target: tc.target})
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", "report", tc.name+".txt"), []byte(got+"\n"))
		})
	}
}

// TestDraftRefusesWhatCannotBeTrue: no paragraph for a comparison after the
// date, nor for a date before any figures.
func TestDraftRefusesWhatCannotBeTrue(t *testing.T) {
	later := sample()
	later.Compare = day("2024-07-31")
	empty := sample()
	for i := range empty.Rows {
		empty.Rows[i] = rank.Row{State: rank.State{Unit: empty.Rows[i].Unit}}
	}
	for _, tc := range []struct {
		name string
		r    *rank.Ranking
		want string
	}{
		{"compare after date", later, "不早于统计日期"},
		{"no figures", empty, "均无数据，无法通报"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := export.Draft(tc.r, "")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Draft = %q, %v; want an error saying %q", got, err, tc.want)
			}
		})
	}
}

// TestDraftStatesTheTableFigures: the paragraph's figures are the table's
// 合计 and rates.
func TestDraftStatesTheTableFigures(t *testing.T) {
	r := sample()
	text, err := export.Draft(r, "")
	if err != nil {
		t.Fatal(err)
	}
	tb := export.Tabulate(r, options())
	for _, l := range tb.Lines {
		cells := l.Texts()
		switch l.Kind {
		case export.Total:
			if !strings.Contains(text, "离退休干部3,900人") || !strings.Contains(text, "公众号3,020人") || !strings.Contains(text, "关注率"+cells[4]) {
				t.Errorf("the paragraph does not state 合计 %v:\n%s", cells, text)
			}
		case export.Top:
			row, _ := r.Find(l.Unit)
			if !strings.Contains(text, row.Unit.Name+"（"+cells[4]) {
				t.Errorf("the paragraph does not state %s's rate %s:\n%s", row.Unit.Name, cells[4], text)
			}
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/export"
	"followrank/rank"
	"followrank/wording"
)

func runRank(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "rank", catalog.RankArgs, catalog.RankDesc)
	rf := addRankingFlags(e, fs)
	format := fs.String("format", "table", e.cli.Say(catalog.FlagRankFormat))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *format != "table" && *format != "csv" && *format != "json" {
		return mistake(e.cli, catalog.FlagNotOneOf, "--format", *format, e.cli.Or("table", "csv", "json"))
	}
	s, m, scope, lvl, err := rf.open(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	r, err := m.Rank(ctx, lvl, scope, rf.date.t, rf.compare.t)
	if err != nil {
		return userError(err)
	}
	switch *format {
	case "json":
		return writeRankJSON(e.stdout, r)
	case "csv":
		return export.WriteCSV(e.stdout, export.Tabulate(r, e.tableOptions(m.Tree(), "")))
	}
	return writeRankTable(e.stdout, export.Tabulate(r, e.tableOptions(m.Tree(), "")))
}

// rankJSON is one ranking row for machines.
type rankJSON struct {
	Rank         *int    `json:"rank"`
	Code         string  `json:"code"`
	Name         string  `json:"name"`
	Members      uint64  `json:"members"`
	Followers    uint64  `json:"followers"`
	Rate         float64 `json:"rate"`
	PrevRank     *int    `json:"prev_rank"`
	Change       *int    `json:"change"`
	Stale        bool    `json:"stale"`
	Reads        uint64  `json:"reads"`
	Shares       uint64  `json:"shares"`
	Likes        uint64  `json:"likes"`
	Wow          uint64  `json:"wow"`
	Comments     uint64  `json:"comments"`
	ReadsPer100  float64 `json:"reads_per_100_followers"`
	SharesPer100 float64 `json:"shares_per_100_followers"`
	Activity     float64 `json:"activity_index"`
}

func writeRankJSON(w io.Writer, r *rank.Ranking) error {
	out := make([]rankJSON, 0, len(r.Rows))
	for _, row := range r.Rows {
		j := rankJSON{
			Code: row.Unit.Code, Name: row.Unit.Name, Members: row.Members, Followers: row.Followers,
			Rate: round(row.Rate(), 4), Stale: row.Stale,
			Reads: row.Engagement.Reads, Shares: row.Engagement.Shares, Likes: row.Engagement.Likes,
			Wow: row.Engagement.Wow, Comments: row.Engagement.Comments,
		}
		reads, shares := row.Per100()
		j.ReadsPer100, j.SharesPer100 = round(reads, 2), round(shares, 2)
		j.Activity = round(rank.Activity(row.Engagement, row.Followers, r.PeriodDays()), 2)
		if row.Rank > 0 {
			j.Rank = ptr(row.Rank)
		}
		if row.PrevRank > 0 {
			j.PrevRank = ptr(row.PrevRank)
		}
		if ch, ok := row.Change(); ok {
			j.Change = ptr(ch)
		}
		out = append(out, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

func ptr[T any](v T) *T { return &v }

func round(v float64, places int) float64 {
	k := math.Pow(10, float64(places))
	return math.Round(v*k) / k
}

func writeRankTable(w io.Writer, t export.Table) error {
	rows := [][]string{t.Columns}
	for _, l := range t.Lines {
		rows = append(rows, l.Texts())
	}
	right := map[int]bool{}
	for i, c := range t.Columns {
		switch c {
		case "排名", "离退休干部数", "关注人数", "关注率":
			right[i] = true
		}
		if strings.HasSuffix(c, "排名") {
			right[i] = true
		}
	}
	fmt.Fprintln(w, t.Title)
	return writeAligned(w, rows, right)
}

// writeAligned prints rows as columns; right-aligned columns are numbers.
func writeAligned(w io.Writer, rows [][]string, right map[int]bool) error {
	widths := map[int]int{}
	for _, row := range rows {
		for i, c := range row {
			widths[i] = max(widths[i], export.DisplayWidth(c))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", widths[i]-export.DisplayWidth(c))
			if i > 0 {
				b.WriteString("  ")
			}
			if right[i] {
				b.WriteString(pad + c)
			} else if i < len(row)-1 {
				b.WriteString(c + pad)
			} else {
				b.WriteString(c)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func runClimb(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "climb", catalog.ClimbArgs, catalog.ClimbDesc)
	unit := fs.String("unit", "", e.cli.Say(catalog.FlagClimbUnit))
	within := fs.String("within", "", e.cli.Say(catalog.FlagClimbWithin))
	var from, to dateFlag
	fs.Var(&from, "from", e.cli.Say(catalog.FlagClimbFrom))
	fs.Var(&to, "to", e.cli.Say(catalog.FlagClimbTo))
	every := fs.String("every", "month", e.cli.Say(catalog.FlagClimbEvery))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *unit == "" {
		return mistake(e.cli, catalog.UnitRequired)
	}
	if *every != string(rank.Monthly) && *every != string(rank.Weekly) {
		return mistake(e.cli, catalog.FlagNotOneOf, "--every", *every, e.cli.Or(string(rank.Monthly), string(rank.Weekly)))
	}
	s, m, err := e.engine(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	scope, err := e.within(m.Tree(), *within)
	if err != nil {
		return err
	}
	u, err := m.Tree().Find(*unit, scope.Code)
	if err != nil {
		return unitMistake(e.cli, "--unit", err)
	}
	first, last, err := e.span(ctx, s)
	if err != nil {
		return err
	}
	from.orDefault(first)
	to.orDefault(last)
	dates, err := rank.Dates(from.t, to.t, rank.Every(*every))
	if err != nil {
		return userError(err)
	}
	// At the runs' version, a climb through the country keeps its roll-ups
	// in ClickHouse, and the next one reads them (rank.RollUps).
	version, err := s.RunsVersion(ctx)
	if err != nil {
		return err
	}
	c, err := m.Climb(rank.WithVersion(ctx, version), u, scope, dates, false)
	if err != nil {
		return userError(err)
	}
	rows := [][]string{{"日期", "排名", "位次", "参与排名", "关注率", "关注人数", "离退休干部数"}}
	for _, st := range c.Steps {
		rank := "—"
		if st.Rank > 0 {
			rank = strconv.Itoa(st.Rank)
		}
		rows = append(rows, []string{st.Date.Format(time.DateOnly), rank, wording.Place(st.Rank, st.Of), strconv.Itoa(st.Of),
			wording.Percent(st.Rate()), strconv.FormatUint(st.Followers, 10), strconv.FormatUint(st.Members, 10)})
	}
	fmt.Fprintf(e.stdout, "%s在%s各%s中的排名\n", u.Name, scope.Name, u.Level.Chinese())
	if err := writeAligned(e.stdout, rows, map[int]bool{1: true, 3: true, 4: true, 5: true, 6: true}); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, wording.Summary(c))
	return nil
}

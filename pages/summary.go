package pages

import (
	"followrank/push"
	"followrank/rank"
	"followrank/remind"
)

// Summary is what a push says of a ranking and its 催报 list: the top three
// and the bottom three of the units ranked, the unit that climbed most
// since the comparison date, how many have not reported for the month
// (未报送) and, with a target, how many are below it; link is the page
// the message points to.
func Summary(r *rank.Ranking, l *remind.List, link string) push.Summary {
	s := push.Summary{Scope: r.Within.Name, Date: r.Date, Rate: r.Total.Rate(), Ranked: r.Ranked, Link: link}
	var ranked []rank.Row
	for _, row := range r.Rows {
		if row.Rank > 0 {
			ranked = append(ranked, row)
		}
	}
	entry := func(row rank.Row) push.Entry {
		change, _ := row.Change()
		return push.Entry{Name: row.Unit.Name, Rate: row.Rate(), Rank: row.Rank, Change: change}
	}
	n := min(3, len(ranked)/2) // the top and the bottom never share a unit
	for _, row := range ranked[:n] {
		s.Top = append(s.Top, entry(row))
	}
	for _, row := range ranked[len(ranked)-n:] {
		s.Bottom = append(s.Bottom, entry(row))
	}
	for _, row := range ranked {
		if change, ok := row.Change(); ok && change > 0 && (s.Climber == nil || change > s.Climber.Change) {
			e := entry(row)
			s.Climber = &e
		}
	}
	if l != nil {
		s.Unreported = l.Count(remind.NotReported)
		s.Target = l.Target
		s.Below = l.Count(remind.BelowTarget)
	}
	return s
}

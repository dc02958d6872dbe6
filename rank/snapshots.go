package rank

import (
	"context"
	"slices"
	"time"

	"followrank/model"
	"followrank/units"
)

// Snapshots computes the state of scope on each of the days, as Snapshot
// does, with one read of the reports of the whole span instead of two or
// three per day: a 36-month climb reads ClickHouse twice, not 72 times.
// withEngagement also sums each day's engagement. The snapshots come in
// date order, one per distinct day; At finds a day's.
//
// A request that carries the data's version (WithVersion) for a day or
// three — a dashboard's date and its comparison — is answered from the
// country's snapshots kept at that version.
func (e *Engine) Snapshots(ctx context.Context, scope units.Node, days []time.Time, withEngagement bool) ([]*Snapshot, error) {
	days = append([]time.Time(nil), days...)
	for i := range days {
		days[i] = model.Date(days[i])
	}
	slices.SortFunc(days, time.Time.Compare)
	days = slices.CompactFunc(days, time.Time.Equal)
	if len(days) <= 3 {
		if snaps, ok, err := e.keptSnapshots(ctx, scope, days, withEngagement); ok {
			return snaps, err
		}
	}
	return e.snapshots(ctx, scope, days, withEngagement)
}

func (e *Engine) snapshots(ctx context.Context, scope units.Node, days []time.Time, withEngagement bool) ([]*Snapshot, error) {
	var out []*Snapshot
	err := e.EachSnapshot(ctx, scope, days, withEngagement, func(s *Snapshot) error {
		out = append(out, s)
		return nil
	})
	return out, err
}

// EachSnapshot computes what Snapshots does and passes each snapshot to fn
// as it is made, without holding them all: the 36 month-end snapshots of a
// country's 100,000 units take 350 MB together.
func (e *Engine) EachSnapshot(ctx context.Context, scope units.Node, days []time.Time, withEngagement bool, fn func(*Snapshot) error) error {
	days = append([]time.Time(nil), days...)
	for i := range days {
		days[i] = model.Date(days[i])
	}
	slices.SortFunc(days, time.Time.Compare)
	days = slices.CompactFunc(days, time.Time.Equal)
	if len(days) == 0 {
		return nil
	}
	// Stocks count from the staleness window before the first day, engagement
	// from the start of its month.
	stockFrom, from := days[0].AddDate(0, 0, -e.staleDays), days[0]
	if withEngagement {
		from = model.MonthStart(days[0])
	}
	from = minTime(from, stockFrom)

	x := e.index(scope)
	hist := make([][]report, len(x.nodes))               // each unit's stock reports, by day
	eng := make([]map[int32]model.Engagement, len(days)) // each day's engagement, by unit
	m := x.matcher()
	// A county's or a city's units are read by their codes, which the
	// primary key finds; larger scopes through the stored tree.
	read := func(fn func(model.Figure) error) error {
		if scope.Code != units.Root && len(x.codes) <= smallScope {
			return e.src.EachReportOf(ctx, x.codes, from, days[len(days)-1], !withEngagement, fn)
		}
		return e.src.EachReport(ctx, scope.Code, from, days[len(days)-1], !withEngagement, fn)
	}
	err := read(func(r model.Figure) error {
		p, ok := m.find(r.Unit)
		if !ok {
			return nil
		}
		if r.HasStock && !r.Date.Before(stockFrom) {
			hist[p] = append(hist[p], reportOf(r))
		}
		if r.Engagement == (model.Engagement{}) {
			return nil
		}
		// A day's engagement counts toward the days of its month on or after it.
		for i, _ := slices.BinarySearchFunc(days, r.Date, time.Time.Compare); i < len(days) && model.MonthStart(days[i]).Equal(model.MonthStart(r.Date)); i++ {
			if eng[i] == nil {
				eng[i] = map[int32]model.Engagement{}
			}
			eng[i][p] = eng[i][p].Add(r.Engagement)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Units with no report in the span on or before the first day carry an
	// older one forward: look those up by key, once.
	first := model.DayOf(days[0])
	var rest []string
	for i, p := range x.byCode {
		if rs := hist[p]; len(rs) == 0 || rs[0].day > first {
			rest = append(rest, x.codes[i])
		}
	}
	older := make([]report, len(x.nodes))
	if len(rest) > 0 {
		found, err := e.src.StocksOf(ctx, rest, stockFrom.AddDate(0, 0, -1))
		if err != nil {
			return err
		}
		x.match(len(found), func(i int) string { return found[i].Unit }, func(i int, p int32) { older[p] = reportOf(found[i]) })
	}
	own := make([]report, len(x.nodes))
	next := make([]int, len(x.nodes)) // per unit, its first report after the day before
	for i, d := range days {
		day := model.DayOf(d)
		for p, rs := range hist {
			// The latest report on or before d, else the one before the span.
			j := next[p]
			for j < len(rs) && rs[j].day <= day {
				j++
			}
			next[p] = j
			if j > 0 {
				own[p] = rs[j-1]
			} else {
				own[p] = older[p]
			}
		}
		snap := &Snapshot{Date: d, Scope: scope, From: model.MonthStart(d), idx: x}
		e.rollUp(snap, own, eng[i])
		eng[i] = nil
		if err := fn(snap); err != nil {
			return err
		}
	}
	return nil
}

// smallScope is the most units read by their codes rather than through
// the stored tree (store.ReportsOfMax bounds it).
const smallScope = 2000

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// At returns the snapshot of day among snaps, or nil.
func At(snaps []*Snapshot, day time.Time) *Snapshot {
	day = model.Date(day)
	for _, s := range snaps {
		if s.Date.Equal(day) {
			return s
		}
	}
	return nil
}

package rank

import (
	"context"
	"fmt"
	"time"

	"followrank/model"
	"followrank/units"
)

// Step is a unit's place in its ranking on one date.
type Step struct {
	Date time.Time
	Rank int // 0 when not ranked that day
	Of   int // how many units were ranked
	State
}

// FromBottom is the step's place counted from the bottom (倒数第N), 0 when unranked.
func (s Step) FromBottom() int {
	if s.Rank == 0 {
		return 0
	}
	return s.Of - s.Rank + 1
}

// Climb is a unit's rank over a series of snapshots.
type Climb struct {
	Unit   units.Node
	Within units.Node
	Steps  []Step
	// Rankings are the full rankings behind each step, for charts that draw
	// every sibling.
	Rankings []*Ranking
}

// Every says how far apart a climb's steps are.
type Every string

// The step sizes.
const (
	Monthly Every = "month"
	Weekly  Every = "week"
)

// Dates lists the snapshot dates from..to: every month end (or every 7 days
// from from) within the span, and to itself.
func Dates(from, to time.Time, every Every) ([]time.Time, error) {
	from, to = model.Date(from), model.Date(to)
	if to.Before(from) {
		return nil, &QueryError{Msg: fmt.Sprintf("the last date %s is before the first %s", to.Format(time.DateOnly), from.Format(time.DateOnly))}
	}
	var out []time.Time
	switch every {
	case Monthly, "":
		for d := model.MonthEnd(from); !d.After(to); d = model.MonthEnd(d.AddDate(0, 0, 1)) {
			out = append(out, d)
		}
	case Weekly:
		for d := from; !d.After(to); d = d.AddDate(0, 0, 7) {
			out = append(out, d)
		}
	default:
		return nil, &QueryError{Msg: fmt.Sprintf("step %q is not month or week", every)}
	}
	if len(out) == 0 || !out[len(out)-1].Equal(to) {
		out = append(out, to)
	}
	return out, nil
}

// Climb ranks unit among the units of its level below within at each date.
// withEngagement also sums each step's engagement, for charts that show it.
// It keeps the rankings, not the snapshots behind them.
//
// A climb through the country at a version of the figures (WithVersion)
// keeps the divisions' states of its days in the store, where the store
// keeps roll-ups (RollUps); a climb of a division without engagement is
// then answered from them, and computes only the days not kept.
func (e *Engine) Climb(ctx context.Context, unit, within units.Node, dates []time.Time, withEngagement bool) (*Climb, error) {
	if err := e.checkBelow(unit, within); err != nil {
		return nil, err
	}
	days := climbDays(dates)
	rankings := map[model.Day]*Ranking{}
	if !withEngagement {
		rankings = e.keptRankings(ctx, unit, within, days)
	}
	var missing []time.Time
	for _, d := range days {
		if rankings[model.DayOf(d)] == nil {
			missing = append(missing, d)
		}
	}
	src, keeps := e.src.(RollUps)
	key := e.rollUpKey(ctx)
	keeps = keeps && key != "" && within.Code == units.Root
	var kept []model.RollUp
	err := e.EachSnapshot(ctx, within, missing, withEngagement, func(snap *Snapshot) error {
		rankings[model.DayOf(snap.Date)] = e.rank(snap, unit.Level)
		if keeps {
			kept = keep(kept, snap)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(kept) > 0 {
		// Keeping only saves the next climb time: when it fails, that one
		// computes again, so the error is not this climb's.
		_ = src.SaveRollUps(ctx, key, kept)
	}
	c := &Climb{Unit: unit, Within: within}
	for _, d := range days {
		c.add(rankings[model.DayOf(d)])
	}
	return c, nil
}

// ClimbOf ranks unit among the units of its level in each of the snapshots,
// which are of one scope above it. It reads nothing.
func (e *Engine) ClimbOf(unit units.Node, snaps []*Snapshot) (*Climb, error) {
	if len(snaps) == 0 {
		return nil, &QueryError{Msg: fmt.Sprintf("no dates to follow %s through", unit.Name)}
	}
	within := snaps[0].Scope
	if err := e.checkBelow(unit, within); err != nil {
		return nil, err
	}
	c := &Climb{Unit: unit, Within: within}
	for _, snap := range snaps {
		if snap.Scope.Code != within.Code {
			return nil, fmt.Errorf("cannot follow %s through snapshots of both %s and %s", unit.Name, within.Name, snap.Scope.Name)
		}
		e.climbTo(c, snap)
	}
	return c, nil
}

// climbTo adds the climb's step on a snapshot's date.
func (e *Engine) climbTo(c *Climb, snap *Snapshot) { c.add(e.rank(snap, c.Unit.Level)) }

// add adds the step of the climb's unit in r, the ranking of a date.
func (c *Climb) add(r *Ranking) {
	row, _ := r.Find(c.Unit.Code)
	c.Steps = append(c.Steps, Step{Date: r.Date, Rank: row.Rank, Of: r.Ranked, State: row.State})
	c.Rankings = append(c.Rankings, r)
}

func (e *Engine) checkBelow(unit, within units.Node) error {
	if !e.tree.Within(unit.Code, within.Code) || unit.Code == within.Code {
		return &QueryError{Msg: fmt.Sprintf("%s is not below %s", unit.Name, within.Name)}
	}
	return nil
}

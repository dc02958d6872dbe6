package rank

import (
	"context"
	"errors"
	"time"

	"followrank/units"
)

// Trend is the figures of some units at a series of dates.
type Trend struct {
	Units []units.Node
	Dates []time.Time
	// Figures[i][j] is unit i on date j.
	Figures [][]State
	// PeriodDays[j] is the length of the engagement period ending on date j.
	PeriodDays []int
}

// Trend computes the units' figures at each date, reading one snapshot of
// their nearest common ancestor per date.
func (e *Engine) Trend(ctx context.Context, us []units.Node, dates []time.Time) (*Trend, error) {
	if len(us) == 0 {
		return nil, errors.New("name at least one unit")
	}
	scope, _ := e.tree.Get(e.commonAncestor(us))
	t := &Trend{Units: us, Figures: make([][]State, len(us))}
	err := e.EachSnapshot(ctx, scope, dates, true, func(snap *Snapshot) error {
		t.add(snap)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// TrendOf reads the units' trend from snapshots that cover them.
func TrendOf(us []units.Node, snaps []*Snapshot) *Trend {
	t := &Trend{Units: us, Figures: make([][]State, len(us))}
	for _, snap := range snaps {
		t.add(snap)
	}
	return t
}

// add puts the units' figures in a snapshot at the end of the trend.
func (t *Trend) add(snap *Snapshot) {
	t.Dates = append(t.Dates, snap.Date)
	for i, u := range t.Units {
		f, _ := snap.Get(u.Code)
		f.Unit = u
		t.Figures[i] = append(t.Figures[i], f)
	}
	t.PeriodDays = append(t.PeriodDays, int(snap.Date.Sub(snap.From).Hours()/24)+1)
}

// commonAncestor is the code of the deepest unit at or above all of us.
func (e *Engine) commonAncestor(us []units.Node) string {
	common := append(e.tree.Path(us[0].Code), us[0].Code)
	for _, u := range us[1:] {
		p := append(e.tree.Path(u.Code), u.Code)
		n := 0
		for n < len(common) && n < len(p) && common[n] == p[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return units.Root
	}
	return common[len(common)-1]
}

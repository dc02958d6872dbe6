package rank

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"time"

	"followrank/model"
	"followrank/units"
)

// RollUps is a store that keeps roll-ups (store.Store does): the
// divisions' states of the country's snapshots, at one key, which names
// the version of the figures they were computed from. A climb through the
// country reads every unit's reports of its months (3.6 million at the
// national scale of BENCHMARKS.md); the next one, at the same version,
// reads a few thousand kept states instead, in another process too.
type RollUps interface {
	RollUps(ctx context.Context, key string, days []time.Time, codes []string) ([]model.RollUp, error)
	SaveRollUps(ctx context.Context, key string, rows []model.RollUp) error
}

// rollUpsMax is the most units a climb reads kept states of
// (store.RollUpsMax): the 2,851 counties of the country fit.
const rollUpsMax = 5000

// rollUpKey names what kept roll-ups depend on: the version of the figures
// ctx carries (WithVersion), the staleness window and the unit tree. It is
// empty when ctx carries no version: then nothing is kept or read.
func (e *Engine) rollUpKey(ctx context.Context) string {
	version, _ := ctx.Value(versionKey{}).(string)
	if version == "" {
		return ""
	}
	e.treeOnce.Do(func() {
		h := fnv.New64a()
		for _, n := range e.tree.All() {
			fmt.Fprintf(h, "%s\x00%s\x00%s\n", n.Code, n.Parent, n.Level)
		}
		e.treeSum = fmt.Sprintf("%016x", h.Sum64())
	})
	return fmt.Sprintf("%s/%d/%s", version, e.staleDays, e.treeSum)
}

// keptRankings are the rankings of a climb of a division that kept
// roll-ups at ctx's version answer, by day; the days not kept are left out,
// and the climb computes them from the reports.
func (e *Engine) keptRankings(ctx context.Context, unit, within units.Node, days []time.Time) map[model.Day]*Ranking {
	out := map[model.Day]*Ranking{}
	src, can := e.src.(RollUps)
	key := e.rollUpKey(ctx)
	// A small scope's climb reads its few reports faster than it asks.
	if !can || key == "" || unit.Level == units.Unit || len(days) == 0 || len(e.index(within).nodes) <= smallScope {
		return out
	}
	siblings := e.tree.Descendants(within.Code, unit.Level)
	codes := []string{units.Root}
	if within.Code != units.Root {
		codes = append(codes, within.Code)
	}
	for _, n := range siblings {
		codes = append(codes, n.Code)
	}
	if len(codes) > rollUpsMax {
		return out
	}
	rows, err := src.RollUps(ctx, key, days, codes)
	if err != nil {
		// Kept roll-ups only save time: without them (a schema not yet
		// migrated, say) the climb is computed as ever.
		return out
	}
	states := make(map[model.Day]map[string]State, len(days))
	for _, r := range rows {
		day := model.DayOf(r.Date)
		if states[day] == nil {
			states[day] = map[string]State{}
		}
		states[day][r.Unit] = State{Members: r.Members, Followers: r.Followers, Reported: r.Reported, Stale: r.Stale, ReportDate: r.ReportDate}
	}
	for _, d := range days {
		kept := states[model.DayOf(d)]
		if _, ok := kept[units.Root]; !ok {
			continue // the country's row is kept with every day's
		}
		out[model.DayOf(d)] = e.ranking(within, unit.Level, d, func(n units.Node) State {
			st := kept[n.Code]
			st.Unit = n
			return st
		})
	}
	return out
}

// keep adds the divisions' states of a snapshot of the country to rows:
// every division with figures, and the country itself, which marks the day
// as kept.
func keep(rows []model.RollUp, snap *Snapshot) []model.RollUp {
	for i, n := range snap.idx.nodes {
		f := snap.figs[i]
		if n.Level == units.Unit || (!f.hasData() && n.Code != units.Root) {
			continue
		}
		rows = append(rows, model.RollUp{Unit: n.Code, Date: snap.Date, Members: f.members, Followers: f.followers,
			Reported: f.reported, Stale: f.stale, ReportDate: f.reportDate})
	}
	return rows
}

// climbDays are a climb's dates as its steps take them: days, in order,
// once each.
func climbDays(dates []time.Time) []time.Time {
	days := make([]time.Time, len(dates))
	for i, d := range dates {
		days[i] = model.Date(d)
	}
	slices.SortFunc(days, time.Time.Compare)
	return slices.CompactFunc(days, time.Time.Equal)
}

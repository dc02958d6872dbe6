package rank

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"followrank/model"
	"followrank/units"
)

// Memory is Figures held in memory, for tests and tools that rank without
// ClickHouse. It answers every question as the ClickHouse store's queries do
// (see store/figures.go), so an engine gives the same rankings over either;
// the declarative cases in testdata run against both to keep it so.
//
// Figures are added in ingestions, each with a version, as the store's
// ReplacingMergeTree keeps them: a unit's day ingested again is replaced by
// the newer version, and a later Add with the same version replaces an
// earlier one. Replaced ingestions are kept, because the store's queries
// read them: of a unit's day the newest ingestion gives the engagement and
// the newest ingestion with a stock (HasStock) gives the stock, so an
// engagement-only row does not erase a stock ingested before it for the
// same day. (ClickHouse itself keeps only the newest row of a unit's day
// once it merges its parts, and then loses that stock: Memory answers as
// the store does before such a merge. See testdata/corrections.test.)
//
// Scopes are read through the unit tree: a unit is in a scope when it is the
// scope or lies below it; units.Root is everything, units the tree does not
// know included. Answers come in order of unit code, then date.
//
// A Memory is safe for concurrent use. It calls no callback while it holds
// its lock, so a callback may Add.
type Memory struct {
	tree *units.Tree

	mu    sync.RWMutex
	units map[string][]memDay // each unit's days, in date order
	codes []string            // the units' codes in order; nil when to be sorted again
	seq   uint64              // counts ingested figures, to order equal versions
}

// memDay is one unit's day: every ingestion of it, oldest first.
type memDay struct {
	day  model.Day
	rows []memRow
}

type memRow struct {
	version, seq uint64
	fig          model.Figure
}

// newer says a replaces b: a higher version, or the same one added later.
func (a memRow) newer(b memRow) bool {
	if a.version != b.version {
		return a.version > b.version
	}
	return a.seq > b.seq
}

// newest is the day's newest ingestion.
func (d *memDay) newest() memRow { return d.rows[len(d.rows)-1] }

// newestStock is the day's newest ingestion with a stock.
func (d *memDay) newestStock() (memRow, bool) {
	for i := len(d.rows) - 1; i >= 0; i-- {
		if d.rows[i].fig.HasStock {
			return d.rows[i], true
		}
	}
	return memRow{}, false
}

// NewMemory returns an empty Memory whose scopes are those of tree.
func NewMemory(tree *units.Tree) *Memory {
	return &Memory{tree: tree, units: map[string][]memDay{}}
}

// maxMemDay is the last day the store's Date column holds (2149-06-06).
const maxMemDay = 1<<16 - 1

// Add stores figures as one ingestion with the given version, as the
// store's WriteFigures does with the time of the write: a figure for a unit
// and date already held is replaced if version is not lower. A date must be
// a day at 00:00 UTC from 1970-01-01 to 2149-06-06, as the store requires;
// if one is not, nothing is added. A figure's Line is not kept.
func (m *Memory) Add(version uint64, figs ...model.Figure) error {
	for _, f := range figs {
		if d := f.Date.Unix() / 86400; d < 0 || d > maxMemDay || f.Date.Unix()%86400 != 0 {
			return fmt.Errorf("%s %s: the date must be a day from 1970-01-01 to 2149-06-06", f.Unit, f.Date)
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, f := range figs {
		f.Date, f.Line = model.Day(f.Date.Unix()/86400).Time(), 0
		m.seq++
		row := memRow{version: version, seq: m.seq, fig: f}
		day := model.DayOf(f.Date)
		days, known := m.units[f.Unit]
		if !known {
			m.codes = nil
		}
		i, found := slices.BinarySearchFunc(days, day, func(d memDay, day model.Day) int { return int(d.day - day) })
		if !found {
			days = slices.Insert(days, i, memDay{day: day})
		}
		rows := days[i].rows
		j := len(rows)
		for j > 0 && !row.newer(rows[j-1]) {
			j--
		}
		days[i].rows = slices.Insert(rows, j, row)
		m.units[f.Unit] = days
	}
	return nil
}

// sortedCodes returns the units' codes in order, sorting them when an Add
// has added a unit since they were last kept. The caller holds a lock.
func (m *Memory) sortedCodes() []string {
	if m.codes != nil || len(m.units) == 0 {
		return m.codes
	}
	codes := make([]string, 0, len(m.units))
	for c := range m.units {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	return codes
}

// read runs fn under the read lock with the units' codes in order, which
// it keeps for the next read.
func (m *Memory) read(fn func(codes []string)) {
	m.mu.RLock()
	if m.codes == nil && len(m.units) > 0 {
		m.mu.RUnlock()
		m.mu.Lock()
		m.codes = m.sortedCodes()
		m.mu.Unlock()
		m.mu.RLock()
	}
	defer m.mu.RUnlock()
	fn(m.sortedCodes())
}

// inScope says whether a unit is at or below scope, as the store's scope
// filter does.
func (m *Memory) inScope(code, scope string) bool {
	return scope == units.Root || m.tree.Within(code, scope)
}

// span returns the positions of the days from..to among a unit's days.
func span(days []memDay, from, to time.Time) (lo, hi int) {
	f, t := model.DayOf(from), model.DayOf(to)
	lo, _ = slices.BinarySearchFunc(days, f, func(d memDay, day model.Day) int { return int(d.day - day) })
	hi, _ = slices.BinarySearchFunc(days, t+1, func(d memDay, day model.Day) int { return int(d.day - day) })
	return lo, max(lo, hi)
}

// eachInScope collects, under the read lock, what fn makes of the days
// from..to of every unit at or below scope, in order of unit code; then
// passes each to emit, when given, without holding the lock.
func (m *Memory) eachInScope(ctx context.Context, scope string, from, to time.Time, fn func(code string, days []memDay) []model.Figure, emit func(model.Figure) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var out []model.Figure
	m.read(func(codes []string) {
		for _, code := range codes {
			if m.inScope(code, scope) {
				days := m.units[code]
				lo, hi := span(days, from, to)
				out = append(out, fn(code, days[lo:hi])...)
			}
		}
	})
	if emit == nil {
		return nil
	}
	for _, f := range out {
		if err := emit(f); err != nil {
			return err
		}
	}
	return nil
}

func stockOf(code string, d *memDay, r memRow) model.Figure {
	return model.Figure{Unit: code, Date: d.day.Time(), HasStock: true, Members: r.fig.Members, Followers: r.fig.Followers}
}

// EachStock calls fn with the latest stock report from..to of every unit at
// or below scope that has one, in order of unit code: of that day's
// ingestions, the newest with a stock.
func (m *Memory) EachStock(ctx context.Context, scope string, from, to time.Time, fn func(model.Figure) error) error {
	return m.eachInScope(ctx, scope, from, to, func(code string, days []memDay) []model.Figure {
		for i := len(days) - 1; i >= 0; i-- {
			if r, ok := days[i].newestStock(); ok {
				return []model.Figure{stockOf(code, &days[i], r)}
			}
		}
		return nil
	}, fn)
}

// memStocksChunk is how many codes the store looks up in one query; its
// answers are in code order within each.
const memStocksChunk = 5000

// StocksOf returns the latest stock report on or before day of each of the
// units that has one, whether or not the tree knows it. When codes are in
// order, so are the reports.
func (m *Memory) StocksOf(ctx context.Context, codes []string, day time.Time) ([]model.Figure, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []model.Figure
	m.read(func([]string) {
		for start := 0; start < len(codes); start += memStocksChunk {
			chunk := slices.Clone(codes[start:min(start+memStocksChunk, len(codes))])
			slices.Sort(chunk)
			for _, code := range slices.Compact(chunk) {
				days := m.units[code]
				_, hi := span(days, time.Unix(0, 0).UTC(), day)
				for i := hi - 1; i >= 0; i-- {
					if r, ok := days[i].newestStock(); ok {
						out = append(out, stockOf(code, &days[i], r))
						break
					}
				}
			}
		}
	})
	return out, nil
}

// Engagement sums each unit's engagement at or below scope over the days
// from..to, both included, taking each day's newest ingestion. A unit with
// none is not in the map.
func (m *Memory) Engagement(ctx context.Context, scope string, from, to time.Time) (map[string]model.Engagement, error) {
	out := map[string]model.Engagement{}
	err := m.eachInScope(ctx, scope, from, to, func(code string, days []memDay) []model.Figure {
		var sum model.Engagement
		for i := range days {
			sum = sum.Add(days[i].newest().fig.Engagement)
		}
		if sum.Reads+sum.Shares+sum.Likes+sum.Wow+sum.Comments > 0 {
			out[code] = sum
		}
		return nil
	}, nil)
	return out, err
}

// EachReport calls fn with the figures from..to of every unit at or below
// scope, one report per unit and day, in order of unit and day. Of several
// ingestions of a day, the newest gives the engagement and the newest with
// a stock gives the stock. With stocksOnly, only days with a stock are
// passed, without their engagement.
// EachReportOf is EachReport for a list of units.
func (m *Memory) EachReportOf(ctx context.Context, codes []string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	set := map[string]bool{}
	for _, c := range codes {
		set[c] = true
	}
	return m.EachReport(ctx, units.Root, from, to, stocksOnly, func(f model.Figure) error {
		if !set[f.Unit] {
			return nil
		}
		return fn(f)
	})
}

func (m *Memory) EachReport(ctx context.Context, scope string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	return m.eachInScope(ctx, scope, from, to, func(code string, days []memDay) []model.Figure {
		var out []model.Figure
		for i := range days {
			d := &days[i]
			st, hasStock := d.newestStock()
			if stocksOnly {
				if hasStock {
					out = append(out, stockOf(code, d, st))
				}
				continue
			}
			f := d.newest().fig
			f.Unit, f.Date = code, d.day.Time()
			if !f.HasStock && hasStock {
				f.HasStock, f.Members, f.Followers = true, st.fig.Members, st.fig.Followers
			}
			out = append(out, f)
		}
		return out
	}, fn)
}

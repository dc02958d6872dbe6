// Package rank turns stored figures into what the bureau publishes:
// as-of snapshots, follow rates rolled up the tree, rankings among
// siblings, rank changes and climbs.
//
// The rules, which the ranking table's footnote repeats:
//   - As of date D, a unit's members and followers are those of its latest
//     report on or before D; a report older than the staleness window is
//     still used but flagged stale.
//   - A parent's figures are its own report when it has a fresh one, and
//     otherwise the sums over its children (关注率 = Σ关注人数 ÷ Σ离退休干部数).
//   - Units are ranked by follow rate, descending, to 0.01 percentage point;
//     equal rates share a rank (competition ranking, "1224"), and are listed
//     by code.
package rank

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"followrank/model"
	"followrank/units"
)

// QueryError is a question the figures cannot answer as asked, such as a
// ranking of a level that is not below its scope: the asker can fix it.
type QueryError struct{ Msg string }

func (e *QueryError) Error() string { return e.Msg }

// Figures is what the engine reads: the units' reports, in model types.
// The store answers from ClickHouse, Memory from a slice; the declarative
// cases in testdata run against both, so the two cannot drift. Reports come
// in order of unit code; of several ingestions of a unit's day the newest
// counts, and the newest with a stock gives the stock.
type Figures interface {
	// EachStock calls fn with the latest stock report from..to of every
	// unit at or below scope that has one (and perhaps of units moved out of
	// it since, which the engine leaves out).
	EachStock(ctx context.Context, scope string, from, to time.Time, fn func(model.Figure) error) error
	// StocksOf returns the latest stock report on or before day of each of
	// the units that has one.
	StocksOf(ctx context.Context, codes []string, day time.Time) ([]model.Figure, error)
	// Engagement sums each unit's engagement at or below scope over
	// from..to; units without any are left out.
	Engagement(ctx context.Context, scope string, from, to time.Time) (map[string]model.Engagement, error)
	// EachReport calls fn with every report from..to at or below scope, one
	// per unit and day, in order of unit and day; with stocksOnly only the
	// days with a stock, without their engagement.
	EachReport(ctx context.Context, scope string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error
	// EachReportOf is EachReport for a list of units, at most
	// store.ReportsOfMax: faster where the engine knows a small scope's units.
	EachReportOf(ctx context.Context, codes []string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error
}

// State is one unit's figures in a snapshot: its own report or the roll-up of its children.
type State struct {
	Unit      units.Node
	Members   uint64 // 离退休干部数
	Followers uint64 // 关注人数
	// Reported says the figures are the unit's own report rather than the
	// sum over its children.
	Reported bool
	// ReportDate is the date of the newest report the figures rest on.
	ReportDate time.Time
	// Stale says some report they rest on is older than the staleness window.
	Stale bool
	// Engagement is summed over the snapshot's period.
	Engagement model.Engagement
}

// HasData says the unit has figures to rank by.
func (f State) HasData() bool { return f.Members > 0 }

// Rate is the follow rate (关注率), followers ÷ members, as a fraction.
func (f State) Rate() float64 {
	if f.Members == 0 {
		return 0
	}
	return float64(f.Followers) / float64(f.Members)
}

// Per100 is engagement per 100 followers: the reads and shares a unit's
// followers produced over the period, scaled so units of any size compare.
func (f State) Per100() (reads, shares float64) {
	if f.Followers == 0 {
		return 0, 0
	}
	k := 100 / float64(f.Followers)
	return float64(f.Engagement.Reads) * k, float64(f.Engagement.Shares) * k
}

// Activity is the engagement index of an audience: weighted interactions
// per 100 followers per day,
//
//	(reads + 2·(likes + 在看) + 3·shares + 5·comments) ÷ followers ÷ days × 100.
//
// The weights rise with the effort an interaction takes and how far it
// carries: a share puts an article before other people, a comment is
// written. It serves units and a WeChat account alike; docs/metrics.md
// explains it with an example.
func Activity(e model.Engagement, followers uint64, days int) float64 {
	if followers == 0 || days <= 0 {
		return 0
	}
	weighted := float64(e.Reads) + 2*float64(e.Likes+e.Wow) + 3*float64(e.Shares) + 5*float64(e.Comments)
	return weighted / float64(followers) / float64(days) * 100
}

// Snapshot is the state of a scope on one date.
type Snapshot struct {
	Date  time.Time
	Scope units.Node
	// From is the first day of the engagement period (the calendar month of Date).
	From time.Time
	idx  *scopeIndex
	figs []fig // by the scope index
}

// fig is a unit's figures in a snapshot, without the unit, which the
// scope index holds: a country's snapshot has 100,000 of them.
type fig struct {
	members, followers uint64
	reported, stale    bool
	reportDate         time.Time
	engagement         model.Engagement
}

func (f fig) hasData() bool { return f.members > 0 }

// Get returns the figures of a unit in the snapshot's scope.
func (s *Snapshot) Get(code string) (State, bool) {
	i, ok := s.idx.at[code]
	if !ok {
		return State{}, false
	}
	f := s.figs[i]
	return State{Unit: s.idx.nodes[i], Members: f.members, Followers: f.followers, Reported: f.reported,
		ReportDate: f.reportDate, Stale: f.stale, Engagement: f.engagement}, true
}

// scopeIndex numbers the units at or below a scope, parents before their
// children, so that a snapshot keeps figures in a slice and rolls them up
// by walking it backwards, without a map lookup per unit.
type scopeIndex struct {
	nodes []units.Node
	kids  [][]int32
	at    map[string]int32
	// codes are the units' codes in order, and byCode their positions, for
	// matching a store's answers, which come in code order, in one merge.
	codes  []string
	byCode []int32
}

// match calls fn(i, pos) for each of the n codes code(i) that is in the
// scope, with its position.
func (x *scopeIndex) match(n int, code func(i int) string, fn func(i int, pos int32)) {
	m := x.matcher()
	for i := 0; i < n; i++ {
		if p, ok := m.find(code(i)); ok {
			fn(i, p)
		}
	}
}

// matcher finds the positions of codes that come in order, as the store
// gives them, by merging them with the index's own ordered codes: a
// country's 100,000 reports cost no map lookup each. A code out of order is
// looked up.
type matcher struct {
	x       *scopeIndex
	j       int // the first of x.codes not below last
	started bool
	last    string // the last code found in order, and where it is
	pos     int32
	ok      bool
}

func (x *scopeIndex) matcher() *matcher { return &matcher{x: x} }

func (m *matcher) find(code string) (int32, bool) {
	switch {
	case m.started && code == m.last: // the same unit's next report
		return m.pos, m.ok
	case code < m.last:
		p, ok := m.x.at[code]
		return p, ok
	}
	codes := m.x.codes
	for m.j < len(codes) && codes[m.j] < code {
		m.j++
	}
	m.started, m.last, m.pos, m.ok = true, code, 0, m.j < len(codes) && codes[m.j] == code
	if m.ok {
		m.pos = m.x.byCode[m.j]
	}
	return m.pos, m.ok
}

// index returns the scope's index, built once per scope and engine.
func (e *Engine) index(scope units.Node) *scopeIndex {
	e.mu.Lock()
	defer e.mu.Unlock()
	if x, ok := e.indexes[scope.Code]; ok {
		return x
	}
	x := &scopeIndex{at: map[string]int32{}}
	e.tree.Walk(scope.Code, func(n units.Node) {
		i := int32(len(x.nodes))
		x.nodes = append(x.nodes, n)
		x.kids = append(x.kids, nil)
		x.at[n.Code] = i
		if p, ok := x.at[n.Parent]; ok && n.Code != scope.Code {
			x.kids[p] = append(x.kids[p], i)
		}
	})
	x.byCode = make([]int32, len(x.nodes))
	for i := range x.byCode {
		x.byCode[i] = int32(i)
	}
	slices.SortFunc(x.byCode, func(a, b int32) int { return strings.Compare(x.nodes[a].Code, x.nodes[b].Code) })
	x.codes = make([]string, len(x.nodes))
	for i, p := range x.byCode {
		x.codes[i] = x.nodes[p].Code
	}
	if e.indexes == nil {
		e.indexes = map[string]*scopeIndex{}
	}
	e.indexes[scope.Code] = x
	return x
}

// Engine computes snapshots and rankings over stored figures. One engine
// serves a process: it keeps an index of every scope it has ranked.
type Engine struct {
	src       Figures
	tree      *units.Tree
	staleDays int

	mu      sync.Mutex
	indexes map[string]*scopeIndex // by scope code
	kept    *kept                  // the country's snapshots at the latest version asked for

	treeOnce sync.Once
	treeSum  string // a digest of the tree, for the key of kept roll-ups
}

// New returns an engine over src that ranks the units of tree.
// staleAfterDays is the staleness window.
func New(src Figures, tree *units.Tree, staleAfterDays int) *Engine {
	return &Engine{src: src, tree: tree, staleDays: staleAfterDays}
}

// LevelsBelow lists the levels that have units below scope, top down.
func (e *Engine) LevelsBelow(scope units.Node) []units.Level {
	var out []units.Level
	for _, l := range []units.Level{units.Province, units.City, units.County, units.Unit} {
		if l.Depth() > scope.Level.Depth() && len(e.tree.Descendants(scope.Code, l)) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// Tree is the unit tree the engine ranks over.
func (e *Engine) Tree() *units.Tree { return e.tree }

// Snapshot computes the as-of state of scope and everything below it on day.
func (e *Engine) Snapshot(ctx context.Context, scope units.Node, day time.Time) (*Snapshot, error) {
	day = model.Date(day)
	from := time.Date(day.Year(), day.Month(), 1, 0, 0, 0, 0, time.UTC)
	// The two reads are independent; ClickHouse answers them side by side.
	type engResult struct {
		eng map[string]model.Engagement
		err error
	}
	engCh := make(chan engResult, 1)
	go func() {
		eng, err := e.src.Engagement(ctx, scope.Code, from, day)
		engCh <- engResult{eng, err}
	}()
	own, err := e.stocks(ctx, scope, day)
	er := <-engCh
	if err != nil {
		return nil, err
	}
	if er.err != nil {
		return nil, er.err
	}
	x := e.index(scope)
	eng := make(map[int32]model.Engagement, len(er.eng))
	for code, en := range er.eng {
		if p, ok := x.at[code]; ok {
			eng[p] = en
		}
	}
	snap := &Snapshot{Date: day, Scope: scope, From: from, idx: x}
	e.rollUp(snap, own, eng)
	return snap, nil
}

// stocks returns the latest report on or before day of every unit in scope,
// by the scope index's positions. Most units reported within the last
// weeks: those are read from a window of days, which is cheap; only the
// units without a report there are looked up over all earlier days, by
// their codes.
func (e *Engine) stocks(ctx context.Context, scope units.Node, day time.Time) ([]report, error) {
	since := day.AddDate(0, 0, -e.staleDays)
	x := e.index(scope)
	own := make([]report, len(x.nodes))
	m := x.matcher()
	err := e.src.EachStock(ctx, scope.Code, since, day, func(st model.Figure) error {
		if p, ok := m.find(st.Unit); ok {
			own[p] = reportOf(st)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var rest []string
	for i, p := range x.byCode {
		if !own[p].has {
			rest = append(rest, x.codes[i])
		}
	}
	if len(rest) == 0 {
		return own, nil
	}
	older, err := e.src.StocksOf(ctx, rest, since.AddDate(0, 0, -1))
	if err != nil {
		return nil, err
	}
	x.match(len(older), func(i int) string { return older[i].Unit }, func(i int, p int32) { own[p] = reportOf(older[i]) })
	return own, nil
}

// rollUp fills in the snapshot's figures from the units' own reports (by
// the scope index's positions) and engagement: children first, each parent
// from its own fresh report or the sums over its children.
func (e *Engine) rollUp(snap *Snapshot, own []report, eng map[int32]model.Engagement) {
	x := snap.idx
	asOf := model.DayOf(snap.Date)
	ownEng := make([]model.Engagement, len(x.nodes))
	for i, en := range eng {
		ownEng[i] = en
	}
	figs := make([]fig, len(x.nodes))
	for i := len(x.nodes) - 1; i >= 0; i-- { // children come after their parents
		var sum fig
		for _, k := range x.kids[i] {
			cf := figs[k]
			if cf.hasData() {
				sum.members += cf.members
				sum.followers += cf.followers
				sum.stale = sum.stale || cf.stale
				if cf.reportDate.After(sum.reportDate) {
					sum.reportDate = cf.reportDate
				}
			}
			sum.engagement = sum.engagement.Add(cf.engagement)
		}
		f := sum
		if r := own[i]; r.members > 0 {
			stale := asOf-r.day > model.Day(e.staleDays)
			// A fresh own report wins; a stale one only when the children have nothing.
			if !stale || !sum.hasData() {
				f = fig{members: uint64(r.members), followers: uint64(r.followers), reported: true, reportDate: r.day.Time(), stale: stale}
			}
		}
		if en := ownEng[i]; en != (model.Engagement{}) {
			f.engagement = en
		} else {
			f.engagement = sum.engagement
		}
		figs[i] = f
	}
	snap.figs = figs
}

// report is a unit's own stock report as a snapshot uses it: 16 bytes
// where a model.Figure takes 56, for the millions a country's series of
// dates holds.
type report struct {
	day                model.Day
	members, followers uint32
	has                bool
}

func reportOf(st model.Figure) report {
	return report{day: model.DayOf(st.Date), members: st.Members, followers: st.Followers, has: true}
}

// Row is one line of a ranking.
type Row struct {
	// Rank is the competition rank, 1 for the highest rate; 0 when the unit
	// has no figures and is not ranked.
	Rank int
	State
	// PrevRank is the rank on the comparison date, 0 when not ranked then or
	// when there is no comparison.
	PrevRank int
}

// Change is the positions gained since the comparison date (positive = up).
// ok is false when either rank is missing.
func (r Row) Change() (n int, ok bool) {
	if r.Rank == 0 || r.PrevRank == 0 {
		return 0, false
	}
	return r.PrevRank - r.Rank, true
}

// PeriodDays is the length of the engagement period in days.
func (r *Ranking) PeriodDays() int { return int(r.Date.Sub(r.From).Hours()/24) + 1 }

// Ranking ranks the units at one level below a scope on one date.
type Ranking struct {
	Level   units.Level
	Within  units.Node
	Date    time.Time
	Compare time.Time // zero without a comparison
	// From is the first day of the engagement period, which ends on Date.
	From time.Time
	Rows []Row
	// Total is the scope's own figures on Date (its report, or the roll-up).
	Total State
	// PrevTotal is Total on the comparison date.
	PrevTotal State
	// Ranked is how many rows have a rank.
	Ranked int
	// StaleDays is the staleness window the figures were judged by.
	StaleDays int
}

// Rank ranks the units at level below within as of day and, when compare is
// not zero, adds each unit's rank as of compare.
func (e *Engine) Rank(ctx context.Context, level units.Level, within units.Node, day, compare time.Time) (*Ranking, error) {
	if err := checkLevel(level, within); err != nil {
		return nil, err
	}
	if compare.IsZero() {
		snap, err := e.Snapshot(ctx, within, day)
		if err != nil {
			return nil, err
		}
		return e.rank(snap, level), nil
	}
	snaps, err := e.Snapshots(ctx, within, []time.Time{day, compare}, true)
	if err != nil {
		return nil, err
	}
	return e.RankOf(level, At(snaps, day), At(snaps, compare))
}

// RankOf ranks the units at level below a snapshot's scope and, when prev
// (a snapshot of the same scope) is not nil, adds each unit's rank in prev.
// It reads nothing: pages that show several rankings of the same dates
// compute the snapshots once.
func (e *Engine) RankOf(level units.Level, snap, prev *Snapshot) (*Ranking, error) {
	if err := checkLevel(level, snap.Scope); err != nil {
		return nil, err
	}
	r := e.rank(snap, level)
	if prev == nil {
		return r, nil
	}
	if prev.Scope.Code != snap.Scope.Code {
		return nil, fmt.Errorf("cannot compare a ranking within %s with one within %s", snap.Scope.Name, prev.Scope.Name)
	}
	ranks := map[string]int{}
	for _, row := range e.rank(prev, level).Rows {
		ranks[row.Unit.Code] = row.Rank
	}
	for i := range r.Rows {
		r.Rows[i].PrevRank = ranks[r.Rows[i].Unit.Code]
	}
	r.Compare = prev.Date
	r.PrevTotal, _ = prev.Get(snap.Scope.Code)
	return r, nil
}

func checkLevel(level units.Level, within units.Node) error {
	if level.Depth() <= within.Level.Depth() && within.Level != units.Unit {
		return &QueryError{Msg: fmt.Sprintf("cannot rank the %s level within %s %s: choose a level below it", level, within.Level, within.Name)}
	}
	return nil
}

func (e *Engine) rank(snap *Snapshot, level units.Level) *Ranking {
	return e.ranking(snap.Scope, level, snap.Date, func(n units.Node) State {
		f, _ := snap.Get(n.Code)
		f.Unit = n
		return f
	})
}

// ranking ranks the units at level below scope on day by their states.
func (e *Engine) ranking(scope units.Node, level units.Level, day time.Time, state func(units.Node) State) *Ranking {
	var figs []State
	for _, n := range e.tree.Descendants(scope.Code, level) {
		figs = append(figs, state(n))
	}
	total := state(scope)
	rows := RankStates(figs)
	ranked := 0
	for _, r := range rows {
		if r.Rank > 0 {
			ranked++
		}
	}
	return &Ranking{Level: level, Within: scope, Date: day, From: model.MonthStart(day), Rows: rows, Total: total, Ranked: ranked, StaleDays: e.staleDays}
}

// rateKey is the rate in units of 0.01 percentage point, the precision at
// which two rates count as equal.
func rateKey(f State) int64 { return int64(math.Round(f.Rate() * 10000)) }

// RankStates orders units by follow rate, highest first, and gives each its
// competition rank; units without figures come last with rank 0.
func RankStates(figs []State) []Row {
	rows := make([]Row, len(figs))
	for i, f := range figs {
		rows[i] = Row{State: f}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.HasData() != b.HasData() {
			return a.HasData()
		}
		if ka, kb := rateKey(a.State), rateKey(b.State); ka != kb {
			return ka > kb
		}
		return a.Unit.Code < b.Unit.Code
	})
	for i := range rows {
		switch {
		case !rows[i].HasData():
			rows[i].Rank = 0
		case i > 0 && rows[i-1].HasData() && rateKey(rows[i-1].State) == rateKey(rows[i].State):
			rows[i].Rank = rows[i-1].Rank
		default:
			rows[i].Rank = i + 1
		}
	}
	return rows
}

// Find returns the ranking row of a unit.
func (r *Ranking) Find(code string) (Row, bool) {
	for _, row := range r.Rows {
		if row.Unit.Code == code {
			return row, true
		}
	}
	return Row{}, false
}

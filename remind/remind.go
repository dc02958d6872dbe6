// Package remind is the 催报 list: between two 通报 a bureau chases the
// units below its scope that have not reported for the month (未报送), whose
// figures are stale (数据过期), that are below their target (未达标), or
// that fell since the previous period (排名下降, 关注率下降), and drafts one
// short reminder for each in the words of an official notice.
//
// The rules:
//   - The period is the calendar month of the date: a unit that has no
//     report from the 1st of that month to the date has not reported (its
//     figures, if any, are carried forward from its last report).
//   - Stale is the ranking's flag: the last report is older than the
//     staleness window (45 days by default). A stale unit has usually not
//     reported for the month either; it is listed under both.
//   - A unit is below target when its followers are fewer than ⌈target ×
//     members⌉ (export.Shortfall); its target is its own or its nearest
//     ancestor's (Targets).
//   - A unit fell when its rank on the date is lower than on the comparison
//     date; its rate fell when the rate dropped by 0.01 percentage point or
//     more while its rank held or rose.
//   - A unit that has not reported is asked to report by the due day of the
//     month after the period (请于8月5日前报送).
package remind

import (
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"followrank/export"
	"followrank/model"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// Kind is what a unit is chased about.
type Kind int

// The kinds of finding, in the order the list gives them.
const (
	NotReported Kind = iota // 未报送: no report in the month of the date
	Stale                   // 数据过期: the last report is older than the staleness window
	BelowTarget             // 未达标: below the target rate (省定目标)
	Fell                    // 排名下降: ranked lower than on the comparison date
	RateFell                // 关注率下降: the rate dropped while the rank held or rose
)

// Kinds are all the kinds, in the list's order.
var Kinds = []Kind{NotReported, Stale, BelowTarget, Fell, RateFell}

// String is the kind's name in the list: 未报送.
func (k Kind) String() string {
	switch k {
	case NotReported:
		return "未报送"
	case Stale:
		return "数据过期"
	case BelowTarget:
		return "未达标"
	case Fell:
		return "排名下降"
	case RateFell:
		return "关注率下降"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Finding is one thing a unit is chased about, with what the list says of
// it: 上次报送为2024年5月31日, 关注率82.35%，还需关注37人可达90%.
type Finding struct {
	Kind   Kind
	Detail string
}

// Item is a unit that has something to be chased about: its figures, its
// findings and the reminder drafted for it.
type Item struct {
	rank.Row // on the date; PrevRank is its rank on the comparison date
	// Prev is the unit's figures on the comparison date; zero without a
	// comparison or figures then.
	Prev rank.State
	// Target is the unit's target rate (省定目标); 0 for none.
	Target float64
	// Needed is how many more followers reach Target; 0 when reached.
	Needed   uint64
	Findings []Finding
	// Reminder is the drafted reminder, addressed to the unit:
	// 县教育局：截至2024年7月31日，你单位……，请于8月5日前报送。
	Reminder string
}

// Has says the item has a finding of the kind.
func (it Item) Has(k Kind) bool {
	for _, f := range it.Findings {
		if f.Kind == k {
			return true
		}
	}
	return false
}

// List is the 催报 list of a scope on a date.
type List struct {
	Level   units.Level
	Within  units.Node
	Date    time.Time
	Compare time.Time // zero without a comparison
	// Due is the day by which units that have not reported are asked to.
	Due time.Time
	// Target is the target of the units below the scope that have none of
	// their own (the scope's, or its nearest ancestor's); 0 for none.
	Target    float64
	StaleDays int
	// Checked is how many units were checked: every unit of the level.
	Checked int
	// Items are the units with findings, in the ranking's order.
	Items []Item
}

// Of lists the items with a finding of the kind.
func (l *List) Of(k Kind) []Item {
	var out []Item
	for _, it := range l.Items {
		if it.Has(k) {
			out = append(out, it)
		}
	}
	return out
}

// Count is how many units have a finding of the kind: a push's 未报送N个.
func (l *List) Count(k Kind) int { return len(l.Of(k)) }

// Title is the list's title: 蒙城县各单位催报清单（截至2024年7月31日）.
func (l *List) Title() string {
	return fmt.Sprintf("%s各%s催报清单（截至%s）", l.Within.Name, l.Level.Chinese(), wording.Date(l.Date))
}

// Targets are the target rates (省定目标) set for units, by code. A unit's
// target is its own or, failing that, its nearest ancestor's.
type Targets struct {
	tree  *units.Tree
	rates map[string]float64
}

// NewTargets returns the targets rates sets, by unit code, over tree.
func NewTargets(tree *units.Tree, rates map[string]float64) *Targets {
	return &Targets{tree: tree, rates: rates}
}

// Of returns the target of the unit with the code: its own, or its nearest
// ancestor's. A nil *Targets has none.
func (t *Targets) Of(code string) (float64, bool) {
	if t == nil {
		return 0, false
	}
	if r, ok := t.rates[code]; ok {
		return r, true
	}
	path := t.tree.Path(code)
	for i := len(path) - 1; i >= 0; i-- {
		if r, ok := t.rates[path[i]]; ok {
			return r, true
		}
	}
	return 0, false
}

// DefaultDueDay is the day of the next month reports are asked for by when
// no other is configured.
const DefaultDueDay = 5

// Options are the choices a list offers.
type Options struct {
	Targets *Targets // nil for none
	// DueDay is the day of the month after the period by which units that
	// have not reported are asked to (1 to 28); 0 for DefaultDueDay.
	DueDay int
}

// Rankings ranks the units at level below within on date and, when
// compare is not zero, on compare too, from one read of the figures: now
// carries each unit's rank on compare (PrevRank), prev its figures then.
// prev is nil without a comparison.
func Rankings(ctx context.Context, e *rank.Engine, level units.Level, within units.Node, date, compare time.Time) (now, prev *rank.Ranking, err error) {
	if compare.IsZero() {
		now, err = e.Rank(ctx, level, within, date, time.Time{})
		return now, nil, err
	}
	if !model.Date(compare).Before(model.Date(date)) {
		return nil, nil, &rank.QueryError{Msg: fmt.Sprintf("对比日期%s不早于统计日期%s：催报只能与此前的日期比较（--compare 应早于 --date）", wording.Date(compare), wording.Date(date))}
	}
	snaps, err := e.Snapshots(ctx, within, []time.Time{date, compare}, false)
	if err != nil {
		return nil, nil, err
	}
	then := rank.At(snaps, compare)
	if now, err = e.RankOf(level, rank.At(snaps, date), then); err != nil {
		return nil, nil, err
	}
	if prev, err = e.RankOf(level, then, nil); err != nil {
		return nil, nil, err
	}
	return now, prev, nil
}

// Check makes the list of a ranking: now on the date, prev (nil for none)
// the same units on the comparison date.
func Check(now, prev *rank.Ranking, o Options) *List {
	dueDay := o.DueDay
	if dueDay <= 0 {
		dueDay = DefaultDueDay
	}
	l := &List{Level: now.Level, Within: now.Within, Date: now.Date, Compare: now.Compare, StaleDays: now.StaleDays, Checked: len(now.Rows),
		Due: time.Date(now.Date.Year(), now.Date.Month()+1, dueDay, 0, 0, 0, 0, time.UTC)}
	if prev != nil {
		l.Compare = prev.Date
	}
	l.Target, _ = o.Targets.Of(now.Within.Code)
	before := map[string]rank.Row{}
	if prev != nil {
		for _, row := range prev.Rows {
			before[row.Unit.Code] = row
		}
	}
	for _, row := range now.Rows {
		it := Item{Row: row}
		if p, ok := before[row.Unit.Code]; ok {
			it.Prev, it.PrevRank = p.State, p.Rank
		}
		if t, ok := o.Targets.Of(row.Unit.Code); ok {
			it.Target = t
			if row.HasData() {
				it.Needed = export.Shortfall(row.State, t)
			}
		}
		it.Findings = l.findings(it)
		if len(it.Findings) == 0 {
			continue
		}
		it.Reminder = l.reminder(it)
		l.Items = append(l.Items, it)
	}
	return l
}

// reported says the unit has a report in the period, the month of the date.
func (l *List) reported(it Item) bool {
	return it.HasData() && !it.ReportDate.Before(model.MonthStart(l.Date))
}

// points is a rate in 0.01 percentage points, the precision rates are
// ranked and compared at.
func points(s rank.State) int64 { return int64(math.Round(s.Rate() * 10000)) }

// rateFell says the unit's rate dropped since the comparison date.
func rateFell(it Item) bool {
	return it.HasData() && it.Prev.HasData() && points(it.State) < points(it.Prev)
}

// fell says the unit is ranked lower than on the comparison date.
func fell(it Item) bool { return it.Rank > 0 && it.PrevRank > 0 && it.Rank > it.PrevRank }

func (l *List) findings(it Item) []Finding {
	var out []Finding
	add := func(k Kind, detail string) { out = append(out, Finding{k, detail}) }
	if !l.reported(it) {
		add(NotReported, lastReport(it))
	}
	if it.Stale {
		add(Stale, l.staleness(it))
	}
	if it.Needed > 0 {
		add(BelowTarget, fmt.Sprintf("关注率%s，还需关注%d人可达%s", wording.Percent(it.Rate()), it.Needed, wording.Target(it.Target)))
	}
	switch {
	case fell(it):
		add(Fell, fmt.Sprintf("排名由第%d位降至第%d位，%s", it.PrevRank, it.Rank, rateWords(it)))
	case rateFell(it):
		add(RateFell, fmt.Sprintf("关注率由%s降至%s，%s", wording.Percent(it.Prev.Rate()), wording.Percent(it.Rate()), rankWords(it)))
	}
	return out
}

// lastReport says when the unit last reported: 上次报送为2024年5月31日, or
// 从未报送.
func lastReport(it Item) string {
	if !it.HasData() || it.ReportDate.IsZero() {
		return "从未报送"
	}
	return "上次报送为" + wording.Date(it.ReportDate)
}

// staleness says how old a stale unit's figures are: its own last report's
// age, or, for figures summed over units below it, that some are stale.
func (l *List) staleness(it Item) string {
	if !it.Reported {
		return fmt.Sprintf("所辖部分单位数据超过%d天未更新", l.StaleDays)
	}
	days := int(l.Date.Sub(it.ReportDate).Hours() / 24)
	return fmt.Sprintf("最近一次报送为%s，已%d天未更新（超过%d天）", wording.Date(it.ReportDate), days, l.StaleDays)
}

// rateWords says how a fallen unit's rate moved: 关注率由85.00%降至83.00%.
func rateWords(it Item) string {
	was, is := wording.Percent(it.Prev.Rate()), wording.Percent(it.Rate())
	switch {
	case !it.Prev.HasData():
		return "关注率" + is
	case points(it.State) < points(it.Prev):
		return fmt.Sprintf("关注率由%s降至%s", was, is)
	case points(it.State) > points(it.Prev):
		return fmt.Sprintf("关注率由%s升至%s", was, is)
	}
	return fmt.Sprintf("关注率%s未变", is)
}

// rankWords says how the rank of a unit whose rate fell moved: 排名仍为第2位.
func rankWords(it Item) string {
	switch {
	case it.Rank == 0:
		return "未排名"
	case it.PrevRank == 0:
		return fmt.Sprintf("排名第%d位", it.Rank)
	case it.Rank < it.PrevRank:
		return fmt.Sprintf("排名由第%d位升至第%d位", it.PrevRank, it.Rank)
	}
	return fmt.Sprintf("排名仍为第%d位", it.Rank)
}

// reminder drafts the unit's reminder: what is found, as of the date, then
// what is asked.
//
//	县教育局：截至2024年7月31日，你单位尚未报送7月关注数据（上次报送为2024年5月31日，已超过45天未更新）；
//	按上次报送数据，排名由第6位降至第7位，关注率为75.00%，低于省定目标85%，还需关注20人，请于8月5日前报送，并分析原因、抓紧推进。
func (l *List) reminder(it Item) string {
	var facts []string
	notReported := it.Has(NotReported)
	if notReported {
		when := fmt.Sprintf("上次报送为%s", wording.Date(it.ReportDate))
		if !it.HasData() {
			when = "此前从未报送"
		}
		if it.Stale && it.Reported {
			when += fmt.Sprintf("，已超过%d天未更新", l.StaleDays)
		}
		facts = append(facts, fmt.Sprintf("尚未报送%d月关注数据（%s）", l.Date.Month(), when))
	} else if it.Stale {
		if it.Reported {
			facts = append(facts, fmt.Sprintf("最近一次报送为%s，已超过%d天未更新", wording.Date(it.ReportDate), l.StaleDays))
		} else {
			facts = append(facts, fmt.Sprintf("所辖部分单位数据已超过%d天未更新", l.StaleDays))
		}
	}

	// The figures: the rank's fall, the rate (its fall, or where it stands
	// against the target) and what the target still needs.
	var figures []string
	if it.Has(Fell) {
		figures = append(figures, fmt.Sprintf("排名由第%d位降至第%d位", it.PrevRank, it.Rank))
	}
	switch {
	case rateFell(it) && (it.Has(Fell) || it.Has(RateFell)):
		figures = append(figures, fmt.Sprintf("关注率由%s降至%s", wording.Percent(it.Prev.Rate()), wording.Percent(it.Rate())))
	case it.Has(BelowTarget):
		figures = append(figures, "关注率为"+wording.Percent(it.Rate()))
	}
	if it.Has(BelowTarget) {
		figures = append(figures, fmt.Sprintf("低于省定目标%s，还需关注%d人", wording.Target(it.Target), it.Needed))
	}
	if len(figures) > 0 {
		fig := strings.Join(figures, "，")
		if notReported {
			fig = "按上次报送数据，" + fig
		}
		facts = append(facts, fig)
	}

	var asks []string
	switch {
	case notReported:
		asks = append(asks, "于"+l.dueWords()+"前报送")
	case it.Stale:
		asks = append(asks, "及时报送最新数据")
	}
	switch {
	case it.Has(Fell) || it.Has(RateFell):
		asks = append(asks, "分析原因、抓紧推进")
	case it.Has(BelowTarget):
		asks = append(asks, "抓紧推进")
	}
	return fmt.Sprintf("%s：截至%s，你单位%s，请%s。", it.Unit.Name, wording.Date(l.Date), strings.Join(facts, "；"), strings.Join(asks, "，并"))
}

// dueWords is the due day as a reminder states it: 8月5日, with the year
// when it is the next year's.
func (l *List) dueWords() string {
	if l.Due.Year() != l.Date.Year() {
		return wording.Date(l.Due)
	}
	return wording.MonthDay(l.Due)
}

package pages

import (
	"context"
	"fmt"
	"time"

	"followrank/charts"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// DashboardSpec says what a dashboard shows.
type DashboardSpec struct {
	Scope   units.Node
	Focus   units.Node // the unit to highlight and follow; zero for none
	Date    time.Time
	Compare time.Time // zero for the end of the month before Date
	From    time.Time // first date of the focus unit's climb
	Options charts.Options
}

// Dashboard builds the page of a scope: headline figures, the ranking of
// each level below it (counties, then cities) and the focus unit's climb.
// Every panel comes from one set of snapshots of the scope (the date, the
// comparison date and the climb's months), read from ClickHouse once.
func (b Builder) Dashboard(ctx context.Context, d DashboardSpec) (charts.Page, error) {
	m := b.Engine
	if d.Compare.IsZero() {
		d.Compare = time.Date(d.Date.Year(), d.Date.Month(), 0, 0, 0, 0, 0, time.UTC)
	}
	o := d.Options
	o.Highlight = d.Focus.Code
	title := o.Title
	o.Title = ""

	dates := []time.Time{d.Date} // the climb's, when there is a focus unit
	if d.Focus.Code != "" {
		from := d.From
		if from.IsZero() || from.After(d.Date) {
			from = d.Date.AddDate(-1, 0, 0)
		}
		var err error
		if dates, err = rank.Dates(from, d.Date, rank.Monthly); err != nil {
			return charts.Page{}, err
		}
	}
	snaps, err := m.Snapshots(ctx, d.Scope, append([]time.Time{d.Compare}, dates...), true)
	if err != nil {
		return charts.Page{}, err
	}
	cur, prev := rank.At(snaps, d.Date), rank.At(snaps, d.Compare)

	page := charts.Page{Theme: o.Theme}
	var headline *rank.Ranking
	// A province or a city ranks its counties (and a country its cities
	// too); a county ranks its own units.
	levels := []units.Level{units.County, units.City}
	if d.Scope.Level.Depth() >= units.County.Depth() {
		levels = []units.Level{units.Unit}
	}
	for _, lvl := range levels {
		if lvl.Depth() <= d.Scope.Level.Depth() {
			continue
		}
		r, err := m.RankOf(lvl, cur, prev)
		if err != nil {
			return charts.Page{}, err
		}
		if len(r.Rows) == 0 {
			continue
		}
		if headline == nil {
			headline = r
		}
		page.Panels = append(page.Panels, charts.Ranking(r, o))
	}
	if headline == nil {
		return charts.Page{}, &rank.QueryError{Msg: fmt.Sprintf("%s以下没有可排名的单位", d.Scope.Name)}
	}
	page.Title = fmt.Sprintf("%s关注“离退休干部工作”公众号情况", d.Scope.Name)
	if title != "" {
		page.Title = title
	}
	page.Subtitle = fmt.Sprintf("截至%s · 较上期(%s)", wording.Date(d.Date), wording.Date(d.Compare))
	page.Footnote = wording.Footnote(headline, time.Now())

	prevTotal, total := headline.PrevTotal, headline.Total
	page.Stats = append(page.Stats,
		charts.Stat{Label: d.Scope.Whole() + "关注率", Value: wording.Percent(total.Rate()),
			Note: fmt.Sprintf("较上期 %+.2f 个百分点", (total.Rate()-prevTotal.Rate())*100)},
		charts.Stat{Label: "已关注人数", Value: wording.Count(total.Followers), Note: "离退休干部 " + wording.Count(total.Members) + " 人"},
		charts.Stat{Label: "参与排名", Value: fmt.Sprintf("%d 个%s", headline.Ranked, headline.Level.Chinese())},
	)
	if d.Focus.Code == "" {
		// The map of the scope's areas after the first ranking, where one ships.
		mp, ok, err := mapPanel(m, d.Scope, cur, o)
		if err != nil {
			return charts.Page{}, err
		}
		if ok {
			page.Panels = append(page.Panels[:1], append([]charts.Panel{mp}, page.Panels[1:]...)...)
		}
		return page, b.addAccounts(ctx, d, o, &page)
	}
	if row, ok := headline.Find(d.Focus.Code); ok {
		note := "关注率 " + wording.Percent(row.Rate())
		if ch, ok := row.Change(); ok {
			note += " · 较上期 " + wording.Change(ch)
		}
		page.Stats = append(page.Stats, charts.Stat{Label: d.Focus.Name + "排名", Value: wording.Place(row.Rank, headline.Ranked), Note: note})
	}
	steps := make([]*rank.Snapshot, len(dates))
	for i, day := range dates {
		steps[i] = rank.At(snaps, day)
	}
	c, err := m.ClimbOf(d.Focus, steps)
	if err != nil {
		return charts.Page{}, err
	}
	// The climb goes right after the first ranking, the map after it, and
	// the trend of the focus unit and the units above it last.
	extra := []charts.Panel{charts.Climb(c, o)}
	mp, ok, err := mapPanel(m, d.Scope, cur, o)
	if err != nil {
		return charts.Page{}, err
	}
	if ok {
		extra = append(extra, mp)
	}
	page.Panels = append(page.Panels[:1], append(extra, page.Panels[1:]...)...)
	trendUnits := []units.Node{d.Focus}
	for p := d.Focus.Parent; p != "" && p != d.Scope.Parent; {
		n, ok := m.Tree().Get(p)
		if !ok {
			break
		}
		trendUnits = append(trendUnits, n)
		p = n.Parent
	}
	page.Panels = append(page.Panels, charts.Trend(rank.TrendOf(trendUnits, steps), o)...)
	return page, b.addAccounts(ctx, d, o, &page)
}

// addAccounts puts each WeChat account's panels at the end of the page.
func (b Builder) addAccounts(ctx context.Context, d DashboardSpec, o charts.Options, page *charts.Page) error {
	accounts, err := b.Accounts.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		days, err := b.Accounts.AccountDays(ctx, a, d.Date.AddDate(0, 0, -89), d.Date)
		if err != nil {
			return err
		}
		if len(days) > 0 {
			page.Panels = append(page.Panels, charts.Account(a, days, o)...)
		}
	}
	return nil
}

// mapPanel is the map of the scope's children in a snapshot of the scope,
// where a map ships.
func mapPanel(m *rank.Engine, scope units.Node, snap *rank.Snapshot, o charts.Options) (charts.Panel, bool, error) {
	outline, ok := charts.OutlineOf(scope)
	children := m.Tree().Children(scope.Code)
	if !ok || len(children) == 0 {
		return charts.Panel{}, false, nil
	}
	r, err := m.RankOf(children[0].Level, snap, nil)
	if err != nil {
		return charts.Panel{}, false, err
	}
	return charts.Map(r, outline, o), true, nil
}

package charts

import (
	"context"
	"fmt"
	"time"

	"followrank/metrics"
	"followrank/units"
)

// DashboardSpec says what a dashboard shows.
type DashboardSpec struct {
	Scope   units.Node
	Focus   units.Node // the unit to highlight and follow; zero for none
	Date    time.Time
	Compare time.Time // zero for the end of the month before Date
	From    time.Time // first date of the focus unit's climb
	Options Options
}

// Dashboard builds the page of a scope: headline figures, the ranking of
// each level below it (counties, then cities) and the focus unit's climb.
// Every panel comes from one set of snapshots of the scope (the date, the
// comparison date and the climb's months), read from ClickHouse once.
func Dashboard(ctx context.Context, m *metrics.Engine, d DashboardSpec) (Page, error) {
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
		if dates, err = metrics.Dates(from, d.Date, metrics.Monthly); err != nil {
			return Page{}, err
		}
	}
	snaps, err := m.Snapshots(ctx, d.Scope, append([]time.Time{d.Compare}, dates...), true)
	if err != nil {
		return Page{}, err
	}
	cur, prev := metrics.At(snaps, d.Date), metrics.At(snaps, d.Compare)

	page := Page{Theme: o.Theme}
	var headline *metrics.Ranking
	for _, lvl := range []units.Level{units.County, units.City} {
		if lvl.Depth() <= d.Scope.Level.Depth() {
			continue
		}
		r, err := m.RankOf(lvl, cur, prev)
		if err != nil {
			return Page{}, err
		}
		if len(r.Rows) == 0 {
			continue
		}
		if headline == nil {
			headline = r
		}
		page.Panels = append(page.Panels, Ranking(r, o))
	}
	if headline == nil {
		return Page{}, fmt.Errorf("%s has no units below it to rank", d.Scope.Name)
	}
	page.Title = fmt.Sprintf("%s关注“离退休干部工作”公众号情况", d.Scope.Name)
	if title != "" {
		page.Title = title
	}
	page.Subtitle = fmt.Sprintf("截至%s · 较上期(%s)", cnDate(d.Date), cnDate(d.Compare))
	page.Footnote = headline.Footnote(time.Now())

	prevTotal, total := headline.PrevTotal, headline.Total
	page.Stats = append(page.Stats,
		Stat{Label: d.Scope.Whole() + "关注率", Value: fmt.Sprintf("%.2f%%", total.Rate()*100),
			Note: fmt.Sprintf("较上期 %+.2f 个百分点", (total.Rate()-prevTotal.Rate())*100)},
		Stat{Label: "已关注人数", Value: fmt.Sprint(total.Followers), Note: fmt.Sprintf("离退休干部 %d 人", total.Members)},
		Stat{Label: "参与排名", Value: fmt.Sprintf("%d 个%s", headline.Ranked, headline.Level.Chinese())},
	)
	if d.Focus.Code == "" {
		return page, addAccounts(ctx, m, d, o, &page)
	}
	if row, ok := headline.Find(d.Focus.Code); ok {
		note := fmt.Sprintf("关注率 %.2f%%", row.Rate()*100)
		if ch, ok := row.Change(); ok {
			note += " · 较上期 " + metrics.ChangeText(ch)
		}
		page.Stats = append(page.Stats, Stat{Label: d.Focus.Name + "排名", Value: metrics.Place(row.Rank, headline.Ranked), Note: note})
	}
	steps := make([]*metrics.Snapshot, len(dates))
	for i, day := range dates {
		steps[i] = metrics.At(snaps, day)
	}
	c, err := m.ClimbOf(d.Focus, steps)
	if err != nil {
		return Page{}, err
	}
	// The climb goes right after the first ranking, the map after it, and
	// the trend of the focus unit and the units above it last.
	extra := []Panel{Climb(c, o)}
	mp, ok, err := mapPanel(m, d.Scope, cur, o)
	if err != nil {
		return Page{}, err
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
	page.Panels = append(page.Panels, Trend(metrics.TrendOf(trendUnits, steps), o)...)
	return page, addAccounts(ctx, m, d, o, &page)
}

// addAccounts puts each WeChat account's panels at the end of the page.
func addAccounts(ctx context.Context, m *metrics.Engine, d DashboardSpec, o Options, page *Page) error {
	accounts, err := m.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		days, err := m.AccountDays(ctx, a, d.Date.AddDate(0, 0, -89), d.Date)
		if err != nil {
			return err
		}
		if len(days) > 0 {
			page.Panels = append(page.Panels, Account(a, days, o)...)
		}
	}
	return nil
}

// mapPanel is the map of the scope's children in a snapshot of the scope,
// where a map ships.
func mapPanel(m *metrics.Engine, scope units.Node, snap *metrics.Snapshot, o Options) (Panel, bool, error) {
	outline, ok := OutlineOf(scope)
	children := m.Tree().Children(scope.Code)
	if !ok || len(children) == 0 {
		return Panel{}, false, nil
	}
	r, err := m.RankOf(children[0].Level, snap, nil)
	if err != nil {
		return Panel{}, false, err
	}
	return Map(r, outline, o), true, nil
}

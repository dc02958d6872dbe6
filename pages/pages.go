// Package pages lays out the pages managers open: the dashboard of a
// scope and the single charts. It is the only chart code that asks the
// ranking engine; package charts draws what it is given.
package pages

import (
	"context"
	"fmt"
	"time"

	"followrank/charts"
	"followrank/model"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// Kinds are the pages Build makes, with what each shows.
var Kinds = map[string]string{
	"ranking":   "Draw the ranking of one level within a scope as horizontal bars, rank 1 on top.",
	"climb":     "Draw a unit's rank over time among its siblings (the bump chart).",
	"trend":     "Draw units' follow rates over time, and their reads per 100 followers.",
	"map":       "Colour the areas below a scope by follow rate: China by province, a province by city, a city by county.",
	"account":   "Draw a WeChat account's followers day by day and its reads per follower and activity.",
	"dashboard": "One page with the headline figures, the rankings, the map, the focus unit's climb and trend, and the accounts.",
}

// Spec says which page to build and for what.
type Spec struct {
	Kind  string
	Level units.Level // ranking
	Scope units.Node
	// Unit is the unit a climb follows, or the one a ranking or dashboard
	// highlights; zero for none.
	Unit  units.Node
	Units []units.Node // trend
	// Account is the WeChat account an account chart draws; empty for the
	// first stored.
	Account string
	Date    time.Time
	// Compare is the date rank changes are measured from; zero for none (a
	// dashboard then compares with the previous month's end).
	Compare  time.Time
	From, To time.Time // climb and trend; a dashboard's climb starts at From
	Options  charts.Options
}

// Accounts reads the WeChat accounts' stored days; the store is one.
type Accounts interface {
	Accounts(ctx context.Context) ([]string, error)
	AccountDays(ctx context.Context, account string, from, to time.Time) ([]model.AccountDay, error)
}

// Builder builds pages from one engine and the accounts' days.
type Builder struct {
	Engine   *rank.Engine
	Accounts Accounts
}

// Build computes the figures a page needs and lays it out. Mistakes in the
// spec are *rank.QueryError.
func (b Builder) Build(ctx context.Context, s Spec) (charts.Page, error) {
	m := b.Engine
	o := s.Options
	o.Highlight = s.Unit.Code
	switch s.Kind {
	case "ranking":
		r, err := m.Rank(ctx, s.Level, s.Scope, s.Date, s.Compare)
		if err != nil {
			return charts.Page{}, err
		}
		return charts.Page{Title: wording.Title(r), Theme: o.Theme, Panels: []charts.Panel{charts.Ranking(r, o)}, Footnote: wording.Footnote(r, time.Now())}, nil
	case "climb":
		if s.Unit.Code == "" {
			return charts.Page{}, &rank.QueryError{Msg: "a climb needs the unit to follow"}
		}
		dates, err := rank.Dates(s.From, s.To, rank.Monthly)
		if err != nil {
			return charts.Page{}, err
		}
		c, err := m.Climb(ctx, s.Unit, s.Scope, dates, false)
		if err != nil {
			return charts.Page{}, err
		}
		return charts.Page{Title: fmt.Sprintf("%s关注率排名变化", s.Unit.Name), Theme: o.Theme, Panels: []charts.Panel{charts.Climb(c, o)}}, nil
	case "trend":
		if len(s.Units) == 0 {
			return charts.Page{}, &rank.QueryError{Msg: "a trend needs at least one unit"}
		}
		dates, err := rank.Dates(s.From, s.To, rank.Monthly)
		if err != nil {
			return charts.Page{}, err
		}
		t, err := m.Trend(ctx, s.Units, dates)
		if err != nil {
			return charts.Page{}, err
		}
		return charts.Page{Title: "关注率与阅读变化", Theme: o.Theme, Panels: charts.Trend(t, o)}, nil
	case "map":
		outline, ok := charts.OutlineOf(s.Scope)
		children := m.Tree().Children(s.Scope.Code)
		if !ok || len(children) == 0 {
			return charts.Page{}, &rank.QueryError{Msg: noMap(s.Scope)}
		}
		r, err := m.Rank(ctx, children[0].Level, s.Scope, s.Date, time.Time{})
		if err != nil {
			return charts.Page{}, err
		}
		return charts.Page{Title: wording.Title(r), Theme: o.Theme, Panels: []charts.Panel{charts.Map(r, outline, o)}, Footnote: wording.Footnote(r, time.Now())}, nil
	case "account":
		accounts, err := b.Accounts.Accounts(ctx)
		if err != nil {
			return charts.Page{}, err
		}
		name := s.Account
		if name == "" && len(accounts) > 0 {
			name = accounts[0]
		}
		known := false
		for _, a := range accounts {
			known = known || a == name
		}
		if !known {
			return charts.Page{}, &rank.QueryError{Msg: fmt.Sprintf("no WeChat account %q has stored figures; configure sources.wechat and run followrank ingest", name)}
		}
		days, err := b.Accounts.AccountDays(ctx, name, s.From, s.To)
		if err != nil {
			return charts.Page{}, err
		}
		return charts.Page{Title: name + " 公众号数据", Theme: o.Theme, Panels: charts.Account(name, days, o)}, nil
	case "dashboard":
		return b.Dashboard(ctx, DashboardSpec{Scope: s.Scope, Focus: s.Unit, Date: s.Date, Compare: s.Compare, From: s.From, Options: s.Options})
	}
	return charts.Page{}, &rank.QueryError{Msg: fmt.Sprintf("no chart %q; the charts are ranking, climb, trend, map and dashboard", s.Kind)}
}

// noMap says why a scope has no map, in the words of its users.
func noMap(scope units.Node) string {
	switch scope.Level {
	case units.City:
		return fmt.Sprintf("没有%s的分县地图：其县级区划在地图数据绘制后有调整，地图未收录（见 charts/assets/maps/counties/README.md）；请用排名图", scope.Name)
	case units.Country, units.Province:
		return fmt.Sprintf("没有%s的地图", scope.Name)
	default:
		return fmt.Sprintf("%s以下没有地图：地图画到县（市、区）一级；%s各单位请看排名图", scope.Name, scope.Name)
	}
}

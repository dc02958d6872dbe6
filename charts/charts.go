// Package charts renders rankings and climbs as self-contained HTML pages
// that managers open offline: ECharts is embedded in the binary and inlined
// into every page, so no page loads anything from the network.
//
// Charts are built with go-echarts; this package renders their option JSON
// into its own page template rather than go-echarts' (which links ECharts
// from a CDN). Unit names are data: they reach the page only inside JSON
// with <, > and & escaped, and inside tooltips only HTML-escaped.
package charts

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"
	"github.com/go-echarts/go-echarts/v2/types"

	"followrank/rank"
	"followrank/wording"
)

//go:embed assets/echarts.min.js
var echartsJS string

// EChartsVersion is the version of the embedded ECharts (Apache-2.0, see
// assets/ECHARTS-LICENSE).
const EChartsVersion = "5.6.0"

// Options are the settings every chart takes.
type Options struct {
	Title     string  // overrides the generated title
	Theme     string  // light (default) or dark, ECharts' built-in themes
	Animation bool    // false for printing and PNG snapshots
	Highlight string  // code of the unit drawn in its own colour
	Target    float64 // target follow rate as a fraction; 0 draws no target line
}

// Validate checks the options a user can set.
func (o Options) Validate() error {
	switch o.Theme {
	case "", "light", "dark":
	default:
		return fmt.Errorf("--theme %q is not light or dark (the themes built into the offline page)", o.Theme)
	}
	if o.Target < 0 || o.Target > 1 {
		return fmt.Errorf("--target %v must be a rate between 0 and 1, e.g. 0.9", o.Target)
	}
	return nil
}

// Colours used across charts.
const (
	colourBar       = "#5470c6"
	colourHighlight = "#d9342b"
	colourFaint     = "#9aa5b8"
	colourTarget    = "#2e8b57"
	colourAverage   = "#e8a33d"
	colourNoData    = "#d9d9d9" // an area without figures
	colourDarkCard  = "#1d1a3a" // a card's background in the dark theme (page.html.tmpl)
)

// Panel is one chart on a page: a go-echarts chart and the box it sits in.
type Panel struct {
	ID      string // element id, unique on the page
	Height  int    // pixels
	Chart   Chart
	Outline *Outline // the map a map chart draws on, registered by the page
}

// Chart is what a go-echarts chart offers for rendering.
type Chart interface {
	Validate()
	JSONNotEscaped() template.HTML
}

// OptionJSON returns the chart's ECharts option as JSON that is safe to place
// inside a <script> element.
func OptionJSON(c Chart) string {
	c.Validate()
	return scriptSafe(string(c.JSONNotEscaped()))
}

// scriptSafe escapes the characters that could end a script element or
// confuse an HTML parser. They can only occur inside JSON strings, where
// the \u escapes mean the same characters.
func scriptSafe(j string) string {
	return strings.NewReplacer(
		"<", `\u003c`, ">", `\u003e`, "&", `\u0026`,
		"\u2028", `\u2028`, "\u2029", `\u2029`,
	).Replace(strings.TrimSpace(j))
}

// pct is a rate as a percentage with two decimals, e.g. 0.85301 → 85.3.
func pct(rate float64) float64 { return math.Round(rate*10000) / 100 }

// pctValue is pct as text with both decimals kept ("85.30"), which ECharts
// reads as a number and labels as written.
func pctValue(rate float64) string { return strconv.FormatFloat(pct(rate), 'f', 2, 64) }

func initOpts(o Options, id string, height int) charts.GlobalOpts {
	theme := o.Theme
	if theme == "" {
		theme = "light"
	}
	return charts.WithInitializationOpts(opts.Initialization{ChartID: id, Theme: theme, Width: "100%", Height: fmt.Sprintf("%dpx", height)})
}

// RankingHeight is the height a ranking chart of n units needs.
func RankingHeight(n int) int { return 110 + 24*max(n, 3) }

// Ranking draws a ranking as horizontal bars, rank 1 on top, rates as
// percentages, the highlighted unit in its own colour, and the scope's
// overall rate (and the target, if set) as vertical lines.
func Ranking(r *rank.Ranking, o Options) Panel {
	id := "ranking_" + string(r.Level)
	height := RankingHeight(len(r.Rows))
	title := o.Title
	if title == "" {
		title = wording.ChartTitle(r)
	}
	names := make([]string, 0, len(r.Rows))
	data := make([]opts.BarData, 0, len(r.Rows))
	for _, row := range r.Rows {
		if row.Rank == 0 {
			continue
		}
		colour := colourBar
		if row.Unit.Code == o.Highlight {
			colour = colourHighlight
		}
		names = append(names, row.Unit.Name)
		data = append(data, opts.BarData{
			Name:      row.Unit.Name,
			Value:     pctValue(row.Rate()),
			ItemStyle: &opts.ItemStyle{Color: colour},
			Tooltip:   &opts.Tooltip{Formatter: types.FuncStr(rowTooltip(row, wording.Comparison(r.Date, r.Compare).Label))},
		})
	}
	top := 88 // room for the title, the subtitle and the mark lines' labels
	if o.Target > 0 {
		top += 18
		height += 18
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(
		initOpts(o, id, height),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{
			Title:    title,
			Subtitle: fmt.Sprintf("截至%s · 共%d个%s参与排名 · %s关注率 %s", wording.Date(r.Date), r.Ranked, r.Level.Chinese(), r.Within.Whole(), wording.Percent(r.Total.Rate())),
			Left:     "center",
		}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "64", Top: strconv.Itoa(top), Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "value", Max: 100, AxisLabel: &opts.AxisLabel{Formatter: "{value}%", HideOverlap: opts.Bool(true)}}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true), AxisLabel: &opts.AxisLabel{Interval: "0"}}),
	)
	bar.SetXAxis(names).XYReversal()
	// The line is the scope's own rate: 全县上报 when the scope reported
	// figures of its own, 全县合计 when they are the sum of its units (a
	// pooled rate, not an average of the units' rates).
	overall := r.Within.Whole() + "合计"
	if r.Total.Reported {
		overall = r.Within.Whole() + "上报"
	}
	marks := []any{markLine(overall, r.Total.Rate(), colourAverage, "dashed", 0)}
	if o.Target > 0 {
		// One row higher than the scope's label, so the two never collide
		// however close the rates.
		marks = append(marks, markLine("目标", o.Target, colourTarget, "solid", 18))
	}
	halo := "#fff"
	if o.Theme == "dark" {
		halo = colourDarkCard
	}
	bar.AddSeries("关注率", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right", Formatter: "{c}%"}),
		charts.WithBarChartOpts(opts.BarChart{BarCategoryGap: "30%"}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{Symbol: []string{"none", "none"}}),
	)
	bar.MultiSeries[0].MarkLines.Data = marks
	bar.Accept(rankingLayout{halo: halo})
	return Panel{ID: id, Height: height, Chart: bar}
}

// markLine is a vertical line at a rate, labelled above the chart with the
// rate as every table prints it (two decimals); lift raises the label by
// that many pixels.
func markLine(name string, rate float64, colour, dash string, lift int) map[string]any {
	return map[string]any{
		"name": name, "xAxis": pct(rate),
		"lineStyle": map[string]any{"color": colour, "type": dash, "width": 1.5},
		"label": map[string]any{"show": true, "position": "start", "distance": 4 + lift,
			"formatter": name + " " + wording.Percent(rate), "color": colour, "fontWeight": "bold"},
	}
}

// rankingLayout draws the bars above the mark lines (ECharts draws mark
// lines at z 5 whatever their own z says) and haloes the value labels in
// the card's colour, so a line never strikes through a figure.
type rankingLayout struct {
	charts.BaseConfigurationVisitor
	halo string
}

func (v rankingLayout) Visit(chart map[string]any) {
	editEach(chart, "series", func(s map[string]any) {
		s["z"] = 6
		if ml, ok := s["markLine"].(map[string]any); ok {
			ml["silent"] = true
		}
		if l, ok := s["label"].(map[string]any); ok {
			l["textBorderColor"], l["textBorderWidth"] = v.halo, 3
		}
	})
}

// editEach edits the options under key (an object or a list of them) as
// JSON objects: the typed options of go-echarts lack a few of ECharts'.
func editEach(chart map[string]any, key string, f func(map[string]any)) {
	var items []map[string]any
	b, err := json.Marshal(chart[key])
	if err != nil {
		return
	}
	if json.Unmarshal(b, &items) == nil {
		for _, it := range items {
			f(it)
		}
		chart[key] = items
		return
	}
	var one map[string]any
	if json.Unmarshal(b, &one) == nil && one != nil {
		f(one)
		chart[key] = one
	}
}

// rowTooltip is the HTML a bar's tooltip shows; every name is escaped.
func rowTooltip(row rank.Row, compared string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<b>%s</b><br/>排名 %s", html.EscapeString(row.Unit.Name), wording.Ordinal(row.Rank))
	if ch, ok := row.Change(); ok {
		fmt.Fprintf(&b, "（%s %s）", compared, wording.Change(ch))
	}
	fmt.Fprintf(&b, "<br/>关注率 %s<br/>关注人数 %d / 离退休干部 %d", wording.Percent(row.Rate()), row.Followers, row.Members)
	if row.Stale {
		fmt.Fprintf(&b, "<br/>（数据截至%s，已超期）", wording.Date(row.ReportDate))
	}
	return b.String()
}

// Climb draws the bump chart of a climb: rank on an inverted axis (1 on
// top), every sibling as a faint line, the unit bold, and its start and end
// annotated (倒数第N → 第M).
func Climb(c *rank.Climb, o Options) Panel {
	id := "climb_" + c.Unit.Code
	height := 520
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("%s关注率排名变化(%s)", c.Unit.Name, c.Within.Name)
	}
	months := make([]string, len(c.Steps))
	of := 0
	for i, s := range c.Steps {
		months[i] = s.Date.Format("2006-01")
		of = max(of, s.Of)
	}

	// Each sibling's rank at each step, by code so the series order is stable.
	siblings := map[string][]opts.LineData{}
	var order []string
	for i, r := range c.Rankings {
		for _, row := range r.Rows {
			if _, ok := siblings[row.Unit.Code]; !ok {
				siblings[row.Unit.Code] = make([]opts.LineData, len(c.Rankings))
				order = append(order, row.Unit.Code)
			}
			siblings[row.Unit.Code][i] = rankPoint(row.Rank, row.Unit.Name)
		}
	}
	sort.Strings(order)

	line := charts.NewLine()
	line.SetGlobalOptions(
		initOpts(o, id, height),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: strings.TrimPrefix(wording.Summary(c), c.Unit.Name+"："), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{a}<br/>{b}: 第{c}名"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithGridOpts(opts.Grid{Left: timeAxisMargin, Right: timeAxisMargin, Top: "80", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(timeAxis()),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "排名", NameLocation: "start", Inverse: opts.Bool(true), Min: 1, Max: max(of, 1), MinInterval: 1,
			AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true)}}),
	)
	line.SetXAxis(months)
	for _, code := range order {
		if code == c.Unit.Code {
			continue
		}
		line.AddSeries(nameOf(c, code), siblings[code],
			charts.WithLineStyleOpts(opts.LineStyle{Color: colourFaint, Width: 1, Opacity: opts.Float(0.25)}),
			charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(false), Symbol: "none"}),
		)
	}
	focus := make([]opts.LineData, len(c.Steps))
	for i, s := range c.Steps {
		focus[i] = rankPoint(s.Rank, c.Unit.Name)
	}
	line.AddSeries(c.Unit.Name, focus,
		charts.WithLineStyleOpts(opts.LineStyle{Color: colourHighlight, Width: 4}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: colourHighlight}),
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true), SymbolSize: 8, Symbol: "circle"}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(false)}),
		charts.WithMarkPointNameCoordItemOpts(endMarks(c, months)...),
	)
	ticks := rankTicks(max(of, 1))
	line.Accept(optionEdit{f: func(chart map[string]any) {
		// A white halo keeps 倒数第1 legible where the line runs under it.
		editEach(chart, "series", func(s map[string]any) {
			mp, _ := s["markPoint"].(map[string]any)
			data, _ := mp["data"].([]any)
			for _, d := range data {
				if l, ok := d.(map[string]any)["label"].(map[string]any); ok {
					l["textBorderColor"], l["textBorderWidth"] = "#fff", 3
				}
			}
		})
		editEach(chart, "yAxis", func(y map[string]any) {
			for _, key := range []string{"axisLabel", "axisTick"} {
				m, _ := y[key].(map[string]any)
				if m == nil {
					m = map[string]any{}
				}
				m["customValues"] = ticks
				y[key] = m
			}
		})
	}})
	return Panel{ID: id, Height: height, Chart: line}
}

// rankTicks are the ranks a bump chart's axis labels: first and last (倒数
// 第1), and round ranks between them, none so close to the last that the
// two labels crowd (100 above 104).
func rankTicks(of int) []int {
	step := 1
	for _, s := range []int{1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000} {
		step = s
		if of/s <= 6 {
			break
		}
	}
	ticks := []int{1}
	for r := step; r < of; r += step {
		if r > 1 && (of-r)*2 >= step && (r-1)*2 >= step {
			ticks = append(ticks, r)
		}
	}
	if of > 1 {
		ticks = append(ticks, of)
	}
	return ticks
}

// optionEdit edits a chart's option as JSON, for the few settings of
// ECharts that go-echarts' typed options lack.
type optionEdit struct {
	charts.BaseConfigurationVisitor
	f func(chart map[string]any)
}

func (e optionEdit) Visit(chart map[string]any) { e.f(chart) }

// timeAxis is an axis of dates drawn from edge to edge, labels that would
// overlap thinned out. Its first and last labels are centred on the ends of
// the axis, half outside the plot: a chart with one keeps timeAxisMargin
// pixels each side. (Aligning them inwards instead would hide them where
// dates are dense.) They keep clear of the value axis's lowest label.
func timeAxis() opts.XAxis {
	return opts.XAxis{Type: "category", BoundaryGap: opts.Bool(false), AxisLabel: &opts.AxisLabel{HideOverlap: opts.Bool(true), Margin: 12}}
}

// timeAxisMargin is the room each side of a time axis for half a date
// label (2024-06).
const timeAxisMargin = "32"

// rankPoint is one point of a bump chart; unranked steps are gaps.
func rankPoint(rank int, name string) opts.LineData {
	if rank == 0 {
		return opts.LineData{Name: name, Value: "-"}
	}
	return opts.LineData{Name: name, Value: rank}
}

// endMarks annotates the first and last ranked steps of the climb.
func endMarks(c *rank.Climb, months []string) []opts.MarkPointNameCoordItem {
	var marks []opts.MarkPointNameCoordItem
	first, last := -1, -1
	for i, s := range c.Steps {
		if s.Rank > 0 {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		return nil
	}
	for n, i := range []int{first, last} {
		s := c.Steps[i]
		// The first mark's label runs right from its point and the last's
		// left, so neither leaves the chart at its edge.
		align := "left"
		if n == 1 {
			align = "right"
		}
		marks = append(marks, opts.MarkPointNameCoordItem{
			Name:       wording.Place(s.Rank, s.Of),
			Coordinate: []any{months[i], s.Rank},
			Value:      wording.Place(s.Rank, s.Of),
			Symbol:     "circle",
			SymbolSize: 12,
			Label:      &opts.Label{Show: opts.Bool(true), Formatter: "{b}", Position: "top", Align: align, Color: colourHighlight, FontWeight: "bold", FontSize: 14},
			ItemStyle:  &opts.ItemStyle{Color: colourHighlight},
		})
		if first == last {
			break
		}
	}
	return marks
}

func nameOf(c *rank.Climb, code string) string {
	for _, r := range c.Rankings {
		if row, ok := r.Find(code); ok {
			return row.Unit.Name
		}
	}
	return code
}

// Stat is one headline figure at the top of a page.
type Stat struct {
	Label string
	Value string
	Note  string
}

// Page is a self-contained HTML page of panels.
type Page struct {
	Title    string
	Subtitle string
	Stats    []Stat
	Panels   []Panel
	Footnote string
	Theme    string
	// Body is what a page of lists shows between its stats and its charts
	// (the web app's 催报 list), HTML made safe by its maker; empty for none.
	Body template.HTML
	// Served, set by the web app, links ECharts, the style and the maps as
	// assets (AssetByName) instead of inlining them, and adds its bar.
	Served *Served
}

// Served is what the web app adds to a page.
type Served struct {
	Lang        string // the page's language: zh-CN or en
	Description string // for the preview a chat app shows of a link
	Nav         Nav
	// DrillBase takes a click on a bar, a line or a map area to the page
	// of the unit of that name: DrillBase + the name, URL-escaped.
	DrillBase string
	// Focus is the unit a phone's ranking is shown around.
	Focus string
	More  string // the words of the button that shows a whole ranking
}

// Nav is the web app's bar: the way down from the top, the choice of date
// and comparison, a search for units, and downloads.
type Nav struct {
	Crumbs    []Link // the last is the page itself
	Action    string // where the form goes
	Hidden    []Choice
	Selects   []Select
	Search    Input
	Submit    string
	Pages     []Link // the scope's other pages, beside the downloads: 催报
	Downloads []Link
	Print     string // the print button's words; empty for none
}

// Link is a labelled URL.
type Link struct{ Label, Href string }

// Choice is one option of a select, or a hidden field.
type Choice struct {
	Name, Value, Label string
	Selected           bool
}

// Select is a labelled drop-down.
type Select struct {
	Label, Name string
	Options     []Choice
}

// Input is a labelled text field.
type Input struct{ Label, Name, Placeholder, Action string }

type panelView struct {
	ID     string
	Height int
	Option template.JS
}

// Write renders the page, with ECharts inlined.
func (p Page) Write(w io.Writer) error {
	theme := p.Theme
	if theme == "" {
		theme = "light"
	}
	views := make([]panelView, len(p.Panels))
	maps := map[string]template.JS{}
	var mapURLs []string
	seen := map[string]bool{}
	for i, pn := range p.Panels {
		if seen[pn.ID] {
			return fmt.Errorf("two charts on one page share the id %q", pn.ID)
		}
		seen[pn.ID] = true
		views[i] = panelView{ID: pn.ID, Height: pn.Height, Option: template.JS(OptionJSON(pn.Chart))}
		if pn.Outline == nil {
			continue
		}
		if p.Served != nil {
			mapURLs = append(mapURLs, assetURL(mapAsset(*pn.Outline)))
		} else {
			maps[pn.Outline.Name] = template.JS(scriptSafe(string(pn.Outline.JSON)))
		}
	}
	data := map[string]any{
		"Page":   p,
		"Theme":  theme,
		"Panels": views,
		"Dark":   theme == "dark",
		"Lang":   "zh-CN",
	}
	if p.Served != nil {
		data["EChartsURL"] = assetURL(fixedAsset("echarts." + EChartsVersion))
		data["CSSURL"] = assetURL(fixedAsset("page"))
		data["MapURLs"] = mapURLs
		data["DrillBase"] = p.Served.DrillBase
		data["Focus"] = p.Served.Focus
		data["More"] = p.Served.More
		if p.Served.Lang != "" {
			data["Lang"] = p.Served.Lang
		}
	} else {
		data["ECharts"] = template.JS(echartsJS)
		data["CSS"] = template.CSS(pageCSS)
		data["Maps"] = maps
	}
	var buf bytes.Buffer
	err := pageTemplate.Execute(&buf, data)
	if err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

//go:embed page.html.tmpl
var pageHTML string

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

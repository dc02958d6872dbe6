package charts

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// Trend draws two panels: the units' follow rates over time, and their
// reads per 100 followers in each period.
func Trend(t *rank.Trend, o Options) []Panel {
	dates := make([]string, len(t.Dates))
	for i, d := range t.Dates {
		dates[i] = d.Format("2006-01")
	}
	names := make([]string, len(t.Units))
	for i, u := range t.Units {
		names[i] = u.Name
	}
	title := o.Title
	if title == "" {
		title = strings.Join(names, "、") + "关注率变化"
	}
	rate := charts.NewLine()
	rate.SetGlobalOptions(
		initOpts(o, "trend_rate", 420),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: title, Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "32"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "72", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", BoundaryGap: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "关注率(%)", Max: 100, Min: 0}),
	)
	rate.SetXAxis(dates)
	reads := charts.NewLine()
	reads.SetGlobalOptions(
		initOpts(o, "trend_engagement", 380),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: "每百名关注者阅读量", Subtitle: "当月阅读量 ÷ 关注人数 × 100", Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "44"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "40", Top: "84", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(opts.XAxis{Type: "category", BoundaryGap: opts.Bool(false)}),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Name: "阅读/百人"}),
	)
	reads.SetXAxis(dates)
	for i, u := range t.Units {
		rates := make([]opts.LineData, len(t.Dates))
		per100 := make([]opts.LineData, len(t.Dates))
		for j, f := range t.Figures[i] {
			if !f.HasData() {
				rates[j], per100[j] = opts.LineData{Value: "-"}, opts.LineData{Value: "-"}
				continue
			}
			r, _ := f.Per100()
			rates[j] = opts.LineData{Value: pctValue(f.Rate())}
			per100[j] = opts.LineData{Value: fmt.Sprintf("%.1f", r)}
		}
		style := charts.WithLineStyleOpts(opts.LineStyle{Width: 2})
		if u.Code == o.Highlight {
			style = charts.WithLineStyleOpts(opts.LineStyle{Width: 4, Color: colourHighlight})
		}
		rate.AddSeries(u.Name, rates, style, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
		reads.AddSeries(u.Name, per100, style, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
	}
	return []Panel{{ID: "trend_rate", Height: 420, Chart: rate}, {ID: "trend_engagement", Height: 380, Chart: reads}}
}

//go:embed assets/maps/*.json
var mapFiles embed.FS

// Outline is the map of a scope: the GeoJSON ECharts draws and the names of
// its areas.
type Outline struct {
	Name     string // the name the page registers it under
	JSON     []byte
	Features []string
}

// OutlineOf returns the map of a scope: China by province, or a province by
// city. ok is false where none ships with the program.
func OutlineOf(scope units.Node) (Outline, bool) {
	var code string
	switch scope.Level {
	case units.Country:
		code = units.Root
	case units.Province:
		code = scope.Code
	default:
		return Outline{}, false
	}
	data, err := mapFiles.ReadFile("assets/maps/" + code + ".json")
	if err != nil {
		return Outline{}, false
	}
	var geo struct {
		Features []struct {
			Properties struct {
				Name string `json:"name"`
			} `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(data, &geo); err != nil {
		return Outline{}, false
	}
	o := Outline{Name: "map_" + code, JSON: data}
	for _, f := range geo.Features {
		o.Features = append(o.Features, f.Properties.Name)
	}
	return o, true
}

// Map colours the units of a ranking on the scope's map by follow rate.
// The map's outline names are matched to unit names, full (合肥市) or
// short (安徽 for 安徽省).
func Map(r *rank.Ranking, outline Outline, o Options) Panel {
	id := "map_" + r.Within.Code
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("%s各%s关注率分布", r.Within.Name, r.Level.Chinese())
	}
	var data []opts.MapData
	lo, hi := 100.0, 0.0
	for _, row := range r.Rows {
		if !row.HasData() {
			continue
		}
		name := matchFeature(row.Unit.Name, outline.Features)
		if name == "" {
			continue
		}
		v := pct(row.Rate())
		lo, hi = min(lo, v), max(hi, v)
		data = append(data, opts.MapData{Name: name, Value: v})
	}
	if lo > hi {
		lo, hi = 0, 100
	}
	m := charts.NewMap()
	m.RegisterMapType(outline.Name)
	m.SetGlobalOptions(
		initOpts(o, id, 560),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: fmt.Sprintf("截至%s", wording.Date(r.Date)), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}: {c}%"}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(true), Min: float32(lo), Max: float32(hi),
			Text: []string{"高", "低"}, Left: "24", Bottom: "24",
			InRange: &opts.VisualMapInRange{Color: []string{"#fde0dd", "#fa9fb5", "#c51b8a"}},
		}),
	)
	m.AddSeries("关注率", data,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}\n{c}%", FontSize: 10}),
	)
	m.Accept(noLegend{})
	return Panel{ID: id, Height: 560, Chart: m, Outline: &outline}
}

// noLegend drops the legend component: a map series draws a dot on every
// area for the legend when one exists, and one series needs no legend.
type noLegend struct {
	charts.BaseConfigurationVisitor
}

func (noLegend) Visit(chart map[string]any) { delete(chart, "legend") }

// matchFeature finds the outline of a unit: its full name, or the short
// name the national map uses (安徽 for 安徽省, 内蒙古 for 内蒙古自治区).
func matchFeature(unit string, features []string) string {
	for _, f := range features {
		if f == unit {
			return f
		}
	}
	for _, f := range features {
		if f != "" && strings.HasPrefix(unit, f) {
			return f
		}
	}
	return ""
}

package charts

import (
	"embed"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"followrank/model"
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
		charts.WithGridOpts(opts.Grid{Left: timeAxisMargin, Right: timeAxisMargin, Top: "72", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(timeAxis()),
		charts.WithYAxisOpts(opts.YAxis{Type: "value", Max: 100, Min: 0, AxisLabel: &opts.AxisLabel{Formatter: "{value}%"}}),
	)
	rate.SetXAxis(dates)
	reads := charts.NewLine()
	reads.SetGlobalOptions(
		initOpts(o, "trend_engagement", 380),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: "每百名关注者阅读量", Subtitle: "当月阅读量 ÷ 关注人数 × 100", Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Top: "44"}),
		charts.WithGridOpts(opts.Grid{Left: timeAxisMargin, Right: timeAxisMargin, Top: "84", Bottom: "24", ContainLabel: opts.Bool(true)}),
		charts.WithXAxisOpts(timeAxis()),
		charts.WithYAxisOpts(opts.YAxis{Type: "value"}),
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
			rates[j] = opts.LineData{Value: pctValue(f.Rate())}
			if r, _ := f.Per100(); f.Followers > 0 && f.Engagement != (model.Engagement{}) {
				per100[j] = opts.LineData{Value: fmt.Sprintf("%.1f", r)}
			} else {
				per100[j] = opts.LineData{Value: "-"} // no engagement figures that month: a gap, not a fall to 0
			}
		}
		// The line, its dots and its legend icon in one colour: the focus
		// unit's red, the others' from a palette of clearly distinct hues.
		colour, width := seriesColours[i%len(seriesColours)], float32(2)
		if u.Code == o.Highlight {
			colour, width = colourHighlight, 4
		}
		style := charts.WithLineStyleOpts(opts.LineStyle{Width: width, Color: colour})
		dots := charts.WithItemStyleOpts(opts.ItemStyle{Color: colour})
		rate.AddSeries(u.Name, rates, style, dots, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
		reads.AddSeries(u.Name, per100, style, dots, charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}))
	}
	return []Panel{{ID: "trend_rate", Height: 420, Chart: rate}, {ID: "trend_engagement", Height: 380, Chart: reads}}
}

// seriesColours tell series apart when none is the focus, and none is the
// focus unit's red (Okabe and Ito's palette for colour-blind readers, then
// darker hues that stay apart when printed).
var seriesColours = []string{"#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#8c564b", "#7f7f7f", "#bcbd22"}

//go:embed assets/maps/*.json assets/maps/counties/*.json
var mapFiles embed.FS

// Outline is the map of a scope: the GeoJSON ECharts draws and the names of
// its areas.
type Outline struct {
	Name     string // the name the page registers it under
	Code     string // the scope's code: 000000, a province's or a city's
	JSON     []byte
	Features []string
}

// OutlineOf returns the map of a scope: China by province, a province by
// city, or a city by county (assets/maps/counties). ok is false where none
// ships with the program: below a city, and for the few cities whose
// counties have been redrawn since the outlines were (see
// assets/maps/counties/README.md).
func OutlineOf(scope units.Node) (Outline, bool) {
	switch scope.Level {
	case units.Country:
		return outlineByCode(units.Root)
	case units.Province, units.City:
		return outlineByCode(scope.Code)
	}
	return Outline{}, false
}

// outlineByCode reads the map of the scope with that code, if one ships.
func outlineByCode(code string) (Outline, bool) {
	data, err := mapFiles.ReadFile("assets/maps/" + code + ".json")
	if err != nil {
		if data, err = mapFiles.ReadFile("assets/maps/counties/" + code + ".json"); err != nil {
			return Outline{}, false
		}
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
	name := "map_" + code
	if code == units.Root {
		// ECharts draws the 南海诸岛 inset, and keeps 香港 and 澳门 off 广东,
		// only on a map registered as "china": a map of China without
		// 南海诸岛 is a 问题地图 that no office may publish.
		name = "china"
	}
	o := Outline{Name: name, Code: code, JSON: data}
	for _, f := range geo.Features {
		o.Features = append(o.Features, f.Properties.Name)
	}
	return o, true
}

// Map colours the units of a ranking on the scope's map by follow rate,
// on a blue scale that prints legibly in grey, over the units that have
// figures; an area without figures is grey and labelled 无数据 (never NaN),
// the highlighted unit is outlined, and the labels of areas too small to
// hold one (香港, 澳门) are left to the tooltip. The map's outline names are
// matched to unit names, full (合肥市) or short (安徽 for 安徽省).
func Map(r *rank.Ranking, outline Outline, o Options) Panel {
	id := "map_" + r.Within.Code
	title := o.Title
	if title == "" {
		title = fmt.Sprintf("%s各%s关注率分布", r.Within.Name, r.Level.Chinese())
	}
	rates := map[string]rank.Row{}
	highlight := ""
	for _, row := range r.Rows {
		name := matchFeature(row.Unit.Name, outline.Features)
		if name == "" {
			continue
		}
		if row.Unit.Code == o.Highlight && o.Highlight != "" {
			highlight = name
		}
		if row.HasData() {
			rates[name] = row
		}
	}
	lo, hi := 100.0, 0.0
	var data []any
	for _, name := range outline.Features {
		item := map[string]any{"name": name}
		row, ok := rates[name]
		if ok {
			v := pct(row.Rate())
			lo, hi = min(lo, v), max(hi, v)
			item["value"] = pctValue(row.Rate())
			item["label"] = map[string]any{"formatter": "{b}\n" + wording.Percent(row.Rate())} // 85.30%, as the table prints it
			item["tooltip"] = map[string]any{"formatter": fmt.Sprintf("%s<br/>关注率 %s<br/>关注人数 %d / 离退休干部 %d",
				html.EscapeString(row.Unit.Name), wording.Percent(row.Rate()), row.Followers, row.Members)}
		} else {
			item["value"] = "-" // ECharts' missing value: no colour from the scale
			item["itemStyle"] = map[string]any{"areaColor": colourNoData}
			item["label"] = map[string]any{"formatter": "{b}\n无数据", "color": "#666"}
			item["tooltip"] = map[string]any{"formatter": html.EscapeString(name) + "：无数据"}
		}
		if smallAreas[name] {
			item["label"] = map[string]any{"show": false}
		}
		if name == highlight {
			style, _ := item["itemStyle"].(map[string]any)
			if style == nil {
				style = map[string]any{}
			}
			style["borderColor"], style["borderWidth"] = colourHighlight, 3
			item["itemStyle"] = style
			item["emphasis"] = map[string]any{"itemStyle": map[string]any{"borderColor": colourHighlight, "borderWidth": 3}}
		}
		data = append(data, item)
	}
	if outline.Name == "china" {
		// The inset ECharts adds: drawn, not a unit, so neither label nor figure.
		data = append(data, map[string]any{"name": "南海诸岛", "value": "-", "itemStyle": map[string]any{"areaColor": colourNoData},
			"label": map[string]any{"show": false}, "tooltip": map[string]any{"formatter": "南海诸岛"}})
	}
	if lo > hi {
		lo, hi = 0, 100
	}
	if hi-lo < 1 { // one unit, or all alike: a scale of some width around them
		lo, hi = max(0, lo-5), min(100, hi+5)
	}
	m := charts.NewMap()
	m.RegisterMapType(outline.Name)
	m.SetGlobalOptions(
		initOpts(o, id, 560),
		charts.WithAnimation(o.Animation),
		charts.WithTitleOpts(opts.Title{Title: title, Subtitle: fmt.Sprintf("截至%s · 灰色为无数据", wording.Date(r.Date)), Left: "center"}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithVisualMapOpts(opts.VisualMap{
			Type: "continuous", Calculable: opts.Bool(true), Min: float32(math.Floor(lo)), Max: float32(math.Ceil(hi)),
			Left: "24", Bottom: "24",
			InRange: &opts.VisualMapInRange{Color: []string{"#deebf7", "#6baed6", "#08519c"}},
		}),
	)
	m.AddSeries("关注率", nil,
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}\n{c}%", FontSize: 10}),
	)
	m.MultiSeries[0].Data = data
	m.Accept(mapLayout{})
	return Panel{ID: id, Height: 560, Chart: m, Outline: &outline}
}

// mapLayout drops the legend (a map series would draw a dot on every area
// for it, and one series needs none), hides labels that would overlap
// others (the tooltip keeps the figures) and puts % on the scale.
type mapLayout struct {
	charts.BaseConfigurationVisitor
}

func (mapLayout) Visit(chart map[string]any) {
	delete(chart, "legend")
	editEach(chart, "series", func(s map[string]any) {
		s["labelLayout"] = map[string]any{"hideOverlap": true}
		// A white halo keeps black labels legible on the darkest blue.
		if l, ok := s["label"].(map[string]any); ok {
			l["textBorderColor"], l["textBorderWidth"] = "#fff", 2
		}
	})
	editEach(chart, "visualMap", func(v map[string]any) { v["formatter"] = "{value}%" })
}

// smallAreas are areas of the national map too small for a label: their
// figures are in the tooltip.
var smallAreas = map[string]bool{"香港": true, "澳门": true}

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

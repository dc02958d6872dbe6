package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"followrank/charts"
	"followrank/model"
	"followrank/pages"
	"followrank/rank"
	"followrank/units"
	"followrank/wording"
)

// The web app: one page per scope, reached by clicking down from 全国 or
// by searching, with its date, comparison and downloads in a bar on top.
// Pages link ECharts, their style and their maps as assets named for their
// content, which a phone keeps for good; the pages themselves revalidate.

// assets serves ECharts, the style and the maps, gzipped where the client
// takes it, for a year: a new version has a new name.
func (s *Server) assets(w http.ResponseWriter, r *http.Request) {
	a, ok := charts.AssetByName(r.PathValue("name"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", a.ContentType)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("Vary", "Accept-Encoding")
	body := a.Body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = a.Gzip
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.Write(body)
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		if name, _, _ := strings.Cut(strings.TrimSpace(part), ";"); name == "gzip" {
			return true
		}
	}
	return false
}

// sendPage writes a page that revalidates: an unchanged page costs a 304.
func sendPage(w http.ResponseWriter, r *http.Request, body []byte) {
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:12]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "private, no-cache")
	h.Set("Vary", "Accept-Encoding, Cookie")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	if acceptsGzip(r) && len(body) > 1024 {
		var z bytes.Buffer
		gz := gzipWriter(&z)
		gz.Write(body)
		gz.Close()
		h.Set("Content-Encoding", "gzip")
		body = z.Bytes()
	}
	w.Write(body)
}

// dashboard is the page of a scope: its rankings, map and focus unit, and
// the bar to go anywhere from there.
func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	a, err := s.ask(r, "dashboard")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	spec := &a.spec
	lang := langOf(r)
	// A leaf unit has no page of its own: its parent's, around it.
	if spec.Scope.Level == units.Unit {
		q := r.URL.Query()
		q.Set("within", spec.Scope.Parent)
		q.Set("focus", spec.Scope.Code)
		q.Del("under")
		http.Redirect(w, r, "/?"+q.Encode(), http.StatusSeeOther)
		return
	}
	compareMonthBefore(spec)
	// The page is the same for everyone who may see it: kept by what it
	// shows and in which words, at the data's version.
	key := fmt.Sprintf("dashboard|%s|%s|%s|%s|%s|%s|%s|%s", spec.Scope.Code, spec.Unit.Code, spec.Date.Format(time.DateOnly),
		spec.Compare.Format(time.DateOnly), spec.From.Format(time.DateOnly), spec.Options.Theme, lang, r.URL.Query().Get("lang"))
	body, err := s.keptPage(w, r, a, key, func(page *charts.Page) error {
		first, last, _, err := s.stockSpan(r.Context(), a.version)
		if err != nil {
			return err
		}
		page.Served = s.served(r, lang, a.m.Tree(), *spec, first, last, *page)
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPage(w, r, personal(body, s.whoBox(r, lang)))
}

// whoBox is the signed-in user's name and sign-out button, put into each
// page as it is sent.
func (s *Server) whoBox(r *http.Request, lang string) []byte {
	u, ok := userOf(r.Context())
	if !ok {
		return nil
	}
	var b bytes.Buffer
	whoTemplate.Execute(&b, map[string]string{"Name": u.name, "Token": s.csrfToken(r), "Label": words(lang)["退出"]})
	return b.Bytes()
}

var whoTemplate = template.Must(template.New("who").Parse(`
  <div class="who">{{.Name}} <form method="post" action="/logout" style="display:inline"><input type="hidden" name="csrf" value="{{.Token}}"><button type="submit">{{.Label}}</button></form></div>`))

// served is the web app's part of a scope's page.
func (s *Server) served(r *http.Request, lang string, tree *units.Tree, spec pages.Spec, first, last time.Time, page charts.Page) *charts.Served {
	say := words(lang)
	nav := bar(r, lang, tree, spec, first, last)
	nav.Action = "/"
	if spec.Unit.Code != "" {
		nav.Hidden = append(nav.Hidden, charts.Choice{Name: "focus", Value: spec.Unit.Code})
	}
	dl := url.Values{}
	dl.Set("within", spec.Scope.Code)
	dl.Set("date", spec.Date.Format(time.DateOnly))
	dl.Set("compare", spec.Compare.Format(time.DateOnly))
	dl.Set("level", string(rankedLevel(spec.Scope)))
	if spec.Unit.Code != "" {
		dl.Set("focus", spec.Unit.Code)
	}
	q := "?" + dl.Encode()
	nav.Pages = []charts.Link{{Label: say["催报"], Href: address(r, lang, "/remind", url.Values{
		"within": {spec.Scope.Code}, "date": {spec.Date.Format(time.DateOnly)}, "compare": {spec.Compare.Format(time.DateOnly)}})}}
	nav.Downloads = []charts.Link{
		{Label: say["通报 Word"], Href: "/tongbao.docx" + q},
		{Label: say["通报 PDF"], Href: "/tongbao.pdf" + q},
		{Label: say["排名表 Excel"], Href: "/export.xlsx" + q},
		{Label: "CSV", Href: "/export.csv" + q},
	}
	return &charts.Served{
		Lang:        map[string]string{"en": "en", "zh": "zh-CN"}[lang],
		Description: page.Subtitle + "。" + statLine(page.Stats),
		Nav:         nav,
		// within= is the last of the sorted query: a unit's name goes on.
		DrillBase: address(r, lang, "/", url.Values{"date": {spec.Date.Format(time.DateOnly)}, "under": {spec.Scope.Code}, "within": {""}}),
		Focus:     spec.Unit.Name,
		More:      say["展开全部（共%d个）"],
	}
}

// address is the address of a page of the app with the query q, and the
// language when the request's address asked for one: it stays with every
// link.
func address(r *http.Request, lang, path string, q url.Values) string {
	if r.URL.Query().Get("lang") != "" {
		q.Set("lang", lang)
	}
	return path + "?" + q.Encode()
}

// bar is the app's bar on a scope's page, but for where its form goes and
// what it offers beside the search: the way down from the top to the
// scopes' dashboards, the date and the comparison, the search, and print.
func bar(r *http.Request, lang string, tree *units.Tree, spec pages.Spec, first, last time.Time) charts.Nav {
	say := words(lang)
	var crumbs []charts.Link
	for code := spec.Scope.Code; code != ""; {
		n, ok := tree.Get(code)
		if !ok {
			break
		}
		href := address(r, lang, "/", url.Values{"within": {n.Code}, "date": {spec.Date.Format(time.DateOnly)}})
		if n.Code == spec.Scope.Code {
			href = ""
		}
		crumbs = append([]charts.Link{{Label: n.Name, Href: href}}, crumbs...)
		code = n.Parent
	}
	var dates []charts.Choice
	all, _ := rank.Dates(first, last, rank.Monthly)
	// A date asked for that is not a month's end of the figures is chosen
	// still, in its place.
	if !slices.ContainsFunc(all, spec.Date.Equal) {
		all = append(all, spec.Date)
		slices.SortFunc(all, time.Time.Compare)
	}
	for i := len(all) - 1; i >= 0; i-- {
		d := all[i]
		dates = append(dates, charts.Choice{Value: d.Format(time.DateOnly), Label: wording.Date(d), Selected: d.Equal(spec.Date)})
	}
	lastMonth := model.MonthStart(spec.Date).AddDate(0, 0, -1)
	lastYear := model.MonthStart(spec.Date.AddDate(-1, 0, 0)).AddDate(0, 1, -1)
	compares := []charts.Choice{
		{Value: lastMonth.Format(time.DateOnly), Label: say["上月"] + "（" + wording.Date(lastMonth) + "）"},
		{Value: lastYear.Format(time.DateOnly), Label: say["去年同期"] + "（" + wording.Date(lastYear) + "）"},
	}
	chosen := false
	for i := range compares {
		compares[i].Selected = compares[i].Value == spec.Compare.Format(time.DateOnly)
		chosen = chosen || compares[i].Selected
	}
	for _, c := range dates {
		if !chosen && c.Value == spec.Compare.Format(time.DateOnly) {
			c.Selected = true
		} else {
			c.Selected = false
		}
		compares = append(compares, c)
	}
	hidden := []charts.Choice{{Name: "within", Value: spec.Scope.Code}}
	if r.URL.Query().Get("lang") != "" {
		hidden = append(hidden, charts.Choice{Name: "lang", Value: lang})
	}
	return charts.Nav{
		Crumbs: crumbs,
		Hidden: hidden,
		Selects: []charts.Select{
			{Label: say["统计日期"], Name: "date", Options: dates},
			{Label: say["对比"], Name: "compare", Options: compares},
		},
		Submit: say["查看"],
		Search: charts.Input{Label: say["查找"], Name: "q", Placeholder: say["单位名称或拼音首字母，如 蒙城、mc"], Action: "/find"},
		Print:  say["打印"],
	}
}

// rankedLevel is the level a scope's 通报 ranks: its counties, or a
// county's units.
func rankedLevel(scope units.Node) units.Level {
	if scope.Level.Depth() >= units.County.Depth() {
		return units.Unit
	}
	return units.County
}

func statLine(stats []charts.Stat) string {
	var parts []string
	for _, s := range stats {
		parts = append(parts, s.Label+" "+s.Value)
	}
	return strings.Join(parts, "，")
}

// find takes a name as people type it (蒙城, mc) to the unit's page, or
// lists the units it could mean.
func (s *Server) find(w http.ResponseWriter, r *http.Request) {
	m, err := s.engineFor(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	say := words(lang)
	q := r.URL.Query().Get("q")
	found := m.Tree().Search(q, r.URL.Query().Get("near"), 30)
	if len(found) == 1 {
		http.Redirect(w, r, "/?within="+url.QueryEscape(found[0].Code), http.StatusSeeOther)
		return
	}
	type hit struct{ Name, Path, Href string }
	var hits []hit
	for _, n := range found {
		var names []string
		for _, code := range m.Tree().Path(n.Code) {
			if a, ok := m.Tree().Get(code); ok && a.Code != n.Code {
				names = append(names, a.Name)
			}
		}
		hits = append(hits, hit{Name: n.Name, Path: strings.Join(names, " › "), Href: "/?within=" + url.QueryEscape(n.Code)})
	}
	var buf bytes.Buffer
	findPage.Execute(&buf, map[string]any{"Q": q, "Hits": hits, "Say": say, "Lang": lang})
	sendPage(w, r, buf.Bytes())
}

var findPage = template.Must(template.New("find").Parse(`<!DOCTYPE html>
<html lang="{{if eq .Lang "en"}}en{{else}}zh-CN{{end}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{index .Say "查找"}} {{.Q}}</title>
<style>body{font-family:"Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:16px;color:#222}
form{display:flex;gap:8px;margin-bottom:12px}input{flex:1;font-size:16px;padding:8px}button{font-size:16px;padding:8px 14px}
li{margin:10px 0;font-size:16px}a{color:#1f4e99}small{color:#888;margin-left:6px}</style></head><body>
<form action="/find"><input type="search" name="q" value="{{.Q}}" aria-label="{{index .Say "查找"}}"><button>{{index .Say "查找"}}</button></form>
{{if .Hits}}<ul>{{range .Hits}}<li><a href="{{.Href}}">{{.Name}}</a><small>{{.Path}}</small></li>{{end}}</ul>
{{else}}<p>{{index .Say "没有找到"}}</p>{{end}}
<p><a href="/">{{index .Say "返回首页"}}</a></p></body></html>`))

// download sends body, a whole file of the format (its extension), named
// in Chinese, with an ASCII name for old clients (RFC 6266, RFC 5987). The
// handlers write the file into memory first, so that a failure is an
// error page, never half a file.
func download(w http.ResponseWriter, format string, body []byte, chinese, ascii string) {
	w.Header().Set("Content-Type", contentTypes[format])
	w.Header().Set("Content-Disposition", `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(chinese))
	w.Write(body)
}

// contentTypes are the types of the files download sends.
var contentTypes = map[string]string{
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"csv":  "text/csv; charset=utf-8",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"pdf":  "application/pdf",
}

// downloadName is how a bureau names the file of a 通报: 安徽省各县（市、区）
// 关注情况通报-2024年6月.xlsx.
func downloadName(scope units.Node, level units.Level, date time.Time, ext string) string {
	return fmt.Sprintf("%s各%s关注情况通报-%s.%s", scope.Name, level.Chinese(), wording.Month(date), ext)
}

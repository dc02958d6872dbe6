package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"followrank/charts"
	"followrank/model"
	"followrank/pages"
	"followrank/rank"
	"followrank/remind"
	"followrank/units"
	"followrank/wording"
)

// The 催报 list of a scope, as `followrank remind` makes it: a page of the
// app, with the units to chase kind by kind and the drafted reminders to
// copy into a chat, and the list to download as XLSX or CSV. It is kept
// and built again when a run lands, as the dashboard is.

// askRemind reads a request for a 催报 list: the scope and date as a
// dashboard's, compared with the previous month's end unless the request
// chose a date, of the units `followrank remind` checks unless a level is
// asked for.
func (s *Server) askRemind(r *http.Request) (asked, error) {
	a, err := s.ask(r, "remind")
	if err != nil {
		return a, err
	}
	compareMonthBefore(&a.spec)
	if r.URL.Query().Get("level") == "" {
		a.spec.Level, err = remindLevel(a.m, a.spec.Scope)
	}
	return a, err
}

// remindLevel is the level a scope's list checks: its counties, or the
// units below a county.
func remindLevel(m *rank.Engine, scope units.Node) (units.Level, error) {
	if scope.Level.Depth() < units.County.Depth() {
		return units.County, nil
	}
	below := m.LevelsBelow(scope)
	if len(below) == 0 {
		return "", &rank.QueryError{Msg: fmt.Sprintf("%s以下没有可排名的单位", scope.Name)}
	}
	return below[0], nil
}

// remindList makes the list a request asks for, with the configured
// targets and due day.
func (s *Server) remindList(r *http.Request, a asked) (*remind.List, error) {
	now, prev, err := remind.Rankings(s.kept(r.Context(), a.version), a.m, a.spec.Level, a.spec.Scope, a.spec.Date, a.spec.Compare)
	if err != nil {
		return nil, err
	}
	return remind.Check(now, prev, remind.Options{Targets: s.targetsIn(a.m.Tree()), DueDay: s.cfg.RemindDueDay}), nil
}

// remindPage is GET /remind: the list of a scope on a date.
func (s *Server) remindPage(w http.ResponseWriter, r *http.Request) {
	a, err := s.askRemind(r)
	spec := &a.spec
	// A leaf unit has no list of its own: its parent's. (Its scope was
	// read and allowed when the engine is there.)
	if a.m != nil && spec.Scope.Level == units.Unit {
		q := r.URL.Query()
		q.Set("within", spec.Scope.Parent)
		q.Del("under")
		http.Redirect(w, r, "/remind?"+q.Encode(), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	lang := langOf(r)
	key := fmt.Sprintf("remind|%s|%s|%s|%s|%s|%s|%s", spec.Scope.Code, spec.Level, spec.Date.Format(time.DateOnly),
		spec.Compare.Format(time.DateOnly), spec.Options.Theme, lang, r.URL.Query().Get("lang"))
	body, err := s.keep(w, a.version, key, func() (charts.Page, error) {
		l, err := s.remindList(r, a)
		if err != nil {
			return charts.Page{}, err
		}
		first, last, _, err := s.stockSpan(r.Context(), a.version)
		if err != nil {
			return charts.Page{}, err
		}
		// The month after the last figures is the one chased, before
		// anyone has reported for it: its end is offered too.
		return layRemind(r, lang, a.m.Tree(), *spec, first, model.MonthStart(last).AddDate(0, 2, -1), l)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPage(w, r, personal(body, s.whoBox(r, lang)))
}

// remindFile serves the list as the command writes it: XLSX (催报清单 and
// 催报通知) or CSV (催报通知).
func (s *Server) remindFile(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := s.askRemind(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		l, err := s.remindList(r, a)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		if format == "xlsx" {
			err = remind.WriteXLSX(&buf, l)
		} else {
			err = remind.WriteCSV(&buf, l)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		spec := a.spec
		download(w, format, buf.Bytes(), fmt.Sprintf("%s催报清单-%s.%s", spec.Scope.Name, wording.Month(spec.Date), format),
			fmt.Sprintf("remind-%s-%s-%s.%s", spec.Scope.Code, spec.Level, spec.Date.Format(time.DateOnly), format))
	})
}

// remindView is what the page's list shows.
type remindView struct {
	Kinds     []kindView
	Reminders []reminderView
	Say       map[string]string
}

// reminderView is a drafted reminder: the unit it is addressed to, then
// the rest (：截至…).
type reminderView struct{ Unit, Rest string }

// kindView is one kind of finding: its units and what is found of each.
type kindView struct {
	ID    string // the anchor of its table
	Name  string
	Count int
	Rows  []findingRow
}

type findingRow struct{ Unit, Detail string }

// layRemind lays the list out as a page of the app: the bar, leading back
// to the scope's dashboard; the count of each kind; a table of the units
// of each kind found; and the reminders, each with a button that copies
// it to paste into a chat.
func layRemind(r *http.Request, lang string, tree *units.Tree, spec pages.Spec, first, last time.Time, l *remind.List) (charts.Page, error) {
	say := words(lang)
	v := remindView{Say: say}
	var found []string
	for i, k := range remind.Kinds {
		kv := kindView{ID: fmt.Sprintf("kind%d", i), Name: k.String()}
		for _, it := range l.Of(k) {
			for _, f := range it.Findings {
				if f.Kind == k {
					kv.Rows = append(kv.Rows, findingRow{it.Unit.Name, f.Detail})
				}
			}
		}
		kv.Count = len(kv.Rows)
		if kv.Count > 0 {
			found = append(found, fmt.Sprintf("%s%d个", k, kv.Count))
		}
		v.Kinds = append(v.Kinds, kv)
	}
	for _, it := range l.Items {
		rv := reminderView{Unit: it.Unit.Name}
		if rest, ok := strings.CutPrefix(it.Reminder, rv.Unit); ok {
			rv.Rest = rest
		} else {
			rv.Unit, rv.Rest = "", it.Reminder
		}
		v.Reminders = append(v.Reminders, rv)
	}
	var body bytes.Buffer
	if err := remindTemplate.Execute(&body, v); err != nil {
		return charts.Page{}, err
	}

	about := []string{fmt.Sprintf("共%d个%s，需催报%d个", l.Checked, l.Level.Chinese(), len(l.Items))}
	if !l.Compare.IsZero() {
		about = append(about, "对比"+wording.Date(l.Compare))
	}
	if l.Target > 0 {
		about = append(about, "省定目标"+wording.Target(l.Target))
	}
	about = append(about, "报送截止"+wording.Date(l.Due))
	description := about[0]
	if len(found) > 0 {
		description += "：" + strings.Join(found, "、")
	}

	nav := bar(r, lang, tree, spec, first, last)
	nav.Action = "/remind"
	// The scope leads back to its dashboard; the list is the page itself.
	nav.Crumbs[len(nav.Crumbs)-1].Href = address(r, lang, "/", url.Values{"within": {spec.Scope.Code}, "date": {spec.Date.Format(time.DateOnly)}})
	nav.Crumbs = append(nav.Crumbs, charts.Link{Label: say["催报"]})
	dl := url.Values{"within": {spec.Scope.Code}, "date": {spec.Date.Format(time.DateOnly)},
		"compare": {spec.Compare.Format(time.DateOnly)}, "level": {string(spec.Level)}}
	q := "?" + dl.Encode()
	nav.Pages = []charts.Link{{Label: say["排名看板"], Href: address(r, lang, "/", url.Values{
		"within": {spec.Scope.Code}, "date": {spec.Date.Format(time.DateOnly)}, "compare": {spec.Compare.Format(time.DateOnly)}})}}
	nav.Downloads = []charts.Link{
		{Label: say["催报清单 Excel"], Href: "/remind.xlsx" + q},
		{Label: "CSV", Href: "/remind.csv" + q},
	}
	return charts.Page{
		Title:    l.Title(),
		Subtitle: strings.Join(about, " · "),
		Theme:    spec.Options.Theme,
		Body:     template.HTML(body.String()),
		Footnote: strings.Join(l.Notes(), "\n"),
		Served: &charts.Served{
			Lang:        map[string]string{"en": "en", "zh": "zh-CN"}[lang],
			Description: description,
			Nav:         nav,
		},
	}, nil
}

// remindTemplate is the list in the page: its content is Chinese, as the
// 通报's; the buttons speak the reader's language. The script copies with
// the Clipboard API where the page may use it (HTTPS, or this computer),
// else as browsers did before it (a plain-HTTP intranet address), else
// selects the text for a long press.
var remindTemplate = template.Must(template.New("remind").Parse(`<div class="kinds">
{{- range .Kinds}}{{if .Count}}<a href="#{{.ID}}">{{.Name}} <b>{{.Count}}</b></a>{{else}}<span>{{.Name}} <b>0</b></span>{{end}}{{end -}}
</div>
<div class="lists">
{{range .Kinds}}{{if .Count}}<section class="panel list" id="{{.ID}}">
<h2>{{.Name}}<span class="n">{{.Count}}个</span></h2>
<table><thead><tr><th>单位</th><th>情况</th></tr></thead><tbody>
{{range .Rows}}<tr><td class="unit">{{.Unit}}</td><td>{{.Detail}}</td></tr>
{{end}}</tbody></table>
</section>
{{end}}{{end -}}
</div>
{{if .Reminders}}<section class="panel list texts" id="texts">
<h2>催报通知<span class="n">{{len .Reminders}}条</span><button type="button" class="copy" data-all="1">{{index .Say "全部复制"}}</button></h2>
<ol>
{{range .Reminders}}<li><p><b>{{.Unit}}</b>{{.Rest}}</p><button type="button" class="copy">{{index $.Say "复制"}}</button></li>
{{end}}</ol>
</section>
{{else}}<section class="panel list"><p class="none">本期没有需要催报的单位。</p></section>
{{end -}}
<script>
(function () {
  var copied = {{index .Say "已复制"}}, failed = {{index .Say "请长按文字复制"}};
  function legacy(text) {
    var t = document.createElement("textarea");
    t.value = text;
    t.setAttribute("readonly", "");
    t.style.cssText = "position:fixed;top:0;left:0;width:1px;height:1px;opacity:0";
    document.body.appendChild(t);
    t.select();
    t.setSelectionRange(0, text.length);
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) {}
    document.body.removeChild(t);
    return ok;
  }
  function say(b, words) {
    var was = b.getAttribute("data-label") || b.textContent;
    b.setAttribute("data-label", was);
    b.textContent = words;
    clearTimeout(b.timer);
    b.timer = setTimeout(function () { b.textContent = was; }, 2000);
  }
  function select(el) {
    var range = document.createRange();
    range.selectNodeContents(el);
    var sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
  }
  document.addEventListener("click", function (e) {
    var b = e.target.closest ? e.target.closest("button.copy") : null;
    if (!b) return;
    var texts = document.querySelectorAll("section.texts li p");
    var el = b.getAttribute("data-all") ? b.parentNode.parentNode.querySelector("ol") : b.parentNode.querySelector("p");
    var lines = [];
    for (var i = 0; i < texts.length; i++) { lines.push(texts[i].textContent); }
    var text = b.getAttribute("data-all") ? lines.join("\n") : el.textContent;
    var done = function () { say(b, copied); };
    var fallback = function () { if (legacy(text)) { done(); } else { select(el); say(b, failed); } };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
</script>
`))

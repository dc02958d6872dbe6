package web_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"followrank/config"
	"followrank/headless"
	"followrank/headless/headlesstest"
	"followrank/ingest/demo"
	"followrank/remind"
	"followrank/units"
	"followrank/web"
)

// mengchengTarget is 蒙城县's 省定目标 in these tests, set by name as a
// config sets it; 安徽省 has one too, which 蒙城县's own overrides.
var mengchengTarget = []config.Target{{Scope: "安徽省", Rate: 0.9}, {Scope: "蒙城县", Rate: 0.95}}

// listed is what the 催报 page lists under a kind: each unit's name and
// what is found of it. Kinds with nothing found have no table.
func listed(t *testing.T, body, kind string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, sec := range strings.Split(body, "<section")[1:] {
		sec, _, _ = strings.Cut(sec, "</section>")
		if !strings.Contains(sec, "<h2>"+kind+"<") {
			continue
		}
		for _, m := range regexp.MustCompile(`<td class="unit">([^<]*)</td><td>([^<]*)</td>`).FindAllStringSubmatch(sec, -1) {
			out[m[1]] = m[2]
		}
	}
	return out
}

// mengchengUnits are the names of 蒙城县's 18 units in the demo.
func mengchengUnits() []string {
	var names []string
	for _, n := range demo.New().Units() {
		if n.Level == units.Unit && n.Parent == "341622" {
			names = append(names, n.Name)
		}
	}
	return names
}

// TestRemindPageListsTheUnitsToChase: the 催报 page of 蒙城县 lists its
// units under the kinds `followrank remind` finds, with the configured
// target: in July none has reported (on June's figures 16 are below 95%);
// in June all have, and those below the target are told how many more
// followers reach it. The dashboard links to the page.
func TestRemindPageListsTheUnitsToChase(t *testing.T) {
	f := start(t, web.Config{Targets: mengchengTarget, RemindDueDay: 10}, nil)
	names := mengchengUnits()
	if len(names) != 18 {
		t.Fatalf("the demo has %d units in 蒙城县, want 18", len(names))
	}

	resp, july := get(t, f.url+"/remind?within=蒙城县&date=2024-07-31", "Accept", "text/html")
	if resp.StatusCode != 200 {
		t.Fatalf("/remind July: %d %.300s", resp.StatusCode, july)
	}
	for _, want := range []string{"<title>蒙城县各单位催报清单（截至2024年7月31日）</title>", "共18个单位，需催报18个", "省定目标95%", "报送截止2024年8月10日",
		`<span class="here">催报</span>`, `action="/remind"`, "复制", "全部复制",
		"<b>县教育局</b>：截至2024年7月31日，你单位尚未报送7月关注数据（上次报送为2024年6月30日）",
		`href="/remind.xlsx?compare=2024-06-30&amp;date=2024-07-31&amp;level=unit&amp;within=341622"`} {
		if !strings.Contains(july, want) {
			t.Errorf("/remind July lacks %s", want)
		}
	}
	notReported := listed(t, july, "未报送")
	if len(notReported) != 18 {
		t.Errorf("July: %d units under 未报送, want all 18: %v", len(notReported), notReported)
	}
	for _, name := range names {
		if notReported[name] != "上次报送为2024年6月30日" {
			t.Errorf("July: %s under 未报送: %q, want 上次报送为2024年6月30日", name, notReported[name])
		}
	}
	if below := listed(t, july, "未达标"); len(below) != 16 {
		t.Errorf("July: %d under 未达标 (on June's figures), want 16", len(below))
	}

	_, june := get(t, f.url+"/remind?within=341622&date=2024-06-30", "Accept", "text/html")
	if n := listed(t, june, "未报送"); len(n) != 0 {
		t.Errorf("June: every unit reported, yet %v are under 未报送", n)
	}
	below := listed(t, june, "未达标")
	if len(below) != 16 || below["县人力资源和社会保障局"] != "关注率88.26%，还需关注17人可达95%" || below["板桥集镇"] != "关注率45.11%，还需关注67人可达95%" {
		t.Errorf("June under 未达标 (95%%): %v", below)
	}
	for _, reached := range []string{"庄周街道", "许疃镇"} {
		if _, ok := below[reached]; ok {
			t.Errorf("June: %s reaches 95%% yet is under 未达标", reached)
		}
	}
	if !strings.Contains(june, "低于省定目标95%，还需关注17人，请抓紧推进。") {
		t.Error("June's reminders do not ask for the followers the target needs")
	}

	// The dashboard of the county links to its list, with its date.
	_, dash := get(t, f.url+"/?within=341622&date=2024-06-30", "Accept", "text/html")
	if !strings.Contains(dash, `<a class="page" href="/remind?compare=2024-05-31&amp;date=2024-06-30&amp;within=341622">催报</a>`) {
		t.Error("the dashboard has no 催报 link to its scope's list")
	}
	// A province's list is of its counties.
	if resp, body := get(t, f.url+"/remind?within=亳州市&date=2024-06-30", "Accept", "text/html"); resp.StatusCode != 200 || !strings.Contains(body, "亳州市各县（市、区）催报清单") || listed(t, body, "未达标")["利辛县"] != "关注率83.14%，还需关注67人可达90%" {
		t.Errorf("亳州市's list: %d\n%.600s", resp.StatusCode, body)
	}
	// The buttons speak English when asked; the list stays Chinese.
	if _, body := get(t, f.url+"/remind?within=341622&date=2024-07-31&lang=en", "Accept", "text/html"); !strings.Contains(body, ">Copy<") || !strings.Contains(body, "Reminders (Excel)") || !strings.Contains(body, "<h2>未报送<") {
		t.Error("/remind?lang=en: want English buttons and the Chinese list")
	}
	// A unit's list is its parent's; a county without units of its own has none.
	req, _ := http.NewRequest("GET", f.url+"/remind?within=341622001&date=2024-07-31", nil)
	if resp, err := (&http.Transport{}).RoundTrip(req); err != nil || resp.StatusCode != http.StatusSeeOther || !strings.Contains(resp.Header.Get("Location"), "within=341622") {
		t.Errorf("a unit's list: %v %v, want 303 to its county's", resp, err)
	}
	for _, bad := range []string{"/remind?within=涡阳县", "/remind?within=341622&date=2024-06-30&compare=2024-07-31", "/remind.csv?within=火星省"} {
		if resp, body := get(t, f.url+bad, "Accept", "text/html"); resp.StatusCode != 400 {
			t.Errorf("%s: %d, want 400\n%.300s", bad, resp.StatusCode, body)
		}
	}
}

// TestRemindDownloads: the list downloads as the command writes it, named
// in Chinese: a workbook of both sheets, and CSV.
func TestRemindDownloads(t *testing.T) {
	f := start(t, web.Config{Targets: mengchengTarget}, nil)
	resp, body := get(t, f.url+"/remind.xlsx?within=341622&date=2024-07-31")
	if cd := resp.Header.Get("Content-Disposition"); resp.StatusCode != 200 || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("蒙城县催报清单-2024年7月.xlsx")) || !strings.Contains(cd, `filename="remind-341622-unit-2024-07-31.xlsx"`) ||
		resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("remind.xlsx: %d, Content-Disposition %q, Content-Type %q", resp.StatusCode, cd, resp.Header.Get("Content-Type"))
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("remind.xlsx does not open: %v", err)
	}
	defer x.Close()
	if got := x.GetSheetList(); !slices.Equal(got, []string{remind.SheetFindings, remind.SheetReminders}) {
		t.Errorf("remind.xlsx has the sheets %v", got)
	}
	if title, _ := x.GetCellValue(remind.SheetFindings, "A2"); strings.ReplaceAll(title, "\n", "") != "蒙城县各单位催报清单（截至2024年7月31日）" {
		t.Errorf("remind.xlsx's title: %q", title)
	}
	rows, _ := x.GetRows(remind.SheetReminders)
	texts := 0
	for _, row := range rows {
		if len(row) > 13 && strings.Contains(row[13], "请于8月5日前报送") {
			texts++
		}
	}
	if texts != 18 {
		t.Errorf("remind.xlsx's 催报通知 asks %d units to report by 8月5日, want 18", texts)
	}

	resp, body = get(t, f.url+"/remind.csv?within=蒙城县&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), url.PathEscape("蒙城县催报清单-2024年6月.csv")) || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(body, "\uFEFF序号,单位代码,单位,") || !strings.Contains(body, "县人力资源和社会保障局") || !strings.Contains(body, ",95%,17,2024-06-30,未达标,") {
		t.Errorf("remind.csv: %d %v\n%s", resp.StatusCode, resp.Header, body)
	}
}

// TestRemindKeepsToTheUsersScope: a user who may see 蒙城县 reads its list,
// and no other county's, as a page or a download.
func TestRemindKeepsToTheUsersScope(t *testing.T) {
	f := startWithUsers(t)
	c := browser(t)
	if resp, _ := signIn(t, c, f.url, "李明", liPass, "/"); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-in: %d", resp.StatusCode)
	}
	if resp, body := do(t, c, "GET", f.url+"/remind?within=341622&date=2024-07-31", nil); resp.StatusCode != 200 || !strings.Contains(body, "李明") {
		t.Errorf("李明's own list: %d, her name shown: %v", resp.StatusCode, strings.Contains(body, "李明"))
	}
	for _, path := range []string{"/remind?within=涡阳县", "/remind?within=阜阳市&date=2024-06-30", "/remind.xlsx?within=341200", "/remind.csv?within=合肥市"} {
		if resp, body := do(t, c, "GET", f.url+path, nil); resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "您的账号只能查看蒙城县") {
			t.Errorf("李明 asked for %s: %d %.200s, want 403", path, resp.StatusCode, body)
		}
	}
	// Kept for the read token, 阜阳市's list is still refused to her.
	if resp, _ := get(t, f.url+"/remind?within=341200", "Authorization", "Bearer "+readToken); resp.StatusCode != 200 {
		t.Fatalf("阜阳市's list with the read token: %d", resp.StatusCode)
	}
	if resp, _ := do(t, c, "GET", f.url+"/remind?within=341200", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("李明 asked for 阜阳市's kept list: %d, want 403", resp.StatusCode)
	}
}

// TestRemindPageInABrowser follows the dashboard's 催报 link on a PC and
// on a phone: the page is no wider than the screen, its crumbs lead back,
// and a 复制 button copies its reminder — through the Clipboard API, or
// as browsers did before it where the page may not use it (plain HTTP on
// an intranet address).
func TestRemindPageInABrowser(t *testing.T) {
	headlesstest.NeedBrowser(t)
	f := start(t, web.Config{Targets: mengchengTarget}, nil)
	for _, size := range []struct{ w, h int }{{1280, 900}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx := context.Background()
			b, err := headless.OpenURL(ctx, f.url+"/?within=341622&date=2024-07-31&lang=zh", size.w, size.h)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			if err := b.Do(chromedp.Click(chromedp.CSS(`nav.app .dl a.page`)), chromedp.Sleep(500*time.Millisecond)); err != nil {
				t.Fatalf("the 催报 link: %v", err)
			}
			if err := b.Do(chromedp.Poll[chromedp.Void](`location.pathname === "/remind" && document.readyState === "complete"`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("the 催报 link did not lead to the list: %v", err)
			}
			var p page
			if err := b.Eval(readPage, &p); err != nil {
				t.Fatal(err)
			}
			if p.Overflow {
				t.Errorf("the list is wider than the %d px window", size.w)
			}
			if u, _ := url.Parse(p.URL); u.Query().Get("within") != "341622" || u.Query().Get("date") != "2024-07-31" {
				t.Errorf("the 催报 link led to %s", p.URL)
			}
			if got := strings.Join(p.Breadcrumbs, ">"); got != "全国>安徽省>亳州市>蒙城县>催报" {
				t.Errorf("crumbs %q", got)
			}
			if p.Downloads["催报清单 Excel"] == "" || p.Downloads["CSV"] == "" {
				t.Errorf("downloads %v", p.Downloads)
			}
			var wide []string
			b.Eval(`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 6).map(e => e.tagName + "." + e.className)`, &wide)
			if len(wide) > 0 {
				t.Errorf("past the window's right edge: %v", wide)
			}

			// The Clipboard API, watched.
			var copied struct{ Text, Want, Label string }
			err = b.Do(
				chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = t => { window.copied = t; return Promise.resolve(); }`),
				chromedp.Click(chromedp.CSS(`section.texts li button.copy`)),
				chromedp.Sleep(200*time.Millisecond),
			)
			if err != nil {
				t.Fatal(err)
			}
			b.Eval(`({Text: window.copied, Want: document.querySelector("section.texts li p").textContent, Label: document.querySelector("section.texts li button.copy").textContent})`, &copied)
			if copied.Text != copied.Want || !strings.HasPrefix(copied.Text, "庄周街道：截至2024年7月31日，你单位尚未报送7月关注数据") || copied.Label != "已复制" {
				t.Errorf("复制 copied %q (the reminder is %q) and says %q", copied.Text, copied.Want, copied.Label)
			}
			// Refused, as on plain HTTP: the old way, all the reminders.
			err = b.Do(
				chromedp.Evaluate[chromedp.Void](`navigator.clipboard.writeText = () => Promise.reject(new Error("not allowed"));
					document.execCommand = c => { window.legacy = c === "copy" ? document.activeElement.value : ""; return true; };`),
				chromedp.Click(chromedp.CSS(`section.texts h2 button.copy`)),
				chromedp.Sleep(200*time.Millisecond),
			)
			if err != nil {
				t.Fatal(err)
			}
			var legacy []string
			b.Eval(`[window.legacy, [...document.querySelectorAll("section.texts li p")].map(p => p.textContent).join("\n"), document.querySelector("section.texts h2 button.copy").textContent]`, &legacy)
			if len(legacy) != 3 || legacy[0] != legacy[1] || strings.Count(legacy[0], "\n") != 17 || legacy[2] != "已复制" {
				t.Errorf("全部复制 without the Clipboard API: %q", legacy)
			}
			if errs := b.Errors(); len(errs) > 0 {
				t.Errorf("script errors: %s", strings.Join(errs, "; "))
			}
		})
	}
}

// TestTargetsInTheTongbaoAndTheRanking: with targets configured, the web's
// 通报 counts the units that reach theirs and the dashboard's ranking draws
// the scope's as a line; without, neither does.
func TestTargetsInTheTongbaoAndTheRanking(t *testing.T) {
	docText := func(t *testing.T, body string) string {
		t.Helper()
		zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
		if err != nil {
			t.Fatalf("tongbao.docx is not a zip: %v", err)
		}
		for _, zf := range zr.File {
			if zf.Name == "word/document.xml" {
				rc, _ := zf.Open()
				b, _ := io.ReadAll(rc)
				rc.Close()
				return string(b)
			}
		}
		t.Fatal("tongbao.docx has no word/document.xml")
		return ""
	}
	for _, tt := range []struct {
		name    string
		targets []config.Target
		text    string // in the 通报 of 亳州市's counties: 蒙城县's target is its own (95%), the others 安徽省's (90%)
		line    string // in the dashboard of 蒙城县
	}{
		{"configured", mengchengTarget, "对照省定目标，达标单位1个，未达标单位3个。", `"formatter":"目标 95.00%"`},
		{"none", nil, "", ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := start(t, web.Config{Targets: tt.targets}, nil)
			resp, body := get(t, f.url+"/tongbao.docx?level=county&within=亳州市&date=2024-06-30")
			if resp.StatusCode != 200 {
				t.Fatalf("tongbao.docx: %d %.300s", resp.StatusCode, body)
			}
			if doc := docText(t, body); strings.Contains(doc, "省定目标") != (tt.text != "") || !strings.Contains(doc, tt.text) {
				t.Errorf("the 通报 says of the targets %v, want %q", strings.Contains(doc, "省定目标"), tt.text)
			}
			_, dash := get(t, f.url+"/?within=341622&date=2024-06-30", "Accept", "text/html")
			if strings.Contains(dash, `"name":"目标"`) != (tt.line != "") || !strings.Contains(dash, tt.line) {
				t.Errorf("the dashboard's target line: drawn %v, want %q", strings.Contains(dash, `"name":"目标"`), tt.line)
			}
		})
	}
}

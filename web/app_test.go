package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"followrank/headless"
	"followrank/headless/headlesstest"
	"followrank/ingest/inbox"
	"followrank/web"
)

// page is what the walk reads of the page it is on.
type page struct {
	URL, Title  string
	Charts      []string
	Overflow    bool // wider than the window: the phone scrolls sideways
	Downloads   map[string]string
	Breadcrumbs []string
}

const readPage = `({
	URL: location.href,
	Title: document.title,
	Charts: (window.followrankCharts || []).map(c => c.getDom().id),
	Overflow: document.documentElement.scrollWidth > window.innerWidth + 1,
	Downloads: Object.fromEntries([...document.querySelectorAll("nav.app .dl a[download]")].map(a => [a.textContent, a.href])),
	Breadcrumbs: [...document.querySelectorAll("nav.app .crumbs a, nav.app .crumbs .here")].map(a => a.textContent),
})`

// barPoint is where, in the window, the bar of a unit is in a ranking
// chart: scrolled into view, at the middle of the bar.
func barPoint(chart, unit string) string {
	return fmt.Sprintf(`(() => {
		const c = followrankCharts.find(c => c.getDom().id === %q);
		if (!c) return null;
		const names = c.getOption().yAxis[0].data;
		const i = names.indexOf(%q);
		if (i < 0) return null;
		if ((c.getOption().dataZoom || []).length) { // a phone's ranking shows the rows around the focus: show all
			c.setOption({dataZoom: [{startValue: 0, endValue: names.length - 1}]});
		}
		const y = c.convertToPixel({yAxisIndex: 0}, i);
		const x = c.convertToPixel({xAxisIndex: 0}, 10);
		const dom = c.getDom();
		window.scrollTo(0, dom.getBoundingClientRect().top + window.scrollY + y - window.innerHeight / 2);
		const r = dom.getBoundingClientRect();
		return [r.left + x, r.top + y];
	})()`, chart, unit)
}

// TestWalkTheWebApp walks the web app as a manager does, on a PC and on a
// phone: from the province's page a click on a city's bar, then on a
// county's, reaches the county's ranking of its own units; the date is
// changed in the bar; the 通报's table is downloaded. On every page no
// chart label is clipped or overlaps another and nothing is wider than
// the screen.
func TestWalkTheWebApp(t *testing.T) {
	headlesstest.NeedBrowser(t)
	f := start(t, web.Config{}, nil)
	for _, size := range []struct{ w, h int }{{1280, 900}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			ctx := context.Background()
			b, err := headless.OpenURL(ctx, f.url+"/?within=340000&lang=zh", size.w, size.h)
			if err != nil {
				t.Fatal(err)
			}
			defer b.Close()
			look := func(step string) page {
				t.Helper()
				if err := b.WaitCharts(ctx); err != nil {
					t.Fatalf("%s: the page did not draw its charts: %v", step, err)
				}
				var p page
				if err := b.Eval(readPage, &p); err != nil {
					t.Fatal(err)
				}
				if p.Overflow {
					t.Errorf("%s: the page is wider than the %d px window", step, size.w)
				}
				drawn, err := b.Labels()
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range drawn {
					for _, problem := range c.Problems() {
						t.Errorf("%s: %s", step, problem)
					}
				}
				if errs := b.Errors(); len(errs) > 0 {
					t.Errorf("%s: script errors: %s", step, strings.Join(errs, "; "))
				}
				if dir := os.Getenv("FOLLOWRANK_SCREENSHOTS"); dir != "" {
					png, _ := b.PNG()
					os.WriteFile(filepath.Join(dir, fmt.Sprintf("walk-%d-%s.png", size.w, step)), png, 0o644)
				}
				return p
			}
			click := func(step, chart, unit string) {
				t.Helper()
				var xy []float64
				if err := b.Eval(barPoint(chart, unit), &xy); err != nil || len(xy) != 2 {
					t.Fatalf("%s: no bar of %s in %s: %v", step, unit, chart, err)
				}
				if err := b.Click(xy[0], xy[1]); err != nil {
					t.Fatal(err)
				}
				if err := b.Do(chromedp.Sleep(500 * 1e6)); err != nil {
					t.Fatal(err)
				}
			}

			p := look("province")
			if !strings.Contains(p.Title, "安徽省") || strings.Join(p.Breadcrumbs, ">") != "全国>安徽省" {
				t.Fatalf("province page: %+v", p)
			}
			click("province", "ranking_city", "亳州市")
			p = look("city")
			if !strings.Contains(p.Title, "亳州市") || strings.Join(p.Breadcrumbs, ">") != "全国>安徽省>亳州市" {
				t.Fatalf("a click on 亳州市's bar led to %+v", p)
			}
			click("city", "ranking_county", "蒙城县")
			p = look("county")
			if !strings.Contains(p.Title, "蒙城县") || len(p.Charts) == 0 || p.Charts[0] != "ranking_unit" {
				t.Fatalf("a click on 蒙城县's bar led to %+v", p)
			}
			var units int
			b.Eval(`followrankCharts[0].getOption().yAxis[0].data.length`, &units)
			if units != 18 {
				t.Errorf("蒙城县's ranking has %d units, want its 18", units)
			}

			// Another date, chosen in the bar.
			err = b.Do(
				chromedp.SetValue(chromedp.CSS(`select[name=date]`), "2024-05-31"),
				chromedp.Submit(chromedp.CSS(`select[name=date]`)),
				chromedp.Sleep(500*1e6),
			)
			if err != nil {
				t.Fatal(err)
			}
			p = look("county-may")
			if u, _ := url.Parse(p.URL); u.Query().Get("date") != "2024-05-31" {
				t.Fatalf("after choosing 2024-05-31 the page is %s", p.URL)
			}

			// The 通报's table, as the link downloads it.
			href := p.Downloads["排名表 Excel"]
			resp, err := http.Get(href)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			cd := resp.Header.Get("Content-Disposition")
			want := "filename*=UTF-8''" + url.PathEscape("蒙城县各单位关注情况通报-2024年5月.xlsx")
			if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "PK") || !strings.Contains(cd, want) {
				t.Errorf("the Excel download: %d, %d bytes, Content-Disposition %q, want %s", resp.StatusCode, len(body), cd, want)
			}
		})
	}
}

// TestBytesPerView measures what a phone downloads for a dashboard: the
// first visit (page and assets, gzipped) and a repeat visit (the page
// revalidated, the assets from its cache).
func TestBytesPerView(t *testing.T) {
	f := start(t, web.Config{}, nil)
	fetch := func(path string, header ...string) (*http.Response, int) {
		req, _ := http.NewRequest("GET", f.url+path, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		// The transport must not undo the gzip: count the bytes on the wire.
		resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, int(n)
	}
	page, first := fetch("/?within=亳州市&focus=蒙城县")
	if page.StatusCode != 200 || page.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("dashboard: %d, encoding %q", page.StatusCode, page.Header.Get("Content-Encoding"))
	}
	// The page's assets, as the browser fetches them.
	req, _ := http.NewRequest("GET", f.url+"/?within=亳州市&focus=蒙城县", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	html, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var assets []string
	for _, part := range strings.Split(string(html), `"/assets/`)[1:] {
		assets = append(assets, "/assets/"+part[:strings.IndexByte(part, '"')])
	}
	if len(assets) < 3 {
		t.Fatalf("the page links %v; want ECharts, the style and the map", assets)
	}
	for _, a := range assets {
		r, n := fetch(a)
		if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") || r.Header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: %d, Cache-Control %q, encoding %q", a, r.StatusCode, r.Header.Get("Cache-Control"), r.Header.Get("Content-Encoding"))
		}
		first += n
	}
	// A repeat visit: the assets are in the cache; the page revalidates.
	again, repeat := fetch("/?within=亳州市&focus=蒙城县", "If-None-Match", page.Header.Get("ETag"))
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("repeat visit: %d, want 304 Not Modified", again.StatusCode)
	}
	t.Logf("dashboard of 亳州市: first visit %d bytes, repeat visit %d bytes", first, repeat)
	if first > 500_000 || repeat > 100_000 {
		t.Errorf("first visit %d bytes (≤ 500 KB), repeat %d (≤ 100 KB)", first, repeat)
	}
}

// TestInterfaceInChineseAndEnglish: errors, the search and the runs speak
// Chinese by default and English when asked for.
func TestInterfaceInChineseAndEnglish(t *testing.T) {
	f := start(t, web.Config{}, nil)
	for _, tt := range []struct {
		path, accept, lang string
		status             int
		want               []string
	}{
		{"/?within=火星省", "text/html", "", 400, []string{"请求有误", "未知单位“火星省”", "返回首页"}},
		{"/?within=毫州市", "text/html", "", 400, []string{"是否为：亳州市"}},
		{"/?within=火星省&lang=en", "text/html", "", 400, []string{"The request cannot be answered", `unknown unit &#34;火星省&#34;`, "Back to the start"}},
		{"/?within=火星省", "text/html", "en-US,en;q=0.9", 400, []string{"The request cannot be answered"}},
		{"/?within=火星省", "text/html", "zh-CN,zh;q=0.9,en;q=0.8", 400, []string{"请求有误"}},
		{"/find?q=mc", "text/html", "", 200, []string{"蒙城县", "满城区", "安徽省 › 亳州市"}},
		{"/find?q=zzzzqqq", "text/html", "", 200, []string{"没有找到"}},
		{"/runs", "text/html", "", 200, []string{"数据采集记录", "开始时间", "拒收行数"}},
		{"/runs?lang=en", "text/html", "", 200, []string{"Ingestion runs", "Started"}},
	} {
		resp, body := get(t, f.url+tt.path, "Accept", tt.accept, "Accept-Language", tt.lang)
		if resp.StatusCode != tt.status {
			t.Errorf("%s (%s): %d, want %d", tt.path, tt.lang, resp.StatusCode, tt.status)
		}
		for _, w := range tt.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s (%s) lacks %q:\n%.400s", tt.path, tt.lang, w, body)
			}
		}
	}
	// One unit found: straight to its page.
	req, _ := http.NewRequest("GET", f.url+"/find?q=mengcheng", nil)
	resp, err := (&http.Transport{}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/?within=341622" {
		t.Errorf("find mengcheng: %d to %q, want 303 to 蒙城县's page", resp.StatusCode, loc)
	}
}

// TestRunsSayWhatWasRejected: /runs names where the figures came from and
// links a run with rejected rows to them: file, line, field, why.
func TestRunsSayWhatWasRejected(t *testing.T) {
	f := start(t, web.Config{}, nil)
	ctx := context.Background()
	os.WriteFile(filepath.Join(f.inbox, "亳州各县-2024年7月.csv"), []byte("单位,离退休干部数,关注人数\n蒙城县,3330,3210\n火星县,100,50\n"), 0o644)
	run, err := f.runner.RunSource(ctx, &inbox.Source{Dir: f.inbox, Tree: f.units.Tree})
	if err != nil || run.Rejected != 1 {
		t.Fatalf("inbox run: %+v, %v", run, err)
	}
	_, body := get(t, f.url+"/runs", "Accept", "text/html")
	for _, want := range []string{"收件箱报表（inbox）", "亳州各县-2024年7月.csv：入库 1 行，拒收 1 行", "部分拒收", `href="/runs/` + run.ID + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("/runs lacks %q", want)
		}
	}
	_, body = get(t, f.url+"/runs/"+run.ID, "Accept", "text/html")
	for _, want := range []string{"拒收的行", "亳州各县-2024年7月.csv", "火星县", ">3<"} {
		if !strings.Contains(body, want) {
			t.Errorf("/runs/%s lacks %q:\n%.600s", run.ID, want, body)
		}
	}
	// A submission names its submitter.
	if code, a := post(t, f.url, mengchengToken, "application/json", []byte(`[{"unit":"蒙城县","date":"2024-07-31","members":3330,"followers":3210}]`)); code != 200 {
		t.Fatalf("submission: %d %v", code, a)
	}
	if _, body := get(t, f.url+"/runs", "Accept", "text/html"); !strings.Contains(body, "报送单位：蒙城县老干部局") || !strings.Contains(body, "接口报送（api）") {
		t.Error("/runs does not name the submitter of a submission")
	}
	if resp, _ := get(t, f.url+"/runs/nosuchrun", "Accept", "text/html"); resp.StatusCode != 404 {
		t.Errorf("/runs/nosuchrun: %d, want 404", resp.StatusCode)
	}
}

package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"followrank/ingest/inbox"
	"followrank/ingest/wechat"
	"followrank/ingest/wechat/wechattest"
	"followrank/units"
	"followrank/web"
)

// TestPagesKeptUntilTheFiguresChange: a page is built once and kept; each
// way figures or units land — an inbox run, an API submission, a WeChat
// run, a units import — makes the next request build it again, showing
// what landed: the dashboard, and the 催报 list (one unit fewer to chase).
func TestPagesKeptUntilTheFiguresChange(t *testing.T) {
	f := start(t, web.Config{}, nil)
	ctx := context.Background()
	page := func(path string) (string, string) {
		t.Helper()
		resp, body := get(t, f.url+path, "Accept", "text/html")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %.300s", path, resp.StatusCode, body)
		}
		return resp.Header.Get("X-Followrank-Page"), body
	}
	kept := func(step, path string) string {
		t.Helper()
		if how, _ := page(path); how != "built" && how != "kept" {
			t.Fatalf("%s: no X-Followrank-Page header", step)
		}
		how, body := page(path)
		if how != "kept" {
			t.Errorf("%s: the page was %s again with nothing changed, want kept", step, how)
		}
		return body
	}
	rebuilt := func(step, path, want string) {
		t.Helper()
		how, body := page(path)
		if how != "built" || !strings.Contains(body, want) {
			t.Errorf("%s: the next page was %s and shows %q: %v; want it built, showing what landed", step, how, want, strings.Contains(body, want))
		}
	}

	mengcheng := "/?within=341622&lang=zh"
	kept("before", mengcheng)
	// Its 催报 list for July, when none of its units has reported.
	remindJuly := "/remind?within=341622&date=2024-07-31&lang=zh"
	if body := kept("before", remindJuly); !strings.Contains(body, `未报送 <b>18</b>`) {
		t.Errorf("before: July's list does not have all 18 units under 未报送")
	}

	// An inbox run: 蒙城县's units report for July.
	os.WriteFile(filepath.Join(f.inbox, "蒙城县各单位-2024年7月.csv"), []byte("单位,日期,离退休干部数,关注人数\n县财政局,2024-07-31,200,199\n"), 0o644)
	if run, err := f.runner.RunSource(ctx, &inbox.Source{Dir: f.inbox, Tree: f.units.Tree}); err != nil || run.Accepted != 1 {
		t.Fatalf("inbox run: %+v, %v", run, err)
	}
	rebuilt("inbox run", mengcheng, "截至2024年7月31日")
	kept("after the inbox run", mengcheng)
	rebuilt("inbox run", remindJuly, `未报送 <b>17</b>`)
	kept("after the inbox run", remindJuly)

	// An API submission: 蒙城县 for August.
	if code, a := post(t, f.url, mengchengToken, "application/json", []byte(`[{"unit":"县教育局","date":"2024-08-31","members":230,"followers":229}]`)); code != 200 {
		t.Fatalf("submission: %d %v", code, a)
	}
	rebuilt("API submission", mengcheng, "截至2024年8月31日")
	kept("after the submission", mengcheng)

	// A units import: a unit renamed.
	tree, err := f.units.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	renamed, _ := tree.Get("341622002")
	renamed.Name = "县财政局（国资局）"
	if err := f.store.SaveUnits(ctx, tree, []units.Node{renamed}, "import", uint64(time.Now().UnixNano())); err != nil {
		t.Fatal(err)
	}
	rebuilt("units import", mengcheng, "县财政局（国资局）")
	kept("after the units import", mengcheng)

	// A WeChat run: the county's account, through a fake of the API.
	asOf := time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC)
	morning := time.Date(2024, 9, 1, 10, 0, 0, 0, wechattest.China)
	api := httptest.NewServer(wechattest.NewFake(wechattest.NewSeries(asOf.AddDate(0, 0, -30), 20300), func() time.Time { return morning }))
	defer api.Close()
	src := &wechat.Source{Account: "蒙城银辉", AppID: wechattest.AppID, Secret: func() (string, error) { return wechattest.AppSecret, nil },
		BaseURL: api.URL, From: asOf.AddDate(0, 0, -29), To: asOf, Now: func() time.Time { return morning }}
	if run, err := f.runner.RunSource(ctx, src); err != nil || run.Accepted == 0 {
		t.Fatalf("wechat run: %+v, %v", run, err)
	}
	rebuilt("WeChat run", mengcheng, "蒙城银辉")
}

// TestKeptPagesRespectScopes: a page kept for one user is not given to a
// user whose scope does not reach it.
func TestKeptPagesRespectScopes(t *testing.T) {
	f := startWithUsers(t)
	// The shared token (any scope) has the page of 阜阳市 built and kept.
	for range 2 {
		if resp, _ := get(t, f.url+"/?within=341200", "Authorization", "Bearer "+readToken); resp.StatusCode != 200 {
			t.Fatalf("阜阳市 with the read token: %d", resp.StatusCode)
		}
	}
	c := browser(t)
	signIn(t, c, f.url, "李明", liPass, "/")
	if resp, _ := do(t, c, "GET", f.url+"/?within=341200", nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("蒙城县's user asked for 阜阳市's kept page: %d, want 403", resp.StatusCode)
	}
	// And her own page, kept, carries her name, not another's.
	if resp, body := do(t, c, "GET", f.url+"/?within=341622", nil); resp.StatusCode != 200 || !strings.Contains(body, "李明") || strings.Contains(body, "王芳") {
		t.Errorf("李明's page: %d, her name shown: %v", resp.StatusCode, strings.Contains(body, "李明"))
	}
}

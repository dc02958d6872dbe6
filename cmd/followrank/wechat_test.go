package main

import (
	"os"
	"strings"
	"testing"
	"time"

	"followrank/ingest/wechat/wechattest"
	"followrank/store/storetest"
)

// TestWeChatSourceEndToEnd configures the WeChat source against the fake
// API, runs `followrank ingest`, and draws the account: the nightly job a
// bureau sets up, with the secret in the environment and never in the logs.
func TestWeChatSourceEndToEnd(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Setenv("FOLLOWRANK_TEST_WECHAT_SECRET", wechattest.AppSecret)
	t.Chdir(t.TempDir())
	f, srv := wechattest.New(t, wechattest.NewSeries(time.Now().AddDate(0, 0, -60), 23300), nil)
	f.Ready, f.Final = 0, 0 // yesterday published and final whatever the hour the test runs
	os.WriteFile("followrank.yaml", []byte(`
log:
  level: debug
schedule:
  - name: nightly
    spec: "0 0 3 * * *"
    sources: [wechat]
sources:
  wechat:
    account: 蒙城银辉
    app_id: `+wechattest.AppID+`
    app_secret_env: FOLLOWRANK_TEST_WECHAT_SECRET
    base_url: `+srv.URL+`
    backfill_days: 5
`), 0o644)
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	out, logs, err := followrankLogs(t, "ingest")
	if err != nil || !strings.Contains(out, "wechat：ok，入库5行") {
		t.Fatalf("ingest: %v\n%s\n%s", err, out, logs)
	}
	out, logs2, err := followrankLogs(t, "ingest")
	if err != nil || !strings.Contains(out, "wechat：ok，入库3行") {
		t.Fatalf("second ingest must fetch only the last 3 days again (refetch_days): %v\n%s", err, out)
	}
	for _, l := range []string{logs, logs2} {
		if strings.Contains(l, wechattest.AppSecret) || strings.Contains(l, "token-1") {
			t.Errorf("the logs show a secret:\n%s", l)
		}
	}
	if out, err := followrank(t, "runs"); err != nil || strings.Count(out, "wechat") != 2 {
		t.Errorf("runs: %v\n%s", err, out)
	}
	if out, err := followrank(t, "chart", "account", "-o", "a.html"); err != nil {
		t.Fatalf("chart account: %v\n%s", err, out)
	}
	page, _ := os.ReadFile("a.html")
	if !strings.Contains(string(page), "蒙城银辉 关注人数") {
		t.Error("the account chart lacks its title")
	}

	// A wrong secret fails the source with a clear message, and exit status 2.
	t.Setenv("FOLLOWRANK_TEST_WECHAT_SECRET", "wrong-secret-0123456789")
	out, logs, err = followrankLogs(t, "ingest", "--from", "2020-01-01", "--to", "2020-01-02")
	if err == nil || !strings.Contains(out, "AppSecret is wrong") {
		t.Errorf("wrong secret: %v\n%s", err, out)
	}
	if strings.Contains(out+logs, "wrong-secret-0123456789") {
		t.Error("the output shows the secret")
	}
}

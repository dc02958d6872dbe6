package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"followrank/store/storetest"
)

// TestMain runs the tests without the machine's locale and language
// settings: the program speaks Chinese, its default, unless a test says
// otherwise.
func TestMain(m *testing.M) {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG", "FOLLOWRANK_LANG"} {
		os.Unsetenv(v)
	}
	os.Exit(m.Run())
}

// followrank runs the program in-process, as a user would from a shell.
func followrank(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, _, err := followrankLogs(t, args...)
	return out, err
}

// followrankLogs is followrank that also returns what went to stderr: logs.
func followrankLogs(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	err = run(ctx, args, &out, &errOut)
	return out.String(), errOut.String(), err
}

func useTestDatabase(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Chdir(t.TempDir()) // no stray followrank.yaml, and out/ lands here
}

func TestDemoEndToEndTwiceGivesSameFigures(t *testing.T) {
	useTestDatabase(t)
	out, err := followrank(t, "demo")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, want := range []string{"正在建立", "正在载入57212条演示数据（104个县", "正在生成截至2024年6月30日的看板", "正在导出县级排名表", "已写入 out/dashboard.html", "已写入 out/ranking.xlsx：截至2024年6月30日，104个县（市、区）参与排名"} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	for _, f := range []string{"out/dashboard.html", "out/ranking.xlsx", "out/ranking.csv", "out/通报.docx"} {
		if st, err := os.Stat(f); err != nil || st.Size() == 0 {
			t.Errorf("%s not written: %v", f, err)
		}
	}
	page, _ := os.ReadFile("out/dashboard.html")
	if bytes.Contains(page, []byte("src=\"http")) || !bytes.Contains(page, []byte("echarts.init")) {
		t.Error("dashboard is not self-contained")
	}
	for _, id := range []string{"ranking_county", "climb_341622", "ranking_city"} {
		if !bytes.Contains(page, []byte(`id="`+id+`"`)) {
			t.Errorf("dashboard lacks the %s chart", id)
		}
	}
	// The demo's county account came through the WeChat source, a year of it.
	if !bytes.Contains(page, []byte("蒙城银辉 新增关注来源")) || !bytes.Contains(page, []byte("扫描二维码")) {
		t.Error("dashboard lacks the account's followers by source")
	}
	if out, err := followrank(t, "chart", "account", "--account", "蒙城银辉", "-o", "account.html"); err != nil {
		t.Errorf("chart account after demo: %v\n%s", err, out)
	}
	// A city's map of its counties, the one a city bureau publishes; none
	// below a county, and the user is told why in Chinese.
	if out, err := followrank(t, "chart", "map", "--within", "亳州市", "--highlight", "蒙城县", "-o", "bozhou.html"); err != nil {
		t.Errorf("chart map --within 亳州市: %v\n%s", err, out)
	} else if page, _ := os.ReadFile("bozhou.html"); !bytes.Contains(page, []byte(`"谯城区"`)) || !bytes.Contains(page, []byte(`"利辛县"`)) {
		t.Error("亳州市's map does not name its counties")
	}
	if _, err := followrank(t, "chart", "map", "--within", "蒙城县", "-o", "x.html"); err == nil || !strings.Contains(err.Error(), "蒙城县以下没有地图") {
		t.Errorf("chart map --within 蒙城县: err = %v, want 蒙城县以下没有地图", err)
	}
	if out, err := followrank(t, "runs"); err != nil || !regexp.MustCompile(`wechat\s+ok\s+366\s`).MatchString(out) {
		t.Errorf("runs after demo: want a wechat run with 366 days, %v\n%s", err, out)
	}

	rank := func() []map[string]any {
		out, err := followrank(t, "rank", "--level", "county", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31", "--format", "json")
		if err != nil {
			t.Fatalf("rank: %v", err)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("rank json: %v\n%s", err, out)
		}
		return rows
	}
	first := rank()
	if len(first) != 104 {
		t.Fatalf("%d counties ranked, want 104", len(first))
	}
	var keys []string
	for k := range first[0] {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range []string{"rank", "code", "name", "members", "followers", "rate", "prev_rank", "change", "stale"} {
		if _, ok := first[0][k]; !ok {
			t.Errorf("rank json lacks %q (has %v)", k, keys)
		}
	}

	if out, err := followrank(t, "demo"); err != nil {
		t.Fatalf("second demo: %v\n%s", err, out)
	}
	second := rank()
	a, _ := json.Marshal(first)
	b, _ := json.Marshal(second)
	if !bytes.Equal(a, b) {
		t.Fatal("running the demo twice changed the figures")
	}

	out, err = followrank(t, "climb", "--unit", "蒙城县", "--within", "安徽省")
	if err != nil {
		t.Fatalf("climb: %v", err)
	}
	if !strings.Contains(out, "蒙城县：倒数第") || !strings.Contains(out, "→ 第") {
		t.Errorf("climb does not show the climb:\n%s", out)
	}
}

func TestMigrateUnreachableFailsFastWithOneLine(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", "clickhouse://127.0.0.1:1/followrank")
	start := time.Now()
	_, err := followrank(t, "migrate")
	if err == nil {
		t.Fatal("migrate succeeded against a closed port")
	}
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v, want seconds", time.Since(start))
	}
	if msg := err.Error(); strings.Contains(msg, "\n") || !strings.Contains(msg, "127.0.0.1:1") {
		t.Errorf("error %q is not one line naming the address", msg)
	}
}

func TestCommandLineMistakesExitWithStatus2(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"frobnicate"},
		{"rank", "--level", "galaxy"},
		{"rank", "--format", "yaml"},
		{"rank", "--date", "30/06/2024"},
		{"export", "--level", "county"},
	} {
		_, err := followrank(t, args...)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 {
			t.Errorf("%v: err = %v, want exit status 2", args, err)
		}
	}
}

func TestHelpListsCommands(t *testing.T) {
	out, err := followrank(t, "help")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range commands() {
		if !strings.Contains(out, c.name) {
			t.Errorf("help lacks %s", c.name)
		}
	}
}

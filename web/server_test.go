package web_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/common/expfmt"
	"github.com/xuri/excelize/v2"

	prommodel "github.com/prometheus/common/model"

	"followrank/config"
	"followrank/ingest"
	"followrank/ingest/demo"
	"followrank/ingest/inbox"
	"followrank/jobs"
	"followrank/model"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
	"followrank/web"
)

const (
	mengchengToken = "mengcheng-token-0123456789"
	bozhouToken    = "bozhou-token-0123456789ab"
)

// slowSource takes a while, to show overlapping runs skipped and shutdown
// waiting for a running ingestion.
type slowSource struct {
	took     time.Duration
	started  atomic.Int32
	finished atomic.Int32
}

func (s *slowSource) Name() string { return "slow" }
func (s *slowSource) Ingest(ctx context.Context, _ ingest.Sink, _ string) (ingest.Outcome, error) {
	s.started.Add(1)
	time.Sleep(s.took) // deliberately deaf to ctx: shutdown must wait for it
	s.finished.Add(1)
	return ingest.Outcome{Accepted: 1}, nil
}

// syncBuffer is a log destination tests can read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	logs   *syncBuffer
	url    string
	store  *store.Store
	units  *units.Cache
	inbox  string
	slow   *slowSource
	runner *jobs.Runner
	stop   func() error
}

func start(t *testing.T, cfg web.Config, sched []config.Job) *fixture {
	t.Helper()
	return startWith(t, cfg, sched, nil)
}

// startWith is start with the server's store wrapped by wrap, when not nil.
func startWith(t *testing.T, cfg web.Config, sched []config.Job, wrap func(*store.Store) web.Store) *fixture {
	t.Helper()
	s := storetest.New(t)
	// The demo's figures, with 蒙城县's own units, as `followrank demo` loads them.
	tree, err := units.NewTree(append(units.Builtin(), demo.New().Units()...))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveUnits(context.Background(), tree, demo.New().Units(), "demo", store.BuiltinVersion+1); err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFigures(context.Background(), "demo", model.NewRunID(), demo.New().Figures(tree)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: s, inbox: t.TempDir(), slow: &slowSource{took: 2500 * time.Millisecond}, logs: &syncBuffer{}}
	log := slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	f.units = units.NewCache(s, 0)
	rec := jobs.NewRecorder(s, log)
	runner := jobs.New(s, rec, []ingest.Source{&inbox.Source{Dir: f.inbox, Tree: f.units.Tree}, f.slow}, log)
	runner.Retry.Wait = 10 * time.Millisecond
	cfg.Scope, cfg.StaleDays, cfg.Jobs, cfg.Location = "340000", 45, sched, time.UTC
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
	}
	cfg.Submitters = []config.Submitter{
		{Name: "蒙城县老干部局", Token: mengchengToken, Scope: "341622"},
		{Name: "亳州市委老干部局", Token: bozhouToken, Scope: "亳州市"},
	}
	f.runner = runner
	var ws web.Store = s
	if wrap != nil {
		ws = wrap(s)
	}
	srv := web.New(cfg, web.Deps{Store: ws, Units: f.units, Recorder: rec, Runner: runner, Log: log})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln) }()
	f.url = "http://" + ln.Addr().String()
	var once atomic.Bool
	f.stop = func() error {
		if !once.CompareAndSwap(false, true) {
			return nil
		}
		cancel()
		return <-done
	}
	t.Cleanup(func() { f.stop() })
	return f
}

func get(t *testing.T, url string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func post(t *testing.T, url, token, ctype string, body []byte) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/api/v1/figures", bytes.NewReader(body))
	req.Header.Set("Content-Type", ctype)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var a map[string]any
	json.NewDecoder(resp.Body).Decode(&a)
	return resp.StatusCode, a
}

func TestPagesAndExports(t *testing.T) {
	f := start(t, web.Config{}, nil)
	resp, body := get(t, f.url+"/?focus=蒙城县&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.Contains(body, "echarts.init") || !strings.Contains(body, `id="climb_341622"`) {
		t.Fatalf("dashboard: %d, %d bytes", resp.StatusCode, len(body))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
	for _, path := range []string{"/chart/ranking?level=city", "/chart/climb?unit=蒙城县", "/chart/trend?units=蒙城县,亳州市", "/chart/map", "/runs"} {
		if resp, body := get(t, f.url+path); resp.StatusCode != 200 || !strings.Contains(body, "<html") {
			t.Errorf("%s: %d %.200s", path, resp.StatusCode, body)
		}
	}
	resp, body = get(t, f.url+"/export.xlsx?level=county&within=亳州市&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "ranking-341600-county-2024-06-30.xlsx") {
		t.Fatalf("export.xlsx: %d %v", resp.StatusCode, resp.Header)
	}
	x, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("export.xlsx does not open: %v", err)
	}
	if v, _ := x.GetCellValue(x.GetSheetName(0), "A2"); !strings.Contains(v, "亳州市") {
		t.Errorf("xlsx title = %q", v)
	}
	// The whole 通报 as Word: a document whose text states the figures.
	resp, body = get(t, f.url+"/tongbao.docx?level=county&within=亳州市&date=2024-06-30&focus=蒙城县")
	if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Disposition"), "tongbao-341600-county-2024-06-30.docx") ||
		resp.Header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
		t.Fatalf("tongbao.docx: %d %v %.300s", resp.StatusCode, resp.Header, body)
	}
	zr, err := zip.NewReader(strings.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("tongbao.docx is not a zip: %v", err)
	}
	var doc string
	for _, zf := range zr.File {
		if zf.Name == "word/document.xml" {
			rc, _ := zf.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			doc = string(b)
		}
	}
	if !strings.Contains(doc, "关于2024年6月亳州市各县（市、区）关注") || !strings.Contains(doc, "蒙城县关注率") || !strings.Contains(doc, "合计") {
		t.Errorf("tongbao.docx lacks the title, the text or the table:\n%.500s", doc)
	}
	if resp, body := get(t, f.url+"/tongbao.docx?level=county&within=亳州市&date=2024-05-31&compare=2024-06-30"); resp.StatusCode != 400 || !strings.Contains(body, "不早于统计日期") {
		t.Errorf("a comparison after the date: %d %s", resp.StatusCode, body)
	}
	resp, body = get(t, f.url+"/export.csv?level=city&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\uFEFF排名,单位") || strings.Count(body, "\n") != 18 {
		t.Errorf("export.csv: %d\n%s", resp.StatusCode, body)
	}
	for _, bad := range []string{"/?within=火星省", "/export.csv?date=yesterday", "/export.csv?level=province", "/chart/pie", "/chart/map?within=蒙城县"} {
		if resp, body := get(t, f.url+bad); resp.StatusCode != 400 && resp.StatusCode != 404 {
			t.Errorf("%s: %d %s, want 400 or 404", bad, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, f.url+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	for _, p := range []string{"/../../etc/passwd", "/chart/..%2f..%2fetc%2fpasswd", "/export.csv/../../etc/passwd"} {
		if resp, body := get(t, f.url+p); resp.StatusCode == 200 && strings.Contains(body, "root:") {
			t.Errorf("%s served a file from outside", p)
		}
	}
	checkMetrics(t, f.url, map[string]float64{
		`followrank_http_requests_total{code="200",route="GET /export.csv"}`: 1,
		`followrank_http_request_duration_seconds{route="GET /export.csv"}`:  3, // one answered, two refused
	})
}

// checkMetrics reads /metrics with Prometheus' own parser of the text
// format, and checks the counts (a histogram's by its sample count) and that
// the Go runtime's and the process's metrics are there.
func checkMetrics(t *testing.T, base string, want map[string]float64) {
	t.Helper()
	resp, body := get(t, base+"/metrics")
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("/metrics content type %q", ct)
	}
	p := expfmt.NewTextParser(prommodel.UTF8Validation)
	families, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	got := map[string]float64{}
	for name, mf := range families {
		for _, m := range mf.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, fmt.Sprintf("%s=%q", l.GetName(), l.GetValue()))
			}
			key := name + "{" + strings.Join(labels, ",") + "}"
			switch {
			case m.Counter != nil:
				got[key] = m.GetCounter().GetValue()
			case m.Histogram != nil:
				got[key] = float64(m.GetHistogram().GetSampleCount())
			case m.Gauge != nil:
				got[key] = m.GetGauge().GetValue()
			}
		}
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("/metrics: %s = %v, want %v", k, got[k], v)
		}
	}
	for _, name := range []string{"go_goroutines", "process_resident_memory_bytes"} {
		if families[name] == nil {
			t.Errorf("/metrics has no %s", name)
		}
	}
}

func TestReadToken(t *testing.T) {
	f := start(t, web.Config{ReadToken: "read-secret-0123456789"}, nil)
	if resp, _ := get(t, f.url+"/export.csv?level=city"); resp.StatusCode != 401 {
		t.Errorf("no token: %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, f.url+"/export.csv?level=city", "Authorization", "Bearer wrong"); resp.StatusCode != 401 {
		t.Errorf("wrong token: %d, want 401", resp.StatusCode)
	}
	if resp, _ := get(t, f.url+"/export.csv?level=city", "Authorization", "Bearer read-secret-0123456789"); resp.StatusCode != 200 {
		t.Errorf("bearer token: %d, want 200", resp.StatusCode)
	}
	req, _ := http.NewRequest("GET", f.url+"/runs", nil)
	req.SetBasicAuth("director", "read-secret-0123456789")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("basic auth: %v %v", resp, err)
	}
	if resp, _ := get(t, f.url+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz needs no token: %d", resp.StatusCode)
	}
}

func TestSubmissionAPI(t *testing.T) {
	f := start(t, web.Config{MaxBodyBytes: 4096}, nil)
	good := []byte(`[{"unit":"341622","date":"2024-07-31","members":3330,"followers":3210,"reads":"1,200"},
		{"unit":"蒙城县","date":"2024-08-31","members":3330,"followers":9999}]`)
	code, a := post(t, f.url, mengchengToken, "application/json", good)
	if code != 200 || a["accepted"].(float64) != 1 || a["rejected"].(float64) != 1 {
		t.Fatalf("submission: %d %v", code, a)
	}
	rows := a["rows"].([]any)
	var reason string
	for _, r := range rows {
		if m := r.(map[string]any); m["status"] == "rejected" {
			reason = fmt.Sprint(m["line"], ": ", m["field"], ": ", m["reason"], " (", m["code"], ")")
		}
	}
	if reason != "2: followers: 9999，大于离退休干部数3330 (followers.over_members)" {
		t.Errorf("rejected row reason = %q", reason)
	}
	stocks, err := f.store.StocksOf(context.Background(), []string{"341622"}, time.Date(2024, 8, 31, 0, 0, 0, 0, time.UTC))
	if err != nil || len(stocks) != 1 || stocks[0].Followers != 3210 {
		t.Errorf("stored = %v, %v; want July's 3,210 followers", stocks, err)
	}

	for _, tt := range []struct {
		name, token string
		body        []byte
		want        int
	}{
		{"no token", "", good, 401},
		{"wrong token", "not-a-token-at-all-xxxxxxxx", good, 401},
		{"outside its scope", mengchengToken, []byte(`[{"unit":"涡阳县","date":"2024-07-31","members":10,"followers":5}]`), 403},
		{"oversized body", bozhouToken, bytes.Repeat([]byte(" "), 5000), 413},
		{"not JSON", bozhouToken, []byte(`{"unit":`), 400},
		{"an array under the limit, the body over it", bozhouToken, append([]byte(`[{"unit":"涡阳县","date":"2024-07-31","members":10,"followers":5}]`), bytes.Repeat([]byte(" "), 5000)...), 413},
		{"data after the array", bozhouToken, []byte(`[{"unit":"涡阳县","date":"2024-07-31","members":10,"followers":5}]]}garbage`), 400},
		{"unknown field", bozhouToken, []byte(`[{"unit":"涡阳县","followerz":5}]`), 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := f.store.FigureRows(context.Background())
			code, a := post(t, f.url, tt.token, "application/json", tt.body)
			if code != tt.want {
				t.Errorf("status %d (%v), want %d", code, a, tt.want)
			}
			if after, _ := f.store.FigureRows(context.Background()); after != before {
				t.Errorf("%d figures stored by a refused submission", after-before)
			}
		})
	}

	// An upload in a form is limited like any body.
	var big bytes.Buffer
	bw := multipart.NewWriter(&big)
	bp, _ := bw.CreateFormFile("file", "亳州各县-2024年7月.csv")
	bp.Write([]byte("县(市、区),离退休干部数,关注人数\n谯城区,2620,1700\n"))
	bp.Write(bytes.Repeat([]byte(",,\n"), 3000))
	bw.Close()
	before, _ := f.store.FigureRows(context.Background())
	if code, a := post(t, f.url, bozhouToken, bw.FormDataContentType(), big.Bytes()); code != 413 {
		t.Errorf("upload over the limit: %d %v, want 413", code, a)
	}
	if after, _ := f.store.FigureRows(context.Background()); after != before {
		t.Errorf("%d figures stored from an upload over the limit", after-before)
	}

	// The city may submit for its counties, as a CSV upload in a form.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("file", "../../亳州各县-2024年7月.csv")
	part.Write([]byte("县(市、区),离退休干部数,关注人数\n谯城区,2620,1700\n涡阳,1790,900\n"))
	mw.Close()
	code, a = post(t, f.url, bozhouToken, mw.FormDataContentType(), body.Bytes())
	if code != 200 || a["accepted"].(float64) != 2 {
		t.Fatalf("upload: %d %v", code, a)
	}
	if logs := f.logs.String(); strings.Contains(logs, mengchengToken) || strings.Contains(logs, bozhouToken) || !strings.Contains(logs, "submission") {
		t.Errorf("the logs show a token, or say nothing of the submissions:\n%s", logs)
	}
	// Every authenticated submission is a run: the two taken, and the seven
	// refused as failed, each with its reason.
	runs, _ := f.store.Runs(context.Background(), 10)
	statuses := map[string]int{}
	for _, r := range runs {
		if r.Source == "api" {
			statuses[r.Status]++
			if r.Status == model.RunFailed && r.Error == "" {
				t.Errorf("failed run %s has no error", r.ID)
			}
		}
	}
	if statuses[model.RunPartial] != 1 || statuses[model.RunOK] != 1 || statuses[model.RunFailed] != 7 {
		t.Errorf("api runs by status: %v; want 1 partial, 1 ok, 7 failed", statuses)
	}
	checkMetrics(t, f.url, map[string]float64{
		`followrank_runs_total{source="api",status="failed"}`:   7,
		`followrank_rows_total{result="accepted",source="api"}`: 3,
	})
}

func TestScheduleRunsSkipsOverlapsAndShutsDownGracefully(t *testing.T) {
	jobs := []config.Job{
		{Name: "inbox", Spec: "@every 2s", Sources: []string{"inbox"}},
		{Name: "slow", Spec: "@every 1s", Sources: []string{"slow"}},
	}
	f := start(t, web.Config{}, jobs)
	os.WriteFile(filepath.Join(f.inbox, "亳州-2024年7月.csv"), []byte("地区,离退休干部数,关注人数\n利辛县,970,810\n"), 0o644)
	os.WriteFile(filepath.Join(f.inbox, "broken.csv"), []byte("nothing useful\n"), 0o644)

	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		if _, err := os.Stat(filepath.Join(f.inbox, "done", "亳州-2024年7月.csv")); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if _, err := os.Stat(filepath.Join(f.inbox, "done", "亳州-2024年7月.csv")); err != nil {
		t.Fatal("the inbox file was not imported and moved to done/")
	}
	msg, err := os.ReadFile(filepath.Join(f.inbox, "failed", "broken.csv.error.txt"))
	if err != nil || !strings.Contains(string(msg), "没有表头") {
		t.Errorf("failed/broken.csv.error.txt = %q, %v", msg, err)
	}
	time.Sleep(3 * time.Second) // the slow job's 1-second ticks fall while it runs
	_, metrics := get(t, f.url+"/metrics")
	if !strings.Contains(metrics, `followrank_runs_skipped_total{job="slow"}`) {
		t.Errorf("no skipped runs counted:\n%s", metrics)
	}
	if !strings.Contains(metrics, `followrank_runs_total{source="inbox",status="partial"}`) && !strings.Contains(metrics, `followrank_runs_total{source="inbox",status="ok"}`) {
		t.Errorf("no inbox runs counted:\n%s", metrics)
	}

	// Stop while the slow source is running: the run must finish and be recorded.
	for f.slow.started.Load() == f.slow.finished.Load() {
		time.Sleep(50 * time.Millisecond)
	}
	if err := f.stop(); err != nil {
		t.Fatal(err)
	}
	if f.slow.started.Load() != f.slow.finished.Load() {
		t.Error("shutdown cut a running ingestion off")
	}
	runs, err := f.store.Runs(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	slow, inbox := 0, 0
	for _, r := range runs {
		switch {
		case r.Source == "slow" && r.Status == model.RunOK:
			slow++
		case r.Source == "inbox" && r.Status != model.RunRunning:
			inbox++
		}
		if r.Status == model.RunRunning {
			t.Errorf("run %s of %s is still recorded as running after shutdown", r.ID, r.Source)
		}
	}
	if slow < 1 || int32(slow) != f.slow.finished.Load() || inbox < 1 {
		t.Errorf("recorded %d slow runs (%d finished) and %d inbox runs", slow, f.slow.finished.Load(), inbox)
	}
}

// disconnecting stores figures and then waits for the client to go away,
// as a phone on a bad connection does once it has sent its figures.
type disconnecting struct {
	*store.Store
	hangUp func()
}

func (d *disconnecting) WriteFigures(ctx context.Context, source, runID string, figs []model.Figure) error {
	if err := d.Store.WriteFigures(ctx, source, runID, figs); err != nil {
		return err
	}
	d.hangUp()
	select { // the server sees the connection close
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
	}
	return nil
}

func TestDisconnectedClientsRunIsRecorded(t *testing.T) {
	clientCtx, hangUp := context.WithCancel(context.Background())
	defer hangUp()
	f := startWith(t, web.Config{}, nil, func(s *store.Store) web.Store { return &disconnecting{s, hangUp} })
	body := []byte(`[{"unit":"341622","date":"2024-07-31","members":3330,"followers":3210}]`)
	req, _ := http.NewRequestWithContext(clientCtx, "POST", f.url+"/api/v1/figures", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+mengchengToken)
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("the client got its answer; the test needs it gone first")
	}
	var api []model.Run
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		runs, err := f.store.Runs(context.Background(), 10)
		if err != nil {
			t.Fatal(err)
		}
		api = api[:0]
		for _, r := range runs {
			if r.Source == "api" && r.Status != model.RunRunning {
				api = append(api, r)
			}
		}
		if len(api) > 0 {
			break
		}
	}
	if len(api) != 1 || api[0].Status != model.RunOK || api[0].Accepted != 1 {
		t.Fatalf("runs after a client hung up once its figures were stored: %+v; want one ok run of 1 figure", api)
	}
}

// TestOneEngineServesEveryRequest: a hundred dashboards read the unit tree
// once; units imported while the server runs reach the pages and the inbox
// without a restart, with the tree read once more.
func TestOneEngineServesEveryRequest(t *testing.T) {
	f := start(t, web.Config{}, nil)
	for i := range 100 {
		if resp, body := get(t, f.url+"/?unit=341622"); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i, resp.StatusCode, body)
		}
	}
	if n := f.units.Loads(); n != 1 {
		t.Errorf("100 dashboards read the unit tree %d times, want once", n)
	}

	// A unit below 蒙城县 is imported while the server runs.
	ctx := context.Background()
	tree, err := f.units.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	town := units.Node{Code: "341622100", Name: "篱笆镇", Parent: "341622", Level: units.Unit}
	nodes := append(tree.All(), town)
	full, err := units.NewTree(nodes)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SaveUnits(ctx, full, []units.Node{town}, "import", uint64(time.Now().UnixNano())); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(f.inbox, "蒙城县各单位-2024年7月.csv"), []byte("单位,离退休干部数,关注人数\n篱笆镇,120,96\n"), 0o644)
	src := &inbox.Source{Dir: f.inbox, Tree: f.units.Tree}
	if run, err := f.runner.RunSource(ctx, src); err != nil || run.Accepted != 1 {
		t.Fatalf("the inbox did not take a row of the new unit: %+v, %v", run, err)
	}
	resp, body := get(t, f.url+"/chart/ranking?within=341622&level=unit&date=2024-07-31")
	if resp.StatusCode != 200 || !strings.Contains(body, "篱笆镇") {
		t.Errorf("the new unit's ranking: %d, has the unit: %v", resp.StatusCode, strings.Contains(body, "篱笆镇"))
	}
	if n := f.units.Loads(); n != 2 {
		t.Errorf("the unit tree was read %d times, want twice (once more after the import)", n)
	}
}

package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followrank/ingest"
	"followrank/server"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	s := storetest.New(t)
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.WriteFigures(context.Background(), "demo", store.NewRunID(), ingest.NewDemo().Figures(tree)); err != nil {
		t.Fatal(err)
	}
	srv := server.New(server.Config{Scope: "340000", StaleDays: 45}, s, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func TestServer(t *testing.T) {
	ts := newServer(t)

	resp, body := get(t, ts.URL+"/?focus=蒙城县&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.Contains(body, "echarts.init") || !strings.Contains(body, `id="climb_341622"`) {
		t.Fatalf("dashboard: %d, %d bytes", resp.StatusCode, len(body))
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}

	resp, body = get(t, ts.URL+"/export.xlsx?level=county&within=亳州市&date=2024-06-30")
	if resp.StatusCode != 200 {
		t.Fatalf("export.xlsx: %d %s", resp.StatusCode, body)
	}
	f, err := excelize.OpenReader(strings.NewReader(body))
	if err != nil {
		t.Fatalf("export.xlsx does not open: %v", err)
	}
	if v, _ := f.GetCellValue(f.GetSheetName(0), "A1"); !strings.Contains(v, "亳州市") {
		t.Errorf("xlsx title = %q", v)
	}

	resp, body = get(t, ts.URL+"/export.csv?level=city&date=2024-06-30")
	if resp.StatusCode != 200 || !strings.HasPrefix(body, "\uFEFF排名,单位") || strings.Count(body, "\n") != 18 {
		t.Errorf("export.csv: %d\n%s", resp.StatusCode, body)
	}

	for _, bad := range []string{"/?within=火星省", "/export.csv?date=yesterday", "/export.csv?level=province"} {
		if resp, body := get(t, ts.URL+bad); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d %s, want 400", bad, resp.StatusCode, body)
		}
	}
	if resp, _ := get(t, ts.URL+"/healthz"); resp.StatusCode != 200 {
		t.Errorf("healthz: %d", resp.StatusCode)
	}
	if resp, _ := get(t, ts.URL+"/../../etc/passwd"); resp.StatusCode == 200 {
		t.Errorf("path traversal answered 200")
	}
}

package server

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"followrank/store"
)

// latencyBuckets are the upper bounds, in seconds, of the request latency
// histogram.
var latencyBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// stats counts what /metrics reports, in Prometheus' text format.
type stats struct {
	mu       sync.Mutex
	runs     map[[2]string]uint64 // source, status
	rows     map[[2]string]uint64 // source, accepted|rejected
	skips    map[string]uint64    // job
	requests map[[2]string]uint64 // route, code
	latency  map[string]*histogram
}

type histogram struct {
	counts []uint64 // per bucket, cumulative when written
	sum    float64
	n      uint64
}

func newStats() *stats {
	return &stats{runs: map[[2]string]uint64{}, rows: map[[2]string]uint64{}, skips: map[string]uint64{},
		requests: map[[2]string]uint64{}, latency: map[string]*histogram{}}
}

func (s *stats) run(r store.Run) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.runs[[2]string{r.Source, r.Status}]++
	s.rows[[2]string{r.Source, "accepted"}] += r.Accepted
	s.rows[[2]string{r.Source, "rejected"}] += r.Rejected
}

func (s *stats) skip(job string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.skips[job]++
}

func (s *stats) request(route string, code int, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests[[2]string{route, fmt.Sprint(code)}]++
	h := s.latency[route]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets))}
		s.latency[route] = h
	}
	sec := took.Seconds()
	for i, b := range latencyBuckets {
		if sec <= b {
			h.counts[i]++
		}
	}
	h.sum += sec
	h.n++
}

func (s *stats) serve(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	pairs := func(name, help, l1, l2 string, m map[[2]string]uint64) {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
		keys := make([][2]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
		for _, k := range keys {
			fmt.Fprintf(&b, "%s{%s=%q,%s=%q} %d\n", name, l1, k[0], l2, k[1], m[k])
		}
	}
	pairs("followrank_runs_total", "Ingestion runs by source and status.", "source", "status", s.runs)
	pairs("followrank_rows_total", "Figure rows ingested by source, accepted or rejected.", "source", "result", s.rows)
	fmt.Fprintf(&b, "# HELP followrank_runs_skipped_total Scheduled runs skipped because the previous run of the job was still running.\n# TYPE followrank_runs_skipped_total counter\n")
	for _, job := range sortedKeys(s.skips) {
		fmt.Fprintf(&b, "followrank_runs_skipped_total{job=%q} %d\n", job, s.skips[job])
	}
	pairs("followrank_http_requests_total", "HTTP requests by route and status code.", "route", "code", s.requests)
	fmt.Fprintf(&b, "# HELP followrank_http_request_duration_seconds HTTP request latency by route.\n# TYPE followrank_http_request_duration_seconds histogram\n")
	for _, route := range sortedKeys(s.latency) {
		h := s.latency[route]
		for i, le := range latencyBuckets {
			fmt.Fprintf(&b, "followrank_http_request_duration_seconds_bucket{route=%q,le=\"%g\"} %d\n", route, le, h.counts[i])
		}
		fmt.Fprintf(&b, "followrank_http_request_duration_seconds_bucket{route=%q,le=\"+Inf\"} %d\n", route, h.n)
		fmt.Fprintf(&b, "followrank_http_request_duration_seconds_sum{route=%q} %g\n", route, h.sum)
		fmt.Fprintf(&b, "followrank_http_request_duration_seconds_count{route=%q} %d\n", route, h.n)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
	w.Write([]byte(b.String()))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

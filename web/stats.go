package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"followrank/model"
)

// stats are what /metrics reports, with the Go runtime's and the
// process's own metrics beside them.
type stats struct {
	reg      *prometheus.Registry
	runs     *prometheus.CounterVec
	rows     *prometheus.CounterVec
	skips    *prometheus.CounterVec
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

func newStats() *stats {
	s := &stats{
		reg: prometheus.NewRegistry(),
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followrank_runs_total", Help: "Ingestion runs by source and status.",
		}, []string{"source", "status"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followrank_rows_total", Help: "Figure rows ingested by source, accepted or rejected.",
		}, []string{"source", "result"}),
		skips: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followrank_runs_skipped_total", Help: "Scheduled runs skipped because the previous run of the job was still running.",
		}, []string{"job"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "followrank_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "followrank_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	s.reg.MustRegister(s.runs, s.rows, s.skips, s.requests, s.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return s
}

func (s *stats) run(r model.Run) {
	s.runs.WithLabelValues(r.Source, r.Status).Inc()
	s.rows.WithLabelValues(r.Source, "accepted").Add(float64(r.Accepted))
	s.rows.WithLabelValues(r.Source, "rejected").Add(float64(r.Rejected))
}

func (s *stats) skip(job string) { s.skips.WithLabelValues(job).Inc() }

// request counts a request by its route, not its path, so that a scan of
// odd paths cannot grow the metrics.
func (s *stats) request(route string, code int, took time.Duration) {
	s.requests.WithLabelValues(route, strconv.Itoa(code)).Inc()
	s.latency.WithLabelValues(route).Observe(took.Seconds())
}

func (s *stats) handler() http.Handler {
	return promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{})
}

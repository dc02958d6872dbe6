// Package server is `followrank serve`: the dashboard, charts and ranking
// tables over HTTP for managers on the intranet, and a health check.
package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"followrank/charts"
	"followrank/export"
	"followrank/metrics"
	"followrank/units"
)

// Store is what the server needs from storage.
type Store interface {
	metrics.Source
	Ping(ctx context.Context) error
	StockSpan(ctx context.Context) (first, last time.Time, rows uint64, err error)
}

// Config is the part of followrank's settings the server uses.
type Config struct {
	Addr      string
	Scope     string // default --within
	StaleDays int
}

// Server serves the pages and files.
type Server struct {
	cfg   Config
	store Store
	log   *slog.Logger
}

// New returns a server over a store.
func New(cfg Config, s Store, log *slog.Logger) *Server {
	return &Server{cfg: cfg, store: s, log: log}
}

// Handler routes the server's requests.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.dashboard)
	mux.HandleFunc("GET /export.xlsx", s.export("xlsx"))
	mux.HandleFunc("GET /export.csv", s.export("csv"))
	mux.HandleFunc("GET /healthz", s.health)
	return s.logged(secure(mux))
}

// Run serves on the configured address until ctx ends, then finishes the
// requests in flight.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln until ctx ends.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	s.log.Info("serving", "addr", ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// secure adds the headers every answer carries: pages are self-contained,
// so they may run only their own inline script and load nothing.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) logged(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", time.Since(start).Milliseconds())
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, "clickhouse: unreachable")
		s.log.Warn("health check failed", "err", err)
		return
	}
	fmt.Fprintln(w, "ok")
}

// badRequest is an error in the query the user can fix.
type badRequest struct{ error }

// query holds the parameters pages and exports share.
type query struct {
	engine        *metrics.Engine
	scope         units.Node
	level         units.Level
	date, compare time.Time
	first         time.Time
	focus         units.Node
}

func (s *Server) parse(r *http.Request) (*query, error) {
	ctx := r.Context()
	m, err := metrics.New(ctx, s.store, s.cfg.StaleDays)
	if err != nil {
		return nil, err
	}
	q := &query{engine: m}
	p := r.URL.Query()
	within := p.Get("within")
	if within == "" {
		within = s.cfg.Scope
	}
	if q.scope, err = m.Tree().Find(within, ""); err != nil {
		return nil, badRequest{fmt.Errorf("within: %w", err)}
	}
	q.level = units.County
	if l := p.Get("level"); l != "" {
		if q.level, err = units.ParseLevel(l); err != nil {
			return nil, badRequest{err}
		}
	}
	if f := p.Get("focus"); f != "" {
		if q.focus, err = m.Tree().Find(f, q.scope.Code); err != nil {
			return nil, badRequest{fmt.Errorf("focus: %w", err)}
		}
	}
	first, last, n, err := s.store.StockSpan(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, badRequest{errors.New("no figures are stored yet")}
	}
	q.first, q.date = first, last
	for name, dst := range map[string]*time.Time{"date": &q.date, "compare": &q.compare} {
		if v := p.Get(name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return nil, badRequest{fmt.Errorf("%s: %q is not a date like 2024-06-30", name, v)}
			}
			*dst = t
		}
	}
	return q, nil
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var br badRequest
	if errors.As(err, &br) {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.log.Error("request failed", "path", r.URL.Path, "err", err)
	http.Error(w, "the figures could not be read; see the server log", http.StatusInternalServerError)
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) {
	q, err := s.parse(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page, err := charts.Dashboard(r.Context(), q.engine, charts.DashboardSpec{
		Scope: q.scope, Focus: q.focus, Date: q.date, Compare: q.compare, From: q.first,
		Options: charts.Options{Animation: true},
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Write(w); err != nil {
		s.log.Error("write dashboard", "err", err)
	}
}

func (s *Server) export(format string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q, err := s.parse(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if q.level.Depth() <= q.scope.Level.Depth() {
			s.fail(w, r, badRequest{fmt.Errorf("level %s is not below %s", q.level, q.scope.Name)})
			return
		}
		rk, err := q.engine.Rank(r.Context(), q.level, q.scope, q.date, q.compare)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		name := fmt.Sprintf("ranking-%s-%s-%s.%s", q.scope.Code, q.level, q.date.Format(time.DateOnly), format)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		var write func(io.Writer) error
		switch format {
		case "xlsx":
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			write = func(out io.Writer) error {
				return export.WriteXLSX(out, export.XLSXOptions{Highlight: q.focus.Code, Generated: time.Now()}, rk)
			}
		default:
			w.Header().Set("Content-Type", "text/csv; charset=utf-8")
			write = func(out io.Writer) error { return export.WriteCSV(out, rk) }
		}
		var buf strings.Builder
		if err := write(&buf); err != nil {
			s.fail(w, r, err)
			return
		}
		io.WriteString(w, buf.String())
	}
}

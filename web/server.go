// Package web is `followrank serve`: the dashboard, charts and ranking
// tables over HTTP for managers on the intranet, the submission API for
// offices, a status page, health and metrics, and the nightly schedule.
package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"followrank/catalog"
	"followrank/charts"
	"followrank/config"
	"followrank/export"
	"followrank/ingest"
	"followrank/jobs"
	"followrank/model"
	"followrank/pages"
	"followrank/rank"
	"followrank/remind"
	"followrank/units"
)

// Store is what the server needs from storage.
type Store interface {
	rank.Figures
	pages.Accounts
	units.Loader
	jobs.Store
	ingest.FigureSink
	Ping(ctx context.Context) error
	StockSpan(ctx context.Context) (first, last time.Time, rows uint64, err error)
	Runs(ctx context.Context, limit int) ([]model.Run, error)
	Rejections(ctx context.Context, runID string) ([]model.Rejection, error)
	RunsVersion(ctx context.Context) (string, error)
}

// Deps are the long-lived parts the server shares with the rest of the
// process: the store, the unit tree (shared with the inbox), the recorder
// of runs and the scheduler (nil when nothing is scheduled).
type Deps struct {
	Store    Store
	Units    *units.Cache
	Recorder *jobs.Recorder
	Runner   *jobs.Runner
	Log      *slog.Logger
	// Say writes what offices read: the API's answers. Chinese when nil.
	Say *catalog.Printer
}

// Config is what the server is told at start.
type Config struct {
	Addr         string
	Scope        string // default within, code or name
	StaleDays    int
	MaxBodyBytes int64
	Submitters   []config.Submitter
	// ReadToken, when set, guards every page but /healthz: as a bearer
	// token, or as the password of basic auth (any user name).
	ReadToken string
	// Users may sign in at /login; when there are any, every page but
	// /healthz and /login needs a user signed in or the read token.
	Users []config.User
	// SessionKey signs the session cookies; when empty, New makes one, and
	// sessions end when the server restarts.
	SessionKey []byte
	Jobs       []config.Job
	Location   *time.Location
	// Bureau issues the 通报: 制表单位 of the tables and the documents.
	Bureau string
	// PageCacheBytes bounds the pages kept in memory (0: 64 MiB; negative:
	// none kept, every page built for its request).
	PageCacheBytes int
	// Targets are the 省定目标 by scope, a code or a name, as the config
	// sets them: the 催报 list, the 通报's 达标单位N个 and the ranking's
	// target line use them. A scope the unit tree does not know is left
	// out, and the log says so.
	Targets []config.Target
	// RemindDueDay is the day of the month after the period by which the
	// 催报 list asks units that have not reported to (0: the 5th).
	RemindDueDay int
}

// Server serves the pages and the API, and runs the schedule.
type Server struct {
	cfg    Config
	store  Store
	units  *units.Cache
	rec    *jobs.Recorder
	runner *jobs.Runner // nil: no schedule
	log    *slog.Logger
	stats  *stats
	tokens []submitterToken
	auth   *auth

	say *catalog.Printer

	mu          sync.Mutex
	engine      *rank.Engine    // over the tree it was built for; rebuilt when the units change
	targets     *remind.Targets // Config.Targets found in targetsTree
	targetsTree *units.Tree

	pages    *pageCache // nil: none kept
	span     atomic.Pointer[span]
	runsSeen atomic.Pointer[string] // the runs' version last read
}

type submitterToken struct {
	digest [32]byte
	config.Submitter
}

// New returns a server.
func New(cfg Config, d Deps) *Server {
	srv := &Server{cfg: cfg, store: d.Store, units: d.Units, rec: d.Recorder, runner: d.Runner, log: d.Log, stats: newStats(), say: d.Say}
	switch {
	case cfg.PageCacheBytes == 0:
		srv.pages = newPageCache(64 << 20)
	case cfg.PageCacheBytes > 0:
		srv.pages = newPageCache(cfg.PageCacheBytes)
	}
	srv.auth = newAuth(cfg, srv.log)
	if srv.say == nil {
		srv.say = catalog.New(catalog.Chinese)
	}
	for _, sub := range cfg.Submitters {
		srv.tokens = append(srv.tokens, submitterToken{sha256.Sum256([]byte(sub.Secret())), sub})
	}
	if srv.rec != nil {
		srv.rec.OnRun = srv.stats.run
	}
	if srv.runner != nil {
		srv.runner.OnSkip = srv.stats.skip
	}
	return srv
}

// engine is the process's ranking engine: one, kept while the stored
// units stay the same, so that it keeps its scope indexes from request to
// request, and built again over the new tree when units are imported.
func (s *Server) engineFor(ctx context.Context) (*rank.Engine, error) {
	tree, err := s.units.Tree(ctx)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.engine == nil || s.engine.Tree() != tree {
		s.engine = rank.New(s.store, tree, s.cfg.StaleDays)
	}
	return s.engine, nil
}

// targetsIn are the configured targets (省定目标), their scopes found in
// tree: found again when the units change. Nil when none are set.
func (s *Server) targetsIn(tree *units.Tree) *remind.Targets {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.targetsTree == tree {
		return s.targets
	}
	rates := map[string]float64{}
	for i, t := range s.cfg.Targets {
		n, err := tree.Find(t.Scope, "")
		if err != nil {
			s.log.Warn("a target's scope names no unit; it is left out", "target", i, "scope", t.Scope, "err", err)
			continue
		}
		rates[n.Code] = float64(t.Rate)
	}
	s.targets, s.targetsTree = nil, tree
	if len(rates) > 0 {
		s.targets = remind.NewTargets(tree, rates)
	}
	return s.targets
}

// Engine is the process's ranking engine (see engineFor), for the work
// serve does besides pages: the summaries it pushes.
func (s *Server) Engine(ctx context.Context) (*rank.Engine, error) { return s.engineFor(ctx) }

// Handler routes the server's requests.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	read := s.authenticate
	mux.Handle("GET /{$}", read(http.HandlerFunc(s.dashboard)))
	mux.Handle("GET /find", read(http.HandlerFunc(s.find)))
	mux.HandleFunc("GET "+charts.AssetPrefix+"{name}", s.assets)
	mux.Handle("GET /chart/{kind}", read(http.HandlerFunc(s.chart)))
	mux.Handle("GET /export.xlsx", read(s.export("xlsx")))
	mux.Handle("GET /export.csv", read(s.export("csv")))
	mux.Handle("GET /tongbao.docx", read(s.tongbao("docx")))
	mux.Handle("GET /tongbao.pdf", read(s.tongbao("pdf")))
	mux.Handle("GET /remind", read(http.HandlerFunc(s.remindPage)))
	mux.Handle("GET /remind.xlsx", read(s.remindFile("xlsx")))
	mux.Handle("GET /remind.csv", read(s.remindFile("csv")))
	mux.Handle("GET /runs", read(http.HandlerFunc(s.runs)))
	mux.Handle("GET /runs/{id}", read(http.HandlerFunc(s.rejections)))
	mux.Handle("GET /metrics", read(s.stats.handler()))
	mux.HandleFunc("GET /healthz", s.health)
	mux.HandleFunc("GET /login", s.loginPage)
	mux.HandleFunc("POST /login", s.login)
	mux.Handle("POST /logout", s.requireCSRF(http.HandlerFunc(s.logout)))
	mux.HandleFunc("POST /api/v1/figures", s.submit)
	return s.observe(secure(mux))
}

// Run serves on the configured address and runs the schedule until ctx
// ends; then it stops taking new runs, lets a running ingestion finish, and
// finishes the requests in flight.
func (s *Server) Run(ctx context.Context) error {
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	return s.Serve(ctx, ln)
}

// Serve is Run on a listener.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
	}
	// Runs get their own context: shutting down lets a running ingestion
	// finish rather than cutting it off.
	runCtx, stopRuns := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRuns()
	var stopSchedule func() context.Context
	if s.runner != nil && len(s.cfg.Jobs) > 0 {
		c, err := s.runner.Start(runCtx, s.cfg.Jobs, s.location())
		if err != nil {
			ln.Close()
			return err
		}
		stopSchedule = c.Stop
		for _, next := range c.Next() {
			s.log.Info("scheduled", "next", next.In(s.location()).Format(time.DateTime))
		}
	}
	s.log.Info("serving", "addr", ln.Addr().String())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	s.log.Info("shutting down: finishing running ingestion and requests")
	if stopSchedule != nil {
		select {
		case <-stopSchedule().Done():
		case <-time.After(10 * time.Minute):
			s.log.Warn("a run did not finish within 10 minutes; stopping it")
		}
	}
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

// secure adds the headers every answer carries: pages may run their own
// inline script and the server's assets, and load nothing from elsewhere.
// Answers are not kept unless they say so (pages revalidate, assets are
// kept for good).
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
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

// observe logs each request and counts it for /metrics. The route, not the
// path, labels the count, so a scan of odd paths cannot grow the metrics.
func (s *Server) observe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		took := time.Since(start)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		s.stats.request(route, sw.status, took)
		s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", sw.status, "ms", took.Milliseconds())
	})
}

// same compares secrets in constant time, through their digests so that
// their lengths do not show either.
func same(a string, b [32]byte) bool {
	d := sha256.Sum256([]byte(a))
	return subtle.ConstantTimeCompare(d[:], b[:]) == 1
}

func bearer(r *http.Request) string {
	h := r.Header.Get("Authorization")
	if t, ok := strings.CutPrefix(h, "Bearer "); ok {
		return strings.TrimSpace(t)
	}
	return ""
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

func (b badRequest) Unwrap() error { return b.error }

// forbidden is a scope the signed-in user may not see.
type forbidden struct{ scope units.Node }

func (f forbidden) Error() string { return "scope " + f.scope.Name + " not allowed" }

// query reads the parameters pages and exports share: within, level, date,
// compare, from, to, unit (or focus), units, account, theme.
func (s *Server) query(r *http.Request, kind string) (*rank.Engine, pages.Spec, error) {
	a, err := s.ask(r, kind)
	return a.m, a.spec, err
}

// asked is a request read: the engine, what it asks for, and the version
// of the data it is answered from.
type asked struct {
	m       *rank.Engine
	spec    pages.Spec
	version string
}

// ask is query with the data's version.
func (s *Server) ask(r *http.Request, kind string) (asked, error) {
	ctx := r.Context()
	version, m, err := s.dataVersion(ctx)
	if err != nil {
		return asked{}, err
	}
	p := r.URL.Query()
	spec := pages.Spec{Kind: kind, Level: units.County, Account: p.Get("account"), Options: charts.Options{Animation: true, Theme: p.Get("theme")}}
	if err := spec.Options.Validate(); err != nil {
		return asked{spec: spec}, badRequest{err}
	}
	within := p.Get("within")
	if within == "" {
		within = s.cfg.Scope
	}
	// under: the page a click came from, whose units a name is sought among.
	if spec.Scope, err = m.Tree().Find(within, p.Get("under")); err != nil {
		return asked{spec: spec}, badRequest{fmt.Errorf("within: %w", err)}
	}
	if !s.allowed(ctx, spec.Scope, m.Tree()) {
		return asked{spec: spec}, forbidden{spec.Scope}
	}
	// The ranking's target line: the scope's 省定目标, its own or its
	// nearest ancestor's.
	spec.Options.Target, _ = s.targetsIn(m.Tree()).Of(spec.Scope.Code)
	if l := p.Get("level"); l != "" {
		if spec.Level, err = units.ParseLevel(l); err != nil {
			return asked{spec: spec}, badRequest{err}
		}
	}
	for _, key := range []string{"unit", "focus", "highlight"} {
		if v := p.Get(key); v != "" {
			if spec.Unit, err = m.Tree().Find(v, spec.Scope.Code); err != nil {
				return asked{spec: spec}, badRequest{fmt.Errorf("%s: %w", key, err)}
			}
		}
	}
	for _, v := range strings.FieldsFunc(p.Get("units"), func(r rune) bool { return r == ',' }) {
		u, err := m.Tree().Find(v, spec.Scope.Code)
		if err != nil {
			return asked{spec: spec}, badRequest{fmt.Errorf("units: %w", err)}
		}
		spec.Units = append(spec.Units, u)
	}
	first, last, n, err := s.stockSpan(ctx, version)
	if err != nil {
		return asked{spec: spec}, err
	}
	if n == 0 {
		if kind != "account" {
			return asked{spec: spec}, badRequest{errors.New("no figures are stored yet")}
		}
		last = model.Date(time.Now()) // an account's chart needs no unit figures
		first = last.AddDate(0, 0, -90)
	}
	spec.Date, spec.From, spec.To = last, first, last
	for name, dst := range map[string]*time.Time{"date": &spec.Date, "compare": &spec.Compare, "from": &spec.From, "to": &spec.To} {
		if v := p.Get(name); v != "" {
			t, err := time.Parse(time.DateOnly, v)
			if err != nil {
				return asked{spec: spec}, badRequest{fmt.Errorf("%s: %q is not a date like 2024-06-30", name, v)}
			}
			*dst = t
		}
	}
	return asked{m, spec, version}, nil
}

// tableQuery is query for a 通报 or its table: compared with the previous
// month's end unless the request chose a date.
func (s *Server) tableQuery(r *http.Request) (*rank.Engine, pages.Spec, error) {
	m, spec, err := s.query(r, "ranking")
	compareMonthBefore(&spec)
	return m, spec, err
}

// compareMonthBefore compares with the previous month's end unless the
// request chose a date, as a 通报 compares.
func compareMonthBefore(spec *pages.Spec) {
	if spec.Compare.IsZero() {
		spec.Compare = model.MonthStart(spec.Date).AddDate(0, 0, -1)
	}
}

// tongbao serves the whole 通报 as Word or PDF, made as `followrank
// tongbao` makes it: compare defaults to the previous month's end.
func (s *Server) tongbao(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, spec, err := s.tableQuery(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ts := pages.TongbaoSpec{Level: spec.Level, Scope: spec.Scope, Date: spec.Date, Compare: spec.Compare, Focus: spec.Unit,
			Bureau: s.cfg.Bureau, Issued: time.Now().In(s.location()), Tree: m.Tree()}
		if targets := s.targetsIn(m.Tree()); targets != nil {
			ts.Target = targets.Of // 达标单位N个
		}
		d, warning, err := pages.Builder{Engine: m, Accounts: s.store}.Tongbao(r.Context(), ts)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if warning != "" {
			s.log.Warn(warning)
		}
		var buf bytes.Buffer
		if format == "pdf" {
			var pdf []byte
			if pdf, err = pages.PDF(r.Context(), d); err == nil {
				buf.Write(pdf)
			}
		} else {
			err = export.WriteDOCX(&buf, d)
		}
		if errors.Is(err, pages.ErrNoPrinter) {
			http.Error(w, err.Error(), http.StatusNotImplemented)
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		download(w, format, buf.Bytes(), downloadName(spec.Scope, spec.Level, spec.Date, format),
			fmt.Sprintf("tongbao-%s-%s-%s.%s", spec.Scope.Code, spec.Level, spec.Date.Format(time.DateOnly), format))
	})
}

// location is the zone schedules and dates of issue are read in.
func (s *Server) location() *time.Location {
	if s.cfg.Location != nil {
		return s.cfg.Location
	}
	return time.Local
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var br badRequest
	var qe *rank.QueryError
	var fb forbidden
	switch {
	case r.Context().Err() != nil:
		// The reader left (closed the page, lost the signal): nobody reads
		// an answer, and nothing failed on our side.
		s.log.Debug("request abandoned", "path", r.URL.Path, "err", err)
	case errors.As(err, &fb):
		s.forbidScope(w, r, fb.scope)
	case errors.As(err, &br) || errors.As(err, &qe):
		msg := err.Error()
		if words, ok := unitWords(langOf(r), err); ok {
			msg = words
		}
		s.errorPage(w, r, http.StatusBadRequest, "请求有误", msg)
	default:
		// The user reads one line; the log keeps ClickHouse's whole error.
		var d interface{ Detail() string }
		if errors.As(err, &d) {
			s.log.Error("request failed", "path", r.URL.Path, "err", err, "detail", d.Detail())
		} else {
			s.log.Error("request failed", "path", r.URL.Path, "err", err)
		}
		s.errorPage(w, r, http.StatusInternalServerError, "出错了", "数据暂时无法读取，请稍后再试；管理员可查看服务日志。")
	}
}

// errorPage answers a browser with a page in its language that leads back
// to the start, and a script with one line of text.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	say := words(langOf(r))
	if t, ok := say[title]; ok {
		title = t
	}
	if t, ok := say[msg]; ok {
		msg = t
	}
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		http.Error(w, msg, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	errorTemplate.Execute(w, map[string]any{"Title": title, "Msg": msg, "Back": say["返回首页"], "Status": status})
}

var errorTemplate = template.Must(template.New("error").Parse(`<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}}</title>
<style>body{font-family:"Microsoft YaHei","PingFang SC","WenQuanYi Micro Hei",sans-serif;margin:24px;color:#222;max-width:40em}
h1{font-size:20px}p{font-size:16px;line-height:1.6}a{color:#1f4e99}</style></head>
<body><h1>{{.Title}}</h1><p>{{.Msg}}</p><p><a href="/">{{.Back}}</a></p></body></html>`))

// page serves a chart page of a fixed kind.
func (s *Server) page(kind string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { s.render(w, r, kind) })
}

func (s *Server) chart(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	if pages.Kinds[kind] == "" {
		http.NotFound(w, r)
		return
	}
	s.render(w, r, kind)
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, kind string) {
	a, err := s.ask(r, kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A chart's page depends only on what is asked: kept by the whole
	// question, in order, at the data's version.
	q := r.URL.Query()
	q.Del("lang")
	body, err := s.keptPage(w, r, a, kind+"?"+q.Encode(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sendPage(w, r, body)
}

// keptPage is the page a request asks for, kept under key at the data's
// version, or built — with decorate's additions, when not nil — and kept.
// Whether it was kept or built is said in a header, for whoever measures.
func (s *Server) keptPage(w http.ResponseWriter, r *http.Request, a asked, key string, decorate func(*charts.Page) error) ([]byte, error) {
	return s.keep(w, a.version, key, func() (charts.Page, error) {
		page, err := pages.Builder{Engine: a.m, Accounts: s.store}.Build(s.kept(r.Context(), a.version), a.spec)
		if err != nil {
			return page, err
		}
		if decorate != nil {
			err = decorate(&page)
		}
		return page, err
	})
}

// keep is the page kept under key at the data's version, or the one build
// lays out, written and kept.
func (s *Server) keep(w http.ResponseWriter, version, key string, build func() (charts.Page, error)) ([]byte, error) {
	built := false
	body, err := s.pages.page(version, key, func() ([]byte, error) {
		built = true
		page, err := build()
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = page.Write(&buf)
		return buf.Bytes(), err
	})
	w.Header().Set("X-Followrank-Page", map[bool]string{true: "built", false: "kept"}[built])
	return body, err
}

func (s *Server) export(format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m, spec, err := s.tableQuery(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rk, err := m.Rank(r.Context(), spec.Level, spec.Scope, spec.Date, spec.Compare)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		var buf bytes.Buffer
		t := export.Tabulate(rk, export.TableOptions{Highlight: spec.Unit.Code, Issuer: s.cfg.Bureau, Made: time.Now(), Attachment: "附件", Tree: m.Tree()})
		if format == "xlsx" {
			err = export.WriteXLSX(&buf, t)
		} else {
			err = export.WriteCSV(&buf, t)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		download(w, format, buf.Bytes(), downloadName(spec.Scope, spec.Level, spec.Date, format),
			fmt.Sprintf("ranking-%s-%s-%s.%s", spec.Scope.Code, spec.Level, spec.Date.Format(time.DateOnly), format))
	})
}

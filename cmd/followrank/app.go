package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/config"
	"followrank/model"
	"followrank/rank"
	"followrank/store"
	"followrank/units"

	"golang.org/x/text/width"
)

// exitError carries the exit status a command wants besides 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in the command line: exit status 2.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// env is what every command gets: the loaded config and the writers.
type env struct {
	cfg    config.Config
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	say    *catalog.Printer // the language of rejections and refusals
}

type command struct {
	name    string
	args    string
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"migrate", "", "create or upgrade the ClickHouse schema and load the built-in units", runMigrate},
		{"demo", "[-o DIR]", "load the Anhui demo figures and render out/dashboard.html, out/ranking.xlsx and out/通报.docx", runDemo},
		{"import", "FILE... [--as-of D] [--within X] [--sheet S] [--dry-run]", "import figure sheets (CSV, XLSX, XLS, WPS ET) into ClickHouse", runImport},
		{"ingest", "[--source NAME] [--from D] [--to D]", "run the configured sources once (the nightly job, for system cron)", runIngest},
		{"rank", "--level L [--within X] [--date D] [--compare D2] [--format table|csv|json]", "print the ranking as of a date", runRank},
		{"climb", "--unit X [--within Y] [--from D1] [--to D2] [--every month|week]", "print a unit's rank over time", runClimb},
		{"chart", "ranking|climb|trend|map|account|dashboard [options] -o FILE.html", "render a chart as a self-contained HTML page", runChart},
		{"export", "--level L [--within X] [--date D] [--compare D2] --format xlsx|csv -o FILE", "write the ranking table (通报)", runExport},
		{"report", "[--level L] [--within X] --date D --compare D2 [--focus UNIT]", "draft the 通报 paragraph from the figures", runReport},
		{"tongbao", "[--level L] [--within X] --date D [--compare D2] [--focus UNIT] -o FILE.docx|FILE.pdf", "write the whole 通报: text, chart and the table as 附件, as Word or PDF", runTongbao},
		{"units", "list [--within X]", "list the units the program knows", runUnits},
		{"runs", "[--limit N]", "list the latest ingestion runs", runRuns},
		{"serve", "[--addr :8080]", "serve the dashboard and ranking tables over HTTP", runServe},
	}
}

const usageHead = `followrank ranks units by how many of their retired cadres follow the
"离退休干部工作" official account (关注率 = 关注人数 ÷ 离退休干部数).

usage: followrank [--config FILE] COMMAND [options]

commands:
`

const usageTail = `
The config file defaults to ./followrank.yaml (see followrank.example.yaml);
every key can be set from the environment, e.g. FOLLOWRANK_CLICKHOUSE_DSN.
Dates are YYYY-MM-DD. Run 'followrank COMMAND --help' for a command's options.
`

func usage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, usageTail)
}

// run is the whole program: main only turns its error into an exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	global := flag.NewFlagSet("followrank", flag.ContinueOnError)
	global.SetOutput(stderr)
	global.Usage = func() { usage(stderr) }
	cfgPath := global.String("config", config.DefaultPath, "config file")
	lang := global.String("lang", "", "language of rejections and messages: zh (default) or en; also FOLLOWRANK_LANG")
	if err := global.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return &exitError{code: 2, err: err}
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" {
		usage(stdout)
		if len(rest) == 0 {
			return usageError("no command given")
		}
		return nil
	}
	explicit := false
	global.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	for _, c := range commands() {
		if c.name != rest[0] {
			continue
		}
		cfg, err := config.Load(*cfgPath, explicit, os.Environ())
		if err != nil {
			return &exitError{code: 2, err: err}
		}
		if *lang != "" {
			cfg.Lang = *lang
		}
		l, err := catalog.ParseLang(cfg.Lang)
		if err != nil {
			return usageError("--lang: %v", err)
		}
		e := &env{cfg: cfg, stdout: stdout, stderr: stderr, log: newLogger(cfg.Log, stderr), say: catalog.New(l)}
		if err := c.run(ctx, e, rest[1:]); !errors.Is(err, errHelp) {
			return err
		}
		return nil
	}
	return usageError("unknown command %q; run 'followrank help'", rest[0])
}

func newLogger(c config.Log, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(c.Level))
	o := &slog.HandlerOptions{Level: level}
	if c.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, o))
	}
	return slog.New(slog.NewTextHandler(w, o))
}

// newFlags makes a command's flag set, with --help that prints its usage.
// A mistake in the flags is reported once, by the caller, without the
// usage text (the flag package would print both).
func newFlags(e *env, name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: followrank %s %s\n\n%s\n\noptions:\n", name, args, summary)
		fs.SetOutput(e.stderr)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return fs
}

// parse parses flags that may come before, between or after the positional
// arguments, and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	usage := fs.Usage
	fs.Usage = func() {} // the flag package calls it on every mistake, too
	defer func() { fs.Usage = usage }()
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				usage()
				return nil, errHelp
			}
			return nil, &exitError{code: 2, err: fmt.Errorf("%s: %w (see followrank %s --help)", fs.Name(), err, fs.Name())}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// errHelp ends a command after it printed its --help.
var errHelp = errors.New("help")

// dateFlag is a date flag, written as sheets write dates: 2024-06-30,
// 2024/06/30, 2024-6-30, 2024.6.30, 2024年6月30日 or 20240630; a month
// (2024-06, 2024/6, 2024年6月) means its last day. Zero when not given.
type dateFlag struct{ t time.Time }

func (d *dateFlag) String() string {
	if d.t.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

var (
	reFlagDay   = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$`)
	reFlagMonth = regexp.MustCompile(`^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$`)
	reFlagPlain = regexp.MustCompile(`^(\d{4})(\d{2})(\d{2})$`)
)

func (d *dateFlag) Set(s string) error {
	t, err := parseFlagDate(s)
	if err != nil {
		return err
	}
	d.t = t
	return nil
}

// parseFlagDate reads a date as dateFlag takes it.
func parseFlagDate(s string) (time.Time, error) {
	c := strings.TrimSpace(width.Narrow.String(s))
	num := func(v string) int { n, _ := strconv.Atoi(v); return n }
	var y, m, day int
	if p := reFlagDay.FindStringSubmatch(c); p != nil {
		y, m, day = num(p[1]), num(p[2]), num(p[3])
	} else if p := reFlagPlain.FindStringSubmatch(c); p != nil {
		y, m, day = num(p[1]), num(p[2]), num(p[3])
	} else if p := reFlagMonth.FindStringSubmatch(c); p != nil {
		y, m = num(p[1]), num(p[2])
		if m >= 1 && m <= 12 {
			day = model.MonthEnd(time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)).Day()
		}
	} else {
		return time.Time{}, errors.New("not a date like 2024-06-30, 2024年6月30日 or 2024-06")
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || day < 1 || t.Day() != day || y < 2000 || y > 2100 {
		return time.Time{}, errors.New("not a day of the calendar")
	}
	return t, nil
}

// openStore connects to the configured ClickHouse.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	return store.Open(ctx, e.cfg.ClickHouse)
}

// engine opens the store and the metrics engine over it.
func (e *env) engine(ctx context.Context) (*store.Store, *rank.Engine, error) {
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	tree, err := units.NewCache(s, 0).Tree(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, rank.New(s, tree, e.cfg.Metrics.StaleAfterDays), nil
}

// defaultScope is the configured scope's code in tree, or "" when the
// tree does not know it.
func (e *env) defaultScope(tree *units.Tree) string {
	n, err := tree.Find(e.cfg.Scope, "")
	if err != nil {
		return ""
	}
	return n.Code
}

// within resolves --within, defaulting to the configured scope.
func (e *env) within(tree *units.Tree, name string) (units.Node, error) {
	if name == "" {
		name = e.cfg.Scope
	}
	n, err := tree.Find(name, "")
	if err != nil {
		return units.Node{}, usageError("--within: %v", err)
	}
	return n, nil
}

// span returns the first and last days with stock figures: the defaults of
// --from and --date. No figures at all is an error that says what to do.
func span(ctx context.Context, s *store.Store) (first, last time.Time, err error) {
	first, last, n, err := s.StockSpan(ctx)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if n == 0 {
		return time.Time{}, time.Time{}, errors.New("no figures are stored yet: import a figure sheet or run `followrank demo`")
	}
	return first, last, nil
}

// orDefault sets d to def when the flag was not given.
func (d *dateFlag) orDefault(def time.Time) {
	if d.t.IsZero() {
		d.t = def
	}
}

// rankingFlags are the options of every command that ranks.
type rankingFlags struct {
	level, within *string
	date, compare dateFlag
}

func addRankingFlags(fs *flag.FlagSet) *rankingFlags {
	r := &rankingFlags{
		level:  fs.String("level", "county", "level to rank: province, city, county or unit"),
		within: fs.String("within", "", "scope to rank within, code or name (default: the configured scope)"),
	}
	fs.Var(&r.date, "date", "as-of date (default: the latest reported date)")
	fs.Var(&r.compare, "compare", "earlier date for 上期排名 and the rank change (较上期)")
	return r
}

// open parses --level, opens the store and the metrics engine, resolves
// --within and sets --date to the latest reported date when not given: what
// every command that ranks does first. The caller closes the store.
func (r *rankingFlags) open(ctx context.Context, e *env) (*store.Store, *rank.Engine, units.Node, units.Level, error) {
	lvl, err := r.parseLevel()
	if err != nil {
		return nil, nil, units.Node{}, "", err
	}
	s, m, err := e.engine(ctx)
	if err != nil {
		return nil, nil, units.Node{}, "", err
	}
	scope, err := e.within(m.Tree(), *r.within)
	if err == nil {
		var last time.Time
		if _, last, err = span(ctx, s); err == nil {
			r.date.orDefault(last)
		}
	}
	if err != nil {
		s.Close()
		return nil, nil, units.Node{}, "", err
	}
	return s, m, scope, lvl, nil
}

// parseLevel checks --level.
func (r *rankingFlags) parseLevel() (units.Level, error) {
	lvl, err := units.ParseLevel(*r.level)
	if err != nil {
		return "", usageError("--level: %v", err)
	}
	return lvl, nil
}

// writeFile writes path through a temporary file in the same folder and
// renames it into place, so a failure never leaves a half-written file.
func writeFile(path string, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

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
	"followrank/wording"

	"golang.org/x/text/width"
)

// exitError carries the exit status a command wants besides 1.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a mistake in the command line said by another package:
// exit status 2. Our own are said with mistake, in the user's language.
func usageError(format string, args ...any) error {
	return &exitError{code: 2, err: fmt.Errorf(format, args...)}
}

// env is what every command gets: the loaded config and the writers.
type env struct {
	cfg    config.Config
	stdout io.Writer
	stderr io.Writer
	log    *slog.Logger
	// say writes what the program records or serves to others: rejections
	// (as import prints and records them), the web's answers. Its language
	// is --lang, FOLLOWRANK_LANG or lang:, else Chinese, never the locale.
	say *catalog.Printer
	// cli writes to the one at the terminal: help, options and mistakes,
	// in the language of the command line (see language).
	cli *catalog.Printer
}

type command struct {
	name    string
	args    catalog.Code
	summary catalog.Code // its line in `followrank help`
	run     func(ctx context.Context, e *env, args []string) error
}

func commands() []command {
	return []command{
		{"migrate", catalog.MigrateArgs, catalog.MigrateSummary, runMigrate},
		{"demo", catalog.DemoArgs, catalog.DemoSummary, runDemo},
		{"import", catalog.ImportArgs, catalog.ImportSummary, runImport},
		{"ingest", catalog.IngestArgs, catalog.IngestSummary, runIngest},
		{"rank", catalog.RankArgs, catalog.RankSummary, runRank},
		{"climb", catalog.ClimbArgs, catalog.ClimbSummary, runClimb},
		{"chart", catalog.ChartArgs, catalog.ChartSummary, runChart},
		{"export", catalog.ExportArgs, catalog.ExportSummary, runExport},
		{"report", catalog.ReportArgs, catalog.ReportSummary, runReport},
		{"tongbao", catalog.TongbaoArgs, catalog.TongbaoSummary, runTongbao},
		{"remind", catalog.RemindArgs, catalog.RemindSummary, runRemind},
		{"units", catalog.UnitsArgs, catalog.UnitsSummary, runUnits},
		{"runs", catalog.RunsArgs, catalog.RunsSummary, runRuns},
		{"serve", catalog.ServeArgs, catalog.ServeSummary, runServe},
		{"passwd", catalog.PasswdArgs, catalog.PasswdSummary, runPasswd},
		{"version", catalog.VersionArgs, catalog.VersionSummary, runVersion},
	}
}

// run is the whole program: main only turns its error into an exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	global := flag.NewFlagSet("followrank", flag.ContinueOnError)
	global.SetOutput(io.Discard)
	global.Usage = func() {} // the help is written below, in the user's language
	// Their texts are never printed: `followrank help` says them.
	cfgPath := global.String("config", config.DefaultPath, "config file")
	lang := global.String("lang", "", "language: zh or en")
	parseErr := global.Parse(args)
	explicit := false
	global.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "config" })
	// The config is read before the command is known, for its lang:; a
	// mistake in it is reported only to a command that needs it.
	path := *cfgPath
	if !explicit {
		path = configFile()
	}
	cfg, cfgErr := config.Load(path, explicit, os.Environ())
	setting := cfg.Lang
	if cfgErr != nil {
		setting = os.Getenv("FOLLOWRANK_LANG")
	}
	l, langErr := language(*lang, setting, os.Getenv)
	if langErr != nil {
		l, _ = language("", "", os.Getenv) // to say what is wrong with --lang
	}
	say := catalog.New(l)
	if parseErr != nil {
		if errors.Is(parseErr, flag.ErrHelp) {
			usage(stderr, say)
			return nil
		}
		return mistake(say, catalog.FlagMistakeTop, flagWords(say, global, parseErr))
	}
	rest := global.Args()
	if len(rest) == 0 || rest[0] == "help" {
		usage(stdout, say)
		if len(rest) == 0 {
			return mistake(say, catalog.NoCommand)
		}
		return nil
	}
	for _, c := range commands() {
		if c.name != rest[0] {
			continue
		}
		if cfgErr != nil {
			if !withoutConfig(c.name, rest[1:]) {
				return &exitError{code: 2, err: cfgErr}
			}
			cfg = config.Default()
		}
		if langErr != nil {
			return mistake(say, catalog.LangUnknown, *lang)
		}
		records, _ := language(*lang, cfg.Lang, noLocale)
		e := &env{cfg: cfg, stdout: stdout, stderr: stderr, log: newLogger(cfg.Log, stderr), say: catalog.New(records), cli: say}
		err := c.run(ctx, e, rest[1:])
		var fe *flagError
		switch {
		case errors.Is(err, errHelp):
			return nil
		case errors.As(err, &fe):
			return mistake(say, catalog.FlagMistake, fe.set.Name(), flagWords(say, fe.set, fe.err))
		}
		return err
	}
	return mistake(say, catalog.CommandUnknown, rest[0])
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

// newFlags makes a command's flag set, with --help that prints its
// synopsis (args), what it does (desc) and its options, in the user's
// language. A mistake in the flags is reported once, by the caller, without
// the usage text (the flag package would print both).
func newFlags(e *env, name string, args, desc catalog.Code) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { commandHelp(e.stderr, e.cli, fs, args, desc) }
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
			return nil, &exitError{code: 2, err: &flagError{set: fs, err: err}}
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

// The reasons a dateFlag or a rateFlag refuses a value; flagWords says
// them in the user's language.
var (
	errNotDate = errors.New("not a date like 2024-06-30, 2024年6月30日 or 2024-06")
	errNotDay  = errors.New("not a day of the calendar")
	errNotRate = errors.New("not a rate like 0.9 or 90%")
)

// rateFlag is a follow rate flag, written as a fraction (0.9) or as the
// 通报 writes it (90%, ９０％); it holds the fraction. Zero when not given.
type rateFlag float64

func (r *rateFlag) String() string {
	if *r == 0 {
		return ""
	}
	return strconv.FormatFloat(float64(*r), 'g', -1, 64)
}

func (r *rateFlag) Set(s string) error {
	v, err := config.ParseRate(width.Narrow.String(s))
	if err != nil {
		return errNotRate
	}
	*r = rateFlag(v)
	return nil
}

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
		return time.Time{}, errNotDate
	}
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || day < 1 || t.Day() != day || y < 2000 || y > 2100 {
		return time.Time{}, errNotDay
	}
	return t, nil
}

// levelWord names a level as the user's language does: 县（市、区）, or
// county.
func (e *env) levelWord(l units.Level) string {
	if e.cli.Lang() == catalog.Chinese {
		return l.Chinese()
	}
	return string(l)
}

// dateWord writes a day as the user's language does: 2024年6月30日, or
// 2024-06-30.
func (e *env) dateWord(d time.Time) string {
	if e.cli.Lang() == catalog.Chinese {
		return wording.Date(d)
	}
	return d.Format(time.DateOnly)
}

// openStore connects to the configured ClickHouse.
func (e *env) openStore(ctx context.Context) (*store.Store, error) {
	s, err := store.Open(ctx, e.cfg.ClickHouse)
	if err != nil {
		return nil, storeWords(e.cli, err)
	}
	s.SetLogger(e.log)
	return s, nil
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
		return units.Node{}, unitMistake(e.cli, "--within", err)
	}
	return n, nil
}

// span returns the first and last days with stock figures: the defaults of
// --from and --date. No figures at all is an error that says what to do.
func (e *env) span(ctx context.Context, s *store.Store) (first, last time.Time, err error) {
	first, last, n, err := s.StockSpan(ctx)
	if err != nil {
		return time.Time{}, time.Time{}, err
	}
	if n == 0 {
		return time.Time{}, time.Time{}, errors.New(e.cli.Say(catalog.NoFigures))
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
	say           *catalog.Printer // the language of their mistakes
}

func addRankingFlags(e *env, fs *flag.FlagSet) *rankingFlags {
	r := &rankingFlags{
		level:  fs.String("level", "county", e.cli.Say(catalog.FlagLevel)),
		within: fs.String("within", "", e.cli.Say(catalog.FlagWithin)),
		say:    e.cli,
	}
	fs.Var(&r.date, "date", e.cli.Say(catalog.FlagDate))
	fs.Var(&r.compare, "compare", e.cli.Say(catalog.FlagCompare))
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
		if _, last, err = e.span(ctx, s); err == nil {
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
		return "", mistake(r.say, catalog.LevelUnknown, "--level", *r.level)
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

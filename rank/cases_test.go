package rank_test

// The declarative cases in testdata/*.test state the ranking rules as
// figures in and rankings out. Each case runs twice: over rank.Memory
// (TestMemoryCases: no server, all cases in a fraction of a second) and over
// a fresh ClickHouse database (TestClickHouseCases), so that the engine
// answers alike over both. Before each ranking that follows a load, the
// ClickHouse run also puts the questions the engine asks (and more) to the
// store and to a Memory holding the same figures, so that a disagreement
// names the Figures method.
//
// # The format
//
// A file holds cases, one after another:
//
//	# A parent without its own report is the sum of its children.
//	case A parent without its own report is the sum of its children
//	stale 45
//	load
//	  341621 2024-06-30 members=100 followers=50
//	  341622 蒙城县 2024-06-30 members=100 followers=90 reads=10
//	rank county within 341600 on 2024-06-30
//	  1 341622 90.00% 90/100 reported
//	  2 341621 50.00% reported
//	  - 341602          # no figures: unranked
//	  - 341623
//	  total 70.00% 140/200 reads=10
//
// Lines starting with # are comments, and so is the rest of a line from a
// blank and #. Indented lines belong to the command above them. A unit or
// scope is given by its code or name; a name after a code is checked.
//
// A case starts with `case <title>`, its test named <file>:<line>, then may
// set, before any step:
//
//	stale <days>                      the staleness window (default 45)
//	unit <code> <name> parent <code>  a unit (level unit) below a county or unit
//	known-difference <why>            ClickHouse is known to answer otherwise: its
//	                                  run logs the mismatch and skips, not fails
//
// Its steps run in order:
//
//	load        one ingestion: indented lines <code> [<name>] <date> key=n…, keys
//	            members and followers (the stock: both or neither), reads,
//	            shares, likes, wow, comments. A later load of the same unit and
//	            date is a newer ingestion.
//	merge       ClickHouse merges the ingestions now (OPTIMIZE TABLE … FINAL), as
//	            it does in the background when it likes; Memory has nothing to do.
//	rank <level> within <scope> on <date> [compare <date>]
//	            every row of the ranking, in order:
//	              <rank> <code> [<name>] <rate> [marks]   (rank - and no rate
//	                                                     for a unit without figures)
//	              - others        the remaining rows, all without figures
//	              total <rate> [marks]   the scope's own figures (optional)
//	climb <unit> within <scope> from <date> to <date> [engagement]
//	            every step (each month end, and the to date):
//	              <date> <rank> of <ranked> <rate> [marks]   (rank - and rate -
//	                                                        when unranked)
//
// A rate is a percentage with two decimals. Marks: stale and reported are
// always checked (no mark says not stale, not the unit's own report but a
// sum); the others only when given: followers/members as 90/100; prev=<rank
// or -> on the comparison date (required with compare); change=<+n, -n, 0,
// or none>; reads= shares= likes= wow= comments= (summed over the month up
// to the date; climbs sum them only with engagement); date=<the report date
// the figures rest on>; bottom=<place from the bottom> (climb steps).

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/config"
	"followrank/model"
	"followrank/rank"
	"followrank/store"
	"followrank/store/storetest"
	"followrank/units"
)

// TestMemoryCases runs every case over rank.Memory.
func TestMemoryCases(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run("memory/"+c.name(), func(t *testing.T) {
			runCase(t, c, newMemoryBackend(c))
		})
	}
}

// TestClickHouseCases runs every case over a fresh ClickHouse database of
// its own.
func TestClickHouseCases(t *testing.T) {
	cases := loadCases(t)
	storetest.Config(t) // skips here, once, when no server answers
	for _, c := range cases {
		t.Run("clickhouse/"+c.name(), func(t *testing.T) {
			t.Parallel() // each in a database of its own
			runCase(t, c, newClickHouseBackend(t, c))
		})
	}
}

// testCase is one case of a file.
type testCase struct {
	file  string
	line  int
	title string
	stale int
	units []units.Node
	tree  *units.Tree // the built-in divisions and the case's units
	known string
	steps []*caseStep
}

func (c *testCase) name() string { return fmt.Sprintf("%s:%d", c.file, c.line) }

// caseStep is a load, a merge, a ranking or a climb.
type caseStep struct {
	line int
	kind string
	text string // the command as written
	figs []model.Figure

	level          units.Level
	unit, within   units.Node
	on, compare    time.Time
	from, to       time.Time
	withEngagement bool
	rows           []*caseRow
	total          *caseRow
	others         int // the line of "- others", which stands for the remaining rows, all unranked
}

// caseRow is a row of a ranking, its total or a step of a climb: as the
// case expects it, or as the engine gave it. has names the fields an
// expected row gives; it is nil in a row the engine gave, which has all.
type caseRow struct {
	line            int
	kind            string // "row", "total" or "step"
	rank            int
	code, name      string
	date            time.Time // a step's
	of              int
	rate            string // 90.00%, or - without figures
	fm              string // followers/members
	stale, reported bool
	prev, change    string
	eng             map[string]uint64
	reportDate      string
	bottom          string
	has             map[string]bool
}

var engagementKeys = []string{"reads", "shares", "likes", "wow", "comments"}

func engagementOf(e model.Engagement) map[string]uint64 {
	return map[string]uint64{"reads": e.Reads, "shares": e.Shares, "likes": e.Likes, "wow": e.Wow, "comments": e.Comments}
}

var builtin = sync.OnceValue(units.Builtin)

var (
	casesOnce sync.Once
	cases     []*testCase
	casesErr  error
)

// loadCases parses testdata/*.test once per test binary.
func loadCases(t *testing.T) []*testCase {
	t.Helper()
	casesOnce.Do(func() {
		files, err := filepath.Glob(filepath.Join("testdata", "*.test"))
		if err == nil && len(files) == 0 {
			err = fmt.Errorf("no testdata/*.test")
		}
		for _, f := range files {
			if err != nil {
				break
			}
			var cs []*testCase
			cs, err = parseFile(f)
			cases = append(cases, cs...)
		}
		casesErr = err
	})
	if casesErr != nil {
		t.Fatal(casesErr)
	}
	return cases
}

// parseError names the file and line.
type parseError struct {
	file string
	line int
	msg  string
}

func (e *parseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

type parser struct {
	file  string
	line  int
	cases []*testCase
	cur   *testCase
	block *caseStep // the command indented lines belong to
}

func (p *parser) errorf(format string, args ...any) error {
	return &parseError{p.file, p.line, fmt.Sprintf(format, args...)}
}

func parseFile(path string) ([]*testCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p := &parser{file: filepath.Base(path)}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p.line++
		text := sc.Text()
		if loc := commentRE.FindStringIndex(text); loc != nil {
			text = text[:loc[0]]
		}
		if strings.TrimSpace(text) == "" || strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		indented := text[0] == ' ' || text[0] == '\t'
		fields := strings.Fields(text)
		if indented {
			err = p.indented(fields)
		} else {
			err = p.command(fields)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := p.finishCase(); err != nil {
		return nil, err
	}
	if len(p.cases) == 0 {
		return nil, &parseError{p.file, 1, "no cases"}
	}
	return p.cases, nil
}

// finishCase checks that the case asserts something.
func (p *parser) finishCase() error {
	if err := p.closeBlock(); err != nil {
		return err
	}
	c := p.cur
	if c == nil {
		return nil
	}
	for _, s := range c.steps {
		if s.kind == "rank" || s.kind == "climb" {
			return nil
		}
	}
	return &parseError{p.file, c.line, "the case ranks nothing: add a rank or climb"}
}

// closeBlock checks the block just ended has its lines.
func (p *parser) closeBlock() error {
	b := p.block
	p.block = nil
	if b == nil {
		return nil
	}
	switch {
	case b.kind == "load" && len(b.figs) == 0:
		return &parseError{p.file, b.line, "load lists no figures"}
	case (b.kind == "rank" || b.kind == "climb") && len(b.rows) == 0:
		return &parseError{p.file, b.line, b.kind + " lists no expected rows"}
	}
	return nil
}

// builtinTree is the built-in divisions' tree, which the cases without
// units of their own share: building it takes milliseconds.
var builtinTree = sync.OnceValues(func() (*units.Tree, error) { return units.NewTree(builtin()) })

// tree builds the case's tree when its first step needs it.
func (p *parser) tree() (*units.Tree, error) {
	c := p.cur
	if c.tree == nil && len(c.units) == 0 {
		tree, err := builtinTree()
		if err != nil {
			return nil, err
		}
		c.tree = tree
	}
	if c.tree == nil {
		tree, err := units.NewTree(append(slices.Clone(builtin()), c.units...))
		if err != nil {
			return nil, p.errorf("%v", err)
		}
		c.tree = tree
	}
	return c.tree, nil
}

func (p *parser) find(nameOrCode string) (units.Node, error) {
	tree, err := p.tree()
	if err != nil {
		return units.Node{}, err
	}
	n, err := tree.Find(nameOrCode, "")
	if err != nil {
		return units.Node{}, p.errorf("%v", err)
	}
	return n, nil
}

func (p *parser) date(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, p.errorf("%q is not a date like 2024-06-30", s)
	}
	return d, nil
}

func (p *parser) command(f []string) error {
	if err := p.closeBlock(); err != nil {
		return err
	}
	if f[0] == "case" {
		if err := p.finishCase(); err != nil {
			return err
		}
		if len(f) < 2 {
			return p.errorf("case needs a title")
		}
		p.cur = &testCase{file: p.file, line: p.line, title: strings.Join(f[1:], " "), stale: 45}
		p.cases = append(p.cases, p.cur)
		return nil
	}
	c := p.cur
	if c == nil {
		return p.errorf("%q before the first case line", f[0])
	}
	header := func() error {
		if c.tree != nil || len(c.steps) > 0 {
			return p.errorf("%s must come before the case's loads and rankings", f[0])
		}
		return nil
	}
	switch f[0] {
	case "stale":
		if err := header(); err != nil {
			return err
		}
		n, err := strconv.Atoi(strings.Join(f[1:], " "))
		if err != nil || n < 0 {
			return p.errorf("stale wants a number of days, as in: stale 45")
		}
		c.stale = n
	case "unit":
		if err := header(); err != nil {
			return err
		}
		if len(f) != 5 || f[3] != "parent" {
			return p.errorf("want: unit <code> <name> parent <code>")
		}
		c.units = append(c.units, units.Node{Code: f[1], Name: f[2], Parent: f[4], Level: units.Unit})
	case "known-difference":
		if err := header(); err != nil {
			return err
		}
		if len(f) < 2 {
			return p.errorf("known-difference needs a reason")
		}
		c.known = strings.Join(f[1:], " ")
	case "load", "merge":
		if len(f) != 1 {
			return p.errorf("%s takes nothing on its line; figures go on the indented lines below load", f[0])
		}
		if _, err := p.tree(); err != nil {
			return err
		}
		s := &caseStep{line: p.line, kind: f[0], text: f[0]}
		c.steps = append(c.steps, s)
		if f[0] == "load" {
			p.block = s
		}
	case "rank":
		return p.rankCommand(f)
	case "climb":
		return p.climbCommand(f)
	default:
		return p.errorf("unknown command %q: want case, stale, unit, known-difference, load, merge, rank or climb", f[0])
	}
	return nil
}

// keywords reads "word value" pairs after a command's first words.
func (p *parser) keywords(f []string, want ...string) (map[string]string, error) {
	got := map[string]string{}
	for i := 0; i < len(f); i++ {
		if !slices.Contains(want, f[i]) {
			return nil, p.errorf("unexpected %q: want %s", f[i], strings.Join(want, ", "))
		}
		if f[i] == "engagement" { // a flag
			got[f[i]] = "yes"
			continue
		}
		if i+1 == len(f) {
			return nil, p.errorf("%s needs a value", f[i])
		}
		got[f[i]] = f[i+1]
		i++
	}
	return got, nil
}

func (p *parser) rankCommand(f []string) error {
	const usage = "want: rank <level> within <scope> on <date> [compare <date>]"
	if len(f) < 6 {
		return p.errorf("%s", usage)
	}
	s := &caseStep{line: p.line, kind: "rank", text: strings.Join(f, " ")}
	level, err := units.ParseLevel(f[1])
	if err != nil {
		return p.errorf("%v", err)
	}
	s.level = level
	kw, err := p.keywords(f[2:], "within", "on", "compare")
	if err != nil {
		return err
	}
	if kw["within"] == "" || kw["on"] == "" {
		return p.errorf("%s", usage)
	}
	if s.within, err = p.find(kw["within"]); err != nil {
		return err
	}
	if s.on, err = p.date(kw["on"]); err != nil {
		return err
	}
	if v := kw["compare"]; v != "" {
		if s.compare, err = p.date(v); err != nil {
			return err
		}
	}
	p.cur.steps = append(p.cur.steps, s)
	p.block = s
	return nil
}

func (p *parser) climbCommand(f []string) error {
	const usage = "want: climb <unit> within <scope> from <date> to <date> [engagement]"
	if len(f) < 8 {
		return p.errorf("%s", usage)
	}
	s := &caseStep{line: p.line, kind: "climb", text: strings.Join(f, " ")}
	var err error
	if s.unit, err = p.find(f[1]); err != nil {
		return err
	}
	kw, err := p.keywords(f[2:], "within", "from", "to", "engagement")
	if err != nil {
		return err
	}
	if kw["within"] == "" || kw["from"] == "" || kw["to"] == "" {
		return p.errorf("%s", usage)
	}
	if s.within, err = p.find(kw["within"]); err != nil {
		return err
	}
	if s.from, err = p.date(kw["from"]); err != nil {
		return err
	}
	if s.to, err = p.date(kw["to"]); err != nil {
		return err
	}
	s.withEngagement = kw["engagement"] != ""
	p.cur.steps = append(p.cur.steps, s)
	p.block = s
	return nil
}

func (p *parser) indented(f []string) error {
	b := p.block
	if b == nil {
		return p.errorf("an indented line belongs below load, rank or climb")
	}
	switch b.kind {
	case "load":
		return p.figure(b, f)
	case "rank":
		if f[0] == "total" {
			if b.total != nil {
				return p.errorf("a second total")
			}
			r, err := p.row("total", f[1:])
			if err != nil {
				return err
			}
			b.total = r
			return nil
		}
		if b.total != nil {
			return p.errorf("rows go before the total")
		}
		if b.others > 0 {
			return p.errorf("- others stands for the last rows: only the total may follow it")
		}
		if len(f) == 2 && f[0] == "-" && f[1] == "others" {
			b.others = p.line
			return nil
		}
		r, err := p.row("row", f)
		if err != nil {
			return err
		}
		if !b.compare.IsZero() && !r.has["prev"] {
			return p.errorf("the ranking compares with %s: give each row's prev=<rank or ->", b.compare.Format(time.DateOnly))
		}
		b.rows = append(b.rows, r)
	case "climb":
		r, err := p.row("step", f)
		if err != nil {
			return err
		}
		b.rows = append(b.rows, r)
	}
	return nil
}

// figure reads a load line: code [name] date key=value….
func (p *parser) figure(b *caseStep, f []string) error {
	n, err := p.find(f[0])
	if err != nil {
		return err
	}
	i := 1
	if i < len(f) && !isDate(f[i]) {
		if f[i] != n.Name {
			return p.errorf("%s is %s, not %s", n.Code, n.Name, f[i])
		}
		i++
	}
	if i == len(f) {
		return p.errorf("want: <code> [<name>] <date> members=<n> followers=<n> reads=<n>…")
	}
	d, err := p.date(f[i])
	if err != nil {
		return err
	}
	fig := model.Figure{Unit: n.Code, Date: d}
	seen := map[string]bool{}
	for _, kv := range f[i+1:] {
		k, v, ok := strings.Cut(kv, "=")
		x, err := strconv.ParseUint(v, 10, 64)
		if !ok || err != nil {
			return p.errorf("%q is not key=number", kv)
		}
		if seen[k] {
			return p.errorf("%s twice", k)
		}
		seen[k] = true
		switch k {
		case "members", "followers":
			if x > 1<<32-1 {
				return p.errorf("%s %d is too large", k, x)
			}
			if k == "members" {
				fig.Members = uint32(x)
			} else {
				fig.Followers = uint32(x)
			}
		case "reads":
			fig.Reads = x
		case "shares":
			fig.Shares = x
		case "likes":
			fig.Likes = x
		case "wow":
			fig.Wow = x
		case "comments":
			fig.Comments = x
		default:
			return p.errorf("unknown figure %q: want members, followers, reads, shares, likes, wow or comments", k)
		}
	}
	if seen["members"] != seen["followers"] {
		return p.errorf("a stock is members= and followers= together")
	}
	fig.HasStock = seen["members"]
	b.figs = append(b.figs, fig)
	return nil
}

var (
	commentRE = regexp.MustCompile(`\s#`)
	dateRE    = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	rateRE    = regexp.MustCompile(`^\d+\.\d\d%$`)
	fmRE      = regexp.MustCompile(`^\d+/\d+$`)
)

func isDate(s string) bool { return dateRE.MatchString(s) }

// looksLikeName says a word after a row's code is the unit's name: not a
// rate, a number, a mark or -.
func looksLikeName(w string) bool {
	return w != "-" && w != "stale" && w != "reported" && !strings.HasSuffix(w, "%") && !strings.Contains(w, "=") &&
		!strings.ContainsAny(w[:1], "0123456789")
}

// row reads an expected row of a ranking, its total, or a climb's step.
func (p *parser) row(kind string, f []string) (*caseRow, error) {
	r := &caseRow{line: p.line, kind: kind, eng: map[string]uint64{}, has: map[string]bool{}}
	usage := map[string]string{
		"row":   "want: <rank or -> <code> [<name>] <rate> [marks], as in: 1 341622 90.00% 90/100 reported",
		"total": "want: total <rate> [marks], as in: total 70.00% 140/200",
		"step":  "want: <date> <rank or -> of <ranked> <rate> [marks], as in: 2024-01-31 4 of 4 10.00%",
	}[kind]
	ranked := true
	parseRank := func(s string) error {
		if s == "-" {
			ranked = false
			return nil
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			return p.errorf("%q is not a rank: %s", s, usage)
		}
		r.rank = n
		return nil
	}
	switch kind {
	case "row":
		if len(f) < 2 {
			return nil, p.errorf("%s", usage)
		}
		if err := parseRank(f[0]); err != nil {
			return nil, err
		}
		n, err := p.find(f[1])
		if err != nil {
			return nil, err
		}
		r.code, f = n.Code, f[2:]
		if len(f) > 0 && looksLikeName(f[0]) {
			if f[0] != n.Name {
				return nil, p.errorf("%s is %s, not %s", n.Code, n.Name, f[0])
			}
			r.name, r.has["name"], f = f[0], true, f[1:]
		}
	case "step":
		if len(f) < 4 || f[2] != "of" {
			return nil, p.errorf("%s", usage)
		}
		d, err := p.date(f[0])
		if err != nil {
			return nil, err
		}
		r.date = d
		if err := parseRank(f[1]); err != nil {
			return nil, err
		}
		if r.of, err = strconv.Atoi(f[3]); err != nil || r.of < 0 {
			return nil, p.errorf("%q is not a count of ranked units: %s", f[3], usage)
		}
		f = f[4:]
	}
	// The rate: required when ranked, - or nothing when not.
	switch {
	case len(f) > 0 && strings.HasSuffix(f[0], "%") && !rateRE.MatchString(f[0]):
		return nil, p.errorf("rate %s: write it with two decimals, as in 90.00%%", f[0])
	case len(f) > 0 && rateRE.MatchString(f[0]):
		if !ranked {
			return nil, p.errorf("an unranked unit has no rate: write - or nothing")
		}
		r.rate, r.has["rate"], f = f[0], true, f[1:]
	case len(f) > 0 && f[0] == "-":
		if ranked {
			return nil, p.errorf("a ranked unit needs its rate, as in 90.00%%")
		}
		r.rate, r.has["rate"], f = "-", true, f[1:]
	case ranked:
		return nil, p.errorf("a rate like 90.00%% is missing: %s", usage)
	}
	for _, m := range f {
		switch {
		case m == "stale":
			r.stale = true
		case m == "reported":
			r.reported = true
		case fmRE.MatchString(m):
			r.fm, r.has["fm"] = m, true
		default:
			k, v, ok := strings.Cut(m, "=")
			if !ok {
				return nil, p.errorf("unknown mark %q: want stale, reported, followers/members or key=value", m)
			}
			switch {
			case k == "prev" && kind == "row":
				if v != "-" {
					if n, err := strconv.Atoi(v); err != nil || n < 1 {
						return nil, p.errorf("prev=%s: want a rank or -", v)
					}
				}
				r.prev = v
			case k == "change" && kind == "row":
				if _, err := strconv.Atoi(v); err != nil && v != "none" {
					return nil, p.errorf("change=%s: want +n, -n, 0 or none", v)
				}
				if n, err := strconv.Atoi(v); err == nil {
					v = signed(n)
				}
				r.change = v
			case slices.Contains(engagementKeys, k):
				n, err := strconv.ParseUint(v, 10, 64)
				if err != nil {
					return nil, p.errorf("%s=%s: want a number", k, v)
				}
				r.eng[k] = n
			case k == "date":
				if _, err := p.date(v); err != nil {
					return nil, err
				}
				r.reportDate = v
			case k == "bottom" && kind == "step":
				if n, err := strconv.Atoi(v); err != nil || n < 0 {
					return nil, p.errorf("bottom=%s: want a place from the bottom", v)
				}
				r.bottom = v
			default:
				return nil, p.errorf("unknown mark %q here", m)
			}
			if r.has[k] {
				return nil, p.errorf("%s twice", k)
			}
			r.has[k] = true
		}
	}
	return r, nil
}

func signed(n int) string {
	if n > 0 {
		return "+" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// backend is a source of figures with an engine over it.
type backend interface {
	load(ctx context.Context, figs []model.Figure) error
	merge(ctx context.Context) error
	engine() *rank.Engine
	// compare checks the source's raw answers against Memory's over the
	// same figures; nil when the source is Memory.
	compare(ctx context.Context, c *testCase) []string
	isClickHouse() bool
}

type memoryBackend struct {
	mem     *rank.Memory
	e       *rank.Engine
	version uint64
}

func newMemoryBackend(c *testCase) backend {
	m := rank.NewMemory(c.tree)
	return &memoryBackend{mem: m, e: rank.New(m, c.tree, c.stale)}
}

func (b *memoryBackend) load(_ context.Context, figs []model.Figure) error {
	b.version++
	return b.mem.Add(b.version, figs...)
}
func (b *memoryBackend) merge(context.Context) error                 { return nil }
func (b *memoryBackend) engine() *rank.Engine                        { return b.e }
func (b *memoryBackend) compare(context.Context, *testCase) []string { return nil }
func (b *memoryBackend) isClickHouse() bool                          { return false }

type clickHouseBackend struct {
	t      *testing.T
	s      *store.Store
	e      *rank.Engine
	mirror *memoryBackend // the same figures in memory, to compare raw answers with
}

func newClickHouseBackend(t *testing.T, c *testCase) backend {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	if len(c.units) > 0 {
		if err := s.SaveUnits(ctx, c.tree, c.units, "test", store.BuiltinVersion+1); err != nil {
			t.Fatal(err)
		}
	}
	tree, err := units.NewCache(s, 0).Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &clickHouseBackend{t: t, s: s, e: rank.New(s, tree, c.stale), mirror: newMemoryBackend(c).(*memoryBackend)}
}

func (b *clickHouseBackend) load(ctx context.Context, figs []model.Figure) error {
	if err := b.mirror.load(ctx, figs); err != nil {
		return err
	}
	return b.s.WriteFigures(ctx, "test", model.NewRunID(), figs)
}

// merge has ClickHouse merge every ingestion of a unit's day into the
// newest now, as it does in the background at a time of its choosing.
func (b *clickHouseBackend) merge(ctx context.Context) error {
	dsn := os.Getenv("FOLLOWRANK_CLICKHOUSE_DSN")
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return err
	}
	opts.Auth.Database = b.s.Database()
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Exec(ctx, "OPTIMIZE TABLE unit_figures FINAL")
}

func (b *clickHouseBackend) engine() *rank.Engine { return b.e }
func (b *clickHouseBackend) isClickHouse() bool   { return true }

// compare asks the store and Memory the same questions, those the case's
// rankings lead the engine to and more, and reports where they answer
// differently.
func (b *clickHouseBackend) compare(ctx context.Context, c *testCase) []string {
	var fails []string
	for _, q := range rawQuestions(c) {
		want, err := q.ask(ctx, b.mirror.mem)
		if err != nil {
			b.t.Fatalf("memory: %s: %v", q, err)
		}
		got, err := q.ask(ctx, b.s)
		if err != nil {
			b.t.Fatalf("clickhouse: %s: %v", q, err)
		}
		if !slices.Equal(got, want) {
			fails = append(fails, fmt.Sprintf("%s answers differently:\n%s", q, sideBySide("memory", "clickhouse", want, got, nil)))
		}
	}
	return fails
}

// rawQuestion is one call of a Figures method.
type rawQuestion struct {
	method   string
	scope    string
	codes    []string
	from, to time.Time
}

func (q rawQuestion) String() string {
	switch q.method {
	case "StocksOf":
		return fmt.Sprintf("StocksOf(%s, %s)", strings.Join(q.codes, " "), q.to.Format(time.DateOnly))
	}
	return fmt.Sprintf("%s(%s, %s..%s)", q.method, q.scope, q.from.Format(time.DateOnly), q.to.Format(time.DateOnly))
}

// ask puts the question to a source and writes its answer one line a report.
func (q rawQuestion) ask(ctx context.Context, src rank.Figures) ([]string, error) {
	out := []string{}
	line := func(f model.Figure) error {
		out = append(out, fmt.Sprintf("%s %s stock=%v %d/%d %s", f.Unit, f.Date.Format(time.DateOnly), f.HasStock, f.Followers, f.Members, engagementText(f.Engagement, true)))
		return nil
	}
	var err error
	switch q.method {
	case "EachStock":
		err = src.EachStock(ctx, q.scope, q.from, q.to, line)
	case "EachReport":
		err = src.EachReport(ctx, q.scope, q.from, q.to, false, line)
	case "EachReport/stocks":
		err = src.EachReport(ctx, q.scope, q.from, q.to, true, line)
	case "StocksOf":
		var figs []model.Figure
		figs, err = src.StocksOf(ctx, q.codes, q.to)
		for _, f := range figs {
			_ = line(f)
		}
	case "Engagement":
		var eng map[string]model.Engagement
		eng, err = src.Engagement(ctx, q.scope, q.from, q.to)
		for code, e := range eng {
			out = append(out, code+" "+engagementText(e, true))
		}
		slices.Sort(out)
	}
	return out, err
}

// rawQuestions are the questions a case's rankings lead to: for every scope
// it names (and the whole country and Anhui), its stocks, engagement and
// reports over the staleness window and the month before each date, and
// over the whole span of its figures; and the stocks of every unit it loads
// before each date.
func rawQuestions(c *testCase) []rawQuestion {
	scopes := []string{units.Root, "340000"}
	var dates []time.Time
	codes := []string{"999999"} // a unit nothing is known of
	first, last := time.Time{}, time.Time{}
	for _, s := range c.steps {
		switch s.kind {
		case "rank":
			scopes = append(scopes, s.within.Code)
			dates = append(dates, s.on)
			if !s.compare.IsZero() {
				dates = append(dates, s.compare)
			}
		case "climb":
			scopes = append(scopes, s.within.Code, s.unit.Code)
			dates = append(dates, s.from, s.to)
		case "load":
			for _, f := range s.figs {
				codes = append(codes, f.Unit)
				if first.IsZero() || f.Date.Before(first) {
					first = f.Date
				}
				if f.Date.After(last) {
					last = f.Date
				}
			}
		}
	}
	for _, u := range c.units {
		scopes = append(scopes, u.Parent)
	}
	slices.Sort(scopes)
	scopes = slices.Compact(scopes)
	slices.Sort(codes)
	codes = slices.Compact(codes)
	type window struct{ from, to time.Time }
	var windows []window
	if !first.IsZero() {
		windows = append(windows, window{first, last})
	}
	for _, d := range dates {
		windows = append(windows, window{d.AddDate(0, 0, -c.stale), d}, window{model.MonthStart(d), d})
	}
	var qs []rawQuestion
	for _, d := range dates {
		qs = append(qs, rawQuestion{method: "StocksOf", codes: codes, to: d}, rawQuestion{method: "StocksOf", codes: codes, to: d.AddDate(0, 0, -c.stale-1)})
	}
	for _, scope := range scopes {
		for _, w := range windows {
			for _, m := range []string{"EachStock", "Engagement", "EachReport", "EachReport/stocks"} {
				qs = append(qs, rawQuestion{method: m, scope: scope, from: w.from, to: w.to})
			}
		}
	}
	return slices.CompactFunc(qs, func(a, b rawQuestion) bool { return a.String() == b.String() })
}

func engagementText(e model.Engagement, all bool) string {
	var parts []string
	for _, k := range engagementKeys {
		if v := engagementOf(e)[k]; v > 0 || all {
			parts = append(parts, fmt.Sprintf("%s=%d", k, v))
		}
	}
	return strings.Join(parts, " ")
}

// runCase runs a case's steps over a backend and reports every ranking that
// is not as expected. A known difference on ClickHouse is logged, and is an
// error when it no longer shows.
func runCase(t *testing.T, c *testCase, b backend) {
	ctx := context.Background()
	var fails []string
	changed := 0 // the line of the last load or merge not yet compared
	compare := func() {
		if changed > 0 {
			for _, f := range b.compare(ctx, c) {
				fails = append(fails, fmt.Sprintf("%s:%d: after the loads up to here, %s", c.file, changed, f))
			}
		}
		changed = 0
	}
	for _, s := range c.steps {
		where := fmt.Sprintf("%s:%d", c.file, s.line)
		switch s.kind {
		case "load":
			if err := b.load(ctx, s.figs); err != nil {
				t.Fatalf("%s: load: %v", where, err)
			}
			changed = s.line
		case "merge":
			if err := b.merge(ctx); err != nil {
				t.Fatalf("%s: merge: %v", where, err)
			}
			changed = s.line
		case "rank":
			compare()
			got, err := rankRows(ctx, b.engine(), s)
			if err != nil {
				t.Fatalf("%s: %s: %v", where, s.text, err)
			}
			fails = append(fails, check(where, s, got)...)
		case "climb":
			compare()
			got, err := climbRows(ctx, b.engine(), s)
			if err != nil {
				t.Fatalf("%s: %s: %v", where, s.text, err)
			}
			fails = append(fails, check(where, s, got)...)
		}
	}
	compare()
	switch {
	case len(fails) > 0 && c.known != "" && b.isClickHouse():
		// The difference is documented, and must show as documented.
		t.Logf("known difference between ClickHouse and Memory: %s\n%s: %s\n%s", c.known, c.name(), c.title, strings.Join(fails, "\n"))
	case len(fails) > 0:
		t.Errorf("%s: %s\n%s", c.name(), c.title, strings.Join(fails, "\n"))
	case c.known != "" && b.isClickHouse():
		t.Errorf("%s: the known difference no longer shows (%s): remove its known-difference line", c.name(), c.known)
	}
}

func rankRows(ctx context.Context, e *rank.Engine, s *caseStep) ([]*caseRow, error) {
	r, err := e.Rank(ctx, s.level, s.within, s.on, s.compare)
	if err != nil {
		return nil, err
	}
	var out []*caseRow
	for _, row := range r.Rows {
		g := gotRow("row", row.State, row.Rank)
		if !s.compare.IsZero() {
			g.prev, g.change = "-", "none"
			if row.PrevRank > 0 {
				g.prev = strconv.Itoa(row.PrevRank)
			}
			if n, ok := row.Change(); ok {
				g.change = signed(n)
			}
		}
		out = append(out, g)
	}
	if s.total != nil {
		out = append(out, gotRow("total", r.Total, 0))
	}
	return out, nil
}

func climbRows(ctx context.Context, e *rank.Engine, s *caseStep) ([]*caseRow, error) {
	dates, err := rank.Dates(s.from, s.to, rank.Monthly)
	if err != nil {
		return nil, err
	}
	c, err := e.Climb(ctx, s.unit, s.within, dates, s.withEngagement)
	if err != nil {
		return nil, err
	}
	var out []*caseRow
	for _, st := range c.Steps {
		g := gotRow("step", st.State, st.Rank)
		g.date, g.of, g.bottom = st.Date, st.Of, strconv.Itoa(st.FromBottom())
		out = append(out, g)
	}
	return out, nil
}

// gotRow is a row as the engine gave it.
func gotRow(kind string, st rank.State, rnk int) *caseRow {
	g := &caseRow{kind: kind, rank: rnk, code: st.Unit.Code, name: st.Unit.Name, rate: "-",
		stale: st.Stale, reported: st.Reported, eng: engagementOf(st.Engagement)}
	if st.HasData() {
		g.rate = fmt.Sprintf("%.2f%%", st.Rate()*100)
		g.fm = fmt.Sprintf("%d/%d", st.Followers, st.Members)
	}
	if !st.ReportDate.IsZero() {
		g.reportDate = st.ReportDate.Format(time.DateOnly)
	}
	return g
}

// differences lists how a row the engine gave differs from the expected.
func differences(want, got *caseRow) []string {
	var d []string
	diff := func(what string, w, g any) {
		if w != g {
			shown := func(v any) any {
				if v == "" {
					return "none"
				}
				return v
			}
			d = append(d, fmt.Sprintf("%s %v, want %v", what, shown(g), shown(w)))
		}
	}
	switch want.kind {
	case "row":
		diff("unit", want.code, got.code)
		diff("rank", want.rank, got.rank)
	case "step":
		diff("date", want.date.Format(time.DateOnly), got.date.Format(time.DateOnly))
		diff("rank", want.rank, got.rank)
		diff("ranked", want.of, got.of)
	}
	if want.has["rate"] || want.rank > 0 {
		diff("rate", want.rate, got.rate)
	}
	diff("stale", want.stale, got.stale)
	diff("reported", want.reported, got.reported)
	if want.has["fm"] {
		diff("followers/members", want.fm, got.fm)
	}
	if want.has["prev"] {
		diff("prev", want.prev, got.prev)
	}
	if want.has["change"] {
		diff("change", want.change, got.change)
	}
	if want.has["date"] {
		diff("report date", want.reportDate, got.reportDate)
	}
	if want.has["bottom"] {
		diff("bottom", want.bottom, got.bottom)
	}
	for _, k := range engagementKeys {
		if want.has[k] {
			diff(k, want.eng[k], got.eng[k])
		}
	}
	return d
}

// check compares a ranking or climb with the expected rows and, when they
// differ, shows both as tables.
func check(where string, s *caseStep, got []*caseRow) []string {
	want := slices.Clone(s.rows)
	if s.others > 0 {
		// "- others": each remaining row of the ranking must be unranked.
		rows := got
		if s.total != nil && len(rows) > 0 {
			rows = rows[:len(rows)-1]
		}
		for _, g := range rows[min(len(want), len(rows)):] {
			want = append(want, &caseRow{line: s.others, kind: "row", code: g.code, eng: map[string]uint64{}, has: map[string]bool{"others": true}})
		}
	}
	if s.total != nil {
		want = append(want, s.total)
	}
	var notes []string
	marks := map[int]bool{}
	for i := range max(len(want), len(got)) {
		switch {
		case i >= len(want):
			marks[i] = true
			notes = append(notes, fmt.Sprintf("row %d: not expected", i+1))
		case i >= len(got):
			marks[i] = true
			notes = append(notes, fmt.Sprintf("row %d (line %d): missing", i+1, want[i].line))
		default:
			if d := differences(want[i], got[i]); len(d) > 0 {
				marks[i] = true
				notes = append(notes, fmt.Sprintf("row %d (line %d): %s", i+1, want[i].line, strings.Join(d, "; ")))
			}
		}
	}
	if len(notes) == 0 {
		return nil
	}
	var w, g []string
	for i, r := range want {
		w = append(w, r.text(nil))
		if i < len(got) {
			g = append(g, got[i].text(r))
		}
	}
	for _, r := range got[min(len(want), len(got)):] {
		g = append(g, r.text(nil))
	}
	return []string{fmt.Sprintf("%s: %s\n%s%s", where, s.text, sideBySide("want", "got", w, g, marks), strings.Join(notes, "\n"))}
}

// text writes a row as a case would: an expected row with the fields it
// gives, a row the engine gave with those that like gives (and its name),
// or with all but the report date when like is nil.
func (r *caseRow) text(like *caseRow) string {
	show := func(k string) bool {
		switch {
		case like != nil:
			return like.has[k]
		case r.has != nil:
			return r.has[k]
		}
		return k != "date"
	}
	var f []string
	rankText := "-"
	if r.rank > 0 {
		rankText = strconv.Itoa(r.rank)
	}
	switch r.kind {
	case "row":
		f = append(f, rankText, r.code)
		if r.has == nil || r.has["name"] {
			f = append(f, r.name)
		}
		if r.has["others"] {
			f = append(f, "(others)")
		}
	case "total":
		f = append(f, "total")
	case "step":
		f = append(f, r.date.Format(time.DateOnly), rankText, "of", strconv.Itoa(r.of))
	}
	if r.rank > 0 || r.kind == "total" || show("rate") {
		f = append(f, r.rate)
	}
	if r.fm != "" && show("fm") {
		f = append(f, r.fm)
	}
	if r.reported {
		f = append(f, "reported")
	}
	if r.stale {
		f = append(f, "stale")
	}
	for _, kv := range [][2]string{{"prev", r.prev}, {"change", r.change}, {"date", r.reportDate}, {"bottom", r.bottom}} {
		if kv[1] != "" && show(kv[0]) {
			f = append(f, kv[0]+"="+kv[1])
		}
	}
	for _, k := range engagementKeys {
		if show(k) && (like != nil || r.has != nil || r.eng[k] > 0) {
			f = append(f, fmt.Sprintf("%s=%d", k, r.eng[k]))
		}
	}
	return strings.Join(f, " ")
}

// sideBySide sets two lists of lines beside each other, with a ! before
// the marked lines (or, without marks, the lines that differ).
func sideBySide(left, right string, a, b []string, marks map[int]bool) string {
	width := len(left)
	for _, s := range a {
		width = max(width, textWidth(s))
	}
	var sb strings.Builder
	pad := func(s string) string { return s + strings.Repeat(" ", width-textWidth(s)) }
	fmt.Fprintf(&sb, "    %s | %s\n", pad(left), right)
	for i := range max(len(a), len(b)) {
		var l, r string
		if i < len(a) {
			l = a[i]
		}
		if i < len(b) {
			r = b[i]
		}
		mark := " "
		if marks != nil && marks[i] || marks == nil && l != r {
			mark = "!"
		}
		fmt.Fprintf(&sb, "  %s %s | %s\n", mark, pad(l), r)
	}
	return sb.String()
}

// textWidth is how many columns s takes in a terminal: a Chinese character
// takes two.
func textWidth(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x1100 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

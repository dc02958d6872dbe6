package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"followrank/catalog"
	"followrank/model"
	"followrank/sheet"
	"followrank/units"
)

// SheetOptions say how to read a figure sheet.
type SheetOptions struct {
	Tree *units.Tree
	// Within is the code of the unit whose units the sheet lists; empty to
	// take it from the title (安徽省……通报) or else search the whole tree.
	Within string
	// AsOf is the date of the figures when the sheet has no date column;
	// zero to take it from the title or the file name.
	AsOf  time.Time
	Sheet string // read only this sheet of a workbook
	// Source and RunID label stored figures.
	Source, RunID string
	// BatchRows is how many figures are sent to the sink at once (default
	// 50,000); one batch is stored while the next is read.
	BatchRows int
	// Keep is how many rejections and warnings the report keeps (all are counted).
	Keep int
	// Progress, when set, is told the rows read so far every 100,000 rows.
	Progress func(rows int)
	// Default is the code of the configured scope: what a title that says
	// 全省 or 全市 without naming a unit means. Empty for all of China.
	Default string
	// Say writes the rejections and errors; Chinese when nil.
	Say *catalog.Printer
}

// Report says what became of one file.
type Report struct {
	File     string
	Format   string // CSV and its encoding, or XLSX
	Sheets   []string
	Scope    units.Node
	AsOf     time.Time // the file-level date, zero when every row had its own
	First    time.Time // earliest date of an accepted figure
	Last     time.Time
	Accepted int
	Rejected int
	Warned   int
	Skipped  int // totals rows and notes
	Stored   int // figures handed to the sink
	// Outside counts rows for known units outside the scope (rejected).
	Outside int
	// Rejections and Warnings keep the first SheetOptions.Keep of each.
	Rejections []model.Rejection
	Warnings   []model.Rejection
}

// maxName is the longest unit name a row may give.
const maxName = 100

// headerSearchRows is how far below the top the heading row may sit.
const headerSearchRows = 30

// columns maps fields to column indexes; -1 when absent.
type columns [nFields]int

func (c columns) has(f field) bool { return c[f] >= 0 }

// prepared is a table whose heading was found, ready to stream.
type prepared struct {
	idx      int // the table's place in the file
	t        sheet.Table
	cols     columns
	body     []sheet.Row // buffered rows below the heading
	fileDate time.Time
}

// ImportSheet reads a figure sheet and hands its accepted figures to sink
// (nil for a dry run). It returns an error, and stores nothing, when the
// file cannot be read as a figure sheet at all: unreadable, no heading, no
// date. Rows it cannot take are rejected one by one in the report.
func ImportSheet(ctx context.Context, path string, o SheetOptions, sink FigureSink) (*Report, error) {
	tables, format, err := sheet.OpenContext(ctx, path, o.Sheet)
	if err != nil {
		return &Report{File: path}, err
	}
	return importTables(ctx, path, tables, format, o, sink)
}

// ImportRows is ImportSheet for rows already in memory, such as a JSON
// submission: rows[0] is the heading, and row i is reported as line i.
func ImportRows(ctx context.Context, name string, rows [][]string, o SheetOptions, sink FigureSink) (*Report, error) {
	return importTables(ctx, name, []sheet.Table{sheet.Rows(name, rows)}, "rows", o, sink)
}

func importTables(ctx context.Context, path string, tables []sheet.Table, format string, o SheetOptions, sink FigureSink) (*Report, error) {
	if o.BatchRows <= 0 {
		o.BatchRows = 50_000
	}
	if o.Keep <= 0 {
		o.Keep = 1000
	}
	rep := &Report{File: path, Format: format}
	defer func() {
		for _, t := range tables {
			t.Close()
		}
	}()

	// First find every table's heading and date, so that a file that cannot
	// be read fails before anything of it is stored.
	var ready []prepared
	var titles []string
	var problems []string
	for _, t := range tables {
		p, title, err := prepare(t, o)
		if err != nil {
			if len(tables) == 1 {
				if strings.Contains(format, sheet.EncGB18030) || strings.Contains(format, sheet.EncUTF16) {
					err = o.problem(catalog.ReadAs, err.Error(), strings.TrimPrefix(format, "CSV, "))
				}
				return rep, err
			}
			problems = append(problems, err.Error())
			continue
		}
		titles = append(titles, title)
		p.idx = len(ready)
		ready = append(ready, p)
		rep.Sheets = append(rep.Sheets, t.Name())
	}
	if len(ready) == 0 {
		return rep, o.problem(catalog.NoSheetHeading, strings.Join(problems, "; "))
	}
	for _, pr := range problems {
		rep.Warned++
		rep.Warnings = append(rep.Warnings, model.Rejection{File: filepath.Base(path), Field: "sheet", Reason: o.printer().Say(catalog.SheetSkipped, pr), Code: string(catalog.SheetSkipped)})
	}

	allTitles := strings.Join(titles, " ")
	scope, err := resolveScope(o, allTitles)
	if err != nil {
		return rep, err
	}
	rep.Scope = scope

	// Each sheet's date: --as-of, else its own title, else its sheet's
	// name (2024年1月, 2024.2, 3月 with the year from a title or the file
	// name), else the file name.
	base := filepath.Base(path)
	nameDate, _ := sheet.DateInFileName(base)
	year := yearIn(allTitles + " " + base)
	for i := range ready {
		d := o.AsOf
		if d.IsZero() {
			d, _ = sheet.DateInText(titles[i])
		}
		if d.IsZero() {
			d, _ = monthInSheetName(ready[i].t.Sheet(), year)
		}
		if d.IsZero() {
			d = nameDate
		}
		if d.IsZero() && !ready[i].cols.has(fDate) {
			return rep, o.problem(catalog.NoDate, ready[i].t.Name())
		}
		ready[i].fileDate = d
	}
	rep.AsOf = ready[0].fileDate
	for _, p := range ready[1:] {
		if !p.fileDate.Equal(rep.AsOf) {
			rep.AsOf = time.Time{} // sheets of different dates
		}
	}

	im := &importer{o: o, sink: sink, rep: rep, scope: scope, unitNo: map[string]int32{}, cache: map[[2]string]*naming{}, pairs: map[string]*naming{}, byCode: map[string]*naming{}, byName: map[string]*naming{}, dates: map[string]parsedDate{},
		sums: newSums(), atLevel: map[string]string{}, unitsFirst: map[string]int{}}
	im.level = im.sheetLevel(ready, allTitles)
	// The first batch is made at its full size, as the next ones are:
	// grown row by row, it was copied over and over (10 MB for 50,000
	// rows, half the bytes the parse of 200,000 rows allocated).
	im.batch = make([]model.Figure, 0, o.BatchRows)
	im.startWriter(ctx)
	defer im.stopWriter()
	for _, p := range ready {
		if err := im.stream(ctx, p); err != nil {
			return rep, err
		}
	}
	if err := im.flush(ctx); err != nil {
		return rep, err
	}
	if err := im.stopWriter(); err != nil {
		return rep, im.midway(&SinkError{err})
	}
	if len(im.unitsFirst) > 0 {
		counties := im.countiesFirst()
		if rep.Accepted == 0 {
			return rep, o.problem(catalog.UnitsFirst, counties)
		}
		im.fileRejection(catalog.UnitsFirst, counties)
	}
	if rep.Accepted+rep.Rejected == 0 {
		return rep, o.problem(catalog.NoRows)
	}
	im.checkSums()
	return rep, nil
}

// prepare reads a table's first rows and finds its heading. It returns the
// text above the heading, where titles state scope and date.
func prepare(t sheet.Table, o SheetOptions) (prepared, string, error) {
	var head []sheet.Row
	for len(head) < headerSearchRows {
		r, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return prepared{}, "", fmt.Errorf("%s: %w", t.Name(), err)
		}
		head = append(head, sheet.Row{Line: r.Line, Cells: append([]string(nil), r.Cells...)})
	}
	cols, end, span, err := findHeading(head, o)
	if err != nil {
		return prepared{}, "", fmt.Errorf("%s: %w", t.Name(), err)
	}
	var title []string
	for _, r := range head[:end] {
		for _, c := range r.Cells {
			if c = strings.TrimSpace(c); c != "" {
				title = append(title, c)
			}
		}
	}
	return prepared{t: t, cols: cols, body: head[end+span:]}, strings.Join(title, " "), nil
}

// findHeading finds the first row, or pair of rows under merged headings,
// that names a unit column and the members and followers columns. It
// returns the columns, the index of the first heading row and how many rows
// the heading spans.
func findHeading(head []sheet.Row, o SheetOptions) (cols columns, start, span int, err error) {
	for i := range head {
		for _, span := range []int{1, 2} {
			if i+span > len(head) {
				continue
			}
			cols, dup, ok := headingColumns(head[i : i+span])
			if dup != "" {
				return cols, 0, 0, o.problem(catalog.HeadingTwice, head[i].Line, dup)
			}
			if ok {
				return cols, i, span, nil
			}
		}
	}
	return columns{}, 0, 0, o.problem(catalog.NoHeading, headerSearchRows)
}

// headingColumns reads a heading of one row, or two rows where the upper
// holds merged group titles and the lower the column names.
func headingColumns(rows []sheet.Row) (columns, string, bool) {
	var cols columns
	for i := range cols {
		cols[i] = -1
	}
	width := 0
	for _, r := range rows {
		width = max(width, len(r.Cells))
	}
	for c := 0; c < width; c++ {
		var f field
		found := false
		for k := len(rows) - 1; k >= 0 && !found; k-- {
			if c < len(rows[k].Cells) {
				f, found = headingField(rows[k].Cells[c])
			}
		}
		if !found || f == fIgnored {
			continue
		}
		if cols[f] >= 0 {
			return cols, f.String(), false
		}
		cols[f] = c
	}
	ok := (cols.has(fName) || cols.has(fCode)) && cols.has(fMembers) && cols.has(fFollowers)
	if len(rows) == 2 && ok {
		// When the lower row is a heading by itself, the upper is a title.
		if _, _, lowerOK := headingColumns(rows[1:]); lowerOK {
			return cols, "", false
		}
	}
	return cols, "", ok
}

// reWhole finds a title that speaks of the whole of its scope without
// naming it: 全省各县（市、区）……, 全市……, 本县…….
var reWhole = regexp.MustCompile(`[全本](省|市|县|区)`)

// resolveScope is --within, or the unit a title names, or the configured
// scope when a title says 全省/全市 without a name, or the whole tree.
func resolveScope(o SheetOptions, title string) (units.Node, error) {
	if o.Within != "" {
		n, ok := o.Tree.Get(o.Within)
		if !ok {
			return units.Node{}, o.problem(catalog.WithinUnknown, o.Within)
		}
		return n, nil
	}
	if n, ok := scopeInTitle(o.Tree, title); ok {
		return n, nil
	}
	// 全省…, 全市… without a name: the configured scope.
	if n, ok := o.Tree.Get(o.Default); ok && o.Default != "" && reWhole.MatchString(title) {
		return n, nil
	}
	if n, ok := o.Tree.Get(units.Root); ok {
		return n, nil
	}
	return units.Node{}, nil
}

// scopeInTitle finds the unit a title names (安徽省各县(市、区)……): the
// longest unambiguous name of a province, city or county in it.
func scopeInTitle(tree *units.Tree, title string) (units.Node, bool) {
	if title == "" {
		return units.Node{}, false
	}
	count := map[string]int{}
	for _, n := range tree.All() {
		count[n.Name]++
	}
	var best units.Node
	for _, n := range tree.All() {
		if n.Level == units.Country || n.Level == units.Unit || count[n.Name] > 1 {
			continue
		}
		if n.Level == units.County && len([]rune(n.Name)) < 3 {
			continue
		}
		if len(n.Name) > len(best.Name) && strings.Contains(title, n.Name) {
			best = n
		}
	}
	return best, best.Code != ""
}

// seenDays are the days a unit has taken in this import, as runs of
// consecutive days whose lines step evenly. A sheet in date order (every
// unit on each day) or in unit order (each unit's days together) makes one
// run per unit however many days it has: 16 bytes a unit instead of 8 a
// figure, which kept 47 MB for a sheet of 5 million rows. A sheet in no
// order costs 16 bytes a figure.
type seenDays struct{ runs []dayRun }

// dayRun is the days day, day+1, … day+n-1, taken on lines line,
// line+step, … .
type dayRun struct{ day, n, line, step int32 }

func (r dayRun) last() int32 { return r.day + r.n - 1 }

// take records day for line, or returns the line that took it before.
func (s *seenDays) take(day, line int32) (first int32, dup bool) {
	i := len(s.runs) // the first run that ends on or after day
	if i == 0 || s.runs[i-1].last() >= day {
		i = sort.Search(len(s.runs), func(i int) bool { return s.runs[i].last() >= day })
	}
	if i < len(s.runs) && s.runs[i].day <= day {
		r := s.runs[i]
		return r.line + (day-r.day)*r.step, true
	}
	if i > 0 { // extend the run before, when day and line continue it
		p := &s.runs[i-1]
		if day == p.last()+1 && (p.n == 1 || line == p.line+p.n*p.step) {
			if p.n == 1 {
				p.step = line - p.line
			}
			p.n++
			return 0, false
		}
	}
	s.runs = slices.Insert(s.runs, i, dayRun{day: day, n: 1, line: line})
	return 0, false
}

type resolved struct {
	node units.Node
	no   int32 // the unit's number in this import, for seen
	err  error
}

type parsedDate struct {
	day time.Time
	err error
}

// date parses a date cell; sheets repeat few dates over many rows, most
// often the date of the row before.
func (im *importer) date(s string) (time.Time, error) {
	if s == im.lastDate && s != "" {
		return im.lastDay.day, im.lastDay.err
	}
	d, ok := im.dates[s]
	if !ok {
		s = strings.Clone(s) // kept: see naming
		d.day, d.err = sheet.Date(s)
		if len(im.dates) > 100_000 {
			clear(im.dates)
		}
		im.dates[s] = d
	}
	im.lastDate, im.lastDay = s, d
	return d.day, d.err
}

// importer streams the rows of one file.
type importer struct {
	o     SheetOptions
	sink  FigureSink
	rep   *Report
	scope units.Node
	seen  []seenDays // by unit number
	// hasKids says, by unit number, that a unit has units below it, and
	// parentNo is its parent's number in sums.
	hasKids  []bool
	parentNo []int32
	unitNo   map[string]int32
	// The writers store batches while the next is read.
	out     chan []model.Figure
	free    chan []model.Figure
	writing sync.WaitGroup
	wfailed atomic.Pointer[error]
	stored  atomic.Int64
	stopped bool
	// Units resolved by code and name, and, for the common sheets that
	// give only one of them, by that alone (a faster map).
	cache          map[[2]string]*naming
	pairs          map[string]*naming // by code: the name it came with last
	byCode, byName map[string]*naming
	prev           *naming // the last row's
	// totals remembers which names read as a total row (合计, 全县合计):
	// a sheet repeats a few thousand names a million times.
	totals map[string]bool
	dates  map[string]parsedDate
	// lastDate is the date cell read last, and lastDay what it read as.
	lastDate string
	lastDay  parsedDate
	batch    []model.Figure
	rows     int

	// level is the level of the units the sheet lists, inferred from its
	// unambiguous rows and its title; "" when unclear.
	level units.Level
	// atLevel holds the units an ambiguous name was taken as, by that
	// level, until the note saying so is written.
	atLevel map[string]string
	// unitsFirst counts, by county, the rows of units unknown in a county
	// whose own units are not imported yet: one message says so for them all.
	unitsFirst map[string]int
	// sums adds up the accepted rows, to check them against totals rows
	// and against their parent's own row.
	sums *sums
}

func (im *importer) stream(ctx context.Context, p prepared) error {
	for _, r := range p.body {
		if err := im.row(ctx, &p, r); err != nil {
			return err
		}
	}
	p.body = nil
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err // stopped: a signal, a client gone, a shutdown
			}
		}
		r, err := p.t.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return im.midway(fmt.Errorf("%s: %w", p.t.Name(), err))
		}
		if err := im.row(ctx, &p, r); err != nil {
			return err
		}
	}
}

// midway explains a failure after some figures may have been stored: any
// failure to store (an insert cut off may have reached some partitions and
// not others), and any other failure once a batch was stored. The count of
// figures stored is not said: it cannot be known.
func (im *importer) midway(err error) error {
	var sinkErr *SinkError
	if im.stored.Load() > 0 || errors.As(err, &sinkErr) {
		p := im.o.problem(catalog.StoredBefore, err.Error())
		p.Err = err
		return p
	}
	return err
}

// mergedAcross says every filled cell of the row holds the same text: a
// note merged across the table's width.
func mergedAcross(r sheet.Row) bool {
	first, n := "", 0
	for _, c := range r.Cells {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		if n > 0 && c != first {
			return false
		}
		first = c
		n++
	}
	return n > 1
}

func cell(r sheet.Row, c int) string {
	if c < 0 || c >= len(r.Cells) {
		return ""
	}
	return r.Cells[c]
}

func (im *importer) reject(p prepared, r sheet.Row, f field, code catalog.Code, args ...any) {
	im.rejectProblem(p, r, f, im.o.problem(code, args...))
}

func (im *importer) rejectProblem(p prepared, r sheet.Row, f field, pr *Problem) {
	im.rep.Rejected++
	if len(im.rep.Rejections) < im.o.Keep {
		im.rep.Rejections = append(im.rep.Rejections, model.Rejection{File: p.t.Name(), Line: r.Line, Field: f.String(), Reason: pr.Error(), Raw: raw(r), Code: string(pr.Code)})
	}
}

func (im *importer) warn(p prepared, r sheet.Row, f field, code catalog.Code, args ...any) {
	im.warnAt(p.t.Name(), r.Line, f.String(), raw(r), im.o.problem(code, args...))
}

func (im *importer) warnAt(file string, line int, field, rawRow string, pr *Problem) {
	im.rep.Warned++
	if len(im.rep.Warnings) < im.o.Keep {
		im.rep.Warnings = append(im.rep.Warnings, model.Rejection{File: file, Line: line, Field: field, Reason: pr.Error(), Raw: rawRow, Code: string(pr.Code)})
	}
}

// fileRejection rejects the file as a whole, beside its rows.
func (im *importer) fileRejection(code catalog.Code, args ...any) {
	pr := im.o.problem(code, args...)
	im.rep.Rejections = append(im.rep.Rejections, model.Rejection{File: filepath.Base(im.rep.File), Field: "file", Reason: pr.Error(), Code: string(code)})
}

func raw(r sheet.Row) string {
	s := strings.Join(r.Cells, ",")
	if len(s) > 300 {
		s = s[:300]
	}
	return sheet.Printable(s)
}

// row takes or rejects one row. It is given p's address, not a copy: it
// runs for every row of a file.
func (im *importer) row(ctx context.Context, p *prepared, r sheet.Row) error {
	im.rows++
	if im.o.Progress != nil && im.rows%100_000 == 0 {
		im.o.Progress(im.rows)
	}
	blank := true
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			blank = false
			break
		}
	}
	if blank {
		return nil
	}
	cols := p.cols
	name, code := sheet.Clean(cell(r, cols[fName])), sheet.Clean(cell(r, cols[fCode]))
	// A sheet names a few thousand units a million times.
	known := im.known(name, code)
	if known == nil {
		if im.totalsRow(*p, r, name, code) {
			im.rep.Skipped++
			return nil
		}
		if n := utf8.RuneCountInString(name); n > maxName {
			im.reject(*p, r, fName, catalog.NameTooLong, n, maxName)
			return nil
		}
		known = im.resolve(name, code)
	}
	unit, unitNo, err := &known.r.node, known.r.no, known.r.err
	if err != nil {
		if sheet.Missing(cell(r, cols[fMembers])) && sheet.Missing(cell(r, cols[fFollowers])) || mergedAcross(r) || footer(r) {
			im.rep.Skipped++ // a row without figures, a note under the table (注:……) or a footer (制表人：…): not a unit
			return nil
		}
		f := fName
		if code != "" {
			f = fCode
		}
		var out *units.OutsideError
		if errors.As(err, &out) {
			im.rep.Outside++
		}
		if county, ok := im.unitsNotImported(err, code); ok {
			im.unitsFirst[county]++ // said once for the file
			im.rep.Rejected++
			return nil
		}
		im.rejectProblem(*p, r, f, im.o.explain(err))
		return nil
	}
	if w := im.atLevel[unit.Code]; w != "" {
		delete(im.atLevel, unit.Code) // said once, on the first row
		im.warn(*p, r, fName, catalog.UnitAtLevel, w, unit.Name, unit.Code, im.level.Chinese())
	}

	day := p.fileDate
	if cols.has(fDate) && !sheet.Missing(cell(r, cols[fDate])) {
		d, err := im.date(cell(r, cols[fDate]))
		if err != nil {
			im.rejectProblem(*p, r, fDate, im.o.explain(err))
			return nil
		}
		day = d
	}
	if day.IsZero() {
		im.reject(*p, r, fDate, catalog.DateMissing)
		return nil
	}

	var counts [nFields]uint64
	for _, f := range []field{fMembers, fFollowers, fReads, fShares, fLikes, fWow, fComments} {
		if !cols.has(f) && f != fMembers && f != fFollowers {
			continue // engagement the sheet does not give
		}
		v := cell(r, cols[f])
		if sheet.Missing(v) {
			if f == fMembers || f == fFollowers {
				im.reject(*p, r, f, catalog.ValueMissing)
				return nil
			}
			continue
		}
		n, err := sheet.Count(v)
		if err != nil {
			im.rejectProblem(*p, r, f, im.o.explain(err))
			return nil
		}
		counts[f] = n
	}
	members, followers := counts[fMembers], counts[fFollowers]
	if members == 0 {
		im.reject(*p, r, fMembers, catalog.MembersZero)
		return nil
	}
	if followers > members {
		im.reject(*p, r, fFollowers, catalog.FollowersOver, followers, members)
		return nil
	}

	if first, dup := im.seen[unitNo].take(int32(day.Unix()/86400), int32(r.Line)); dup {
		im.reject(*p, r, fName, catalog.UnitTwice, unit.Name, day.Format(time.DateOnly), first)
		return nil
	}

	if cols.has(fRate) && !sheet.Missing(cell(r, cols[fRate])) {
		stated, err := sheet.Rate(cell(r, cols[fRate]))
		computed := float64(followers) / float64(members)
		switch {
		case err != nil:
			im.warn(*p, r, fRate, catalog.RateIgnored, im.o.explain(err).Error())
		case math.Abs(stated-computed) > 0.001:
			im.warn(*p, r, fRate, catalog.RateDisagrees, fmt.Sprintf("%.2f%%", stated*100), followers, members, fmt.Sprintf("%.2f%%", computed*100))
		}
	}

	im.rep.Accepted++
	if im.rep.First.IsZero() || day.Before(im.rep.First) {
		im.rep.First = day
	}
	if day.After(im.rep.Last) {
		im.rep.Last = day
	}
	im.sums.add(p, r, unit, im.parentNo[unitNo], im.hasKids[unitNo], day, members, followers)
	im.batch = append(im.batch, model.Figure{
		Unit: unit.Code, Date: day, HasStock: true,
		Members: uint32(members), Followers: uint32(followers),
		Engagement: model.Engagement{Reads: counts[fReads], Shares: counts[fShares], Likes: counts[fLikes], Wow: counts[fWow], Comments: counts[fComments]},
		Line:       r.Line,
	})
	if len(im.batch) >= im.o.BatchRows {
		return im.flush(ctx)
	}
	return nil
}

// flush hands the batch to the writer and goes on with a fresh one: at
// most one batch is being stored while the next is read.
func (im *importer) flush(ctx context.Context) error {
	if len(im.batch) == 0 || im.sink == nil {
		im.batch = im.batch[:0]
		return nil
	}
	if err := im.wfailed.Load(); err != nil {
		return im.midway(&SinkError{*err})
	}
	select {
	case im.out <- im.batch:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case im.batch = <-im.free:
	default:
		im.batch = make([]model.Figure, 0, im.o.BatchRows)
	}
	return nil
}

// writers is how many batches are stored at once. ClickHouse writes each
// insert's parts mostly in the kernel (files created and written); with two
// inserts in flight one is written while the next is sent and the reader
// fills a third: a million rows took 0.96 s instead of 1.37 s here, five
// million 4.0 s instead of 5.5 s. Three were slower than two on 2 cores.
const writers = 2

func (im *importer) startWriter(ctx context.Context) {
	im.out, im.free = make(chan []model.Figure), make(chan []model.Figure, writers+1)
	for range writers {
		im.writing.Go(func() {
			for b := range im.out {
				// After a failure, the writers store nothing more: the
				// reader stops at its next batch and reports it.
				if im.wfailed.Load() == nil {
					if err := im.sink.WriteFigures(ctx, im.o.Source, im.o.RunID, b); err != nil {
						im.wfailed.CompareAndSwap(nil, &err)
					} else {
						im.stored.Add(int64(len(b)))
					}
				}
				select {
				case im.free <- b[:0]:
				default:
				}
			}
		})
	}
}

// stopWriter waits for the last batch to be stored; it may be called again.
func (im *importer) stopWriter() error {
	if im.stopped {
		return nil
	}
	im.stopped = true
	close(im.out)
	im.writing.Wait()
	im.rep.Stored = int(im.stored.Load())
	if err := im.wfailed.Load(); err != nil {
		return *err
	}
	return nil
}

// naming is how rows name a unit, by its code, its name or both, and the
// unit that resolved to. The code and name are copies: a cell's string may
// hold its neighbours' bytes too (see sheet.Table).
type naming struct {
	code, name string
	r          *resolved
	// next is the naming of the row after this one's, the last time: a
	// sheet lists its units in the same order day after day (or repeats a
	// unit over its days), so a row's unit is most often found by two
	// comparisons instead of a lookup.
	next *naming
}

// known is how a row names a unit that rows named the same way before, or
// nil: the naming that followed the row before's last time (two
// comparisons), else the one cached. A naming known is neither a
// totals row nor a name too long, which depend on nothing else; a row
// naming no code and no name is never known.
func (im *importer) known(name, code string) *naming {
	if name == "" && code == "" {
		return nil
	}
	if p := im.prev; p != nil && p.next != nil && p.next.code == code && p.next.name == name {
		im.prev = p.next
		return p.next
	}
	n := im.cached(name, code)
	if n != nil {
		im.follow(n)
	}
	return n
}

// cached is the naming of rows that named a unit this way before, or nil:
// by the name alone, the code alone, or the pair — first by the name the
// code came with last, which hashes one string where the pair's key would
// hash both.
func (im *importer) cached(name, code string) *naming {
	switch {
	case code == "":
		return im.byName[name]
	case name == "":
		return im.byCode[code]
	}
	if n := im.pairs[code]; n != nil && n.name == name {
		return n
	}
	return im.cache[[2]string{code, name}]
}

// follow makes n the naming of the row read last, and the one after the
// row before's.
func (im *importer) follow(n *naming) {
	if im.prev != nil {
		im.prev.next = n
	}
	im.prev = n
}

// resolve finds the unit a row names, by code first, then by name, within
// the scope. Results are cached: sheets repeat names.
func (im *importer) resolve(name, code string) *naming {
	n := im.cached(name, code)
	if n == nil {
		u, err := im.find(name, code)
		var no int32
		if err == nil {
			var known bool
			if no, known = im.unitNo[u.Code]; !known {
				no = int32(len(im.seen))
				im.unitNo[u.Code] = no
				im.seen = append(im.seen, seenDays{})
				im.hasKids = append(im.hasKids, len(im.o.Tree.Children(u.Code)) > 0)
				im.parentNo = append(im.parentNo, im.sums.parent(u.Parent))
			}
		}
		n = &naming{code: strings.Clone(code), name: strings.Clone(name), r: &resolved{u, no, err}}
		switch {
		case code == "":
			im.byName[n.name] = n
		case name == "":
			im.byCode[n.code] = n
		default:
			im.cache[[2]string{n.code, n.name}] = n
		}
	}
	if code != "" && name != "" {
		im.pairs[n.code] = n
	}
	im.follow(n)
	return n
}

func (im *importer) find(name, code string) (units.Node, error) {
	n, err := im.findIn(name, code)
	var unknown *units.UnknownError
	if errors.As(err, &unknown) && im.scope.Code != "" && im.scope.Code != units.Root {
		key := code
		if key == "" {
			key = name
		}
		if elsewhere, err2 := im.o.Tree.Find(key, ""); err2 == nil {
			return units.Node{}, &units.OutsideError{Unit: elsewhere, Within: im.scope}
		}
	}
	return n, err
}

func (im *importer) findIn(name, code string) (units.Node, error) {
	tree, scope := im.o.Tree, im.scope.Code
	if code != "" {
		n, ok := tree.Get(code)
		switch {
		case !ok:
			return units.Node{}, im.o.problem(catalog.UnitUnknownCode, code)
		case scope != "" && !tree.Within(n.Code, scope):
			return units.Node{}, &units.OutsideError{Unit: n, Within: im.scope}
		}
		if name != "" {
			if byName, err := tree.Find(name, scope); err == nil && byName.Code != n.Code {
				return units.Node{}, im.o.problem(catalog.UnitCodeMismatch, code, n.Name, name, byName.Code)
			}
		}
		return n, nil
	}
	if name == "" {
		return units.Node{}, im.o.problem(catalog.UnitMissing)
	}
	n, err := tree.Find(name, scope)
	var amb *units.AmbiguousError
	if errors.As(err, &amb) && im.level != "" {
		// Ambiguous in the tree, but not in this sheet, whose rows are all
		// of one level: 黄山 among Anhui's cities is 黄山市.
		if at, ok := amb.At(im.level); ok {
			im.atLevel[at.Code] = name
			return at, nil
		}
	}
	return n, err
}

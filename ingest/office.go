package ingest

import (
	"errors"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"followrank/catalog"
	"followrank/model"
	"followrank/sheet"
	"followrank/units"
)

// This file holds what offices put in sheets besides the rows of units:
// totals rows, footers, the level a title names, a month in a sheet's name.

// totalsRow says the row sums others: 合计/总计/小计/全省/全市/全县 in its
// unit cell or in any cell before the figures (a merged 合计 over 序号 and
// 单位 is saved in 序号, with 单位 empty). The figures a totals row gives are
// kept, to check them against the rows'.
func (im *importer) totalsRow(p prepared, r sheet.Row, name, code string) bool {
	total := name != "" && im.isTotal(name) && (code == "" || code == im.scope.Code)
	if !total && name == "" && code == "" {
		first := min(firstFigure(p.cols), len(r.Cells))
		for _, c := range r.Cells[:first] {
			if c = sheet.Clean(c); c != "" && isTotal(c) {
				total = true
				break
			}
		}
	}
	if total {
		im.sums.total(p, r)
	}
	return total
}

// isTotal is isTotal, remembered by name (at most 100,000 of them).
func (im *importer) isTotal(name string) bool {
	if t, ok := im.totals[name]; ok {
		return t
	}
	t := isTotal(name)
	if im.totals == nil {
		im.totals = map[string]bool{}
	}
	if len(im.totals) < 100_000 {
		im.totals[strings.Clone(name)] = t // kept: see naming
	}
	return t
}

// firstFigure is the column of the first figure, where the unit's cells end.
func firstFigure(cols columns) int {
	first := 1 << 30
	for _, f := range []field{fMembers, fFollowers, fRate, fReads, fShares, fLikes, fWow, fComments} {
		if cols.has(f) {
			first = min(first, cols[f])
		}
	}
	return first
}

// reFooter matches the lines offices write under a table: who made and
// checked it, how to reach them, who sends it (with its seal), when.
var reFooter = regexp.MustCompile(`^(制表|审核|审批|复核|联系|填报|填表|报送|负责人|单位负责人|分管|主要负责|签字|签名|盖章|注|备注|说明|附注|数据来源)[^:：]{0,8}[:：]`)

// footer says the row is a footer line, not a unit: its first filled cell
// starts with a label such as 制表人：.
func footer(r sheet.Row) bool {
	for _, c := range r.Cells {
		if c = strings.TrimSpace(c); c != "" {
			return reFooter.MatchString(c)
		}
	}
	return false
}

// unitsNotImported says a row names a unit of a county none of whose own
// units are known yet, and which county: by name within a county's sheet,
// or by a code that starts with the county's (341622101001 is a village of
// 341622). Its sheet cannot be read until they are imported.
func (im *importer) unitsNotImported(err error, code string) (string, bool) {
	bare := func(c string) bool {
		n, ok := im.o.Tree.Get(c)
		return ok && n.Level == units.County && len(im.o.Tree.Children(c)) == 0
	}
	var unknown *units.UnknownError
	if errors.As(err, &unknown) && bare(im.scope.Code) {
		return im.scope.Code, true
	}
	if CodeOf(err) == catalog.UnitUnknownCode && len(code) > 6 && bare(code[:6]) {
		return code[:6], true
	}
	return "", false
}

// countiesFirst names the counties whose units must be imported first.
func (im *importer) countiesFirst() string {
	var names []string
	for code := range im.unitsFirst {
		n, _ := im.o.Tree.Get(code)
		names = append(names, n.Name)
	}
	sort.Strings(names)
	sep := "、"
	if im.o.printer().Lang() == catalog.English {
		sep = ", "
	}
	return strings.Join(names, sep)
}

// Titles name the level of the units a sheet lists.
var titleLevels = []struct {
	re    *regexp.Regexp
	level units.Level
}{
	{regexp.MustCompile(`各(县|区|县区|县市区|县（市、区）|县\(市、区\)|县（区）|县\(区\))`), units.County},
	{regexp.MustCompile(`各(市|地市|设区市|省辖市)`), units.City},
	{regexp.MustCompile(`各(单位|部门|乡镇|街道|乡镇（街道）|乡镇\(街道\))`), units.Unit},
	{regexp.MustCompile(`各(省|省份|省区市|省（区、市）)`), units.Province},
}

// sheetLevel infers the level of the units the sheets list: the level most
// of their unambiguous first rows have, else the one the title names.
func (im *importer) sheetLevel(ready []prepared, title string) units.Level {
	count := map[units.Level]int{}
	for _, p := range ready {
		for _, r := range p.body {
			name := sheet.Clean(cell(r, p.cols[fName]))
			if name == "" || len(name) > 3*maxName || isTotal(name) {
				continue
			}
			if n, err := im.o.Tree.Find(name, im.scope.Code); err == nil {
				count[n.Level]++
			}
		}
	}
	var best units.Level
	for l, n := range count {
		if n > count[best] || n == count[best] && l < best {
			best = l
		}
	}
	if best != "" {
		return best
	}
	for _, t := range titleLevels {
		if t.re.MatchString(title) {
			return t.level
		}
	}
	return ""
}

var (
	reYear       = regexp.MustCompile(`(20\d{2})\s*年`)
	reSheetMonth = regexp.MustCompile(`^(?:(20\d{2})\s*[年.\-/_]\s*)?(\d{1,2})\s*月?(?:份)?$`)
)

// yearIn finds the year a title or file name states (2024年).
func yearIn(s string) int {
	if m := reYear.FindStringSubmatch(s); m != nil {
		y, _ := strconv.Atoi(m[1])
		return y
	}
	return 0
}

// monthInSheetName reads a sheet named for its month, 2024年1月, 2024.2 or
// 3月 (with year from the title or file name), as the month's last day.
func monthInSheetName(name string, year int) (time.Time, bool) {
	m := reSheetMonth.FindStringSubmatch(strings.TrimSpace(name))
	if m == nil {
		return time.Time{}, false
	}
	if m[1] != "" {
		year, _ = strconv.Atoi(m[1])
	}
	month, _ := strconv.Atoi(m[2])
	if year == 0 || month < 1 || month > 12 || (m[1] == "" && !strings.Contains(name, "月")) {
		return time.Time{}, false
	}
	return model.MonthEnd(time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)), true
}

// sums adds up the accepted rows of a file, by sheet and day, and by parent
// and day, to check them against the totals rows and the parents' own rows:
// a 通报 must never print a 合计 that contradicts its rows. Its keys are
// numbers (a sheet's or a parent's number and the day), which keeps the
// cost of a row to two lookups in maps of integers.
type sums struct {
	rows    map[int64]*pair  // the rows of a sheet on a day
	kids    map[int64]*pair  // the children of a parent on a day
	parents map[string]int32 // parents' numbers, by code
	totals  []totalRow       // the totals rows read, with their figures
	own     []parentRow      // rows of units with children
	full    bool             // stopped adding: too many keys for a huge file
	// The sums added to last, which the next row most often adds to too
	// (a sheet's rows of a day are together, and a parent's children).
	lastRow, lastKids lastSum
}

// lastSum is a sum added to, and its key.
type lastSum struct {
	key int64
	v   *pair
}

func key(no int32, day int32) int64 { return int64(no)<<32 | int64(uint32(day)) }

type pair struct{ members, followers uint64 }

type totalRow struct {
	sheet, raw string
	idx, line  int
	day        int32
	pair
}

type parentRow struct {
	sheet, raw string
	line       int
	unit       units.Node
	day        int32
	pair
}

// maxSumKeys bounds the sums kept: a file of millions of daily rows would
// need millions, and has no totals row to check; the sheets offices send
// need a few hundred.
const maxSumKeys = 10_000

func newSums() *sums {
	return &sums{rows: map[int64]*pair{}, kids: map[int64]*pair{}, parents: map[string]int32{}}
}

// parent numbers a parent's code, once per unit of the file.
func (s *sums) parent(code string) int32 {
	no, ok := s.parents[code]
	if !ok {
		no = int32(len(s.parents))
		s.parents[code] = no
	}
	return no
}

func (s *sums) add(p *prepared, r sheet.Row, unit *units.Node, parentNo int32, hasKids bool, day time.Time, members, followers uint64) {
	if s.full {
		return
	}
	d := int32(day.Unix() / 86400)
	for _, k := range [2]struct {
		m    map[int64]*pair
		key  int64
		last *lastSum
	}{{s.rows, key(int32(p.idx), d), &s.lastRow}, {s.kids, key(parentNo, d), &s.lastKids}} {
		v := k.last.v
		if v == nil || k.last.key != k.key {
			v = k.m[k.key]
		}
		if v == nil {
			if len(s.rows)+len(s.kids) >= maxSumKeys {
				s.full = true
				return
			}
			v = &pair{}
			k.m[k.key] = v
		}
		k.last.key, k.last.v = k.key, v
		v.members += members
		v.followers += followers
	}
	if hasKids && len(s.own) < 10_000 {
		s.own = append(s.own, parentRow{p.t.Name(), raw(r), r.Line, *unit, d, pair{members, followers}})
	}
}

// total keeps a totals row's figures, when it states them.
func (s *sums) total(p prepared, r sheet.Row) {
	m, err1 := sheet.Count(cell(r, p.cols[fMembers]))
	f, err2 := sheet.Count(cell(r, p.cols[fFollowers]))
	if err1 != nil || err2 != nil || p.fileDate.IsZero() || len(s.totals) >= 1000 {
		return
	}
	s.totals = append(s.totals, totalRow{p.t.Name(), raw(r), p.idx, r.Line, int32(p.fileDate.Unix() / 86400), pair{m, f}})
}

// checkSums warns of totals rows and parents' own rows that disagree with
// the rows they sum.
func (im *importer) checkSums() {
	s := im.sums
	if s.full {
		return
	}
	for _, t := range s.totals {
		got := s.rows[key(int32(t.idx), t.day)]
		if got != nil && *got != t.pair {
			im.warnAt(t.sheet, t.line, "total", t.raw, im.o.problem(catalog.TotalDisagrees, t.members, t.followers, got.members, got.followers))
		}
	}
	for _, p := range s.own {
		no, ok := s.parents[p.unit.Code]
		if !ok {
			continue
		}
		got := s.kids[key(no, p.day)]
		if got != nil && *got != p.pair {
			im.warnAt(p.sheet, p.line, "unit", p.raw, im.o.problem(catalog.ParentDisagrees, p.unit.Name, p.members, p.followers, got.members, got.followers))
		}
	}
}

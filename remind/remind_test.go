package remind_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"followrank/internal/golden"
	"followrank/model"
	"followrank/rank"
	"followrank/remind"
	"followrank/units"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func stock(code, date string, members, followers uint32) model.Figure {
	return model.Figure{Unit: code, Date: day(date), HasStock: true, Members: members, Followers: followers}
}

// The figures: eight units of 蒙城县, as of 2024-07-31 compared with
// 2024-06-30, with the staleness window of 45 days. Each kind of finding
// is met, alone and together:
//
//	001 县委组织部  95% → 96%, first both times: nothing to chase
//	002 县财政局    90% → 88%, 3rd → 2nd: its rate fell while it climbed
//	003 县教育局    last report 2024-05-31 (75%): not reported, stale, below target, fell
//	004 县卫生健康委 last report 2024-06-30 (80%): not reported, below target, 5th both times
//	005 城关街道    never reported
//	006 双涧镇      94.12% → 82.35%, 2nd → 4th: fell, below target
//	007 小涧镇      82% → 79%, 4th → 6th, with a target of its own (80%): fell, below target
//	008 坛城镇      70% → 86%, 7th → 3rd: nothing to chase
//
// 蒙城县's target is 85%, the province's 90%: the units have 蒙城县's.
var (
	mengcheng = []units.Node{
		{Code: "341622001", Name: "县委组织部"}, {Code: "341622002", Name: "县财政局"}, {Code: "341622003", Name: "县教育局"},
		{Code: "341622004", Name: "县卫生健康委"}, {Code: "341622005", Name: "城关街道"}, {Code: "341622006", Name: "双涧镇"},
		{Code: "341622007", Name: "小涧镇"}, {Code: "341622008", Name: "坛城镇"},
	}
	figures = []model.Figure{
		stock("341622001", "2024-06-30", 100, 95), stock("341622001", "2024-07-31", 100, 96),
		stock("341622002", "2024-06-30", 100, 90), stock("341622002", "2024-07-31", 100, 88),
		stock("341622003", "2024-05-31", 200, 150),
		stock("341622004", "2024-05-31", 100, 78), stock("341622004", "2024-06-30", 100, 80),
		stock("341622006", "2024-06-30", 170, 160), stock("341622006", "2024-07-31", 170, 140),
		stock("341622007", "2024-06-30", 100, 82), stock("341622007", "2024-07-31", 100, 79),
		stock("341622008", "2024-06-30", 100, 70), stock("341622008", "2024-07-31", 100, 86),
	}
	targets = map[string]float64{"340000": 0.9, "341622": 0.85, "341622007": 0.8}
)

// engine ranks the figures over the built-in divisions and 蒙城县's units.
func engine(t *testing.T) (*rank.Engine, *units.Tree) {
	t.Helper()
	nodes := units.Builtin()
	for _, n := range mengcheng {
		n.Parent, n.Level = "341622", units.Unit
		nodes = append(nodes, n)
	}
	tree, err := units.NewTree(nodes)
	if err != nil {
		t.Fatal(err)
	}
	mem := rank.NewMemory(tree)
	if err := mem.Add(1, figures...); err != nil {
		t.Fatal(err)
	}
	return rank.New(mem, tree, 45), tree
}

// list checks 蒙城县's units on date, compared with compare (zero for none).
func list(t *testing.T, date, compare string) *remind.List {
	t.Helper()
	e, tree := engine(t)
	scope, _ := tree.Get("341622")
	var cmp time.Time
	if compare != "" {
		cmp = day(compare)
	}
	now, prev, err := remind.Rankings(context.Background(), e, units.Unit, scope, day(date), cmp)
	if err != nil {
		t.Fatal(err)
	}
	return remind.Check(now, prev, remind.Options{Targets: remind.NewTargets(tree, targets), DueDay: 5})
}

// TestEveryKind pins which unit is chased about what, before the goldens
// show how it is said.
func TestEveryKind(t *testing.T) {
	l := list(t, "2024-07-31", "2024-06-30")
	want := map[remind.Kind][]string{
		remind.NotReported: {"县卫生健康委", "县教育局", "城关街道"},
		remind.Stale:       {"县教育局"},
		remind.BelowTarget: {"双涧镇", "县卫生健康委", "小涧镇", "县教育局"},
		remind.Fell:        {"双涧镇", "小涧镇", "县教育局"},
		remind.RateFell:    {"县财政局"},
	}
	for _, k := range remind.Kinds {
		var got []string
		for _, it := range l.Of(k) {
			got = append(got, it.Unit.Name)
		}
		if !slices.Equal(got, want[k]) {
			t.Errorf("%s: %v, want %v", k, got, want[k])
		}
		if l.Count(k) != len(want[k]) {
			t.Errorf("Count(%s) = %d, want %d", k, l.Count(k), len(want[k]))
		}
	}
	if l.Checked != 8 || len(l.Items) != 6 {
		t.Errorf("checked %d, to chase %d; want 8 and 6", l.Checked, len(l.Items))
	}
	needed := map[string]uint64{"县教育局": 20, "县卫生健康委": 5, "双涧镇": 5, "小涧镇": 1}
	for _, it := range l.Items {
		if it.Needed != needed[it.Unit.Name] {
			t.Errorf("%s needs %d more followers, want %d", it.Unit.Name, it.Needed, needed[it.Unit.Name])
		}
	}
	if !l.Due.Equal(day("2024-08-05")) || l.Target != 0.85 {
		t.Errorf("due %v, target %v; want 2024-08-05 and 蒙城县's 85%%", l.Due, l.Target)
	}
}

func TestTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := remind.WriteText(&b, list(t, "2024-07-31", "2024-06-30")); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/list.txt", b.Bytes())
}

// TestTextGoldenWithoutComparison: without --compare nothing fell, and the
// due day of December's list is in January of the next year.
func TestTextGoldenWithoutComparison(t *testing.T) {
	var b bytes.Buffer
	if err := remind.WriteText(&b, list(t, "2024-12-31", "")); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/december.txt", b.Bytes())
}

func TestCSVGolden(t *testing.T) {
	var b bytes.Buffer
	if err := remind.WriteCSV(&b, list(t, "2024-07-31", "2024-06-30")); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b.Bytes(), []byte("\uFEFF")) {
		t.Error("the CSV has no byte-order mark")
	}
	golden.Check(t, "testdata/list.csv", b.Bytes())
}

// TestXLSXGolden reads the workbook back: its two sheets, cell by cell, as
// text (testdata/list.xlsx.txt), and the numbers stored as numbers.
func TestXLSXGolden(t *testing.T) {
	var b bytes.Buffer
	if err := remind.WriteXLSX(&b, list(t, "2024-07-31", "2024-06-30")); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{remind.SheetFindings, remind.SheetReminders}) {
		t.Fatalf("sheets %v", got)
	}
	var dump strings.Builder
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&dump, "== %s\n", sheet)
		for i, row := range rows {
			fmt.Fprintf(&dump, "%d: %s\n", i+1, strings.Join(row, " | "))
		}
	}
	golden.Check(t, "testdata/list.xlsx.txt", []byte(dump.String()))

	// 双涧镇, the second line of the reminders: its rate is a number shown
	// as a percentage, and it needs 5 more followers.
	for cell, want := range map[string]string{"C6": "双涧镇", "F6": "0.82352941176", "J6": "0.85", "K6": "5"} {
		got, _ := f.GetCellValue(remind.SheetReminders, cell, excelize.Options{RawCellValue: true})
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s!%s = %q, want %q", remind.SheetReminders, cell, got, want)
		}
	}
}

func TestTargetIsTheNearestConfigured(t *testing.T) {
	_, tree := engine(t)
	ts := remind.NewTargets(tree, targets)
	for code, want := range map[string]float64{
		"341622":    0.85, // its own
		"341622001": 0.85, // 蒙城县's, not 安徽省's
		"341622007": 0.8,  // its own, below 蒙城县's
		"341621":    0.9,  // 涡阳县: 安徽省's
		"341600":    0.9,  // 亳州市: 安徽省's
		"340000":    0.9,
	} {
		if got, ok := ts.Of(code); !ok || got != want {
			t.Errorf("Of(%s) = %v, %v; want %v", code, got, ok, want)
		}
	}
	for _, code := range []string{"110000", "000000", "999999"} {
		if got, ok := ts.Of(code); ok {
			t.Errorf("Of(%s) = %v; want none (no target above it)", code, got)
		}
	}
	var none *remind.Targets
	if _, ok := none.Of("341622"); ok {
		t.Error("nil Targets has a target")
	}
}

// TestComparisonMustBeEarlier: a comparison on or after the date is the
// asker's mistake.
func TestComparisonMustBeEarlier(t *testing.T) {
	e, tree := engine(t)
	scope, _ := tree.Get("341622")
	_, _, err := remind.Rankings(context.Background(), e, units.Unit, scope, day("2024-07-31"), day("2024-07-31"))
	if qe := (*rank.QueryError)(nil); err == nil || !strings.Contains(err.Error(), "不早于统计日期") {
		t.Errorf("err = %v (%T), want a %T saying 不早于统计日期", err, err, qe)
	}
}

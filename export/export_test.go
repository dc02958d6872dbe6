package export_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"followrank/export"
	"followrank/rank"
	"followrank/units"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

func sample() *rank.Ranking {
	f := func(code, name string, m, fl uint64) rank.State {
		return rank.State{Unit: units.Node{Code: code, Name: name, Level: units.County}, Members: m, Followers: fl}
	}
	stale := f("341623", "利辛县", 900, 450)
	stale.Stale = true
	rows := rank.RankStates([]rank.State{
		f("341602", "谯城区", 1000, 700), f("341621", "=HYPERLINK(\"x\")", 800, 720), f("341622", "蒙城县", 1200, 1150), stale,
	})
	for i := range rows {
		rows[i].PrevRank = 4 - i
	}
	total := rank.State{Unit: units.Node{Code: "341600", Name: "亳州市", Level: units.City}, Members: 3900, Followers: 3020}
	return &rank.Ranking{Level: units.County, Within: total.Unit, Date: day("2024-06-30"), Compare: day("2024-05-31"), Rows: rows, Total: total, Ranked: 4, StaleDays: 45}
}

func TestCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, sample()); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("CSV does not start with a UTF-8 byte-order mark")
	}
	path := filepath.Join("testdata", "ranking.csv")
	if *update {
		os.WriteFile(path, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("CSV differs from %s:\n%s", path, buf.String())
	}
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	gen := time.Date(2024, 7, 1, 9, 30, 0, 0, time.UTC)
	if err := export.WriteXLSX(&buf, export.XLSXOptions{Highlight: "341622", Generated: gen}, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	cell := func(c string) string {
		v, err := f.GetCellValue(sheet, c)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	if got := cell("A1"); !strings.Contains(got, "亳州市") || !strings.Contains(got, "截至2024年6月30日") {
		t.Errorf("title = %q", got)
	}
	merged, _ := f.GetMergeCells(sheet)
	if len(merged) < 2 || merged[0].GetStartAxis() != "A1" || merged[0].GetEndAxis() != "G1" {
		t.Errorf("merged ranges = %v, want the title across A1:G1", merged)
	}
	for i, h := range export.Columns {
		if got := cell(string(rune('A'+i)) + "2"); got != h {
			t.Errorf("heading %d = %q, want %q", i, got, h)
		}
	}
	// Row 3 is rank 1: 蒙城县, with the rate as a number formatted as a percentage.
	if cell("A3") != "1" || cell("B3") != "蒙城县" || cell("C3") != "1200" || cell("D3") != "1150" {
		t.Errorf("row 3 = %s %s %s %s", cell("A3"), cell("B3"), cell("C3"), cell("D3"))
	}
	if got := cell("E3"); got != "95.83%" {
		t.Errorf("E3 shows %q, want 95.83%%", got)
	}
	raw, _ := f.GetCellValue(sheet, "E3", excelize.Options{RawCellValue: true})
	if !strings.HasPrefix(raw, "0.9583") {
		t.Errorf("E3 holds %q, want the rate as a number", raw)
	}
	if cell("G3") != "↑3" || cell("F3") != "4" {
		t.Errorf("rank change of row 3 = %q from %q, want ↑3 from 4", cell("G3"), cell("F3"))
	}
	// The formula-looking name is stored as text.
	if got := cell("B4"); !strings.HasPrefix(got, "'=") {
		t.Errorf("B4 = %q, want the formula neutralised", got)
	}
	if formula, _ := f.GetCellFormula(sheet, "B4"); formula != "" {
		t.Errorf("B4 became a formula %q", formula)
	}
	if got := cell("B6"); got != "利辛县*" {
		t.Errorf("stale unit shown as %q, want 利辛县*", got)
	}
	if cell("B7") != "合计" || cell("C7") != "3900" {
		t.Errorf("total row = %q %q", cell("B7"), cell("C7"))
	}
	if got := cell("A8"); !strings.Contains(got, "关注率 = 关注人数 ÷ 离退休干部数") || !strings.Contains(got, "2024-07-01 09:30") {
		t.Errorf("footnote = %q", got)
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 2 {
		t.Errorf("panes = %+v, want the heading rows frozen", panes)
	}
	layout, _ := f.GetPageLayout(sheet)
	if layout.Size == nil || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout = %+v, want A4 fitted to one page wide", layout)
	}
}

func TestDraftStatesTheTableFigures(t *testing.T) {
	r := sample()
	r.PrevTotal = rank.State{Members: 3900, Followers: 2900}
	got := export.Draft(r, "341622")
	for _, want := range []string{
		"截至2024年6月30日，亳州市离退休干部3,900人，已关注“离退休干部工作”公众号3,020人，关注率77.44%",
		"较上期（2024年5月31日）提高3.08个百分点",
		"4个县(市、区)中，关注率排名前3位的是蒙城县（95.83%）、=HYPERLINK(\"x\")（90.00%）、谯城区（70.00%）",
		"位次上升较多的是蒙城县（由第4位升至第1位，上升3位）、=HYPERLINK(\"x\")（由第3位升至第2位，上升1位）",
		"蒙城县关注率95.83%，居全市第1位，较上期上升3位。",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("draft lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "排名后") {
		t.Errorf("a ranking of 4 names its bottom three, which are its top three too:\n%s", got)
	}
}

func TestXLSXOneSheetPerLevel(t *testing.T) {
	cities := sample()
	cities.Level = units.City
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, export.XLSXOptions{Generated: time.Now()}, cities, sample()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "市排名" || got[1] != "县(市、区)排名" {
		t.Errorf("sheets = %v", got)
	}
	if w, _ := f.GetColWidth("市排名", "B"); w < 10 {
		t.Errorf("unit column width %v does not fit the names", w)
	}
}

func TestFormulaInjectionIsNeutralised(t *testing.T) {
	for _, name := range []string{"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", "\t=1"} {
		row := rank.Row{State: rank.State{Unit: units.Node{Code: "X", Name: name}, Members: 10, Followers: 5}, Rank: 1}
		if got := export.Record(row)[1]; !strings.HasPrefix(got, "'") {
			t.Errorf("%q is written as %q, which a spreadsheet would run", name, got)
		}
	}
	if got := export.Record(rank.Row{State: rank.State{Unit: units.Node{Name: "蒙城县"}}})[1]; got != "蒙城县" {
		t.Errorf("a plain name became %q", got)
	}
}

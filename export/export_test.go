package export_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"followrank/export"
	"followrank/internal/golden"
	"followrank/rank"
	"followrank/units"
)

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

// options are the table choices of the tests: made at a fixed time.
func options() export.TableOptions {
	return export.TableOptions{Highlight: "341622", Issuer: "中共亳州市委老干部局", Attachment: "附件", Made: time.Date(2024, 7, 1, 9, 30, 0, 0, time.UTC)}
}

func TestCSVGolden(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteCSV(&buf, export.Tabulate(sample(), options())); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Error("CSV does not start with a UTF-8 byte-order mark")
	}
	golden.Check(t, filepath.Join("testdata", "ranking.csv"), buf.Bytes())
}

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, export.Tabulate(sample(), options())); err != nil {
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
	if cell("A1") != "附件" {
		t.Errorf("A1 = %q, want the 附件 label", cell("A1"))
	}
	if got := cell("A2"); got != "亳州市各县（市、区）关注“离退休干部工作”公众号情况通报\n（截至2024年6月30日）" {
		t.Errorf("title = %q, want it broken before its date, in full-width brackets", got)
	}
	if cell("A3") != "制表单位：中共亳州市委老干部局" || cell("E3") != "制表日期：2024年7月1日" {
		t.Errorf("maker line = %q … %q", cell("A3"), cell("E3"))
	}
	merged, _ := f.GetMergeCells(sheet)
	if len(merged) < 3 || merged[0].GetStartAxis() != "A2" || merged[0].GetEndAxis() != "H2" {
		t.Errorf("merged ranges = %v, want the title across A2:H2", merged)
	}
	want := []string{"排名", "单位", "离退休干部数", "关注人数", "关注率", "上月排名", "较上月", "备注"}
	for i, h := range want {
		if got := cell(string(rune('A'+i)) + "4"); got != h {
			t.Errorf("heading %d = %q, want %q", i, got, h)
		}
	}
	// Row 5 is rank 1: 蒙城县, with the rate as a number formatted as a percentage.
	if cell("A5") != "1" || cell("B5") != "蒙城县" || cell("C5") != "1200" || cell("D5") != "1150" {
		t.Errorf("row 5 = %s %s %s %s", cell("A5"), cell("B5"), cell("C5"), cell("D5"))
	}
	if got := cell("E5"); got != "95.83%" {
		t.Errorf("E5 shows %q, want 95.83%%", got)
	}
	raw, _ := f.GetCellValue(sheet, "E5", excelize.Options{RawCellValue: true})
	if !strings.HasPrefix(raw, "0.9583") {
		t.Errorf("E5 holds %q, want the rate as a number", raw)
	}
	if cell("G5") != "↑3" || cell("F5") != "4" {
		t.Errorf("rank change of row 5 = %q from %q, want ↑3 from 4", cell("G5"), cell("F5"))
	}
	// The formula-looking name is stored as text.
	if got := cell("B6"); !strings.HasPrefix(got, "'=") {
		t.Errorf("B6 = %q, want the formula neutralised", got)
	}
	if formula, _ := f.GetCellFormula(sheet, "B6"); formula != "" {
		t.Errorf("B6 became a formula %q", formula)
	}
	if got := cell("B8"); got != "利辛县*" || cell("H8") != "*超过45天未更新" {
		t.Errorf("stale unit shown as %q, %q", got, cell("H8"))
	}
	if cell("B9") != "合计" || cell("C9") != "3900" || cell("D9") != "3020" {
		t.Errorf("total row = %q %q %q", cell("B9"), cell("C9"), cell("D9"))
	}
	if got := cell("A10"); !strings.Contains(got, "关注率 = 关注人数 ÷ 离退休干部数") {
		t.Errorf("footnote = %q", got)
	}
	font, _ := f.GetCellStyle(sheet, "C5")
	st, _ := f.GetStyle(font)
	if st.Font == nil || st.Font.Family != "宋体" {
		t.Errorf("the table's font is %+v, want 宋体 named", st.Font)
	}
	panes, _ := f.GetPanes(sheet)
	if !panes.Freeze || panes.YSplit != 4 {
		t.Errorf("panes = %+v, want the rows down to the headings frozen", panes)
	}
	layout, _ := f.GetPageLayout(sheet)
	if layout.Size == nil || *layout.Size != 9 || layout.FitToWidth == nil || *layout.FitToWidth != 1 {
		t.Errorf("page layout = %+v, want A4 fitted to one page wide", layout)
	}
	hf, _ := f.GetHeaderFooter(sheet)
	if hf == nil || !strings.Contains(hf.OddFooter, "第 &P 页 共 &N 页") {
		t.Errorf("footer = %+v, want page numbers", hf)
	}
}

// TestTableTotalIsTheSumOfTheLines: 合计 adds up the lines shown; the
// scope's own report, when it differs, is a line of its own, and the
// remarks say who did not report and whose figures are carried forward.
func TestTableTotalIsTheSumOfTheLines(t *testing.T) {
	r := sample()
	r.Total = rank.State{Unit: r.Total.Unit, Members: 4200, Followers: 3300, Reported: true}
	r.Rows[1].ReportDate = day("2024-04-30") // carried forward from April
	r.Rows = append(r.Rows, rank.Row{State: rank.State{Unit: units.Node{Code: "341699", Name: "新区"}}},
		// A unit inside 蒙城县, shown too: in 蒙城县's figures already, not added again.
		rank.Row{State: rank.State{Unit: units.Node{Code: "34162201", Name: "蒙城县一中", Parent: "341622"}, Members: 100, Followers: 90}})
	tb := export.Tabulate(r, options())
	var lines []string
	for _, l := range tb.Lines {
		lines = append(lines, strings.Join(l.Texts(), "|"))
	}
	got := strings.Join(lines, "\n")
	for _, want := range []string{
		"2|=HYPERLINK(\"x\")|800|720|90.00%|3|↑1|数据沿用2024年4月",
		"—|新区|0|0|—|—|—|未报送",
		"|合计|3900|3020|77.44%|||",
		"|全市上报|4200|3300|78.57%|||亳州市自行报送的数据",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("table lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(strings.Join(tb.Notes, ""), "“持平”为名次不变，“无上期”为上月无数据") {
		t.Errorf("notes do not explain 持平 and 无上期: %q", tb.Notes)
	}
}

// TestTableOfAProvinceNamesEachCountysCity: counties ranked across a
// province get a 所属市 column.
func TestTableOfAProvinceNamesEachCountysCity(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	anhui, _ := tree.Get("340000")
	mengcheng, _ := tree.Get("341622")
	r := &rank.Ranking{Level: units.County, Within: anhui, Date: day("2024-06-30"),
		Rows: rank.RankStates([]rank.State{{Unit: mengcheng, Members: 10, Followers: 9}}), Ranked: 1, StaleDays: 45}
	o := options()
	o.Tree = tree
	tb := export.Tabulate(r, o)
	if strings.Join(tb.Columns, ",") != "排名,所属市,单位,离退休干部数,关注人数,关注率,备注" {
		t.Errorf("columns = %v", tb.Columns)
	}
	if got := strings.Join(tb.Lines[0].Texts(), "|"); got != "1|亳州市|蒙城县|10|9|90.00%|" {
		t.Errorf("line = %s", got)
	}
}

func TestXLSXOneSheetPerLevel(t *testing.T) {
	cities := sample()
	cities.Level = units.City
	var buf bytes.Buffer
	if err := export.WriteXLSX(&buf, export.Tabulate(cities, options()), export.Tabulate(sample(), options())); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := f.GetSheetList(); len(got) != 2 || got[0] != "市排名" || got[1] != "县（市、区）排名" {
		t.Errorf("sheets = %v", got)
	}
	if w, _ := f.GetColWidth("市排名", "B"); w < 10 {
		t.Errorf("unit column width %v does not fit the names", w)
	}
}

func TestFormulaInjectionIsNeutralised(t *testing.T) {
	for _, name := range []string{"=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1+1)", "\t=1", "蒙城县"} {
		r := &rank.Ranking{Level: units.County, Date: day("2024-06-30"), StaleDays: 45,
			Rows: []rank.Row{{State: rank.State{Unit: units.Node{Code: "X", Name: name}, Members: 10, Followers: 5}, Rank: 1}}}
		tb := export.Tabulate(r, options())
		var csvOut, xlsxOut bytes.Buffer
		export.WriteCSV(&csvOut, tb)
		export.WriteXLSX(&xlsxOut, tb)
		f, err := excelize.OpenReader(&xlsxOut)
		if err != nil {
			t.Fatal(err)
		}
		cell, _ := f.GetCellValue(f.GetSheetName(0), "B5")
		line := strings.Split(csvOut.String(), "\n")[1]
		quoted := name != "蒙城县"
		if strings.HasPrefix(cell, "'") != quoted || strings.Contains(line, ",'") != quoted && strings.Contains(line, "\"'") != quoted {
			t.Errorf("%q is written as %q in the XLSX and %q in the CSV", name, cell, line)
		}
		if tb.Lines[0].Cells[1].Text != name {
			t.Errorf("the table changed the name %q to %q; only spreadsheets need it quoted", name, tb.Lines[0].Cells[1].Text)
		}
	}
}

// Command officesheets writes the source sheets of ingest/testdata/offices:
// workbooks laid out as county offices make them, which
// scripts/office-sheets.sh then has LibreOffice save in the formats offices
// send (.xls, .et). The figures are those ingest/testdata/offices/README.md
// lists; change both together.
//
//	go run ./scripts/officesheets -o ingest/testdata/offices/src
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
)

type county struct {
	code, name         string
	members, followers int
}

// The four counties of 亳州市 as of 2024-06-30.
var june = []county{
	{"341602", "谯城区", 2618, 1665},
	{"341621", "涡阳县", 1789, 859},
	{"341622", "蒙城县", 2374, 2025},
	{"341623", "利辛县", 967, 804},
}

// The same counties at the ends of January, February and March 2024.
var months = []struct {
	sheet    string
	counties []county
}{
	{"2024年1月", []county{{"341602", "谯城区", 2610, 1502}, {"341621", "涡阳县", 1785, 760}, {"341622", "蒙城县", 2370, 1890}, {"341623", "利辛县", 965, 720}}},
	{"2024.2", []county{{"341602", "谯城区", 2612, 1560}, {"341621", "涡阳县", 1786, 801}, {"341622", "蒙城县", 2371, 1950}, {"341623", "利辛县", 966, 751}}},
	{"3月", []county{{"341602", "谯城区", 2615, 1611}, {"341621", "涡阳县", 1788, 833}, {"341622", "蒙城县", 2372, 1998}, {"341623", "利辛县", 967, 779}}},
}

// The towns of 蒙城县, whose villages the village list names.
var towns = []string{"城关街道", "漆园街道", "庄周街道", "双涧镇", "小涧镇", "坛城镇", "许疃镇", "板桥集镇", "马店镇", "岳坊镇", "立仓镇", "楚村镇", "乐土镇", "篱笆镇", "三义镇", "小辛集乡", "王集乡"}

const villagesPerTown = 60

func main() {
	out := flag.String("o", "ingest/testdata/offices/src", "folder to write the sources into")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	for name, write := range map[string]func(string) error{
		"bozhou-counties.xlsx":   countyTable,
		"monthly-2024.xlsx":      monthly,
		"date-cells.xlsx":        dateCells,
		"mengcheng-villages.csv": villages,
		"empty.xlsx":             empty,
	} {
		if err := write(filepath.Join(*out, name)); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
	}
	if err := writeCSVSheets(filepath.Dir(*out)); err != nil {
		log.Fatal(err)
	}
}

// rate writes a follow rate as offices type it: "85.30%", text.
func rate(followers, members int) string {
	return fmt.Sprintf("%.2f%%", float64(followers)*100/float64(members))
}

// fixed keeps a workbook's properties the same from run to run.
func fixed(f *excelize.File) error {
	return f.SetDocProps(&excelize.DocProperties{Creator: "蒙城县委老干部局", Created: "2024-07-01T08:00:00Z", Modified: "2024-07-01T08:00:00Z"})
}

func save(f *excelize.File, path string) error {
	if err := fixed(f); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// countyTable is (a): a merged title, a two-row merged heading, four
// counties, a 合计 row whose label is merged over 序号 and 单位 with its
// sums as formulas, and the footer lines under the table.
func countyTable(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	if err := f.SetSheetName(s, "亳州市"); err != nil {
		return err
	}
	s = "亳州市"
	set := func(cell string, v any) {
		if err := f.SetCellValue(s, cell, v); err != nil {
			log.Fatal(err)
		}
	}
	merge := func(a, b string) {
		if err := f.MergeCell(s, a, b); err != nil {
			log.Fatal(err)
		}
	}
	set("A1", "亳州市各县（市、区）关注“离退休干部工作”公众号情况统计表（截至2024年6月30日）")
	merge("A1", "E1")
	set("A2", "序号")
	merge("A2", "A3")
	set("B2", "单位")
	merge("B2", "B3")
	set("C2", "离退休干部数")
	merge("C2", "C3")
	set("D2", "关注情况")
	merge("D2", "E2")
	set("D3", "关注人数")
	set("E3", "关注率")
	for i, c := range june {
		r := i + 4
		set(fmt.Sprintf("A%d", r), i+1)
		set(fmt.Sprintf("B%d", r), c.name)
		set(fmt.Sprintf("C%d", r), c.members)
		set(fmt.Sprintf("D%d", r), c.followers)
		set(fmt.Sprintf("E%d", r), rate(c.followers, c.members))
	}
	set("A8", "合计")
	merge("A8", "B8")
	for cell, formula := range map[string]string{
		"C8": "SUM(C4:C7)",
		"D8": "SUM(D4:D7)",
		"E8": `TEXT(D8/C8,"0.00%")`, // a formula whose result is text
	} {
		if err := f.SetCellFormula(s, cell, formula); err != nil {
			return err
		}
	}
	set("A9", "制表人：张三    审核人：李四    联系电话：0558-1234567")
	merge("A9", "E9")
	set("A10", "填报单位：蒙城县委老干部局（盖章）")
	return save(f, path)
}

// monthly is (b): one sheet a month, named as offices name them, the year
// only in the titles; Excel's empty Sheet2; and a hidden working sheet.
func monthly(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", months[0].sheet); err != nil {
		return err
	}
	for i, m := range months {
		if i > 0 {
			if _, err := f.NewSheet(m.sheet); err != nil {
				return err
			}
		}
		rows := [][]any{{"2024年各县关注情况"}, {"区划代码", "单位", "离退休干部数", "关注人数"}}
		for _, c := range m.counties {
			rows = append(rows, []any{c.code, c.name, c.members, c.followers})
		}
		if err := setRows(f, m.sheet, rows); err != nil {
			return err
		}
		if err := f.MergeCell(m.sheet, "A1", "D1"); err != nil {
			return err
		}
	}
	if _, err := f.NewSheet("Sheet2"); err != nil {
		return err
	}
	if _, err := f.NewSheet("底稿"); err != nil {
		return err
	}
	if err := setRows(f, "底稿", [][]any{{"区划代码", "单位", "离退休干部数", "关注人数"}, {"341602", "谯城区", 1, 1}}); err != nil {
		return err
	}
	if err := f.SetSheetVisible("底稿", false); err != nil {
		return err
	}
	f.SetActiveSheet(0)
	return save(f, path)
}

// dateCells is (c): the date of each row in a real date cell (a custom
// 年月日 format and Excel's built-in m/d/yyyy), the counts stored as text.
func dateCells(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	if err := f.SetSheetName(s, "6月"); err != nil {
		return err
	}
	s = "6月"
	custom := `yyyy"年"m"月"d"日"`
	cn, err := f.NewStyle(&excelize.Style{CustomNumFmt: &custom})
	if err != nil {
		return err
	}
	builtin, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": typed as text
	if err != nil {
		return err
	}
	rows := [][]any{{"单位", "区划代码", "统计日期", "离退休干部数", "关注人数"}}
	day := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	for _, c := range june {
		rows = append(rows, []any{c.name, c.code, day, fmt.Sprint(c.members), fmt.Sprint(c.followers)})
	}
	if err := setRows(f, s, rows); err != nil {
		return err
	}
	for r := 2; r <= 5; r++ {
		style := cn
		if r > 3 {
			style = builtin
		}
		if err := f.SetCellStyle(s, fmt.Sprintf("C%d", r), fmt.Sprintf("C%d", r), style); err != nil {
			return err
		}
		if err := f.SetCellStyle(s, fmt.Sprintf("D%d", r), fmt.Sprintf("E%d", r), text); err != nil {
			return err
		}
	}
	return save(f, path)
}

// villages is (d): the villages of 蒙城县 with their 12-digit codes, a CSV
// long enough that its shared strings run over several BIFF records.
func villages(path string) error {
	var b strings.Builder
	b.WriteString("村（社区）,区划代码,离退休干部数,关注人数\n")
	for t, town := range towns {
		for v := 1; v <= villagesPerTown; v++ {
			m := 10 + (t*7+v*3)%40
			fmt.Fprintf(&b, "%s第%02d村,3416221%02d%03d,%d,%d\n", town, v, t+1, v, m, m*(40+(t+v)%50)/100)
		}
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// empty is (e): a new workbook as older Excel made one, Sheet1 to Sheet3
// without a cell.
func empty(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	for _, s := range []string{"Sheet2", "Sheet3"} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	return save(f, path)
}

func setRows(f *excelize.File, sheet string, rows [][]any) error {
	for i, r := range rows {
		if err := f.SetSheetRow(sheet, fmt.Sprintf("A%d", i+1), &r); err != nil {
			return err
		}
	}
	return nil
}

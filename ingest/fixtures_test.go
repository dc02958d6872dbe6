package ingest_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// The figure sheets in testdata/ are made here the way Excel and WPS save
// them; run `go test ./ingest -run TestWriteFixtures -fixtures` to remake them.
var writeFixtures = flag.Bool("fixtures", false, "rewrite the figure-sheet fixtures in testdata/")

// cityFigures are Anhui's 16 cities in May and June 2024: members and
// followers. The expected ranks in cmd/followrank's import test were worked
// out by hand from these.
var cityFigures = []struct {
	code, name string
	mayM, mayF uint64
	junM, junF uint64
}{
	{"340100", "合肥市", 12000, 9000, 12000, 9600},
	{"340200", "芜湖市", 8000, 6800, 8000, 6880},
	{"340300", "蚌埠市", 6000, 3000, 6000, 4200},
	{"340400", "淮南市", 7000, 4900, 7000, 5600},
	{"340500", "马鞍山市", 5000, 4500, 5000, 4550},
	{"340600", "淮北市", 4000, 2000, 4000, 2400},
	{"340700", "铜陵市", 3000, 2700, 3000, 2790},
	{"340800", "安庆市", 9000, 5400, 9000, 6300},
	{"341000", "黄山市", 3500, 2100, 3500, 2275},
	{"341100", "滁州市", 6500, 3900, 6500, 4875},
	{"341200", "阜阳市", 10000, 4000, 10000, 5500},
	{"341300", "宿州市", 8500, 3400, 8500, 4250},
	{"341500", "六安市", 9500, 5700, 9500, 6650},
	{"341600", "亳州市", 7500, 1500, 7500, 7125},
	{"341700", "池州市", 2500, 1500, 2500, 1625},
	{"341800", "宣城市", 4500, 3150, 4500, 3375},
}

func TestWriteFixtures(t *testing.T) {
	if !*writeFixtures {
		t.Skip("run with -fixtures to rewrite testdata/")
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(mayWorkbook(filepath.Join("testdata", "anhui-cities-2024-05.xlsx")))
	must(juneGBK(filepath.Join("testdata", "安徽各市关注情况-2024年6月.csv")))
	must(bozhouBOM(filepath.Join("testdata", "bozhou-counties.csv")))
	must(os.WriteFile(filepath.Join("testdata", "bad-rows.csv"), []byte(badRows), 0o644))
	must(os.WriteFile(filepath.Join("testdata", "empty.csv"), nil, 0o644))
	must(os.WriteFile(filepath.Join("testdata", "no-heading.csv"), []byte("安徽省各市情况\n合肥,1,2\n芜湖,3,4\n"), 0o644))
	must(os.WriteFile(filepath.Join("testdata", "no-date.csv"), []byte("地区,离退休干部数,关注人数\n合肥市,100,50\n"), 0o644))
	must(os.WriteFile(filepath.Join("testdata", "heading-only.csv"), []byte("安徽省各市关注情况(截至2024年6月30日)\n地区,离退休干部数,关注人数\n"), 0o644))
	must(os.WriteFile(filepath.Join("testdata", "old-excel.xls"), append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 512)...), 0o644))
	whole, err := os.ReadFile(filepath.Join("testdata", "anhui-cities-2024-05.xlsx"))
	must(err)
	must(os.WriteFile(filepath.Join("testdata", "truncated.xlsx"), whole[:len(whole)/2], 0o644))
}

// mayWorkbook is the provincial 通报 as an office keeps it in Excel: a merged
// title, a two-row heading with merged cells, rates as percentages, a 合计
// row and a note.
func mayWorkbook(path string) error {
	f := excelize.NewFile()
	defer f.Close()
	sh := "5月通报"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	set := func(cell string, v any) { f.SetCellValue(sh, cell, v) }
	set("A1", "安徽省各市关注“离退休干部工作”公众号情况通报(截至2024年5月31日)")
	f.MergeCell(sh, "A1", "F1")
	set("A2", "序号")
	set("B2", "市")
	set("C2", "离退休干部数\n(人)")
	set("D2", "关注情况")
	set("D3", "关注人数")
	set("E3", "关注率")
	set("F2", "排名")
	for _, r := range []string{"A", "B", "C", "F"} {
		f.MergeCell(sh, r+"2", r+"3")
	}
	f.MergeCell(sh, "D2", "E2")
	pct, _ := f.NewStyle(&excelize.Style{NumFmt: 10})
	var sumM, sumF uint64
	for i, c := range cityFigures {
		r := i + 4
		set(fmt.Sprintf("A%d", r), i+1)
		set(fmt.Sprintf("B%d", r), c.name)
		set(fmt.Sprintf("C%d", r), c.mayM)
		set(fmt.Sprintf("D%d", r), c.mayF)
		set(fmt.Sprintf("E%d", r), float64(c.mayF)/float64(c.mayM))
		f.SetCellStyle(sh, fmt.Sprintf("E%d", r), fmt.Sprintf("E%d", r), pct)
		sumM += c.mayM
		sumF += c.mayF
	}
	r := len(cityFigures) + 4
	set(fmt.Sprintf("B%d", r), "合计")
	set(fmt.Sprintf("C%d", r), sumM)
	set(fmt.Sprintf("D%d", r), sumF)
	set(fmt.Sprintf("E%d", r), float64(sumF)/float64(sumM))
	set(fmt.Sprintf("A%d", r+1), "注:关注率=关注人数÷离退休干部数。")
	f.MergeCell(sh, fmt.Sprintf("A%d", r+1), fmt.Sprintf("F%d", r+1))
	return f.SaveAs(path)
}

// juneGBK is the June table saved by Chinese Excel as "CSV (逗号分隔)": GBK,
// CRLF, a title row, numbers with thousands separators and rates as "85.00%".
func juneGBK(path string) error {
	var b strings.Builder
	b.WriteString("安徽省各市关注情况通报(截至2024年6月30日),,,,\r\n")
	b.WriteString("排名,地区,离退休干部人数,已关注人数,关注率\r\n")
	var sumM, sumF uint64
	for i, c := range cityFigures {
		fmt.Fprintf(&b, "%d,%s,\"%s\",\"%s\",%.2f%%\r\n", i+1, c.name, thousands(c.junM), thousands(c.junF), float64(c.junF)/float64(c.junM)*100)
		sumM += c.junM
		sumF += c.junF
	}
	fmt.Fprintf(&b, ",全省合计,\"%s\",\"%s\",%.2f%%\r\n", thousands(sumM), thousands(sumF), float64(sumF)/float64(sumM)*100)
	b.WriteString(",,,,\r\n")
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(b.String())
	if err != nil {
		return err
	}
	return os.WriteFile(path, []byte(gbk), 0o644)
}

func thousands(n uint64) string {
	s := fmt.Sprint(n)
	if len(s) <= 3 {
		return s
	}
	return s[:len(s)-3] + "," + s[len(s)-3:]
}

// bozhouBOM is a city's own sheet in UTF-8 with a byte-order mark (WPS's
// "CSV UTF-8"), with codes, a date column and engagement.
func bozhouBOM(path string) error {
	var b bytes.Buffer
	b.Write([]byte{0xEF, 0xBB, 0xBF})
	b.WriteString("区划代码,县(市、区),统计日期,离退休干部数,关注人数,关注率,阅读量,转发,点赞,在看,留言\n")
	b.WriteString("341602,谯城区,2024/6/30,2618,1665,63.6%,1200,88,40,12,3\n")
	b.WriteString("341621,涡阳县,2024/6/30,1789,859,0.4802,800,50,20,8,1\n")
	b.WriteString("341622,蒙城,2024/6/30,3325,3195,96.09,3100,250,180,90,21\n")
	b.WriteString("341623,利辛县,2024/6/30,967,804,83.1%,640,31,22,5,0\n")
	b.WriteString(",合计,,8699,6523,74.99%,,,,,\n")
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// badRows has one good row and one of each mistake.
const badRows = `亳州市各县区关注情况(截至2024年6月30日)
地区,离退休干部数,关注人数,关注率
谯城区,2618,1665,63.60%
蒙成县,3325,3195,96.09%
涡阳县,100,120,
利辛县,-5,3,
涡阳县,0,0,
利辛县,abc,3,
谯城区,2618,1665,63.60%
利辛县,967,804,50%
注:本表由市委老干部局汇总。,,,
`

package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/model"
	"followrank/units"
)

type collect struct{ figs []model.Figure }

func (c *collect) WriteFigures(_ context.Context, _, _ string, figs []model.Figure) error {
	c.figs = append(c.figs, figs...)
	return nil
}

func china(t *testing.T) *units.Tree {
	t.Helper()
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func day(s string) time.Time {
	d, _ := time.Parse(time.DateOnly, s)
	return d
}

func importFile(t *testing.T, name string, o ingest.SheetOptions) (*ingest.Report, *collect, error) {
	t.Helper()
	if o.Tree == nil {
		o.Tree = china(t)
	}
	c := &collect{}
	rep, err := ingest.ImportSheet(context.Background(), filepath.Join("testdata", name), o, c)
	return rep, c, err
}

func byUnit(figs []model.Figure) map[string]model.Figure {
	m := map[string]model.Figure{}
	for _, f := range figs {
		m[f.Unit] = f
	}
	return m
}

func TestImportExcelWorkbookWithMergedTitleAndHeading(t *testing.T) {
	rep, c, err := importFile(t, "anhui-cities-2024-05.xlsx", ingest.SheetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 16 || rep.Rejected != 0 || rep.Skipped != 2 || rep.Warned != 0 {
		t.Fatalf("report = %+v %v %v, want 16 accepted, total and note skipped", rep, rep.Rejections, rep.Warnings)
	}
	if rep.Scope.Code != "340000" || !rep.AsOf.Equal(day("2024-05-31")) {
		t.Errorf("scope %s as of %s, want 安徽省 as of 2024-05-31 from the title", rep.Scope.Name, rep.AsOf)
	}
	bz := byUnit(c.figs)["341600"]
	if bz.Members != 7500 || bz.Followers != 1500 || !bz.HasStock || !bz.Date.Equal(day("2024-05-31")) {
		t.Errorf("亳州市 = %+v", bz)
	}
}

func TestImportGBKCSVFromChineseExcel(t *testing.T) {
	rep, c, err := importFile(t, "安徽各市关注情况-2024年6月.csv", ingest.SheetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(rep.Format, "GB18030") {
		t.Errorf("format %q, want GBK detected", rep.Format)
	}
	if rep.Accepted != 16 || rep.Rejected != 0 || rep.Skipped != 1 || rep.Warned != 0 {
		t.Fatalf("report: %d accepted %d rejected %d skipped %d warned: %v %v", rep.Accepted, rep.Rejected, rep.Skipped, rep.Warned, rep.Rejections, rep.Warnings)
	}
	hf := byUnit(c.figs)["340100"]
	if hf.Members != 12000 || hf.Followers != 9600 || !hf.Date.Equal(day("2024-06-30")) {
		t.Errorf("合肥市 = %+v, want 9,600 of 12,000 on 2024-06-30", hf)
	}
}

func TestImportUTF8BOMWithCodesDatesAndEngagement(t *testing.T) {
	rep, c, err := importFile(t, "bozhou-counties.csv", ingest.SheetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Format != "CSV, UTF-8 with BOM" || rep.Accepted != 4 || rep.Rejected != 0 {
		t.Fatalf("report = %s %d accepted %d rejected %v", rep.Format, rep.Accepted, rep.Rejected, rep.Rejections)
	}
	// Rates are written 63.6%, 0.4802, 96.09 and 83.1%: all agree with the counts.
	if rep.Warned != 0 {
		t.Errorf("warnings %v", rep.Warnings)
	}
	mc := byUnit(c.figs)["341622"]
	if mc.Followers != 3195 || mc.Reads != 3100 || mc.Shares != 250 || mc.Likes != 180 || mc.Wow != 90 || mc.Comments != 21 || !mc.Date.Equal(day("2024-06-30")) {
		t.Errorf("蒙城县 = %+v", mc)
	}
}

func TestImportRejectsBadRowsAndKeepsGoodOnes(t *testing.T) {
	rep, c, err := importFile(t, "bad-rows.csv", ingest.SheetOptions{Say: en})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range rep.Rejections {
		got[r.String()] = true
	}
	for _, want := range []string{
		`bad-rows.csv:4: unit: unknown unit "蒙成县" within 亳州市; did you mean: 蒙城县 (341622), 涡阳县 (341621), 利辛县 (341623)?`,
		"bad-rows.csv:5: followers: 120 > members 100",
		"bad-rows.csv:6: members: -5 is negative",
		"bad-rows.csv:7: members: 0: a unit with no retired cadres has no follow rate",
		`bad-rows.csv:8: members: "abc" is not a number`,
		"bad-rows.csv:9: unit: 谯城区 appears twice for 2024-06-30 (first on line 3)",
	} {
		if !got[want] {
			t.Errorf("missing rejection %q; got %v", want, rep.Rejections)
		}
	}
	if rep.Accepted != 2 || rep.Rejected != 6 || len(c.figs) != 2 {
		t.Errorf("%d accepted, %d rejected, %d stored; want 2, 6, 2", rep.Accepted, rep.Rejected, len(c.figs))
	}
	if rep.Warned != 1 || !strings.Contains(rep.Warnings[0].String(), "bad-rows.csv:10: rate: stated 50.00% but") {
		t.Errorf("warnings = %v, want the stated 50%% of 利辛县 flagged", rep.Warnings)
	}
	if rep.Skipped != 1 {
		t.Errorf("skipped %d, want the note row", rep.Skipped)
	}
}

func TestImportFatalFilesStoreNothing(t *testing.T) {
	tests := []struct{ file, want string }{
		{"empty.csv", "empty"},
		{"no-heading.csv", "no heading row"},
		{"no-date.csv", "no date"},
		{"heading-only.csv", "no figure rows"},
		{"old-excel.xls", "Excel 97-2003"},
		{"truncated.xlsx", "cannot read the workbook"},
		{"absent.csv", "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, c, err := importFile(t, tt.file, ingest.SheetOptions{Say: en})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if len(c.figs) != 0 {
				t.Fatalf("%d figures stored from a fatal file", len(c.figs))
			}
		})
	}
}

func TestImportDateSources(t *testing.T) {
	dir := t.TempDir()
	body := "地区,离退休干部数,关注人数\n合肥市,100,50\n"
	tests := []struct {
		name, title string
		asOf        time.Time
		want        string
	}{
		{"sheet.csv", "安徽省关注情况(截至2024年6月30日)", time.Time{}, "2024-06-30"},
		{"sheet.csv", "2024年6月全省通报", time.Time{}, "2024-06-30"},
		{"sheet.csv", "统计时间 2024-05-31", time.Time{}, "2024-05-31"},
		{"sheet.csv", "统计时间 2024/5/31", time.Time{}, "2024-05-31"},
		{"关注率-20240430.csv", "", time.Time{}, "2024-04-30"},
		{"anhui-2024-02.csv", "", time.Time{}, "2024-02-29"},
		{"anhui-2024-02.csv", "", day("2024-03-15"), "2024-03-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name+tt.title, func(t *testing.T) {
			content := body
			if tt.title != "" {
				content = tt.title + "\n" + body
			}
			path := filepath.Join(dir, tt.name)
			os.WriteFile(path, []byte(content), 0o644)
			c := &collect{}
			_, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: china(t), AsOf: tt.asOf, Say: en}, c)
			if err != nil {
				t.Fatal(err)
			}
			if got := c.figs[0].Date.Format(time.DateOnly); got != tt.want {
				t.Errorf("date %s, want %s", got, tt.want)
			}
		})
	}
}

func TestImportWithinScope(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x-2024-06-30.csv")
	os.WriteFile(path, []byte("单位,离退休干部数,关注人数\n郊区,100,50\n341622,100,60\n"), 0o644)
	tree := china(t)
	// Without a scope 郊区 is ambiguous (three cities have one).
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, Say: en}, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Rejected != 1 || !strings.Contains(rep.Rejections[0].Reason, "ambiguous") {
		t.Errorf("rejections %v, want 郊区 ambiguous", rep.Rejections)
	}
	// Within 铜陵市 it is 340711; 蒙城县's code is outside.
	rep, err = ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, Within: "340700", Say: en}, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Accepted != 1 || rep.Rejected != 1 || !strings.Contains(rep.Rejections[0].Reason, "341622 蒙城县 is not within 铜陵市") {
		t.Errorf("accepted %d rejections %v", rep.Accepted, rep.Rejections)
	}
}

func TestImportEverySheetOrOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "两个月.xlsx")
	f := excelize.NewFile()
	f.SetSheetName("Sheet1", "5月")
	f.SetSheetRow("5月", "A1", &[]any{"截至2024年5月31日"})
	f.SetSheetRow("5月", "A2", &[]any{"地区", "离退休干部数", "关注人数"})
	f.SetSheetRow("5月", "A3", &[]any{"合肥市", 100, 50})
	f.NewSheet("6月")
	f.SetSheetRow("6月", "A1", &[]any{"截至2024年6月30日"})
	f.SetSheetRow("6月", "A2", &[]any{"地区", "离退休干部数", "关注人数"})
	f.SetSheetRow("6月", "A3", &[]any{"合肥市", 100, 60})
	f.NewSheet("说明")
	f.SetSheetRow("说明", "A1", &[]any{"本表由省委老干部局汇总"})
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: china(t), AsOf: day("2024-06-30")}, c)
	if err != nil {
		t.Fatal(err)
	}
	// --as-of applies to both month sheets: the same unit and date twice.
	if rep.Accepted != 1 || rep.Rejected != 1 || rep.Warned != 1 || !strings.Contains(rep.Warnings[0].Reason, "没有表头") {
		t.Errorf("with --as-of: %d accepted, %d rejected, warnings %v", rep.Accepted, rep.Rejected, rep.Warnings)
	}
	// Without it each sheet has the date of its own title.
	c = &collect{}
	rep, err = ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: china(t)}, c)
	if err != nil || rep.Accepted != 2 || !c.figs[0].Date.Equal(day("2024-05-31")) || !c.figs[1].Date.Equal(day("2024-06-30")) {
		t.Fatalf("every sheet: %v %d accepted %+v", err, rep.Accepted, c.figs)
	}
	c = &collect{}
	rep, err = ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: china(t), Sheet: "6月"}, c)
	if err != nil || rep.Accepted != 1 || c.figs[0].Followers != 60 || !c.figs[0].Date.Equal(day("2024-06-30")) {
		t.Fatalf("--sheet 6月: %v %+v %+v", err, rep, c.figs)
	}
	if _, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: china(t), Sheet: "7月"}, c); err == nil || !strings.Contains(err.Error(), "5月, 6月, 说明") {
		t.Errorf("--sheet 7月: err = %v, want the sheets listed", err)
	}
}

// en writes rejections in English, for the tests that read them.
var en = catalog.New(catalog.English)

// Rows that name a unit as rows before them did read as those did, in
// whatever order they come: a code with the wrong name is rejected every
// time, a totals row is skipped every time, and a name too long rejected,
// however often the same rows come back (a sheet is read a row at a time,
// each unit found from the row before's where it can be).
func TestRowsNamedAlikeReadAlike(t *testing.T) {
	long := "利辛县" + strings.Repeat("县", 98)
	day := [][]string{
		{"341602", "谯城区"},
		{"341621", "涡阳县"},
		{"341621", "蒙城县"}, // 蒙城县 is 341622
		{"341622", "蒙城县"},
		{"341600", "合计"},
		{"", "合计"},
		{"341623", long},
		{"", "利辛县"},
	}
	rows := [][]string{{"区划代码", "单位", "日期", "离退休干部数", "关注人数"}}
	for d, order := range [][]int{{0, 1, 2, 3, 4, 5, 6, 7}, {0, 1, 2, 3, 4, 5, 6, 7}, {7, 6, 5, 4, 3, 2, 1, 0}, {2, 2, 0, 5, 5, 1, 3, 6, 7, 0}} {
		for _, i := range order {
			rows = append(rows, []string{day[i][0], day[i][1], fmt.Sprintf("2024-06-%02d", d+1), "100", "50"})
		}
	}
	c := &collect{}
	rep, err := ingest.ImportRows(context.Background(), "june.json", rows, ingest.SheetOptions{Tree: china(t), Within: "341600", Say: en}, c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rep.Rejections {
		got = append(got, fmt.Sprintf("%d %s %s", r.Line, r.Field, r.Code))
	}
	want := []string{
		"3 code unit.code_name_mismatch", "7 unit unit.name_too_long",
		"11 code unit.code_name_mismatch", "15 unit unit.name_too_long",
		"18 unit unit.name_too_long", "22 code unit.code_name_mismatch",
		"25 code unit.code_name_mismatch", "26 code unit.code_name_mismatch", "32 unit unit.name_too_long", "34 unit unit.duplicate",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("rejections\n%q\nwant\n%q", got, want)
	}
	if rep.Accepted != 16 || rep.Skipped != 8 || len(c.figs) != 16 {
		t.Errorf("%d accepted, %d skipped, %d stored; want 16, 8, 16", rep.Accepted, rep.Skipped, len(c.figs))
	}
	units := map[string]int{}
	for _, f := range c.figs {
		units[f.Unit]++
	}
	if want := map[string]int{"341602": 4, "341621": 4, "341622": 4, "341623": 4}; !reflect.DeepEqual(units, want) {
		t.Errorf("figures by unit %v, want %v", units, want)
	}
}

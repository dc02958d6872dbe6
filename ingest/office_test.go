package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/units"
)

// mengchengUnits is 蒙城县 with units of its own, as `units import` stores them.
func mengchengUnits(t *testing.T) *units.Tree {
	t.Helper()
	nodes := units.Builtin()
	for _, u := range [][3]string{
		{"341622001", "县财政局", "341622"},
		{"341622002", "漆园街道", "341622"},
		{"341622003", "县卫生健康委员会", "341622"},
		{"341622004", "小涧镇", "341622"},
	} {
		nodes = append(nodes, units.Node{Code: u[0], Name: u[1], Parent: u[2], Level: units.Unit})
	}
	tree, err := units.NewTree(nodes)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestOfficeSheets imports sheets as county and city offices make them:
// every one is taken, with the figures a person reads in it.
func TestOfficeSheets(t *testing.T) {
	tests := []struct {
		name, file, body string
		o                ingest.SheetOptions
		want             map[string][2]uint32 // unit code → members, followers
		date             string
		skipped          int
		warnings         []catalog.Code
	}{
		{
			name: "合计 in the 序号 column, and footers under the table",
			file: "亳州各县-2024年6月.csv",
			body: "亳州市各县（市、区）关注情况统计表\n序号,单位,离退休干部数,关注人数,关注率\n" +
				"1,谯城区,2620,1700,64.89%\n2,涡阳县,1790,900,50.28%\n3,蒙城县,3330,3210,96.40%\n4,利辛县,1010,960,95.05%\n" +
				"合计,,8750,6770,77.37%\n制表人：张三,,审核人：李四,,联系电话：0558-1234567\n填报单位：蒙城县委老干部局（盖章）,,,,\n填报日期：2024年7月2日,,,,\n",
			want:    map[string][2]uint32{"341602": {2620, 1700}, "341621": {1790, 900}, "341622": {3330, 3210}, "341623": {1010, 960}},
			date:    "2024-06-30",
			skipped: 4,
		},
		{
			name: "a totals row that disagrees with its rows is a warning",
			file: "亳州各县-2024年6月.csv",
			body: "序号,单位,离退休干部数,关注人数\n1,谯城区,2620,1700\n2,涡阳县,1790,900\n合计,,4500,2600\n",
			want: map[string][2]uint32{"341602": {2620, 1700}, "341621": {1790, 900}}, date: "2024-06-30", skipped: 1,
			warnings: []catalog.Code{catalog.TotalDisagrees},
		},
		{
			name: "黄山 in a table of Anhui's cities is 黄山市, not 黄山区",
			file: "安徽各市-2024年6月.csv",
			body: "安徽省各市关注情况\n地区,离退休干部数,关注人数\n合肥,5000,4000\n芜湖,3000,2000\n黄山,1200,1000\n",
			want: map[string][2]uint32{"340100": {5000, 4000}, "340200": {3000, 2000}, "341000": {1200, 1000}}, date: "2024-06-30",
			warnings: []catalog.Code{catalog.UnitAtLevel},
		},
		{
			name: "a title that says 全省 without a name means the configured scope",
			file: "全省各市-2024年6月.csv",
			body: "全省各市关注情况通报\n地区,离退休干部数,关注人数\n合肥市,5000,4000\n宿州市,3000,2000\n",
			o:    ingest.SheetOptions{Default: "340000"},
			want: map[string][2]uint32{"340100": {5000, 4000}, "341300": {3000, 2000}}, date: "2024-06-30",
		},
		{
			name: "names as offices write them",
			file: "蒙城县各单位-2024年6月.csv",
			body: "蒙城县各单位关注情况\n单位,离退休干部数,关注人数\n财政局,40,30\n漆园街道办事处,120,96\n县卫健委,60,50\n小涧镇人民政府,80,40\n",
			o:    ingest.SheetOptions{Tree: nil},
			want: map[string][2]uint32{"341622001": {40, 30}, "341622002": {120, 96}, "341622003": {60, 50}, "341622004": {80, 40}}, date: "2024-06-30",
		},
		{
			name: "a county's own row that disagrees with its units is a warning",
			file: "蒙城县-2024年6月.csv",
			body: "单位,离退休干部数,关注人数\n蒙城县,400,300\n县财政局,40,30\n漆园街道,120,96\n",
			want: map[string][2]uint32{"341622": {400, 300}, "341622001": {40, 30}, "341622002": {120, 96}}, date: "2024-06-30",
			warnings: []catalog.Code{catalog.ParentDisagrees},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.o
			o.Tree = mengchengUnits(t)
			c := &collect{}
			rep, err := ingest.ImportSheet(context.Background(), writeFile(t, tt.file, tt.body), o, c)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rejected != 0 {
				t.Errorf("rejected: %v", rep.Rejections)
			}
			got := map[string][2]uint32{}
			for _, f := range c.figs {
				got[f.Unit] = [2]uint32{f.Members, f.Followers}
				if d := f.Date.Format("2006-01-02"); d != tt.date {
					t.Errorf("%s stored for %s, want %s", f.Unit, d, tt.date)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("stored %v, want %v", got, tt.want)
			}
			for code, w := range tt.want {
				if got[code] != w {
					t.Errorf("%s: stored %v, want %v", code, got[code], w)
				}
			}
			if rep.Skipped != tt.skipped {
				t.Errorf("%d rows skipped, want %d", rep.Skipped, tt.skipped)
			}
			var codes []catalog.Code
			for _, w := range rep.Warnings {
				codes = append(codes, catalog.Code(w.Code))
			}
			if len(codes) != len(tt.warnings) || (len(codes) > 0 && codes[0] != tt.warnings[0]) {
				t.Errorf("warnings %v, want %v", rep.Warnings, tt.warnings)
			}
		})
	}
}

func TestUnitsOfACountyNotYetImportedAreSaidOnce(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	path := writeFile(t, "蒙城县各单位-2024年6月.csv", "蒙城县各单位关注情况\n单位,离退休干部数,关注人数\n财政局,40,30\n漆园街道,120,96\n县卫健委,60,50\n")
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree}, &collect{})
	if err == nil || ingest.CodeOf(err) != catalog.UnitsFirst || !strings.Contains(err.Error(), "蒙城县的下属单位尚未导入") {
		t.Fatalf("err = %v", err)
	}
	if len(rep.Rejections) != 0 {
		t.Errorf("one line per row: %v", rep.Rejections)
	}
}

func TestOneSheetAMonth(t *testing.T) {
	path := filepath.Join(t.TempDir(), "2024年各县关注情况.xlsx")
	f := excelize.NewFile()
	months := []string{"2024年1月", "2024.2", "3月"}
	for i, name := range months {
		if i == 0 {
			f.SetSheetName("Sheet1", name)
		} else {
			f.NewSheet(name)
		}
		f.SetSheetRow(name, "A1", &[]any{"2024年亳州市各县关注情况"})
		f.SetSheetRow(name, "A2", &[]any{"单位", "离退休干部数", "关注人数"})
		f.SetSheetRow(name, "A3", &[]any{"蒙城县", 3330, 3000 + 10*i})
	}
	f.NewSheet("Sheet2") // Excel's empty default sheet
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	c := &collect{}
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: mengchengUnits(t)}, c)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.figs {
		got = append(got, f.Date.Format("2006-01-02"))
	}
	if strings.Join(got, " ") != "2024-01-31 2024-02-29 2024-03-31" || rep.Warned != 0 {
		t.Errorf("dates %v, warnings %v; want the three month ends and no warning", got, rep.Warnings)
	}
}

// TestRejectionsReadInChinese: the rejections offices read are Chinese by
// default, the typo 毫州 suggests 亳州市 first, and each has its code.
func TestRejectionsReadInChinese(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	path := writeFile(t, "安徽各市-2024年6月.csv", "安徽省各市关注情况\n地区,离退休干部数,关注人数\n合肥市,5000,4000\n毫州市,3000,2000\n宿州市,100,120\n")
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree}, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	say := catalog.New(catalog.Chinese)
	var lines, codes []string
	for _, r := range rep.Rejections {
		lines = append(lines, say.Rejection(r))
		codes = append(codes, r.Code)
	}
	want := []string{
		"安徽各市-2024年6月.csv 第4行 单位：未知单位“毫州市”（安徽省范围内），是否为：亳州市（341600）",
		"安徽各市-2024年6月.csv 第5行 关注人数：120，大于离退休干部数100",
	}
	if len(lines) != 2 || !strings.HasPrefix(lines[0], want[0]) || lines[1] != want[1] {
		t.Errorf("rejections:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if strings.Join(codes, " ") != "unit.unknown_near followers.over_members" {
		t.Errorf("codes %v", codes)
	}
}

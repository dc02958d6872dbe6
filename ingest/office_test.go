package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/model"
	"followrank/units"
)

// mengchengUnits is the tree with 蒙城县's units imported from the units
// file in testdata/offices, as `followrank units import` reads it.
func mengchengUnits(t *testing.T) *units.Tree {
	t.Helper()
	builtin, _ := units.NewTree(units.Builtin())
	nodes, err := ingest.ReadUnits(filepath.Join("testdata", "offices", "mengcheng-units.csv"), builtin)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := units.NewTree(append(units.Builtin(), nodes...))
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

// TestOfficeSheets imports the GBK sheets of testdata/offices, saved as
// Chinese Excel saves CSV by scripts/officesheets: every one is taken with
// the figures a person reads in it, and the notes README.md there lists.
func TestOfficeSheets(t *testing.T) {
	tests := []struct {
		file     string
		o        ingest.SheetOptions
		want     map[string][2]uint32 // unit code → members, followers, as of 2024-06-30
		skipped  int
		warnings []catalog.Code
		rejected []catalog.Code
	}{
		{file: "anhui-cities-2024-06.csv",
			want:     map[string][2]uint32{"340100": {5210, 4630}, "340200": {3120, 2411}, "341000": {1207, 1002}, "341600": {7748, 5353}},
			warnings: []catalog.Code{catalog.UnitAtLevel}},
		{file: "quansheng-cities-2024-06.csv", o: ingest.SheetOptions{Default: "340000"},
			want: map[string][2]uint32{"340100": {5210, 4630}, "341300": {3301, 2208}}},
		{file: "mengcheng-units-2024-06.csv",
			want:    map[string][2]uint32{"341622001": {40, 30}, "341622002": {120, 96}, "341622003": {60, 50}, "341622004": {80, 40}, "341622005": {35, 35}},
			skipped: 1},
		{file: "cities-typo-2024-06.csv",
			want:     map[string][2]uint32{"340100": {5210, 4630}},
			rejected: []catalog.Code{catalog.UnitUnknownNear}},
		{file: "bozhou-totals-2024-06.csv",
			want:     map[string][2]uint32{"341602": {2618, 1665}, "341621": {1789, 859}},
			skipped:  1,
			warnings: []catalog.Code{catalog.TotalDisagrees}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o := tt.o
			o.Tree = mengchengUnits(t)
			c := &collect{}
			rep, err := ingest.ImportSheet(context.Background(), filepath.Join("testdata", "offices", tt.file), o, c)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string][2]uint32{}
			for _, f := range c.figs {
				got[f.Unit] = [2]uint32{f.Members, f.Followers}
				if d := f.Date.Format("2006-01-02"); d != "2024-06-30" {
					t.Errorf("%s stored for %s, want 2024-06-30", f.Unit, d)
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
			codes := func(rs []model.Rejection) string {
				var out []string
				for _, r := range rs {
					out = append(out, r.Code)
				}
				return strings.Join(out, " ")
			}
			if got, want := codes(rep.Warnings), fmt.Sprint(strings.Trim(fmt.Sprint(tt.warnings), "[]")); got != want {
				t.Errorf("warnings %v, want %s", rep.Warnings, want)
			}
			if got, want := codes(rep.Rejections), fmt.Sprint(strings.Trim(fmt.Sprint(tt.rejected), "[]")); got != want {
				t.Errorf("rejections %v, want %s", rep.Rejections, want)
			}
		})
	}
}

// TestParentsOwnRowThatDisagreesIsAWarning: a county's own row and its
// units' rows in one file must agree.
func TestParentsOwnRowThatDisagreesIsAWarning(t *testing.T) {
	path := writeFile(t, "蒙城县-2024年6月.csv", "单位,离退休干部数,关注人数\n蒙城县,400,300\n县财政局,40,30\n漆园街道,120,96\n")
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: mengchengUnits(t)}, &collect{})
	if err != nil || rep.Accepted != 3 || rep.Warned != 1 || rep.Warnings[0].Code != string(catalog.ParentDisagrees) ||
		!strings.Contains(rep.Warnings[0].Reason, "蒙城县报送离退休干部400人、关注300人，但本文件中其下属单位相加为160人、126人") {
		t.Errorf("%v: %d accepted, warnings %v", err, rep.Accepted, rep.Warnings)
	}
}

func TestUnitsOfACountyNotYetImportedAreSaidOnce(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	path := filepath.Join("testdata", "offices", "mengcheng-units-2024-06.csv")
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

// TestVillagesOfACountyWithoutUnitsAreSaidOnce: rows known by codes that
// start with a county's code (341622101001 is a village of 蒙城县), while
// the county has no units imported, are one message, not 1,020.
func TestVillagesOfACountyWithoutUnitsAreSaidOnce(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	path := filepath.Join("testdata", "offices", "mengcheng-villages.et")
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, AsOf: day("2024-06-30")}, &collect{})
	if ingest.CodeOf(err) != catalog.UnitsFirst || !strings.Contains(err.Error(), "蒙城县") || len(rep.Rejections) != 0 {
		t.Errorf("err = %v, %d rejections listed", err, len(rep.Rejections))
	}
}

// TestControlBytesAreQuoted: NUL and terminal escapes in cells reach no
// message or report raw.
func TestControlBytesAreQuoted(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	path := writeFile(t, "亳州-2024年6月.csv", "单位,离退休干部数,关注人数\n蒙城县\x1b[2J\x1b[31m,10,5\n涡阳县,1\x07,5\n")
	rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, Within: "341600"}, &collect{})
	if err != nil {
		t.Fatal(err)
	}
	say := catalog.New(catalog.Chinese)
	for _, r := range rep.Rejections {
		for _, s := range []string{say.Rejection(r), r.Raw, r.Reason} {
			if strings.ContainsAny(s, "\x1b\x07") {
				t.Errorf("a control byte reached %q", s)
			}
		}
	}
	if rep.Rejected != 2 || !strings.Contains(rep.Rejections[0].Reason, `\x1b[2J`) {
		t.Errorf("rejections %v", rep.Rejections)
	}
}

// failing stores the first batch and fails on the second, as ClickHouse
// killed mid-import does.
type failing struct{ batches int }

func (f *failing) WriteFigures(context.Context, string, string, []model.Figure) error {
	if f.batches++; f.batches > 1 {
		return errors.New("clickhouse: connection reset by peer")
	}
	return nil
}

// TestAFailureToStoreSaysWhatIsTrue: after a failure to store, the message
// says some figures may be stored and that importing again completes them,
// and the failure stays a *SinkError (the inbox keeps the file for the next
// run by it).
func TestAFailureToStoreSaysWhatIsTrue(t *testing.T) {
	tree, _ := units.NewTree(units.Builtin())
	var b strings.Builder
	b.WriteString("区划代码,日期,离退休干部数,关注人数\n")
	for d := 1; d <= 28; d++ {
		fmt.Fprintf(&b, "341622,2024-02-%02d,100,50\n", d)
	}
	path := writeFile(t, "蒙城.csv", b.String())
	for _, batches := range []int{0, 1} { // the first insert fails, or the second
		sink := &failing{batches: batches}
		_, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, BatchRows: 10}, sink)
		var sinkErr *ingest.SinkError
		if !errors.As(err, &sinkErr) || ingest.CodeOf(err) != catalog.StoredBefore || !strings.Contains(err.Error(), "部分数据可能已入库；重新导入该文件即可补全") {
			t.Errorf("failing after %d batches: %v", batches, err)
		}
	}
}

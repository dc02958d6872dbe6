package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followrank/model"
	"followrank/store"
	"followrank/store/storetest"
)

// pkgDir is the package's folder, taken before tests change directory.
var pkgDir, _ = os.Getwd()

func fixture(name string) string {
	return filepath.Join(pkgDir, "..", "..", "ingest", "testdata", name)
}

type cityRank struct {
	Code     string  `json:"code"`
	Rank     *int    `json:"rank"`
	PrevRank *int    `json:"prev_rank"`
	Change   *int    `json:"change"`
	Rate     float64 `json:"rate"`
}

// TestImportMayAndJuneThenRank imports the May workbook and the June GBK CSV
// of Anhui's cities and checks the ranking against ranks worked out by hand
// from the figures in ingest/fixtures_test.go.
func TestImportMayAndJuneThenRank(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Chdir(t.TempDir())
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ { // the second import must change nothing
		out, err := followrank(t, "import", fixture("anhui-cities-2024-05.xlsx"), fixture("安徽各市关注情况-2024年6月.csv"))
		if err != nil {
			t.Fatalf("import: %v\n%s", err, out)
		}
		for _, want := range []string{"anhui-cities-2024-05.xlsx：接收16行，拒收0行", "统计日期2024-05-31", "安徽各市关注情况-2024年6月.csv：接收16行", "统计日期2024-06-30", "GB18030"} {
			if !strings.Contains(out, want) {
				t.Errorf("import output lacks %q:\n%s", want, out)
			}
		}
	}
	out, err := followrank(t, "rank", "--level", "city", "--within", "340000", "--date", "2024-06-30", "--compare", "2024-05-31", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []cityRank
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	// code, June rank, May rank: ties share a rank and are listed by code.
	want := []struct {
		code       string
		rank, prev int
		change     int
		rate       float64
	}{
		{"341600", 1, 16, 15, 0.95}, {"340700", 2, 1, -1, 0.93}, {"340500", 3, 1, -2, 0.91}, {"340200", 4, 3, -1, 0.86},
		{"340100", 5, 4, -1, 0.80}, {"340400", 5, 5, 0, 0.80}, {"341100", 7, 7, 0, 0.75}, {"341800", 7, 5, -2, 0.75},
		{"340300", 9, 12, 3, 0.70}, {"340800", 9, 7, -2, 0.70}, {"341500", 9, 7, -2, 0.70}, {"341000", 12, 7, -5, 0.65},
		{"341700", 12, 7, -5, 0.65}, {"340600", 14, 12, -2, 0.60}, {"341200", 15, 14, -1, 0.55}, {"341300", 16, 14, -2, 0.50},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d cities ranked, want 16", len(rows))
	}
	for i, w := range want {
		r := rows[i]
		if r.Code != w.code || *r.Rank != w.rank || *r.PrevRank != w.prev || *r.Change != w.change || r.Rate != w.rate {
			t.Errorf("row %d = %s rank %d prev %d change %d rate %v; want %+v", i+1, r.Code, *r.Rank, *r.PrevRank, *r.Change, r.Rate, w)
		}
	}
}

func TestImportExitStatusAndRecordedRejections(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Chdir(t.TempDir())
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	out, err := followrank(t, "import", fixture("bad-rows.csv"))
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 1 {
		t.Fatalf("bad rows: err = %v, want exit status 1\n%s", err, out)
	}
	if !strings.Contains(out, "bad-rows.csv 第5行 关注人数：120，大于离退休干部数100") {
		t.Errorf("output lacks the rejection in Chinese:\n%s", out)
	}
	if out, _ := followrank(t, "--lang", "en", "import", "--dry-run", fixture("bad-rows.csv")); !strings.Contains(out, "bad-rows.csv:5: followers: 120 > members 100") {
		t.Errorf("output lacks the rejection in English:\n%s", out)
	}

	s, err := store.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	runs, err := s.Runs(context.Background(), 1)
	if err != nil || len(runs) != 1 {
		t.Fatalf("runs = %v, %v", runs, err)
	}
	if runs[0].Status != model.RunPartial || runs[0].Accepted != 2 || runs[0].Rejected != 6 {
		t.Errorf("run = %+v, want partial with 2 accepted and 6 rejected", runs[0])
	}
	rejected, err := s.Rejections(context.Background(), runs[0].ID)
	if err != nil || len(rejected) != 6 {
		t.Fatalf("recorded rejections = %v, %v; want 6", rejected, err)
	}
	// `runs` says, under Chinese columns, what the run read.
	out, err = followrank(t, "runs")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 2 || !regexp.MustCompile(`^开始时间\s+来源\s+状态\s+入库行数\s+拒收行数\s+用时（秒）\s+内容\s+错误$`).MatchString(lines[0]) ||
		!regexp.MustCompile(`\simport\s+partial\s+2\s+6\s+\d+\.\d\s+\S*bad-rows\.csv：入库 2 行，拒收 6 行`).MatchString(lines[1]) {
		t.Errorf("runs after an import with rejections: %v\n%s", err, out)
	}

	out, err = followrank(t, "import", fixture("no-date.csv"), fixture("bozhou-counties.csv"))
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("fatal file: err = %v, want exit status 2\n%s", err, out)
	}
	if !strings.Contains(out, "no-date.csv：未导入：") || !strings.Contains(out, "bozhou-counties.csv：接收4行") {
		t.Errorf("output:\n%s", out)
	}

	out, err = followrank(t, "import", "--dry-run", fixture("bozhou-counties.csv"))
	if err != nil || !strings.Contains(out, "（试运行，未入库）") {
		t.Errorf("dry run: %v\n%s", err, out)
	}
}

func TestUnitsImportAndFiguresBelowCounties(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Chdir(t.TempDir())
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile("units.csv", []byte("单位代码,单位名称,上级代码,别名\nMC01,蒙城县委组织部,341622,县委组织部\nMC02,蒙城县教育局,341622,教育局、县教育局\nMC0201,蒙城县第一中学,MC02,\n"), 0o644)
	out, err := followrank(t, "units", "import", "units.csv")
	if err != nil || !strings.Contains(out, "units.csv：已存入3个单位（新增3个，更新0个）") {
		t.Fatalf("units import: %v\n%s", err, out)
	}
	os.WriteFile("units.csv", []byte("单位代码,单位名称,上级代码,别名\nMC01,中共蒙城县委组织部,341622,县委组织部\n"), 0o644)
	if out, err := followrank(t, "--lang", "en", "units", "import", "units.csv"); err != nil || !strings.Contains(out, "units.csv: 1 units stored (0 new, 1 updated)") {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	// Each import is a recorded run: a running serve sees it at once.
	if out, err := followrank(t, "runs"); err != nil || strings.Count(out, "units") < 2 {
		t.Errorf("runs after two units imports: %v\n%s", err, out)
	}
	out, err = followrank(t, "units", "list", "--within", "蒙城县")
	if err != nil || !strings.Contains(out, "中共蒙城县委组织部") || strings.Contains(out, "\tMC01  蒙城县委组织部") || !strings.Contains(out, "蒙城县第一中学") {
		t.Fatalf("units list: %v\n%s", err, out)
	}

	for _, bad := range []struct{ body, want string }{
		{"单位代码,单位名称,上级代码\nX1,某单位,999999\n", "units.csv:2: parent: 999999 is not a known unit"},
		{"单位代码,单位名称,上级代码\nX1,甲,X2\nX2,乙,X1\n", "cycle"},
		{"单位代码,单位名称,上级代码\n341622,蒙城县,341600\n", "ships with the program"},
	} {
		os.WriteFile("units.csv", []byte(bad.body), 0o644)
		_, err := followrank(t, "units", "import", "units.csv")
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err = %v, want exit 2 mentioning %q", bad.body, err, bad.want)
		}
	}

	// Figures for the units, by alias, roll up into 蒙城县.
	os.WriteFile("mc.csv", []byte("蒙城县各单位关注情况(截至2024年6月30日)\n单位,离退休干部数,关注人数\n县委组织部,40,38\n教育局,300,200\n蒙城县第一中学,60,30\n"), 0o644)
	if out, err := followrank(t, "import", "mc.csv"); err != nil || !strings.Contains(out, "接收3行") || !strings.Contains(out, "范围蒙城县") {
		t.Fatalf("import: %v\n%s", err, out)
	}
	out, err = followrank(t, "rank", "--level", "unit", "--within", "蒙城县", "--date", "2024-06-30", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rows []cityRank
	json.Unmarshal([]byte(out), &rows)
	// 教育局 reported its own 200/300 while its school reported 30/60: its own report wins.
	if len(rows) != 3 || rows[0].Code != "MC01" || rows[1].Code != "MC02" || rows[1].Rate != 0.6667 {
		t.Errorf("unit ranking = %s", out)
	}

	// 蒙城县 reports its own figures too: the units' table adds up its
	// lines (the school once, inside 教育局) and shows the county's report
	// on a line of its own.
	os.WriteFile("county.csv", []byte("县(市、区),离退休干部数,关注人数\n蒙城县,3330,3210\n"), 0o644)
	if out, err := followrank(t, "import", "county.csv", "--within", "亳州市", "--as-of", "2024-06-30"); err != nil {
		t.Fatalf("import county: %v\n%s", err, out)
	}
	if _, err := followrank(t, "export", "--level", "unit", "--within", "蒙城县", "--date", "2024-06-30", "--format", "csv", "-o", "units.csv"); err != nil {
		t.Fatal(err)
	}
	table, _ := os.ReadFile("units.csv")
	if !strings.Contains(string(table), ",合计,340,238,70.00%") || !strings.Contains(string(table), ",全县上报,3330,3210,96.40%") {
		t.Errorf("the units' table does not add up its lines, or lacks the county's own report:\n%s", table)
	}
}

// TestExportMatchesRank checks that the 通报 workbook ranks exactly as
// `rank --format json` does for the same arguments.
func TestExportMatchesRank(t *testing.T) {
	cfg := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
	t.Chdir(t.TempDir())
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := followrank(t, "import", fixture("anhui-cities-2024-05.xlsx"), fixture("安徽各市关注情况-2024年6月.csv")); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	args := []string{"--level", "city", "--within", "安徽省", "--date", "2024-06-30", "--compare", "2024-05-31"}
	out, err := followrank(t, append([]string{"rank", "--format", "json"}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	var rows []cityRank
	json.Unmarshal([]byte(out), &rows)
	if _, err := followrank(t, append([]string{"export", "--format", "xlsx", "-o", "t.xlsx"}, args...)...); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile("t.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	for i, r := range rows {
		rank, _ := f.GetCellValue(sheet, fmt.Sprintf("A%d", i+5))
		prev, _ := f.GetCellValue(sheet, fmt.Sprintf("F%d", i+5))
		if rank != fmt.Sprint(*r.Rank) || prev != fmt.Sprint(*r.PrevRank) {
			t.Errorf("row %d: workbook ranks %s (上期 %s), rank --format json %d (prev %d)", i+1, rank, prev, *r.Rank, *r.PrevRank)
		}
	}
	if out, err := followrank(t, "report", "--level", "city", "--date", "2024-06-30", "--compare", "2024-05-31", "--focus", "亳州市"); err != nil ||
		!strings.Contains(out, "亳州市关注率95.00%，居全省第1位，较上月上升15位。") {
		t.Errorf("report: %v\n%s", err, out)
	}
	// What cannot be true is refused: a comparison after the date, a date before any figures.
	if out, err := followrank(t, "report", "--level", "city", "--date", "2024-05-31", "--compare", "2024-06-30"); err == nil || !strings.Contains(err.Error(), "不早于统计日期") {
		t.Errorf("report with --compare after --date: %v\n%s", err, out)
	}
	if out, err := followrank(t, "report", "--level", "city", "--date", "2020-06-30"); err == nil || !strings.Contains(err.Error(), "均无数据") {
		t.Errorf("report before any figures: %v\n%s", err, out)
	}
	// The whole 通报 as Word.
	if out, err := followrank(t, append([]string{"tongbao", "--focus", "亳州市", "-o", "通报.docx"}, args...)...); err != nil || !strings.Contains(out, "已写入 通报.docx：关于2024年6月安徽省各市关注") {
		t.Errorf("tongbao: %v\n%s", err, out)
	}
	if out, err := followrank(t, "tongbao", "-o", "x.txt"); err == nil || !strings.Contains(err.Error(), "-o 文件.docx") {
		t.Errorf("tongbao -o x.txt: %v\n%s", err, out)
	}
}

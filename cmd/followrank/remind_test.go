package main

import (
	"bytes"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"followrank/remind"
)

// TestRemindOnTheDemo runs `followrank remind` on the demo figures in
// ClickHouse, with targets in the config: 蒙城县's 18 units, all of which
// report every month to June 2024 and none after.
func TestRemindOnTheDemo(t *testing.T) {
	useTestDatabase(t)
	config := "targets:\n  - scope: 安徽省\n    rate: 90%\n  - scope: \"341622\"\n    rate: 0.95\nremind:\n  due_day: 10\n"
	if err := os.WriteFile("followrank.yaml", []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := followrank(t, "demo"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}

	// June: every unit reported; the list is of targets and falls. The
	// level is the units', as 蒙城县 is a county.
	june, err := followrank(t, "remind", "--within", "蒙城县", "--date", "2024-06-30")
	if err != nil {
		t.Fatalf("remind: %v\n%s", err, june)
	}
	t.Logf("remind --within 蒙城县 --date 2024-06-30:\n%s", june)
	for _, want := range []string{
		"蒙城县各单位催报清单（截至2024年6月30日）",
		"对比日期：2024年5月31日　省定目标：95%　报送截止：2024年7月10日", // 蒙城县's own target, not 安徽省's
		"共18个单位", "\n未报送：无\n", "\n数据过期：无\n", "\n未达标（", "可达95%", "低于省定目标95%，还需关注", "请抓紧推进。",
	} {
		if !strings.Contains(june, want) {
			t.Errorf("remind (June) lacks %q", want)
		}
	}

	// July: nobody has reported; each is asked to by the 10th of August.
	// Against a target of 50% one unit is below it, on its June figures.
	july, err := followrank(t, "remind", "--within", "蒙城县", "--date", "2024-07-31", "--target", "0.5")
	if err != nil {
		t.Fatalf("remind: %v\n%s", err, july)
	}
	for _, want := range []string{"\n未报送（18个）\n", "上次报送为2024年6月30日", "尚未报送7月关注数据（上次报送为2024年6月30日），请于8月10日前报送。", "省定目标：50%", "\n未达标（1个）\n  板桥集镇",
		"板桥集镇：截至2024年7月31日，你单位尚未报送7月关注数据（上次报送为2024年6月30日）；按上次报送数据，关注率为45.11%，低于省定目标50%，还需关注7人，请于8月10日前报送，并抓紧推进。"} {
		if !strings.Contains(july, want) {
			t.Errorf("remind (July, --target 0.5) lacks %q:\n%s", want, july)
		}
	}

	// 亳州市's counties, the province's target, as CSV and XLSX.
	out, err := followrank(t, "remind", "--within", "亳州市", "--date", "2024-06-30", "-o", "remind.csv")
	if err != nil || !strings.Contains(out, "已写入 remind.csv：截至2024年6月30日，4个县（市、区）中需催报") {
		t.Fatalf("remind -o remind.csv: %v\n%s", err, out)
	}
	csv, _ := os.ReadFile("remind.csv")
	if !bytes.HasPrefix(csv, []byte("\uFEFF序号,单位代码,单位,")) || !bytes.Contains(csv, []byte(",90%,67,2024-06-30,未达标,利辛县：截至2024年6月30日，你单位关注率为83.14%，低于省定目标90%，还需关注67人，请抓紧推进。")) {
		t.Errorf("remind.csv:\n%s", csv)
	}
	if out, err := followrank(t, "remind", "--within", "蒙城县", "--date", "2024-06-30", "--format", "xlsx", "-o", "remind.xlsx"); err != nil {
		t.Fatalf("remind -o remind.xlsx: %v\n%s", err, out)
	}
	f, err := excelize.OpenFile("remind.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{remind.SheetFindings, remind.SheetReminders}) {
		t.Errorf("sheets %v", got)
	}
	if title, _ := f.GetCellValue(remind.SheetReminders, "A2"); strings.ReplaceAll(title, "\n", "") != "蒙城县各单位催报清单（截至2024年6月30日）" {
		t.Errorf("title %q", title)
	}

	// The 通报's text counts the units that reach their targets: 蒙城县
	// its own 95%, the others the province's 90%.
	text, err := followrank(t, "report", "--within", "亳州市", "--date", "2024-06-30")
	if err != nil || !strings.Contains(text, "对照省定目标，达标单位1个，未达标单位3个。") {
		t.Errorf("report with a target: %v\n%s", err, text)
	}

	// The ranking chart draws the scope's target unless --target says another.
	for target, want := range map[string]string{"": "目标 90.00%", "0.8": "目标 80.00%", "85%": "目标 85.00%", "７５％": "目标 75.00%"} {
		args := []string{"chart", "ranking", "--within", "亳州市", "--date", "2024-06-30", "-o", "ranking.html"}
		if target != "" {
			args = append(args, "--target", target)
		}
		if out, err := followrank(t, args...); err != nil {
			t.Fatalf("chart ranking: %v\n%s", err, out)
		}
		if page, _ := os.ReadFile("ranking.html"); !bytes.Contains(page, []byte(want)) {
			t.Errorf("chart ranking --target %q: the page has no line %q", target, want)
		}
	}

	// A target's scope the tree does not know is a mistake in the config.
	if err := os.WriteFile("followrank.yaml", []byte("targets:\n  - scope: 蒙成县\n    rate: 0.9\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = followrank(t, "remind", "--within", "蒙城县")
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), "targets[0].scope：未知单位“蒙成县”") {
		t.Errorf("remind with an unknown target scope: %v, want exit status 2 naming targets[0].scope", err)
	}
}

// TestRemindMistakes: mistakes in remind's options exit with status 2
// before anything is read.
func TestRemindMistakes(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"remind", "--target", "1.5"}, "--target 的值 1.5 不对"},
		{[]string{"remind", "--target", "-0.9"}, "应大于0且不超过1"},
		{[]string{"remind", "--target", "150%"}, "--target 的值 1.5 不对，应大于0且不超过1（100%），如 90% 或 0.9"},
		{[]string{"remind", "--target", "九成"}, "--target 的值“九成”不对：不是比率，应写作 0.9 或 90%"},
		{[]string{"remind", "--format", "docx"}, "text、csv 或 xlsx"},
		{[]string{"remind", "--format", "xlsx"}, "-o 文件.xlsx"},
	} {
		_, err := followrank(t, tt.args...)
		var ee *exitError
		if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: %v, want exit status 2 saying %q", tt.args, err, tt.want)
		}
	}
}

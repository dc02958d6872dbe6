package main

import (
	"bytes"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"followrank/catalog"
	"followrank/internal/golden"
	"followrank/units"
)

// locales are a Chinese and an English user's.
var locales = map[catalog.Lang]string{catalog.Chinese: "zh_CN.UTF-8", catalog.English: "en_US.UTF-8"}

func TestHelpInTheLocaleLanguage(t *testing.T) {
	tests := []struct {
		lang catalog.Lang
		want []string
	}{
		{catalog.Chinese, []string{"用法：followrank [--config 文件] 命令 [选项]", "  rank     显示截至某日的排名\n", "  tongbao  生成完整的通报"}},
		{catalog.English, []string{"usage: followrank [--config FILE] COMMAND [options]", "  rank     print the ranking as of a date\n"}},
	}
	testdata, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			t.Chdir(t.TempDir()) // no stray followrank.yaml
			t.Setenv("LANG", locales[tt.lang])
			_, help, err := followrankLogs(t, "--help")
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.want {
				if !strings.Contains(help, want) {
					t.Errorf("--help lacks %q:\n%s", want, help)
				}
			}
			if out, _, err := followrankLogs(t, "help"); err != nil || out != help {
				t.Errorf("`followrank help` (%v) differs from --help:\n%s", err, out)
			}
			golden.Check(t, filepath.Join(testdata, "help."+string(tt.lang)+".txt"), []byte(help))
		})
	}
}

// TestHelpOfEveryCommandInBothLanguages: each command's synopsis,
// description and every option's text are in the user's language; only
// the flags' names stay as they are.
func TestHelpOfEveryCommandInBothLanguages(t *testing.T) {
	t.Chdir(t.TempDir())
	var names []string
	for _, c := range commands() {
		if c.name != "chart" {
			names = append(names, c.name)
		}
	}
	for kind := range chartDesc {
		names = append(names, "chart "+kind)
	}
	for _, name := range names {
		for lang, locale := range locales {
			t.Setenv("LANG", locale)
			_, help, err := followrankLogs(t, append(strings.Fields(name), "--help")...)
			if err != nil {
				t.Fatalf("%s --help (%s): %v", name, lang, err)
			}
			if strings.Contains(help, "cli.") {
				t.Errorf("%s --help (%s) shows a message code:\n%s", name, lang, help)
			}
			head := map[catalog.Lang]string{catalog.Chinese: "用法：followrank " + name, catalog.English: "usage: followrank " + name}[lang]
			if !strings.HasPrefix(help, head) {
				t.Errorf("%s --help (%s) does not begin %q:\n%s", name, lang, head, help)
			}
			if lang != catalog.Chinese {
				continue
			}
			for i, line := range strings.Split(help, "\n") {
				// The description (the third line) and each option's text,
				// without its default.
				text, _, _ := strings.Cut(line, "（默认 ")
				if (i == 2 || strings.HasPrefix(line, "    \t")) && !hasHan(text) {
					t.Errorf("%s --help (zh): %q is not in Chinese", name, line)
				}
			}
		}
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// TestFlagsInEnglishAreLaidOutAsPrintDefaults: printFlags's English is the
// flag package's own, for every kind of flag the commands use.
func TestFlagsInEnglishAreLaidOutAsPrintDefaults(t *testing.T) {
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	fs.String("level", "county", "level to rank")
	fs.String("within", "", "scope")
	fs.String("o", "", "file to write (required)")
	fs.Bool("animation", true, "animate the charts")
	fs.Bool("dry-run", false, "store nothing")
	fs.Bool("x", false, "one letter")
	fs.Int("limit", 20, "how many")
	fs.Float64("target", 0, "target rate")
	fs.Float64("ratio", 0.5, "a ratio\non two lines")
	var d, since dateFlag
	d.t, _ = parseFlagDate("2024-06-30")
	fs.Var(&d, "date", "as-of date")
	fs.Var(&since, "since", "a `day`")
	var want, got bytes.Buffer
	fs.SetOutput(&want)
	fs.PrintDefaults()
	printFlags(&got, fs, catalog.New(catalog.English))
	if got.String() != want.String() {
		t.Errorf("printFlags:\n%s\nPrintDefaults:\n%s", got.String(), want.String())
	}
}

// TestUsageErrorsInTheLocaleLanguage: a mistake in the command line is one
// line in the user's language that names the flag and the value, with exit
// status 2; in English it is what it always was.
func TestUsageErrorsInTheLocaleLanguage(t *testing.T) {
	t.Chdir(t.TempDir())
	tests := []struct {
		args []string
		zh   []string // what the Chinese says
		en   string   // the English, whole
	}{
		{[]string{"rank", "--date", "yesterday"}, []string{"rank：", "--date", "“yesterday”", "不是日期", "followrank rank --help"},
			`rank: invalid value "yesterday" for flag -date: not a date like 2024-06-30, 2024年6月30日 or 2024-06 (see followrank rank --help)`},
		{[]string{"rank", "--date", "2024-02-30"}, []string{"--date", "“2024-02-30”", "日历上没有这一天"},
			`rank: invalid value "2024-02-30" for flag -date: not a day of the calendar (see followrank rank --help)`},
		{[]string{"rank", "--date"}, []string{"--date 后面要写一个值"},
			`rank: flag needs an argument: -date (see followrank rank --help)`},
		{[]string{"rank", "--limit", "5"}, []string{"没有 --limit 这个选项"},
			`rank: flag provided but not defined: -limit (see followrank rank --help)`},
		{[]string{"runs", "--limit", "ten"}, []string{"--limit", "“ten”", "不是整数"},
			`runs: invalid value "ten" for flag -limit: parse error (see followrank runs --help)`},
		{[]string{"chart", "ranking", "--target", "九成", "-o", "x.html"}, []string{"chart ranking：", "--target", "“九成”", "不是比率，应写作 0.9 或 90%"},
			`chart ranking: invalid value "九成" for flag -target: not a rate like 0.9 or 90% (see followrank chart ranking --help)`},
		{[]string{"chart", "ranking", "--animation=maybe"}, []string{"--animation", "“maybe”", "true 或 false"},
			`chart ranking: invalid boolean value "maybe" for -animation: parse error (see followrank chart ranking --help)`},
		{[]string{"rank", "---x"}, []string{"选项的写法不对：---x"},
			`rank: bad flag syntax: ---x (see followrank rank --help)`},
		{[]string{"--bogus", "rank"}, []string{"没有 --bogus 这个选项", "followrank --help"},
			`flag provided but not defined: -bogus (see followrank --help)`},
		{[]string{"frobnicate"}, []string{"没有“frobnicate”这个命令", "followrank help"},
			`unknown command "frobnicate"; run 'followrank help'`},
		{[]string{"--lang", "fr", "rank"}, []string{"--lang", "“fr”", "zh（中文）或 en"},
			`--lang: "fr" is not a language followrank speaks: zh (中文) or en`},
		{[]string{"rank", "--level", "galaxy"}, []string{"--level", "“galaxy”", "county（县区）"},
			`--level: level "galaxy" is not country, province, city, county or unit`},
		{[]string{"rank", "--format", "yaml"}, []string{"--format", "“yaml”", "table、csv 或 json"},
			`--format "yaml" is not table, csv or json`},
		{[]string{"climb"}, []string{"请用 --unit 指定单位"},
			`--unit is required, e.g. --unit 蒙城县`},
		{[]string{"climb", "--unit", "蒙城县", "--every", "day"}, []string{"--every", "“day”", "month 或 week"},
			`--every "day" is not month or week`},
		{[]string{"export", "--level", "county"}, []string{"export：", "-o 文件"},
			`export: -o FILE is required`},
		{[]string{"export", "-o", "x.csv", "--all-levels"}, []string{"--all-levels", "--format xlsx"},
			`--all-levels writes one sheet per level, which needs --format xlsx`},
		{[]string{"tongbao", "-o", "x.txt"}, []string{"-o 文件.docx", "-o 文件.pdf"},
			`-o FILE.docx or -o FILE.pdf is required (or --format docx|pdf)`},
		{[]string{"chart"}, []string{"请写图表类型", "dashboard（看板）"},
			`chart: name the kind of chart: ranking, climb, trend, map, account or dashboard`},
		{[]string{"chart", "map"}, []string{"chart map：", "-o 文件.html"},
			`chart map: -o FILE.html is required`},
		{[]string{"import"}, []string{"import：", "报表文件"},
			`import: name at least one figure sheet (CSV or XLSX)`},
		{[]string{"units", "remove"}, []string{"用法：followrank units list"},
			`usage: followrank units list [--within X] | followrank units import FILE`},
	}
	for _, tt := range tests {
		for lang, locale := range locales {
			t.Setenv("LANG", locale)
			_, _, err := followrankLogs(t, tt.args...)
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 {
				t.Errorf("%v (%s): err = %v, want exit status 2", tt.args, lang, err)
				continue
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("%v (%s): %q is not one line", tt.args, lang, msg)
			}
			if lang == catalog.English {
				if msg != tt.en {
					t.Errorf("%v (en):\n got %s\nwant %s", tt.args, msg, tt.en)
				}
				continue
			}
			for _, want := range tt.zh {
				if !strings.Contains(msg, want) {
					t.Errorf("%v (zh): %q lacks %q", tt.args, msg, want)
				}
			}
		}
	}
}

// TestUnitMistakesInBothLanguages: a flag naming no unit is said in the
// user's language; the English is the units package's own after the flag.
func TestUnitMistakesInBothLanguages(t *testing.T) {
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	anhui, _ := tree.Find("安徽省", "")
	find := func(name, within string) error {
		_, err := tree.Find(name, within)
		if err == nil {
			t.Fatalf("%s within %q found", name, within)
		}
		return err
	}
	tests := []struct {
		name string
		err  error
		zh   []string
	}{
		{"unknown, with the closest", find("蒙成县", ""), []string{"--within：未知单位“蒙成县”", "相近的有：", "蒙城县"}},
		{"unknown within a scope", find("蒙成县", anhui.Code), []string{"--within：安徽省范围内没有单位“蒙成县”", "蒙城县"}},
		{"ambiguous", find("黄山", anhui.Code), []string{"“黄山”有重名", "黄山市（341000）", "--within 缩小范围"}},
		{"outside", find("110000", anhui.Code), []string{"北京市（110000）不属于安徽省"}},
	}
	for _, tt := range tests {
		if got, want := unitWords(catalog.New(catalog.English), "--within", tt.err), "--within: "+tt.err.Error(); got != want {
			t.Errorf("%s (en):\n got %s\nwant %s", tt.name, got, want)
		}
		got := unitWords(catalog.New(catalog.Chinese), "--within", tt.err)
		for _, want := range tt.zh {
			if !strings.Contains(got, want) {
				t.Errorf("%s (zh): %q lacks %q", tt.name, got, want)
			}
		}
	}
}

// TestClickHouseUnreachableInBothLanguages: one line naming the address,
// in the user's language, with the driver's reason.
func TestClickHouseUnreachableInBothLanguages(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", "clickhouse://127.0.0.1:1/followrank")
	for lang, want := range map[catalog.Lang]string{catalog.Chinese: "连接不上 ClickHouse clickhouse://127.0.0.1:1/followrank", catalog.English: "cannot reach ClickHouse at clickhouse://127.0.0.1:1/followrank: "} {
		t.Setenv("LANG", locales[lang])
		for _, args := range [][]string{{"migrate"}, {"rank"}} {
			_, err := followrank(t, args...)
			if err == nil || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "refused") {
				t.Errorf("%v (%s): %v; want one line with %q and the reason", args, lang, err, want)
			}
		}
	}
}

package push

import (
	"encoding/json"
	"fmt"
	"followrank/internal/golden"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

var july = time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC)

// summaries are the golden cases: a province's sixteen cities with every
// line, a city's four counties with the least, and one without a link
// or a climber.
var summaries = map[string]Summary{
	"anhui": {
		Scope: "安徽省", Date: july, Rate: 0.853, Ranked: 16,
		Top: []Entry{
			{Name: "亳州市", Rate: 0.9612, Rank: 1},
			{Name: "宣城市", Rate: 0.9433, Rank: 2},
			{Name: "黄山市", Rate: 0.9301, Rank: 3},
		},
		Bottom: []Entry{
			{Name: "淮南市", Rate: 0.7120, Rank: 14},
			{Name: "宿州市", Rate: 0.6905, Rank: 15},
			{Name: "阜阳市", Rate: 0.6021, Rank: 16},
		},
		Climber:    &Entry{Name: "亳州市", Rate: 0.9612, Rank: 1, Change: 5},
		Unreported: 3, Target: 0.9, Below: 9,
		Link: "https://followrank.example.cn/rank?within=340000&date=2024-07-31",
	},
	"bozhou": {
		Scope: "亳州市", Date: july, Rate: 0.8817, Ranked: 4,
		Top:     []Entry{{Name: "蒙城县", Rate: 0.961, Rank: 1}, {Name: "谯城区", Rate: 0.932, Rank: 2}},
		Bottom:  []Entry{{Name: "涡阳县", Rate: 0.8012, Rank: 3}, {Name: "利辛县", Rate: 0.7455, Rank: 4}},
		Climber: &Entry{Name: "蒙城县", Rate: 0.961, Rank: 1, Change: 2},
		Link:    "https://followrank.example.cn/rank?within=341600&date=2024-07-31",
	},
	"no-link": {
		Scope: "蒙城县", Date: july, Rate: 0.75,
		Top:        []Entry{{Name: "县委老干部局", Rate: 1, Rank: 1}, {Name: "县教育局", Rate: 0.98, Rank: 2}, {Name: "县卫健委", Rate: 0.97, Rank: 3}},
		Bottom:     []Entry{{Name: "县供销社", Rate: 0.41, Rank: 40}, {Name: "县粮食局", Rate: 0.40, Rank: 41}, {Name: "县农机站", Rate: 0.35, Rank: 42}},
		Climber:    &Entry{Name: "县教育局", Rank: 2, Change: 0}, // 持平: not the biggest climber of anything
		Unreported: 1,
	},
}

// dingTalkMessage is the title and text of the body DingTalk is sent.
func dingTalkMessage(t *testing.T, s Summary) (title, text string, size int) {
	t.Helper()
	body := dingTalkBody(s)
	var m struct {
		Markdown struct{ Title, Text string }
	}
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m.Markdown.Title, m.Markdown.Text, len(body)
}

func TestMarkdownGolden(t *testing.T) {
	for name, s := range summaries {
		t.Run(name, func(t *testing.T) {
			golden.Check(t, filepath.Join("testdata", name+".wecom.md"), []byte(Markdown(s, WeComLimit)))
			title, text, _ := dingTalkMessage(t, s)
			if title != s.Title() {
				t.Errorf("DingTalk title %q, want %q", title, s.Title())
			}
			golden.Check(t, filepath.Join("testdata", name+".dingtalk.md"), []byte(text))
		})
	}
}

func TestTitleSaysScopeAndDate(t *testing.T) {
	if got, want := summaries["bozhou"].Title(), "亳州市关注率通报（截至2024年7月31日）"; got != want {
		t.Errorf("Title = %q, want %q", got, want)
	}
}

// long is a summary whose lists run to n units each, with long names.
func long(n int) Summary {
	s := summaries["anhui"]
	s.Top, s.Bottom = nil, nil
	for i := 1; i <= n; i++ {
		s.Top = append(s.Top, Entry{Name: fmt.Sprintf("第%d个名字很长的离退休干部工作单位", i), Rate: 0.99, Rank: i})
		s.Bottom = append(s.Bottom, Entry{Name: fmt.Sprintf("倒数第%d个名字很长的离退休干部工作单位", i), Rate: 0.3, Rank: 2*n - i + 1})
	}
	s.Ranked = 2 * n
	return s
}

var omitted = regexp.MustCompile(`另有 (\d+) 个单位从略`)

// shown counts the entry lines of a message (第N … or 倒数第N …).
func shown(text string) int {
	n := 0
	for _, line := range strings.Split(text, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "第") || strings.HasPrefix(strings.TrimSpace(line), "倒数第") {
			n++
		}
	}
	return n
}

func TestMarkdownCutToLimit(t *testing.T) {
	cases := []struct {
		name        string
		s           Summary
		max         int
		note        bool // says how many units were left out
		title, link bool // the whole title and the link remain
		climberKept bool
	}{
		{"fits whole", summaries["anhui"], WeComLimit, false, true, true, true},
		{"WeCom's limit, 400 units a list", long(400), WeComLimit, true, true, true, true},
		{"a thousand bytes", long(400), 1000, true, true, true, true},
		{"room for the title and the link only", long(10), 150, false, true, true, false},
		{"room for less than the title", long(10), 30, false, false, false, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Markdown(c.s, c.max)
			if len(got) > c.max {
				t.Fatalf("%d bytes, more than %d:\n%s", len(got), c.max, got)
			}
			if !utf8.ValidString(got) {
				t.Errorf("cut inside a character: %q", got)
			}
			if has := strings.HasPrefix(got, "**"+c.s.Title()+"**"); has != c.title {
				t.Errorf("whole title kept = %t, want %t:\n%s", has, c.title, got)
			}
			if has := strings.HasSuffix(got, "[查看详情]("+c.s.Link+")"); has != c.link {
				t.Errorf("link kept = %t, want %t:\n%s", has, c.link, got)
			}
			if has := strings.Contains(got, "进步最大："); has != c.climberKept {
				t.Errorf("climber kept = %t, want %t:\n%s", has, c.climberKept, got)
			}
			m := omitted.FindStringSubmatch(got)
			if (m != nil) != c.note {
				t.Errorf("note of units left out: %v, want it %t:\n%s", m, c.note, got)
			}
			if m != nil {
				n, _ := strconv.Atoi(m[1])
				if all := len(c.s.Top) + len(c.s.Bottom); n+shown(got) != all {
					t.Errorf("%d units shown and %d said left out, of %d", shown(got), n, all)
				}
			}
		})
	}
}

// WeCom's limit is in bytes of UTF-8: a message of fewer than 4096
// characters but more than 4096 bytes is cut too.
func TestWeComLimitCountsBytes(t *testing.T) {
	s := long(30)
	full := Markdown(s, 0)
	if utf8.RuneCountInString(full) > WeComLimit || len(full) <= WeComLimit {
		t.Fatalf("the case needs a text of at most %d characters and more than %d bytes: %d characters, %d bytes",
			WeComLimit, WeComLimit, utf8.RuneCountInString(full), len(full))
	}
	if got := Markdown(s, WeComLimit); len(got) > WeComLimit || got == full {
		t.Errorf("not cut to %d bytes: %d bytes", WeComLimit, len(got))
	}
}

// DingTalk's limit is on the whole body: title, text, JSON and all.
func TestDingTalkBodyWithinLimit(t *testing.T) {
	for _, n := range []int{3, 100, 1000} {
		s := long(n)
		_, text, size := dingTalkMessage(t, s)
		if size > DingTalkLimit {
			t.Errorf("%d units a list: body of %d bytes, more than %d", n, size, DingTalkLimit)
		}
		if !strings.HasSuffix(text, "[查看详情]("+s.Link+")") || !strings.HasPrefix(text, "**"+s.Title()+"**") {
			t.Errorf("%d units a list: title or link lost:\n%s", n, text)
		}
	}
}

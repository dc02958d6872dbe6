package push

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"followrank/wording"
)

// Summary is what a push says of a scope's ranking on a date, as plain
// data: whoever computes the ranking fills it in, and push only words it.
type Summary struct {
	Scope string    // the scope ranked within, e.g. 亳州市
	Date  time.Time // the ranking's date (截至)
	Rate  float64   // the scope's own rate, 合计关注率
	// Ranked is how many units took part in the ranking, so that the
	// bottom can be worded 倒数第N; 0 words every rank from the top.
	Ranked int
	Top    []Entry // the first units, best first (前三名)
	Bottom []Entry // the last units, as the ranking lists them (后三名)
	// Climber is the unit that gained the most places since the last
	// ranking (进步最大); nil, or a Change of 0 or less, for none.
	Climber    *Entry
	Unreported int     // units that reported nothing (未报送)
	Target     float64 // the rate units are expected to reach; 0 for none
	Below      int     // units below Target (未达标), read only when Target is set
	Link       string  // the ranking's page; empty for none
}

// Entry is one unit as a summary names it.
type Entry struct {
	Name   string
	Rate   float64
	Rank   int // its place in the ranking; 0 when unranked
	Change int // places gained since the last ranking (进步); negative for lost
}

// Title is the summary's headline: 亳州市关注率通报（截至2024年7月31日）.
func (s Summary) Title() string {
	return fmt.Sprintf("%s关注率通报（截至%s）", s.Scope, wording.Date(s.Date))
}

// numerals are the Chinese numerals a heading counts with: 前三名.
var numerals = []string{"零", "一", "两", "三", "四", "五", "六", "七", "八", "九", "十"}

func count(n int) string {
	if n >= 0 && n < len(numerals) {
		return numerals[n]
	}
	return fmt.Sprint(n)
}

// layout is how much of a summary a message shows: the lengths of the
// lists, and which of the droppable lines remain.
type layout struct {
	top, bottom               int
	rate, climber, unreported bool
	note                      bool // say how many units were left out
	title                     string
	link                      bool
}

// render writes s in the layout l, its lines joined by sep.
func render(s Summary, l layout, sep string) string {
	var lines []string
	if l.title != "" {
		lines = append(lines, "**"+l.title+"**")
	}
	if l.rate {
		line := "合计关注率：" + wording.Percent(s.Rate)
		if s.Target > 0 {
			line += fmt.Sprintf("（目标 %s，未达标单位 %d 个）", wording.Target(s.Target), s.Below)
		}
		lines = append(lines, line)
	}
	if l.top > 0 {
		lines = append(lines, "前"+count(len(s.Top))+"名：")
		for _, e := range s.Top[:l.top] {
			lines = append(lines, entryLine(e, wording.Ordinal(e.Rank)))
		}
	}
	if l.bottom > 0 {
		lines = append(lines, "后"+count(len(s.Bottom))+"名：")
		for _, e := range s.Bottom[:l.bottom] {
			place := wording.Ordinal(e.Rank)
			if s.Ranked > 0 && e.Rank > 0 {
				place = wording.Place(e.Rank, s.Ranked)
			}
			lines = append(lines, entryLine(e, place))
		}
	}
	if dropped := len(s.Top) - l.top + len(s.Bottom) - l.bottom; dropped > 0 && l.note {
		lines = append(lines, fmt.Sprintf("（限于篇幅，另有 %d 个单位从略，详见页面）", dropped))
	}
	if l.climber {
		c := s.Climber
		line := fmt.Sprintf("进步最大：%s %s 位", c.Name, wording.Change(c.Change))
		if c.Rank > 0 {
			line += fmt.Sprintf("（%s，%s）", wording.Ordinal(c.Rank), wording.Percent(c.Rate))
		}
		lines = append(lines, line)
	}
	if l.unreported {
		if s.Unreported > 0 {
			lines = append(lines, fmt.Sprintf("未报送：%d 个单位", s.Unreported))
		} else {
			lines = append(lines, "未报送：无")
		}
	}
	if l.link {
		lines = append(lines, "[查看详情]("+s.Link+")")
	}
	return strings.Join(lines, sep)
}

func entryLine(e Entry, place string) string {
	if e.Rank == 0 {
		return fmt.Sprintf("%s %s", e.Name, wording.Percent(e.Rate))
	}
	return fmt.Sprintf("%s %s %s", place, e.Name, wording.Percent(e.Rate))
}

// fit writes s with its lines joined by sep, as much of it as fits says
// fits. What gives way first is the lists, from their ends (the longer
// list first, the bottom on a tie), then the climber, the 未报送 line, the
// rate and the note of what was left out. The title and the link stay
// while they fit on their own; for a limit too small even for them, the
// link goes, then the title's end.
func fit(s Summary, sep string, fits func(string) bool) string {
	l := layout{
		top: len(s.Top), bottom: len(s.Bottom),
		rate: true, climber: s.Climber != nil && s.Climber.Change > 0, unreported: true, note: true,
		title: s.Title(), link: s.Link != "",
	}
	if fits == nil || fits(render(s, l, sep)) {
		return render(s, l, sep)
	}
	// Find the fewest list lines to drop by halving: from the first line
	// dropped on (which adds the note), each more makes the text shorter.
	after := func(k int) (top, bottom int) {
		top, bottom = len(s.Top), len(s.Bottom)
		for ; k > 0; k-- {
			if bottom > 0 && bottom >= top {
				bottom--
			} else {
				top--
			}
		}
		return top, bottom
	}
	lo, hi := 1, len(s.Top)+len(s.Bottom)
	for lo < hi {
		mid := (lo + hi) / 2
		m := l
		m.top, m.bottom = after(mid)
		if fits(render(s, m, sep)) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	l.top, l.bottom = after(hi)
	for {
		text := render(s, l, sep)
		if fits(text) {
			return text
		}
		switch {
		case l.bottom > 0 && l.bottom >= l.top:
			l.bottom--
		case l.top > 0:
			l.top--
		case l.climber:
			l.climber = false
		case l.unreported:
			l.unreported = false
		case l.rate:
			l.rate = false
		case l.note:
			l.note = false
		case l.link:
			l.link = false
		case l.title != "":
			_, size := utf8.DecodeLastRuneInString(l.title)
			l.title = l.title[:len(l.title)-size]
		default:
			return ""
		}
	}
}

// Markdown is s as a markdown message of at most max bytes of UTF-8 (no
// limit when max is 0), one line of the summary a line of the message.
// A summary too long for max loses list lines, then its other lines, but
// keeps its title and its link.
func Markdown(s Summary, max int) string {
	return fit(s, "\n", func(text string) bool { return max <= 0 || len(text) <= max })
}

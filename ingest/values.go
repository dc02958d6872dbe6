package ingest

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"
)

// field is a column a figure sheet may have.
type field int

const (
	fName field = iota
	fCode
	fMembers
	fFollowers
	fRate
	fDate
	fReads
	fShares
	fLikes
	fWow
	fComments
	fIgnored // 排名, 序号: present in sheets, not read
	nFields
)

// fieldNames are the names rejections use for fields.
var fieldNames = [nFields]string{"unit", "code", "members", "followers", "rate", "date", "reads", "shares", "likes", "wow", "comments", "ignored"}

func (f field) String() string { return fieldNames[f] }

// headerAliases maps normalised headings to fields: the headings offices
// write, in Chinese and English.
var headerAliases = aliases()

func aliases() map[string]field {
	m := map[string]field{}
	for f, names := range map[field][]string{
		fName:      {"单位", "单位名称", "地区", "地市", "市", "县", "区", "县(市、区)", "县(市,区)", "县市区", "县(市区)", "县区", "市(县、区)", "市县区", "name", "unit"},
		fCode:      {"单位代码", "区划代码", "行政区划代码", "代码", "code"},
		fMembers:   {"离退休干部数", "离退休干部人数", "离退休人数", "应关注人数", "总人数", "members"},
		fFollowers: {"关注人数", "已关注人数", "关注数", "已关注", "已关注数", "followers"},
		fRate:      {"关注率", "rate"},
		fDate:      {"日期", "统计日期", "截至日期", "截止日期", "date"},
		fReads:     {"阅读", "阅读量", "阅读数", "reads"},
		fShares:    {"分享", "转发", "分享数", "转发数", "分享转发", "shares"},
		fLikes:     {"点赞", "点赞数", "likes"},
		fWow:       {"在看", "在看数", "wow"},
		fComments:  {"留言", "评论", "留言数", "评论数", "comments"},
		fIgnored:   {"排名", "序号", "名次", "rank"},
	} {
		for _, n := range names {
			m[normHeading(n)] = f
		}
	}
	return m
}

var parenSuffix = regexp.MustCompile(`\([^()]*\)$`)

// normHeading folds full-width characters, drops white space (merged
// headings often hold line breaks) and lower-cases.
func normHeading(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return s
}

// headingField resolves a heading: exactly, or without a trailing unit in
// parentheses (离退休干部数(人), 关注率(%)).
func headingField(cell string) (field, bool) {
	h := normHeading(cell)
	if f, ok := headerAliases[h]; ok {
		return f, true
	}
	if base := parenSuffix.ReplaceAllString(h, ""); base != h {
		f, ok := headerAliases[base]
		return f, ok
	}
	return 0, false
}

// clean trims a cell and folds full-width digits and punctuation. Most
// cells have none, and skip the fold: it is the costliest step of a row.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if !hasWide(s) {
		return s
	}
	return strings.TrimSpace(width.Narrow.String(s))
}

// hasWide says s holds a full-width form or the ideographic space.
func hasWide(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			continue
		}
		for _, r := range s[i:] {
			if r == '\u3000' || (r >= 0xFF01 && r <= 0xFFEE) {
				return true
			}
		}
		return false
	}
	return false
}

// missing says a cell holds no value: empty, or a dash offices use for none.
func missing(s string) bool {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return false // the common case, a number
	}
	switch clean(s) {
	case "", "-", "—", "——", "/", "无":
		return true
	}
	return false
}

// parseCount reads a whole non-negative number written as 1234, 1,234,
// "1 234", 1234.0 or 1234人.
func parseCount(s string) (uint64, error) {
	if n, ok := plainCount(s); ok {
		return n, nil
	}
	c := clean(s)
	c = strings.TrimSuffix(c, "人")
	c = strings.Map(func(r rune) rune {
		if r == ',' || unicode.IsSpace(r) || r == '\u00a0' {
			return -1
		}
		return r
	}, c)
	v, err := strconv.ParseFloat(c, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, fmt.Errorf("%q is not a number", short(s))
	}
	if v < 0 {
		return 0, fmt.Errorf("%s is negative", c)
	}
	if v != math.Trunc(v) {
		return 0, fmt.Errorf("%s is not a whole number", c)
	}
	if v > 1e9 {
		return 0, fmt.Errorf("%s is implausibly large", c)
	}
	return uint64(v), nil
}

// plainCount reads the common case, plain digits, without allocating.
func plainCount(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, true
}

// parseRate reads a follow rate written as 0.853, 85.3 or "85.3%" and
// returns it as a fraction.
func parseRate(s string) (float64, error) {
	c := strings.ReplaceAll(clean(s), " ", "")
	pct := strings.HasSuffix(c, "%")
	c = strings.TrimSuffix(c, "%")
	v, err := strconv.ParseFloat(c, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, fmt.Errorf("%q is not a rate", short(s))
	}
	if pct || v > 1 {
		v /= 100
	}
	if v > 1 {
		return 0, fmt.Errorf("%q is over 100%%", short(s))
	}
	return v, nil
}

var (
	reFullDate  = regexp.MustCompile(`(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?`)
	reMonth     = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月`)
	reAsOf      = regexp.MustCompile(`(?:截至|截止|截止到|截至到|as\s*of)\s*[::]?\s*`)
	reCompact   = regexp.MustCompile(`(?:^|\D)(20\d{2})(\d{2})(\d{2})(?:\D|$)`)
	reFileMonth = regexp.MustCompile(`(?:^|\D)(20\d{2})[-_.](\d{1,2})(?:\D|$)`)
)

func mkDate(y, m, d string) (time.Time, bool) {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	if yi < 2000 || yi > 2100 || mi < 1 || mi > 12 || di < 1 || di > 31 {
		return time.Time{}, false
	}
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Day() != di {
		return time.Time{}, false // 2024-02-30
	}
	return t, true
}

func monthEnd(y, m string) (time.Time, bool) {
	t, ok := mkDate(y, m, "1")
	if !ok {
		return t, false
	}
	return t.AddDate(0, 1, -1), true
}

// dateInText finds the as-of date a title states: the date after 截至 if
// there is one, else the last full date, else the end of the last month
// named (2024年6月).
func dateInText(s string) (time.Time, bool) {
	s = width.Narrow.String(s)
	if loc := reAsOf.FindStringIndex(s); loc != nil {
		rest := s[loc[1]:]
		if m := reFullDate.FindStringSubmatchIndex(rest); m != nil && m[0] == 0 {
			return mkDate(rest[m[2]:m[3]], rest[m[4]:m[5]], rest[m[6]:m[7]])
		}
		if m := reMonth.FindStringSubmatchIndex(rest); m != nil && m[0] == 0 {
			return monthEnd(rest[m[2]:m[3]], rest[m[4]:m[5]])
		}
	}
	if all := reFullDate.FindAllStringSubmatch(s, -1); len(all) > 0 {
		m := all[len(all)-1]
		return mkDate(m[1], m[2], m[3])
	}
	if all := reMonth.FindAllStringSubmatch(s, -1); len(all) > 0 {
		m := all[len(all)-1]
		return monthEnd(m[1], m[2])
	}
	return time.Time{}, false
}

// dateInFileName finds a date in a file name: 2024年6月30日, 2024-06-30,
// 20240630, or a month (2024年6月, 2024-06) meaning its last day.
func dateInFileName(name string) (time.Time, bool) {
	if t, ok := dateInText(name); ok {
		return t, true
	}
	if m := reCompact.FindStringSubmatch(name); m != nil {
		return mkDate(m[1], m[2], m[3])
	}
	if m := reFileMonth.FindStringSubmatch(name); m != nil {
		return monthEnd(m[1], m[2])
	}
	return time.Time{}, false
}

// excelEpoch is day 0 of Excel's serial dates (with its 1900 leap-year bug).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date cell: a written date, or an Excel serial number.
func parseDate(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if t, ok := mkDate(s[:4], s[5:7], s[8:]); ok {
			return t, nil
		}
	}
	c := clean(s)
	if v, err := strconv.ParseFloat(c, 64); err == nil {
		if v >= 36526 && v < 73051 { // 2000-01-01 .. 2100-01-01
			return excelEpoch.AddDate(0, 0, int(v)), nil
		}
		if m := reCompact.FindStringSubmatch(c); m != nil {
			if t, ok := mkDate(m[1], m[2], m[3]); ok {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a date", short(s))
	}
	if t, ok := dateInText(c); ok {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is not a date like 2024-06-30", short(s))
}

// short cuts a cell for a message.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// totalNames mark rows that sum other rows; they are skipped, not stored.
var totalNames = []string{"合计", "总计", "小计", "全省", "全市", "全县", "全区", "总数", "汇总"}

func isTotal(name string) bool {
	if !strings.ContainsAny(name, "合总小全汇") {
		return false
	}
	n := normHeading(name)
	for _, t := range totalNames {
		if strings.Contains(n, t) {
			return true
		}
	}
	return false
}

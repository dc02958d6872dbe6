package sheet

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"
)

// Fold folds full-width characters, drops white space (merged
// headings often hold line breaks) and lower-cases.
func Fold(s string) string {
	s = width.Narrow.String(s)
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return unicode.ToLower(r)
	}, s)
	return s
}

// Clean trims a cell and folds full-width digits and punctuation. Most
// cells have none, and skip the fold: it is the costliest step of a row.
func Clean(s string) string {
	s = trimSpace(s)
	if !hasWide(s) {
		return s
	}
	return strings.TrimSpace(width.Narrow.String(s))
}

// trimSpace is strings.TrimSpace, which decodes the first and last runes
// of a cell that is not ASCII and looks them up in Unicode's tables: for a
// unit's name, most of what reading its row cost. A cell that starts and
// ends with neither an ASCII space nor a rune up to U+3000 (the last of
// Unicode's spaces) has nothing to trim.
func trimSpace(s string) string {
	if s == "" {
		return s
	}
	first, last := s[0], s[len(s)-1]
	// A first byte from 0xE4 starts a rune from U+4000 or is no UTF-8.
	if (first > ' ' && first < utf8.RuneSelf || first >= 0xE4) && (last > ' ' && last < utf8.RuneSelf || last >= utf8.RuneSelf && lastAbove3000(s)) {
		return s
	}
	return strings.TrimSpace(s)
}

// lastAbove3000 says the last rune of s, which ends in a byte that is not
// ASCII, is above U+3000 or no UTF-8; false when unsure. The first byte
// that is no continuation byte, going back, starts the last rune, and one
// from 0xE4 starts a rune from U+4000 or none.
func lastAbove3000(s string) bool {
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			return s[i] >= 0xE4
		}
	}
	return true // no rune starts in the last four bytes: no UTF-8
}

// hasWide says s holds a full-width form (U+FF01 to U+FFEE, which start
// with the byte 0xEF in UTF-8) or the ideographic space (E3 80 80).
func hasWide(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == 0xE3 || c == 0xEF {
			if r, _ := utf8.DecodeRuneInString(s[i:]); r == '\u3000' || r >= 0xFF01 && r <= 0xFFEE {
				return true
			}
		}
	}
	return false
}

// Missing says a cell holds no value: empty, or a dash offices use for none.
func Missing(s string) bool {
	if s != "" && s[0] >= '0' && s[0] <= '9' {
		return false // the common case, a number
	}
	switch Clean(s) {
	case "", "-", "—", "——", "/", "无":
		return true
	}
	return false
}

// Count reads a whole non-negative number written as 1234, 1,234,
// "1 234", 1234.0 or 1234人: decimal digits with thousands separators and
// at most a fraction of zeros. Exponents, hexadecimal and the like (0x1p4,
// 1e-400) are not counts.
func Count(s string) (uint64, error) {
	if n, ok := plainCount(s); ok {
		return n, nil
	}
	c := Clean(s)
	c = strings.TrimSuffix(c, "人")
	c = strings.Map(func(r rune) rune {
		if r == ',' || unicode.IsSpace(r) || r == '\u00a0' {
			return -1
		}
		return r
	}, c)
	m := reCount.FindStringSubmatch(c)
	if m == nil {
		return 0, &ValueError{NotNumber, Short(s)}
	}
	if m[1] == "-" {
		if strings.Trim(m[2]+m[3], "0.") == "" {
			return 0, nil // -0
		}
		return 0, &ValueError{Negative, c}
	}
	if strings.Trim(m[3], "0.") != "" {
		return 0, &ValueError{NotWhole, c}
	}
	digits := strings.TrimLeft(m[2], "0")
	if len(digits) > 10 {
		return 0, &ValueError{TooLarge, c}
	}
	v, err := strconv.ParseUint("0"+digits, 10, 64)
	if err != nil || v > 1e9 {
		return 0, &ValueError{TooLarge, c}
	}
	return v, nil
}

// reCount is a count once separators are dropped: a sign, digits, and a
// fraction.
var reCount = regexp.MustCompile(`^([+-]?)([0-9]+)(\.[0-9]*)?$`)

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

// Rate reads a follow rate written as 0.853, 85.3 or "85.3%" and
// returns it as a fraction.
func Rate(s string) (float64, error) {
	c := strings.ReplaceAll(Clean(s), " ", "")
	pct := strings.HasSuffix(c, "%")
	c = strings.TrimSuffix(c, "%")
	v, err := strconv.ParseFloat(c, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, &ValueError{NotRate, Short(s)}
	}
	if pct || v > 1 {
		v /= 100
	}
	if v > 1 {
		return 0, &ValueError{OverHundred, Short(s)}
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

// DateInText finds the as-of date a title states: the date after 截至 if
// there is one, else the last full date, else the end of the last month
// named (2024年6月).
func DateInText(s string) (time.Time, bool) {
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

// DateInFileName finds a date in a file name: 2024年6月30日, 2024-06-30,
// 20240630, or a month (2024年6月, 2024-06) meaning its last day.
func DateInFileName(name string) (time.Time, bool) {
	if t, ok := DateInText(name); ok {
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

// Date reads a date cell: a date and nothing else, written 2024-06-30,
// 2024/6/30, 2024.6.30, 2024年6月30日 or 20240630, or a month (2024-06,
// 2024年6月) meaning its last day, or an Excel serial number. Text around a
// date (2024-06-3O, 12024-06-30, 2024-06-301) makes it no date.
func Date(s string) (time.Time, error) {
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if t, ok := mkDate(s[:4], s[5:7], s[8:]); ok {
			return t, nil
		}
	}
	c := strings.TrimSpace(width.Narrow.String(Clean(s)))
	if reSerial.MatchString(c) {
		v, _ := strconv.ParseFloat(c, 64)
		if v >= 36526 && v < 73051 { // 2000-01-01 .. 2100-01-01
			return excelEpoch.AddDate(0, 0, int(v)), nil
		}
	}
	if m := reCellDay.FindStringSubmatch(c); m != nil {
		if m[1] == "" { // 20240630
			m = m[3:]
		}
		if t, ok := mkDate(m[1], m[2], m[3]); ok {
			return t, nil
		}
	}
	if m := reCellMonth.FindStringSubmatch(c); m != nil {
		if t, ok := monthEnd(m[1], m[2]); ok {
			return t, nil
		}
	}
	return time.Time{}, &ValueError{NotDate, Short(s)}
}

// The whole of a date cell.
var (
	reSerial    = regexp.MustCompile(`^[0-9]{5}(\.[0-9]+)?$`)
	reCellDay   = regexp.MustCompile(`^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*(?:月|[-/.])\s*(\d{1,2})\s*日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$|^(\d{4})(\d{2})(\d{2})$`)
	reCellMonth = regexp.MustCompile(`^(\d{4})\s*(?:年|[-/.])\s*(\d{1,2})\s*月?$`)
)

// Short cuts a cell for a message.
func Short(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return Printable(s)
}

// Printable makes text from a cell safe to print in a message, a terminal
// or a .rejected.txt: control characters (NUL, ESC, …) are written as
// \x00-style escapes and bytes that are not UTF-8 as U+FFFD, so a cell
// can neither clear a screen nor break a line of a report.
func Printable(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if unicode.IsControl(r) {
			fmt.Fprintf(&b, "\\x%02x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Problem is what is wrong with a cell's value.
type Problem int

// The problems a cell's value may have.
const (
	NotNumber   Problem = iota // not a number at all
	Negative                   // a count below zero
	NotWhole                   // a count with a fraction
	TooLarge                   // a count no unit can have
	NotRate                    // not a rate
	OverHundred                // a rate over 100%
	NotDate                    // not a date
)

// ValueError is a cell whose value cannot be read as asked: Text is the
// value as written (cut to a few dozen characters).
type ValueError struct {
	Problem Problem
	Text    string
}

func (e *ValueError) Error() string {
	switch e.Problem {
	case Negative:
		return e.Text + " is negative"
	case NotWhole:
		return e.Text + " is not a whole number"
	case TooLarge:
		return e.Text + " is implausibly large"
	case NotRate:
		return fmt.Sprintf("%q is not a rate", e.Text)
	case OverHundred:
		return fmt.Sprintf("%q is over 100%%", e.Text)
	case NotDate:
		return fmt.Sprintf("%q is not a date like 2024-06-30", e.Text)
	}
	return fmt.Sprintf("%q is not a number", e.Text)
}

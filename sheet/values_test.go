package sheet

import (
	"strings"
	"testing"
	"time"

	"golang.org/x/text/width"
)

func TestParseCount(t *testing.T) {
	tests := []struct {
		in   string
		want uint64
		err  string
	}{
		{"1234", 1234, ""}, {"1,234", 1234, ""}, {"1 234", 1234, ""}, {" 1234 ", 1234, ""}, {"1234.0", 1234, ""},
		{"１２３４", 1234, ""}, {"1234人", 1234, ""}, {"1\u00a0234", 1234, ""}, {"0", 0, ""},
		{"-5", 0, "negative"}, {"12.5", 0, "not a whole number"}, {"abc", 0, "not a number"}, {"#DIV/0!", 0, "not a number"},
		{"NaN", 0, "not a number"}, {"1e12", 0, "not a number"}, {"12345678901", 0, "implausibly large"},
	}
	for _, tt := range tests {
		got, err := Count(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Count(%q) err = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Count(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"0.853", 0.853, true}, {"85.3", 0.853, true}, {"85.3%", 0.853, true}, {"85.3 %", 0.853, true}, {"８５.３％", 0.853, true},
		{"100%", 1, true}, {"1", 1, true}, {"0", 0, true}, {"#DIV/0!", 0, false}, {"120%", 0, false}, {"-3%", 0, false},
	}
	for _, tt := range tests {
		got, err := Rate(tt.in)
		if (err == nil) != tt.ok || (tt.ok && (got-tt.want > 1e-9 || tt.want-got > 1e-9)) {
			t.Errorf("Rate(%q) = %v, %v; want %v ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"2024-06-30", "2024-06-30"}, {"2024/6/30", "2024-06-30"}, {"2024.6.30", "2024-06-30"}, {"2024年6月30日", "2024-06-30"},
		{"20240630", "2024-06-30"}, {"45473", "2024-06-30"}, {"45473.0", "2024-06-30"}, {"2024-06-30 00:00:00", "2024-06-30"},
		{"2024年6月", "2024-06-30"}, {"2024年2月", "2024-02-29"},
	}
	for _, tt := range tests {
		got, err := Date(tt.in)
		if err != nil || got.Format(time.DateOnly) != tt.want {
			t.Errorf("Date(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"2024-02-30", "yesterday", "12345", "6/30"} {
		if d, err := Date(bad); err == nil {
			t.Errorf("Date(%q) = %v, want an error", bad, d)
		}
	}
}

func TestDateInText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"全省各市关注情况通报(截至2024年6月30日)", "2024-06-30"},
		{"全省各市关注情况通报（截至２０２４年６月３０日）", "2024-06-30"},
		{"2024年1月1日至2024年6月30日关注情况", "2024-06-30"},
		{"截止到2024年5月 关注情况", "2024-05-31"},
		{"截至2024年6月30日 (2024年7月2日制表)", "2024-06-30"},
	}
	for _, tt := range tests {
		got, ok := DateInText(tt.in)
		if !ok || got.Format(time.DateOnly) != tt.want {
			t.Errorf("DateInText(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	if d, ok := DateInText("关注情况通报"); ok {
		t.Errorf("found %v in a title without a date", d)
	}
}

// TestStrictCells: a count is a decimal number and a date cell is a date,
// nothing else (what an independent test found stored wrongly).
func TestStrictCells(t *testing.T) {
	for _, bad := range []string{"0x1p4", "1e-400", "1e3", "0b101", "1_000", "12a", "Inf", "+Inf", "1.5e2"} {
		if n, err := Count(bad); err == nil {
			t.Errorf("Count(%q) = %d, want an error", bad, n)
		}
	}
	for in, want := range map[string]uint64{"1234": 1234, "1,234": 1234, "1 234": 1234, "１２３４": 1234, "1234人": 1234, "1234.0": 1234, "1234.": 1234, "0": 0, "-0": 0} {
		if n, err := Count(in); err != nil || n != want {
			t.Errorf("Count(%q) = %d, %v; want %d", in, n, err, want)
		}
	}
	for _, bad := range []string{"2024-06-3O", "2024-06-301", "12024-06-30", "截至2024年6月30日", "6月30日", "2024-06-30 备注", "45473x"} {
		if d, err := Date(bad); err == nil {
			t.Errorf("Date(%q) = %v, want an error", bad, d)
		}
	}
	for in, want := range map[string]string{"2024-06-30": "2024-06-30", "2024/6/30": "2024-06-30", "2024.6.30": "2024-06-30", "2024年6月30日": "2024-06-30",
		"20240630": "2024-06-30", "45473": "2024-06-30", "2024-06": "2024-06-30", "2024年6月": "2024-06-30", " 2024-6-30 ": "2024-06-30"} {
		if d, err := Date(in); err != nil || d.Format("2006-01-02") != want {
			t.Errorf("Date(%q) = %v, %v; want %s", in, d, err, want)
		}
	}
}

// cleanPlainly is Clean as first written, with no shortcut: what Clean
// must give for every cell.
func cleanPlainly(s string) string {
	s = strings.TrimSpace(s)
	for _, r := range s {
		if r == '\u3000' || r >= 0xFF01 && r <= 0xFFEE {
			return strings.TrimSpace(width.Narrow.String(s))
		}
	}
	return s
}

// Clean trims every space Unicode has, at either end, and folds
// full-width forms, whatever the cell starts and ends with.
func TestClean(t *testing.T) {
	spaces := []string{" ", "\t", "\n", "\v", "\f", "\r", "\u0085", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000"}
	words := []string{"", "a", "东城区", "1,234", "３４１６２２", "Ａ", "（市、区）", "\u3001", "\u2fff", "\u3001东", "㐀", "\xff", "\xe4\xb8", "\xb8", "区\xe4", "\u00e9", "\uff01", "\uffee", "\uffef", "\ufffd", "𠀀", "a\u3000b"}
	var cells []string
	for _, w := range words {
		cells = append(cells, w)
		for _, sp := range spaces {
			cells = append(cells, sp+w, w+sp, sp+w+sp)
		}
	}
	for _, c := range cells {
		if got, want := Clean(c), cleanPlainly(c); got != want {
			t.Errorf("Clean(%q) = %q, want %q", c, got, want)
		}
	}
	for in, want := range map[string]string{" 东城区 ": "东城区", "\u3000东城区\u3000": "东城区", "３４１６２２": "341622", "东城区\u00a0": "东城区", "1\u3000234": "1 234"} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
}

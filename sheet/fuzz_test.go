package sheet

import (
	"os"
	"path/filepath"
	"testing"
)

// Fuzz targets: `make fuzz` runs each for a bounded time. Their seeds are
// the cases of the table tests, and testdata/fuzz holds the corpus.

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1234", "1,234", "1 234", "１２３４", "1234人", "-5", "12.5", "1e12", "#DIV/0!", "", "NaN", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Count(s)
		if err == nil && n > 1e9 {
			t.Fatalf("Count(%q) = %d, over the bound", s, n)
		}
	})
}

func FuzzClean(f *testing.F) {
	for _, s := range []string{" 东城区 ", "\u3000东城区\u3000", "３４１６２２", "东城区\u00a0", "\u2028a\u2029", "\xe4\xb8", "区\xe4", "１,２３４人"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Clean(s), cleanPlainly(s); got != want {
			t.Fatalf("Clean(%q) = %q, want %q", s, got, want)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.853", "85.3", "85.3%", "８５.３％", "120%", "-3%", "1", "Inf", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := Rate(s)
		if err == nil && (r < 0 || r > 1) {
			t.Fatalf("Rate(%q) = %v, not a fraction", s, r)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-06-30", "2024/6/30", "2024年6月30日", "20240630", "45473", "2024年2月", "2024-02-30", "截至2024年6月30日", "9999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := Date(s); err == nil && (d.Year() < 2000 || d.Year() > 2100) {
			t.Fatalf("Date(%q) = %v, outside 2000–2100", s, d)
		}
		if d, ok := DateInText(s); ok && (d.Year() < 2000 || d.Year() > 2100 || d.Hour() != 0) {
			t.Fatalf("DateInText(%q) = %v", s, d)
		}
	})
}

// FuzzReadXLSStream feeds damaged workbook streams of .xls files to the
// BIFF8 reader, seeded with the streams of the office corpus: it must
// return an error, never panic (Open's recover is only a last guard).
func FuzzReadXLSStream(f *testing.F) {
	for _, name := range []string{"bozhou-counties.xls", "monthly-2024.xls", "date-cells.xls"} {
		stream, err := workbookStream(filepath.Join(offices, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(stream)
	}
	if _, err := os.Stat(offices); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, stream []byte) {
		readEverything(stream)
	})
}

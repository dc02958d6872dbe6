package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"followrank/units"
)

// Fuzz targets: `make fuzz` runs each for a bounded time. Their seeds are
// the cases of the table tests, and testdata/fuzz holds the corpus.

func FuzzParseCount(f *testing.F) {
	for _, s := range []string{"1234", "1,234", "1 234", "１２３４", "1234人", "-5", "12.5", "1e12", "#DIV/0!", "", "NaN", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseCount(s)
		if err == nil && n > 1e9 {
			t.Fatalf("parseCount(%q) = %d, over the bound", s, n)
		}
	})
}

func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"0.853", "85.3", "85.3%", "８５.３％", "120%", "-3%", "1", "Inf", "1e400"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseRate(s)
		if err == nil && (r < 0 || r > 1) {
			t.Fatalf("parseRate(%q) = %v, not a fraction", s, r)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-06-30", "2024/6/30", "2024年6月30日", "20240630", "45473", "2024年2月", "2024-02-30", "截至2024年6月30日", "9999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if d, err := parseDate(s); err == nil && (d.Year() < 2000 || d.Year() > 2100) {
			t.Fatalf("parseDate(%q) = %v, outside 2000–2100", s, d)
		}
		if d, ok := dateInText(s); ok && (d.Year() < 2000 || d.Year() > 2100 || d.Hour() != 0) {
			t.Fatalf("dateInText(%q) = %v", s, d)
		}
	})
}

type keep struct{ figs []Figure }

func (k *keep) WriteFigures(_ context.Context, _, _ string, figs []Figure) error {
	k.figs = append(k.figs, figs...)
	return nil
}

// FuzzImportSheet feeds arbitrary bytes to the sheet reader as a file: it
// must not panic, and whatever it accepts must be a possible figure.
func FuzzImportSheet(f *testing.F) {
	for _, name := range []string{"bozhou-counties.csv", "bad-rows.csv", "安徽各市关注情况-2024年6月.csv", "anhui-cities-2024-05.xlsx"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("地区,日期,离退休干部数,关注人数\n谯城区,45473,10,5\n"))
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		f.Fatal(err)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "sheet-2024-06-30.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		k := &keep{}
		rep, err := ImportSheet(ctx, path, SheetOptions{Tree: tree}, k)
		if err != nil {
			if len(k.figs) > 0 {
				t.Fatalf("fatal error %v after storing %d figures", err, len(k.figs))
			}
			return
		}
		if rep.Accepted != len(k.figs) {
			t.Fatalf("reported %d accepted, stored %d", rep.Accepted, len(k.figs))
		}
		for _, fig := range k.figs {
			if fig.Members == 0 || fig.Followers > fig.Members || fig.Date.IsZero() {
				t.Fatalf("accepted an impossible figure %+v", fig)
			}
		}
	})
}

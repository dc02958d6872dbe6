package ingest

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"followrank/model"
	"followrank/units"
)

// Fuzz targets: `make fuzz` runs each for a bounded time. Their seeds are
// the cases of the table tests, and testdata/fuzz holds the corpus.

type keep struct{ figs []model.Figure }

func (k *keep) WriteFigures(_ context.Context, _, _ string, figs []model.Figure) error {
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

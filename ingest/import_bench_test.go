package ingest_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"followrank/ingest"
	"followrank/model"
	"followrank/units"
)

type discard struct{}

func (discard) WriteFigures(context.Context, string, string, []model.Figure) error { return nil }

// BenchmarkImportSheet reads 200,000 rows of a sheet without storing them,
// laid out with codes only, and as offices lay it out (序号, 区划代码, 单位,
// 日期, …): the part of an import that is followrank's own.
func BenchmarkImportSheet(b *testing.B) {
	tree, _ := units.NewTree(units.Builtin())
	counties := tree.Descendants(units.Root, units.County)
	for _, layout := range []string{"codes", "office"} {
		b.Run(layout, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), layout+".csv")
			f, _ := os.Create(path)
			w := bufio.NewWriter(f)
			if layout == "office" {
				w.WriteString("全国各县（市、区）关注情况统计表\n序号,区划代码,单位,日期,离退休干部数,关注人数,阅读\n")
			} else {
				w.WriteString("全国各县(市、区)关注情况日报\n区划代码,日期,离退休干部数,关注人数,阅读量\n")
			}
			start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := range 200_000 {
				u, d := counties[i%len(counties)], start.AddDate(0, 0, i/len(counties)).Format(time.DateOnly)
				m := 1000 + (i*37)%4000
				if layout == "office" {
					fmt.Fprintf(w, "%d,%s,%s,%s,%d,%d,%d\n", i+1, u.Code, u.Name, d, m, m*(30+i%60)/100, (i*7)%500)
				} else {
					fmt.Fprintf(w, "%s,%s,%d,%d,%d\n", u.Code, d, m, m*(30+i%60)/100, (i*7)%500)
				}
			}
			w.Flush()
			f.Close()
			b.ResetTimer()
			for range b.N {
				rep, err := ingest.ImportSheet(context.Background(), path, ingest.SheetOptions{Tree: tree, Source: "bench", RunID: "bench"}, discard{})
				if err != nil || rep.Accepted != 200_000 {
					b.Fatalf("%v, %+v", err, rep)
				}
			}
		})
	}
}

package ingest_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/units"
)

// figures are members and followers by unit code and date.
type figures map[string]map[string][2]uint32

func (f figures) add(code, date string, m, fl uint32) {
	if f[code] == nil {
		f[code] = map[string][2]uint32{}
	}
	f[code][date] = [2]uint32{m, fl}
}

// TestOfficeCorpus imports the sheets in testdata/offices, made by
// scripts/office-sheets.sh with LibreOffice as offices' Excel and WPS save
// them, and checks every stored figure against testdata/offices/README.md.
func TestOfficeCorpus(t *testing.T) {
	bozhou := figures{}
	for _, c := range []struct {
		code  string
		m, fl uint32
	}{{"341602", 2618, 1665}, {"341621", 1789, 859}, {"341622", 2374, 2025}, {"341623", 967, 804}} {
		bozhou.add(c.code, "2024-06-30", c.m, c.fl)
	}
	monthly := figures{}
	for date, row := range map[string][4][2]uint32{
		"2024-01-31": {{2610, 1502}, {1785, 760}, {2370, 1890}, {965, 720}},
		"2024-02-29": {{2612, 1560}, {1786, 801}, {2371, 1950}, {966, 751}},
		"2024-03-31": {{2615, 1611}, {1788, 833}, {2372, 1998}, {967, 779}},
	} {
		for i, code := range []string{"341602", "341621", "341622", "341623"} {
			monthly.add(code, date, row[i][0], row[i][1])
		}
	}
	villages, tree := villagesOfMengcheng(t)

	tests := []struct {
		file    string
		o       ingest.SheetOptions
		want    figures
		skipped int
		format  string
	}{
		{"bozhou-counties.xls", ingest.SheetOptions{}, bozhou, 3, "XLS"},
		{"monthly-2024.xls", ingest.SheetOptions{}, monthly, 0, "XLS"},
		{"date-cells.xls", ingest.SheetOptions{}, bozhou, 0, "XLS"},
		{"mengcheng-villages.et", ingest.SheetOptions{Within: "341622", AsOf: day("2024-06-30")}, villages, 0, "WPS ET"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o := tt.o
			o.Tree = tree
			c := &collect{}
			rep, err := ingest.ImportSheet(context.Background(), filepath.Join("testdata", "offices", tt.file), o, c)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Rejected != 0 || rep.Warned != 0 || rep.Format != tt.format || rep.Skipped != tt.skipped {
				t.Errorf("%s, %d rejected, %d skipped (want %d), warnings %v, rejections %v", rep.Format, rep.Rejected, rep.Skipped, tt.skipped, rep.Warnings, rep.Rejections)
			}
			got := figures{}
			for _, f := range c.figs {
				got.add(f.Unit, f.Date.Format("2006-01-02"), f.Members, f.Followers)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Errorf("stored %d units, want %d:\ngot  %v\nwant %v", len(got), len(tt.want), short(got), short(tt.want))
			}
		})
	}
	for file, want := range map[string]string{
		"bozhou-counties.ods": "OpenDocument",
		"empty.xls":           "the workbook has no cells",
	} {
		t.Run(file, func(t *testing.T) {
			c := &collect{}
			_, err := ingest.ImportSheet(context.Background(), filepath.Join("testdata", "offices", file), ingest.SheetOptions{Tree: tree, Say: catalog.New(catalog.English)}, c)
			if err == nil || !strings.Contains(err.Error(), want) || len(c.figs) != 0 {
				t.Errorf("err = %v, want one saying %q and nothing stored", err, want)
			}
		})
	}
}

func short(f figures) string {
	s := fmt.Sprint(f)
	if len(s) > 300 {
		s = s[:300] + "…"
	}
	return s
}

// villagesOfMengcheng reads the villages of the .et's CSV source: the tree
// with them imported as units of 蒙城县, and their figures.
func villagesOfMengcheng(t *testing.T) (figures, *units.Tree) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "offices", "src", "mengcheng-villages.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := figures{}
	nodes := units.Builtin()
	for _, r := range rows[1:] {
		m, _ := strconv.Atoi(r[2])
		fl, _ := strconv.Atoi(r[3])
		want.add(r[1], "2024-06-30", uint32(m), uint32(fl))
		nodes = append(nodes, units.Node{Code: r[1], Name: r[0], Parent: "341622", Level: units.Unit})
	}
	if len(want) != 1020 {
		t.Fatalf("%d villages in the source, want 1,020", len(want))
	}
	tree, err := units.NewTree(nodes)
	if err != nil {
		t.Fatal(err)
	}
	return want, tree
}

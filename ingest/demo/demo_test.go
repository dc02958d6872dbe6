package demo_test

import (
	"reflect"
	"testing"

	"followrank/ingest/demo"
	"followrank/units"
)

func TestDemoIsDeterministicAndWellFormed(t *testing.T) {
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New()
	a, b := d.Figures(tree), d.Figures(tree)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs of the demo source differ")
	}
	days := 0
	for day := d.MonthEnds()[0].AddDate(0, -1, 1); !day.After(d.MonthEnds()[17]); day = day.AddDate(0, 0, 1) {
		days++
	}
	if want := 104 * days; len(a) != want {
		t.Fatalf("%d figures, want %d (104 counties × %d days)", len(a), want, days)
	}
	stocks := 0
	for _, f := range a {
		if f.HasStock {
			stocks++
			if f.Followers > f.Members || f.Members == 0 {
				t.Fatalf("%s %s: %d followers of %d members", f.Unit, f.Date.Format("2006-01-02"), f.Followers, f.Members)
			}
		}
	}
	if stocks != 104*18 {
		t.Fatalf("%d month-end reports, want %d", stocks, 104*18)
	}
}

func TestDemoUnitsBelowTheClimber(t *testing.T) {
	d := demo.New()
	tree, err := units.NewTree(append(units.Builtin(), d.Units()...))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tree.Children(demo.Climber)); n != 18 {
		t.Fatalf("蒙城县 has %d units, want 18", n)
	}
	reports := map[string]int{}
	for _, f := range d.Figures(tree) {
		if len(f.Unit) == 9 {
			reports[f.Unit]++
			if !f.HasStock || f.Followers > f.Members || f.Members == 0 {
				t.Fatalf("%s %s: %+v", f.Unit, f.Date.Format("2006-01-02"), f)
			}
		}
	}
	if len(reports) != 18 || reports[demo.Climber+"001"] != 18 {
		t.Fatalf("units' reports %v, want 18 units with 18 month ends each", reports)
	}
}

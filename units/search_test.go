package units_test

import (
	"testing"

	"followrank/units"
)

func TestSearch(t *testing.T) {
	tree, err := units.NewTree(append(units.Builtin(),
		units.Node{Code: "341622001", Name: "县财政局", Parent: "341622", Level: units.Unit}))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		q, near string
		want    string // code of the first hit; "" for none
	}{
		{"蒙城", "", "341622"},
		{"mc", "340000", "341622"}, // initials, as typed on a phone, on Anhui's page
		{"mc", "", "130607"},       // 满城区: the whole country has many

		{"MENGCHENG", "", "341622"},
		{"bozhou", "", "341600"},
		{"341622", "", "341622"},
		{"财政局", "", "341622001"},
		{"  ", "", ""},
		{"zzzzqqq", "", ""},
	} {
		got := tree.Search(tt.q, tt.near, 10)
		first := ""
		if len(got) > 0 {
			first = got[0].Code
		}
		if first != tt.want {
			t.Errorf("Search(%q) = %v, want first %s", tt.q, got, tt.want)
		}
	}
	if n := len(tree.Search("x", "", 5)); n != 5 {
		t.Errorf("Search(x, 5) gave %d units", n)
	}
}

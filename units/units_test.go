package units_test

import (
	"strings"
	"testing"

	"followrank/units"
)

func anhui(t *testing.T) *units.Tree {
	t.Helper()
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestBuiltinAnhui(t *testing.T) {
	tree := anhui(t)
	if n := len(tree.Descendants("340000", units.City)); n != 16 {
		t.Errorf("Anhui has %d cities, want 16", n)
	}
	if n := len(tree.Descendants("340000", units.County)); n != 104 {
		t.Errorf("Anhui has %d county-level divisions, want 104", n)
	}
	for _, n := range tree.All() {
		if len(n.Code) != 6 || n.Name == "" {
			t.Errorf("%s %s: code is not 6 digits", n.Code, n.Name)
		}
		if n.Parent != "" && n.Parent != units.Root && n.Code[:2] != n.Parent[:2] {
			t.Errorf("%s %s: parent %s is in another province", n.Code, n.Name, n.Parent)
		}
	}
	if n := len(tree.Descendants(units.Root, units.County)); n < 2800 || n > 2900 {
		t.Errorf("China has %d county-level divisions, want about 2,850", n)
	}
	if n := len(tree.Descendants(units.Root, units.Province)); n != 31 {
		t.Errorf("China has %d provinces here, want 31 (Hong Kong, Macao and Taiwan are not in the source)", n)
	}
	if got := tree.Path("341622"); strings.Join(got, ",") != "000000,340000,341600" {
		t.Errorf("Path(蒙城县) = %v", got)
	}
}

func TestFind(t *testing.T) {
	tree := anhui(t)
	tests := []struct {
		query, within, want, err string
	}{
		{"341622", "", "341622", ""},
		{"蒙城县", "", "341622", ""},
		{"蒙城", "", "341622", ""},
		{" 亳州市 ", "", "341600", ""},
		{"亳州", "340000", "341600", ""},
		{"安徽省", "", "340000", ""},
		{"歙县", "", "341021", ""},
		{"郊区", "340000", "340711", ""},
		{"郊区", "", "", "ambiguous"},
		{"朝阳区", "", "", "ambiguous"},
		{"朝阳区", "110000", "110105", ""},
		{"东城", "110000", "110101", ""},
		{"济源市", "410000", "419001", ""},
		{"蒙城县", "340100", "", "unknown unit"},
		{"蒙成县", "", "", "closest known: 蒙城县, 蒙阴县"},
		{"341622", "340100", "", "341622 蒙城县 is not within 合肥市"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.within, func(t *testing.T) {
			n, err := tree.Find(tt.query, tt.within)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil || n.Code != tt.want {
				t.Fatalf("Find = %v, %v; want %s", n, err, tt.want)
			}
		})
	}
}

func TestNewTreeRejectsBadTrees(t *testing.T) {
	tests := []struct {
		name  string
		nodes []units.Node
		want  string
	}{
		{"unknown parent", []units.Node{{Code: "1", Name: "a", Parent: "9", Level: units.Unit}}, "not a known unit"},
		{"duplicate code", []units.Node{{Code: "1", Name: "a"}, {Code: "1", Name: "b"}}, "twice"},
		{"cycle", []units.Node{{Code: "1", Name: "a", Parent: "2"}, {Code: "2", Name: "b", Parent: "1"}}, "cycle"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := units.NewTree(tt.nodes); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

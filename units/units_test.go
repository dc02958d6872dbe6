package units_test

import (
	"errors"
	"slices"
	"strings"
	"sync"
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

// withUnits is the shipped tree with units below 亳州市 and two of its
// counties, named as bureaus import them.
func withUnits(t *testing.T) *units.Tree {
	t.Helper()
	nodes := append(units.Builtin(),
		units.Node{Code: "341600001", Name: "财政局", Parent: "341600", Level: units.Unit},
		units.Node{Code: "341621001", Name: "县财政局", Parent: "341621", Level: units.Unit},
		units.Node{Code: "341621003", Name: "涡阳县卫生健康委员会", Parent: "341621", Level: units.Unit},
		units.Node{Code: "341622001", Name: "县财政局", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622002", Name: "漆园街道", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622003", Name: "县卫生健康委员会", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622004", Name: "蒙城县人力资源和社会保障局", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622005", Name: "小涧镇", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622006", Name: "中共蒙城县委统一战线工作部", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622007", Name: "蒙城县人民法院", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622008", Name: "县市场监督管理局", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622009", Name: "中共蒙城县委老干部局", Parent: "341622", Level: units.Unit, Aliases: []string{"老干局"}},
		units.Node{Code: "341622010", Name: "城关街道办事处", Parent: "341622", Level: units.Unit},
		units.Node{Code: "341622011", Name: "县供销合作社联合社", Parent: "341622", Level: units.Unit},
	)
	tree, err := units.NewTree(nodes)
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

func TestFindAsOfficesWrite(t *testing.T) {
	tree := withUnits(t)
	tests := []struct {
		query, within, want string // want "ambiguous" for an *AmbiguousError
	}{
		// Exact names and codes win over the other forms.
		{"341622001", "", "341622001"},
		{"财政局", "341600", "341600001"},
		{"县财政局", "341622", "341622001"},
		{"县财政局", "341600", "ambiguous"},
		{"蒙城县", "", "341622"},
		// A leading 县/市/区 or the unit's own county or city.
		{"财政局", "341622", "341622001"},
		{"市财政局", "341600", "341600001"},
		{"亳州市财政局", "", "341600001"},
		{"蒙城县财政局", "341622", "341622001"},
		{"蒙城县财政局", "", "341622001"},
		{"蒙城财政局", "", "341622001"},
		{"亳州市蒙城县财政局", "", "341622001"},
		{"安徽省亳州市蒙城县财政局", "", "341622001"},
		{"亳州市蒙城县", "", "341622"},
		{"涡阳县财政局", "341622", "unknown"},
		// A township's office or government.
		{"漆园街道办事处", "341622", "341622002"},
		{"漆园街道办", "341622", "341622002"},
		{"漆园办事处", "341622", "341622002"},
		{"漆园", "341622", "341622002"},
		{"城关街道", "341622", "341622010"},
		{"城关", "341622", "341622010"},
		{"小涧镇人民政府", "341622", "341622005"},
		{"小涧镇政府", "", "341622005"},
		// Abbreviations, in either direction.
		{"县卫健委", "341622", "341622003"},
		{"卫健委", "341622", "341622003"},
		{"卫健委", "341600", "ambiguous"},
		{"涡阳县卫健委", "341600", "341621003"},
		{"县卫生健康委", "341622", "341622003"},
		{"人社局", "341622", "341622004"},
		{"县人力资源和社会保障局", "341622", "341622004"},
		{"人力资源社会保障局", "341622", "341622004"},
		{"统战部", "341622", "341622006"},
		{"县委统战部", "341622", "341622006"},
		{"中共蒙城县委统战部", "", "341622006"},
		{"法院", "341622", "341622007"},
		{"县人民法院", "341622", "341622007"},
		{"市场监管局", "341622", "341622008"},
		{"县市场监管局", "341622", "341622008"},
		{"供销社", "341622", "341622011"},
		// Aliases and their forms.
		{"老干局", "341622", "341622009"},
		{"县老干局", "341622", "341622009"},
		{"老干部局", "341622", "341622009"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.within, func(t *testing.T) {
			n, err := tree.Find(tt.query, tt.within)
			var amb *units.AmbiguousError
			var unknown *units.UnknownError
			switch tt.want {
			case "ambiguous":
				if !errors.As(err, &amb) {
					t.Fatalf("Find = %v, %v; want an *AmbiguousError", n, err)
				}
			case "unknown":
				if !errors.As(err, &unknown) {
					t.Fatalf("Find = %v, %v; want an *UnknownError", n, err)
				}
			default:
				if err != nil || n.Code != tt.want {
					t.Fatalf("Find = %v, %v; want %s", n, err, tt.want)
				}
			}
		})
	}
}

func TestFindErrors(t *testing.T) {
	tree := anhui(t)
	tiny, err := units.NewTree([]units.Node{{Code: "1", Name: "甲乙丙丁", Level: units.Unit}})
	if err != nil {
		t.Fatal(err)
	}
	codes := func(ns []units.Node) string {
		var cs []string
		for _, n := range ns {
			cs = append(cs, n.Code)
		}
		return strings.Join(cs, ",")
	}
	tests := []struct {
		name          string
		tree          *units.Tree
		query, within string
		check         func(error) (got, want string)
		text          string
	}{
		{"unknown within", tree, "蒙成县", "341600", func(err error) (string, string) {
			var e *units.UnknownError
			if !errors.As(err, &e) {
				return "not an *UnknownError", ""
			}
			return e.Query + " " + e.Within.Code + " " + codes(e.Suggestions), "蒙成县 341600 341622,341621,341623"
		}, `unknown unit "蒙成县" within 亳州市; closest known: 蒙城县, 涡阳县, 利辛县`},
		{"unknown, nothing near", tiny, "子丑", "", func(err error) (string, string) {
			var e *units.UnknownError
			if !errors.As(err, &e) {
				return "not an *UnknownError", ""
			}
			return e.Query + " " + e.Within.Code + " " + codes(e.Suggestions), "子丑  "
		}, `unknown unit "子丑"`},
		{"ambiguous", tree, "郊区", "", func(err error) (string, string) {
			var e *units.AmbiguousError
			if !errors.As(err, &e) {
				return "not an *AmbiguousError", ""
			}
			return e.Query + " " + codes(e.Candidates), "郊区 140311,230811,340711"
		}, `unit "郊区" is ambiguous: 郊区 140311, 郊区 230811, 郊区 340711; give its code or narrow --within`},
		{"outside", tree, "341622", "340100", func(err error) (string, string) {
			var e *units.OutsideError
			if !errors.As(err, &e) {
				return "not an *OutsideError", ""
			}
			return e.Unit.Code + " " + e.Within.Code, "341622 340100"
		}, "341622 蒙城县 is not within 合肥市"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.tree.Find(tt.query, tt.within)
			if err == nil {
				t.Fatal("no error")
			}
			if got, want := tt.check(err); got != want {
				t.Errorf("fields = %q, want %q", got, want)
			}
			if err.Error() != tt.text {
				t.Errorf("Error() = %q, want %q", err.Error(), tt.text)
			}
		})
	}
}

func TestFindSuggestsConfusedCharacters(t *testing.T) {
	tree := anhui(t)
	tests := []struct {
		query, within string
		want          []string // the suggestions' codes, or the first ones
		only          bool     // want is all the suggestions
	}{
		{"毫州", "", []string{"341600"}, true},
		{"毫州", "340000", []string{"341600"}, true},
		{"毫州市", "", []string{"341600"}, true},
		{"颖上", "", []string{"341226"}, true},
		{"颖上县", "341200", []string{"341226"}, true},
		{"肖县", "340000", []string{"341322"}, true},
		{"灵壁县", "", []string{"341323"}, true},
		{"盱贻", "", []string{"320830"}, true},
		{"四洪县", "", []string{"321324"}, true},
		// Two confusions in one name.
		{"毫洲", "", []string{"341600"}, true},
		{"毫州县", "340000", []string{"341600"}, true},
		// No respelling names a unit: ranked by distance.
		{"蒙成县", "", []string{"341622", "371328"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.within, func(t *testing.T) {
			_, err := tree.Find(tt.query, tt.within)
			var e *units.UnknownError
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want an *UnknownError", err)
			}
			var got []string
			for _, n := range e.Suggestions {
				got = append(got, n.Code)
			}
			if tt.only && !slices.Equal(got, tt.want) || !tt.only && (len(got) < len(tt.want) || !slices.Equal(got[:len(tt.want)], tt.want)) {
				t.Errorf("suggestions = %v (%v), want %v first (only: %v)", got, e, tt.want, tt.only)
			}
		})
	}
}

// TestAmbiguousAtLevel: a name ambiguous in the tree resolves at the level
// of the units its sheet lists, when exactly one candidate is at it.
func TestAmbiguousAtLevel(t *testing.T) {
	tree := anhui(t)
	tests := []struct {
		query, within string
		level         units.Level
		want          string // a code, or the codes of the *AmbiguousError's candidates
	}{
		{"黄山", "340000", units.City, "341000"},
		{"黄山", "340000", units.County, "341003"},
		{"黄山", "", units.City, "341000"},
		{"黄山", "340000", units.Province, "ambiguous 341000,341003"},
		{"吉林", "", units.Province, "220000"},
		{"吉林", "", units.City, "220200"},
		{"朝阳", "", units.City, "211300"},
		{"朝阳", "", units.County, "ambiguous 110105,211300,211321,220104"}, // three at county: still ambiguous
		{"郊区", "", units.County, "ambiguous 140311,230811,340711"},
		{"郊区", "340000", units.Unit, "340711"},
		{"341003", "", units.City, "341003"},
		{"蒙城", "", units.City, "341622"},
	}
	for _, tt := range tests {
		t.Run(tt.query+"/"+tt.within+"/"+string(tt.level), func(t *testing.T) {
			n, err := tree.Find(tt.query, tt.within)
			var amb *units.AmbiguousError
			if errors.As(err, &amb) {
				if at, ok := amb.At(tt.level); ok {
					n, err = at, nil
				}
			}
			got := n.Code
			if errors.As(err, &amb) {
				var cs []string
				for _, c := range amb.Candidates {
					cs = append(cs, c.Code)
				}
				got = "ambiguous " + strings.Join(cs, ",")
			} else if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Find, At(%s) = %s, want %s", tt.level, got, tt.want)
			}
		})
	}
}

func TestFindConcurrently(t *testing.T) {
	tree := withUnits(t)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if n, err := tree.Find("卫健委", "341622"); err != nil || n.Code != "341622003" {
				t.Errorf("Find = %v, %v", n, err)
			}
		})
	}
	wg.Wait()
}

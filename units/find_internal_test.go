package units

import (
	"slices"
	"strings"
	"testing"
)

func TestAbbreviationTable(t *testing.T) {
	seen := map[string]bool{}
	for _, row := range abbreviations {
		long, short := row[0], row[1]
		if seen[long] {
			t.Errorf("%s appears twice", long)
		}
		seen[long] = true
		if runes(short) >= runes(long) {
			t.Errorf("%s → %s: the short form is not shorter", long, short)
		}
		if got := abbreviator.Replace(long); got != short {
			t.Errorf("%s → %s, want %s", long, got, short)
		}
		if got := abbreviator.Replace(short); got != short {
			t.Errorf("the short form %s has a long form in it: → %s", short, got)
		}
	}
}

func TestConfusableTable(t *testing.T) {
	group := map[rune]string{}
	for _, g := range confusables {
		if runes(g) < 2 {
			t.Errorf("group %q has fewer than two characters", g)
		}
		for _, r := range g {
			if other, ok := group[r]; ok {
				t.Errorf("%c is in groups %q and %q", r, other, g)
			}
			group[r] = g
		}
	}
}

func TestForms(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"县财政局", []string{"县财政局", "财政局"}},
		{"县卫生健康委员会", []string{"县卫健委", "卫健委"}},
		{"漆园街道办事处", []string{"漆园街道办事处", "漆园街道", "漆园"}},
		{"漆园办事处", []string{"漆园办事处", "漆园街道", "漆园"}},
		{"小涧镇人民政府", []string{"小涧镇人民政府", "小涧镇", "小涧"}},
		{"县人民政府办公室", []string{"县政府办", "政府办"}},
		{"县委统一战线工作部", []string{"县委统战部", "统战部"}},
		{"中共县委组织部", []string{"中共县委组织部", "组织部"}},
		{"县委", []string{"县委"}},
		{"县市场监督管理局", []string{"县市场监管局", "市场监管局"}},
		{"市中区", []string{"市中区", "中区"}},
		{"歙县", []string{"歙县"}},
	}
	for _, tt := range tests {
		if got := forms(tt.name); !slices.Equal(got, tt.want) {
			t.Errorf("forms(%s) = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestUnitKeys(t *testing.T) {
	mengcheng := &Node{Code: "341622", Name: "蒙城县", Level: County}
	bozhou := &Node{Code: "341600", Name: "亳州市", Level: City}
	divs := []*Node{mengcheng, bozhou}
	tests := []struct {
		name string
		want []string // keys among unitKeys
	}{
		{"蒙城县人力资源和社会保障局", []string{"蒙城县人社局", "人社局", "县人社局"}},
		{"亳州市蒙城县财政局", []string{"财政局", "县财政局", "蒙城县财政局"}},
		{"财政局", []string{"财政局", "县财政局"}},
		{"中共蒙城县委统一战线工作部", []string{"统战部", "县委统战部"}},
	}
	for _, tt := range tests {
		got := unitKeys(tt.name, divs)
		for _, k := range tt.want {
			if !slices.Contains(got, k) {
				t.Errorf("unitKeys(%s) = %v, want %s among them", tt.name, got, k)
			}
		}
	}
}

func TestDistanceRanksConfusionsFirst(t *testing.T) {
	tests := []struct{ q, near, far string }{
		{"毫州", "亳州", "郑州"},
		{"毫州", "亳州市", "晋州市"},
		{"颖上", "颍上", "上"},
		{"肖县", "萧县", "歙县"},
	}
	for _, tt := range tests {
		near, far := distance([]rune(tt.q), []rune(tt.near)), distance([]rune(tt.q), []rune(tt.far))
		if near >= far {
			t.Errorf("distance(%s, %s) = %d, not below distance(%s, %s) = %d", tt.q, tt.near, near, tt.q, tt.far, far)
		}
	}
}

func TestClosest(t *testing.T) {
	tree, err := NewTree(Builtin())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		q    string
		want string // the first names, joined by commas
	}{
		{"毫州", "亳州市"},
		{"颖上", "颍上县"},
		{"蒙成县", "蒙城县,蒙阴县"},
		{"xyz", ""},
	}
	for _, tt := range tests {
		var got []string
		for _, n := range tree.closest(tt.q, "", 3) {
			got = append(got, n.Name)
		}
		if s := strings.Join(got, ","); !strings.HasPrefix(s, tt.want) || tt.want == "" && s != "" {
			t.Errorf("closest(%s) = %s, want it to start with %s", tt.q, s, tt.want)
		}
	}
}

func TestRespellings(t *testing.T) {
	tests := []struct {
		q    string
		want []string
	}{
		{"毫州", []string{"亳州", "亳洲", "毫洲"}},
		{"合肥", nil},
	}
	for _, tt := range tests {
		got := respellings(tt.q)
		slices.Sort(got)
		want := slices.Sorted(slices.Values(tt.want))
		if !slices.Equal(got, want) {
			t.Errorf("respellings(%s) = %v, want %v", tt.q, got, want)
		}
	}
	if got := respellings(strings.Repeat("毫", 10)); len(got) != 10 {
		t.Errorf("respellings of ten confusable characters: %d, want one each", len(got))
	}
}

package units_test

import (
	"fmt"
	"strings"
	"testing"

	"followrank/units"
)

// BenchmarkNewTree builds the tree of the shipped divisions, as every start
// and most tests do.
func BenchmarkNewTree(b *testing.B) {
	nodes := units.Builtin()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := units.NewTree(nodes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuiltinTree is Builtin and NewTree together: what a start costs.
func BenchmarkBuiltinTree(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := units.NewTree(units.Builtin()); err != nil {
			b.Fatal(err)
		}
	}
}

// departments are the units a county imports, as bureaus name them.
var departments = []string{
	"县财政局", "县卫生健康委员会", "县人力资源和社会保障局", "县住房和城乡建设局",
	"县市场监督管理局", "县退役军人事务局", "县医疗保障局", "县应急管理局",
	"县交通运输局", "中共%s委统一战线工作部", "中共%s委政法委员会", "县机关事务管理局",
	"县供销合作社联合社", "县妇女联合会", "县科学技术协会", "县残疾人联合会",
	"%s人民法院", "%s人民检察院", "县人民政府办公室", "县教育体育局",
	"城关镇", "东关街道", "西关街道", "南湖镇", "北山乡",
	"县公安局", "县民政局", "县司法局", "县审计局", "县统计局",
}

// nationalUnits is the shipped divisions with len(departments) units below
// every county: about 85,000 nodes, a country's worth of imported units.
func nationalUnits() []units.Node {
	nodes := units.Builtin()
	for _, c := range nodes {
		if c.Level != units.County {
			continue
		}
		for i, d := range departments {
			name := d
			if strings.Contains(d, "%s") {
				name = fmt.Sprintf(d, c.Name)
			}
			nodes = append(nodes, units.Node{Code: fmt.Sprintf("%s%03d", c.Code, i), Name: name, Parent: c.Code, Level: units.Unit})
		}
	}
	return nodes
}

// BenchmarkNewTreeNational builds a tree of 85,000 nodes, as a process
// serving the whole country does whenever the stored units change.
func BenchmarkNewTreeNational(b *testing.B) {
	nodes := nationalUnits()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := units.NewTree(nodes); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFindNational builds the national tree and resolves names as a
// sheet of one county writes them: the first lookup of a name as an
// office writes it builds the index of name variants.
func BenchmarkFindNational(b *testing.B) {
	nodes := nationalUnits()
	queries := []string{"蒙城县", "县财政局", "卫健委", "人社局", "蒙城县法院", "城关镇人民政府", "东关街道办事处", "统战部", "毫州"}
	b.ReportAllocs()
	for b.Loop() {
		tree, err := units.NewTree(nodes)
		if err != nil {
			b.Fatal(err)
		}
		for _, q := range queries {
			tree.Find(q, "341622")
		}
	}
}

// BenchmarkFindNationalWarm resolves the names of BenchmarkFindNational in
// a national tree whose index of name variants is built.
func BenchmarkFindNationalWarm(b *testing.B) {
	tree, err := units.NewTree(nationalUnits())
	if err != nil {
		b.Fatal(err)
	}
	queries := []string{"蒙城县", "县财政局", "卫健委", "人社局", "蒙城县法院", "城关镇人民政府", "东关街道办事处", "统战部", "毫州"}
	tree.Find("卫健委", "")
	b.ReportAllocs()
	for b.Loop() {
		for _, q := range queries {
			tree.Find(q, "341622")
		}
	}
}

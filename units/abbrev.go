package units

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// abbreviations are the short forms sheets write for the bodies of a county
// or city: party committee departments, government bureaus, courts and
// people's organisations. Each row is a long form and its short form. A unit
// name and a query both have every long form replaced by its short form
// before they are compared, so 县卫生健康委员会 and 县卫健委 find each other
// whichever of the two was imported. Rows may name a part of a name (人民法院
// inside 蒙城县人民法院); where two long forms overlap the longer one is
// replaced. Add a row when offices write a body's name in a way this table
// does not know; a short form must not contain a long form.
var abbreviations = [][2]string{
	// Party committee and its departments.
	{"统一战线工作部", "统战部"},
	{"政法委员会", "政法委"},
	{"机构编制委员会办公室", "编办"},
	{"纪律检查委员会", "纪委"},
	{"监察委员会", "监委"},
	{"中国共产党", "中共"},

	// Government and its bureaus.
	{"人民政府办公室", "政府办"},
	{"政府办公室", "政府办"},
	{"发展和改革委员会", "发改委"},
	{"发展改革委员会", "发改委"},
	{"发展改革委", "发改委"},
	{"发展和改革局", "发改局"},
	{"卫生健康委员会", "卫健委"},
	{"卫生健康委", "卫健委"},
	{"卫生健康局", "卫健局"},
	{"人力资源和社会保障局", "人社局"},
	{"人力资源社会保障局", "人社局"},
	{"住房和城乡建设局", "住建局"},
	{"住房城乡建设局", "住建局"},
	{"住房和城乡建设委员会", "住建委"},
	{"市场监督管理局", "市场监管局"},
	{"退役军人事务局", "退役军人局"},
	{"医疗保障局", "医保局"},
	{"应急管理局", "应急局"},
	{"交通运输局", "交通局"},
	{"机关事务管理局", "机关事务局"},
	{"教育体育局", "教体局"},
	{"文化旅游体育局", "文旅体局"},
	{"文化和旅游局", "文旅局"},
	{"自然资源和规划局", "自然资源局"},
	{"自然资源规划局", "自然资源局"},
	{"科学技术局", "科技局"},
	{"经济和信息化局", "经信局"},
	{"工业和信息化局", "工信局"},
	{"数据资源管理局", "数据资源局"},
	{"城市管理行政执法局", "城管执法局"},
	{"城市管理局", "城管局"},
	{"国有资产监督管理委员会", "国资委"},
	{"疾病预防控制中心", "疾控中心"},
	{"中医医院", "中医院"},
	{"人民医院", "医院"},

	// Courts, procuratorates, people's congress, armed forces department.
	{"人民法院", "法院"},
	{"人民检察院", "检察院"},
	{"人民代表大会常务委员会", "人大常委会"},
	{"中国人民政治协商会议", "政协"},
	{"人民武装部", "人武部"},

	// People's organisations.
	{"供销合作社联合社", "供销社"},
	{"供销合作社", "供销社"},
	{"妇女联合会", "妇联"},
	{"科学技术协会", "科协"},
	{"残疾人联合会", "残联"},
	{"工商业联合会", "工商联"},
	{"文学艺术界联合会", "文联"},
	{"哲学社会科学界联合会", "社科联"},
	{"社会科学界联合会", "社科联"},
	{"归国华侨联合会", "侨联"},
	{"共产主义青年团", "共青团"},
}

// abbreviator replaces each long form of abbreviations by its short form,
// the longest long form first where two start at the same place.
var abbreviator = func() *strings.Replacer {
	rows := slices.Clone(abbreviations)
	slices.SortStableFunc(rows, func(a, b [2]string) int { return cmp.Compare(len(b[0]), len(a[0])) })
	var pairs []string
	for _, r := range rows {
		pairs = append(pairs, r[0], r[1])
	}
	return strings.NewReplacer(pairs...)
}()

// forms are the lookup keys of a unit name beyond the name itself, most
// specific first: the name with its long forms abbreviated; without a
// township's 办事处 or 人民政府 (漆园街道办事处 → 漆园街道); without a leading
// 中共 and 县, 市 or 区 (县财政局 → 财政局, 县委组织部 → 组织部); and a township
// without 街道, 镇 or 乡 (小涧镇 → 小涧). Unit names and queries go through the
// same steps, so each finds the other however it was written.
func forms(name string) []string {
	out := make([]string, 0, 4)
	add := func(s string) {
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	s := abbreviator.Replace(name)
	add(s)
	s = trimOffice(s)
	add(s)
	s = trimLeading(s)
	add(s)
	add(trimTownship(s))
	return out
}

// trimOffice names a township by the township rather than its office or
// government: 漆园街道办事处 and 漆园街道办 → 漆园街道, 漆园办事处 → 漆园街道,
// 小涧镇人民政府 and 小涧镇政府 → 小涧镇.
func trimOffice(s string) string {
	for _, end := range []string{"人民政府", "政府"} {
		if base, ok := strings.CutSuffix(s, end); ok && (strings.HasSuffix(base, "镇") || strings.HasSuffix(base, "乡")) && runes(base) >= 2 {
			return base
		}
	}
	for _, end := range []string{"办事处", "办"} {
		if base, ok := strings.CutSuffix(s, end); ok && strings.HasSuffix(base, "街道") && runes(base) >= 3 {
			return base
		}
	}
	if base, ok := strings.CutSuffix(s, "办事处"); ok && runes(base) >= 2 {
		return base + "街道"
	}
	return s
}

// trimLeading drops a leading 中共, then a leading 县, 市 or 区 that says
// "this county's", and then the 委 of a party committee's department (县委组织部
// → 组织部), keeping at least two runes.
func trimLeading(s string) string {
	if rest, ok := strings.CutPrefix(s, "中共"); ok && runes(rest) >= 2 {
		s = rest
	}
	for _, p := range []string{"县", "市", "区"} {
		if rest, ok := strings.CutPrefix(s, p); ok && runes(rest) >= 2 {
			s = rest
			if rest, ok := strings.CutPrefix(s, "委"); ok && runes(rest) >= 2 && !strings.HasPrefix(rest, "员会") {
				s = rest
			}
			break
		}
	}
	return s
}

// trimTownship drops the 街道, 镇 or 乡 of a township, keeping two runes.
func trimTownship(s string) string {
	for _, end := range []string{"街道", "镇", "乡"} {
		if base, ok := strings.CutSuffix(s, end); ok && runes(base) >= 2 {
			return base
		}
	}
	return s
}

// unitKeys are the variant keys of a unit below a county: the forms of its
// name as given and without the leading names of the divisions above it
// (蒙城县人力资源和社会保障局 → 人力资源和社会保障局 → 人社局), full or short.
// divisions are those above the unit, nearest first; a name that does not
// start with 县, 市 or 区 also gets the one its nearest division ends with
// (财政局 below 亳州市 is also 市财政局), as a sheet of the division writes it.
func unitKeys(name string, divisions []*Node) []string {
	names := []string{name}
	if rest, ok := strings.CutPrefix(name, "中共"); ok && runes(rest) >= 2 {
		names = append(names, rest)
	}
	for i := 0; i < len(names); i++ {
		for _, d := range divisions {
			for _, p := range []string{d.Name, trimSuffix(d.Name)} {
				if rest, ok := strings.CutPrefix(names[i], p); ok && runes(rest) >= 2 && !slices.Contains(names, rest) {
					names = append(names, rest)
				}
			}
		}
	}
	generic := ""
	if len(divisions) > 0 {
		for _, g := range []string{"县", "市", "区"} {
			if strings.HasSuffix(divisions[0].Name, g) {
				generic = g
			}
		}
	}
	if generic != "" {
		for _, n := range names {
			if !hasAnyPrefix(n, "县", "市", "区", "中共") && !startsWithDivision(n, divisions) && !slices.Contains(names, generic+n) {
				names = append(names, generic+n)
			}
		}
	}
	var keys []string
	for _, n := range names {
		for _, k := range forms(n) {
			if !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// hasAnyPrefix reports whether s starts with one of prefixes.
func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// startsWithDivision reports whether name starts with the full or short
// name of one of divisions.
func startsWithDivision(name string, divisions []*Node) bool {
	for _, d := range divisions {
		if hasAnyPrefix(name, d.Name, trimSuffix(d.Name)) {
			return true
		}
	}
	return false
}

func runes(s string) int { return utf8.RuneCountInString(s) }

package units

// confusables are groups of characters that people mix up in place names:
// characters that look alike (形近字: 亳州 typed as 毫州, 颍上 as 颖上) and
// characters that sound alike and are put in one another's place (同音字: 萧县
// written 肖县). Substituting a character for one of its group costs a
// quarter of another edit when the closest known names are ranked, and a
// query that names exactly one unit once its confusable characters are
// replaced has that unit as its one suggestion. A character belongs to one
// group at most.
var confusables = []string{
	// Look alike.
	"亳毫",
	"颍颖",
	"濉睢雎",
	"埇涌甬",
	"枞纵",
	"歙翕",
	"黟黝",
	"砀殇",
	"蚌蜯",
	"谯樵",
	"郯剡",
	"邳丕",
	"盱吁",
	"眙贻",
	"旌族",
	"汨汩",
	"沭沐",
	"酉西",
	"弋戈",
	"璧壁",
	"祁祈",
	"宣宜",
	"衢瞿",
	"兖衮",
	"泸沪",
	"郴彬",
	"茌荏",
	"鄞勤",
	"濮璞",
	"婺骛",
	// Sound alike.
	"泗四",
	"州洲",
	"萧肖",
	"桐铜",
	"绩积",
	"泾经",
	"郎朗",
	"缙晋",
	"忻欣",
}

// confusableGroup maps each character of confusables to its group's index
// plus one.
var confusableGroup = func() map[rune]int {
	m := map[rune]int{}
	for i, g := range confusables {
		for _, r := range g {
			m[r] = i + 1
		}
	}
	return m
}()

// Costs of the weighted edit distance: an insertion, deletion or
// substitution costs editCost, a confusable substitution confusableCost.
const (
	editCost       = 4
	confusableCost = 1
)

// confusable reports whether a and b are different characters of a group.
func confusable(a, b rune) bool {
	ga, gb := confusableGroup[a], confusableGroup[b]
	return a != b && ga != 0 && ga == gb
}

// distance is the edit distance between a and b in which substituting a
// confusable character costs confusableCost and any other edit editCost.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j * editCost
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i * editCost
		for j := 1; j <= len(b); j++ {
			cost := editCost
			switch {
			case a[i-1] == b[j-1]:
				cost = 0
			case confusable(a[i-1], b[j-1]):
				cost = confusableCost
			}
			cur[j] = min(prev[j]+editCost, cur[j-1]+editCost, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxRespellings bounds how many respellings of a query are tried.
const maxRespellings = 64

// respellings are q with its confusable characters replaced by the others
// of their groups, every combination when there are at most maxRespellings,
// else one character at a time. q itself is not among them.
func respellings(q string) []string {
	rs := []rune(q)
	total := 1
	for _, r := range rs {
		if g := confusableGroup[r]; g != 0 {
			total *= len([]rune(confusables[g-1]))
			if total > maxRespellings {
				break
			}
		}
	}
	var out []string
	if total <= maxRespellings {
		var build func(i int, cur []rune)
		build = func(i int, cur []rune) {
			if i == len(rs) {
				if s := string(cur); s != q {
					out = append(out, s)
				}
				return
			}
			if g := confusableGroup[rs[i]]; g != 0 {
				for _, alt := range confusables[g-1] {
					build(i+1, append(cur, alt))
				}
				return
			}
			build(i+1, append(cur, rs[i]))
		}
		build(0, make([]rune, 0, len(rs)))
		return out
	}
	for i, r := range rs {
		if g := confusableGroup[r]; g != 0 {
			for _, alt := range confusables[g-1] {
				if alt != r {
					out = append(out, string(rs[:i])+string(alt)+string(rs[i+1:]))
				}
			}
		}
	}
	return out
}

package units

import (
	"slices"
	"strings"
	"unicode"

	"github.com/mozillazg/go-pinyin"
)

// spelling is a unit's name as people type it on a phone: in full pinyin
// (mengchengxian) and by initials (mcx).
type spelling struct {
	node     *Node
	full     string
	initials string
}

func (t *Tree) spellings() []spelling {
	t.spelledOnce.Do(func() {
		a := pinyin.NewArgs()
		t.spelled = make([]spelling, 0, len(t.order))
		for _, n := range t.order {
			var full, initials strings.Builder
			for _, syl := range pinyin.LazyPinyin(n.Name, a) {
				full.WriteString(syl)
				initials.WriteByte(syl[0])
			}
			t.spelled = append(t.spelled, spelling{node: n, full: full.String(), initials: initials.String()})
		}
	})
	return t.spelled
}

// Search finds units as people type them into a search box: part of the
// name (蒙城), its pinyin (mengcheng) or the pinyin's initials (mc): the
// units within near (the page the user is on) first, then the divisions
// above units below them, at most limit of them.
func (t *Tree) Search(q, near string, limit int) []Node {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" || limit <= 0 {
		return nil
	}
	latin := strings.IndexFunc(q, func(r rune) bool { return r > unicode.MaxASCII }) < 0
	var found []*Node
	if n, ok := t.byCode[q]; ok {
		found = append(found, n)
	}
	for _, sp := range t.spellings() {
		n := sp.node
		hit := strings.Contains(n.Name, q)
		if latin {
			hit = hit || strings.HasPrefix(sp.initials, q) || strings.HasPrefix(sp.full, q)
		}
		if hit && !slices.Contains(found, n) {
			found = append(found, n)
		}
	}
	outside := func(n *Node) int {
		if near != "" && (n.Code == near || t.Within(n.Code, near)) {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(found, func(a, b *Node) int {
		if d := outside(a) - outside(b); d != 0 {
			return d
		}
		if d := a.Level.Depth() - b.Level.Depth(); d != 0 {
			return d
		}
		return strings.Compare(a.Code, b.Code)
	})
	if len(found) > limit {
		found = found[:limit]
	}
	return deref(found)
}

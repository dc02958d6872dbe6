package units

import (
	"math"
	"slices"
	"strings"
)

// Find resolves a unit named by code, by exact name or alias, or by name
// without its administrative suffix (蒙城 = 蒙城县). A unit below a county is
// also found by its name as offices write it: without a leading 县, 市 or 区
// or the name of its own county or city (财政局 = 蒙城县财政局), with a
// township's 办事处 or 人民政府 (漆园街道办事处 = 漆园街道), and with common
// abbreviations (县卫健委 = 县卫生健康委员会, 人社局 = 人力资源和社会保障局); a
// query that starts with a division's name (蒙城县财政局, 亳州市蒙城县) looks
// within that division. When within is not empty, only units at or below it
// are considered.
//
// Codes win over names, exact names and aliases over names without their
// suffix, and those over the other forms; the first of these that names any
// unit decides. The error is an *UnknownError when no unit is named, with
// the closest known units as suggestions; an *AmbiguousError when several
// are; an *OutsideError when a code names a unit outside within.
func (t *Tree) Find(nameOrCode, within string) (Node, error) {
	q := strings.TrimSpace(nameOrCode)
	var scope Node
	if w, ok := t.byCode[within]; ok {
		scope = *w
	}
	if n, ok := t.byCode[q]; ok {
		if within != "" && !t.Within(n.Code, within) {
			return Node{}, &OutsideError{Unit: *n, Within: scope}
		}
		return *n, nil
	}
	in := func(n *Node) bool { return within == "" || t.Within(n.Code, within) }
	long := runes(q) > maxQueryRunes
	var found []*Node
	if long {
		found = t.named(q, in)
	} else {
		found = t.match(q, in, 0)
	}
	switch len(found) {
	case 1:
		return *found[0], nil
	case 0:
		e := &UnknownError{Query: q, Within: scope}
		if !long {
			e.Suggestions = t.suggest(q, within, in)
		}
		return Node{}, e
	}
	slices.SortFunc(found, func(a, b *Node) int { return strings.Compare(a.Code, b.Code) })
	return Node{}, &AmbiguousError{Query: q, Candidates: deref(found)}
}

// maxQueryRunes bounds the names Find looks at closely: a longer one (a
// sheet's note in the name column, a pasted paragraph) is looked up by its
// exact name alone, without variants or suggestions, so that it costs no
// more than a short one.
const maxQueryRunes = 64

// maxPrefixes bounds how many division names match strips from the front
// of a query: a province, a city and a county.
const maxPrefixes = 3

// match returns the units that q names and in accepts, at the first of these
// that names any: an exact name or alias; a name without its suffix; q
// without its suffix; a variant key of a unit below a county (forms); q
// after the name of a division, looked up below that division.
func (t *Tree) match(q string, in func(*Node) bool, prefixes int) []*Node {
	if found := t.named(q, in); len(found) > 0 {
		return found
	}
	variants := t.variantIndex()
	for _, k := range forms(q) {
		if found := take(nil, variants[k], in); len(found) > 0 {
			return found
		}
	}
	if prefixes == maxPrefixes {
		return nil
	}
	starts := []string{q}
	if rest, ok := strings.CutPrefix(q, "中共"); ok {
		starts = append(starts, rest)
	}
	for _, s := range starts {
		rs := []rune(s)
		for i := min(len(rs)-2, t.longestDivision); i >= 2; i-- {
			divs := t.divisions(string(rs[:i]))
			if len(divs) == 0 {
				continue
			}
			below := func(n *Node) bool {
				if !in(n) {
					return false
				}
				for _, d := range divs {
					if n != d && t.Within(n.Code, d.Code) {
						return true
					}
				}
				return false
			}
			if found := t.match(string(rs[i:]), below, prefixes+1); len(found) > 0 {
				return found
			}
		}
	}
	return nil
}

// named returns the units that q names exactly and in accepts, else those
// it names without a suffix (q or theirs).
func (t *Tree) named(q string, in func(*Node) bool) []*Node {
	if found := take(nil, t.byName[q], in); len(found) > 0 {
		return found
	}
	if found := take(nil, t.byShort[q], in); len(found) > 0 {
		return found
	}
	if b := trimSuffix(q); b != q {
		return take(take(nil, t.byName[b], in), t.byShort[b], in)
	}
	return nil
}

// take appends the nodes of list that in accepts to found, once each.
func take(found, list []*Node, in func(*Node) bool) []*Node {
	for _, n := range list {
		if in(n) {
			found = appendUnique(found, n)
		}
	}
	return found
}

// divisions are the provinces, cities and counties named name, in full or
// without their suffix.
func (t *Tree) divisions(name string) []*Node {
	var out []*Node
	for _, list := range [][]*Node{t.byName[name], t.byShort[name]} {
		for _, n := range list {
			if isDivision(n) {
				out = appendUnique(out, n)
			}
		}
	}
	return out
}

// isDivision tells a province, city or county from the root and the units
// below counties.
func isDivision(n *Node) bool {
	d := n.Level.Depth()
	return d >= Province.Depth() && d <= County.Depth()
}

// variantIndex returns the units below counties by the keys of unitKeys,
// building the index on first use.
func (t *Tree) variantIndex() map[string][]*Node {
	t.variantsOnce.Do(func() {
		m := map[string][]*Node{}
		var divs []*Node
		for _, n := range t.order {
			if n.Level.Depth() != Unit.Depth() {
				continue
			}
			divs = divs[:0]
			for p := t.byCode[n.Parent]; p != nil; p = t.byCode[p.Parent] {
				if isDivision(p) {
					divs = append(divs, p)
				}
			}
			for _, k := range unitKeys(n.Name, divs) {
				m[k] = appendLast(m[k], n)
			}
			for _, a := range n.Aliases {
				for _, k := range unitKeys(a, divs) {
					m[k] = appendLast(m[k], n)
				}
			}
		}
		t.variants = m
	})
	return t.variants
}

// suggest returns the units to name for the unknown q: the one unit that q
// names with its confusable characters replaced, if exactly one does, else
// the closest by edit distance.
func (t *Tree) suggest(q, within string, in func(*Node) bool) []Node {
	var alts []*Node
	for _, r := range respellings(q) {
		for _, n := range t.match(r, in, 0) {
			alts = appendUnique(alts, n)
		}
		if len(alts) > 1 {
			break
		}
	}
	if len(alts) == 1 {
		return []Node{*alts[0]}
	}
	return deref(t.closest(q, within, 3))
}

// closest lists up to k units at or below within (anywhere when within is
// empty) whose names are nearest to q by edit distance, a confusable
// substitution (亳/毫) costing less than another edit; among equals, those
// that start like q, then by code. A name is compared in full, without its
// suffix and, for a unit below a county, in its most general form; so are
// its aliases. A name that shares no character with q is not near it.
func (t *Tree) closest(q, within string, k int) []*Node {
	scope := t.order
	if within != "" {
		scope = nil
		var visit func(*Node)
		visit = func(n *Node) {
			scope = append(scope, n)
			for _, c := range t.children[n.Code] {
				visit(c)
			}
		}
		if w, ok := t.byCode[within]; ok {
			visit(w)
		}
	}
	qs := [][]rune{[]rune(q)}
	if f := forms(q); f[len(f)-1] != q {
		qs = append(qs, []rune(f[len(f)-1]))
	}
	type cand struct {
		n      *Node
		d      int
		prefix int
	}
	var cs []cand
	for _, n := range scope {
		c := cand{n: n, d: math.MaxInt, prefix: commonPrefix(qs[0], []rune(n.Name))}
		try := func(name string) {
			r := []rune(name)
			for _, qr := range qs {
				// A name with nothing in common with q is not near it.
				if d := distance(qr, r); d < editCost*max(len(qr), len(r)) {
					c.d = min(c.d, d)
				}
			}
		}
		unit := n.Level.Depth() == Unit.Depth()
		for i := -1; i < len(n.Aliases); i++ {
			name := n.Name
			if i >= 0 {
				name = n.Aliases[i]
			}
			try(name)
			if short := trimSuffix(name); short != name {
				try(short)
			}
			if unit {
				if f := forms(name); f[len(f)-1] != name {
					try(f[len(f)-1])
				}
			}
		}
		if c.d != math.MaxInt {
			cs = append(cs, c)
		}
	}
	slices.SortFunc(cs, func(a, b cand) int {
		if a.d != b.d {
			return a.d - b.d
		}
		if a.prefix != b.prefix {
			return b.prefix - a.prefix
		}
		return strings.Compare(a.n.Code, b.n.Code)
	})
	limit := editCost * max(2, len(qs[0]))
	var out []*Node
	for _, c := range cs {
		if len(out) == k || c.d > limit {
			break
		}
		out = append(out, c.n)
	}
	return out
}

func commonPrefix(a, b []rune) int {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// appendUnique appends n to list unless list has it.
func appendUnique(list []*Node, n *Node) []*Node {
	if slices.Contains(list, n) {
		return list
	}
	return append(list, n)
}

// appendLast appends n to list unless n is its last element: for lists
// built in the tree's order, where a node's entries are adjacent.
func appendLast(list []*Node, n *Node) []*Node {
	if len(list) > 0 && list[len(list)-1] == n {
		return list
	}
	return append(list, n)
}

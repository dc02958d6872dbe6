// Package units is the organisation tree followrank ranks: provinces,
// cities, county-level divisions (with their GB/T 2260 codes, shipped in the
// binary) and the units below counties that a bureau imports itself.
package units

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"sort"
	"strings"
)

// Level is a unit's place in the tree.
type Level string

// The levels, top to bottom.
const (
	Country  Level = "country"  // 全国, the root of the shipped tree
	Province Level = "province" // 省
	City     Level = "city"     // 市
	County   Level = "county"   // 县/区/县级市
	Unit     Level = "unit"     // 单位: a department or township below a county
)

// ParseLevel accepts a level's English or Chinese name.
func ParseLevel(s string) (Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "country", "全国":
		return Country, nil
	case "province", "省":
		return Province, nil
	case "city", "市":
		return City, nil
	case "county", "县", "区", "县区":
		return County, nil
	case "unit", "单位":
		return Unit, nil
	}
	return "", fmt.Errorf("level %q is not country, province, city, county or unit", s)
}

// Depth orders levels: country 0, province 1, city 2, county 3, unit 4.
func (l Level) Depth() int {
	switch l {
	case Country:
		return 0
	case Province:
		return 1
	case City:
		return 2
	case County:
		return 3
	}
	return 4
}

// Chinese is the level's name as a bureau writes it.
func (l Level) Chinese() string {
	switch l {
	case Country:
		return "全国"
	case Province:
		return "省"
	case City:
		return "市"
	case County:
		return "县(市、区)"
	}
	return "单位"
}

// Whole is how a report says "the whole of" a unit of the level: 全国, 全省,
// 全市, 全县; a unit below a county is named instead.
func (n Node) Whole() string {
	switch n.Level {
	case Country:
		return "全国"
	case Province:
		return "全省"
	case City:
		return "全市"
	case County:
		return "全县"
	}
	return n.Name
}

// Node is one unit of the tree.
type Node struct {
	Code   string // stable id; GB/T 2260 code for divisions
	Name   string
	Parent string // parent's code; empty for the root of a tree
	Level  Level
	// Aliases are other names the unit is known by in figure sheets.
	Aliases []string
}

//go:embed divisions.tsv
var divisionsTSV []byte

// Root is the code of the shipped tree's root, 全国.
const Root = "000000"

// Builtin returns the divisions that ship with the program: 全国, the
// provinces, cities and county-level divisions with their GB/T 2260 codes.
func Builtin() []Node {
	nodes, err := parseTSV(divisionsTSV)
	if err != nil {
		panic("units: embedded divisions.tsv: " + err.Error()) // a build defect, caught by tests
	}
	return nodes
}

func parseTSV(data []byte) ([]Node, error) {
	var nodes []Node
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "code\t") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 4 {
			return nil, fmt.Errorf("line %d: want 4 tab-separated fields, got %d", line, len(f))
		}
		lvl, err := ParseLevel(f[3])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", line, err)
		}
		nodes = append(nodes, Node{Code: f[0], Name: f[1], Parent: f[2], Level: lvl})
	}
	return nodes, sc.Err()
}

// Tree indexes nodes by code and name and knows each node's ancestors.
type Tree struct {
	byCode   map[string]*Node
	byName   map[string][]*Node
	children map[string][]*Node
	order    []*Node
}

// NewTree builds a tree, rejecting duplicate codes, unknown parents and cycles.
func NewTree(nodes []Node) (*Tree, error) {
	t := &Tree{byCode: map[string]*Node{}, byName: map[string][]*Node{}, children: map[string][]*Node{}}
	for i := range nodes {
		n := nodes[i]
		if n.Code == "" {
			return nil, fmt.Errorf("unit %q has no code", n.Name)
		}
		if _, dup := t.byCode[n.Code]; dup {
			return nil, fmt.Errorf("unit code %s appears twice", n.Code)
		}
		t.byCode[n.Code] = &n
		t.order = append(t.order, &n)
	}
	for _, n := range t.order {
		if n.Parent != "" {
			if _, ok := t.byCode[n.Parent]; !ok {
				return nil, fmt.Errorf("unit %s %s: parent %s is not a known unit", n.Code, n.Name, n.Parent)
			}
			t.children[n.Parent] = append(t.children[n.Parent], n)
		}
		for _, name := range append([]string{n.Name}, n.Aliases...) {
			for _, key := range nameKeys(name) {
				t.byName[key] = appendUnique(t.byName[key], n)
			}
		}
	}
	for _, n := range t.order {
		seen := map[string]bool{}
		for p := n; p != nil && p.Parent != ""; p = t.byCode[p.Parent] {
			if seen[p.Code] {
				return nil, fmt.Errorf("unit %s %s: its parents form a cycle", n.Code, n.Name)
			}
			seen[p.Code] = true
		}
	}
	for _, c := range t.children {
		sort.Slice(c, func(i, j int) bool { return c[i].Code < c[j].Code })
	}
	return t, nil
}

// Get returns the node with the code.
func (t *Tree) Get(code string) (Node, bool) {
	n, ok := t.byCode[code]
	if !ok {
		return Node{}, false
	}
	return *n, true
}

// Children returns the direct children of code, ordered by code.
func (t *Tree) Children(code string) []Node {
	return deref(t.children[code])
}

// Path returns the codes of code's ancestors, root first, without code itself.
func (t *Tree) Path(code string) []string {
	var path []string
	for n := t.byCode[code]; n != nil && n.Parent != ""; n = t.byCode[n.Parent] {
		path = append(path, n.Parent)
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// Within reports whether code is ancestor itself or lies below it.
func (t *Tree) Within(code, ancestor string) bool {
	for n := t.byCode[code]; n != nil; n = t.byCode[n.Parent] {
		if n.Code == ancestor {
			return true
		}
	}
	return false
}

// Descendants returns the nodes below code at the level, ordered by code.
func (t *Tree) Descendants(code string, level Level) []Node {
	var out []Node
	var visit func(string)
	visit = func(c string) {
		for _, ch := range t.children[c] {
			if ch.Level == level {
				out = append(out, *ch)
			}
			if ch.Level.Depth() < level.Depth() || ch.Level == Unit {
				visit(ch.Code)
			}
		}
	}
	visit(code)
	sort.Slice(out, func(i, j int) bool { return out[i].Code < out[j].Code })
	return out
}

// EachChild calls fn with each direct child of code, ordered by code,
// without copying the list: the roll-up of a country visits 100,000 nodes.
func (t *Tree) EachChild(code string, fn func(Node)) {
	for _, c := range t.children[code] {
		fn(*c)
	}
}

// Walk calls fn with code's node and every node below it, parents first.
func (t *Tree) Walk(code string, fn func(Node)) {
	n, ok := t.byCode[code]
	if !ok {
		return
	}
	var visit func(*Node)
	visit = func(n *Node) {
		fn(*n)
		for _, c := range t.children[n.Code] {
			visit(c)
		}
	}
	visit(n)
}

// All returns every node in the order given to NewTree.
func (t *Tree) All() []Node { return deref(t.order) }

// Find resolves a unit named by code, exact name, or name without its
// administrative suffix (蒙城 = 蒙城县). When within is not empty, only units
// at or below it are considered. An unknown or ambiguous name is an error
// that names the closest known units.
func (t *Tree) Find(nameOrCode, within string) (Node, error) {
	q := strings.TrimSpace(nameOrCode)
	if n, ok := t.byCode[q]; ok {
		if within != "" && !t.Within(n.Code, within) {
			return Node{}, fmt.Errorf("%s %s is not within %s", n.Code, n.Name, t.byCode[within].Name)
		}
		return *n, nil
	}
	var found []*Node
	for _, key := range []string{q, trimSuffix(q)} {
		for _, n := range t.byName[key] {
			if within == "" || t.Within(n.Code, within) {
				found = appendUnique(found, n)
			}
		}
		if len(found) > 0 {
			break
		}
	}
	switch len(found) {
	case 1:
		return *found[0], nil
	case 0:
		scope := ""
		if w, ok := t.byCode[within]; ok {
			scope = " within " + w.Name
		}
		if near := t.closest(q, within, 3); len(near) > 0 {
			return Node{}, fmt.Errorf("unknown unit %q%s; closest known: %s", q, scope, strings.Join(near, ", "))
		}
		return Node{}, fmt.Errorf("unknown unit %q%s", q, scope)
	}
	var names []string
	for _, n := range found {
		names = append(names, n.Name+" "+n.Code)
	}
	return Node{}, fmt.Errorf("unit %q is ambiguous: %s; give its code or narrow --within", q, strings.Join(names, ", "))
}

func appendUnique(list []*Node, n *Node) []*Node {
	for _, m := range list {
		if m == n {
			return list
		}
	}
	return append(list, n)
}

// closest lists up to k known names nearest to q by edit distance.
func (t *Tree) closest(q, within string, k int) []string {
	type cand struct {
		name   string
		d      int
		prefix int
	}
	var cs []cand
	for _, n := range t.order {
		if within != "" && !t.Within(n.Code, within) {
			continue
		}
		cs = append(cs, cand{n.Name, distance([]rune(q), []rune(n.Name)), commonPrefix([]rune(q), []rune(n.Name))})
	}
	// Nearest first; among equals, those that start like q.
	sort.SliceStable(cs, func(i, j int) bool {
		if cs[i].d != cs[j].d {
			return cs[i].d < cs[j].d
		}
		return cs[i].prefix > cs[j].prefix
	})
	var out []string
	for _, c := range cs {
		if len(out) == k || c.d > max(2, len([]rune(q))) {
			break
		}
		out = append(out, c.name)
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

// distance is the Levenshtein distance between a and b.
func distance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// suffixes are administrative suffixes, longest first, that a sheet may omit.
var suffixes = []string{"自治县", "自治州", "县级市", "新区", "地区", "省", "市", "县", "区", "盟", "旗"}

// trimSuffix drops one administrative suffix, keeping at least two runes
// (so 歙县 stays 歙县 and 郊区 stays 郊区).
func trimSuffix(name string) string {
	for _, s := range suffixes {
		if base, ok := strings.CutSuffix(name, s); ok && len([]rune(base)) >= 2 {
			return base
		}
	}
	return name
}

// nameKeys are the names a node can be found by.
func nameKeys(name string) []string {
	if base := trimSuffix(name); base != name {
		return []string{name, base}
	}
	return []string{name}
}

func deref(ns []*Node) []Node {
	out := make([]Node, len(ns))
	for i, n := range ns {
		out[i] = *n
	}
	return out
}

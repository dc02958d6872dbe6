// Package units is the organisation tree followrank ranks: provinces,
// cities, county-level divisions (with their GB/T 2260 codes, shipped in the
// binary) and the units below counties that a bureau imports itself.
package units

import (
	"bufio"
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
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
		return "县（市、区）"
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
	return slices.Clone(builtin())
}

// builtin parses the embedded divisions once; Builtin hands out copies.
var builtin = sync.OnceValue(func() []Node {
	nodes, err := parseTSV(divisionsTSV)
	if err != nil {
		panic("units: embedded divisions.tsv: " + err.Error()) // a build defect, caught by tests
	}
	return nodes
})

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

// Tree indexes nodes by code and name and knows each node's ancestors. It
// is safe for concurrent use.
type Tree struct {
	byCode   map[string]*Node
	byName   map[string][]*Node // exact names and aliases
	byShort  map[string][]*Node // names and aliases without their administrative suffix
	children map[string][]*Node
	order    []*Node
	// longestDivision is the length in runes of the longest name of a
	// province, city or county: the longest prefix of a query that can
	// name one.
	longestDivision int

	// variants indexes the units below counties by the keys of unitKeys,
	// built on the first lookup that needs it: most trees are built for
	// divisions alone and never asked for a department.
	variantsOnce sync.Once
	variants     map[string][]*Node

	// spelled holds each unit's name in pinyin, for Search, built on the
	// first search.
	spelledOnce sync.Once
	spelled     []spelling
}

// NewTree builds a tree, rejecting duplicate codes, unknown parents and cycles.
func NewTree(nodes []Node) (*Tree, error) {
	store := slices.Clone(nodes)
	t := &Tree{
		byCode:   make(map[string]*Node, len(store)),
		byName:   make(map[string][]*Node, len(store)),
		byShort:  make(map[string][]*Node, len(store)),
		children: make(map[string][]*Node, len(store)/4+1),
		order:    make([]*Node, len(store)),
	}
	for i := range store {
		n := &store[i]
		if n.Code == "" {
			return nil, fmt.Errorf("unit %q has no code", n.Name)
		}
		if _, dup := t.byCode[n.Code]; dup {
			return nil, fmt.Errorf("unit code %s appears twice", n.Code)
		}
		t.byCode[n.Code] = n
		t.order[i] = n
	}
	roots := 0
	for _, n := range t.order {
		if n.Parent == "" {
			roots++
			continue
		}
		if _, ok := t.byCode[n.Parent]; !ok {
			return nil, fmt.Errorf("unit %s %s: parent %s is not a known unit", n.Code, n.Name, n.Parent)
		}
		t.children[n.Parent] = append(t.children[n.Parent], n)
	}
	if t.reachable(roots) < len(t.order) {
		return nil, t.cycle()
	}
	for _, n := range t.order {
		t.index(n, n.Name)
		for _, a := range n.Aliases {
			t.index(n, a)
		}
		if isDivision(n) {
			t.longestDivision = max(t.longestDivision, runes(n.Name))
			for _, a := range n.Aliases {
				t.longestDivision = max(t.longestDivision, runes(a))
			}
		}
	}
	byCode := func(a, b *Node) int { return strings.Compare(a.Code, b.Code) }
	for _, c := range t.children {
		if !slices.IsSortedFunc(c, byCode) {
			slices.SortFunc(c, byCode)
		}
	}
	return t, nil
}

// index makes n found by name and by name without its suffix.
func (t *Tree) index(n *Node, name string) {
	t.byName[name] = appendLast(t.byName[name], n)
	if short := trimSuffix(name); short != name {
		t.byShort[short] = appendLast(t.byShort[short], n)
	}
}

// reachable counts the nodes reached from the roots through children: the
// nodes not reached have parents that form a cycle.
func (t *Tree) reachable(roots int) int {
	stack := make([]*Node, 0, roots)
	for _, n := range t.order {
		if n.Parent == "" {
			stack = append(stack, n)
		}
	}
	count := 0
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		count++
		stack = append(stack, t.children[n.Code]...)
	}
	return count
}

// cycle names the first node, in the order given, whose parents form a cycle.
func (t *Tree) cycle() error {
	for _, n := range t.order {
		seen := map[string]bool{}
		for p := n; p != nil && p.Parent != ""; p = t.byCode[p.Parent] {
			if seen[p.Code] {
				return fmt.Errorf("unit %s %s: its parents form a cycle", n.Code, n.Name)
			}
			seen[p.Code] = true
		}
	}
	return errors.New("units: the parents form a cycle") // not reached: reachable found one
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

// suffixes are administrative suffixes, longest first, that a sheet may omit.
var suffixes = []string{"自治县", "自治州", "县级市", "新区", "地区", "省", "市", "县", "区", "盟", "旗"}

// trimSuffix drops one administrative suffix, keeping at least two runes
// (so 歙县 stays 歙县 and 郊区 stays 郊区).
func trimSuffix(name string) string {
	for _, s := range suffixes {
		if base, ok := strings.CutSuffix(name, s); ok && runes(base) >= 2 {
			return base
		}
	}
	return name
}

func deref(ns []*Node) []Node {
	out := make([]Node, len(ns))
	for i, n := range ns {
		out[i] = *n
	}
	return out
}

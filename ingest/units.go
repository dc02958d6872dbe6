package ingest

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"followrank/sheet"
	"followrank/units"
)

// unitHeadings are the headings of a units file.
var unitHeadings = map[string]string{
	"单位代码": "code", "代码": "code", "编码": "code", "code": "code",
	"单位名称": "name", "名称": "name", "单位": "name", "name": "name",
	"上级代码": "parent", "上级单位代码": "parent", "上级": "parent", "parent": "parent", "parent_code": "parent", "parentcode": "parent",
	"别名": "aliases", "简称": "aliases", "aliases": "aliases",
}

// ReadUnits reads a file of units below counties (CSV or XLSX with columns
// code, name, parent code and optional aliases separated by 、 ; or |) and
// checks it against tree: every parent must be known or in the file, a
// division that ships with the program cannot be redefined, and the parents
// must not form a cycle. Any mistake fails the whole file, naming each
// mistake's line.
func ReadUnits(path string, tree *units.Tree) ([]units.Node, error) {
	tables, _, err := sheet.Open(path, "")
	if err != nil {
		return nil, err
	}
	defer func() {
		for _, t := range tables {
			t.Close()
		}
	}()
	t := tables[0]
	var cols map[string]int
	var nodes []units.Node
	var problems []string
	lines := map[string]int{}
	for {
		r, err := t.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name(), err)
		}
		if cols == nil {
			var heading bool
			if cols, heading = unitColumns(r); heading {
				continue
			}
		}
		get := func(k string) string { return sheet.Clean(cell(r, cols[k])) }
		code, name, parent := get("code"), get("name"), get("parent")
		if code == "" && name == "" && parent == "" {
			continue
		}
		bad := func(field, format string, a ...any) {
			problems = append(problems, fmt.Sprintf("%s:%d: %s: %s", t.Name(), r.Line, field, fmt.Sprintf(format, a...)))
		}
		switch {
		case code == "":
			bad("code", "missing")
			continue
		case name == "":
			bad("name", "missing")
			continue
		case parent == "":
			bad("parent", "missing")
			continue
		}
		if first, dup := lines[code]; dup {
			bad("code", "%s appears twice (first on line %d)", code, first)
			continue
		}
		lines[code] = r.Line
		if n, ok := tree.Get(code); ok && n.Level != units.Unit {
			bad("code", "%s is the division %s, which ships with the program; give the unit a code of its own", code, n.Name)
			continue
		}
		var aliases []string
		for _, a := range strings.FieldsFunc(cell(r, cols["aliases"]), func(r rune) bool { return strings.ContainsRune("、､;；|,，", r) }) {
			if a = sheet.Clean(a); a != "" {
				aliases = append(aliases, a)
			}
		}
		nodes = append(nodes, units.Node{Code: code, Name: name, Parent: parent, Level: units.Unit, Aliases: aliases})
	}
	if cols == nil {
		return nil, fmt.Errorf("%s: the file is empty", filepath.Base(path))
	}
	for _, n := range nodes {
		if _, known := tree.Get(n.Parent); !known {
			if _, inFile := lines[n.Parent]; !inFile {
				problems = append(problems, fmt.Sprintf("%s:%d: parent: %s is not a known unit", t.Name(), lines[n.Code], n.Parent))
			}
		}
	}
	if len(problems) > 0 {
		return nil, errors.New(strings.Join(problems, "\n"))
	}
	// The whole tree with the file's units in place of their earlier versions
	// must still be a tree.
	merged := append([]units.Node(nil), nodes...)
	for _, n := range tree.All() {
		if _, replaced := lines[n.Code]; !replaced {
			merged = append(merged, n)
		}
	}
	if _, err := units.NewTree(merged); err != nil {
		return nil, fmt.Errorf("%s: %w", t.Name(), err)
	}
	return nodes, nil
}

// unitColumns reads a units file's heading, which must name code, name and
// parent columns; without one the columns are code, name, parent, aliases.
func unitColumns(r sheet.Row) (map[string]int, bool) {
	cols := map[string]int{"code": -1, "name": -1, "parent": -1, "aliases": -1}
	for i, c := range r.Cells {
		if k, ok := unitHeadings[sheet.Fold(c)]; ok && cols[k] < 0 {
			cols[k] = i
		}
	}
	if cols["code"] < 0 || cols["name"] < 0 || cols["parent"] < 0 {
		return map[string]int{"code": 0, "name": 1, "parent": 2, "aliases": 3}, false
	}
	return cols, true
}

package units

import (
	"fmt"
	"strings"
)

// UnknownError says Find knows no unit by the name, within the scope when
// one was given. Callers word it with errors.As; Error is the English.
type UnknownError struct {
	Query string // the name as given, without surrounding spaces
	// Within is the scope searched; the zero Node when none was given or the
	// scope's code is not known.
	Within Node
	// Suggestions are the closest known units within the scope, nearest
	// first: one when the name with a commonly confused character replaced
	// (毫州 for 亳州) names exactly one unit, else up to three by edit
	// distance; none when nothing is near.
	Suggestions []Node
}

// Error reads `unknown unit "X" within Y; closest known: A, B`.
func (e *UnknownError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown unit %q", e.Query)
	if e.Within.Code != "" {
		b.WriteString(" within " + e.Within.Name)
	}
	if len(e.Suggestions) > 0 {
		b.WriteString("; closest known: " + nameList(e.Suggestions, false))
	}
	return b.String()
}

// AmbiguousError says a name matches several units within the scope.
type AmbiguousError struct {
	Query      string // the name as given, without surrounding spaces
	Candidates []Node // the units it matches, in the order of the tree
}

// Error reads `unit "X" is ambiguous: A 1, B 2; give its code or narrow --within`.
func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("unit %q is ambiguous: %s; give its code or narrow --within", e.Query, nameList(e.Candidates, true))
}

// At returns the one candidate at the level, if exactly one is: 黄山 in 安徽省
// is 黄山市 at level City and 黄山区 at level County.
func (e *AmbiguousError) At(level Level) (Node, bool) {
	var found []Node
	for _, n := range e.Candidates {
		if n.Level == level {
			found = append(found, n)
		}
	}
	if len(found) != 1 {
		return Node{}, false
	}
	return found[0], true
}

// OutsideError says a unit given by its code lies outside the scope.
type OutsideError struct {
	Unit, Within Node
}

// Error reads `341622 蒙城县 is not within 合肥市`.
func (e *OutsideError) Error() string {
	return fmt.Sprintf("%s %s is not within %s", e.Unit.Code, e.Unit.Name, e.Within.Name)
}

// nameList joins the nodes' names, each with its code when codes is set or
// when another node of the list has the same name.
func nameList(ns []Node, codes bool) string {
	count := map[string]int{}
	for _, n := range ns {
		count[n.Name]++
	}
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = n.Name
		if codes || count[n.Name] > 1 {
			parts[i] += " " + n.Code
		}
	}
	return strings.Join(parts, ", ")
}

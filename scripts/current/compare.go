package main

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"followrank/store"
)

// unordered are the store's functions that send a SELECT with no ORDER BY
// at its top level, each with why it does not depend on the order of the
// rows, found by reading it: ClickHouse promises no order there, and 26.x
// returns some of them in another order than 18.16. A function that sends
// such a SELECT and is not listed fails the comparison until someone reads
// it and adds it here, or adds the ORDER BY.
var unordered = map[string]string{
	"store.(*Store).Migrate":        "reads the applied versions into a set (map[uint32]bool)",
	"store.(*Store).Engagement":     "reads each unit's sums into a map by unit code",
	"store.(*Store).AccountDays":    "reads the sources into a map by day and sorts each day's by source",
	"store.(*Store).RollUps":        "documented as in no order; rank.Engine.keptRankings reads them into maps by day and unit",
	"store.(*Store).SaveRollUps":    "drops every other key kept, one by one: the order of the drops does not matter",
	"store.(*Store).StockSpan":      "one row: aggregates without GROUP BY",
	"store.(*Store).FigureRows":     "one row: count()",
	"store.(*Store).Digest":         "one row: count() and sum() over a subquery",
	"store.(*Store).UnitsVersion":   "one row: count() and max()",
	"store.(*Store).RunsVersion":    "one row: count() and max()",
	"store.(*Store).LastAccountDay": "one row: max() and count()",
}

// versionQuery asks the server's version: its answer differs by design, so
// it is not compared.
const versionQuery = "SELECT version()"

// query is one distinct SELECT of those recorded: its text, with the
// database the recording tests used named as the fixture's, the store's
// functions that sent it and how often.
type query struct {
	SQL  string
	By   []string // sorted
	Sent int
}

// kind is what a recorded statement is to the comparison: the first word
// of its text.
func kind(sql string) string {
	word, _, _ := strings.Cut(strings.TrimSpace(sql), " ")
	return strings.ToUpper(word)
}

// statements sorts recorded statements: the SELECTs to compare, each text
// once in the order first sent; the other statements that chDB runs after
// them (ALTER); the CREATE TABLEs, which must be the schema's; and counts
// of each kind. db is the fixture's database, which the statements name
// instead of the one they were recorded in.
type statements struct {
	queries []*query
	alters  []string
	creates map[string]bool
	kinds   map[string]int
	unknown []string
}

func sortStatements(recorded []store.Statement, db string) statements {
	st := statements{creates: map[string]bool{}, kinds: map[string]int{}}
	byText := map[string]*query{}
	alters := map[string]bool{}
	for _, r := range recorded {
		sql := strings.TrimSpace(r.SQL)
		if r.Database != "" {
			sql = strings.ReplaceAll(sql, r.Database+".", db+".")
		}
		k := kind(sql)
		st.kinds[k]++
		switch k {
		case "SELECT":
			q := byText[sql]
			if q == nil {
				q = &query{SQL: sql}
				byText[sql] = q
				st.queries = append(st.queries, q)
			}
			q.Sent++
			if !slices.Contains(q.By, r.By) {
				q.By = append(q.By, r.By)
				sort.Strings(q.By)
			}
		case "ALTER":
			if !alters[sql] {
				alters[sql] = true
				st.alters = append(st.alters, sql)
			}
		case "CREATE":
			if strings.HasPrefix(sql, "CREATE TABLE") {
				st.creates[sql] = true
			}
		case "INSERT", "DROP":
			// INSERT: the rows go as Native blocks, not as text; the
			// fixture's rows are loaded into chDB instead. CREATE and DROP
			// DATABASE: chosen by version, unit-tested in store.
		default:
			st.unknown = append(st.unknown, sql)
		}
	}
	return st
}

// orderBy finds ORDER BY at the top level of a statement: outside
// parentheses (subqueries, function calls) and string literals.
var orderBy = regexp.MustCompile(`(?i)^ORDER\s+BY\b`)

// ordered says the statement orders its rows at its top level.
func ordered(sql string) bool {
	depth := 0
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case c == '\'' || c == '`' || c == '"':
			// Skip a quoted literal or name; \ escapes the next byte.
			for i++; i < len(sql) && sql[i] != c; i++ {
				if sql[i] == '\\' {
					i++
				}
			}
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && (c == 'O' || c == 'o') && (i == 0 || !isNameByte(sql[i-1])) && orderBy.MatchString(sql[i:]):
			return true
		}
	}
	return false
}

func isNameByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// answer is one engine's answer to a query: its rows as TabSeparated, or
// the first line of its error.
type answer struct {
	Out   string `json:"out"`
	Error string `json:"error"`
}

// outcome is how the two answers to a query compare.
type outcome int

const (
	sameBytes outcome = iota // byte for byte
	sameRows                 // the same lines in another order
	differ                   // other rows, or an error
)

// compare compares 18.16's answer to a query with current ClickHouse's.
func compare(old, cur answer) outcome {
	switch {
	case old.Error != "" || cur.Error != "":
		return differ
	case old.Out == cur.Out:
		return sameBytes
	case slices.Equal(sortedLines(old.Out), sortedLines(cur.Out)):
		return sameRows
	}
	return differ
}

func sortedLines(s string) []string {
	lines := strings.Split(s, "\n")
	sort.Strings(lines)
	return lines
}

// result is the comparison of every query: what held, and a line for each
// failure.
type result struct {
	queries, unordered, sameBytes, sameRows, skipped int
	unorderedBy                                      map[string]int // store function: distinct unordered SELECTs it sent
	failures                                         []string
}

// judge compares the answers to each query (old from 18.16, cur from
// current ClickHouse, in the order of queries) and checks that every query
// without ORDER BY comes from a function listed in unordered.
func judge(queries []*query, old, cur []answer) result {
	r := result{unorderedBy: map[string]int{}}
	for i, q := range queries {
		if q.SQL == versionQuery {
			r.skipped++
			continue
		}
		r.queries++
		isOrdered := ordered(q.SQL)
		if !isOrdered {
			r.unordered++
			for _, by := range q.By {
				r.unorderedBy[by]++
				if _, ok := unordered[by]; !ok {
					r.failures = append(r.failures, fmt.Sprintf("%s sends a SELECT without ORDER BY; read it and, if it does not rely on the order of the rows, add it to unordered in scripts/current/compare.go with why, else add the ORDER BY:\n%s", by, indent(q.SQL)))
				}
			}
		}
		switch compare(old[i], cur[i]) {
		case sameBytes:
			r.sameBytes++
		case sameRows:
			if !isOrdered {
				r.sameRows++
				continue
			}
			r.failures = append(r.failures, fmt.Sprintf("%s: the same rows in another order, though the SELECT has an ORDER BY: it leaves ties, which the two versions break differently:\n%s", strings.Join(q.By, ", "), indent(q.SQL)))
		default:
			r.failures = append(r.failures, fmt.Sprintf("%s: the answers differ:\n%s\n  18.16: %s\n  current: %s", strings.Join(q.By, ", "), indent(q.SQL), brief(old[i]), brief(cur[i])))
		}
	}
	return r
}

func indent(sql string) string { return "    " + strings.ReplaceAll(sql, "\n", "\n    ") }

// brief is an answer cut to a few lines for a failure's message.
func brief(a answer) string {
	if a.Error != "" {
		return "error: " + a.Error
	}
	lines := strings.Split(strings.TrimSuffix(a.Out, "\n"), "\n")
	if a.Out == "" {
		return "no rows"
	}
	more := ""
	if len(lines) > 5 {
		more = fmt.Sprintf(" … (%d rows)", len(lines))
		lines = lines[:5]
	}
	return fmt.Sprintf("%q%s", strings.Join(lines, "\n"), more)
}

// report writes what was compared and how it went.
func (r result) report(w io.Writer, st statements) {
	var kinds []string
	total := 0
	for k, n := range st.kinds {
		kinds = append(kinds, fmt.Sprintf("%d %s", n, k))
		total += n
	}
	sort.Strings(kinds)
	fmt.Fprintf(w, "statements recorded: %d (%s)\n", total, strings.Join(kinds, ", "))
	fmt.Fprintf(w, "distinct SELECTs: %d compared (%d without ORDER BY), %d not (SELECT version())\n", r.queries, r.unordered, r.skipped)
	fmt.Fprintf(w, "  the same byte for byte: %d\n  the same rows in another order, without ORDER BY: %d\n  failed: %d\n", r.sameBytes, r.sameRows, len(r.failures))
	var funcs []string
	for f := range r.unorderedBy {
		funcs = append(funcs, f)
	}
	sort.Strings(funcs)
	for _, f := range funcs {
		why, ok := unordered[f]
		if !ok {
			why = "NOT REVIEWED"
		}
		fmt.Fprintf(w, "  without ORDER BY: %s (%d): %s\n", f, r.unorderedBy[f], why)
	}
}

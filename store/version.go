package store

import (
	"fmt"
	"slices"
	"strings"
)

// serverVersion is a ClickHouse server's version, as SELECT version()
// reports it when the store connects (18.16.1, 24.8.4.13). Where servers of
// different versions take different SQL, the choice is made here and
// nowhere else; everything else the store sends is written for what 18.16
// and current releases both accept.
//
// A version that cannot be read counts as the oldest, 18.16: what 18.16
// takes, every later server takes too, only less well.
type serverVersion struct{ major, minor int }

const sqlVersion = "SELECT version()"

// parseVersion reads the major and minor numbers of a version.
func parseVersion(s string) serverVersion {
	var v serverVersion
	if _, err := fmt.Sscanf(s, "%d.%d", &v.major, &v.minor); err != nil {
		return serverVersion{}
	}
	return v
}

func (v serverVersion) String() string {
	if v == (serverVersion{}) {
		return "unknown"
	}
	return fmt.Sprintf("%d.%d", v.major, v.minor)
}

// atLeast says v is major.minor or later.
func (v serverVersion) atLeast(major, minor int) bool {
	return v.major > major || v.major == major && v.minor >= minor
}

// dropSuffix ends a DROP DATABASE. Since 20.10 databases are Atomic by
// default, and a dropped replicated table frees its ZooKeeper path only
// after a delay unless dropped with SYNC (ClickHouse issues #12135,
// #37314): re-creating a database of the same name then fails with
// REPLICA_ALREADY_EXISTS. 18.16 knows no SYNC.
func (v serverVersion) dropSuffix() string {
	if v.atLeast(20, 10) {
		return " SYNC"
	}
	return ""
}

// lowCardinality says the server stores LowCardinality(String) without an
// experimental setting: since 19.3 (18.16 refuses it unless
// allow_experimental_low_cardinality_type is set).
func (v serverVersion) lowCardinality() bool { return v.atLeast(19, 3) }

// codecs says the server takes column compression codecs, CODEC(Delta,
// ZSTD): since 19.1 (18.16 fails on the syntax).
func (v serverVersion) codecs() bool { return v.atLeast(19, 1) }

// foregroundInsert is the setting that makes an insert through a
// Distributed table return only once the rows are stored on their shards:
// insert_distributed_sync, renamed distributed_foreground_insert in 23.10
// (ClickHouse pull request #55978; the old name stays as an alias).
func (v serverVersion) foregroundInsert() string {
	if v.atLeast(23, 10) {
		return "distributed_foreground_insert"
	}
	return "insert_distributed_sync"
}

// columns are a table's column definitions on a server of version v: as
// written in the schema on servers without LowCardinality and codecs (so
// 18.16 gets the very text of the schema), and otherwise with the table's
// lowCardinality columns as LowCardinality(String) and its delta columns
// compressed as differences. Only tables created on such a server get
// them: a table that exists is never altered, so a schema created by
// 18.16 keeps its types after the server is upgraded, and the program
// reads and writes both alike.
func (t table) columnsFor(v serverVersion) string {
	low, delta := v.lowCardinality() && len(t.lowCardinality) > 0, v.codecs() && len(t.delta) > 0
	if !low && !delta {
		return t.columns
	}
	defs := splitColumns(t.columns)
	for i, def := range defs {
		body := strings.TrimLeft(def, " \t\n")
		indent := def[:len(def)-len(body)]
		name, typ, _ := strings.Cut(strings.TrimSpace(body), " ")
		switch {
		case low && typ == "String" && slices.Contains(t.lowCardinality, name):
			body = name + " LowCardinality(String)"
		case delta && slices.Contains(t.delta, name):
			body = strings.TrimSpace(body) + " CODEC(Delta, ZSTD)"
		}
		defs[i] = indent + body
	}
	return strings.Join(defs, ",")
}

// splitColumns splits column definitions at the commas between them,
// keeping those inside a type's parentheses (Array(String), Tuple(a, b)).
func splitColumns(columns string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range columns {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, columns[start:i])
				start = i + 1
			}
		}
	}
	return append(out, columns[start:])
}

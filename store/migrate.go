package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// table is one table of the schema, as data: its columns and keys, written
// as they appear in the DDL. On a single server it is created as described;
// in cluster mode (clickhouse.cluster) a table with shardBy is created ON
// CLUSTER as a replicated local table <name>_local and a Distributed table
// <name> over it, sharded by shardBy, and a table without is replicated whole
// to every server (small tables read everywhere, such as the units the scope
// filters look up). Queries name <name> either way.
//
// testdata/schema.sql and testdata/schema-cluster.sql show the DDL every
// table gives on 18.16, schema-current.sql and schema-cluster-current.sql
// on current ClickHouse; see schema.
type table struct {
	name    string
	columns string
	// version is the ReplacingMergeTree version column; empty for a plain
	// MergeTree.
	version     string
	partitionBy string // empty for no PARTITION BY
	orderBy     string
	// shardBy is the sharding expression of the Distributed table in
	// cluster mode; empty for a table every server holds whole.
	shardBy string
	// lowCardinality are String columns of few distinct values, stored as
	// LowCardinality(String) on servers that have it; delta are columns of
	// numbers that grow slowly along the sort key (days, versions), stored
	// as differences on servers with codecs (see columnsFor).
	lowCardinality, delta []string
}

// on is where DDL runs: database db and, in cluster mode, cluster (empty
// on a single server), on servers of version. db and cluster are
// identifiers checked when the store was opened.
type on struct {
	db, cluster string
	version     serverVersion
}

// name is how DDL names a table: bare on a single server, where the
// connection's database is db, and db.name on a cluster, whose servers run
// the DDL in sessions of their own.
func (o on) name(table string) string {
	if o.cluster == "" {
		return table
	}
	return o.db + "." + table
}

// clause is the ON CLUSTER clause, or nothing on a single server.
func (o on) clause() string {
	if o.cluster == "" {
		return ""
	}
	return " ON CLUSTER " + o.cluster
}

// statements are the DDL that create the table: CREATE … IF NOT EXISTS,
// so running them again changes nothing. db, cluster and v are as in on.
func (t table) statements(db, cluster string, v serverVersion) []string {
	o := on{db, cluster, v}
	switch {
	case cluster == "":
		return []string{t.create(o, t.name, t.engine(""))}
	case t.shardBy == "":
		// Every server holds the whole table under one ZooKeeper path, so
		// each needs a name of its own there: replicas are commonly
		// numbered per shard (shard 01: r1, r2; shard 02: r1, r2), and only
		// the pair names a server.
		return []string{t.create(o, t.name, t.engineAs("/clickhouse/tables/all/"+o.db+"/"+t.name, "{shard}-{replica}"))}
	default:
		return []string{t.local(o), t.distributed(o)}
	}
}

// localName is the name of a sharded table's local table in cluster mode.
func (t table) localName() string { return t.name + "_local" }

// local is the DDL of a sharded table's replicated local table, whose
// replicas of a shard share one path under the {shard} macro.
func (t table) local(o on) string {
	return t.create(o, t.localName(), t.engine("/clickhouse/tables/{shard}/"+o.db+"/"+t.localName()))
}

// distributed is the DDL of a sharded table's Distributed table, which has
// the local table's columns and spreads rows over the shards by shardBy.
func (t table) distributed(o on) string {
	engine := "Distributed(" + o.cluster + ", " + o.db + ", " + t.localName() + ", " + t.shardBy + ")"
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s%s AS %s ENGINE = %s", o.name(t.name), o.clause(), o.name(t.localName()), engine)
}

// create is the DDL of a table named name with t's columns and keys and
// the given engine.
func (t table) create(o on, name, engine string) string {
	keys := ""
	if t.partitionBy != "" {
		keys += " PARTITION BY " + t.partitionBy
	}
	keys += " ORDER BY " + t.orderBy
	return fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s%s (%s) ENGINE = %s%s", o.name(name), o.clause(), t.columnsFor(o.version), engine, keys)
}

// engine is t's table engine: MergeTree, or ReplacingMergeTree when t has a
// version column, made Replicated at ZooKeeper path path when path is not
// empty.
func (t table) engine(path string) string { return t.engineAs(path, "{replica}") }

// engineAs is engine with the replica's name in ZooKeeper given.
func (t table) engineAs(path, replica string) string {
	kind, args := "MergeTree", []string{}
	if t.version != "" {
		kind = "ReplacingMergeTree"
	}
	if path != "" {
		kind = "Replicated" + kind
		args = append(args, "'"+path+"'", "'"+replica+"'")
	}
	if t.version != "" {
		args = append(args, t.version)
	}
	return kind + "(" + strings.Join(args, ", ") + ")"
}

// migration is one versioned step of the schema. Its statements are
// idempotent (IF NOT EXISTS), so a step interrupted half-way is repaired by
// running it again; it is recorded only once all its tables exist.
type migration struct {
	version uint32
	name    string
	tables  []table
}

// statements are the DDL of the step: its tables' statements in order.
func (m migration) statements(db, cluster string, v serverVersion) []string {
	var out []string
	for _, t := range m.tables {
		out = append(out, t.statements(db, cluster, v)...)
	}
	return out
}

// migrations is the schema's history, oldest first. Append; never edit a
// step that has shipped (lowCardinality and delta were added to shipped
// steps: they change only tables created on servers that have them, and
// an existing table is never altered).
var migrations = []migration{
	{1, "initial schema", []table{
		// units is the organisation tree: the divisions that ship with the
		// program and the units a bureau imports. path lists the ancestors'
		// codes, root first, so a scope is one has(path, code).
		{name: "units", columns: `code String, name String, parent String, level String, path Array(String),
			aliases Array(String), source String, version UInt64`, version: "version", orderBy: "code",
			lowCardinality: []string{"level", "source"}},

		// unit_figures holds one row per unit and day; a re-ingested row
		// replaces the earlier one (latest version wins), so re-importing
		// never double counts. has_stock = 0 marks engagement-only days.
		{name: "unit_figures", columns: `unit_code String, date Date, has_stock UInt8, members UInt32, followers UInt32,
			reads UInt64, shares UInt64, likes UInt64, wow UInt64, comments UInt64, source String, run_id String, version UInt64`,
			version: "version", partitionBy: "toYYYYMM(date)", orderBy: "(unit_code, date)", shardBy: "cityHash64(unit_code)",
			lowCardinality: []string{"source"}, delta: []string{"date", "version"}},

		// account_figures holds a WeChat official account's daily figures.
		{name: "account_figures", columns: `account String, date Date, new_users UInt32, cancelled_users UInt32,
			cumulative_users UInt32, reads UInt64, read_users UInt64, shares UInt64, favourites UInt64, run_id String, version UInt64`,
			version: "version", partitionBy: "toYYYYMM(date)", orderBy: "(account, date)", shardBy: "cityHash64(account)",
			lowCardinality: []string{"account"}, delta: []string{"date", "version"}},

		// ingest_runs records each run: written when it starts and again,
		// with a higher version, when it ends.
		{name: "ingest_runs", columns: `run_id String, source String, started_at DateTime, finished_at DateTime, status String,
			accepted UInt64, rejected UInt64, warnings UInt64, error String, version UInt64`,
			version: "version", orderBy: "(started_at, run_id)", shardBy: "cityHash64(run_id)",
			lowCardinality: []string{"source", "status"}},

		// rejected_rows says, for each row a run could not take, where it
		// was and why.
		{name: "rejected_rows", columns: `run_id String, file String, line UInt32, field String, reason String, raw String, at DateTime`,
			orderBy: "(run_id, file, line)", shardBy: "cityHash64(run_id)",
			lowCardinality: []string{"field"}},
	}},
	{2, "account followers by source", []table{
		// account_user_sources splits a WeChat account's new and cancelled
		// followers of a day by where they came from (user_source).
		{name: "account_user_sources", columns: `account String, date Date, source UInt32, new_users UInt32,
			cancelled_users UInt32, run_id String, version UInt64`,
			version: "version", partitionBy: "toYYYYMM(date)", orderBy: "(account, date, source)", shardBy: "cityHash64(account)",
			lowCardinality: []string{"account"}, delta: []string{"date", "version"}},
	}},
	{3, "what each run read", []table{
		// run_items says what a run read, one line each (files and their
		// counts, the submitter, an account's days), for /runs.
		{name: "run_items", columns: `run_id String, n UInt32, item String, at DateTime`,
			orderBy: "(run_id, n)", shardBy: "cityHash64(run_id)"},
	}},
	{4, "the country's roll-ups kept", []table{
		// rollups keeps the divisions' states of the country's snapshots on
		// the days a climb through the country was asked for, at one
		// version of the figures (key: the runs' version, the staleness
		// window and the unit tree), so that the next climb reads them and
		// not every unit's reports. A partition per key: the key of a run
		// that lands replaces the others, which are dropped whole.
		{name: "rollups", columns: `key String, date Date, unit_code String, members UInt64, followers UInt64,
			reported UInt8, stale UInt8, report_date Date, built_at DateTime`,
			partitionBy: "key", orderBy: "(date, unit_code)"},
	}},
}

// migrationsTable records the steps applied; every server has all of it.
var migrationsTable = table{name: "schema_migrations", columns: "version UInt32, name String, applied_at DateTime", orderBy: "version"}

const sqlAppliedMigrations = `SELECT DISTINCT version FROM schema_migrations`

const sqlRecordMigration = `INSERT INTO schema_migrations (version, name, applied_at)`

// Migrate brings the schema up to date and returns the versions it applied.
// Running it again applies nothing.
func (s *Store) Migrate(ctx context.Context) ([]uint32, error) {
	for _, stmt := range migrationsTable.statements(s.db, s.cluster, s.version) {
		if err := s.exec(ctx, stmt); err != nil {
			return nil, fmt.Errorf("migrate: create schema_migrations: %s", oneLine(err))
		}
	}
	rows, err := s.query(ctx, sqlAppliedMigrations)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %s", oneLine(err))
	}
	applied := map[uint32]bool{}
	for rows.Next() {
		var v uint32
		if err := rows.Scan(&v); err != nil {
			rows.Close()
			return nil, failed("migrate: read schema_migrations", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, failed("migrate: read schema_migrations", err)
	}

	var done []uint32
	for _, m := range migrations {
		if applied[m.version] {
			continue
		}
		for _, stmt := range m.statements(s.db, s.cluster, s.version) {
			if err := s.exec(ctx, stmt); err != nil {
				return done, fmt.Errorf("migrate: step %d (%s): %s", m.version, m.name, oneLine(err))
			}
		}
		err := s.send(ctx, sqlRecordMigration, func(b batch) error {
			return b.Append(m.version, m.name, time.Now().UTC())
		})
		if err != nil {
			return done, failed(fmt.Sprintf("migrate: record step %d", m.version), err)
		}
		done = append(done, m.version)
	}
	return done, nil
}

// schema renders the whole schema as Migrate creates it in database db on
// cluster (empty for a single server) on servers of version v: the
// schema_migrations table, then every migration's statements in order,
// each step headed by a "-- step N: name" comment and each statement ended
// by a semicolon, so the text reads as a review of the DDL and runs in
// clickhouse-client --multiquery. The golden files testdata/schema*.sql
// hold it.
func schema(db, cluster string, v serverVersion) string {
	var b strings.Builder
	b.WriteString("-- schema_migrations: the steps applied, created before any step\n")
	for _, stmt := range migrationsTable.statements(db, cluster, v) {
		b.WriteString(stmt + ";\n")
	}
	for _, m := range migrations {
		fmt.Fprintf(&b, "\n-- step %d: %s\n", m.version, m.name)
		for _, stmt := range m.statements(db, cluster, v) {
			b.WriteString(stmt + ";\n")
		}
	}
	return b.String()
}

// schemaStatements are the statements Migrate sends on a new database, in
// order: schema_migrations', then every step's.
func schemaStatements(db, cluster string, v serverVersion) []string {
	out := migrationsTable.statements(db, cluster, v)
	for _, m := range migrations {
		out = append(out, m.statements(db, cluster, v)...)
	}
	return out
}

// Schema is the DDL Migrate sends to create the whole schema in a new
// database on a single server of version (as SELECT version() reports
// it), in order, with the tables named without their database: for
// creating the schema where the store does not connect, as `make
// test-current` does in chDB.
func Schema(version string) []string { return schemaStatements("", "", parseVersion(version)) }

// SchemaVersion is the newest migration the program knows.
func SchemaVersion() uint32 { return migrations[len(migrations)-1].version }

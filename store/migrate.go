package store

import (
	"context"
	"fmt"
	"time"
)

// table is one table of the schema. On a single server it is created as
// described; in cluster mode (clickhouse.cluster) a table with shardBy is
// created ON CLUSTER as a replicated local table <name>_local and a
// Distributed table <name> over it, sharded by shardBy, and a table without
// is replicated whole to every server (small tables read everywhere, such as
// the units the scope filters look up). Queries name <name> either way.
type table struct {
	name    string
	columns string
	// version is the ReplacingMergeTree version column; empty for a plain
	// MergeTree.
	version   string
	partition string
	order     string
	shardBy   string
}

// statements are the DDL that create the table: CREATE … IF NOT EXISTS,
// so running them again changes nothing.
func (t table) statements(db, cluster string) []string {
	engine, replicated := "MergeTree()", "ReplicatedMergeTree('%s', '{replica}')"
	if t.version != "" {
		engine = "ReplacingMergeTree(" + t.version + ")"
		replicated = "ReplicatedReplacingMergeTree('%s', '{replica}', " + t.version + ")"
	}
	tail := ""
	if t.partition != "" {
		tail += " PARTITION BY " + t.partition
	}
	tail += " ORDER BY " + t.order
	if cluster == "" {
		return []string{fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s) ENGINE = %s%s", t.name, t.columns, engine, tail)}
	}
	on := " ON CLUSTER " + cluster
	if t.shardBy == "" {
		path := "/clickhouse/tables/all/" + db + "/" + t.name
		return []string{fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s (%s) ENGINE = %s%s", db, t.name, on, t.columns, fmt.Sprintf(replicated, path), tail)}
	}
	local := t.name + "_local"
	path := "/clickhouse/tables/{shard}/" + db + "/" + local
	return []string{
		fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s (%s) ENGINE = %s%s", db, local, on, t.columns, fmt.Sprintf(replicated, path), tail),
		fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s.%s%s AS %s.%s ENGINE = Distributed(%s, %s, %s, %s)", db, t.name, on, db, local, cluster, db, local, t.shardBy),
	}
}

// migration is one versioned step of the schema. Its statements are
// idempotent (IF NOT EXISTS), so a step interrupted half-way is repaired by
// running it again; it is recorded only once all its tables exist.
type migration struct {
	version uint32
	name    string
	tables  []table
}

// migrations is the schema's history, oldest first. Append; never edit a
// step that has shipped.
var migrations = []migration{
	{1, "initial schema", []table{
		// units is the organisation tree: the divisions that ship with the
		// program and the units a bureau imports. path lists the ancestors'
		// codes, root first, so a scope is one has(path, code).
		{name: "units", columns: `code String, name String, parent String, level String, path Array(String),
			aliases Array(String), source String, version UInt64`, version: "version", order: "code"},

		// unit_figures holds one row per unit and day; a re-ingested row
		// replaces the earlier one (latest version wins), so re-importing
		// never double counts. has_stock = 0 marks engagement-only days.
		{name: "unit_figures", columns: `unit_code String, date Date, has_stock UInt8, members UInt32, followers UInt32,
			reads UInt64, shares UInt64, likes UInt64, wow UInt64, comments UInt64, source String, run_id String, version UInt64`,
			version: "version", partition: "toYYYYMM(date)", order: "(unit_code, date)", shardBy: "cityHash64(unit_code)"},

		// account_figures holds a WeChat official account's daily figures.
		{name: "account_figures", columns: `account String, date Date, new_users UInt32, cancelled_users UInt32,
			cumulative_users UInt32, reads UInt64, read_users UInt64, shares UInt64, favourites UInt64, run_id String, version UInt64`,
			version: "version", partition: "toYYYYMM(date)", order: "(account, date)", shardBy: "cityHash64(account)"},

		// ingest_runs records each run: written when it starts and again,
		// with a higher version, when it ends.
		{name: "ingest_runs", columns: `run_id String, source String, started_at DateTime, finished_at DateTime, status String,
			accepted UInt64, rejected UInt64, warnings UInt64, error String, version UInt64`,
			version: "version", order: "(started_at, run_id)", shardBy: "cityHash64(run_id)"},

		// rejected_rows says, for each row a run could not take, where it
		// was and why.
		{name: "rejected_rows", columns: `run_id String, file String, line UInt32, field String, reason String, raw String, at DateTime`,
			order: "(run_id, file, line)", shardBy: "cityHash64(run_id)"},
	}},
	{2, "account followers by source", []table{
		// account_user_sources splits a WeChat account's new and cancelled
		// followers of a day by where they came from (user_source).
		{name: "account_user_sources", columns: `account String, date Date, source UInt32, new_users UInt32,
			cancelled_users UInt32, run_id String, version UInt64`,
			version: "version", partition: "toYYYYMM(date)", order: "(account, date, source)", shardBy: "cityHash64(account)"},
	}},
}

// migrationsTable records the steps applied; every server has all of it.
var migrationsTable = table{name: "schema_migrations", columns: "version UInt32, name String, applied_at DateTime", version: "", order: "version"}

const sqlAppliedMigrations = `SELECT DISTINCT version FROM schema_migrations`

const sqlRecordMigration = `INSERT INTO schema_migrations (version, name, applied_at)`

// Migrate brings the schema up to date and returns the versions it applied.
// Running it again applies nothing.
func (s *Store) Migrate(ctx context.Context) ([]uint32, error) {
	for _, stmt := range migrationsTable.statements(s.db, s.cluster) {
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
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		applied[v] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}

	var done []uint32
	for _, m := range migrations {
		if applied[m.version] {
			continue
		}
		for _, t := range m.tables {
			for _, stmt := range t.statements(s.db, s.cluster) {
				if err := s.exec(ctx, stmt); err != nil {
					return done, fmt.Errorf("migrate: step %d (%s): %s", m.version, m.name, oneLine(err))
				}
			}
		}
		err := s.send(ctx, sqlRecordMigration, func(b batch) error {
			return b.Append(m.version, m.name, time.Now().UTC())
		})
		if err != nil {
			return done, fmt.Errorf("migrate: record step %d: %w", m.version, err)
		}
		done = append(done, m.version)
	}
	return done, nil
}

// SchemaVersion is the newest migration the program knows.
func SchemaVersion() uint32 { return migrations[len(migrations)-1].version }

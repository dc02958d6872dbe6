package store

import (
	"context"
	"fmt"
	"time"
)

// migration is one versioned step of the schema. Its statements are
// idempotent (IF NOT EXISTS), so a step interrupted half-way is repaired by
// running it again; it is recorded only once all its statements succeeded.
type migration struct {
	version    uint32
	name       string
	statements []string
}

// migrations is the schema's history, oldest first. Append; never edit a
// step that has shipped.
var migrations = []migration{
	{1, "initial schema", []string{
		// units is the organisation tree: the divisions that ship with the
		// program and the units a bureau imports. path lists the ancestors'
		// codes, root first, so a scope is one has(path, code).
		`CREATE TABLE IF NOT EXISTS units (
			code String,
			name String,
			parent String,
			level String,
			path Array(String),
			aliases Array(String),
			source String,
			version UInt64
		) ENGINE = ReplacingMergeTree(version) ORDER BY code`,

		// unit_figures holds one row per unit and day; a re-ingested row
		// replaces the earlier one (latest version wins), so re-importing
		// never double counts. has_stock = 0 marks engagement-only days.
		`CREATE TABLE IF NOT EXISTS unit_figures (
			unit_code String,
			date Date,
			has_stock UInt8,
			members UInt32,
			followers UInt32,
			reads UInt64,
			shares UInt64,
			likes UInt64,
			wow UInt64,
			comments UInt64,
			source String,
			run_id String,
			version UInt64
		) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(date) ORDER BY (unit_code, date)`,

		// account_figures holds a WeChat official account's daily figures.
		`CREATE TABLE IF NOT EXISTS account_figures (
			account String,
			date Date,
			new_users UInt32,
			cancelled_users UInt32,
			cumulative_users UInt32,
			reads UInt64,
			read_users UInt64,
			shares UInt64,
			favourites UInt64,
			run_id String,
			version UInt64
		) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(date) ORDER BY (account, date)`,

		// ingest_runs records each run: written when it starts and again,
		// with a higher version, when it ends.
		`CREATE TABLE IF NOT EXISTS ingest_runs (
			run_id String,
			source String,
			started_at DateTime,
			finished_at DateTime,
			status String,
			accepted UInt64,
			rejected UInt64,
			warnings UInt64,
			error String,
			version UInt64
		) ENGINE = ReplacingMergeTree(version) ORDER BY (started_at, run_id)`,

		// rejected_rows says, for each row a run could not take, where it
		// was and why.
		`CREATE TABLE IF NOT EXISTS rejected_rows (
			run_id String,
			file String,
			line UInt32,
			field String,
			reason String,
			raw String,
			at DateTime
		) ENGINE = MergeTree() ORDER BY (run_id, file, line)`,
	}},
	{2, "account followers by source", []string{
		// account_user_sources splits a WeChat account's new and cancelled
		// followers of a day by where they came from (user_source).
		`CREATE TABLE IF NOT EXISTS account_user_sources (
			account String,
			date Date,
			source UInt32,
			new_users UInt32,
			cancelled_users UInt32,
			run_id String,
			version UInt64
		) ENGINE = ReplacingMergeTree(version) PARTITION BY toYYYYMM(date) ORDER BY (account, date, source)`,
	}},
}

const sqlCreateMigrations = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version UInt32,
	name String,
	applied_at DateTime
) ENGINE = ReplacingMergeTree() ORDER BY version`

const sqlAppliedMigrations = `SELECT DISTINCT version FROM schema_migrations`

const sqlRecordMigration = `INSERT INTO schema_migrations (version, name, applied_at)`

// Migrate brings the schema up to date and returns the versions it applied.
// Running it again applies nothing.
func (s *Store) Migrate(ctx context.Context) ([]uint32, error) {
	if err := s.exec(ctx, sqlCreateMigrations); err != nil {
		return nil, fmt.Errorf("migrate: create schema_migrations: %s", oneLine(err))
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
		for _, stmt := range m.statements {
			if err := s.exec(ctx, stmt); err != nil {
				return done, fmt.Errorf("migrate: step %d (%s): %s", m.version, m.name, oneLine(err))
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

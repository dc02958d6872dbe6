// Package store is followrank's only door to ClickHouse: it creates the
// schema, writes figures in columnar batches and answers the questions the
// metrics ask. Every statement the program sends is in this package.
//
// The SQL is written for what both ClickHouse 18.16 (Debian's package) and
// current releases accept: named insert columns, no window functions, no
// CTEs, no server-side query parameters (values are bound client-side).
// Where versions differ (DROP … SYNC, LowCardinality and codecs in new
// tables, the setting of inserts on a cluster), serverVersion chooses, from
// the version the server reports when the store connects. `make
// test-current` runs every statement the tests send on current ClickHouse
// too (see recorder).
package store

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"followrank/config"
	"followrank/retry"
)

// Store is a connection to followrank's ClickHouse database.
type Store struct {
	conn    driver.Conn
	db      string
	addr    string
	cluster string        // empty on a single server
	version serverVersion // the server's, read when connecting
	quorum  int           // replicas an insert waits for on a cluster; 0: one
	log     *slog.Logger
	// quorumOff is when inserts may wait for a quorum again after one
	// could not be met (Unix nanoseconds; see send).
	quorumOff atomic.Int64
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// options turns the configured DSN into driver options for database db.
func options(cfg config.ClickHouse, db string) (*clickhouse.Options, error) {
	opts, err := clickhouse.ParseDSN(cfg.DSN)
	if err != nil {
		return nil, fmt.Errorf("clickhouse.dsn %s: %w", cfg.Address(), err)
	}
	if !strings.Contains(cfg.DSN, "dial_timeout") && cfg.DialTimeout > 0 {
		opts.DialTimeout = cfg.DialTimeout
	}
	opts.Auth.Database = db
	if cfg.StatementLog != "" {
		opts.Logger = slog.New(&recorder{path: cfg.StatementLog, db: db})
	}
	return opts, nil
}

// connect opens and pings a connection and reads the server's version,
// turning failures into one line that names the address.
func connect(ctx context.Context, cfg config.ClickHouse, db string) (driver.Conn, serverVersion, error) {
	opts, err := options(cfg, db)
	if err != nil {
		return nil, serverVersion{}, err
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, serverVersion{}, fmt.Errorf("cannot connect to ClickHouse at %s: %w", cfg.Address(), err)
	}
	pctx, cancel := context.WithTimeout(ctx, opts.DialTimeout+5*time.Second)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		conn.Close()
		var ex *clickhouse.Exception
		if errors.As(err, &ex) && ex.Code == codeUnknownDatabase {
			return nil, serverVersion{}, &NoDatabaseError{Addr: cfg.Address(), Database: db}
		}
		return nil, serverVersion{}, &UnreachableError{Addr: cfg.Address(), Cause: oneLine(err)}
	}
	// The version decides the SQL where servers differ (see serverVersion).
	var version string
	if err := conn.QueryRow(pctx, sqlVersion).Scan(&version); err != nil {
		conn.Close()
		return nil, serverVersion{}, &UnreachableError{Addr: cfg.Address(), Cause: oneLine(err)}
	}
	return conn, parseVersion(version), nil
}

// UnreachableError says ClickHouse did not answer. Callers word it with
// errors.As; Error is the English.
type UnreachableError struct {
	Addr  string // host:port
	Cause string // the driver's reason, one line
}

// Error reads `cannot reach ClickHouse at HOST:PORT: CAUSE`.
func (e *UnreachableError) Error() string {
	return fmt.Sprintf("cannot reach ClickHouse at %s: %s", e.Addr, e.Cause)
}

// NoDatabaseError says ClickHouse answered but has not the configured
// database: nothing was migrated yet. Callers word it with errors.As; Error
// is the English.
type NoDatabaseError struct {
	Addr, Database string
}

// Error reads `ClickHouse at HOST:PORT has no database "DB": run followrank migrate first`.
func (e *NoDatabaseError) Error() string {
	return fmt.Sprintf("ClickHouse at %s has no database %q: run `followrank migrate` first", e.Addr, e.Database)
}

// ClickHouse error codes the program treats specially.
const codeUnknownDatabase = 81

// Open connects to the configured database, which must exist (see Migrate).
func Open(ctx context.Context, cfg config.ClickHouse) (*Store, error) {
	db := cfg.Database()
	if !identifier.MatchString(db) {
		return nil, fmt.Errorf("clickhouse.dsn: database %q must be letters, digits and _", db)
	}
	conn, version, err := connect(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	if cfg.Cluster != "" && !identifier.MatchString(cfg.Cluster) {
		conn.Close()
		return nil, fmt.Errorf("clickhouse.cluster: %q must be letters, digits and _", cfg.Cluster)
	}
	s := &Store{conn: conn, db: db, addr: cfg.Address(), cluster: cfg.Cluster, version: version, log: slog.Default()}
	if s.cluster != "" {
		if s.quorum, err = s.insertQuorum(ctx); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return s, nil
}

// sqlShardReplicas is the number of replicas of the cluster's smallest
// shard (0 when the servers know no such cluster).
const sqlShardReplicas = `SELECT toUInt64(min(n)) FROM (SELECT shard_num, count() AS n FROM system.clusters WHERE cluster = ? GROUP BY shard_num)`

// insertQuorum is how many replicas of a shard an insert waits for: two
// when every shard has two or more, so that a server that dies right after
// an import never holds the only copy of its rows; none otherwise.
func (s *Store) insertQuorum(ctx context.Context) (int, error) {
	var replicas uint64
	if err := s.scanRow(ctx, []any{&replicas}, sqlShardReplicas, s.cluster); err != nil {
		return 0, &dbError{"read the cluster's replicas", err}
	}
	if replicas >= 2 {
		return 2, nil
	}
	return 0, nil
}

// SetLogger sends the store's log lines (a cluster's replica down) to l
// instead of slog's default logger.
func (s *Store) SetLogger(l *slog.Logger) { s.log = l }

// Close releases the connection.
func (s *Store) Close() error { return s.conn.Close() }

// Database is the name of the database the store works in.
func (s *Store) Database() string { return s.db }

// Ping checks that ClickHouse answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.conn.Ping(ctx); err != nil {
		return fmt.Errorf("ClickHouse at %s: %s", s.addr, oneLine(err))
	}
	return nil
}

const sqlCreateDatabase = "CREATE DATABASE IF NOT EXISTS %s%s"

const sqlDropDatabase = "DROP DATABASE IF EXISTS %s%s"

// CreateDatabase creates the configured database if it does not exist.
func CreateDatabase(ctx context.Context, cfg config.ClickHouse) error {
	return onDefault(ctx, cfg, sqlCreateDatabase)
}

// DropDatabase removes the configured database and all its tables. Tests
// use it to clean up the database they made.
func DropDatabase(ctx context.Context, cfg config.ClickHouse) error {
	return onDefault(ctx, cfg, sqlDropDatabase)
}

func onDefault(ctx context.Context, cfg config.ClickHouse, stmt string) error {
	db := cfg.Database()
	if !identifier.MatchString(db) {
		return fmt.Errorf("clickhouse.dsn: database %q must be letters, digits and _", db)
	}
	var on string
	if cfg.Cluster != "" {
		if !identifier.MatchString(cfg.Cluster) {
			return fmt.Errorf("clickhouse.cluster: %q must be letters, digits and _", cfg.Cluster)
		}
		on = " ON CLUSTER " + cfg.Cluster
	}
	conn, version, err := connect(ctx, cfg, "default")
	if err != nil {
		return err
	}
	defer conn.Close()
	q := fmt.Sprintf(stmt, db, on)
	if stmt == sqlDropDatabase {
		q += version.dropSuffix()
	}
	if err := conn.Exec(ctx, q); err != nil {
		return fmt.Errorf("ClickHouse at %s: %s", cfg.Address(), oneLine(err))
	}
	return nil
}

// oneLine keeps the first line of a driver error: ClickHouse exceptions carry
// a server stack trace that means nothing to a user.
// failed is an error of the store's, worded for the user in one line: what
// failed and ClickHouse's first line, without the server's stack trace
// (which Detail keeps, for the log). Errors that arrive while a result is
// streamed, from another server of a cluster, carry the whole trace.
func failed(what string, err error) error { return &dbError{what, err} }

func oneLine(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "\n"); i >= 0 {
		msg = msg[:i]
	}
	return strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(msg), ". Stack trace:"))
}

// date formats a day for binding: Date columns are compared with toDate(?)
// so that the same text works on every server version and time zone.
func date(t time.Time) string { return t.Format("2006-01-02") }

// batch is the part of a driver batch the writers use.
type batch = driver.Batch

// send prepares an insert, lets fill append columns, and sends it. The
// statement must name its columns: 18.16 inserts zero columns otherwise.
// A transient failure sends the whole batch again, which is safe: every
// table replaces a row by its key, so a block that did arrive the first
// time is only replaced by its copy.
func (s *Store) send(ctx context.Context, stmt string, fill func(batch) error) error {
	var fillErr error
	attempt, quorum := 0, s.quorum
	if time.Now().UnixNano() < s.quorumOff.Load() {
		quorum = 0
	}
	err := s.retry(ctx, func() error {
		attempt++
		actx := ctx
		if settings := s.insertSettings(stmt, attempt, quorum); len(settings) > 0 {
			actx = clickhouse.Context(ctx, clickhouse.WithSettings(settings))
		}
		b, err := s.conn.PrepareBatch(actx, stmt)
		if err != nil {
			return err
		}
		if fillErr = fill(b); fillErr != nil {
			_ = b.Abort()
			return nil
		}
		err = b.Send()
		if quorum > 0 && quorumFailed(err) {
			// A replica is down (or was, and holds a block it took
			// before it died): for a while, rows go to the live ones
			// alone (an insert that waited in vain would store its other
			// shards' rows once more at each try), and the others fetch
			// them when they return.
			s.log.Warn("inserts stop waiting for a second replica for a while", "table", insertTable(stmt), "for", quorumPause, "cause", oneLine(err))
			s.quorumOff.Store(time.Now().Add(quorumPause).UnixNano())
			quorum = 0
		}
		return err
	})
	if fillErr != nil {
		return fillErr
	}
	if err != nil {
		return &dbError{firstWords(stmt), err}
	}
	return nil
}

// insertSettings are the settings an insert's attempt is sent with, if
// any. On a cluster, an insert through a Distributed table returns only
// once the rows are stored on their shards (the setting's name depends on
// the server's version), and, with a quorum, on that many replicas of
// each: acknowledged rows survive the loss of any one server, readable on
// the others before it returns. A retried insert into a table whose rows
// carry a version is sent without block deduplication: the replica that
// died mid-insert may have stored the very same block, and a survivor
// would drop the retry as its duplicate and keep only a pointer to the
// dead replica's part, unreadable until it returns. A repeated row there
// is harmless (ReplacingMergeTree keeps one); in the other tables
// (rejected rows, run items) it would count twice, so their retries keep
// deduplication.
func (s *Store) insertSettings(stmt string, attempt, quorum int) clickhouse.Settings {
	settings := clickhouse.Settings{}
	if s.cluster != "" {
		settings[s.version.foregroundInsert()] = 1
	}
	if quorum > 0 {
		settings["insert_quorum"] = quorum
		settings["insert_quorum_timeout"] = int(quorumTimeout / time.Millisecond)
	}
	if attempt > 1 && versioned[insertTable(stmt)] {
		settings["insert_deduplicate"] = 0
	}
	return settings
}

// quorumTimeout is how long an insert waits for a shard's second replica
// to fetch its block: seconds when both are up. A replica killed a moment
// ago still counts as alive until its ZooKeeper session expires, and an
// insert waits for it until this timeout.
const quorumTimeout = 10 * time.Second

// quorumPause is how long inserts go without a quorum after one could not
// be met: about as long as ZooKeeper takes to see a dead server gone.
const quorumPause = time.Minute

// quorumCodes are the exceptions of an insert whose quorum cannot be met.
var quorumCodes = map[int32]bool{
	285: true, // TOO_FEW_LIVE_REPLICAS
	286: true, // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE: a dead replica's block waits for its copies
	319: true, // UNKNOWN_STATUS_OF_INSERT: "Timeout while waiting for quorum" (stored on one replica)
}

// quorumFailed says an insert failed for want of live replicas: too few are
// alive, an earlier block still waits for its copies, or the wait for a
// second replica timed out.
func quorumFailed(err error) bool {
	var ex *clickhouse.Exception
	return errors.As(err, &ex) && quorumCodes[ex.Code]
}

// insertTable is the table an INSERT statement names.
func insertTable(stmt string) string {
	rest, ok := strings.CutPrefix(stmt, "INSERT INTO ")
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, " ")
	return name
}

// versioned are the tables whose rows carry a version (ReplacingMergeTree).
var versioned = func() map[string]bool {
	m := map[string]bool{}
	for _, step := range migrations {
		for _, t := range step.tables {
			m[t.name] = t.version != ""
		}
	}
	return m
}()

// dbError names what failed, in one line, and keeps the driver's error for
// errors.Is and errors.As.
type dbError struct {
	what string
	err  error
}

func (e *dbError) Error() string { return e.what + ": " + oneLine(e.err) }
func (e *dbError) Unwrap() error { return e.err }

// Detail is the whole of ClickHouse's error, stack trace included: for the
// log, not for the user.
func (e *dbError) Detail() string { return e.err.Error() }

// qualify names the database where a query says {db}: the scope filters'
// subqueries on units, which a cluster's shards run in their own sessions,
// where the current database is not ours.
func (s *Store) qualify(q string) string { return strings.ReplaceAll(q, "{db}.", s.db+".") }

// query runs a SELECT, retrying transient failures to get its rows.
func (s *Store) query(ctx context.Context, q string, args ...any) (driver.Rows, error) {
	q = s.qualify(q)
	var rows driver.Rows
	err := s.retry(ctx, func() error {
		var err error
		rows, err = s.conn.Query(ctx, q, args...)
		return err
	})
	return rows, err
}

// scanRow runs a one-row SELECT into dest, retrying transient failures.
func (s *Store) scanRow(ctx context.Context, dest []any, q string, args ...any) error {
	q = s.qualify(q)
	return s.retry(ctx, func() error {
		return s.conn.QueryRow(ctx, q, args...).Scan(dest...)
	})
}

// exec runs a statement, retrying transient failures.
func (s *Store) exec(ctx context.Context, q string, args ...any) error {
	q = s.qualify(q)
	return s.retry(ctx, func() error { return s.conn.Exec(ctx, q, args...) })
}

// policy is how the store tries an operation again: five attempts in all,
// 0.2 s apart and doubling, for failures that retry.Transient passes.
var policy = retry.Policy{Attempts: 5, Wait: 200 * time.Millisecond}

// retry runs op under the store's policy, with the driver's errors
// classified as ClickHouse's (see chError).
func (s *Store) retry(ctx context.Context, op func() error) error {
	return policy.Do(ctx, func(context.Context) error {
		if err := op(); err != nil {
			return &chError{err}
		}
		return nil
	})
}

// transientCodes are ClickHouse exception codes worth a second try.
var transientCodes = map[int32]bool{
	159: true, // TIMEOUT_EXCEEDED
	202: true, // TOO_MANY_SIMULTANEOUS_QUERIES
	209: true, // SOCKET_TIMEOUT
	210: true, // NETWORK_ERROR
	252: true, // TOO_MANY_PARTS
	285: true, // TOO_FEW_LIVE_REPLICAS (an insert with a quorum; send lowers it)
	286: true, // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE (likewise)
	319: true, // UNKNOWN_STATUS_OF_INSERT
}

// chError is an error of the ClickHouse driver, which says whether it is
// transient (see package retry): an exception by its code, a connection
// pool that gave no connection in time, and otherwise a broken or refused
// connection. Syntax, type and schema errors are not transient.
type chError struct{ err error }

func (e *chError) Error() string { return e.err.Error() }
func (e *chError) Unwrap() error { return e.err }

// Transient says trying the operation again may succeed.
func (e *chError) Transient() bool {
	var ex *clickhouse.Exception
	if errors.As(e.err, &ex) {
		return transientCodes[ex.Code]
	}
	if errors.Is(e.err, clickhouse.ErrAcquireConnTimeout) {
		return true
	}
	return retry.Network(e.err)
}

func firstWords(stmt string) string {
	f := strings.Fields(stmt)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

// Package store is followrank's only door to ClickHouse: it creates the
// schema, writes figures in columnar batches and answers the questions the
// metrics ask. Every statement the program sends is in this package.
//
// The SQL is written for what both ClickHouse 18.16 (Debian's package) and
// current releases accept: named insert columns, no window functions, no
// CTEs, no server-side query parameters (values are bound client-side).
package store

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"followrank/config"
)

// Store is a connection to followrank's ClickHouse database.
type Store struct {
	conn driver.Conn
	db   string
	addr string
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
	return opts, nil
}

// connect opens and pings a connection, turning failures into one line that
// names the address.
func connect(ctx context.Context, cfg config.ClickHouse, db string) (driver.Conn, error) {
	opts, err := options(cfg, db)
	if err != nil {
		return nil, err
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to ClickHouse at %s: %w", cfg.Address(), err)
	}
	pctx, cancel := context.WithTimeout(ctx, opts.DialTimeout+5*time.Second)
	defer cancel()
	if err := conn.Ping(pctx); err != nil {
		conn.Close()
		var ex *clickhouse.Exception
		if errors.As(err, &ex) && ex.Code == codeUnknownDatabase {
			return nil, fmt.Errorf("ClickHouse at %s has no database %q: run `followrank migrate` first", cfg.Address(), db)
		}
		return nil, fmt.Errorf("cannot reach ClickHouse at %s: %s", cfg.Address(), oneLine(err))
	}
	return conn, nil
}

// ClickHouse error codes the program treats specially.
const codeUnknownDatabase = 81

// Open connects to the configured database, which must exist (see Migrate).
func Open(ctx context.Context, cfg config.ClickHouse) (*Store, error) {
	db := cfg.Database()
	if !identifier.MatchString(db) {
		return nil, fmt.Errorf("clickhouse.dsn: database %q must be letters, digits and _", db)
	}
	conn, err := connect(ctx, cfg, db)
	if err != nil {
		return nil, err
	}
	return &Store{conn: conn, db: db, addr: cfg.Address()}, nil
}

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

const sqlCreateDatabase = "CREATE DATABASE IF NOT EXISTS %s"

const sqlDropDatabase = "DROP DATABASE IF EXISTS %s"

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
	conn, err := connect(ctx, cfg, "default")
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := conn.Exec(ctx, fmt.Sprintf(stmt, db)); err != nil {
		return fmt.Errorf("ClickHouse at %s: %s", cfg.Address(), oneLine(err))
	}
	return nil
}

// oneLine keeps the first line of a driver error: ClickHouse exceptions carry
// a server stack trace that means nothing to a user.
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
func (s *Store) send(ctx context.Context, stmt string, fill func(batch) error) error {
	b, err := s.conn.PrepareBatch(ctx, stmt)
	if err != nil {
		return fmt.Errorf("prepare %s: %s", firstWords(stmt), oneLine(err))
	}
	if err := fill(b); err != nil {
		_ = b.Abort()
		return err
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("%s: %s", firstWords(stmt), oneLine(err))
	}
	return nil
}

func firstWords(stmt string) string {
	f := strings.Fields(stmt)
	if len(f) > 3 {
		f = f[:3]
	}
	return strings.Join(f, " ")
}

// Package storetest gives tests a migrated ClickHouse database of their own,
// on the real server that `make test` starts, and drops it afterwards.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"followrank/config"
	"followrank/store"
	"followrank/units"
)

// Config returns the ClickHouse settings for a new, uniquely named test
// database on the server named by FOLLOWRANK_CLICKHOUSE_DSN (default
// 127.0.0.1:9000). The database is dropped when the test ends.
//
// When FOLLOWRANK_CLICKHOUSE_STATEMENT_LOG names a file, every statement
// the test's stores send is appended to it (config.ClickHouse.StatementLog),
// as `make test-current` has it to run them on current ClickHouse.
//
// When no server answers, the test is skipped with the reason, unless
// FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE=1 or CI=true, where it fails: `make test`
// starts a server, so nothing may skip there.
func Config(t testing.TB) config.ClickHouse {
	t.Helper()
	dsn := os.Getenv("FOLLOWRANK_CLICKHOUSE_DSN")
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "followrank_test_" + hex.EncodeToString(b[:])
	base, _, _ := strings.Cut(dsn, "?")
	if i := strings.LastIndex(base, "/"); i > len("clickhouse://") {
		base = base[:i]
	}
	cfg := config.ClickHouse{DSN: base + "/" + name, DialTimeout: 3 * time.Second,
		StatementLog: os.Getenv(config.EnvName("clickhouse", "statement_log"))}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := store.CreateDatabase(ctx, cfg); err != nil {
		if os.Getenv("FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE") == "1" || os.Getenv("CI") == "true" {
			t.Fatalf("ClickHouse is required here: %v", err)
		}
		t.Skipf("skipping: this test needs a ClickHouse server (run `make test`, which starts one): %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		if err := store.DropDatabase(ctx, cfg); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
	})
	return cfg
}

// New returns a store on a fresh, migrated test database that holds the
// built-in divisions.
func New(t testing.TB) *store.Store {
	t.Helper()
	cfg := Config(t)
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	prepare(t, s)
	return s
}

// prepare migrates a store and loads the built-in divisions, as
// `followrank migrate` does.
func prepare(t testing.TB, s *store.Store) {
	t.Helper()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	tree, err := units.NewTree(units.Builtin())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveUnits(context.Background(), tree, tree.All(), "builtin", store.BuiltinVersion); err != nil {
		t.Fatal(err)
	}
}

// Persistent returns a migrated store on a database named name that is kept
// between runs, for benchmarks whose data takes long to load: fill is called
// only when the database does not hold want rows of figures yet.
func Persistent(t testing.TB, name string, want uint64, fill func(*store.Store) error) *store.Store {
	t.Helper()
	cfg := Config(t) // checks that a server answers, and cleans up after itself
	base := strings.TrimSuffix(cfg.DSN, "/"+cfg.Database())
	cfg.DSN = base + "/" + name
	ctx := context.Background()
	if err := store.CreateDatabase(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if n, err := s.FigureRows(ctx); err != nil {
		t.Fatal(err)
	} else if n == want {
		return s
	}
	if err := store.DropDatabase(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if err := store.CreateDatabase(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	prepare(t, s)
	if err := fill(s); err != nil {
		t.Fatal(err)
	}
	return s
}

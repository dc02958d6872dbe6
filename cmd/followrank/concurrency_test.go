package main

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"followrank/config"
	"followrank/store"
	"followrank/store/storetest"
)

// digestOf is the digest of every figure stored in a database: two
// databases hold the same figures exactly when their digests are equal.
func digestOf(t *testing.T, cfg config.ClickHouse) (rows, sum uint64) {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, sum, err = s.Digest(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rows, sum
}

// TestTwoImportsAtOnceEqualOne runs two imports of the same sheets at the
// same time, then two inbox ingestions over the same folder, and checks the
// stored figures equal those of a single import.
func TestTwoImportsAtOnceEqualOne(t *testing.T) {
	dir := t.TempDir()
	sheet := filepath.Join(dir, "全省各县-日报.csv")
	bigSheet(t, sheet, 300) // 31,200 rows
	files := []string{sheet, fixture("anhui-cities-2024-05.xlsx"), fixture("安徽各市关注情况-2024年6月.csv")}

	digest := func(dsn string) (uint64, uint64) {
		return digestOf(t, config.ClickHouse{DSN: dsn, DialTimeout: 3 * time.Second, StatementLog: os.Getenv(config.EnvName("clickhouse", "statement_log"))})
	}

	single := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", single.DSN)
	t.Chdir(dir)
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	if out, err := followrank(t, append([]string{"import"}, files...)...); err != nil {
		t.Fatalf("import: %v\n%s", err, out)
	}
	wantRows, wantSum := digest(single.DSN)

	twice := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", twice.DSN)
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := followrank(t, append([]string{"import"}, files...)...)
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent import: %v", err)
		}
	}
	if rows, sum := digest(twice.DSN); rows != wantRows || sum != wantSum {
		t.Fatalf("two imports at once stored %d figures (digest %x); one import stores %d (%x)", rows, sum, wantRows, wantSum)
	}

	// Two ingestions over one inbox: each file is taken once or twice, never lost or doubled.
	inboxDB := storetest.Config(t)
	t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", inboxDB.DSN)
	inbox := filepath.Join(dir, "inbox")
	os.MkdirAll(inbox, 0o755)
	for _, f := range files {
		data, _ := os.ReadFile(f)
		os.WriteFile(filepath.Join(inbox, filepath.Base(f)), data, 0o644)
	}
	os.WriteFile(filepath.Join(dir, "followrank.yaml"), []byte("sources:\n  inbox:\n    dir: "+inbox+"\n"), 0o644)
	if _, err := followrank(t, "migrate"); err != nil {
		t.Fatal(err)
	}
	errs = make(chan error, 2)
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := followrank(t, "ingest")
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent ingest: %v", err)
		}
	}
	if rows, sum := digest(inboxDB.DSN); rows != wantRows || sum != wantSum {
		t.Fatalf("two ingestions at once stored %d figures (digest %x); one import stores %d (%x)", rows, sum, wantRows, wantSum)
	}
	left, _ := os.ReadDir(inbox)
	for _, e := range left {
		if !e.IsDir() {
			t.Errorf("%s was left in the inbox", e.Name())
		}
	}
}

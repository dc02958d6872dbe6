package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"followrank/config"
	"followrank/ingest"
	"followrank/ingest/inbox"
	"followrank/jobs"
	"followrank/model"
	"followrank/retry"
	"followrank/store"
	"followrank/units"
)

// faultServer is a ClickHouse of the test's own, on its own port and
// folder, that the test can kill and start again without disturbing the
// server the other tests use.
type faultServer struct {
	t   *testing.T
	dir string
	dsn string // without the database
}

func (f *faultServer) script(arg string) error {
	cmd := exec.Command(filepath.Join(pkgDir, "..", "..", "scripts", "clickhouse.sh"), arg)
	cmd.Env = append(os.Environ(), "CLICKHOUSE_DIR="+f.dir, "FOLLOWRANK_CLICKHOUSE_DSN="+f.dsn+"/default")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("clickhouse.sh %s: %v\n%s", arg, err, out)
	}
	return nil
}

// kill stops the server the hard way, as a crash or a power cut would.
func (f *faultServer) kill() {
	b, err := os.ReadFile(filepath.Join(f.dir, "pid"))
	if err != nil {
		f.t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	syscall.Kill(pid, syscall.SIGKILL)
	for i := 0; i < 100 && syscall.Kill(pid, 0) == nil; i++ {
		time.Sleep(50 * time.Millisecond)
	}
}

func startFaultServer(t *testing.T) *faultServer {
	if _, err := exec.LookPath("clickhouse-server"); err != nil {
		if _, err := os.Stat("/usr/sbin/clickhouse-server"); err != nil {
			if os.Getenv("FOLLOWRANK_TEST_REQUIRE_CLICKHOUSE") == "1" || os.Getenv("CI") == "true" {
				t.Fatal("the fault tests need clickhouse-server installed")
			}
			t.Skip("skipping: the fault tests start a ClickHouse server of their own and need clickhouse-server (make test installs it)")
		}
	}
	f := &faultServer{t: t, dir: t.TempDir(), dsn: "clickhouse://127.0.0.1:19123"}
	if err := f.script("start"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.script("stop") })
	return f
}

// bigSheet writes a sheet of Anhui's 104 counties over many days.
func bigSheet(t *testing.T, path string, days int) {
	tree, _ := units.NewTree(units.Builtin())
	counties := tree.Descendants("340000", units.County)
	var b strings.Builder
	b.WriteString("区划代码,日期,离退休干部数,关注人数,阅读量\n")
	start := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := 0; d < days; d++ {
		for i, c := range counties {
			m := 1000 + (i*37)%4000
			fmt.Fprintf(&b, "%s,%s,%d,%d,%d\n", c.Code, start.AddDate(0, 0, d).Format(time.DateOnly), m, m*(30+(i+d)%60)/100, (i*d)%500)
		}
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestFaultClickHouseKilledMidRun kills ClickHouse in the middle of an
// import of a large sheet, and in the middle of a scheduled inbox run,
// FOLLOWRANK_FAULT_REPS times (default 20) in turn. Each time the run must
// fail with a clear message and be recorded as failed, and, once ClickHouse
// is back, running again must give exactly the figures of a clean run.
func TestFaultClickHouseKilledMidRun(t *testing.T) {
	reps := 20
	if v, err := strconv.Atoi(os.Getenv("FOLLOWRANK_FAULT_REPS")); err == nil {
		reps = v
	}
	srv := startFaultServer(t)
	dir := t.TempDir()
	sheet := filepath.Join(dir, "全省各县-日报.csv")
	bigSheet(t, sheet, 5000) // 520,000 rows
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))

	fresh := func(db string) (*store.Store, config.ClickHouse) {
		cfg := config.ClickHouse{DSN: srv.dsn + "/" + db, DialTimeout: 2 * time.Second}
		store.DropDatabase(ctx, cfg)
		if err := store.CreateDatabase(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		s, err := store.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		tree, _ := units.NewTree(units.Builtin())
		if err := s.SaveUnits(ctx, tree, tree.All(), "builtin", store.BuiltinVersion); err != nil {
			t.Fatal(err)
		}
		return s, cfg
	}
	tree, _ := units.NewTree(units.Builtin())

	// The clean run.
	clean, _ := fresh("clean")
	if _, err := ingest.ImportSheet(ctx, sheet, ingest.SheetOptions{Tree: tree, Source: "import", RunID: "clean"}, clean); err != nil {
		t.Fatal(err)
	}
	wantRows, wantSum, err := clean.Digest(ctx)
	clean.Close()
	if err != nil || wantRows != 520_000 {
		t.Fatalf("clean run: %d rows, %v", wantRows, err)
	}

	done, tries := 0, 0
	for done < reps && tries < reps*3 {
		tries++
		scheduled := done%2 == 1
		s, cfg := fresh("fault")
		t.Setenv("FOLLOWRANK_CLICKHOUSE_DSN", cfg.DSN)
		inboxDir := filepath.Join(dir, "inbox")
		os.RemoveAll(inboxDir)
		os.MkdirAll(inboxDir, 0o755)

		result := make(chan error, 1)
		if scheduled {
			data, _ := os.ReadFile(sheet)
			os.WriteFile(filepath.Join(inboxDir, filepath.Base(sheet)), data, 0o644)
			src := &inbox.Source{Dir: inboxDir, Tree: func(context.Context) (*units.Tree, error) { return tree, nil }}
			r := jobs.New(s, jobs.NewRecorder(s, log), []ingest.Source{src}, log)
			r.Retry = retry.Policy{Attempts: 1}
			go func() { _, err := r.RunSource(ctx, src); result <- err }()
		} else {
			go func() { _, err := followrank(t, "import", sheet); result <- err }()
		}
		time.Sleep(time.Duration(60+rand.IntN(240)) * time.Millisecond)
		select {
		case err := <-result:
			s.Close()
			if err != nil {
				t.Fatalf("the run failed before ClickHouse was stopped: %v", err)
			}
			continue // it finished first: not a fault, try again
		default:
		}
		srv.kill()
		time.Sleep(4 * time.Second) // longer than the store's retries
		if err := srv.script("start"); err != nil {
			t.Fatal(err)
		}
		var runErr error
		select {
		case runErr = <-result:
		case <-time.After(2 * time.Minute):
			t.Fatal("the run did not end after ClickHouse came back")
		}
		if runErr == nil {
			s.Close()
			continue // the kill fell between the last write and the end
		}
		if !strings.Contains(runErr.Error(), "store figures") && !strings.Contains(runErr.Error(), "未能导入") {
			t.Errorf("rep %d: the failure says %q", done, runErr)
		}
		runs, err := s.Runs(ctx, 5)
		if err != nil || len(runs) == 0 || runs[0].Status != model.RunFailed || !strings.Contains(runs[0].Error, "store figures") {
			t.Errorf("rep %d: the failed run is recorded as %+v (%v)", done, runs, err)
		}

		// Run again, now that ClickHouse is back.
		if scheduled {
			r := jobs.New(s, jobs.NewRecorder(s, log), nil, log)
			src := &inbox.Source{Dir: inboxDir, Tree: func(context.Context) (*units.Tree, error) { return tree, nil }}
			if _, err := r.RunSource(ctx, src); err != nil {
				t.Fatalf("rep %d: the run after recovery failed: %v", done, err)
			}
			if _, err := os.Stat(filepath.Join(inboxDir, "done", filepath.Base(sheet))); err != nil {
				t.Errorf("rep %d: the sheet was not moved to done/ after the recovered run", done)
			}
		} else if out, err := followrank(t, "import", sheet); err != nil {
			t.Fatalf("rep %d: the import after recovery failed: %v\n%s", done, err, out)
		}
		rows, sum, err := s.Digest(ctx)
		s.Close()
		if err != nil || rows != wantRows || sum != wantSum {
			t.Fatalf("rep %d (%s): after recovery %d figures (digest %x), a clean run has %d (%x); %v",
				done, map[bool]string{true: "scheduled run", false: "import"}[scheduled], rows, sum, wantRows, wantSum, err)
		}
		done++
	}
	if done < reps {
		t.Fatalf("only %d of %d repetitions stopped ClickHouse mid-run", done, reps)
	}
	t.Logf("%d repetitions (%d tries): every recovered run equals the clean run (%d figures)", done, tries, wantRows)
}

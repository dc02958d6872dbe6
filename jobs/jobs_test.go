package jobs_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"followrank/config"
	"followrank/ingest"
	"followrank/jobs"
	"followrank/model"
)

// runs is a store of run records in memory: the scheduler's tests are
// about time and order, not storage (the store's own tests cover that).
type runs struct {
	mu      sync.Mutex
	records map[string]model.Run // the newest record of each run
	ctxErrs []error              // ctx.Err() of each RecordRun call
}

func newRuns() *runs { return &runs{records: map[string]model.Run{}} }

func (s *runs) RecordRun(ctx context.Context, r model.Run) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctxErrs = append(s.ctxErrs, ctx.Err())
	s.records[r.ID] = r
	return nil
}

func (s *runs) RecordRejections(context.Context, string, []model.Rejection) error { return nil }
func (s *runs) RecordRunItems(context.Context, string, []string) error            { return nil }

// StaleRuns are the runs recorded as running whose last beat is older than
// before.
func (s *runs) StaleRuns(_ context.Context, before time.Time) ([]model.Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Run
	for _, r := range s.records {
		if r.Status == model.RunRunning && r.Finished.Before(before) {
			out = append(out, r)
		}
	}
	return out, nil
}
func (s *runs) WriteFigures(context.Context, string, string, []model.Figure) error {
	return nil
}
func (s *runs) LastAccountDay(context.Context, string) (time.Time, bool, error) {
	return time.Time{}, false, nil
}
func (s *runs) WriteAccountDays(context.Context, string, []model.AccountDay) error { return nil }
func (s *runs) LastRun(context.Context, string) (model.Run, bool, error) {
	return model.Run{}, false, nil // never ran: a backfilling source is caught up at start
}

func (s *runs) all() []model.Run {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []model.Run
	for _, r := range s.records {
		out = append(out, r)
	}
	return out
}

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// source fails with each of errs in turn, then succeeds; it takes took.
type source struct {
	name      string
	took      time.Duration
	errs      []error
	backfills bool

	mu               sync.Mutex
	calls, running   int
	maxRunning       int
	started, skipped []time.Duration
	epoch            time.Time
}

func (s *source) Name() string    { return s.name }
func (s *source) Backfills() bool { return s.backfills }
func (s *source) Ingest(ctx context.Context, _ ingest.Sink, _ string) (ingest.Outcome, error) {
	s.mu.Lock()
	s.calls++
	s.running++
	s.maxRunning = max(s.maxRunning, s.running)
	s.started = append(s.started, time.Since(s.epoch))
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	time.Sleep(s.took)
	s.mu.Lock()
	s.running--
	s.mu.Unlock()
	if err != nil {
		return ingest.Outcome{}, err
	}
	return ingest.Outcome{Accepted: 1}, nil
}

// refused is a refused connection as the ClickHouse driver returns it when
// the server is down: a *net.OpError wrapped by the driver.
func refused() error {
	op := &net.OpError{Op: "dial", Net: "tcp", Addr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 9000},
		Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	return fmt.Errorf("store figures: clickhouse [acquire conn]: %w", op)
}

func TestSourceRetries(t *testing.T) {
	tests := []struct {
		name      string
		errs      []error
		calls     int
		status    string
		waited    time.Duration
		errSubstr string
	}{
		{"a refused connection is retried and the run then succeeds", []error{refused(), refused()}, 3, model.RunOK, 2*time.Second + 4*time.Second, ""},
		{"three retries, as the README promises, then the run fails", []error{refused(), refused(), refused(), refused(), refused()}, 4, model.RunFailed, 14 * time.Second, "connection refused"},
		{"a bad file is not retried", []error{errors.New("june.csv: no heading row")}, 1, model.RunFailed, 0, "no heading row"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				store := newRuns()
				src := &source{name: "inbox", errs: tt.errs, epoch: time.Now()}
				r := jobs.New(store, jobs.NewRecorder(store, quiet), []ingest.Source{src}, quiet)
				start := time.Now()
				run, err := r.RunSource(context.Background(), src)
				if src.calls != tt.calls {
					t.Errorf("%d calls, want %d", src.calls, tt.calls)
				}
				if waited := time.Since(start); waited != tt.waited {
					t.Errorf("waited %v between attempts, want %v", waited, tt.waited)
				}
				if run.Status != tt.status || (tt.errSubstr == "") != (err == nil) {
					t.Errorf("run %s, err %v; want %s", run.Status, err, tt.status)
				}
				recorded := store.all()
				if len(recorded) != 1 || recorded[0].Status != tt.status {
					t.Errorf("recorded %+v, want one run %s", recorded, tt.status)
				}
				if tt.errSubstr != "" && !strings.Contains(recorded[0].Error, tt.errSubstr) {
					t.Errorf("recorded error %q, want it to say %q", recorded[0].Error, tt.errSubstr)
				}
			})
		})
	}
}

// TestCatchUpAndScheduledRunsNeverOverlap starts a schedule whose source
// was never run, so it is caught up at once; the catch-up takes 90 minutes
// and the job is due every hour. The tick during the catch-up is skipped,
// and no two runs of the job ever overlap.
func TestCatchUpAndScheduledRunsNeverOverlap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newRuns()
		src := &source{name: "wechat", took: 90 * time.Minute, backfills: true, epoch: time.Now()}
		r := jobs.New(store, jobs.NewRecorder(store, quiet), []ingest.Source{src}, quiet)
		var mu sync.Mutex
		var skipped []time.Duration
		r.OnSkip = func(string) {
			mu.Lock()
			defer mu.Unlock()
			skipped = append(skipped, time.Since(src.epoch).Round(time.Minute))
		}
		sched, err := r.Start(context.Background(), []config.Job{{Name: "nightly", Spec: "@every 1h", Sources: []string{"wechat"}}}, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		time.Sleep(3*time.Hour + 10*time.Minute)
		<-sched.Stop().Done() // waits for the run that started at 2h
		synctest.Wait()

		if src.maxRunning != 1 {
			t.Errorf("%d runs of the job at once, want 1", src.maxRunning)
		}
		want := []time.Duration{0, 2 * time.Hour} // the catch-up, then the 2h tick
		if fmt.Sprint(src.started) != fmt.Sprint(want) {
			t.Errorf("runs started at %v, want %v", src.started, want)
		}
		if fmt.Sprint(skipped) != fmt.Sprint([]time.Duration{time.Hour, 3 * time.Hour}) {
			t.Errorf("ticks skipped at %v, want at 1h and 3h", skipped)
		}
		if n := len(store.all()); n != 2 {
			t.Errorf("%d runs recorded, want 2", n)
		}
	})
}

// TestRunEndIsRecordedAfterCancellation: a run whose context ends (a client
// that disconnected, a shutdown) is still recorded as finished.
func TestRunEndIsRecordedAfterCancellation(t *testing.T) {
	store := newRuns()
	rec := jobs.NewRecorder(store, quiet)
	ctx, cancel := context.WithCancel(context.Background())
	run, err := rec.Start(ctx, "api")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	run, err = rec.Finish(ctx, run, ingest.Outcome{Accepted: 3}, nil)
	if err != nil || run.Status != model.RunOK {
		t.Fatalf("finish: %+v, %v", run, err)
	}
	if got := store.all(); len(got) != 1 || got[0].Status != model.RunOK || got[0].Accepted != 3 {
		t.Errorf("recorded %+v", got)
	}
	if last := store.ctxErrs[len(store.ctxErrs)-1]; last != nil {
		t.Errorf("the end was recorded with a cancelled context: %v", last)
	}
}

// TestAKilledRunIsMarkedInterrupted: a run whose process died stops beating;
// the next run's start marks it interrupted. A run that goes on beating is
// left alone however long it takes.
func TestAKilledRunIsMarkedInterrupted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := newRuns()
		// A process killed mid-import left its run recorded as running,
		// as Start records it, and beats no more.
		dead := model.Run{ID: "dead", Source: "import", Started: time.Now(), Finished: time.Now(), Status: model.RunRunning}
		store.RecordRun(context.Background(), dead)
		alive := jobs.NewRecorder(store, quiet)
		long, _ := alive.Start(context.Background(), "inbox") // beats every minute
		time.Sleep(10 * time.Minute)

		next := jobs.NewRecorder(store, quiet)
		run, err := next.Start(context.Background(), "import")
		if err != nil {
			t.Fatal(err)
		}
		status := map[string]model.Run{}
		for _, r := range store.all() {
			status[r.ID] = r
		}
		if r := status["dead"]; r.Status != model.RunInterrupted || !strings.Contains(r.Error, "interrupted") {
			t.Errorf("the dead run is %s (%q), want interrupted", r.Status, r.Error)
		}
		if r := status[long.ID]; r.Status != model.RunRunning {
			t.Errorf("the live run is %s, want running", r.Status)
		}
		if _, err := next.Finish(context.Background(), run, ingest.Outcome{}, nil); err != nil {
			t.Fatal(err)
		}
		if r, _ := alive.Finish(context.Background(), long, ingest.Outcome{Accepted: 1}, nil); r.Status != model.RunOK {
			t.Errorf("the long run ended %s", r.Status)
		}
		synctest.Wait()
		for _, r := range store.all() {
			if r.ID == long.ID && r.Status != model.RunOK {
				t.Errorf("a beat landed after the end: %+v", r)
			}
		}
	})
}

// TestAFailedRunCountsWhatWasStored: rows checked are not rows stored.
func TestAFailedRunCountsWhatWasStored(t *testing.T) {
	store := newRuns()
	rec := jobs.NewRecorder(store, quiet)
	run, _ := rec.Start(context.Background(), "import")
	run, _ = rec.Finish(context.Background(), run, ingest.Outcome{Accepted: 1_000_000, Stored: 900_000}, errors.New("store figures: connection reset"))
	if run.Status != model.RunFailed || run.Accepted != 900_000 || !strings.Contains(run.Error, "1000000 rows were checked and taken; 900000 of them were stored") {
		t.Errorf("run %+v", run)
	}
}

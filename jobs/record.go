// Package jobs runs ingestion: the lifecycle of a run (one Recorder for
// every kind, from a scheduled source to an upload through the API), one
// retry policy for sources, and the cron schedule of `followrank serve`.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"followrank/ingest"
	"followrank/model"
)

// Store is where runs are recorded; the store is one.
type Store interface {
	RecordRun(ctx context.Context, r model.Run) error
	RecordRejections(ctx context.Context, runID string, rs []model.Rejection) error
	RecordRunItems(ctx context.Context, runID string, items []string) error
	StaleRuns(ctx context.Context, before time.Time) ([]model.Run, error)
}

// Recorder records runs, the same way for every kind of run: once when it
// starts, and again when it ends, with its counts, its rejected rows and
// its error. The end is recorded even when the run's context was cancelled
// (a client that disconnected, a shutdown): the run happened.
//
// While a run goes on, its record beats: it is written again every Beat
// with the time as its Finished. A run whose process was killed stops
// beating, and the next start of any run marks it interrupted (Sweep).
type Recorder struct {
	store Store
	log   *slog.Logger
	// OnRun, when set, is told of every finished run (for /metrics).
	OnRun func(model.Run)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Beat is how often a running run's record is written again (default
	// a minute); a run silent for three beats is taken as interrupted.
	Beat time.Duration

	mu    sync.Mutex
	beats map[string]beating // by run id
	// finished are told of every finished run, after OnRun (Listen).
	finished []func(model.Run)
}

// Listen has fn told of every run that finishes from now on, after OnRun:
// serve pushes the summary after each run that stored figures. fn is
// called on the goroutine that finished the run, so it must not block.
func (r *Recorder) Listen(fn func(model.Run)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.finished = append(r.finished, fn)
}

// beating is a running run's beats: stop ends them, done closes when they
// have ended.
type beating struct {
	stop context.CancelFunc
	done chan struct{}
}

// NewRecorder returns a recorder that writes to s.
func NewRecorder(s Store, log *slog.Logger) *Recorder {
	return &Recorder{store: s, log: log, beats: map[string]beating{}}
}

func (r *Recorder) beat() time.Duration {
	if r.Beat > 0 {
		return r.Beat
	}
	return time.Minute
}

// Sweep marks interrupted the runs still recorded as running that have not
// beaten for three beats: their process is gone. It returns them.
func (r *Recorder) Sweep(ctx context.Context) ([]model.Run, error) {
	stale, err := r.store.StaleRuns(ctx, r.now().Add(-3*r.beat()))
	if err != nil {
		return nil, err
	}
	for i := range stale {
		run := &stale[i]
		run.Status = model.RunInterrupted
		run.Error = fmt.Sprintf("interrupted: the process ended during the run (last sign of life %s)", run.Finished.Local().Format(time.DateTime))
		if err := r.store.RecordRun(ctx, *run); err != nil {
			return stale[:i], err
		}
		r.log.Warn("a run was interrupted", "run", run.ID, "source", run.Source, "last_seen", run.Finished)
	}
	return stale, nil
}

// recordTimeout bounds how long recording a run's end may take after its
// context ended.
const recordTimeout = 30 * time.Second

func (r *Recorder) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Start records the start of a run of source and returns it. A failure to
// record is returned; the caller decides whether the run may go on without
// its record (a dry run has none at all).
func (r *Recorder) Start(ctx context.Context, source string) (model.Run, error) {
	if _, err := r.Sweep(ctx); err != nil {
		r.log.Warn("could not look for interrupted runs", "err", err)
	}
	run := model.Run{ID: model.NewRunID(), Source: source, Started: r.now(), Status: model.RunRunning}
	run.Finished = run.Started
	if err := r.store.RecordRun(ctx, run); err != nil {
		return run, err
	}
	bctx, stop := context.WithCancel(context.WithoutCancel(ctx))
	b := beating{stop, make(chan struct{})}
	r.mu.Lock()
	r.beats[run.ID] = b
	r.mu.Unlock()
	go func() {
		defer close(b.done)
		t := time.NewTicker(r.beat())
		defer t.Stop()
		for {
			select {
			case <-bctx.Done():
				return
			case <-t.C:
				beat := run
				beat.Finished = r.now()
				if err := r.store.RecordRun(bctx, beat); err != nil && bctx.Err() == nil {
					r.log.Warn("could not record that a run goes on", "run", run.ID, "err", err)
				}
			}
		}
	}()
	return run, nil
}

// stopBeating ends a run's beats, and waits for a beat being written, so
// that no beat lands after the run's end.
func (r *Recorder) stopBeating(id string) {
	r.mu.Lock()
	b, ok := r.beats[id]
	delete(r.beats, id)
	r.mu.Unlock()
	if ok {
		b.stop()
		<-b.done
	}
}

// Finish records the end of run: its counts from out, its status (failed
// when err is not nil, partial when rows were rejected, else ok) and its
// rejected rows. It returns the finished run and the first failure to
// record it.
func (r *Recorder) Finish(ctx context.Context, run model.Run, out ingest.Outcome, err error) (model.Run, error) {
	r.stopBeating(run.ID)
	run.Finished = r.now()
	run.Accepted, run.Rejected, run.Warnings = uint64(out.Accepted), uint64(out.Rejected), uint64(out.Warnings)
	switch {
	case err != nil:
		run.Status, run.Error = model.RunFailed, err.Error()
		if out.Stored < out.Accepted {
			// Rows checked are not rows stored: the run counts what was
			// stored, and says how many more were taken.
			run.Accepted = uint64(out.Stored)
			run.Error += fmt.Sprintf(" (%d rows were checked and taken; %d of them were stored before the failure)", out.Accepted, out.Stored)
		}
	case out.Rejected > 0 || len(out.Rejections) > 0:
		run.Status = model.RunPartial
	default:
		run.Status = model.RunOK
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
	defer cancel()
	rerr := r.store.RecordRejections(rctx, run.ID, out.Rejections)
	if rerr != nil {
		r.log.Warn("could not record rejected rows", "run", run.ID, "err", rerr)
	}
	if e := r.store.RecordRunItems(rctx, run.ID, out.Items); e != nil {
		r.log.Warn("could not record what a run read", "run", run.ID, "err", e)
	}
	run.Items = out.Items
	if e := r.store.RecordRun(rctx, run); e != nil {
		r.log.Warn("could not record the end of a run", "run", run.ID, "err", e)
		if rerr == nil {
			rerr = e
		}
	}
	if r.OnRun != nil {
		r.OnRun(run)
	}
	r.mu.Lock()
	listeners := r.finished
	r.mu.Unlock()
	for _, fn := range listeners {
		fn(run)
	}
	return run, rerr
}

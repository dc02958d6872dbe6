// Package jobs runs ingestion: the lifecycle of a run (one Recorder for
// every kind, from a scheduled source to an upload through the API), one
// retry policy for sources, and the cron schedule of `followrank serve`.
package jobs

import (
	"context"
	"log/slog"
	"time"

	"followrank/ingest"
	"followrank/model"
)

// Store is where runs are recorded; the store is one.
type Store interface {
	RecordRun(ctx context.Context, r model.Run) error
	RecordRejections(ctx context.Context, runID string, rs []model.Rejection) error
}

// Recorder records runs, the same way for every kind of run: once when it
// starts, and again when it ends, with its counts, its rejected rows and
// its error. The end is recorded even when the run's context was cancelled
// (a client that disconnected, a shutdown): the run happened.
type Recorder struct {
	store Store
	log   *slog.Logger
	// OnRun, when set, is told of every finished run (for /metrics).
	OnRun func(model.Run)
	// Now is the clock; time.Now when nil.
	Now func() time.Time
}

// NewRecorder returns a recorder that writes to s.
func NewRecorder(s Store, log *slog.Logger) *Recorder {
	return &Recorder{store: s, log: log}
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
	run := model.Run{ID: model.NewRunID(), Source: source, Started: r.now(), Status: model.RunRunning}
	return run, r.store.RecordRun(ctx, run)
}

// Finish records the end of run: its counts from out, its status (failed
// when err is not nil, partial when rows were rejected, else ok) and its
// rejected rows. It returns the finished run and the first failure to
// record it.
func (r *Recorder) Finish(ctx context.Context, run model.Run, out ingest.Outcome, err error) (model.Run, error) {
	run.Finished = r.now()
	run.Accepted, run.Rejected, run.Warnings = uint64(out.Accepted), uint64(out.Rejected), uint64(out.Warnings)
	switch {
	case err != nil:
		run.Status, run.Error = model.RunFailed, err.Error()
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
	if e := r.store.RecordRun(rctx, run); e != nil {
		r.log.Warn("could not record the end of a run", "run", run.ID, "err", e)
		if rerr == nil {
			rerr = e
		}
	}
	if r.OnRun != nil {
		r.OnRun(run)
	}
	return run, rerr
}

// Package schedule runs ingestion jobs: once for `followrank ingest`, and
// on their cron specs for `followrank serve`. Each source of a job runs on
// its own, is retried with backoff when it fails, and is recorded as a run.
package schedule

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/robfig/cron/v3"

	"followrank/config"
	"followrank/ingest"
	"followrank/store"
)

// Source is a place figures come from on schedule.
type Source interface {
	Name() string
	Ingest(ctx context.Context, sink ingest.Sink, runID string) (ingest.Outcome, error)
}

// Backfiller is a source that can fetch the figures of past days, so a run
// missed while the process was down is worth catching up.
type Backfiller interface {
	Backfills() bool
}

// Store is what the runner needs from storage.
type Store interface {
	ingest.Sink
	RecordRun(ctx context.Context, r store.Run) error
	RecordRejections(ctx context.Context, runID string, rs []ingest.Rejection) error
	LastRun(ctx context.Context, source string) (store.Run, bool, error)
}

// Runner runs jobs' sources and records each run.
type Runner struct {
	store   Store
	sources map[string]Source
	log     *slog.Logger
	// Retries is how many times a failed source is tried again within a run;
	// Backoff is the first wait, doubled each time.
	Retries int
	Backoff time.Duration
	// OnRun, when set, is told of every finished run (for the server's metrics).
	OnRun func(store.Run)
	// OnSkip, when set, is told when a job is skipped because it still runs.
	OnSkip func(job string)
}

// New returns a runner over the given sources.
func New(s Store, sources []Source, log *slog.Logger) *Runner {
	m := map[string]Source{}
	for _, src := range sources {
		m[src.Name()] = src
	}
	return &Runner{store: s, sources: m, log: log, Retries: 3, Backoff: 2 * time.Second}
}

// RunJob runs each source of the job in turn; one failing does not stop the
// others. It returns the runs it recorded.
func (r *Runner) RunJob(ctx context.Context, job config.Job) ([]store.Run, error) {
	var runs []store.Run
	var errs []error
	for _, name := range job.Sources {
		src, ok := r.sources[name]
		if !ok {
			errs = append(errs, fmt.Errorf("job %s: source %s is not configured (see sources: in the config)", job.Name, name))
			continue
		}
		run, err := r.RunSource(ctx, src)
		runs = append(runs, run)
		if err != nil {
			errs = append(errs, err)
		}
	}
	return runs, errors.Join(errs...)
}

// RunSource runs one source, retrying it with backoff, and records the run.
func (r *Runner) RunSource(ctx context.Context, src Source) (store.Run, error) {
	run := store.Run{ID: store.NewRunID(), Source: src.Name(), Started: time.Now(), Status: store.RunRunning}
	log := r.log.With("source", src.Name(), "run", run.ID)
	if err := r.store.RecordRun(ctx, run); err != nil {
		log.Warn("could not record the start of a run", "err", err)
	}
	var out ingest.Outcome
	var err error
	wait := r.Backoff
	for attempt := 0; ; attempt++ {
		out, err = src.Ingest(ctx, r.store, run.ID)
		if err == nil || attempt >= r.Retries || ctx.Err() != nil || !temporary(err) {
			break
		}
		log.Warn("source failed; retrying", "attempt", attempt+1, "wait", wait, "err", err)
		select {
		case <-time.After(wait):
		case <-ctx.Done():
		}
		wait *= 2
	}
	run.Finished = time.Now()
	run.Accepted, run.Rejected, run.Warnings = uint64(out.Accepted), uint64(out.Rejected), uint64(out.Warnings)
	switch {
	case err != nil:
		run.Status, run.Error = store.RunFailed, err.Error()
	case out.Rejected > 0 || len(out.Rejections) > 0:
		run.Status = store.RunPartial
	default:
		run.Status = store.RunOK
	}
	// Record the end even when shutting down: the run happened.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if rerr := r.store.RecordRejections(rctx, run.ID, out.Rejections); rerr != nil {
		log.Warn("could not record rejected rows", "err", rerr)
	}
	if rerr := r.store.RecordRun(rctx, run); rerr != nil {
		log.Warn("could not record the end of a run", "err", rerr)
	}
	for _, item := range out.Items {
		log.Info(item)
	}
	log.Info("run finished", "status", run.Status, "accepted", run.Accepted, "rejected", run.Rejected, "seconds", run.Finished.Sub(run.Started).Seconds())
	if r.OnRun != nil {
		r.OnRun(run)
	}
	if err != nil {
		return run, fmt.Errorf("%s: %w", src.Name(), err)
	}
	return run, nil
}

// temporary says a failure may pass if tried again: errors that say they
// are permanent (a wrong secret, a used-up quota) are not retried.
func temporary(err error) bool {
	var t interface{ Temporary() bool }
	if errors.As(err, &t) {
		return t.Temporary()
	}
	return true
}

// parser reads cron lines with optional seconds, and descriptors (@daily,
// @every 2s).
var parser = cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// ParseSpec checks a job's cron line.
func ParseSpec(spec string) (cron.Schedule, error) {
	s, err := parser.Parse(spec)
	if err != nil {
		return nil, fmt.Errorf("cron spec %q: %w", spec, err)
	}
	return s, nil
}

// Start schedules the jobs in loc and returns the running scheduler; stop it
// with Stop, whose context is done when running jobs have finished. Jobs
// missed while the process was down are caught up now for sources that
// can fetch past days. A job still running when its time comes again is
// skipped, and the skip logged.
func (r *Runner) Start(ctx context.Context, jobs []config.Job, loc *time.Location) (*cron.Cron, error) {
	logger := cronLogger{r.log}
	c := cron.New(cron.WithLocation(loc), cron.WithParser(parser), cron.WithLogger(logger))
	type pending struct {
		job  config.Job
		wrap cron.Job
	}
	var catchUp []pending
	for _, job := range jobs {
		sched, err := ParseSpec(job.Spec)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", job.Name, err)
		}
		wrapped := cron.NewChain(skipIfRunning(r, job.Name)).Then(cron.FuncJob(func() {
			if _, err := r.RunJob(ctx, job); err != nil {
				r.log.Error("job failed", "job", job.Name, "err", err)
			}
		}))
		if _, err := c.AddJob(job.Spec, wrapped); err != nil {
			return nil, fmt.Errorf("schedule %s: %w", job.Name, err)
		}
		if missed, err := r.missed(ctx, job, sched, loc); err != nil {
			r.log.Warn("could not tell whether a run was missed", "job", job.Name, "err", err)
		} else if len(missed.Sources) > 0 {
			catchUp = append(catchUp, pending{missed, cron.NewChain(skipIfRunning(r, job.Name)).Then(cron.FuncJob(func() {
				if _, err := r.RunJob(ctx, missed); err != nil {
					r.log.Error("catch-up failed", "job", job.Name, "err", err)
				}
			}))})
		}
	}
	c.Start()
	for _, p := range catchUp {
		r.log.Info("catching up a missed run", "job", p.job.Name, "sources", p.job.Sources)
		go p.wrap.Run()
	}
	return c, nil
}

// missed returns the part of job to catch up: its backfilling sources whose
// last run is older than the job's previous scheduled time.
func (r *Runner) missed(ctx context.Context, job config.Job, sched cron.Schedule, loc *time.Location) (config.Job, error) {
	out := config.Job{Name: job.Name + " (catch-up)", Spec: job.Spec}
	now := time.Now().In(loc)
	for _, name := range job.Sources {
		src, ok := r.sources[name]
		if !ok {
			continue
		}
		if b, ok := src.(Backfiller); !ok || !b.Backfills() {
			continue
		}
		last, ok, err := r.store.LastRun(ctx, name)
		if err != nil {
			return out, err
		}
		if !ok || !sched.Next(last.Started.In(loc)).After(now) {
			out.Sources = append(out.Sources, name)
		}
	}
	return out, nil
}

// skipIfRunning is cron's SkipIfStillRunning with a hook for metrics.
func skipIfRunning(r *Runner, job string) cron.JobWrapper {
	return func(j cron.Job) cron.Job {
		ch := make(chan struct{}, 1)
		ch <- struct{}{}
		return cron.FuncJob(func() {
			select {
			case v := <-ch:
				defer func() { ch <- v }()
				j.Run()
			default:
				r.log.Info("skipping a run: the previous one is still running", "job", job)
				if r.OnSkip != nil {
					r.OnSkip(job)
				}
			}
		})
	}
}

// cronLogger sends cron's own messages to slog.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug("cron: "+msg, kv...) }
func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error("cron: "+msg, append(kv, "err", err)...)
}

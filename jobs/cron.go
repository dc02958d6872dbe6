package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/robfig/cron/v3"

	"followrank/config"
	"followrank/ingest"
	"followrank/model"
	"followrank/retry"
)

// Sink is what sources store into and what the runner asks of the last
// runs; the store is one.
type Sink interface {
	ingest.Sink
	LastRun(ctx context.Context, source string) (model.Run, bool, error)
}

// Runner runs jobs' sources and records each run.
type Runner struct {
	sink    Sink
	rec     *Recorder
	sources map[string]ingest.Source
	log     *slog.Logger
	// Retry is how a failed source is tried again within a run: a failure
	// that retry.Transient passes (a refused connection, a broken one, a
	// busy API) is retried, a bad file or a wrong secret is not.
	Retry retry.Policy
	// OnSkip, when set, is told when a job is skipped because it still runs.
	OnSkip func(job string)

	guards map[string]chan struct{} // by job name: one run of a job at a time
}

// New returns a runner over the given sources, storing into s and
// recording runs with rec.
func New(s Sink, rec *Recorder, sources []ingest.Source, log *slog.Logger) *Runner {
	m := map[string]ingest.Source{}
	for _, src := range sources {
		m[src.Name()] = src
	}
	return &Runner{sink: s, rec: rec, sources: m, log: log,
		Retry:  retry.Policy{Attempts: 4, Wait: 2 * time.Second},
		guards: map[string]chan struct{}{}}
}

// RunJob runs each source of the job in turn; one failing does not stop the
// others. It returns the runs it recorded.
func (r *Runner) RunJob(ctx context.Context, job config.Job) ([]model.Run, error) {
	var runs []model.Run
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

// RunSource runs one source, retrying it under r.Retry, and records the run.
func (r *Runner) RunSource(ctx context.Context, src ingest.Source) (model.Run, error) {
	log := r.log.With("source", src.Name())
	run, err := r.rec.Start(ctx, src.Name())
	if err != nil {
		log.Warn("could not record the start of a run", "run", run.ID, "err", err)
	}
	log = log.With("run", run.ID)
	var out ingest.Outcome
	p := r.Retry
	p.OnRetry = func(attempt int, wait time.Duration, err error) {
		log.Warn("source failed; retrying", "attempt", attempt, "wait", wait, "err", err)
	}
	err = p.Do(ctx, func(ctx context.Context) error {
		var err error
		out, err = src.Ingest(ctx, r.sink, run.ID)
		return err
	})
	run, _ = r.rec.Finish(ctx, run, out, err)
	for _, item := range out.Items {
		log.Info(item)
	}
	log.Info("run finished", "status", run.Status, "accepted", run.Accepted, "rejected", run.Rejected, "seconds", run.Finished.Sub(run.Started).Seconds())
	if err != nil {
		return run, fmt.Errorf("%s: %w", src.Name(), err)
	}
	return run, nil
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
func (r *Runner) Start(ctx context.Context, jobs []config.Job, loc *time.Location) (*Schedule, error) {
	logger := cronLogger{r.log}
	c := cron.New(cron.WithLocation(loc), cron.WithParser(parser), cron.WithLogger(logger))
	type pending struct {
		job  config.Job
		wrap cron.Job
	}
	var catchUp []pending
	for _, job := range jobs {
		guard := r.guard(job.Name)
		sched, err := ParseSpec(job.Spec)
		if err != nil {
			return nil, fmt.Errorf("schedule %s: %w", job.Name, err)
		}
		wrapped := cron.NewChain(guard).Then(cron.FuncJob(func() {
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
			catchUp = append(catchUp, pending{missed, cron.NewChain(guard).Then(cron.FuncJob(func() {
				if _, err := r.RunJob(ctx, missed); err != nil {
					r.log.Error("catch-up failed", "job", job.Name, "err", err)
				}
			}))})
		}
	}
	c.Start()
	sch := &Schedule{cron: c}
	for _, p := range catchUp {
		r.log.Info("catching up a missed run", "job", p.job.Name, "sources", p.job.Sources)
		sch.catchUps.Go(p.wrap.Run)
	}
	return sch, nil
}

// Schedule is the running schedule of Runner.Start.
type Schedule struct {
	cron     *cron.Cron
	catchUps sync.WaitGroup
}

// Stop stops scheduling runs; the context it returns is done when the
// runs in progress, scheduled or catching up, have finished.
func (s *Schedule) Stop() context.Context {
	stopped := s.cron.Stop()
	ctx, done := context.WithCancel(context.Background())
	go func() {
		<-stopped.Done()
		s.catchUps.Wait()
		done()
	}()
	return ctx
}

// Next lists when each job runs next.
func (s *Schedule) Next() []time.Time {
	var out []time.Time
	for _, e := range s.cron.Entries() {
		out = append(out, e.Next)
	}
	return out
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
		if b, ok := src.(ingest.Backfiller); !ok || !b.Backfills() {
			continue
		}
		last, ok, err := r.sink.LastRun(ctx, name)
		if err != nil {
			return out, err
		}
		if !ok || !sched.Next(last.Started.In(loc)).After(now) {
			out.Sources = append(out.Sources, name)
		}
	}
	return out, nil
}

// guard returns the job's one guard: the scheduled runs and a catch-up run
// of the same job share it, so that no two runs of a job overlap; a run
// whose time comes while another holds the guard is skipped, and the skip
// logged and counted.
func (r *Runner) guard(job string) cron.JobWrapper {
	ch, ok := r.guards[job]
	if !ok {
		ch = make(chan struct{}, 1)
		ch <- struct{}{}
		r.guards[job] = ch
	}
	return func(j cron.Job) cron.Job {
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

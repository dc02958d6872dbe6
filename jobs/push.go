package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"followrank/ingest"
	"followrank/model"
	"followrank/push"
	"followrank/retry"
)

// PushSource is the name of the source that pushes the summaries: a job
// of the schedule that lists it (sources: [push]) sends them on its own
// time, e.g. on the 通报 day each month.
const PushSource = "push"

// UnitsSource is the source of the runs that import units (followrank
// units import): they change the tree, not the figures.
const UnitsSource = "units"

// Pusher sends each scope's summary to that scope's robots, as a source of
// its own, so that it is scheduled, recorded and listed in /runs like the
// runs it reports on. It stores nothing.
type Pusher struct {
	Scopes []PushScope
	// Summarise words the ranking of scope (a unit's code) as it stands.
	Summarise func(ctx context.Context, scope string) (push.Summary, error)
	// Policy is how a robot that failed is tried again (push.RetryPolicy).
	Policy retry.Policy
	Log    *slog.Logger
}

// PushScope is a scope and the robots its summary goes to.
type PushScope struct {
	Scope  string // a unit's code
	Robots []push.Robot
}

// Name is the source's name, PushSource.
func (p *Pusher) Name() string { return PushSource }

// Ingest pushes every scope's summary. Its outcome counts the messages a
// robot took as accepted and those refused for good as rejected, one item
// each; its error joins the failures. Robots are retried under p.Policy
// only: a run is never tried again as a whole (the runner's retry), which
// would send again to the robots that took the message.
func (p *Pusher) Ingest(ctx context.Context, _ ingest.Sink, _ string) (ingest.Outcome, error) {
	var out ingest.Outcome
	var errs []error
	for _, sc := range p.Scopes {
		s, err := p.Summarise(ctx, sc.Scope)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sent, err := push.Push(ctx, p.Policy, p.Log, s, sc.Robots...)
		for _, d := range sent {
			if d.Err == nil {
				out.Accepted++
				out.Items = append(out.Items, fmt.Sprintf("%s → %s：已推送（%d次）", s.Scope, d.Robot, d.Attempts))
			} else {
				out.Rejected++
				out.Items = append(out.Items, fmt.Sprintf("%s → %s：未推送", s.Scope, d.Robot))
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return out, once{err}
	}
	return out, nil
}

// once is a failure of a push, which its robots' retries have had: never
// transient to the runner.
type once struct{ error }

func (e once) Unwrap() error   { return e.error }
func (e once) Transient() bool { return false }

// Landed says a finished run stored figures: the runs a push follows.
// Pushes themselves and units imports are not such runs.
func Landed(run model.Run) bool {
	if run.Source == PushSource || run.Source == UnitsSource {
		return false
	}
	return (run.Status == model.RunOK || run.Status == model.RunPartial) && run.Accepted > 0
}

// PushAfterRuns has p pushed, in the background, after every run rec
// records as landed; ctx bounds the pushes (serve's, which ends at
// shutdown). The run that landed never waits for its push.
func (r *Runner) PushAfterRuns(ctx context.Context, rec *Recorder, p *Pusher) {
	rec.Listen(func(run model.Run) {
		if !Landed(run) {
			return
		}
		go func() {
			if _, err := r.RunSource(ctx, p); err != nil {
				r.log.Warn("push after a run failed", "after", run.ID, "err", err)
			}
		}()
	})
}

// Package ingest turns rows into checked figures: it finds a sheet's
// heading, date and scope, resolves each row's unit, checks its values
// (followers ≤ members, no duplicates, a stated rate that agrees) and hands
// the accepted figures to a sink in batches. The places figures come from
// on schedule are packages of their own below it: inbox (a folder of
// sheets), wechat (the WeChat data API) and demo (the demo generator).
package ingest

import (
	"context"
	"time"

	"followrank/model"
)

// FigureSink stores accepted figures; the store is one.
type FigureSink interface {
	WriteFigures(ctx context.Context, source, runID string, figs []model.Figure) error
}

// AccountSink stores a WeChat account's days; the store is one.
type AccountSink interface {
	LastAccountDay(ctx context.Context, account string) (time.Time, bool, error)
	WriteAccountDays(ctx context.Context, runID string, days []model.AccountDay) error
}

// Sink is where a scheduled source stores what it reads.
type Sink interface {
	FigureSink
	AccountSink
}

// Source is a place figures come from on schedule: a folder of sheets, the
// WeChat data API.
type Source interface {
	Name() string
	Ingest(ctx context.Context, sink Sink, runID string) (Outcome, error)
}

// Backfiller is a source that can fetch the figures of past days, so a run
// missed while the process was down is worth catching up.
type Backfiller interface {
	Backfills() bool
}

// Outcome is what a source did in one run.
type Outcome struct {
	Accepted, Rejected, Warnings int
	// Stored counts the figures handed to the sink and stored; after a
	// failure it may be fewer than Accepted, the rows checked and taken.
	Stored     int
	Rejections []model.Rejection
	// Items says what was read, one line each: files, days.
	Items []string
}

// Add counts a file's report into the outcome.
func (o *Outcome) Add(rep *Report) {
	o.Accepted += rep.Accepted
	o.Stored += rep.Stored
	o.Rejected += rep.Rejected
	o.Warnings += rep.Warned
	o.Rejections = append(o.Rejections, rep.Rejections...)
}

// SinkError is a failure to store figures: the storage, not the input, is
// at fault, and running again later may succeed.
type SinkError struct{ Err error }

func (e *SinkError) Error() string { return "store figures: " + e.Err.Error() }
func (e *SinkError) Unwrap() error { return e.Err }

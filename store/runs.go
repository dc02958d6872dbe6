package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"time"

	"followrank/ingest"
)

// Run statuses.
const (
	RunRunning = "running"
	RunOK      = "ok"
	RunPartial = "partial" // some rows rejected
	RunFailed  = "failed"
)

// Run is one ingestion: what ran, what it took and how it ended.
type Run struct {
	ID       string
	Source   string
	Started  time.Time
	Finished time.Time
	Status   string
	Accepted uint64
	Rejected uint64
	Warnings uint64
	Error    string
}

// NewRunID returns a fresh random run id.
func NewRunID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

const sqlInsertRun = `INSERT INTO ingest_runs (run_id, source, started_at, finished_at, status, accepted, rejected, warnings, error, version)`

// RecordRun writes the run's current state; a later call for the same run
// replaces the earlier state. When ClickHouse is unreachable it keeps trying
// for up to a minute: a run that failed because the server went away should
// still be recorded as failed once it is back.
func (s *Store) RecordRun(ctx context.Context, r Run) error {
	finished := r.Finished
	if finished.IsZero() {
		finished = r.Started
	}
	version := uint64(time.Now().UnixNano())
	return s.patiently(ctx, func(ctx context.Context) error {
		return s.send(ctx, sqlInsertRun, func(b batch) error {
			return b.Append(r.ID, r.Source, r.Started.UTC(), finished.UTC(), r.Status, r.Accepted, r.Rejected, r.Warnings, r.Error, version)
		})
	})
}

// recordPatience is how long records of runs wait for ClickHouse to return.
var recordPatience = time.Minute

// patiently repeats op, itself retried, while it fails transiently, for up
// to recordPatience.
func (s *Store) patiently(ctx context.Context, op func(context.Context) error) error {
	deadline := time.Now().Add(recordPatience)
	for {
		err := op(ctx)
		if err == nil || !Transient(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return err
		}
		select {
		case <-time.After(time.Second):
		case <-ctx.Done():
			return err
		}
	}
}

// sqlRuns reads each run's newest record (a run is recorded when it starts
// and again when it ends).
const sqlRuns = `SELECT run_id, any(source), any(started_at), argMax(finished_at, version), argMax(status, version),
       argMax(accepted, version), argMax(rejected, version), argMax(warnings, version), argMax(error, version)
FROM ingest_runs GROUP BY run_id ORDER BY any(started_at) DESC, run_id LIMIT ?`

// Runs returns the latest runs, newest first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	return s.runs(ctx, sqlRuns, limit)
}

func (s *Store) runs(ctx context.Context, query string, args ...any) ([]Run, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read runs: %s", oneLine(err))
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var r Run
		if err := rows.Scan(&r.ID, &r.Source, &r.Started, &r.Finished, &r.Status, &r.Accepted, &r.Rejected, &r.Warnings, &r.Error); err != nil {
			return nil, fmt.Errorf("read runs: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const sqlInsertRejections = `INSERT INTO rejected_rows (run_id, file, line, field, reason, raw, at)`

// RecordRejections stores the rows a run rejected.
func (s *Store) RecordRejections(ctx context.Context, runID string, rs []ingest.Rejection) error {
	if len(rs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	return s.patiently(ctx, func(ctx context.Context) error {
		return s.send(ctx, sqlInsertRejections, func(b batch) error {
			for _, r := range rs {
				if err := b.Append(runID, r.File, uint32(r.Line), r.Field, r.Reason, r.Raw, now); err != nil {
					return fmt.Errorf("insert rejected rows: %w", err)
				}
			}
			return nil
		})
	})
}

const sqlRejections = `SELECT file, line, field, reason, raw FROM rejected_rows WHERE run_id = ? ORDER BY file, line`

// Rejections returns the rows a run rejected, in file and line order.
func (s *Store) Rejections(ctx context.Context, runID string) ([]ingest.Rejection, error) {
	rows, err := s.query(ctx, sqlRejections, runID)
	if err != nil {
		return nil, fmt.Errorf("read rejected rows: %s", oneLine(err))
	}
	defer rows.Close()
	var out []ingest.Rejection
	for rows.Next() {
		var r ingest.Rejection
		var line uint32
		if err := rows.Scan(&r.File, &line, &r.Field, &r.Reason, &r.Raw); err != nil {
			return nil, fmt.Errorf("read rejected rows: %w", err)
		}
		r.Line = int(line)
		out = append(out, r)
	}
	return out, rows.Err()
}

const sqlLastRun = `SELECT run_id, any(source), any(started_at), argMax(finished_at, version), argMax(status, version) AS st,
       argMax(accepted, version), argMax(rejected, version), argMax(warnings, version), argMax(error, version)
FROM ingest_runs WHERE source = ? GROUP BY run_id HAVING st != 'running' ORDER BY any(started_at) DESC LIMIT 1`

// LastRun returns the latest finished run of a source; ok is false when it
// never ran.
func (s *Store) LastRun(ctx context.Context, source string) (Run, bool, error) {
	runs, err := s.runs(ctx, sqlLastRun, source)
	if err != nil || len(runs) == 0 {
		return Run{}, false, err
	}
	return runs[0], true, nil
}

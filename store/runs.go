package store

import (
	"context"
	"fmt"
	"followrank/model"
	"followrank/retry"
	"time"
)

const sqlInsertRun = `INSERT INTO ingest_runs (run_id, source, started_at, finished_at, status, accepted, rejected, warnings, error, version)`

// RecordRun writes the run's current state; a later call for the same run
// replaces the earlier state. When ClickHouse is unreachable it keeps trying
// for up to a minute: a run that failed because the server went away should
// still be recorded as failed once it is back.
func (s *Store) RecordRun(ctx context.Context, r model.Run) error {
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

// recordPolicy is how long records of runs wait for ClickHouse to
// return: a run that failed because the server went away should still be
// recorded as failed once it is back.
var recordPolicy = retry.Policy{Wait: time.Second, MaxWait: time.Second, Patience: time.Minute}

// patiently repeats op, itself retried, while it fails transiently, under
// recordPolicy.
func (s *Store) patiently(ctx context.Context, op func(context.Context) error) error {
	return recordPolicy.Do(ctx, op)
}

// sqlRuns reads each run's newest record (a run is recorded when it starts
// and again when it ends).
const sqlRuns = `SELECT run_id, any(source), any(started_at), argMax(finished_at, version), argMax(status, version),
       argMax(accepted, version), argMax(rejected, version), argMax(warnings, version), argMax(error, version)
FROM ingest_runs GROUP BY run_id ORDER BY any(started_at) DESC, run_id LIMIT ?`

// sqlRunItems reads what the runs of a list read, in order.
const sqlRunItems = `SELECT run_id, n, item FROM run_items WHERE has(?, run_id) ORDER BY run_id, n`

// Runs returns the latest runs, newest first, with what each read.
func (s *Store) Runs(ctx context.Context, limit int) ([]model.Run, error) {
	runs, err := s.runs(ctx, sqlRuns, limit)
	if err != nil || len(runs) == 0 {
		return runs, err
	}
	ids := make([]string, len(runs))
	at := map[string]int{}
	for i, r := range runs {
		ids[i], at[r.ID] = r.ID, i
	}
	rows, err := s.query(ctx, sqlRunItems, ids)
	if err != nil {
		return nil, fmt.Errorf("read runs: %s", oneLine(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id, item string
		var n uint32
		if err := rows.Scan(&id, &n, &item); err != nil {
			return nil, failed("read runs", err)
		}
		runs[at[id]].Items = append(runs[at[id]].Items, item)
	}
	return runs, rows.Err()
}

const sqlInsertRunItems = `INSERT INTO run_items (run_id, n, item, at)`

// RecordRunItems stores what a run read.
func (s *Store) RecordRunItems(ctx context.Context, runID string, items []string) error {
	if len(items) == 0 {
		return nil
	}
	now := time.Now().UTC()
	return s.patiently(ctx, func(ctx context.Context) error {
		return s.send(ctx, sqlInsertRunItems, func(b batch) error {
			for i, it := range items {
				if err := b.Append(runID, uint32(i), it, now); err != nil {
					return failed("insert run items", err)
				}
			}
			return nil
		})
	})
}

func (s *Store) runs(ctx context.Context, query string, args ...any) ([]model.Run, error) {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("read runs: %s", oneLine(err))
	}
	defer rows.Close()
	var out []model.Run
	for rows.Next() {
		var r model.Run
		if err := rows.Scan(&r.ID, &r.Source, &r.Started, &r.Finished, &r.Status, &r.Accepted, &r.Rejected, &r.Warnings, &r.Error); err != nil {
			return nil, failed("read runs", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

const sqlInsertRejections = `INSERT INTO rejected_rows (run_id, file, line, field, reason, raw, at)`

// RecordRejections stores the rows a run rejected.
func (s *Store) RecordRejections(ctx context.Context, runID string, rs []model.Rejection) error {
	if len(rs) == 0 {
		return nil
	}
	now := time.Now().UTC()
	return s.patiently(ctx, func(ctx context.Context) error {
		return s.send(ctx, sqlInsertRejections, func(b batch) error {
			for _, r := range rs {
				if err := b.Append(runID, r.File, uint32(r.Line), r.Field, r.Reason, r.Raw, now); err != nil {
					return failed("insert rejected rows", err)
				}
			}
			return nil
		})
	})
}

const sqlRejections = `SELECT file, line, field, reason, raw FROM rejected_rows WHERE run_id = ? ORDER BY file, line`

// Rejections returns the rows a run rejected, in file and line order.
func (s *Store) Rejections(ctx context.Context, runID string) ([]model.Rejection, error) {
	rows, err := s.query(ctx, sqlRejections, runID)
	if err != nil {
		return nil, fmt.Errorf("read rejected rows: %s", oneLine(err))
	}
	defer rows.Close()
	var out []model.Rejection
	for rows.Next() {
		var r model.Rejection
		var line uint32
		if err := rows.Scan(&r.File, &line, &r.Field, &r.Reason, &r.Raw); err != nil {
			return nil, failed("read rejected rows", err)
		}
		r.Line = int(line)
		out = append(out, r)
	}
	return out, rows.Err()
}

const sqlLastRun = `SELECT run_id, any(source), any(started_at), argMax(finished_at, version), argMax(status, version) AS st,
       argMax(accepted, version), argMax(rejected, version), argMax(warnings, version), argMax(error, version)
FROM ingest_runs WHERE source = ? GROUP BY run_id HAVING st != 'running'
ORDER BY any(started_at) DESC, argMax(finished_at, version) DESC, run_id DESC LIMIT 1`

// LastRun returns the latest finished run of a source; ok is false when it
// never ran. Of runs started in the same second (started_at is to the
// second), the one that finished last, then the greatest id: without them,
// 18.16 and 26.x chose different runs (make test-current).
func (s *Store) LastRun(ctx context.Context, source string) (model.Run, bool, error) {
	runs, err := s.runs(ctx, sqlLastRun, source)
	if err != nil || len(runs) == 0 {
		return model.Run{}, false, err
	}
	return runs[0], true, nil
}

// sqlStaleRuns finds the runs still recorded as running whose last beat
// (finished_at while running) is older than a time.
const sqlStaleRuns = `SELECT run_id, any(source), any(started_at), argMax(finished_at, version) AS seen, argMax(status, version) AS st,
       argMax(accepted, version), argMax(rejected, version), argMax(warnings, version), argMax(error, version)
FROM ingest_runs GROUP BY run_id HAVING st = 'running' AND seen < ? ORDER BY any(started_at), run_id`

// StaleRuns returns the runs recorded as running that have not beaten
// since before: their process is gone.
func (s *Store) StaleRuns(ctx context.Context, before time.Time) ([]model.Run, error) {
	return s.runs(ctx, sqlStaleRuns, before.UTC())
}

// sqlRunsVersion changes whenever a run is recorded: when it starts, while
// it beats and when it ends, after its figures are stored.
const sqlRunsVersion = `SELECT count(), max(version) FROM ingest_runs`

// RunsVersion is the version of the recorded runs: what the pages show
// changes only when it does (see web's page cache).
func (s *Store) RunsVersion(ctx context.Context) (string, error) {
	var n, v uint64
	if err := s.scanRow(ctx, []any{&n, &v}, sqlRunsVersion); err != nil {
		return "", fmt.Errorf("read runs: %s", oneLine(err))
	}
	return fmt.Sprintf("%d/%d", n, v), nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"followrank/model"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// sqlRollUps reads kept roll-ups: the states of some units on some days at
// one key (see the rollups table in migrate.go).
const sqlRollUps = `SELECT unit_code, toUInt16(date), members, followers, reported, stale, toUInt16(report_date)
FROM rollups
WHERE key = ? AND date IN ? AND unit_code IN ?`

// RollUpsMax is the most units RollUps takes in one call: the divisions
// ranked under one scope (2,851 counties in the country) fit.
const RollUpsMax = stocksChunk

// RollUps returns the kept states of the units of codes on days at key, in
// no particular order; units without figures on a day have none.
func (s *Store) RollUps(ctx context.Context, key string, days []time.Time, codes []string) ([]model.RollUp, error) {
	if len(codes) > RollUpsMax {
		return nil, fmt.Errorf("read roll-ups: %d units asked for, at most %d", len(codes), RollUpsMax)
	}
	ds := make([]any, len(days))
	for i, d := range days {
		ds[i] = date(d)
	}
	cs := make([]any, len(codes))
	for i, c := range codes {
		cs[i] = c
	}
	rows, err := s.query(ctx, sqlRollUps, key, clickhouse.GroupSet{Value: ds}, clickhouse.GroupSet{Value: cs})
	if err != nil {
		return nil, fmt.Errorf("read roll-ups: %s", oneLine(err))
	}
	defer rows.Close()
	var out []model.RollUp
	for rows.Next() {
		var r model.RollUp
		var day, reportDay uint16
		var reported, stale uint8
		if err := rows.Scan(&r.Unit, &day, &r.Members, &r.Followers, &reported, &stale, &reportDay); err != nil {
			return nil, failed("read roll-ups", err)
		}
		r.Date, r.ReportDate = dateOfDay(day), dateOfDay(reportDay)
		r.Reported, r.Stale = reported == 1, stale == 1
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, failed("read roll-ups", err)
	}
	return out, nil
}

const (
	sqlInsertRollUps = `INSERT INTO rollups (key, date, unit_code, members, followers, reported, stale, report_date, built_at)`
	sqlRollUpKeys    = `SELECT DISTINCT key FROM rollups WHERE key != ?`
	sqlDropRollUps   = `ALTER TABLE rollups DROP PARTITION ?`
)

// SaveRollUps keeps rows at key, in one block, which a server stores whole
// or not at all, and drops the roll-ups of every other key: they were of
// figures since replaced.
func (s *Store) SaveRollUps(ctx context.Context, key string, rows []model.RollUp) error {
	if len(rows) == 0 {
		return nil
	}
	now := time.Now().UTC()
	err := s.send(ctx, sqlInsertRollUps, func(b batch) error {
		var (
			keys, codes                 []string
			dates, reportDates, builtAt []time.Time
			members, followers          []uint64
			reported, stale             []uint8
		)
		for _, r := range rows {
			keys, codes = append(keys, key), append(codes, r.Unit)
			dates, reportDates, builtAt = append(dates, r.Date), append(reportDates, r.ReportDate), append(builtAt, now)
			members, followers = append(members, r.Members), append(followers, r.Followers)
			reported, stale = append(reported, oneIf(r.Reported)), append(stale, oneIf(r.Stale))
		}
		for i, col := range []any{keys, dates, codes, members, followers, reported, stale, reportDates, builtAt} {
			if err := b.Column(i).Append(col); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return failed("keep roll-ups", err)
	}
	old, err := s.query(ctx, sqlRollUpKeys, key)
	if err != nil {
		return fmt.Errorf("keep roll-ups: %s", oneLine(err))
	}
	var stale []string
	for old.Next() {
		var k string
		if err := old.Scan(&k); err != nil {
			old.Close()
			return failed("keep roll-ups", err)
		}
		stale = append(stale, k)
	}
	old.Close()
	if err := old.Err(); err != nil {
		return failed("keep roll-ups", err)
	}
	for _, k := range stale {
		if err := s.exec(ctx, sqlDropRollUps, k); err != nil {
			return fmt.Errorf("drop old roll-ups: %s", oneLine(err))
		}
	}
	return nil
}

func oneIf(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

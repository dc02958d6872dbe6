package store

import (
	"context"
	"fmt"
	"followrank/model"
	"slices"
	"time"
)

const sqlInsertAccountDays = `INSERT INTO account_figures (account, date, new_users, cancelled_users, cumulative_users, reads, read_users, shares, favourites, run_id, version)`

const sqlInsertAccountSources = `INSERT INTO account_user_sources (account, date, source, new_users, cancelled_users, run_id, version)`

// WriteAccountDays stores a WeChat account's days; a day stored again
// replaces the earlier figures.
func (s *Store) WriteAccountDays(ctx context.Context, runID string, days []model.AccountDay) error {
	if len(days) == 0 {
		return nil
	}
	version := uint64(time.Now().UnixNano())
	err := s.send(ctx, sqlInsertAccountDays, func(b batch) error {
		for _, d := range days {
			if err := b.Append(d.Account, d.Date, d.NewUsers, d.CancelledUsers, d.CumulativeUsers, d.Reads, d.ReadUsers, d.Shares, d.Favourites, runID, version); err != nil {
				return failed("insert account figures", err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.send(ctx, sqlInsertAccountSources, func(b batch) error {
		for _, d := range days {
			for _, src := range d.Sources {
				if err := b.Append(d.Account, d.Date, uint32(src.Source), src.NewUsers, src.CancelledUsers, runID, version); err != nil {
					return failed("insert account sources", err)
				}
			}
		}
		return nil
	})
}

const sqlLastAccountDay = `SELECT max(date), count() FROM account_figures WHERE account = ?`

// LastAccountDay is the last day stored for an account; ok is false when
// none is.
func (s *Store) LastAccountDay(ctx context.Context, account string) (time.Time, bool, error) {
	var last time.Time
	var n uint64
	if err := s.scanRow(ctx, []any{&last, &n}, sqlLastAccountDay, account); err != nil {
		return time.Time{}, false, fmt.Errorf("read account days: %s", oneLine(err))
	}
	return model.Date(last), n > 0, nil
}

const sqlAccountDays = `SELECT date, max(version), argMax(new_users, version), argMax(cancelled_users, version), argMax(cumulative_users, version),
       argMax(reads, version), argMax(read_users, version), argMax(shares, version), argMax(favourites, version)
FROM account_figures WHERE account = ? AND date >= toDate(?) AND date <= toDate(?) GROUP BY date ORDER BY date`

const sqlAccountSources = `SELECT date, version, source, new_users, cancelled_users
FROM account_user_sources WHERE account = ? AND date >= toDate(?) AND date <= toDate(?)`

// AccountDays returns an account's stored days from..to, each with its new
// and cancelled followers by source as the day's latest write stored them
// (a source a revision no longer lists is dropped with it).
func (s *Store) AccountDays(ctx context.Context, account string, from, to time.Time) ([]model.AccountDay, error) {
	rows, err := s.query(ctx, sqlAccountDays, account, date(from), date(to))
	if err != nil {
		return nil, fmt.Errorf("read account days: %s", oneLine(err))
	}
	defer rows.Close()
	var out []model.AccountDay
	version := map[time.Time]uint64{}
	for rows.Next() {
		d := model.AccountDay{Account: account}
		var v uint64
		if err := rows.Scan(&d.Date, &v, &d.NewUsers, &d.CancelledUsers, &d.CumulativeUsers, &d.Reads, &d.ReadUsers, &d.Shares, &d.Favourites); err != nil {
			return nil, failed("read account days", err)
		}
		d.Date = model.Date(d.Date)
		version[d.Date] = v
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read account days: %s", oneLine(err))
	}
	src, err := s.query(ctx, sqlAccountSources, account, date(from), date(to))
	if err != nil {
		return nil, fmt.Errorf("read account sources: %s", oneLine(err))
	}
	defer src.Close()
	bySource := map[time.Time][]model.AccountSource{}
	for src.Next() {
		var day time.Time
		var v uint64
		var code uint32
		var a model.AccountSource
		if err := src.Scan(&day, &v, &code, &a.NewUsers, &a.CancelledUsers); err != nil {
			return nil, failed("read account sources", err)
		}
		day = model.Date(day)
		if v == version[day] {
			a.Source = int(code)
			bySource[day] = append(bySource[day], a)
		}
	}
	if err := src.Err(); err != nil {
		return nil, fmt.Errorf("read account sources: %s", oneLine(err))
	}
	for i := range out {
		ss := bySource[out[i].Date]
		slices.SortFunc(ss, func(a, b model.AccountSource) int { return a.Source - b.Source })
		out[i].Sources = ss
	}
	return out, nil
}

const sqlAccounts = `SELECT DISTINCT account FROM account_figures ORDER BY account`

// Accounts lists the accounts with stored days.
func (s *Store) Accounts(ctx context.Context) ([]string, error) {
	rows, err := s.query(ctx, sqlAccounts)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %s", oneLine(err))
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

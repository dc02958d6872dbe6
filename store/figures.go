package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sync"
	"time"

	chproto "github.com/ClickHouse/ch-go/proto"
	"github.com/ClickHouse/clickhouse-go/v2"

	"followrank/model"
	"followrank/units"
)

// batchRows is how many rows go into one columnar insert block: large blocks
// are what ClickHouse inserts fastest (1k-row blocks measured 7× slower);
// 50,000 was as fast as 100,000 here and keeps an import's memory lower.
const batchRows = 50_000

const sqlInsertFigures = `INSERT INTO unit_figures (unit_code, date, has_stock, members, followers, reads, shares, likes, wow, comments, source, run_id, version)`

// WriteFigures stores figures for a run. A figure for a unit and date that
// is already stored is replaced by this one (the newer version wins), so
// writing the same figures twice changes nothing.
func (s *Store) WriteFigures(ctx context.Context, source, runID string, figs []model.Figure) error {
	version := uint64(time.Now().UnixNano())
	c := columnPool.Get().(*figureColumns)
	defer columnPool.Put(c)
	for start := 0; start < len(figs); start += batchRows {
		chunk := figs[start:min(start+batchRows, len(figs))]
		if err := c.fill(chunk, source, runID, version); err != nil {
			return failed("insert figures", err)
		}
		if err := s.send(ctx, sqlInsertFigures, c.into); err != nil {
			return err
		}
	}
	return nil
}

// figureColumns are the columns of one insert of figures, reused from
// insert to insert. The driver's column Append adds values one at a time
// to columns that start empty for every insert, and their growth was the
// largest cost of a large import (3.4 GB allocated for 5 million rows).
// So the numeric columns are kept in ClickHouse's native form (little-
// endian, one column after another) and decoded into the insert, which
// sizes each column once; the strings are appended, which is faster than
// decoding them one length at a time.
type figureColumns struct {
	rows           int
	code, src, run []string
	numbers        []byte // date … comments, version: the rest, in insert order
}

var columnPool = sync.Pool{New: func() any { return new(figureColumns) }}

// maxDay is the last day ClickHouse's Date holds (2149-06-06).
const maxDay = 1<<16 - 1

func (c *figureColumns) fill(figs []model.Figure, source, runID string, version uint64) error {
	c.rows = len(figs)
	c.code, c.src, c.run = c.code[:0], c.src[:0], c.run[:0]
	for _, f := range figs {
		c.code, c.src, c.run = append(c.code, f.Unit), append(c.src, source), append(c.run, runID)
	}
	b := c.numbers[:0]
	for _, f := range figs {
		day := f.Date.Unix() / 86400
		if day < 0 || day > maxDay || f.Date.Unix()%86400 != 0 {
			return fmt.Errorf("%s %s: the date must be a day from 1970-01-01 to 2149-06-06", f.Unit, f.Date)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(day))
	}
	for _, f := range figs {
		var stock byte
		if f.HasStock {
			stock = 1
		}
		b = append(b, stock)
	}
	for _, column := range []func(*model.Figure) uint32{
		func(f *model.Figure) uint32 { return f.Members },
		func(f *model.Figure) uint32 { return f.Followers },
	} {
		for i := range figs {
			b = binary.LittleEndian.AppendUint32(b, column(&figs[i]))
		}
	}
	for _, column := range []func(*model.Figure) uint64{
		func(f *model.Figure) uint64 { return f.Reads },
		func(f *model.Figure) uint64 { return f.Shares },
		func(f *model.Figure) uint64 { return f.Likes },
		func(f *model.Figure) uint64 { return f.Wow },
		func(f *model.Figure) uint64 { return f.Comments },
		func(*model.Figure) uint64 { return version },
	} {
		for i := range figs {
			b = binary.LittleEndian.AppendUint64(b, column(&figs[i]))
		}
	}
	c.numbers = b
	return nil
}

// figureNumbers are the numeric columns of sqlInsertFigures, in the order
// fill encodes them.
var figureNumbers = []string{"date", "has_stock", "members", "followers", "reads", "shares", "likes", "wow", "comments", "version"}

// into puts the columns into an insert of sqlInsertFigures.
func (c *figureColumns) into(b batch) error {
	numbers, next := chproto.NewReader(bytes.NewReader(c.numbers)), 0
	for _, col := range b.Columns() {
		var err error
		switch name := col.Name(); name {
		case "unit_code":
			_, err = col.Append(c.code)
		case "source":
			_, err = col.Append(c.src)
		case "run_id":
			_, err = col.Append(c.run)
		default:
			if next >= len(figureNumbers) || name != figureNumbers[next] {
				return fmt.Errorf("insert figures: column %s is not the one encoded next", name)
			}
			next++
			err = col.Decode(numbers, c.rows)
		}
		if err != nil {
			return failed("insert figures: column "+col.Name(), err)
		}
	}
	return nil
}

const sqlInsertUnits = `INSERT INTO units (code, name, parent, level, path, aliases, source, version)`

// BuiltinVersion is the version the shipped divisions are stored with;
// imported units get the time of their import, so they win over it.
const BuiltinVersion = 1

// SaveUnits stores units with their ancestor paths from tree. Saving the
// same units again changes nothing.
func (s *Store) SaveUnits(ctx context.Context, tree *units.Tree, nodes []units.Node, source string, version uint64) error {
	return s.send(ctx, sqlInsertUnits, func(b batch) error {
		for _, n := range nodes {
			path := tree.Path(n.Code)
			if path == nil {
				path = []string{}
			}
			aliases := n.Aliases
			if aliases == nil {
				aliases = []string{}
			}
			if err := b.Append(n.Code, n.Name, n.Parent, string(n.Level), path, aliases, source, version); err != nil {
				return failed("insert units: "+n.Code, err)
			}
		}
		return nil
	})
}

const sqlUnits = `SELECT code, name, parent, level, aliases FROM units FINAL ORDER BY code`

// Units returns every stored unit.
func (s *Store) Units(ctx context.Context) ([]units.Node, error) {
	rows, err := s.query(ctx, sqlUnits)
	if err != nil {
		return nil, fmt.Errorf("read units: %s", oneLine(err))
	}
	defer rows.Close()
	var out []units.Node
	for rows.Next() {
		var n units.Node
		var level string
		if err := rows.Scan(&n.Code, &n.Name, &n.Parent, &level, &n.Aliases); err != nil {
			return nil, failed("read units", err)
		}
		n.Level = units.Level(level)
		out = append(out, n)
	}
	return out, rows.Err()
}

// inScope keeps the rows of the units at or below a scope (bound twice).
// It reads the units without FINAL, which took a third of the time of
// the filter: a unit moved to another parent since is then still read
// within its old scope too until ClickHouse merges the versions, and the
// metrics, which know the tree, leave it out. The reads that use it may
// therefore return units outside the scope, never fewer than are in it.
const inScope = `unit_code IN (SELECT code FROM {db}.units WHERE code = ? OR has(path, ?))`

// sqlStocks picks, for every unit at or below a scope, its latest stock
// report in a window of days: of two ingestions of that day, the newer,
// which is what FINAL would leave. Ordering the window's rows and keeping
// the first of each unit took 18.16 35 ms for a country's 100,000 units
// reporting monthly, grouping them by unit (argMax over date and version)
// 90 ms; for 10,000 units reporting daily the grouping is faster (35 ms
// against 80 ms). Monthly reports are the common case.
const sqlStocks = `SELECT unit_code, toUInt16(date), members, followers
FROM unit_figures
WHERE has_stock = 1 AND date >= toDate(?) AND date <= toDate(?)
  AND ` + inScope + `
ORDER BY unit_code, date DESC, version DESC
LIMIT 1 BY unit_code`

// sqlStocksOf is sqlStocks for a list of units, which lets ClickHouse use
// the primary key (unit_code, date) to read only their rows.
const sqlStocksOf = `SELECT unit_code, toUInt16(max(date)), argMax(members, (date, version)), argMax(followers, (date, version))
FROM unit_figures
WHERE has_stock = 1 AND date <= toDate(?) AND unit_code IN ?
GROUP BY unit_code
ORDER BY unit_code`

// stocksChunk bounds the codes in one sqlStocksOf, keeping the statement
// well under ClickHouse's 256 KiB max_query_size.
const stocksChunk = 5000

// EachStock calls fn with the latest stock report from..to of every unit at
// or below scope that has one (and perhaps of some moved out of it, see
// inScope), in order of unit code. A country has 100,000: they are passed
// on as they come, not gathered.
func (s *Store) EachStock(ctx context.Context, scope string, from, to time.Time, fn func(model.Figure) error) error {
	if scope == units.Root {
		return s.eachStock(ctx, fn, sqlStocksAll, date(from), date(to))
	}
	return s.eachStock(ctx, fn, sqlStocks, date(from), date(to), scope, scope)
}

// sqlStocksAll is sqlStocks for the whole country, without the scope filter.
const sqlStocksAll = `SELECT unit_code, toUInt16(date), members, followers
FROM unit_figures
WHERE has_stock = 1 AND date >= toDate(?) AND date <= toDate(?)
ORDER BY unit_code, date DESC, version DESC
LIMIT 1 BY unit_code`

// StocksOf returns the latest stock report on or before day of each of the
// units that has one. When codes are in order, so are the reports.
func (s *Store) StocksOf(ctx context.Context, codes []string, day time.Time) ([]model.Figure, error) {
	var out []model.Figure
	for start := 0; start < len(codes); start += stocksChunk {
		chunk := codes[start:min(start+stocksChunk, len(codes))]
		set := make([]any, len(chunk))
		for i, c := range chunk {
			set[i] = c
		}
		err := s.eachStock(ctx, func(st model.Figure) error {
			out = append(out, st)
			return nil
		}, sqlStocksOf, date(day), clickhouse.GroupSet{Value: set})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// eachStock runs a query of stocks (unit, day number, members, followers)
// and calls fn with each.
func (s *Store) eachStock(ctx context.Context, fn func(model.Figure) error, query string, args ...any) error {
	rows, err := s.query(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("read figures: %s", oneLine(err))
	}
	defer rows.Close()
	st := model.Figure{HasStock: true}
	var d uint16
	for rows.Next() {
		if err := rows.Scan(&st.Unit, &d, &st.Members, &st.Followers); err != nil {
			return failed("read figures", err)
		}
		st.Date = dateOfDay(d)
		if err := fn(st); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return failed("read figures", err)
	}
	return nil
}

// dateOfDay is the date of a day number, ClickHouse's Date as a number:
// days since 1970-01-01. Reading dates as numbers spares the driver's time
// zone conversion of every row.
func dateOfDay(n uint16) time.Time { return time.Unix(int64(n)*86400, 0).UTC() }

// sqlEngagement sums engagement per unit; the inner query keeps the newest
// ingestion of each unit and day. Units without engagement are left out:
// most units report only members and followers, and a country has 100,000.
// This is the form for a cluster, whose sharded tables are never read with
// FINAL: 18.16 gives wrong answers for FINAL through a Distributed table.
const sqlEngagement = `SELECT unit_code, sum(r), sum(s), sum(l), sum(w), sum(c)
FROM (
  SELECT unit_code, date, argMax(reads, version) AS r, argMax(shares, version) AS s, argMax(likes, version) AS l,
         argMax(wow, version) AS w, argMax(comments, version) AS c
  FROM unit_figures
  WHERE date >= toDate(?) AND date <= toDate(?)
    AND ` + inScope + `
  GROUP BY unit_code, date
)
GROUP BY unit_code
HAVING sum(r) + sum(s) + sum(l) + sum(w) + sum(c) > 0`

// sqlEngagementAll is sqlEngagement for the whole country.
const sqlEngagementAll = `SELECT unit_code, sum(r), sum(s), sum(l), sum(w), sum(c)
FROM (
  SELECT unit_code, date, argMax(reads, version) AS r, argMax(shares, version) AS s, argMax(likes, version) AS l,
         argMax(wow, version) AS w, argMax(comments, version) AS c
  FROM unit_figures
  WHERE date >= toDate(?) AND date <= toDate(?)
  GROUP BY unit_code, date
)
GROUP BY unit_code
HAVING sum(r) + sum(s) + sum(l) + sum(w) + sum(c) > 0`

// sqlEngagementFinal is sqlEngagement on a single server for days of one
// month, which are one partition: there FINAL keeps the newest ingestion
// of each unit and day by merging the partition's sorted parts, 3 to 6
// times faster on 18.16 than grouping by unit and day (15 ms against 50 ms
// for a country's month, 27 ms against 180 ms for 10,000 units reporting
// daily). Over many partitions FINAL is slower than grouping.
const sqlEngagementFinal = `SELECT unit_code, sum(reads), sum(shares), sum(likes), sum(wow), sum(comments)
FROM unit_figures FINAL
WHERE date >= toDate(?) AND date <= toDate(?)
  AND ` + inScope + `
GROUP BY unit_code
HAVING sum(reads) + sum(shares) + sum(likes) + sum(wow) + sum(comments) > 0`

// sqlEngagementFinalAll is sqlEngagementFinal for the whole country.
const sqlEngagementFinalAll = `SELECT unit_code, sum(reads), sum(shares), sum(likes), sum(wow), sum(comments)
FROM unit_figures FINAL
WHERE date >= toDate(?) AND date <= toDate(?)
GROUP BY unit_code
HAVING sum(reads) + sum(shares) + sum(likes) + sum(wow) + sum(comments) > 0`

// Engagement sums each unit's engagement at or below scope (see inScope)
// over the days from..to, both included. A unit with none is not in the
// map.
func (s *Store) Engagement(ctx context.Context, scope string, from, to time.Time) (map[string]model.Engagement, error) {
	q, qAll := sqlEngagement, sqlEngagementAll
	if s.cluster == "" && from.Year() == to.Year() && from.Month() == to.Month() {
		q, qAll = sqlEngagementFinal, sqlEngagementFinalAll
	}
	args := []any{date(from), date(to), scope, scope}
	if scope == units.Root {
		q, args = qAll, args[:2]
	}
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read engagement %s..%s: %s", date(from), date(to), oneLine(err))
	}
	defer rows.Close()
	out := map[string]model.Engagement{}
	for rows.Next() {
		var code string
		var e model.Engagement
		if err := rows.Scan(&code, &e.Reads, &e.Shares, &e.Likes, &e.Wow, &e.Comments); err != nil {
			return nil, failed("read engagement", err)
		}
		out[code] = e
	}
	return out, rows.Err()
}

const sqlFigureDays = `SELECT min(date), max(date), count() FROM unit_figures WHERE has_stock = 1`

// StockSpan returns the first and last day with stock figures and how many
// stock rows there are; zero times when there are none.
func (s *Store) StockSpan(ctx context.Context) (first, last time.Time, rows uint64, err error) {
	if err := s.scanRow(ctx, []any{&first, &last, &rows}, sqlFigureDays); err != nil {
		return time.Time{}, time.Time{}, 0, fmt.Errorf("read figure dates: %s", oneLine(err))
	}
	if rows == 0 {
		return time.Time{}, time.Time{}, 0, nil
	}
	return model.Date(first), model.Date(last), rows, nil
}

const sqlFigureRows = `SELECT count() FROM unit_figures`

// FigureRows counts the stored figure rows, replaced versions included
// until ClickHouse merges them away.
func (s *Store) FigureRows(ctx context.Context) (uint64, error) {
	var n uint64
	if err := s.scanRow(ctx, []any{&n}, sqlFigureRows); err != nil {
		return 0, fmt.Errorf("count figures: %s", oneLine(err))
	}
	return n, nil
}

const sqlDigest = `SELECT count(), sum(cityHash64(unit_code, toString(date), f))
FROM (
  SELECT unit_code, date, argMax((has_stock, members, followers, reads, shares, likes, wow, comments), version) AS f
  FROM unit_figures GROUP BY unit_code, date
)`

// Digest sums a hash of every stored figure (after replacement), so two
// databases hold the same figures exactly when their digests are equal.
// Where figures came from (source, run) does not count.
func (s *Store) Digest(ctx context.Context) (rows, sum uint64, err error) {
	if err := s.scanRow(ctx, []any{&rows, &sum}, sqlDigest); err != nil {
		return 0, 0, fmt.Errorf("digest figures: %s", oneLine(err))
	}
	return rows, sum, nil
}

// sqlReports lists the stored rows of the units at or below a scope over a
// span of days, ordered by unit and day and, within a day, newest
// ingestion first; days are numbered from 1970-01-01. Series of snapshots
// (climbs, trends, dashboards) read their span in this one pass and sum it
// in Go: grouping a province's 245,000 rows of three years by unit and day
// took ClickHouse 18.16 several times longer than filtering and ordering
// them.
const sqlReports = `SELECT unit_code, toUInt16(date), has_stock, members, followers, reads, shares, likes, wow, comments
FROM unit_figures
WHERE date >= toDate(?) AND date <= toDate(?)
  AND ` + inScope + `
ORDER BY unit_code, date, version DESC`

// sqlReportsAll is sqlReports for the whole country, where the scope
// filter would only cost time.
const sqlReportsAll = `SELECT unit_code, toUInt16(date), has_stock, members, followers, reads, shares, likes, wow, comments
FROM unit_figures
WHERE date >= toDate(?) AND date <= toDate(?)
ORDER BY unit_code, date, version DESC`

// sqlStockReports and sqlStockReportsAll are sqlReports and sqlReportsAll
// for the days with a stock, without engagement.
const (
	sqlStockReports = `SELECT unit_code, toUInt16(date), has_stock, members, followers
FROM unit_figures
WHERE has_stock = 1 AND date >= toDate(?) AND date <= toDate(?)
  AND ` + inScope + `
ORDER BY unit_code, date, version DESC`
	sqlStockReportsAll = `SELECT unit_code, toUInt16(date), has_stock, members, followers
FROM unit_figures
WHERE has_stock = 1 AND date >= toDate(?) AND date <= toDate(?)
ORDER BY unit_code, date, version DESC`
)

// sqlReportsOf and sqlStockReportsOf are sqlReports and sqlStockReports
// for a list of units: the primary key (unit_code, date) leads ClickHouse
// to their rows, where the scope filter reads the whole units table first
// (a county's 36 units: 4 ms against 11 ms at national scale).
const (
	sqlReportsOf = `SELECT unit_code, toUInt16(date), has_stock, members, followers, reads, shares, likes, wow, comments
FROM unit_figures
WHERE date >= toDate(?) AND date <= toDate(?) AND unit_code IN ?
ORDER BY unit_code, date, version DESC`
	sqlStockReportsOf = `SELECT unit_code, toUInt16(date), has_stock, members, followers
FROM unit_figures
WHERE has_stock = 1 AND date >= toDate(?) AND date <= toDate(?) AND unit_code IN ?
ORDER BY unit_code, date, version DESC`
)

// ReportsOfMax is the most units EachReportOf takes in one statement,
// well under ClickHouse's 256 KiB max_query_size.
const ReportsOfMax = stocksChunk

// EachReportOf is EachReport for a list of units (at most ReportsOfMax):
// the scopes of a county or a city, whose units the caller knows.
func (s *Store) EachReportOf(ctx context.Context, codes []string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	if len(codes) > ReportsOfMax {
		return fmt.Errorf("read figures: %d units in one read, at most %d", len(codes), ReportsOfMax)
	}
	set := make([]any, len(codes))
	for i, c := range codes {
		set[i] = c
	}
	q := sqlReportsOf
	if stocksOnly {
		q = sqlStockReportsOf
	}
	return s.eachReport(ctx, q, []any{date(from), date(to), clickhouse.GroupSet{Value: set}}, from, to, stocksOnly, fn)
}

// EachReport calls fn with the figures from..to of every unit at or below
// scope (see inScope), one report per unit and day, in order of unit and
// day, without holding them all. Of several ingestions of a day, the newest gives the
// engagement and the newest with a stock gives the stock, as in the
// queries that aggregate in ClickHouse. With stocksOnly, only days with a
// stock are read, without their engagement.
func (s *Store) EachReport(ctx context.Context, scope string, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	q, args := sqlReports, []any{date(from), date(to), scope, scope}
	switch {
	case stocksOnly && scope == units.Root:
		q, args = sqlStockReportsAll, args[:2]
	case stocksOnly:
		q = sqlStockReports
	case scope == units.Root:
		q, args = sqlReportsAll, args[:2]
	}
	return s.eachReport(ctx, q, args, from, to, stocksOnly, fn)
}

func (s *Store) eachReport(ctx context.Context, q string, args []any, from, to time.Time, stocksOnly bool, fn func(model.Figure) error) error {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("read figures %s..%s: %s", date(from), date(to), oneLine(err))
	}
	defer rows.Close()
	var cur, r model.Figure
	var day uint16
	var has uint8
	dest := []any{&r.Unit, &day, &has, &r.Members, &r.Followers, &r.Reads, &r.Shares, &r.Likes, &r.Wow, &r.Comments}
	if stocksOnly {
		dest = dest[:5]
	}
	pending := false
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return failed("read figures", err)
		}
		r.Date = dateOfDay(day)
		r.HasStock = has == 1
		if pending && r.Unit == cur.Unit && r.Date.Equal(cur.Date) {
			// An older ingestion of the same unit and day: it may only
			// give the stock the newer one lacks.
			if !cur.HasStock && r.HasStock {
				cur.HasStock, cur.Members, cur.Followers = true, r.Members, r.Followers
			}
			continue
		}
		if pending {
			if err := fn(cur); err != nil {
				return err
			}
		}
		cur, pending = r, true
	}
	if err := rows.Err(); err != nil {
		return failed("read figures", err)
	}
	if pending {
		return fn(cur)
	}
	return nil
}

const sqlUnitsVersion = `SELECT count(), max(version) FROM units`

// UnitsVersion changes whenever units are stored: a long-running process
// reads the tree again only when it does (see units.Cache).
func (s *Store) UnitsVersion(ctx context.Context) (string, error) {
	var n, v uint64
	if err := s.scanRow(ctx, []any{&n, &v}, sqlUnitsVersion); err != nil {
		return "", fmt.Errorf("read units: %s", oneLine(err))
	}
	return fmt.Sprintf("%d/%d", n, v), nil
}

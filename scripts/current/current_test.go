package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"followrank/config"
	"followrank/store"
	"followrank/store/storetest"
)

func TestOrderedFindsOrderByAtTheTopLevelOnly(t *testing.T) {
	for sql, want := range map[string]bool{
		"SELECT a FROM t ORDER BY a":                                              true,
		"SELECT a FROM t\norder  by a DESC LIMIT 1 BY a":                          true,
		"SELECT a FROM (SELECT a FROM t ORDER BY a)":                              false,
		"SELECT a, argMax(b, (c, d)) FROM t GROUP BY a HAVING max(c) > 1":         false,
		"SELECT a FROM t WHERE b = 'ORDER BY x'":                                  false,
		"SELECT a FROM t WHERE b = 'it\\'s (' ORDER BY a":                         true,
		"SELECT `ORDER BY` FROM t":                                                false,
		"SELECT border BY FROM t":                                                 false,
		"SELECT unit_code FROM (SELECT 1) GROUP BY unit_code\nORDER BY unit_code": true,
	} {
		if got := ordered(sql); got != want {
			t.Errorf("ordered(%q) = %v, want %v", sql, got, want)
		}
	}
}

// TestJudgeComparesByOrderAndFlagsUnreviewedConsumers: an ordered SELECT
// must answer byte for byte; one without ORDER BY may answer its rows in
// another order, if the store's function that reads them has been read and
// listed in unordered; an error on either side fails; SELECT version() is
// not compared.
func TestJudgeComparesByOrderAndFlagsUnreviewedConsumers(t *testing.T) {
	queries := []*query{
		{SQL: "SELECT a FROM t ORDER BY a", By: []string{"store.(*Store).Units"}},
		{SQL: "SELECT a, sum(b) FROM t GROUP BY a", By: []string{"store.(*Store).Engagement"}},
		{SQL: "SELECT a FROM t ORDER BY b", By: []string{"store.(*Store).Runs"}},
		{SQL: "SELECT a, sum(b) FROM t GROUP BY a", By: []string{"store.(*Store).NotReadYet"}},
		{SQL: "SELECT arrayFold(x -> x, [1])", By: []string{"store.(*Store).Digest"}},
		{SQL: "SELECT a FROM t ORDER BY a LIMIT 1", By: []string{"store.(*Store).Units"}},
		{SQL: versionQuery, By: []string{"store.Open"}},
	}
	old := []answer{{Out: "1\n2\n"}, {Out: "x\t1\ny\t2\n"}, {Out: "1\n2\n"}, {Out: "x\t1\ny\t2\n"}, {Error: "Unknown function arrayFold"}, {Out: "1\n"}, {Out: "18.16.1\n"}}
	cur := []answer{{Out: "1\n2\n"}, {Out: "y\t2\nx\t1\n"}, {Out: "2\n1\n"}, {Out: "y\t2\nx\t1\n"}, {Out: "1\n"}, {Out: "2\n"}, {Out: "26.7.2.1\n"}}
	r := judge(queries, old, cur)
	if r.queries != 6 || r.skipped != 1 || r.sameBytes != 1 || r.sameRows != 2 || r.unordered != 3 {
		t.Errorf("judged %d (skipped %d): %d the same, %d the same rows, %d unordered; want 6 (1): 1, 2, 3", r.queries, r.skipped, r.sameBytes, r.sameRows, r.unordered)
	}
	wants := []string{"store.(*Store).Runs: the same rows in another order", "store.(*Store).NotReadYet sends a SELECT without ORDER BY", "arrayFold", "ORDER BY a LIMIT 1"}
	if len(r.failures) != len(wants) {
		t.Fatalf("%d failures, want %d:\n%s", len(r.failures), len(wants), strings.Join(r.failures, "\n"))
	}
	for i, want := range wants {
		if !strings.Contains(r.failures[i], want) {
			t.Errorf("failure %d does not say %q:\n%s", i, want, r.failures[i])
		}
	}
}

// TestSortStatementsNamesTheFixtureAndKeepsEachTextOnce: the tests'
// databases become the fixture's, each SELECT text is compared once with
// every function that sent it, and statements of a kind the comparison
// does not know are set apart, to fail.
func TestSortStatementsNamesTheFixtureAndKeepsEachTextOnce(t *testing.T) {
	st := sortStatements([]store.Statement{
		{Database: "followrank_test_1", SQL: "SELECT a FROM t WHERE c IN (SELECT code FROM followrank_test_1.units)", By: "store.(*Store).EachStock"},
		{Database: "followrank_test_2", SQL: "SELECT a FROM t WHERE c IN (SELECT code FROM followrank_test_2.units)", By: "store.(*Store).StocksOf"},
		{Database: "followrank_test_1", SQL: "INSERT INTO t (a) FORMAT Native", By: "store.(*Store).WriteFigures"},
		{Database: "followrank_test_1", SQL: "ALTER TABLE rollups DROP PARTITION 'v1'", By: "store.(*Store).SaveRollUps"},
		{Database: "followrank_test_1", SQL: "CREATE TABLE IF NOT EXISTS t (a String) ENGINE = MergeTree() ORDER BY a", By: "store.(*Store).Migrate"},
		{Database: "followrank_test_1", SQL: "TRUNCATE TABLE t", By: "store.(*Store).Forget"},
	}, "fixture")
	if len(st.queries) != 1 || st.queries[0].SQL != "SELECT a FROM t WHERE c IN (SELECT code FROM fixture.units)" ||
		st.queries[0].Sent != 2 || strings.Join(st.queries[0].By, " ") != "store.(*Store).EachStock store.(*Store).StocksOf" {
		t.Errorf("queries: %+v", st.queries)
	}
	if len(st.alters) != 1 || len(st.creates) != 1 || len(st.unknown) != 1 || st.kinds["SELECT"] != 2 {
		t.Errorf("alters %v, creates %v, unknown %v, kinds %v", st.alters, st.creates, st.unknown, st.kinds)
	}
}

// TestVersionSpecificStatementsFail is the test of the test: on the real
// engines, chDB and the 18.16 server, over a store's database, the
// comparison passes statements both answer alike and fails one that 18.16
// cannot run (arrayFold, from 23.x) and one whose answer differs by
// version. `make test` and `make test-current` install chDB and set
// FOLLOWRANK_CHDB to where.
func TestVersionSpecificStatementsFail(t *testing.T) {
	modules := os.Getenv("FOLLOWRANK_CHDB")
	if modules == "" {
		t.Skip("skipping: needs chDB; `make test` and `make test-current` install it and set FOLLOWRANK_CHDB")
	}
	s := storetest.New(t) // the built-in divisions
	dsn := os.Getenv(config.EnvName("clickhouse", "dsn"))
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	ctx := context.Background()
	work := t.TempDir()
	c, err := newCheck(ctx, dsn, modules, "chdb.mjs", filepath.Join(work, "chdb"))
	if err != nil {
		t.Fatal(err)
	}
	const (
		unitsOfBozhou = "SELECT code, name, level, path FROM units FINAL WHERE has(path, '341600') ORDER BY code"
		levels        = "SELECT level, count() FROM units GROUP BY level"
		arrayFold     = "SELECT arrayFold((acc, x) -> acc + x, [1, 2, 3], toUInt64(0))"
		serverVersion = "SELECT version() AS server"
	)
	var recorded []store.Statement
	for _, sql := range []string{unitsOfBozhou, levels, arrayFold, serverVersion, versionQuery} {
		recorded = append(recorded, store.Statement{Database: s.Database(), SQL: sql, By: "store.(*Store).Engagement"})
	}
	_, r, err := c.run(ctx, recorded, s.Database(), work)
	if err != nil {
		t.Fatal(err)
	}
	if r.queries != 4 || r.skipped != 1 || r.sameBytes+r.sameRows != 2 {
		t.Errorf("compared %d (%d skipped): %d the same, %d the same rows; want 4 (1): 2 the same", r.queries, r.skipped, r.sameBytes, r.sameRows)
	}
	if len(r.failures) != 2 || !strings.Contains(r.failures[0], "arrayFold") || !strings.Contains(r.failures[0], "18.16: error") ||
		!strings.Contains(r.failures[1], serverVersion) || !strings.Contains(r.failures[1], c.oldVersion) {
		t.Errorf("want the comparison to fail on arrayFold (an error on 18.16) and on version() (another answer); failures:\n%s", strings.Join(r.failures, "\n"))
	}
}

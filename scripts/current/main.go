// Command current shows that followrank's store works on current
// ClickHouse: it runs every SELECT the store sent during the tests on chDB
// (ClickHouse 26.7 in process, the npm package chdb) and on the ClickHouse
// 18.16 server the tests ran against, over the same data, and fails when
// either fails or their answers differ. `make test-current` runs it.
//
//	go run ./scripts/current -chdb DIR [-followrank bin/followrank] STATEMENTS.jsonl...
//
// DIR is where scripts/current/install.sh installed chDB; each
// STATEMENTS.jsonl is a clickhouse.statement_log written by the tests. It
//
//  1. builds a fixture on the 18.16 server, a database of its own, by
//     running the program: migrate, the demo, imports of the test sheets
//     (with rejected rows), units below a county, then every command that
//     reads (rank, climb, each chart, export, report, tongbao, units, runs),
//     with the statement log on;
//  2. sorts the statements recorded there and by the tests: the SELECTs to
//     compare, each text once, with the tests' databases named as the
//     fixture's; the CREATE TABLEs, which must be the schema's; the ALTERs;
//  3. in chDB, creates the schema as store.Schema gives it for chDB's
//     version, loads every table of the fixture, read from 18.16 as
//     TabSeparated, runs each SELECT, then the ALTERs;
//  4. runs each SELECT on 18.16 through clickhouse-client;
//  5. compares the answers byte for byte where the SELECT has an ORDER BY
//     at its top level, and as sets of rows where it has none, and fails on
//     a SELECT without ORDER BY from a store function not in unordered,
//     which lists those read by hand for not relying on the order.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"followrank/config"
	"followrank/store"
)

// fixturePrefix starts the name of the fixture's database on the 18.16
// server, which ends in random digits, so that two runs on one server keep
// apart; it is dropped when the comparison ends (unless -keep).
const fixturePrefix = "followrank_current_"

func main() {
	modules := flag.String("chdb", "", "the folder scripts/current/install.sh installed chDB into (required)")
	bin := flag.String("followrank", "bin/followrank", "the program, built from this tree, that fills the fixture")
	testdata := flag.String("testdata", "ingest/testdata", "the sheets the fixture imports")
	script := flag.String("script", "scripts/current/chdb.mjs", "the Node.js script that runs statements in chDB")
	keep := flag.Bool("keep", false, "keep the work folder and the fixture's database, to look into a failure")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: go run ./scripts/current -chdb DIR [options] STATEMENTS.jsonl...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if *modules == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if err := run(ctx, os.Stdout, *modules, *bin, *testdata, *script, *keep, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "test-current:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer, modules, bin, testdata, script string, keep bool, logs []string) error {
	start := time.Now()
	dsn := os.Getenv(config.EnvName("clickhouse", "dsn"))
	if dsn == "" {
		dsn = config.DefaultDSN
	}
	var nonce [4]byte
	_, _ = rand.Read(nonce[:])
	fixtureDatabase := fixturePrefix + hex.EncodeToString(nonce[:])
	fixture := config.ClickHouse{DSN: withDatabase(dsn, fixtureDatabase), DialTimeout: 5 * time.Second}
	work, err := os.MkdirTemp("", "followrank-current-")
	if err != nil {
		return err
	}
	defer func() {
		if keep {
			fmt.Fprintf(w, "kept: %s and database %s\n", work, fixtureDatabase)
			return
		}
		os.RemoveAll(work)
		store.DropDatabase(context.Background(), fixture)
	}()

	if bin, err = filepath.Abs(bin); err != nil {
		return err
	}
	fixtureLog := filepath.Join(work, "fixture.jsonl")
	if err := fill(ctx, fixture, bin, testdata, filepath.Join(work, "run"), fixtureLog); err != nil {
		return fmt.Errorf("fixture: %w", err)
	}
	filled := time.Now()
	recorded, err := readStatements(append([]string{fixtureLog}, logs...)...)
	if err != nil {
		return err
	}
	c, err := newCheck(ctx, dsn, modules, script, filepath.Join(work, "chdb"))
	if err != nil {
		return err
	}
	st, r, err := c.run(ctx, recorded, fixtureDatabase, work)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "ClickHouse %s (the server) against %s (chDB)\n", c.oldVersion, c.curVersion)
	r.report(w, st)
	fmt.Fprintf(w, "took %.0f s: the fixture %.0f s, the comparison %.0f s\n",
		time.Since(start).Seconds(), filled.Sub(start).Seconds(), time.Since(filled).Seconds())
	if len(r.failures) > 0 {
		for _, f := range r.failures {
			fmt.Fprintln(w, "FAIL:", f)
		}
		return fmt.Errorf("%d of the statements fail or answer differently on ClickHouse %s", len(r.failures), c.curVersion)
	}
	fmt.Fprintln(w, "test-current: ok")
	return nil
}

// withDatabase is dsn naming database db instead of its own.
func withDatabase(dsn, db string) string {
	base, _, _ := strings.Cut(dsn, "?")
	if i := strings.LastIndex(base, "/"); i > len("clickhouse://") {
		base = base[:i]
	}
	return base + "/" + db
}

// readStatements reads statement logs.
func readStatements(paths ...string) ([]store.Statement, error) {
	var out []store.Statement
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(f)
		sc.Buffer(nil, 64<<20)
		for n := 1; sc.Scan(); n++ {
			var st store.Statement
			if err := json.Unmarshal(sc.Bytes(), &st); err != nil {
				f.Close()
				return nil, fmt.Errorf("%s:%d: %v", p, n, err)
			}
			out = append(out, st)
		}
		err = sc.Err()
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
	}
	return out, nil
}

// fill builds the fixture in the database cfg names: it runs the program
// in dir, with its statements logged to log, as a bureau would: the demo,
// the test sheets, units below a county, and every command that reads.
func fill(ctx context.Context, cfg config.ClickHouse, bin, testdata, dir, log string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string]string{
		"units.csv": "单位代码,单位名称,上级代码,别名\nMC01,蒙城县委组织部,341622,县委组织部\nMC02,蒙城县教育局,341622,教育局、县教育局\nMC0201,蒙城县第一中学,MC02,\n",
		"mc.csv":    "蒙城县各单位关注情况(截至2024年6月30日)\n单位,离退休干部数,关注人数\nMC01,40,38\nMC02,300,200\nMC0201,60,30\n",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			return err
		}
	}
	sheet := func(name string) string {
		p, _ := filepath.Abs(filepath.Join(testdata, name))
		return p
	}
	const june, may = "2024-06-30", "2024-05-31"
	steps := []struct {
		args []string
		exit int
	}{
		{[]string{"migrate"}, 0},
		{[]string{"demo", "-o", "out"}, 0},
		{[]string{"import", sheet("anhui-cities-2024-05.xlsx"), sheet("安徽各市关注情况-2024年6月.csv"), sheet("bozhou-counties.csv")}, 0},
		{[]string{"import", sheet("bad-rows.csv")}, 1},
		{[]string{"units", "import", "units.csv"}, 0},
		{[]string{"import", "mc.csv"}, 0},
		{[]string{"rank", "--level", "county", "--within", "安徽省", "--date", june, "--compare", may, "--format", "json"}, 0},
		{[]string{"rank", "--level", "city", "--within", "安徽省", "--date", june, "--compare", may}, 0},
		{[]string{"rank", "--level", "county", "--within", "亳州市", "--date", "2024-03-31", "--format", "csv"}, 0},
		{[]string{"rank", "--level", "unit", "--within", "蒙城县", "--date", june}, 0},
		{[]string{"climb", "--unit", "蒙城县", "--within", "安徽省"}, 0},
		{[]string{"climb", "--unit", "蒙城县", "--within", "亳州市", "--every", "week", "--from", "2024-01-01", "--to", june}, 0},
		{[]string{"chart", "ranking", "--level", "county", "--within", "亳州市", "--highlight", "蒙城县", "--target", "0.9", "-o", "ranking.html"}, 0},
		{[]string{"chart", "climb", "--unit", "蒙城县", "--within", "安徽省", "-o", "climb.html"}, 0},
		{[]string{"chart", "trend", "--units", "蒙城县,涡阳县", "--within", "亳州市", "-o", "trend.html"}, 0},
		{[]string{"chart", "map", "--within", "亳州市", "--highlight", "蒙城县", "-o", "map.html"}, 0},
		{[]string{"chart", "account", "--account", "蒙城银辉", "-o", "account.html"}, 0},
		{[]string{"chart", "dashboard", "--within", "安徽省", "--focus", "蒙城县", "-o", "dashboard.html"}, 0},
		{[]string{"export", "--level", "county", "--within", "安徽省", "--date", june, "--compare", may, "--format", "xlsx", "-o", "county.xlsx"}, 0},
		{[]string{"export", "--all-levels", "--within", "安徽省", "--compare", may, "-o", "all.xlsx"}, 0},
		{[]string{"export", "--level", "unit", "--within", "蒙城县", "--date", june, "--format", "csv", "-o", "units-table.csv"}, 0},
		{[]string{"report", "--within", "安徽省", "--date", june, "--compare", may, "--focus", "蒙城县"}, 0},
		{[]string{"tongbao", "--within", "安徽省", "--level", "county", "--date", june, "--compare", may, "--focus", "蒙城县", "-o", "tongbao.docx"}, 0},
		{[]string{"units", "list", "--within", "亳州市"}, 0},
		{[]string{"runs"}, 0},
	}
	env := append(os.Environ(),
		config.EnvName("clickhouse", "dsn")+"="+cfg.DSN,
		config.EnvName("clickhouse", "cluster")+"=",
		config.EnvName("clickhouse", "statement_log")+"="+log)
	for _, s := range steps {
		cmd := exec.CommandContext(ctx, bin, s.args...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		exit := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			exit = ee.ExitCode()
		} else if err != nil {
			return fmt.Errorf("%s %s: %v", bin, strings.Join(s.args, " "), err)
		}
		if exit != s.exit {
			return fmt.Errorf("%s %s: exit status %d, want %d\n%s", bin, strings.Join(s.args, " "), exit, s.exit, out)
		}
	}
	return nil
}

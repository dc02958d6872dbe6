package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// chdb runs statements in chDB, current ClickHouse in process, through
// chdb.mjs and Node.js.
type chdb struct {
	modules string // the folder install.sh installed the npm package chdb into
	script  string // chdb.mjs
	dir     string // chDB's data folder, kept from one run to the next
	tz      string // the time zone it runs in: the 18.16 server's
}

// run runs statements in order in one chDB session and returns their
// answers.
func (c chdb) run(ctx context.Context, statements []string) ([]answer, error) {
	job, err := json.Marshal(map[string]any{"dir": c.dir, "statements": statements})
	if err != nil {
		return nil, err
	}
	jobPath, answersPath := c.dir+".job.json", c.dir+".answers.jsonl"
	if err := os.WriteFile(jobPath, job, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, "node", c.script, c.modules, jobPath, answersPath)
	cmd.Env = append(os.Environ(), "TZ="+c.tz)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("chDB (node %s): %v\n%s", c.script, err, out)
	}
	f, err := os.Open(answersPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var answers []answer
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<30)
	for sc.Scan() {
		var a answer
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil {
			return nil, fmt.Errorf("chDB's answers: %v", err)
		}
		answers = append(answers, a)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(answers) != len(statements) {
		return nil, fmt.Errorf("chDB answered %d of %d statements", len(answers), len(statements))
	}
	return answers, nil
}

// client runs statements on the ClickHouse 18.16 server through
// clickhouse-client, which writes the answers as TabSeparated with 18.16's
// own code, as chDB does with 26.x's.
type client struct {
	args []string // --host, --port, --user and --password
}

// newClient is a clickhouse-client for the server a DSN names.
func newClient(dsn string) (client, error) {
	opts, err := clickhouse.ParseDSN(dsn)
	if err != nil {
		return client{}, err
	}
	host, port, err := net.SplitHostPort(opts.Addr[0])
	if err != nil {
		return client{}, err
	}
	c := client{args: []string{"--host", host, "--port", port}}
	if opts.Auth.Username != "" {
		c.args = append(c.args, "--user", opts.Auth.Username)
	}
	if opts.Auth.Password != "" {
		c.args = append(c.args, "--password", opts.Auth.Password)
	}
	return c, nil
}

// exec runs one statement in database db and returns its answer as
// TabSeparated.
func (c client) exec(ctx context.Context, db, sql string) (string, error) {
	cmd := exec.CommandContext(ctx, "clickhouse-client", append(c.args, "--database", db, "--format", "TabSeparated", "--query", sql)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", clientError(err, stderr.String())
	}
	return stdout.String(), nil
}

// clientError is clickhouse-client's failure in one line: the server's
// exception without its stack trace.
func clientError(err error, stderr string) error {
	for _, line := range strings.Split(stderr, "\n") {
		if line = strings.TrimSpace(line); strings.Contains(line, "Exception") || strings.HasPrefix(line, "Code:") {
			return errors.New(strings.TrimSuffix(line, ". Stack trace:"))
		}
	}
	if s := strings.TrimSpace(stderr); s != "" {
		line, _, _ := strings.Cut(s, "\n")
		return errors.New(line)
	}
	return err
}

// answers runs queries in database db and returns their answers: in as
// few runs of clickhouse-client as it takes (one when none fails), each
// query preceded by a marker so that its answer can be told from the
// next's. A query that fails ends a run, which the next resumes after it.
func (c client) answers(ctx context.Context, db string, queries []string) ([]answer, error) {
	var nonce [6]byte
	_, _ = rand.Read(nonce[:])
	marker := "followrank-current-" + hex.EncodeToString(nonce[:]) + " "
	out := make([]answer, 0, len(queries))
	for len(out) < len(queries) {
		start := len(out)
		var in bytes.Buffer
		for i, q := range queries[start:] {
			fmt.Fprintf(&in, "SELECT '%s%d';\n%s;\n", marker, start+i, strings.TrimRight(strings.TrimSpace(q), ";"))
		}
		cmd := exec.CommandContext(ctx, "clickhouse-client", append(c.args, "--database", db, "--format", "TabSeparated", "--multiquery")...)
		var stdout, stderr bytes.Buffer
		cmd.Stdin, cmd.Stdout, cmd.Stderr = &in, &stdout, &stderr
		runErr := cmd.Run()
		// stdout is marker i, the answer of query i, marker i+1, …
		last := -1
		for _, part := range strings.Split(stdout.String(), marker)[1:] {
			n, rows, _ := strings.Cut(part, "\n")
			var i int
			if _, err := fmt.Sscanf(n, "%d", &i); err != nil || i != start+last+1 {
				return nil, fmt.Errorf("clickhouse-client: answers out of order at %q", n)
			}
			last++
			out = append(out, answer{Out: rows})
		}
		if runErr == nil {
			if len(out) != len(queries) {
				return nil, fmt.Errorf("clickhouse-client answered %d of %d queries", len(out), len(queries))
			}
			break
		}
		if last < 0 {
			return nil, fmt.Errorf("clickhouse-client: %v", clientError(runErr, stderr.String()))
		}
		// The last query marked failed: what it wrote is not an answer.
		out[len(out)-1] = answer{Error: clientError(runErr, stderr.String()).Error()}
	}
	return out, nil
}

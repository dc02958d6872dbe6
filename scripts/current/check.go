package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"followrank/store"
)

// check runs statements on both engines: the 18.16 server and chDB.
type check struct {
	client                 client
	chdb                   chdb
	oldVersion, curVersion string
}

// newCheck connects the two engines: the server dsn names, through
// clickhouse-client, and chDB, installed in modules, run by script, with
// its data in dir and in the server's time zone.
func newCheck(ctx context.Context, dsn, modules, script, dir string) (*check, error) {
	cl, err := newClient(dsn)
	if err != nil {
		return nil, err
	}
	out, err := cl.exec(ctx, "default", "SELECT version(), timezone()")
	if err != nil {
		return nil, fmt.Errorf("ClickHouse: %v", err)
	}
	old, tz, _ := strings.Cut(strings.TrimSpace(out), "\t")
	c := &check{client: cl, chdb: chdb{modules: modules, script: script, dir: dir, tz: tz}, oldVersion: old}
	answers, err := c.chdb.run(ctx, []string{versionQuery})
	if err != nil {
		return nil, err
	}
	if answers[0].Error != "" {
		return nil, fmt.Errorf("chDB: %s", answers[0].Error)
	}
	c.curVersion = strings.TrimSpace(answers[0].Out)
	return c, nil
}

// run compares the recorded statements over the tables of database db on
// the server, which it copies into chDB through files in work: see the
// command's doc.
func (c *check) run(ctx context.Context, recorded []store.Statement, db, work string) (statements, result, error) {
	st := sortStatements(recorded, db)
	var failures []string
	schema := map[string]bool{}
	for _, sql := range store.Schema(c.oldVersion) {
		schema[sql] = true
	}
	for sql := range st.creates {
		if !schema[sql] {
			failures = append(failures, "a CREATE TABLE was sent that is not in store.Schema("+c.oldVersion+"):\n"+indent(sql))
		}
	}
	for _, sql := range st.unknown {
		failures = append(failures, "a statement of a kind scripts/current does not know; teach sortStatements what to do with it:\n"+indent(sql))
	}

	// The schema for chDB's version, and the fixture's rows, merged on the
	// server first so that neither engine merges them later.
	tables, err := c.client.exec(ctx, db, "SHOW TABLES")
	if err != nil {
		return st, result{}, fmt.Errorf("ClickHouse: %v", err)
	}
	job := append([]string{"CREATE DATABASE IF NOT EXISTS " + db, "USE " + db}, store.Schema(c.curVersion)...)
	for _, t := range strings.Fields(tables) {
		if _, err := c.client.exec(ctx, db, "OPTIMIZE TABLE "+t+" FINAL"); err != nil {
			return st, result{}, fmt.Errorf("ClickHouse: %v", err)
		}
		rows, err := c.client.exec(ctx, db, "SELECT * FROM "+t)
		if err != nil {
			return st, result{}, fmt.Errorf("ClickHouse: %v", err)
		}
		path := filepath.Join(work, t+".tsv")
		if err := os.WriteFile(path, []byte(rows), 0o644); err != nil {
			return st, result{}, err
		}
		job = append(job, "INSERT INTO "+t+" SELECT * FROM file('"+path+"', 'TabSeparated')")
	}
	setup := len(job)
	texts := make([]string, len(st.queries))
	for i, q := range st.queries {
		texts[i] = q.SQL
	}
	job = append(append(job, texts...), st.alters...)

	// The two engines answer at once: chDB in Node, 18.16 in its server.
	type answers struct {
		all []answer
		err error
	}
	fromOld := make(chan answers, 1)
	go func() {
		all, err := c.client.answers(ctx, db, texts)
		fromOld <- answers{all, err}
	}()
	cur, err := c.chdb.run(ctx, job)
	old := <-fromOld
	if err != nil {
		return st, result{}, err
	}
	if old.err != nil {
		return st, result{}, old.err
	}
	setupFailed := false
	for i, a := range cur[:setup] {
		if a.Error != "" {
			setupFailed = true
			failures = append(failures, "chDB cannot create the schema or load the fixture:\n"+indent(job[i])+"\n  "+a.Error)
		}
	}
	if setupFailed {
		return st, result{failures: failures}, nil
	}
	r := judge(st.queries, old.all, cur[setup:setup+len(texts)])
	for i, a := range cur[setup+len(texts):] {
		if a.Error != "" {
			r.failures = append(r.failures, "chDB: "+a.Error+"\n"+indent(st.alters[i]))
		}
	}
	r.failures = append(failures, r.failures...)
	return st, r, nil
}

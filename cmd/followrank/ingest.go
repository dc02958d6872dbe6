package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"followrank/catalog"
	"followrank/ingest"
	"followrank/ingest/inbox"
	"followrank/ingest/wechat"
	"followrank/jobs"
	"followrank/rank"
	"followrank/store"
	"followrank/units"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", catalog.IngestArgs, catalog.IngestDesc)
	only := fs.String("source", "", e.cli.Say(catalog.FlagIngestSource))
	var from, to dateFlag
	fs.Var(&from, "from", e.cli.Say(catalog.FlagIngestFrom))
	fs.Var(&to, "to", e.cli.Say(catalog.FlagIngestTo))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	tree := units.NewCache(s, 0)
	sources, err := e.sources(ctx, tree, from.t, to.t)
	if err != nil {
		return err
	}
	var m *rank.Engine
	pusher, err := e.pusher(ctx, s, tree, func(ctx context.Context) (*rank.Engine, error) {
		if m == nil {
			t, err := tree.Tree(ctx)
			if err != nil {
				return nil, err
			}
			m = rank.New(s, t, e.cfg.Metrics.StaleAfterDays)
		}
		return m, nil
	})
	if err != nil {
		return err
	}
	if pusher != nil {
		sources = append(sources, pusher)
	}
	var names []string
	seen := map[string]bool{}
	add := func(n string) {
		if !seen[n] && (*only == "" || n == *only) {
			seen[n] = true
			names = append(names, n)
		}
	}
	for _, j := range e.cfg.Schedule {
		for _, n := range j.Sources {
			add(n)
		}
	}
	for _, src := range sources {
		add(src.Name())
	}
	if *only != "" && !seen[*only] {
		return mistake(e.cli, catalog.NoSuchSource, *only)
	}
	if len(names) == 0 {
		return mistake(e.cli, catalog.NoSources)
	}
	r := jobs.New(s, jobs.NewRecorder(s, e.log), sources, e.log)
	var failed, rejected int
	for _, name := range names {
		var src ingest.Source
		for _, c := range sources {
			if c.Name() == name {
				src = c
			}
		}
		if src == nil {
			fmt.Fprintln(e.stdout, e.cli.Say(catalog.SourceSkipped, name))
			failed++
			continue
		}
		run, err := r.RunSource(ctx, src)
		fmt.Fprintln(e.stdout, e.cli.Say(catalog.SourceRan, name, run.Status, run.Accepted, run.Rejected,
			strconv.FormatFloat(run.Finished.Sub(run.Started).Seconds(), 'f', 1, 64), run.ID))
		if err != nil {
			fmt.Fprintf(e.stdout, "%s: %v\n", name, err)
			failed++
		}
		if run.Rejected > 0 {
			rejected++
		}
	}
	switch {
	case failed > 0:
		return &exitError{code: 2, err: errors.New(e.cli.Say(catalog.SourcesFailed, failed, len(names)))}
	case rejected > 0:
		return &exitError{code: 1, err: errors.New(e.cli.Say(catalog.SourcesRejected))}
	}
	return nil
}

// storeAndTree opens the store and its unit tree.
func (e *env) storeAndTree(ctx context.Context) (*store.Store, *units.Tree, error) {
	s, err := e.openStore(ctx)
	if err != nil {
		return nil, nil, err
	}
	tree, err := units.NewCache(s, 0).Tree(ctx)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, tree, nil
}

// sources builds the configured sources. from and to bound the days of
// sources that fetch by day; zero for their defaults.
func (e *env) sources(ctx context.Context, tree *units.Cache, from, to time.Time) ([]ingest.Source, error) {
	var out []ingest.Source
	if in := e.cfg.Sources.Inbox; in.Dir != "" {
		t, err := tree.Tree(ctx)
		if err != nil {
			return nil, err
		}
		var within string
		if in.Within != "" {
			n, err := t.Find(in.Within, "")
			if err != nil {
				return nil, &worded{unitWords(e.cli, "sources.inbox.within", err), err}
			}
			within = n.Code
		}
		out = append(out, &inbox.Source{Dir: in.Dir, Within: within, Tree: tree.Tree, Default: e.defaultScope(t), Say: e.say})
	}
	if w := e.cfg.Sources.WeChat; w.AppID != "" {
		loc, err := time.LoadLocation(e.cfg.Timezone)
		if err != nil {
			return nil, err
		}
		out = append(out, &wechat.Source{
			Account: w.Account, AppID: w.AppID, Secret: w.Secret, BaseURL: w.BaseURL,
			BackfillDays: w.BackfillDays, RefetchDays: w.RefetchDays, From: from, To: to, Location: loc, Log: e.log,
		})
	}
	return out, nil
}

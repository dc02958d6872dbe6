package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"followrank/ingest"
	"followrank/ingest/inbox"
	"followrank/ingest/wechat"
	"followrank/jobs"
	"followrank/store"
	"followrank/units"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "[--source NAME] [--from D] [--to D]",
		"Run the configured sources once, as the nightly job does: each source of every job in\n"+
			"schedule: (or only --source). For system cron. Exit status as import: 0 all stored,\n"+
			"1 some rows rejected, 2 a source failed.")
	only := fs.String("source", "", "run only this source (inbox, wechat)")
	var from, to dateFlag
	fs.Var(&from, "from", "first day to fetch, for sources that fetch by day (default: the day after the last stored)")
	fs.Var(&to, "to", "last day to fetch (default: yesterday in the configured time zone)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, err := e.openStore(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	sources, err := e.sources(ctx, units.NewCache(s, 0), from.t, to.t)
	if err != nil {
		return err
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
		return usageError("--source %s: no such source is configured (see sources: in the config)", *only)
	}
	if len(names) == 0 {
		return usageError("ingest: no source is configured; add sources: (and schedule:) to the config, see followrank.example.yaml")
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
			fmt.Fprintf(e.stdout, "%s: not configured; skipped\n", name)
			failed++
			continue
		}
		run, err := r.RunSource(ctx, src)
		fmt.Fprintf(e.stdout, "%s: %s, %d accepted, %d rejected, %.1f s (run %s)\n", name, run.Status, run.Accepted, run.Rejected, run.Finished.Sub(run.Started).Seconds(), run.ID)
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
		return &exitError{code: 2, err: fmt.Errorf("%d of %d sources failed", failed, len(names))}
	case rejected > 0:
		return &exitError{code: 1, err: errors.New("some rows were rejected; see `followrank runs`")}
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
				return nil, fmt.Errorf("sources.inbox.within: %w", err)
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

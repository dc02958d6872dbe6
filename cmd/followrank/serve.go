package main

import (
	"context"
	"time"

	"followrank/catalog"
	"followrank/jobs"
	"followrank/rank"
	"followrank/units"
	"followrank/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", catalog.ServeArgs, catalog.ServeDesc)
	addr := fs.String("addr", e.cfg.Server.Addr, e.cli.Say(catalog.FlagServeAddr))
	if _, err := parse(fs, args); err != nil {
		return err
	}
	s, applied, err := migrate(ctx, e)
	if err != nil {
		return err
	}
	defer s.Close()
	if len(applied) > 0 {
		e.log.Info("migrated schema", "applied", applied)
	}
	// One tree for the pages, the API and the inbox, read again when units
	// are imported: asked every few seconds, and at once when a run is
	// recorded (units import records one), so that a page kept in memory
	// never outlives the units it was drawn with.
	tree := units.NewCache(s, 5*time.Second)
	if _, err := tree.Tree(ctx); err != nil {
		return err
	}
	// A target whose scope the tree does not know is a mistake in the
	// config, said now rather than logged at every page.
	if t, err := tree.Tree(ctx); err != nil {
		return err
	} else if _, err := e.targets(t, units.Node{}, 0); err != nil {
		return err
	}
	sources, err := e.sources(ctx, tree, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(e.cfg.Timezone)
	if err != nil {
		return err
	}
	for _, j := range e.cfg.Schedule {
		if _, err := jobs.ParseSpec(j.Spec); err != nil {
			return mistake(e.cli, catalog.BadSchedule, j.Name, err.Error())
		}
	}
	// The summaries are pushed with the web's engine, the process's one.
	var srv *web.Server
	pusher, err := e.pusher(ctx, s, tree, func(ctx context.Context) (*rank.Engine, error) { return srv.Engine(ctx) })
	if err != nil {
		return err
	}
	if pusher != nil {
		sources = append(sources, pusher)
	}
	rec := jobs.NewRecorder(s, e.log)
	runner := jobs.New(s, rec, sources, e.log)
	if pusher != nil && e.cfg.Push.AfterRuns {
		runner.PushAfterRuns(ctx, rec, pusher)
	}
	srv = web.New(web.Config{
		Addr: *addr, Scope: e.cfg.Scope, StaleDays: e.cfg.Metrics.StaleAfterDays,
		MaxBodyBytes: e.cfg.Server.MaxBodyBytes, Submitters: e.cfg.Server.Submitters,
		ReadToken: e.cfg.Server.ReadToken, Jobs: e.cfg.Schedule, Location: loc, Bureau: e.cfg.Bureau,
		// config.Load has checked the key: set, and 32 bytes or more.
		Users: e.cfg.Server.Users, SessionKey: e.cfg.Server.SessionKey(),
		PageCacheBytes: e.cfg.Server.PageCacheBytes,
		Targets:        e.cfg.Targets, RemindDueDay: e.cfg.Remind.DueDay,
	}, web.Deps{Store: s, Units: tree, Recorder: rec, Runner: runner, Log: e.log, Say: e.say})
	return srv.Run(ctx)
}

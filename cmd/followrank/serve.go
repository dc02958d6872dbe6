package main

import (
	"context"
	"time"

	"followrank/schedule"
	"followrank/server"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr :8080]", "Serve the dashboard (/), charts (/chart/ranking|climb|trend|map), the ranking table\n"+
		"(/export.xlsx, /export.csv), the runs (/runs), /healthz, /metrics and the submission API\n"+
		"(POST /api/v1/figures), and run the schedule, until interrupted. The schema is migrated at\n"+
		"start. Pages take the query parameters within, level, date, compare, from, to, unit, units.")
	addr := fs.String("addr", e.cfg.Server.Addr, "address to listen on")
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
	_, tree, err := e.storeAndTreeOf(ctx, s)
	if err != nil {
		return err
	}
	sources, err := e.sources(s, tree, time.Time{}, time.Time{})
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(e.cfg.Timezone)
	if err != nil {
		return err
	}
	for _, j := range e.cfg.Schedule {
		if _, err := schedule.ParseSpec(j.Spec); err != nil {
			return usageError("schedule %s: %v", j.Name, err)
		}
	}
	runner := schedule.New(s, sources, e.log)
	srv := server.New(server.Config{
		Addr: *addr, Scope: e.cfg.Scope, StaleDays: e.cfg.Metrics.StaleAfterDays,
		MaxBodyBytes: e.cfg.Server.MaxBodyBytes, Submitters: e.cfg.Server.Submitters,
		ReadToken: e.cfg.Server.ReadToken, Jobs: e.cfg.Schedule, Location: loc,
	}, s, runner, e.log)
	return srv.Run(ctx)
}

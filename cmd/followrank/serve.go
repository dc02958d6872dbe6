package main

import (
	"context"

	"followrank/server"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr :8080]", "Serve the dashboard (/), the ranking table (/export.xlsx, /export.csv) and\n/healthz over HTTP until interrupted. The schema is migrated at start.\nQuery parameters: within, level, date, compare, focus.")
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
	srv := server.New(server.Config{Addr: *addr, Scope: e.cfg.Scope, StaleDays: e.cfg.Metrics.StaleAfterDays}, s, e.log)
	return srv.Run(ctx)
}

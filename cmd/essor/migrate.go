package main

import (
	"context"
	"flag"
	"io"

	"github.com/essor-ess/essor/internal/sqlstore"
)

func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{"essor migrate: say up, down or status"}
	}
	direction := args[0]
	if direction != "up" && direction != "down" && direction != "status" {
		return usageError{"essor migrate: unknown direction " + direction}
	}
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(getenv, fs, args[1:])
	if err != nil {
		return err
	}
	a, err := openApp(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return err
	}
	defer a.close()
	return sqlstore.Migrate(ctx, a.db, direction, stdout)
}

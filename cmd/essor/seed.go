package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// seedBatchSize is how many structures one insert transaction carries.
const seedBatchSize = 1000

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "demo" {
		return usageError{"essor seed: the only data set is \"demo\""}
	}
	fs := flag.NewFlagSet("seed demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	count := fs.Int("count", demoCount, "number of structures to create")
	seed := fs.Uint64("seed", demoSeed, "random seed: the same seed gives the same directory")
	cfg, err := loadConfig(getenv, fs, args[1:])
	if err != nil {
		return err
	}
	if *count < 1 || *count > 5_000_000 {
		return usageError{"essor seed demo: --count must be between 1 and 5000000"}
	}
	log := cfg.logger(stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	if err := sqlstore.Migrate(ctx, a.db, "up", io.Discard); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return seedDemo(ctx, a, *count, *seed, stdout)
}

// seedIfEmpty seeds the default demo directory when the database holds no structure yet.
func seedIfEmpty(ctx context.Context, a *app, log *slog.Logger, stdout io.Writer) error {
	page, err := a.store.FindStructures(ctx, domain.StructureFilter{Statuses: []domain.StructureStatus{domain.StatusDraft, domain.StatusPublished, domain.StatusSuspended}}, domain.PageRequest{Size: 1})
	if err != nil {
		return err
	}
	if page.Total > 0 {
		log.Info("demo: the database already holds structures; nothing seeded", "structures", page.Total)
		return nil
	}
	return seedDemo(ctx, a, demoCount, demoSeed, stdout)
}

func seedDemo(ctx context.Context, a *app, count int, seed uint64, stdout io.Writer) error {
	start := time.Now()
	written := 0
	err := demo.Generate(demo.Options{Count: count, Seed: seed, Now: start}, seedBatchSize, func(batch []domain.Structure) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		n, err := a.directory.CreateStructures(ctx, batch)
		written += n
		if err != nil {
			return err
		}
		if count >= 10*seedBatchSize {
			fmt.Fprintf(stdout, "\rdemo: %d/%d structures (%.0f/s)", written, count, rate(written, start))
		}
		return nil
	})
	if count >= 10*seedBatchSize {
		fmt.Fprintln(stdout)
	}
	if err != nil {
		return fmt.Errorf("seed demo after %d structures: %w", written, err)
	}
	fmt.Fprintf(stdout, "demo: %d fictitious structures written in %s (%.0f structures/s)\n",
		written, time.Since(start).Round(time.Millisecond), rate(written, start))
	return nil
}

func rate(n int, since time.Time) float64 {
	s := time.Since(since).Seconds()
	if s <= 0 {
		return 0
	}
	return float64(n) / s
}

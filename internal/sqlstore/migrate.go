package sqlstore

import (
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"gorm.io/gorm"

	"github.com/essor-ess/essor/migrations"
)

// Migration directions accepted by Migrate.
const (
	MigrateUp     = "up"
	MigrateDown   = "down"
	MigrateReset  = "reset"
	MigrateStatus = "status"
)

// Migrate applies the embedded migrations of db's dialect: "up" applies every pending one, "down" rolls back the
// latest, "reset" rolls back all of them and "status" lists them; each applied step is reported on out.
// On PostgreSQL a session advisory lock makes instances that start together migrate one after the other.
func Migrate(ctx context.Context, db *gorm.DB, direction string, out io.Writer) error {
	p, err := newMigrationProvider(db)
	if err != nil {
		return err
	}
	var results []*goose.MigrationResult
	switch direction {
	case MigrateUp:
		results, err = p.Up(ctx)
	case MigrateDown:
		var r *goose.MigrationResult
		r, err = p.Down(ctx)
		if r != nil {
			results = append(results, r)
		}
	case MigrateReset:
		results, err = p.DownTo(ctx, 0)
	case MigrateStatus:
		return printMigrationStatus(ctx, p, out)
	default:
		return fmt.Errorf("unknown migration direction %q (want up, down, reset or status)", direction)
	}
	for _, r := range results {
		fmt.Fprintln(out, r.String())
	}
	if err != nil {
		return fmt.Errorf("migrate %s: %w", direction, err)
	}
	if len(results) == 0 {
		fmt.Fprintln(out, "no migrations to run")
	}
	return nil
}

// MigrationStatus returns the schema version of db and the latest embedded version; /readyz reports not ready
// while they differ.
func MigrationStatus(ctx context.Context, db *gorm.DB) (current, latest int64, err error) {
	p, err := newMigrationProvider(db)
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}

// MigrationVersions lists the embedded migration versions of a dialect folder ("postgres" or "sqlite"), in
// ascending order.
func MigrationVersions(dialect string) ([]int64, error) {
	names, err := fs.Glob(migrations.FS, dialect+"/*.sql")
	if err != nil {
		return nil, err
	}
	versions := make([]int64, 0, len(names))
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", name, err)
		}
		versions = append(versions, v)
	}
	return versions, nil
}

func newMigrationProvider(db *gorm.DB) (*goose.Provider, error) {
	dialect := Dialect(db)
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	fsys, err := fs.Sub(migrations.FS, dialect)
	if err != nil {
		return nil, err
	}
	var opts []goose.ProviderOption
	if dialect == DialectPostgres {
		// Retry every second for up to five minutes: a second instance waits for the first one's migration.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	return goose.NewProvider(gooseDialect(dialect), sqlDB, fsys, opts...)
}

func gooseDialect(dialect string) goose.Dialect {
	if dialect == DialectPostgres {
		return goose.DialectPostgres
	}
	return goose.DialectSQLite3
}

func printMigrationStatus(ctx context.Context, p *goose.Provider, out io.Writer) error {
	statuses, err := p.Status(ctx)
	if err != nil {
		return fmt.Errorf("migration status: %w", err)
	}
	for _, s := range statuses {
		applied := "pending"
		if s.State == goose.StateApplied {
			applied = "applied " + s.AppliedAt.UTC().Format("2006-01-02 15:04:05Z")
		}
		fmt.Fprintf(out, "%05d  %-40s  %s\n", s.Source.Version, s.Source.Path, applied)
	}
	return nil
}

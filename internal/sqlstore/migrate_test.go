package sqlstore_test

import (
	"bytes"
	"context"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/sqlstore"
)

func TestDialectFoldersHoldTheSameVersions(t *testing.T) {
	pg, err := sqlstore.MigrationVersions(sqlstore.DialectPostgres)
	if err != nil {
		t.Fatal(err)
	}
	lite, err := sqlstore.MigrationVersions(sqlstore.DialectSQLite)
	if err != nil {
		t.Fatal(err)
	}
	if len(pg) == 0 || !slices.Equal(pg, lite) {
		t.Fatalf("postgres versions %v, sqlite versions %v: they must be the same", pg, lite)
	}
}

func TestMigrateUpDownUp(t *testing.T) {
	ctx := context.Background()
	db := dbtest.OpenEmpty(t)
	latest := lastVersion(t)

	var out bytes.Buffer
	for _, step := range []struct {
		direction string
		want      int64
	}{
		{sqlstore.MigrateUp, latest},
		{sqlstore.MigrateUp, latest}, // nothing pending: a no-op
		{sqlstore.MigrateReset, 0},
		{sqlstore.MigrateUp, latest},
	} {
		if err := sqlstore.Migrate(ctx, db, step.direction, &out); err != nil {
			t.Fatalf("migrate %s: %v\n%s", step.direction, err, out.String())
		}
		current, target, err := sqlstore.MigrationStatus(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if current != step.want || target != latest {
			t.Fatalf("after %s: version %d of %d, want %d of %d", step.direction, current, target, step.want, latest)
		}
	}

	// The schema works after a full down and up.
	store := sqlstore.New(db)
	s := mustCreate(t, store, fullStructure(t, 1))
	if _, err := store.FindStructureByID(ctx, s.ID); err != nil {
		t.Fatal(err)
	}

	out.Reset()
	if err := sqlstore.Migrate(ctx, db, sqlstore.MigrateStatus, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "00001_directory.sql") || !strings.Contains(out.String(), "applied") {
		t.Errorf("status output does not list the applied migration:\n%s", out.String())
	}
	if err := sqlstore.Migrate(ctx, db, "sideways", io.Discard); err == nil {
		t.Error("an unknown direction was accepted")
	}
}

func TestMigrateDownRollsBackOneVersion(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	latest := lastVersion(t)
	if err := sqlstore.Migrate(ctx, db, sqlstore.MigrateDown, io.Discard); err != nil {
		t.Fatal(err)
	}
	current, _, err := sqlstore.MigrationStatus(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	versions, _ := sqlstore.MigrationVersions(sqlstore.Dialect(db))
	want := int64(0)
	if len(versions) > 1 {
		want = versions[len(versions)-2]
	}
	if current != want {
		t.Errorf("after down from %d: version %d, want %d", latest, current, want)
	}
}

// Two instances starting together must not both run the same migration.
func TestConcurrentMigrationsOnPostgres(t *testing.T) {
	if dbtest.Engine() != sqlstore.DialectPostgres {
		t.Skip("SQLite serves a single instance; run with TEST_DB=postgres")
	}
	ctx := context.Background()
	databaseURL, _ := dbtest.URL(t)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range errs {
		db, err := sqlstore.Open(ctx, databaseURL, "", nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if sqlDB, err := db.DB(); err == nil {
				sqlDB.Close()
			}
		})
		wg.Go(func() { errs[i] = sqlstore.Migrate(ctx, db, sqlstore.MigrateUp, io.Discard) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

func TestMigrationStatusOfAFreshDatabase(t *testing.T) {
	db := dbtest.OpenEmpty(t)
	current, latest, err := sqlstore.MigrationStatus(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	if current != 0 || latest < 1 {
		t.Errorf("fresh database: version %d of %d, want 0 of at least 1", current, latest)
	}
}

func lastVersion(t *testing.T) int64 {
	t.Helper()
	versions, err := sqlstore.MigrationVersions(dbtest.Engine())
	if err != nil || len(versions) == 0 {
		t.Fatalf("migration versions: %v %v", versions, err)
	}
	return versions[len(versions)-1]
}

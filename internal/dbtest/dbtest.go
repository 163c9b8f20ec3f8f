// Package dbtest gives tests a fresh database on the engine TEST_DB names: "sqlite" (the default, a file in
// t.TempDir()) or "postgres" (a uniquely named database on TEST_POSTGRES_URL, dropped when the test ends).
package dbtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/url"
	"os"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/sqlstore"
)

// DefaultPostgresURL is the server tests use when TEST_DB=postgres and TEST_POSTGRES_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// Engine returns the engine tests run on: "postgres" when TEST_DB=postgres, else "sqlite".
func Engine() string {
	if os.Getenv("TEST_DB") == sqlstore.DialectPostgres {
		return sqlstore.DialectPostgres
	}
	return sqlstore.DialectSQLite
}

// Open returns a fresh database with every migration applied, closed (and on PostgreSQL dropped) when the test
// ends.
func Open(t testing.TB) *gorm.DB {
	t.Helper()
	db := OpenEmpty(t)
	if err := sqlstore.Migrate(context.Background(), db, sqlstore.MigrateUp, io.Discard); err != nil {
		t.Fatalf("migrate test database: %v", err)
	}
	return db
}

// OpenEmpty returns a fresh database with no migration applied, for tests of the migrations themselves.
func OpenEmpty(t testing.TB) *gorm.DB {
	t.Helper()
	databaseURL, dataDir := URL(t)
	db, err := sqlstore.Open(context.Background(), databaseURL, dataDir, nil)
	if err != nil {
		t.Fatalf("open test database: %v", err)
	}
	t.Cleanup(func() { closeDB(t, db) }) // registered after URL's drop, so it runs before it
	return db
}

// URL creates a fresh, empty database and returns what the application takes to reach it: the DATABASE_URL on
// PostgreSQL (dataDir is then unused) or an empty URL and the data directory of the SQLite file.
func URL(t testing.TB) (databaseURL, dataDir string) {
	t.Helper()
	dataDir = t.TempDir()
	if Engine() != sqlstore.DialectPostgres {
		return "", dataDir
	}
	adminURL := os.Getenv("TEST_POSTGRES_URL")
	if adminURL == "" {
		adminURL = DefaultPostgresURL
	}
	name := "essor_test_" + randomHex(t, 8)
	admin := openAdmin(t, adminURL)
	if err := admin.Exec("CREATE DATABASE " + name).Error; err != nil {
		closeDB(t, admin)
		t.Fatalf("create test database: %v", err)
	}
	closeDB(t, admin)
	t.Cleanup(func() {
		admin := openAdmin(t, adminURL)
		defer closeDB(t, admin)
		if err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)").Error; err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u, err := url.Parse(adminURL)
	if err != nil {
		t.Fatalf("TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String(), dataDir
}

func openAdmin(t testing.TB, adminURL string) *gorm.DB {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	db, err := sqlstore.Open(ctx, adminURL, "", nil)
	if err != nil {
		t.Fatalf("connect to PostgreSQL for tests (TEST_POSTGRES_URL): %v", err)
	}
	return db
}

func closeDB(t testing.TB, db *gorm.DB) {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Errorf("close database: %v", err)
		return
	}
	if err := sqlDB.Close(); err != nil {
		t.Errorf("close database: %v", err)
	}
}

func randomHex(t testing.TB, n int) string {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

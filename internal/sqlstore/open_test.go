package sqlstore_test

import (
	"testing"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/sqlstore"
)

func TestOpenConfiguresTheEngine(t *testing.T) {
	db := dbtest.Open(t)
	if got := sqlstore.Dialect(db); got != dbtest.Engine() {
		t.Fatalf("Dialect = %q, want %q", got, dbtest.Engine())
	}
	if err := sqlstore.Ping(t.Context(), db); err != nil {
		t.Fatal(err)
	}
	settings := map[string]string{"SHOW jit": "off"}
	if dbtest.Engine() == sqlstore.DialectSQLite {
		settings = map[string]string{
			"PRAGMA foreign_keys": "1", "PRAGMA journal_mode": "wal", "PRAGMA busy_timeout": "10000",
			"PRAGMA synchronous": "1", // NORMAL
		}
		sqlDB, err := db.DB()
		if err != nil {
			t.Fatal(err)
		}
		if n := sqlDB.Stats().MaxOpenConnections; n != 1 {
			t.Errorf("SQLite pool allows %d connections, want 1", n)
		}
	}
	for query, want := range settings {
		var got string
		if err := db.Raw(query).Scan(&got).Error; err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", query, got, want)
		}
	}
}

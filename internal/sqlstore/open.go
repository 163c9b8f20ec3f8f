// Package sqlstore persists Essor's directory with GORM on PostgreSQL or an embedded SQLite file, writes the
// search outbox in the same transactions and translates storage errors into domain error kinds.
package sqlstore

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names returned by Dialect.
const (
	DialectPostgres = "postgres"
	DialectSQLite   = "sqlite"
)

// DB is an open database handle. Wiring code holds it under this name so that only this package imports GORM.
type DB = gorm.DB

// SQLiteFile is the database file name inside the data directory when no PostgreSQL URL is configured.
const SQLiteFile = "essor.db"

// sqlitePragmas apply to every SQLite connection. busy_timeout makes a second process wait for the write lock
// instead of failing at once; WAL lets readers in other processes proceed while one writes; foreign_keys is off
// by default in SQLite and the schema's ON DELETE CASCADE depends on it; synchronous(NORMAL) is durable enough
// in WAL mode (a power cut may lose the last commits, never corrupt the file).
var sqlitePragmas = []string{"busy_timeout(10000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"}

// Open connects to PostgreSQL when databaseURL is set, otherwise opens (creating it if needed) the SQLite file
// <dataDir>/essor.db. It does not migrate: run Migrate first.
//
// SQLite gets a single open connection: SQLite allows one writer at a time and a pool of connections only turns
// that into SQLITE_BUSY errors (a read transaction upgraded to a write one cannot wait for the lock). One
// connection serialises readers behind writers too, which is the price of the embedded single-instance mode;
// deployments that need concurrency use PostgreSQL.
func Open(ctx context.Context, databaseURL, dataDir string, log *slog.Logger) (*gorm.DB, error) {
	cfg := &gorm.Config{
		TranslateError:         true,
		SkipDefaultTransaction: true, // every multi-statement write of this package opens its own transaction
		Logger:                 gormLogger(log),
		NowFunc:                now,
	}
	var dialector gorm.Dialector
	if databaseURL != "" {
		pgConfig, err := pgx.ParseConfig(databaseURL)
		if err != nil {
			return nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		if _, set := pgConfig.RuntimeParams["jit"]; !set {
			// The directory's filter queries have estimated costs above jit_above_cost, and compiling them took
			// 500 ms for a 100 ms query (EXPLAIN ANALYZE, 20,000 structures): JIT only pays off for analytics.
			pgConfig.RuntimeParams["jit"] = "off"
		}
		dialector = postgres.New(postgres.Config{Conn: stdlib.OpenDB(*pgConfig)})
	} else {
		if err := os.MkdirAll(dataDir, 0o750); err != nil {
			return nil, fmt.Errorf("create data directory: %w", err)
		}
		dialector = sqlite.Open(sqliteDSN(filepath.Join(dataDir, SQLiteFile)))
	}
	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", dialector.Name(), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if databaseURL == "" {
		sqlDB.SetMaxOpenConns(1)
		sqlDB.SetMaxIdleConns(1)
		sqlDB.SetConnMaxLifetime(0)
	} else {
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(10)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	if err := Ping(ctx, db); err != nil {
		_ = sqlDB.Close()
		return nil, err
	}
	return db, nil
}

func sqliteDSN(path string) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	return "file:" + path + "?" + q.Encode()
}

// now is the clock of every row: UTC at the microsecond precision both engines store.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

func gormLogger(log *slog.Logger) logger.Interface {
	if log == nil {
		return logger.Discard
	}
	return logger.NewSlogLogger(log, logger.Config{
		SlowThreshold:             500 * time.Millisecond,
		LogLevel:                  logger.Warn,
		IgnoreRecordNotFoundError: true,
		ParameterizedQueries:      true, // never log values: representatives are personal data
	})
}

// Dialect returns "postgres" or "sqlite", the engine behind db.
func Dialect(db *gorm.DB) string {
	if db.Name() == DialectPostgres {
		return DialectPostgres
	}
	return DialectSQLite
}

// Ping checks that the database answers within ctx.
func Ping(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	if err := sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s database: %w", Dialect(db), err)
	}
	return nil
}

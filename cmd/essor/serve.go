package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
	"github.com/essor-ess/essor/internal/web"
)

// demoCount and demoSeed size the directory `serve --demo` creates on an empty database.
const (
	demoCount = 300
	demoSeed  = 1
)

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	demoFlag := fs.Bool("demo", false, "fill an empty database with a fictitious demo directory")
	cfg, err := loadConfig(getenv, fs, args)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	app, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer app.close()
	if err := sqlstore.Migrate(ctx, app.db, "up", io.Discard); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	if *demoFlag {
		if err := seedIfEmpty(ctx, app, log, stdout); err != nil {
			return err
		}
		if err := createDemoAccounts(ctx, app, stdout); err != nil {
			return err
		}
	}
	workers, err := startSearchIndex(app, cfg, log)
	if err != nil {
		return err
	}
	defer workers.stop()
	allotment, supply := startAllotmentSupply(app, log)
	defer supply.stop()
	tenders, notifier, err := startTenders(app, cfg, log, allotment)
	if err != nil {
		return err
	}
	defer notifier.stop()
	handler := httpapi.New(httpapi.Deps{
		Directory:    app.directory,
		Allotment:    allotment,
		Indicators:   service.NewIndicatorService(app.store, httpapi.IndicatorLabels{Ref: refdata.Default()}),
		Partnerships: newPartnerships(app, tenders),
		Tenders:      tenders,
		Accounts:     app.accounts,
		Security:     cfg.Security,
		Ref:          refdata.Default(),
		Ready:        func(ctx context.Context) error { return ready(ctx, app.db) },
		Logger:       log,
		Version:      version,
	})
	ln, err := (&net.ListenConfig{}).Listen(ctx, "tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	srv := &http.Server{
		Handler:           web.Mount(handler, newSite(app, cfg, log, tenders, allotment)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	log.Info("essor listening", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr()), "version", version,
		"database", databaseLabel(cfg), "data_dir", cfg.DataDir)
	fmt.Fprintf(stdout, "Essor is serving on http://%s (API docs at /docs)\n", displayAddr(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	workers.stop()
	supply.stop()
	notifier.stop()
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// startAllotmentSupply loads the ESS supply of lot-splitting suggestions in the background (they answer 503 until
// it is loaded) and keeps it following the outbox; like the indexer, it stops after the HTTP server.
func startAllotmentSupply(a *app, log *slog.Logger) (*service.AllotmentService, *searchWorkers) {
	svc := service.NewAllotmentService(a.store, service.AllotmentReferenceFrom(refdata.Default()),
		service.AllotmentConfig{Logger: log}, nil)
	ctx, cancel := context.WithCancel(context.Background())
	w := &searchWorkers{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		_ = svc.Run(ctx)
	}()
	return svc, w
}

// app is what every command shares: the database and the use cases over it.
type app struct {
	db        *sqlstore.DB
	store     *sqlstore.Store
	directory *service.Directory
	accounts  *service.Accounts
}

func openApp(ctx context.Context, cfg config, log *slog.Logger) (*app, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data directory: %w", err)
	}
	db, err := sqlstore.Open(ctx, cfg.DatabaseURL, cfg.DataDir, log)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", databaseLabel(cfg), err)
	}
	ref := refdata.Default()
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	accountStore := sqlstore.NewAccounts(db)
	return &app{db: db, store: store, directory: service.NewDirectory(store, ref, nil).WithContactLog(accountStore),
		accounts: service.NewAccounts(accountStore, nil, service.DefaultLoginPolicy)}, nil
}

func (a *app) close() {
	if sqlDB, err := a.db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}

func ready(ctx context.Context, db *sqlstore.DB) error {
	if err := sqlstore.Ping(ctx, db); err != nil {
		return fmt.Errorf("database unreachable: %w", err)
	}
	cur, latest, err := sqlstore.MigrationStatus(ctx, db)
	if err != nil {
		return fmt.Errorf("migration status: %w", err)
	}
	if cur < latest {
		return fmt.Errorf("migrations pending: at version %d of %d", cur, latest)
	}
	return nil
}

func databaseLabel(cfg config) string {
	if cfg.DatabaseURL != "" {
		return cfg.redactedDatabaseURL()
	}
	return "sqlite:" + cfg.DataDir + "/essor.db"
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

// newSite returns the web pages, over the same use cases, limits and proxies as the API.
func newSite(a *app, cfg config, log *slog.Logger, tenders *service.Tenders, allotment *service.AllotmentService) *web.Site {
	return web.New(web.Deps{
		Directory:      a.directory,
		Accounts:       a.accounts,
		Indicators:     service.NewIndicatorService(a.store, httpapi.IndicatorLabels{Ref: refdata.Default()}),
		Tenders:        tenders,
		Allotment:      allotment,
		Partnerships:   newPartnerships(a, tenders),
		Ref:            refdata.Default(),
		Limits:         cfg.Security.Limits,
		TrustedProxies: cfg.Security.TrustedProxies,
		RequestTimeout: cfg.Security.RequestTimeout,
		Logger:         log,
	})
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/schollz/progressbar/v3"

	"github.com/essor-ess/essor/internal/indexer"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/search"
)

// indexDir is where an instance keeps its search index, inside its data directory: every instance has its own.
func indexDir(cfg config) string { return filepath.Join(cfg.DataDir, "index") }

func newIndexer(a *app, cfg config, log *slog.Logger) *indexer.Indexer {
	ref := refdata.Default()
	return indexer.New(a.store, a.store, indexer.Config{
		Dir:     indexDir(cfg),
		Options: search.Options{CPV: search.CatalogCPV(ref), Places: search.CatalogPlaces(ref)},
		Logger:  log,
	})
}

// searchWorkers runs the indexer beside the HTTP server; stop waits for it to close the index.
type searchWorkers struct {
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

func (w *searchWorkers) stop() {
	w.once.Do(func() {
		w.cancel()
		<-w.done
	})
}

// startSearchIndex opens the instance's index (a missing or outdated one is rebuilt in the background while plain
// listings are answered from the database) and starts following the outbox. Its context is not the request
// context: at shutdown the HTTP server stops first, then the indexer.
func startSearchIndex(a *app, cfg config, log *slog.Logger) (*searchWorkers, error) {
	ix := newIndexer(a, cfg, log)
	ctx, cancel := context.WithCancel(context.Background())
	if err := ix.Open(ctx); err != nil {
		cancel()
		if errors.Is(err, search.ErrLocked) {
			return nil, fmt.Errorf("%w: is another essor process using %s? each instance needs its own ESSOR_DATA_DIR", err, indexDir(cfg))
		}
		return nil, err
	}
	a.directory.UseSearcher(ix)
	w := &searchWorkers{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		if err := ix.Run(ctx); err != nil {
			log.Error("search indexer stopped", "err", err)
		}
	}()
	return w, nil
}

func runReindex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("reindex", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg, err := loadConfig(getenv, fs, args)
	if err != nil {
		return err
	}
	log := cfg.logger(stderr)
	a, err := openApp(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer a.close()
	ix := newIndexer(a, cfg, log)
	if err := ix.Open(ctx); err != nil {
		if errors.Is(err, search.ErrLocked) {
			return fmt.Errorf("%w: stop the service using %s first (or let it rebuild: it does so at start when the index is missing or outdated)", err, indexDir(cfg))
		}
		return err
	}
	var bar *progressbar.ProgressBar
	err = ix.Rebuild(ctx, func(done, total int64) {
		if bar == nil {
			bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(stderr), progressbar.OptionSetDescription("reindex"),
				progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("structures"),
				progressbar.OptionSetPredictTime(true), progressbar.OptionThrottle(200_000_000))
		}
		_ = bar.Set64(done)
	})
	if bar != nil {
		_ = bar.Finish()
		fmt.Fprintln(stderr)
	}
	if closeErr := ix.Close(); err == nil {
		err = closeErr
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(stdout, "reindex interrupted: run `essor reindex` again to resume where it stopped")
		return err
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "reindex done: the search index matches the database")
	return nil
}

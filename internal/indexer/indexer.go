// Package indexer keeps the Bleve search index equal to the database: it follows the outbox in order, rebuilds the
// index in the background when it is missing, outdated or unreadable, and answers searches through it.
package indexer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/search"
)

// Source is what the indexer reads from the database (internal/sqlstore implements it).
type Source interface {
	OutboxAfter(ctx context.Context, position int64, limit int) ([]domain.OutboxEntry, error)
	MaxOutboxPosition(ctx context.Context) (int64, error)
	StructureIDsAfter(ctx context.Context, afterID string, limit int) ([]string, error)
	// FindStructuresByIDs loads structures of any status with their offers (never representatives).
	FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error)
	FindStructures(ctx context.Context, f domain.StructureFilter, page domain.PageRequest) (domain.Page[domain.Structure], error)
}

// Consumers lets instances sharing one database agree on which outbox entries every index has applied, so that
// pruning never deletes an entry an instance still needs.
type Consumers interface {
	SaveOutboxConsumer(ctx context.Context, consumer string, position int64) error
	// OutboxPrunedUpTo returns the highest position pruned so far (0 when none).
	OutboxPrunedUpTo(ctx context.Context) (int64, error)
	// PruneOutboxSafely deletes the entries every consumer seen since activeSince has applied and returns the
	// new pruned position.
	PruneOutboxSafely(ctx context.Context, activeSince time.Time) (int64, error)
}

// ErrNotReady is returned by searches while the index is being rebuilt; plain listings can use the database.
var ErrNotReady = &domain.Error{Kind: domain.KindUnavailable, Code: "search_index_not_ready",
	Detail: "the search index is being built; full-text search will be back shortly (listings without q still work)"}

// Config tunes an Indexer. Zero values take the defaults.
type Config struct {
	// Dir holds the live index ("live"), a rebuild in progress ("rebuild") and its checkpoint.
	Dir     string
	Options search.Options
	// BatchSize is how many outbox entries or structures one index batch carries (default 500).
	BatchSize int
	// PollInterval is how often the follower looks for new outbox entries when not notified (default 250 ms).
	PollInterval time.Duration
	// PruneEvery is how often this instance prunes the outbox (default 10 min; negative disables pruning).
	PruneEvery time.Duration
	// ConsumerTTL is how long an instance that stopped reporting its position is still waited for (default 7 days).
	ConsumerTTL time.Duration
	Logger      *slog.Logger
}

func (c *Config) defaults() {
	if c.BatchSize <= 0 {
		c.BatchSize = 500
	}
	if c.PollInterval <= 0 {
		c.PollInterval = 250 * time.Millisecond
	}
	if c.PruneEvery == 0 {
		c.PruneEvery = 10 * time.Minute
	}
	if c.ConsumerTTL <= 0 {
		c.ConsumerTTL = 7 * 24 * time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// Indexer owns the search index of one instance.
type Indexer struct {
	cfg       Config
	src       Source
	consumers Consumers
	consumer  string
	log       *slog.Logger

	mu sync.RWMutex
	ix *search.Index // nil until open, and while a rebuild builds the next one

	needsRebuild bool
	wake         chan struct{}
	rebuilding   atomic.Bool
	progress     atomic.Int64
}

// New returns an indexer over the database; consumers may be nil (single instance, no pruning).
func New(src Source, consumers Consumers, cfg Config) *Indexer {
	cfg.defaults()
	return &Indexer{cfg: cfg, src: src, consumers: consumers, log: cfg.Logger, wake: make(chan struct{}, 1)}
}

func (x *Indexer) liveDir() string    { return filepath.Join(x.cfg.Dir, "live") }
func (x *Indexer) rebuildDir() string { return filepath.Join(x.cfg.Dir, "rebuild") }

// Open opens the live index. A missing, outdated or unreadable index is not an error: Run rebuilds it. A
// directory locked by another process is an error (two instances must not share an index directory).
func (x *Indexer) Open(ctx context.Context) error {
	if err := os.MkdirAll(x.cfg.Dir, 0o750); err != nil {
		return fmt.Errorf("index directory: %w", err)
	}
	id, err := consumerID(x.cfg.Dir)
	if err != nil {
		return err
	}
	x.consumer = id
	if err := finishInterruptedSwap(x.liveDir(), x.rebuildDir(), x.checkpointPath()); err != nil {
		return err
	}
	if _, err := os.Stat(x.liveDir()); errors.Is(err, os.ErrNotExist) {
		x.log.Info("search index missing: it will be built from the database", "dir", x.liveDir())
		x.needsRebuild = true
		return nil
	}
	ix, err := search.Open(x.liveDir(), x.cfg.Options)
	switch {
	case errors.Is(err, search.ErrMappingMismatch), errors.Is(err, search.ErrCorrupt):
		x.log.Warn("search index outdated or unreadable: it will be rebuilt from the database", "err", err)
		x.needsRebuild = true
		return nil
	case err != nil:
		return fmt.Errorf("open search index %s: %w", x.liveDir(), err)
	}
	if behind, err := x.prunedPast(ctx, ix.Position()); err != nil {
		_ = ix.Close()
		return err
	} else if behind {
		x.log.Warn("search index is older than the pruned outbox: it will be rebuilt", "position", ix.Position())
		_ = ix.Close()
		x.needsRebuild = true
		return nil
	}
	x.setIndex(ix)
	return nil
}

// prunedPast reports whether outbox entries this index has not applied were pruned.
func (x *Indexer) prunedPast(ctx context.Context, position int64) (bool, error) {
	if x.consumers == nil {
		return false, nil
	}
	pruned, err := x.consumers.OutboxPrunedUpTo(ctx)
	if err != nil {
		return false, fmt.Errorf("outbox watermark: %w", err)
	}
	return position < pruned, nil
}

// Run rebuilds the index when needed, then applies the outbox until ctx ends. It closes the index on return.
func (x *Indexer) Run(ctx context.Context) error {
	defer x.close()
	if x.needsRebuild {
		if err := x.rebuildWithRetry(ctx); err != nil {
			return err
		}
	}
	return x.follow(ctx)
}

// Notify wakes the follower after a write on this instance, so the change is searchable at once.
func (x *Indexer) Notify() {
	select {
	case x.wake <- struct{}{}:
	default:
	}
}

// Ready reports whether searches can be answered (the index is open and not being rebuilt).
func (x *Indexer) Ready() bool {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.ix != nil
}

// Status describes the index for operators.
type Status struct {
	Ready      bool
	Rebuilding bool
	Rebuilt    int64 // structures indexed by the rebuild in progress
	Position   int64
}

// Status returns the current state of the index.
func (x *Indexer) Status() Status {
	x.mu.RLock()
	defer x.mu.RUnlock()
	st := Status{Ready: x.ix != nil, Rebuilding: x.rebuilding.Load(), Rebuilt: x.progress.Load()}
	if x.ix != nil {
		st.Position = x.ix.Position()
	}
	return st
}

func (x *Indexer) index() *search.Index {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.ix
}

func (x *Indexer) setIndex(ix *search.Index) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.ix = ix
}

// Close closes the index; Run does it on return.
func (x *Indexer) Close() error {
	x.close()
	return nil
}

func (x *Indexer) close() {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.ix != nil {
		if err := x.ix.Close(); err != nil {
			x.log.Warn("closing search index", "err", err)
		}
		x.ix = nil
	}
}

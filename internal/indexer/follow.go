package indexer

import (
	"context"
	"fmt"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/search"
)

// maxBackoff bounds the wait between retries when the database or the index fails.
const maxBackoff = 30 * time.Second

// follow applies outbox entries in order until ctx ends, retrying failures with a growing backoff.
func (x *Indexer) follow(ctx context.Context) error {
	backoff := time.Second
	lastPrune := time.Now()
	lastSaved := int64(-1)
	for {
		n, err := x.ApplyPending(ctx)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // shutting down: err is only the cancellation
		}
		if err != nil {
			x.log.Error("search indexer: applying the outbox failed; retrying", "err", err, "in", backoff)
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, maxBackoff)
			continue
		}
		backoff = time.Second
		if ix := x.index(); ix != nil && ix.Position() != lastSaved {
			lastSaved = x.savePosition(ctx, ix.Position())
		}
		if x.cfg.PruneEvery > 0 && time.Since(lastPrune) > x.cfg.PruneEvery {
			lastPrune = time.Now()
			x.prune(ctx)
		}
		if n >= x.cfg.BatchSize {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-x.wake:
		case <-time.After(x.cfg.PollInterval):
		}
	}
}

// ApplyPending applies one batch of outbox entries after the index's position and returns how many it read.
// Each structure named is re-read from the database: present, it is (re)indexed; gone, it is deleted.
func (x *Indexer) ApplyPending(ctx context.Context) (int, error) {
	ix := x.index()
	if ix == nil {
		return 0, ErrNotReady
	}
	entries, err := x.src.OutboxAfter(ctx, ix.Position(), x.cfg.BatchSize)
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	ids := make([]string, 0, len(entries))
	seen := make(map[string]bool, len(entries))
	for _, e := range entries {
		if e.Entity == "structure" && !seen[e.EntityID] {
			seen[e.EntityID] = true
			ids = append(ids, e.EntityID)
		}
	}
	last := entries[len(entries)-1].Position
	if err := applyIDs(ctx, x.src, ix, ids, last); err != nil {
		return 0, err
	}
	return len(entries), nil
}

// applyIDs indexes the current state of the named structures in one batch and records position.
func applyIDs(ctx context.Context, src Source, ix *search.Index, ids []string, position int64) error {
	b, err := loadBatch(ctx, src, ids)
	if err != nil {
		return err
	}
	return b.apply(ctx, ix, position)
}

// batch is the current state of some structures: the ones still in the database and the ids of those gone.
type batch struct {
	ids     []string
	found   []domain.Structure
	deletes []string
}

func loadBatch(ctx context.Context, src Source, ids []string) (batch, error) {
	found, err := src.FindStructuresByIDs(ctx, ids)
	if err != nil {
		return batch{}, fmt.Errorf("load structures: %w", err)
	}
	present := make(map[string]bool, len(found))
	for _, s := range found {
		present[s.ID] = true
	}
	b := batch{ids: ids, found: found}
	for _, id := range ids {
		if !present[id] {
			b.deletes = append(b.deletes, id)
		}
	}
	return b, nil
}

func (b batch) apply(ctx context.Context, ix *search.Index, position int64) error {
	if err := ix.Apply(ctx, b.found, b.deletes, position); err != nil {
		return fmt.Errorf("index batch: %w", err)
	}
	return nil
}

func (x *Indexer) savePosition(ctx context.Context, position int64) int64 {
	if x.consumers == nil {
		return position
	}
	if err := x.consumers.SaveOutboxConsumer(ctx, x.consumer, position); err != nil {
		x.log.Warn("search indexer: saving this instance's outbox position failed", "err", err)
		return -1
	}
	return position
}

func (x *Indexer) prune(ctx context.Context) {
	if x.consumers == nil {
		return
	}
	upTo, err := x.consumers.PruneOutboxSafely(ctx, time.Now().Add(-x.cfg.ConsumerTTL))
	if err != nil {
		x.log.Warn("search indexer: pruning the outbox failed", "err", err)
		return
	}
	x.log.Debug("outbox pruned", "up_to", upTo)
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

// allStatuses makes a count include drafts and suspended structures, which the index holds too.
var allStatuses = []domain.StructureStatus{domain.StatusDraft, domain.StatusPublished, domain.StatusSuspended}

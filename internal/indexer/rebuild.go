package indexer

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/search"
)

// checkpoint is the resumable state of a rebuild, saved after every batch: killed mid-way, the next start goes
// on after the last structure id written instead of starting again.
type checkpoint struct {
	MappingVersion int    `json:"mapping_version"`
	StartPosition  int64  `json:"start_position"`
	AfterID        string `json:"after_id"`
	Done           int64  `json:"done"`
	Complete       bool   `json:"complete"`
}

func (x *Indexer) checkpointPath() string { return filepath.Join(x.cfg.Dir, "rebuild.json") }

// Progress reports a rebuild's advance: structures indexed so far and the total to index.
type Progress func(done, total int64)

func (x *Indexer) rebuildWithRetry(ctx context.Context) error {
	backoff := time.Second
	for {
		err := x.Rebuild(ctx, nil)
		if err == nil || ctx.Err() != nil {
			return nil //nolint:nilerr // done, or shutting down: the next start resumes the rebuild
		}
		if errors.Is(err, search.ErrLocked) {
			return err
		}
		x.log.Error("search index rebuild failed; retrying", "err", err, "in", backoff)
		if !sleep(ctx, backoff) {
			return nil
		}
		backoff = min(2*backoff, maxBackoff)
	}
}

// Rebuild builds a new index from the database beside the live one, then swaps it in. It resumes a rebuild that
// was interrupted. Searches fail with ErrNotReady while it runs only when there was no usable live index.
func (x *Indexer) Rebuild(ctx context.Context, progress Progress) error {
	x.rebuilding.Store(true)
	defer x.rebuilding.Store(false)
	cp, err := x.startCheckpoint(ctx)
	if err != nil {
		return err
	}
	total := x.countStructures(ctx)
	x.log.Info("search index rebuild", "resume_after", cp.AfterID, "done", cp.Done, "total", total)
	next, err := search.Open(x.rebuildDir(), x.cfg.Options)
	if err != nil {
		return fmt.Errorf("open rebuild index: %w", err)
	}
	if err := x.fill(ctx, next, &cp, total, progress); err != nil {
		_ = next.Close()
		return err
	}
	if err := next.Close(); err != nil {
		return fmt.Errorf("close rebuilt index: %w", err)
	}
	cp.Complete = true
	if err := writeCheckpoint(x.checkpointPath(), cp); err != nil {
		return err
	}
	x.close()
	if err := finishInterruptedSwap(x.liveDir(), x.rebuildDir(), x.checkpointPath()); err != nil {
		return err
	}
	ix, err := search.Open(x.liveDir(), x.cfg.Options)
	if err != nil {
		return fmt.Errorf("open rebuilt index: %w", err)
	}
	x.setIndex(ix)
	x.log.Info("search index rebuilt", "structures", cp.Done, "position", cp.StartPosition)
	x.savePosition(ctx, cp.StartPosition)
	return nil
}

// startCheckpoint resumes the checkpoint of an interrupted rebuild of the same mapping, or starts afresh: the
// outbox position is taken BEFORE reading any structure, so every change made during the rebuild is applied after.
func (x *Indexer) startCheckpoint(ctx context.Context) (checkpoint, error) {
	cp, err := readCheckpoint(x.checkpointPath())
	if err == nil && cp.MappingVersion == search.MappingVersion && !cp.Complete && dirExists(x.rebuildDir()) {
		x.progress.Store(cp.Done)
		return cp, nil
	}
	if err := os.RemoveAll(x.rebuildDir()); err != nil {
		return cp, fmt.Errorf("clear old rebuild: %w", err)
	}
	start, err := x.src.MaxOutboxPosition(ctx)
	if err != nil {
		return cp, fmt.Errorf("outbox position: %w", err)
	}
	cp = checkpoint{MappingVersion: search.MappingVersion, StartPosition: start}
	x.progress.Store(0)
	return cp, writeCheckpoint(x.checkpointPath(), cp)
}

// fill indexes every structure after the checkpoint. Reading the next batch from the database overlaps with
// indexing the current one (Bleve builds a batch on one core), and the checkpoint follows what was indexed.
func (x *Indexer) fill(ctx context.Context, next *search.Index, cp *checkpoint, total int64, progress Progress) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1)
	readErr := make(chan error, 1)
	go func() {
		defer close(batches)
		readErr <- x.readBatches(ctx, cp.AfterID, batches)
	}()
	for b := range batches {
		if err := b.apply(ctx, next, cp.StartPosition); err != nil {
			cancel()
			drain(batches)
			return err
		}
		cp.AfterID = b.ids[len(b.ids)-1]
		cp.Done += int64(len(b.ids))
		if err := writeCheckpoint(x.checkpointPath(), *cp); err != nil {
			cancel()
			drain(batches)
			return err
		}
		x.progress.Store(cp.Done)
		if progress != nil {
			progress(cp.Done, total)
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	return ctx.Err()
}

// drain empties the channel until the reader, cancelled, closes it.
func drain(batches <-chan batch) {
	for b := range batches {
		_ = b
	}
}

// readBatches sends the structures after afterID, in id order, one batch at a time, until none is left.
func (x *Indexer) readBatches(ctx context.Context, afterID string, out chan<- batch) error {
	for {
		ids, err := x.src.StructureIDsAfter(ctx, afterID, x.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("list structures: %w", err)
		}
		if len(ids) == 0 {
			return nil
		}
		b, err := loadBatch(ctx, x.src, ids)
		if err != nil {
			return err
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		afterID = ids[len(ids)-1]
	}
}

func (x *Indexer) countStructures(ctx context.Context) int64 {
	page, err := x.src.FindStructures(ctx, domain.StructureFilter{Statuses: allStatuses}, domain.PageRequest{Size: 1})
	if err != nil {
		return 0
	}
	return int64(page.Total)
}

// finishInterruptedSwap completes a swap a crash interrupted: a complete rebuild replaces the live index.
func finishInterruptedSwap(live, rebuild, cpPath string) error {
	cp, err := readCheckpoint(cpPath)
	if err != nil || !cp.Complete {
		return nil //nolint:nilerr // no checkpoint, or an unreadable one: no finished rebuild to swap in
	}
	if dirExists(rebuild) {
		if err := os.RemoveAll(live); err != nil {
			return fmt.Errorf("remove old index: %w", err)
		}
		if err := os.Rename(rebuild, live); err != nil {
			return fmt.Errorf("swap rebuilt index in: %w", err)
		}
	}
	return os.Remove(cpPath)
}

func readCheckpoint(path string) (checkpoint, error) {
	var cp checkpoint
	b, err := os.ReadFile(path)
	if err != nil {
		return cp, err
	}
	return cp, json.Unmarshal(b, &cp)
}

// writeCheckpoint replaces the checkpoint atomically (write, sync, rename).
func writeCheckpoint(path string, cp checkpoint) error {
	b, err := json.Marshal(cp)
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("write rebuild checkpoint: %w", err)
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return fmt.Errorf("write rebuild checkpoint: %w", err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("sync rebuild checkpoint: %w", err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func dirExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.IsDir()
}

// consumerID returns this index directory's stable identity as an outbox consumer, creating it once.
func consumerID(dir string) (string, error) {
	path := filepath.Join(dir, "consumer-id")
	if b, err := os.ReadFile(path); err == nil {
		if id := strings.TrimSpace(string(b)); id != "" {
			return id, nil
		}
	}
	var raw [12]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", err
	}
	host, _ := os.Hostname()
	id := host + "-" + hex.EncodeToString(raw[:])
	if err := os.WriteFile(path, []byte(id+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write consumer id: %w", err)
	}
	return id, nil
}

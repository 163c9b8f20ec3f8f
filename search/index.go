// Package search is the Bleve full-text index of the ESS directory: a cache of the database that finds
// structures by French text, CPV, area and facets and returns their ids for the caller to load.
package search

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	index "github.com/blevesearch/bleve_index_api"
	bolterrors "go.etcd.io/bbolt/errors"

	"github.com/essor-ess/essor/internal/domain"
)

// Errors of Open. ErrMappingMismatch and ErrCorrupt mean "rebuild the index from the database"; ErrLocked means
// another process (or another Index in this one) has the directory open.
var (
	ErrMappingMismatch = errors.New("search: index mapping version differs")
	ErrCorrupt         = errors.New("search: index unreadable")
	ErrLocked          = errors.New("search: index directory locked by another opener")
)

// DefaultLockTimeout is how long Open waits for the directory's file lock.
const DefaultLockTimeout = 5 * time.Second

// Options configure Open.
type Options struct {
	// LockTimeout bounds the wait for the directory's file lock (default DefaultLockTimeout): opening never hangs.
	LockTimeout time.Duration
	// CPV gives the CPV catalogue: labels are indexed with the offers' codes and queries naming a CPV concept
	// match the codes below it. Nil indexes no label and expands no concept.
	CPV CPVLookup
	// Places resolves communes for commune coverage; nil limits the commune filter to "commune:X" zones and
	// whole-country offers.
	Places CommunePlaces
}

// Internal metadata keys.
var (
	keyMappingVersion = []byte("essor_mapping_version")
	keyPosition       = []byte("essor_position")
)

// Index is an open search index. It is safe for concurrent use; Apply calls are serialised.
type Index struct {
	bleve  bleve.Index
	places CommunePlaces
	an     analyzers
	syn    *synonymIndex
	cpv    *cpvCatalog
	table  *table
	cache  matchCache
	texts  textCache

	applyMu sync.Mutex
	nextRow int32

	// rescoring is set while a background Bleve run re-scores a refreshed text (one at a time), rescoreAfter
	// (Unix nanoseconds) is when the next may start; rescored lets Close wait for it.
	rescoring    atomic.Bool
	rescoreAfter atomic.Int64
	rescored     sync.WaitGroup
}

// Open opens the index in dir, creating it when dir holds none. An existing index with another MappingVersion
// returns ErrMappingMismatch, one that cannot be read ErrCorrupt, a directory held by another opener ErrLocked
// after opts.LockTimeout; all are wrapped with details.
func Open(dir string, opts Options) (*Index, error) {
	timeout := opts.LockTimeout
	if timeout <= 0 {
		timeout = DefaultLockTimeout
	}
	config := map[string]interface{}{"bolt_timeout": timeout.String()}
	var b bleve.Index
	var err error
	if _, statErr := os.Stat(filepath.Join(dir, "index_meta.json")); errors.Is(statErr, os.ErrNotExist) {
		b, err = create(dir, config)
	} else {
		b, err = bleve.OpenUsing(dir, config)
		if err != nil {
			return nil, openError(dir, err)
		}
		err = checkVersion(b)
	}
	if err != nil {
		if b != nil {
			_ = b.Close()
		}
		return nil, err
	}
	an := newAnalyzers()
	ix := &Index{bleve: b, places: opts.Places, an: an, syn: newSynonymIndex(an), cpv: newCPVCatalog(opts.CPV, an), table: newTable()}
	if err := ix.load(dir); err != nil {
		_ = b.Close()
		return nil, fmt.Errorf("%w: %s: loading records: %w", ErrCorrupt, dir, err)
	}
	releaseMappedPages(dir)
	// Decoding every record leaves as much garbage as the table itself: give it back now rather than when the
	// heap next doubles, so that a serving process starts at its working size.
	debug.FreeOSMemory()
	return ix, nil
}

func create(dir string, config map[string]interface{}) (bleve.Index, error) {
	m, err := newIndexMapping()
	if err != nil {
		return nil, fmt.Errorf("search: mapping: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) > 0 {
		return nil, fmt.Errorf("%w: %s is not empty and holds no index", ErrCorrupt, dir)
	}
	_ = os.Remove(dir)
	b, err := bleve.NewUsing(dir, m, "scorch", "scorch", config)
	if err != nil {
		return nil, openError(dir, err)
	}
	if err := b.SetInternal(keyMappingVersion, []byte(strconv.Itoa(MappingVersion))); err != nil {
		return b, fmt.Errorf("search: storing mapping version: %w", err)
	}
	return b, nil
}

func openError(dir string, err error) error {
	if errors.Is(err, bolterrors.ErrTimeout) {
		return fmt.Errorf("%w: %s: %w", ErrLocked, dir, err)
	}
	return fmt.Errorf("%w: %s: %w", ErrCorrupt, dir, err)
}

func checkVersion(b bleve.Index) error {
	v, err := b.GetInternal(keyMappingVersion)
	if err != nil {
		return fmt.Errorf("%w: reading mapping version: %w", ErrCorrupt, err)
	}
	if string(v) != strconv.Itoa(MappingVersion) {
		return fmt.Errorf("%w: index has %q, code has %d", ErrMappingMismatch, v, MappingVersion)
	}
	return nil
}

// load rebuilds the in-memory table from the records stored with the documents.
func (ix *Index) load(dir string) error {
	adv, err := ix.bleve.Advanced()
	if err != nil {
		return err
	}
	reader, err := adv.Reader()
	if err != nil {
		return err
	}
	defer reader.Close()
	ids, err := reader.DocIDReaderAll()
	if err != nil {
		return err
	}
	defer ids.Close()
	t := ix.table
	t.mu.Lock()
	defer t.mu.Unlock()
	if n, err := reader.DocCount(); err == nil {
		t.rows = make([]row, 0, n+n/16)
		t.geo = make([]geoPoint, 0, n+n/16)
	}
	loaded := 0
	for {
		internal, err := ids.Next()
		if err != nil {
			return err
		}
		if internal == nil {
			return nil
		}
		rowNum, rec, err := readStored(reader, internal)
		if err != nil {
			return err
		}
		if loaded++; loaded%32768 == 0 {
			releaseMappedPages(dir)
		}
		t.put(rowNum, rec)
		ix.nextRow = max(ix.nextRow, rowNum+1)
	}
}

func readStored(reader index.IndexReader, internal index.IndexInternalID) (int32, record, error) {
	var rec record
	id, err := reader.ExternalID(internal)
	if err != nil {
		return 0, rec, err
	}
	doc, err := reader.Document(id)
	if err != nil || doc == nil {
		return 0, rec, fmt.Errorf("document %s: %w", id, err)
	}
	var recText []byte
	doc.VisitFields(func(f index.Field) {
		if f.Name() == "rec" {
			recText = f.Value()
		}
	})
	if err := json.Unmarshal(recText, &rec); err != nil || rec.ID != id || rec.Row < 0 {
		return 0, rec, fmt.Errorf("document %s: record %q: %w", id, recText, err)
	}
	return rec.Row, rec, nil
}

// Apply indexes upserts and removes deletes in one Bleve batch that also records position, the last outbox
// position applied, so that the index and its position move together. The cached texts are refreshed with the
// changed documents rather than emptied (refreshMatches).
func (ix *Index) Apply(ctx context.Context, upserts []domain.Structure, deletes []string, position int64) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ix.applyMu.Lock()
	defer ix.applyMu.Unlock()
	batch := ix.bleve.NewBatch()
	type put struct {
		row int32
		rec record
	}
	next := ix.nextRow
	puts := make([]put, 0, len(upserts))
	assigned := map[string]int32{}
	for _, s := range upserts {
		if s.ID == "" {
			return invalid("id", "a structure to index needs an id")
		}
		d := newDocument(s, ix.places, ix.cpv)
		n, ok := assigned[s.ID]
		if !ok {
			n = ix.table.rowFor(s.ID, &next)
			assigned[s.ID] = n
		}
		d.setRow(n)
		if err := batch.Index(s.ID, d); err != nil {
			return fmt.Errorf("search: indexing %s: %w", s.ID, err)
		}
		puts = append(puts, put{n, d.record})
	}
	for _, id := range deletes {
		batch.Delete(id)
	}
	batch.SetInternal(keyPosition, []byte(strconv.FormatInt(position, 10)))
	if err := ix.bleve.Batch(batch); err != nil {
		return fmt.Errorf("search: batch: %w", err)
	}
	ix.nextRow = next
	t := ix.table
	// The cached texts are refreshed before the table's write lock, so that searches wait for the table update
	// only: Apply is serialised, so the rows read here are still those the write lock will change.
	changedIDs := make([]string, 0, len(assigned)+len(deletes))
	changedRows := roaring.New()
	for id, n := range assigned {
		changedIDs = append(changedIDs, id)
		changedRows.Add(uint32(n))
	}
	upserted := slices.Clone(changedIDs)
	t.mu.RLock()
	for _, id := range deletes {
		if n, ok := t.byID[id]; ok {
			changedRows.Add(uint32(n))
		}
		changedIDs = append(changedIDs, id)
	}
	t.mu.RUnlock()
	refreshed := ix.refreshMatches(ctx, upserted, changedRows, next)
	t.mu.Lock()
	defer t.mu.Unlock()
	changed := make([]int32, 0, len(puts)+len(deletes))
	for _, p := range puts {
		if old, ok := t.byID[p.rec.ID]; ok && old != p.row {
			changed = append(changed, old)
		}
		t.put(p.row, p.rec)
		changed = append(changed, p.row)
	}
	for _, id := range deletes {
		if n, ok := t.byID[id]; ok {
			changed = append(changed, n)
		}
		t.remove(id)
	}
	t.reorder(changed)
	ix.cache.replace(refreshed)
	ix.texts.forget(changedIDs)
	return nil
}

// SetPosition records the last applied outbox position without changing documents.
func (ix *Index) SetPosition(pos int64) error {
	return ix.bleve.SetInternal(keyPosition, []byte(strconv.FormatInt(pos, 10)))
}

// Position returns the last applied outbox position, 0 for a new index.
func (ix *Index) Position() int64 {
	v, err := ix.bleve.GetInternal(keyPosition)
	if err != nil || len(v) == 0 {
		return 0
	}
	n, _ := strconv.ParseInt(string(v), 10, 64)
	return n
}

// DocCount returns the number of indexed structures.
func (ix *Index) DocCount() (uint64, error) { return ix.bleve.DocCount() }

// Close waits for a background re-score to end, then releases the directory and its lock.
func (ix *Index) Close() error {
	ix.rescored.Wait()
	return ix.bleve.Close()
}

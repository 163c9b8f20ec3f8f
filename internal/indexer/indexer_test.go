package indexer_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/indexer"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
	"github.com/essor-ess/essor/search"
)

var allStatuses = []domain.StructureStatus{domain.StatusDraft, domain.StatusPublished, domain.StatusSuspended}

type fixture struct {
	store *sqlstore.Store
	dir   *service.Directory
	index string
}

func newFixture(t *testing.T, structures int) *fixture {
	t.Helper()
	ref := refdata.Default()
	store := sqlstore.New(dbtest.Open(t), sqlstore.WithCommuneLookup(ref.CommunePlace))
	f := &fixture{store: store, dir: service.NewDirectory(store, ref, nil), index: t.TempDir()}
	if structures > 0 {
		err := demo.Generate(demo.Options{Count: structures, Seed: 7}, 100, func(batch []domain.Structure) error {
			_, err := f.dir.CreateStructures(context.Background(), batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func (f *fixture) indexer(batch int) *indexer.Indexer {
	ref := refdata.Default()
	return indexer.New(f.store, f.store, indexer.Config{
		Dir:          f.index,
		Options:      search.Options{CPV: search.CatalogCPV(ref), Places: search.CatalogPlaces(ref)},
		BatchSize:    batch,
		PollInterval: 20 * time.Millisecond,
		PruneEvery:   -1,
	})
}

// run starts the indexer's loop and returns a function that stops it and waits.
func run(t *testing.T, x *indexer.Indexer) func() {
	t.Helper()
	if err := x.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err := x.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	}()
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			cancel()
			wg.Wait()
		}
	}
	t.Cleanup(stop)
	return stop
}

// indexedIDs lists every structure id the index holds, walking all pages.
func indexedIDs(t *testing.T, x *indexer.Indexer) []string {
	t.Helper()
	var ids []string
	q := domain.SearchQuery{Filter: domain.StructureFilter{Statuses: allStatuses}, Sort: domain.SortName, Page: domain.PageRequest{Size: 100}}
	for {
		res, err := x.SearchStructures(context.Background(), q)
		if err != nil {
			t.Fatalf("search: %v", err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if res.NextCursor == "" {
			break
		}
		if q.Page.Cursor, err = domain.DecodeCursor(res.NextCursor); err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(ids)
	return ids
}

func databaseIDs(t *testing.T, store *sqlstore.Store) []string {
	t.Helper()
	ids, err := store.StructureIDsAfter(context.Background(), "", 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	return ids
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func found(t *testing.T, x *indexer.Indexer, text string) []string {
	t.Helper()
	res, err := x.SearchStructures(context.Background(), domain.SearchQuery{Text: text, Page: domain.PageRequest{Size: 10}})
	if errors.Is(err, indexer.ErrNotReady) {
		return nil
	}
	if err != nil {
		t.Fatalf("search %q: %v", text, err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	return ids
}

func asAdmin() context.Context {
	return service.WithActor(context.Background(), service.Actor{UserID: "test-admin", Role: service.RoleAdmin})
}

func newStructure(name string) domain.Structure {
	return domain.Structure{
		SIRET: "73282932000074", Name: name, LegalCategory: "9220", ESSBasis: domain.BasisLegalForm,
		Commune: "44143", Status: domain.StatusPublished,
		Offers: []domain.Offer{{Title: "Entretien des espaces verts", Kind: domain.OfferService, CPVCodes: []string{"77310000-6"},
			Area: domain.Area{Scope: domain.ScopeZones, Zones: []string{"epci:244400404"}}}},
	}
}

func TestBuildsMissingIndexThenFollowsWritesAndDeletes(t *testing.T) {
	f := newFixture(t, 60)
	x := f.indexer(25)
	run(t, x)
	eventually(t, 30*time.Second, "initial build", func() bool { return x.Ready() && len(indexedIDs(t, x)) == 60 })

	ctx := asAdmin()
	s, err := f.dir.CreateStructure(ctx, newStructure("Jardins Zébulon du Seil"))
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	eventually(t, 5*time.Second, "created structure searchable", func() bool { return slices.Contains(found(t, x, "zebulon"), s.ID) })
	t.Logf("a write became searchable in %v", time.Since(start).Round(time.Millisecond))

	if _, err := f.dir.UpdateStructure(ctx, s.ID, nil, func(st *domain.Structure) { st.Name = "Potagers Quirinal du Seil" }); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "renamed structure searchable under its new name", func() bool {
		return slices.Contains(found(t, x, "quirinal"), s.ID) && !slices.Contains(found(t, x, "zebulon"), s.ID)
	})
	if err := f.dir.DeleteStructure(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	eventually(t, 5*time.Second, "deleted structure gone from the index", func() bool {
		return !slices.Contains(indexedIDs(t, x), s.ID) && slices.Equal(indexedIDs(t, x), databaseIDs(t, f.store))
	})
}

func TestCatchesUpWritesMadeWhileStopped(t *testing.T) {
	f := newFixture(t, 30)
	x := f.indexer(10)
	stop := run(t, x)
	eventually(t, 30*time.Second, "initial build", func() bool { return x.Ready() && len(indexedIDs(t, x)) == 30 })
	stop() // the process dies after commits it never indexed

	ctx := asAdmin()
	created, err := f.dir.CreateStructure(ctx, newStructure("Ressourcerie Xylophone"))
	if err != nil {
		t.Fatal(err)
	}
	victim := databaseIDs(t, f.store)[0]
	if err := f.dir.DeleteStructure(ctx, victim); err != nil {
		t.Fatal(err)
	}

	y := f.indexer(10)
	run(t, y)
	eventually(t, 10*time.Second, "restarted indexer converges", func() bool {
		return slices.Equal(indexedIDs(t, y), databaseIDs(t, f.store))
	})
	if !slices.Contains(found(t, y, "xylophone"), created.ID) {
		t.Fatal("a structure written while the indexer was down is not searchable")
	}
}

func TestInterruptedRebuildResumesAndEndsEqualToTheDatabase(t *testing.T) {
	f := newFixture(t, 120)
	x := f.indexer(20)
	if err := x.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	err := x.Rebuild(ctx, func(done, total int64) {
		if done >= 60 {
			cancel() // killed half-way
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted rebuild returned %v", err)
	}
	_ = x.Close()

	y := f.indexer(20)
	if err := y.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	var first int64 = -1
	if err := y.Rebuild(context.Background(), func(done, total int64) {
		if first < 0 {
			first = done
		}
	}); err != nil {
		t.Fatal(err)
	}
	if first <= 60 {
		t.Fatalf("the second rebuild started again from scratch (first progress %d); it should resume after 60", first)
	}
	if got, want := indexedIDs(t, y), databaseIDs(t, f.store); !slices.Equal(got, want) {
		t.Fatalf("after resuming, the index holds %d ids and the database %d", len(got), len(want))
	}
	_ = y.Close()
}

func TestUnreadableIndexIsRebuilt(t *testing.T) {
	f := newFixture(t, 25)
	x := f.indexer(10)
	stop := run(t, x)
	eventually(t, 30*time.Second, "initial build", func() bool { return x.Ready() && len(indexedIDs(t, x)) == 25 })
	stop()
	if err := os.WriteFile(filepath.Join(f.index, "live", "index_meta.json"), []byte("{broken"), 0o600); err != nil {
		t.Fatal(err)
	}
	y := f.indexer(10)
	run(t, y)
	eventually(t, 30*time.Second, "rebuilt index", func() bool { return y.Ready() && slices.Equal(indexedIDs(t, y), databaseIDs(t, f.store)) })
}

func TestPruningKeepsWhatActiveConsumersNeedAndForcesRebuildOfLaggards(t *testing.T) {
	f := newFixture(t, 10)
	ctx := context.Background()
	latest, err := f.store.MaxOutboxPosition(ctx)
	if err != nil || latest < 10 {
		t.Fatalf("outbox position %d, %v", latest, err)
	}
	if err := f.store.SaveOutboxConsumer(ctx, "fast", latest); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SaveOutboxConsumer(ctx, "slow", 4); err != nil {
		t.Fatal(err)
	}
	afterSlow := time.Now()
	time.Sleep(20 * time.Millisecond)
	upTo, err := f.store.PruneOutboxSafely(ctx, time.Now().Add(-time.Hour))
	if err != nil || upTo != 4 {
		t.Fatalf("pruned up to %d (%v), want 4: the slow consumer still needs 5 and later", upTo, err)
	}
	left, err := f.store.OutboxAfter(ctx, 0, 1000)
	if err != nil || len(left) == 0 || left[0].Position != 5 {
		t.Fatalf("outbox after pruning starts at %v (%v), want 5", left, err)
	}
	// A consumer not seen for longer than the TTL no longer holds pruning back; it will rebuild when it returns.
	upTo, err = f.store.PruneOutboxSafely(ctx, time.Now().Add(time.Hour))
	if err != nil || upTo != 4 {
		t.Fatalf("with no active consumer nothing more is pruned: got %d, %v", upTo, err)
	}
	if err := f.store.SaveOutboxConsumer(ctx, "fast", latest); err != nil {
		t.Fatal(err)
	}
	upTo, err = f.store.PruneOutboxSafely(ctx, afterSlow.Add(10*time.Millisecond))
	if err != nil || upTo != latest {
		t.Fatalf("pruned up to %d (%v), want %d", upTo, err, latest)
	}

	// An index that never applied the pruned entries must rebuild instead of silently missing them.
	x := f.indexer(10)
	run(t, x)
	eventually(t, 30*time.Second, "rebuilt after pruning", func() bool { return x.Ready() && slices.Equal(indexedIDs(t, x), databaseIDs(t, f.store)) })
}

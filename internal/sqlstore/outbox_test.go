package sqlstore_test

import (
	"context"
	"slices"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

func TestEveryWriteAppendsToTheOutbox(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	a := fullStructure(t, 1)
	b := minimalStructure(t, 2)
	offer := domain.Offer{ID: newID(t), StructureID: b.ID, Title: "Bois", Kind: domain.OfferSupply,
		CPVCodes: []string{"03410000-7"}, Area: domain.Area{Scope: domain.ScopeCountry}}

	writes := []struct {
		name  string
		write func() error
		want  string // entity id and op
	}{
		{"create", func() error { return store.CreateStructure(ctx, &a) }, a.ID + " upsert"},
		{"bulk create", func() error { _, err := store.CreateStructures(ctx, []domain.Structure{b}); return err }, b.ID + " upsert"},
		{"update", func() error { return store.UpdateStructure(ctx, &a, 1) }, a.ID + " upsert"},
		{"create offer", func() error { return store.CreateOffer(ctx, &offer) }, b.ID + " upsert"},
		{"update offer", func() error { return store.UpdateOffer(ctx, &offer) }, b.ID + " upsert"},
		{"delete offer", func() error { return store.DeleteOffer(ctx, b.ID, offer.ID) }, b.ID + " upsert"},
		{"delete", func() error { return store.DeleteStructure(ctx, a.ID) }, a.ID + " delete"},
	}
	position := int64(0)
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		entries, err := store.OutboxAfter(ctx, position, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 1 {
			t.Fatalf("%s appended %d outbox entries, want 1: %+v", w.name, len(entries), entries)
		}
		e := entries[0]
		if got := e.EntityID + " " + e.Op; got != w.want || e.Entity != sqlstore.OutboxEntityStructure || e.Position <= position {
			t.Errorf("%s appended %+v, want %s after position %d", w.name, e, w.want, position)
		}
		if e.CreatedAt.IsZero() {
			t.Errorf("%s: outbox entry without created_at", w.name)
		}
		position = e.Position
	}

	// A failed write leaves no entry.
	stale := b
	if err := store.UpdateStructure(ctx, &stale, 99); err == nil {
		t.Fatal("stale update succeeded")
	}
	if entries, _ := store.OutboxAfter(ctx, position, 10); len(entries) != 0 {
		t.Errorf("a rolled-back write left outbox entries: %+v", entries)
	}
}

func TestOutboxPruneAndPositions(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	if latest, err := store.MaxOutboxPosition(ctx); err != nil || latest != 0 {
		t.Fatalf("MaxOutboxPosition of an empty outbox = %d, %v", latest, err)
	}
	ss := make([]domain.Structure, 5)
	for i := range ss {
		ss[i] = minimalStructure(t, i)
	}
	if _, err := store.CreateStructures(ctx, ss); err != nil {
		t.Fatal(err)
	}
	all, err := store.OutboxAfter(ctx, 0, 100)
	if err != nil || len(all) != 5 {
		t.Fatalf("OutboxAfter = %d entries, %v", len(all), err)
	}
	latest, err := store.MaxOutboxPosition(ctx)
	if err != nil || latest != all[4].Position {
		t.Fatalf("MaxOutboxPosition = %d, %v; want %d", latest, err, all[4].Position)
	}
	page, _ := store.OutboxAfter(ctx, all[1].Position, 2)
	if len(page) != 2 || page[0].Position != all[2].Position || page[1].Position != all[3].Position {
		t.Errorf("OutboxAfter(%d, 2) = %+v", all[1].Position, page)
	}

	n, err := store.PruneOutbox(ctx, all[2].Position)
	if err != nil || n != 3 {
		t.Fatalf("PruneOutbox = %d, %v; want 3", n, err)
	}
	left, _ := store.OutboxAfter(ctx, 0, 100)
	if len(left) != 2 || left[0].Position != all[3].Position {
		t.Errorf("after pruning: %+v", left)
	}

	// Positions are never reused, even once the outbox has been emptied.
	if _, err := store.PruneOutbox(ctx, latest); err != nil {
		t.Fatal(err)
	}
	extra := mustCreate(t, store, minimalStructure(t, 10))
	next, _ := store.OutboxAfter(ctx, 0, 10)
	if len(next) != 1 || next[0].Position <= latest || next[0].EntityID != extra.ID {
		t.Errorf("after emptying the outbox, the next entry is %+v, want a position above %d", next, latest)
	}
}

func TestStructureIDsAfterWalksEveryStatus(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	var want []string
	for i, status := range []domain.StructureStatus{domain.StatusPublished, domain.StatusDraft, domain.StatusSuspended, domain.StatusPublished, domain.StatusDraft} {
		s := minimalStructure(t, i)
		s.Status = status
		want = append(want, mustCreate(t, store, s).ID)
	}
	slices.Sort(want)
	var got []string
	after := ""
	for range 10 {
		ids, err := store.StructureIDsAfter(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			break
		}
		got = append(got, ids...)
		after = ids[len(ids)-1]
	}
	if !slices.Equal(got, want) {
		t.Errorf("StructureIDsAfter walked %v, want %v", got, want)
	}
}

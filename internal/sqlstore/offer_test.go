package sqlstore_test

import (
	"context"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

func TestOfferLifecycle(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	s := mustCreate(t, store, minimalStructure(t, 1))

	o := domain.Offer{
		ID: newID(t), StructureID: s.ID, Title: "Restauration collective", Description: "Repas en liaison froide.",
		CPVCodes: []string{"55520000-1", "15894210-0", "55321000-6"}, Kind: domain.OfferService,
		Area:        domain.Area{Scope: domain.ScopeZones, Zones: []string{"epci:244400404", "commune:44184", "region:53"}},
		CapacityEUR: ptr(int64(90_000)), References: []string{"Cantine de Rezé 2024", "EHPAD 2023"},
		CreatedAt: at(3), UpdatedAt: at(4),
	}
	if err := store.CreateOffer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	got, err := store.FindOfferByID(ctx, s.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(*got, o); d != "" {
		t.Errorf("offer round trip: %s", d)
	}
	assertVersion(t, store, s.ID, 2)

	o.Title = "Restauration scolaire"
	o.CPVCodes = []string{"55524000-9"}
	o.Area = domain.Area{Scope: domain.ScopeCountry}
	o.CapacityEUR = nil
	o.References = nil
	if err := store.UpdateOffer(ctx, &o); err != nil {
		t.Fatal(err)
	}
	if !o.UpdatedAt.After(at(4)) {
		t.Errorf("UpdateOffer left updated_at at %v", o.UpdatedAt)
	}
	got, err = store.FindOfferByID(ctx, s.ID, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(*got, o); d != "" {
		t.Errorf("updated offer: %s", d)
	}
	assertVersion(t, store, s.ID, 3)

	if err := store.DeleteOffer(ctx, s.ID, o.ID); err != nil {
		t.Fatal(err)
	}
	_, err = store.FindOfferByID(ctx, s.ID, o.ID)
	wantKind(t, err, domain.KindNotFound)
	assertVersion(t, store, s.ID, 4)
}

func TestOfferNotFound(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	s := mustCreate(t, store, fullStructure(t, 1))
	other := mustCreate(t, store, minimalStructure(t, 2))
	offerID := s.Offers[0].ID

	// An offer is reached through its own structure only.
	_, err := store.FindOfferByID(ctx, other.ID, offerID)
	wantKind(t, err, domain.KindNotFound)
	o := s.Offers[0]
	o.StructureID = other.ID
	wantKind(t, store.UpdateOffer(ctx, &o), domain.KindNotFound)
	wantKind(t, store.DeleteOffer(ctx, other.ID, offerID), domain.KindNotFound)

	orphan := domain.Offer{ID: newID(t), StructureID: newID(t), Title: "x", Kind: domain.OfferSupply,
		Area: domain.Area{Scope: domain.ScopeCountry}}
	wantKind(t, store.CreateOffer(ctx, &orphan), domain.KindNotFound)

	dup := s.Offers[1]
	wantKind(t, store.CreateOffer(ctx, &dup), domain.KindConflict)
	assertVersion(t, store, s.ID, 1)
}

func assertVersion(t *testing.T, store interface {
	FindStructureByID(context.Context, string) (*domain.Structure, error)
}, id string, want int) {
	t.Helper()
	s, err := store.FindStructureByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if s.Version != want {
		t.Errorf("structure version = %d, want %d", s.Version, want)
	}
}

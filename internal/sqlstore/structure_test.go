package sqlstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// diff returns "" when got and want are deeply equal, else the first lines where their JSON forms differ.
func diff(got, want any) string {
	if reflect.DeepEqual(got, want) {
		return ""
	}
	g, _ := json.MarshalIndent(got, "", "  ")
	w, _ := json.MarshalIndent(want, "", "  ")
	gl, wl := strings.Split(string(g), "\n"), strings.Split(string(w), "\n")
	for i := 0; i < max(len(gl), len(wl)); i++ {
		var a, b string
		if i < len(gl) {
			a = gl[i]
		}
		if i < len(wl) {
			b = wl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, a, b)
		}
	}
	return fmt.Sprintf("values differ in a way JSON does not show (time zones?):\n got: %#v\nwant: %#v", got, want)
}

func TestStructureRoundTrip(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	full := mustCreate(t, store, fullStructure(t, 1))
	minimal := mustCreate(t, store, minimalStructure(t, 2))

	for _, want := range []domain.Structure{full, minimal} {
		got, err := store.FindStructureByID(ctx, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(*got, want); d != "" {
			t.Errorf("FindStructureByID(%s) differs from what was written: %s", want.Name, d)
		}
		got, err = store.FindStructureBySIRET(ctx, want.SIRET)
		if err != nil {
			t.Fatal(err)
		}
		if d := diff(*got, want); d != "" {
			t.Errorf("FindStructureBySIRET(%s) differs from what was written: %s", want.Name, d)
		}
	}

	// Lists carry offers but never representatives (personal data).
	list, err := store.FindStructuresByIDs(ctx, []string{minimal.ID, "missing", full.ID})
	if err != nil {
		t.Fatal(err)
	}
	wantFull := full
	wantFull.Representatives = nil
	if d := diff(list, []domain.Structure{minimal, wantFull}); d != "" {
		t.Errorf("FindStructuresByIDs: %s", d)
	}
}

func TestCreateStructureDefaults(t *testing.T) {
	store := newStore(t)
	s := minimalStructure(t, 1)
	s.CreatedAt, s.UpdatedAt, s.Version = time.Time{}, time.Time{}, 0
	before := time.Now().UTC().Add(-time.Second)
	created := mustCreate(t, store, s)
	if created.Version != 1 || created.CreatedAt.Before(before) || !created.UpdatedAt.Equal(created.CreatedAt) {
		t.Errorf("defaults: version %d, created %v, updated %v", created.Version, created.CreatedAt, created.UpdatedAt)
	}
	if created.CreatedAt.Nanosecond()%1000 != 0 || created.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at %v is not UTC at microsecond precision", created.CreatedAt)
	}
}

func TestMissingStructure(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	_, err := store.FindStructureByID(ctx, newID(t))
	wantKind(t, err, domain.KindNotFound)
	_, err = store.FindStructureBySIRET(ctx, "12345678900012")
	wantKind(t, err, domain.KindNotFound)
	s := minimalStructure(t, 1)
	wantKind(t, store.UpdateStructure(ctx, &s, 1), domain.KindNotFound)
	wantKind(t, store.DeleteStructure(ctx, s.ID), domain.KindNotFound)
}

func TestDuplicateSIRETIsAConflict(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	first := mustCreate(t, store, fullStructure(t, 1))

	again := fullStructure(t, 2)
	again.SIRET = first.SIRET
	err := store.CreateStructure(ctx, &again)
	wantKind(t, err, domain.KindConflict)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != "duplicate_siret" {
		t.Fatalf("error %v, want code duplicate_siret", err)
	}
	if _, err := store.FindStructureByID(ctx, again.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("the rejected structure was partly written: %v", err)
	}

	other := mustCreate(t, store, minimalStructure(t, 3))
	other.SIRET = first.SIRET
	wantKind(t, store.UpdateStructure(ctx, &other, other.Version), domain.KindConflict)

	batch := []domain.Structure{minimalStructure(t, 4), minimalStructure(t, 5)}
	batch[1].SIRET = first.SIRET
	n, err := store.CreateStructures(ctx, batch)
	wantKind(t, err, domain.KindConflict)
	if n != 0 {
		t.Errorf("CreateStructures wrote %d structures of a failing batch", n)
	}
}

func TestUpdateStructure(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	s := mustCreate(t, store, fullStructure(t, 1))

	s.Name = "Nouveau nom"
	s.Location = nil
	s.AnnualTurnoverEUR = nil
	s.Labels = nil
	s.InclusionKinds = []string{"EA"}
	s.Representatives = s.Representatives[1:]
	s.OpenToCotraitance = false
	if err := store.UpdateStructure(ctx, &s, 1); err != nil {
		t.Fatal(err)
	}
	if s.Version != 2 || !s.UpdatedAt.After(at(2)) {
		t.Errorf("after update: version %d, updated_at %v", s.Version, s.UpdatedAt)
	}
	got, err := store.FindStructureByID(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(*got, s); d != "" {
		t.Errorf("updated structure: %s", d)
	}

	stale := s
	stale.Name = "Écrasement"
	err = store.UpdateStructure(ctx, &stale, 1)
	wantKind(t, err, domain.KindPreconditionFailed)
	if got, _ := store.FindStructureByID(ctx, s.ID); got.Name != "Nouveau nom" || got.Version != 2 {
		t.Errorf("a stale update changed the row: %q version %d", got.Name, got.Version)
	}
}

func TestDeleteStructureCascades(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	store := sqlstore.New(db)
	s := mustCreate(t, store, fullStructure(t, 1))
	kept := mustCreate(t, store, fullStructure(t, 2))
	if err := store.DeleteStructure(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	_, err := store.FindStructureByID(ctx, s.ID)
	wantKind(t, err, domain.KindNotFound)
	for table, want := range map[string]int64{
		"structures": 1, "structure_inclusion_kinds": 2, "representatives": 2, "offers": 2, "offer_cpv": 3,
		"offer_zones": 2,
	} {
		var n int64
		if err := db.Table(table).Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s holds %d rows after deleting one of two structures, want %d (those of %s)", table, n, want, kept.Name)
		}
	}
}

func TestCreateStructuresInBatches(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	const n = 5000
	ss := make([]domain.Structure, n)
	for i := range ss {
		ss[i] = fullStructure(t, i)
	}
	written, err := store.CreateStructures(ctx, ss)
	if err != nil || written != n {
		t.Fatalf("CreateStructures = %d, %v; want %d", written, err, n)
	}
	page, err := store.FindStructures(ctx, domain.StructureFilter{}, domain.PageRequest{Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != n {
		t.Errorf("total after seeding = %d, want %d", page.Total, n)
	}
	got, err := store.FindStructureByID(ctx, ss[n-1].ID)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(*got, ss[n-1]); d != "" {
		t.Errorf("last seeded structure: %s", d)
	}
	entries, err := store.OutboxAfter(ctx, 0, 2*n)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n {
		t.Errorf("outbox holds %d entries after seeding %d structures", len(entries), n)
	}
}

// BenchmarkCreateStructures measures seeding throughput with fully populated structures (two offers, five CPV
// codes and zones, two representatives each), in transactions of 1,000.
func BenchmarkCreateStructures(b *testing.B) {
	ctx := context.Background()
	store := newStore(b)
	const perOp = 1000
	n := 0
	for b.Loop() {
		b.StopTimer()
		ss := make([]domain.Structure, perOp)
		for i := range ss {
			ss[i] = fullStructure(b, n)
			n++
		}
		b.StartTimer()
		if _, err := store.CreateStructures(ctx, ss); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "structures/s")
}

package service_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// allotmentEnv is a test database holding the demo directory, with the directory and allotment use cases over it.
type allotmentEnv struct {
	store     *sqlstore.Store
	directory *service.Directory
	allotment *service.AllotmentService
}

func newAllotmentEnv(t testing.TB, count int) allotmentEnv {
	t.Helper()
	ref := refdata.Default()
	store := sqlstore.New(dbtest.Open(t), sqlstore.WithCommuneLookup(ref.CommunePlace))
	env := allotmentEnv{store: store, directory: service.NewDirectory(store, ref, nil),
		allotment: service.NewAllotmentService(store, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)}
	seedDemo(t, env.directory, count)
	return env
}

func seedDemo(t testing.TB, d *service.Directory, count int) {
	t.Helper()
	err := demo.Generate(demo.Options{Count: count, Seed: 1}, 1000, func(batch []domain.Structure) error {
		_, err := d.CreateStructures(context.Background(), batch)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func asAdmin() context.Context {
	return service.WithActor(context.Background(), service.Actor{UserID: "admin-1", Role: service.RoleAdmin})
}

// greenSpaceNeed is the need of the issue: green-space maintenance of the 24 communes of Nantes Métropole, 1.2 M€
// HT over 4 years, one mowing line per commune in proportion to its population plus pruning and hedges over the
// whole metropolis.
func greenSpaceNeed(referenceDate string) allotment.Need {
	ref := refdata.Default()
	communes := ref.CommunesOfEPCI(refdata.NantesMetropoleEPCI)
	all := make([]string, len(communes))
	population := 0
	for i, c := range communes {
		all[i] = c.INSEE
		population += c.Population
	}
	on, _ := time.Parse(time.DateOnly, referenceDate)
	n := allotment.Need{Title: "Entretien des espaces verts de Nantes Métropole", BuyerKind: allotment.BuyerLocal,
		DurationMonths: 48, ReferenceDate: on}
	const perCommune, pruning, hedges = 960_000.0, 150_000.0, 90_000.0
	for _, c := range communes {
		n.Lines = append(n.Lines, allotment.Line{Label: "Tonte et entretien des parcs – " + c.Name, CPV: "77311000-3",
			EstimatedValueEUR: math.Round(perCommune * float64(c.Population) / float64(population)), Communes: []string{c.INSEE}})
	}
	n.Lines = append(n.Lines,
		allotment.Line{Label: "Élagage des arbres d'alignement", CPV: "77340000-5", EstimatedValueEUR: pruning, Communes: all},
		allotment.Line{Label: "Taille des haies et massifs", CPV: "77310000-6", EstimatedValueEUR: hedges, Communes: all})
	return n
}

func TestAllotmentGreenSpacesOnTheDemoDirectory(t *testing.T) {
	env := newAllotmentEnv(t, demo.DefaultCount)
	if err := env.allotment.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := env.allotment.Status().Structures; got != demo.DefaultCount {
		t.Fatalf("supply holds %d structures, want %d", got, demo.DefaultCount)
	}
	res, err := env.allotment.Suggest(asAdmin(), greenSpaceNeed("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(res.Alternatives, everyLotReachable); i < 0 {
		t.Fatalf("no alternative with several lots each open to ≥ 3 ESS structures: %+v", strategies(res))
	}
}

func everyLotReachable(a allotment.Alternative) bool {
	if len(a.Lots) < 2 {
		return false
	}
	for _, l := range a.Lots {
		if l.ESSSupply.Structures < 3 {
			return false
		}
	}
	return true
}

func strategies(r allotment.Result) []string {
	var out []string
	for _, a := range r.Alternatives {
		out = append(out, a.Strategy)
	}
	return out
}

func TestAllotmentAccess(t *testing.T) {
	env := newAllotmentEnv(t, 10)
	need := greenSpaceNeed("2026-06-01")
	_, err := env.allotment.Suggest(asAdmin(), need)
	if !errors.Is(err, service.ErrSupplyNotReady) {
		t.Fatalf("before Load: %v, want ErrSupplyNotReady", err)
	}
	if err := env.allotment.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name  string
		actor service.Actor
		want  domain.Kind
	}{
		{"anonymous", service.Actor{}, domain.KindUnauthenticated},
		{"structure user", service.Actor{UserID: "u", Role: service.RoleStructure}, domain.KindForbidden},
		{"network user", service.Actor{UserID: "u", Role: service.RoleNetwork}, domain.KindForbidden},
		{"buyer", service.Actor{UserID: "u", Role: service.RoleBuyer}, ""},
		{"admin", service.Actor{UserID: "u", Role: service.RoleAdmin}, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.allotment.Suggest(service.WithActor(context.Background(), tt.actor), need)
			if got := kindOf(err); got != tt.want {
				t.Fatalf("kind %q (%v), want %q", got, err, tt.want)
			}
		})
	}
}

func kindOf(err error) domain.Kind {
	var de *domain.Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return ""
}

// TestAllotmentFollowsTheOutbox writes, unpublishes and deletes structures and checks that the supply follows.
func TestAllotmentFollowsTheOutbox(t *testing.T) {
	env := newAllotmentEnv(t, 30)
	ctx := context.Background()
	if err := env.allotment.Load(ctx); err != nil {
		t.Fatal(err)
	}
	// Funeral services in Indre-et-Loire: nobody of the Nantes demo directory offers it.
	need := allotment.Need{Title: "Pompes funèbres", BuyerKind: allotment.BuyerLocal, DurationMonths: 12,
		ReferenceDate: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC),
		Lines:         []allotment.Line{{Label: "Pompes funèbres", CPV: "98371000-4", EstimatedValueEUR: 20_000, Communes: []string{"37261"}}}}
	eligible := func() int {
		t.Helper()
		if _, err := env.allotment.ApplyPending(ctx); err != nil {
			t.Fatal(err)
		}
		res, err := env.allotment.Suggest(asAdmin(), need)
		if err != nil {
			t.Fatal(err)
		}
		return res.Alternatives[0].Lots[0].ESSSupply.Structures
	}
	if n := eligible(); n != 0 {
		t.Fatalf("%d eligible structures before any write, want 0", n)
	}
	var ids []string
	for range 2 {
		var batch []domain.Structure
		if err := demo.Generate(demo.Options{Count: 1, Seed: uint64(100 + len(ids))}, 1, func(b []domain.Structure) error {
			batch = b
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		s := batch[0]
		s.Offers = []domain.Offer{{Kind: domain.OfferService, Title: "Pompes funèbres", Description: "Pompes funèbres",
			CPVCodes: []string{"98371000-4"}, Area: domain.Area{Scope: domain.ScopeZones, Zones: []string{"departement:37"}}}}
		created, err := env.directory.CreateStructure(asAdmin(), s)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, created.ID)
	}
	if n := eligible(); n != 2 {
		t.Fatalf("%d eligible structures after two creations, want 2", n)
	}
	if _, err := env.directory.UpdateStructure(asAdmin(), ids[0], nil, func(s *domain.Structure) { s.Status = domain.StatusDraft }); err != nil {
		t.Fatal(err)
	}
	if n := eligible(); n != 1 {
		t.Fatalf("%d eligible structures after unpublishing one, want 1", n)
	}
	if err := env.directory.DeleteStructure(asAdmin(), ids[1]); err != nil {
		t.Fatal(err)
	}
	if n := eligible(); n != 0 {
		t.Fatalf("%d eligible structures after deleting the other, want 0", n)
	}
	if got := env.allotment.Status().Structures; got != 30 {
		t.Fatalf("supply holds %d structures, want 30", got)
	}
}

package sqlstore_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// BenchmarkFindStructures times typical directory queries over a synthetic directory of ESSOR_BENCH_STRUCTURES
// structures (default 20,000; the demo seeds 250,000).
func BenchmarkFindStructures(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_STRUCTURES")); err == nil && v > 0 {
		n = v
	}
	db := dbtest.Open(b)
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(lookupCommune))
	seedSyntheticDirectory(b, store, n)
	// Planner statistics, as PostgreSQL's autovacuum would gather them within a minute of seeding.
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, bc := range []struct {
		name   string
		filter domain.StructureFilter
	}{
		{"all", domain.StructureFilter{}},
		{"cpv-division", domain.StructureFilter{CPV: []string{"45000000-7"}}},
		{"cpv-class", domain.StructureFilter{CPV: []string{"90910000-9"}}},
		{"commune", domain.StructureFilter{Commune: "44109"}},
		{"cpv-commune-inclusion", domain.StructureFilter{CPV: []string{"45000000-7"}, Commune: "44143", InclusionKinds: []string{"ACI", "EI"}}},
		{"verified-cotraitance", domain.StructureFilter{Verified: ptr(true), OpenToCotraitance: ptr(true)}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			total := 0
			for b.Loop() {
				page, err := store.FindStructures(ctx, bc.filter, domain.PageRequest{Size: domain.DefaultPageSize})
				if err != nil {
					b.Fatal(err)
				}
				total = page.Total
			}
			b.ReportMetric(float64(total), "matches")
		})
	}
}

func seedSyntheticDirectory(b testing.TB, store *sqlstore.Store, n int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	cpv := []string{"45442100-8", "45421000-4", "45330000-9", "45210000-2", "77310000-6", "90910000-9",
		"55520000-1", "30192000-1", "79530000-8", "85311000-2", "18100000-0", "50700000-2"}
	communes := []string{"44109", "44143", "44184", "44020", "44035", "44047", "44114", "44162", "44190", "44215"}
	inclusion := []string{"ACI", "EI", "AI", "ETTI", "EA", "ESAT", "GEIQ"}
	batch := make([]domain.Structure, 0, 1000)
	for i := range n {
		s := minimalStructure(b, 300_000_000+i)
		s.Commune = communes[rng.IntN(len(communes))]
		s.Location = &domain.GeoPoint{Lat: 47.1 + rng.Float64()*0.3, Lon: -1.8 + rng.Float64()*0.5}
		s.InclusionKinds = []string{inclusion[rng.IntN(len(inclusion))]}
		s.OpenToCotraitance = rng.IntN(3) == 0
		if rng.IntN(4) == 0 {
			s.VerifiedAt = ptr(at(3))
		}
		for j := range 1 + rng.IntN(3) {
			o := domain.Offer{ID: newID(b), Title: fmt.Sprintf("offre %d", j), Kind: domain.OfferService,
				CPVCodes: []string{cpv[rng.IntN(len(cpv))]}}
			switch r := rng.IntN(10); {
			case r == 0:
				o.Area = domain.Area{Scope: domain.ScopeCountry}
			case r < 3:
				o.Area = domain.Area{Scope: domain.ScopeRadius, RadiusKM: float64(5 + rng.IntN(45))}
			case r < 5:
				o.Area = zones("departement:44")
			default:
				o.Area = zones("commune:"+communes[rng.IntN(len(communes))], "commune:"+communes[rng.IntN(len(communes))])
				if o.Area.Zones[0] == o.Area.Zones[1] {
					o.Area.Zones = o.Area.Zones[:1]
				}
			}
			s.Offers = append(s.Offers, o)
		}
		batch = append(batch, s)
		if len(batch) == cap(batch) || i == n-1 {
			if _, err := store.CreateStructures(context.Background(), batch); err != nil {
				b.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

package service_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// matchingToday is the day the comparison judges ESUS agreements on; some expire just before it, some on it.
var matchingToday = time.Date(2026, 6, 1, 15, 0, 0, 0, time.UTC)

// TestMemoryMatchingEqualsSQL compares the in-memory matcher (service.WithMemoryMatching) with the SQL matcher
// followed by domain.MatchLot — what a match page shows — on a few hundred varied structures and many lots (CPV
// levels, communes near and far, zones, radii, the whole country, reservations, turnover, capacity), first-time
// bidders first or not: same structures, same order. Then it changes the directory (renames, unpublishing,
// deletions, new structures, offers changed and removed), lets the supply follow the outbox, with and without
// compaction, and compares again.
func TestMemoryMatchingEqualsSQL(t *testing.T) {
	ctx := context.Background()
	ref := refdata.Default()
	db := dbtest.Open(t)
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	dir := service.NewDirectory(store, ref, nil)
	r := rand.New(rand.NewPCG(5, 6))
	var seeded []domain.Structure
	if err := demo.Generate(demo.Options{Count: 300, Seed: 3}, 100, func(batch []domain.Structure) error {
		diversify(r, batch)
		if _, err := dir.CreateStructures(ctx, batch); err != nil {
			return err
		}
		seeded = append(seeded, batch...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tenders := sqlstore.NewTenders(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	layered := service.NewAllotmentService(store, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)
	compacting := service.NewAllotmentService(store, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{CompactAfter: 10}, nil)
	for _, s := range []*service.AllotmentService{layered, compacting} {
		if err := s.Load(ctx); err != nil {
			t.Fatal(err)
		}
	}
	lots := matchingLots(r, ref, seeded, 300)
	compareMatchers(t, "loaded", tenders, service.WithMemoryMatching(tenders, layered), lots)

	changeDirectory(t, r, dir, seeded)
	for _, s := range []*service.AllotmentService{layered, compacting} {
		for {
			n, err := s.ApplyPending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
	}
	compareMatchers(t, "layered", tenders, service.WithMemoryMatching(tenders, layered), lots)
	compareMatchers(t, "compacted", tenders, service.WithMemoryMatching(tenders, compacting), lots)
}

// diversify varies what the demo generator makes alike: statuses, turnovers, ESUS agreements near the day of the
// comparison, equal and differently cased names, capacities and areas.
func diversify(r *rand.Rand, batch []domain.Structure) {
	expiries := []time.Time{matchingToday.AddDate(0, 0, -1), time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), matchingToday.AddDate(1, 0, 0)}
	areas := []domain.Area{{Scope: domain.ScopeCountry}, {Scope: domain.ScopeRadius, RadiusKM: 4},
		{Scope: domain.ScopeRadius, RadiusKM: 300}, {Scope: domain.ScopeZones, Zones: []string{"departement:44"}},
		{Scope: domain.ScopeZones, Zones: []string{"region:52", "departement:75"}},
		{Scope: domain.ScopeZones, Zones: []string{"commune:75056"}}, {Scope: domain.ScopeZones, Zones: []string{"commune:44143", "commune:44109"}}}
	capacities := []int64{5_000, 50_000, 200_000, 1_000_000}
	for i := range batch {
		s := &batch[i]
		switch r.IntN(20) {
		case 0, 1:
			s.Status = domain.StatusDraft
		case 2:
			s.Status = domain.StatusSuspended
		}
		if r.IntN(6) == 0 {
			s.AnnualTurnoverEUR = nil
		}
		if s.ESSBasis == domain.BasisESUSAgreement || r.IntN(8) == 0 {
			s.ESSBasis = domain.BasisESUSAgreement
			e := expiries[r.IntN(len(expiries))]
			s.ESUSExpiresOn = &e
		}
		switch {
		case i > 0 && r.IntN(10) == 0:
			s.Name = batch[i-1].Name
		case r.IntN(15) == 0:
			s.Name = "atelier " + s.Name
		}
		for j := range s.Offers {
			o := &s.Offers[j]
			if r.IntN(4) == 0 {
				c := capacities[r.IntN(len(capacities))]
				o.CapacityEUR = &c
			}
			if r.IntN(4) == 0 {
				o.Area = areas[r.IntN(len(areas))]
			}
		}
	}
}

// matchingLots draws lots from the offers' own codes, their ancestors down to the division and their descendants,
// with 0 to 3 communes among the structures' own and some far away.
func matchingLots(r *rand.Rand, ref *refdata.Catalog, structures []domain.Structure, count int) []domain.LotNeed {
	var codes, communes []string
	for _, s := range structures {
		if !slices.Contains(communes, s.Commune) && s.Commune != "" {
			communes = append(communes, s.Commune)
		}
		for _, o := range s.Offers {
			codes = append(codes, o.CPVCodes...)
		}
	}
	communes = append(communes, "75056", "2A004", "85191", "44143", "44109", "49007")
	all := ref.AllCPV()
	pick := func() string {
		code := codes[r.IntN(len(codes))]
		switch r.IntN(3) {
		case 0: // an ancestor, division included
			p := domain.CPVPrefix(code)
			k := 2 + r.IntN(len(p)-1)
			if c, ok := ref.CPV(p[:k] + strings.Repeat("0", 8-k)); ok {
				return c.Code
			}
		case 1: // a descendant
			var under []string
			for _, c := range all {
				if domain.CPVCovers(code, c.Code) {
					under = append(under, c.Code)
				}
			}
			return under[r.IntN(len(under))]
		}
		return code
	}
	reservations := []domain.Reservation{domain.ReservationNone, "", domain.ReservationDisabled, domain.ReservationSIAE,
		domain.ReservationBoth, domain.ReservationESS}
	amounts := []int64{1, 20_000, 100_000, 500_000, 2_000_000}
	lots := make([]domain.LotNeed, count)
	for i := range lots {
		n := domain.LotNeed{Number: i + 1, Reservation: reservations[r.IntN(len(reservations))]}
		for range 1 + r.IntN(2) {
			n.CPVCodes = append(n.CPVCodes, pick())
		}
		for range r.IntN(4) {
			if p, ok := ref.CommunePlace(communes[r.IntN(len(communes))]); ok {
				n.Places = append(n.Places, p)
			}
		}
		if r.IntN(2) == 0 {
			v := amounts[r.IntN(len(amounts))]
			n.MinTurnoverEUR = &v
		}
		if r.IntN(2) == 0 {
			v := amounts[r.IntN(len(amounts))]
			n.AnnualValueEUR = &v
		}
		lots[i] = n
	}
	return lots
}

// changeDirectory renames, unpublishes, deletes, adds and re-offers structures after the supply was loaded.
func changeDirectory(t *testing.T, r *rand.Rand, dir *service.Directory, seeded []domain.Structure) {
	t.Helper()
	ctx := asAdmin()
	for i, s := range seeded[:60] {
		var err error
		switch i % 6 {
		case 0:
			_, err = dir.UpdateStructure(ctx, s.ID, nil, func(s *domain.Structure) { s.Name = "Zz " + s.Name })
		case 1:
			_, err = dir.UpdateStructure(ctx, s.ID, nil, func(s *domain.Structure) { s.Name = "0 " + s.Name })
		case 2:
			_, err = dir.UpdateStructure(ctx, s.ID, nil, func(s *domain.Structure) { s.Status = domain.StatusDraft })
		case 3:
			err = dir.DeleteStructure(ctx, s.ID)
		case 4:
			if len(s.Offers) > 0 {
				_, err = dir.UpdateOffer(ctx, s.ID, s.Offers[0].ID, func(o *domain.Offer) {
					o.Area = domain.Area{Scope: domain.ScopeCountry}
					o.CPVCodes = []string{seeded[r.IntN(len(seeded))].Offers[0].CPVCodes[0]}
				})
			}
		case 5:
			if len(s.Offers) > 1 {
				err = dir.DeleteOffer(ctx, s.ID, s.Offers[0].ID)
			}
		}
		if err != nil {
			t.Fatalf("change %d: %v", i, err)
		}
	}
	if err := demo.Generate(demo.Options{Count: 40, Seed: 9}, 40, func(batch []domain.Structure) error {
		diversify(r, batch)
		_, err := dir.CreateStructures(context.Background(), batch)
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// compareMatchers checks every lot, in both orders, and that the comparison saw enough matches to mean something.
func compareMatchers(t *testing.T, stage string, sql *sqlstore.Tenders, memory service.TenderStore, lots []domain.LotNeed) {
	t.Helper()
	ctx := context.Background()
	matched, edge := 0, 0
	for _, n := range lots {
		for _, firstTimeFirst := range []bool{false, true} {
			raw, err := sql.MatchCandidates(ctx, n, matchingToday, firstTimeFirst)
			if err != nil {
				t.Fatal(err)
			}
			want, err := explained(ctx, sql, n, raw)
			if err != nil {
				t.Fatal(err)
			}
			edge += len(raw) - len(want)
			got, err := memory.MatchCandidates(ctx, n, matchingToday, firstTimeFirst)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s: lot %+v (first-time first %v):\nmemory %d %v\nSQL    %d %v", stage, n, firstTimeFirst,
					len(got), got, len(want), want)
			}
			matched += len(want)
		}
	}
	t.Logf("%s: %d lots, %d matches, %d SQL candidates refused by domain.MatchLot (radius edge)", stage, len(lots), matched, edge)
	if matched < 10*len(lots) {
		t.Fatalf("%s: only %d matches over %d lots: the comparison proves little", stage, matched, len(lots))
	}
}

// explained keeps the SQL candidates domain.MatchLot accepts, as a match page does.
func explained(ctx context.Context, sql *sqlstore.Tenders, n domain.LotNeed, cands []service.MatchCandidate) ([]service.MatchCandidate, error) {
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.StructureID
	}
	found, err := sql.FindStructuresByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := map[string]*domain.Structure{}
	for i := range found {
		byID[found[i].ID] = &found[i]
	}
	out := []service.MatchCandidate{}
	for _, c := range cands {
		if s := byID[c.StructureID]; s != nil {
			if _, ok := domain.MatchLot(n, s, matchingToday); ok {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

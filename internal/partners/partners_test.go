package partners_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/partners"
)

var (
	nantes  = domain.CommunePlace{INSEE: "44109", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.218, Lon: -1.554}}
	reze    = domain.CommunePlace{INSEE: "44143", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.19, Lon: -1.57}}
	angers  = domain.CommunePlace{INSEE: "49007", Department: "49", Region: "52", EPCI: "244900015", Centre: domain.GeoPoint{Lat: 47.47, Lon: -0.55}}
	nantesZ = domain.Area{Scope: domain.ScopeZones, Zones: []string{"commune:44109"}}
	dept44  = domain.Area{Scope: domain.ScopeZones, Zones: []string{"departement:44"}}
)

func eur(v int64) *int64 { return &v }

func structure(id string, turnover int64, kinds []string, offers ...domain.Offer) domain.Structure {
	s := domain.Structure{ID: id, Name: "S " + id, Offers: offers, InclusionKinds: kinds, OpenToCotraitance: true}
	if turnover > 0 {
		s.AnnualTurnoverEUR = &turnover
	}
	return s
}

func offer(area domain.Area, codes ...string) domain.Offer {
	return domain.Offer{CPVCodes: codes, Area: area}
}

// lot needs works (45) and cleaning (90) in Nantes and Rezé; value 100 k€ → 150 k€ of turnover under R2142-7.
func lot() partners.Lot {
	return partners.Lot{CPVCodes: []string{"45000000", "90910000"}, Communes: []domain.CommunePlace{nantes, reze},
		ValueEUR: eur(100_000), TurnoverCapRatio: 1.5}
}

func TestRequiredTurnover(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lot   partners.Lot
		want  int64
		basis partners.TurnoverBasis
	}{
		{"stated minimum wins", partners.Lot{MinTurnoverEUR: eur(80_000), ValueEUR: eur(100_000), TurnoverCapRatio: 1.5}, 80_000, partners.BasisMinTurnover},
		{"1.5 × lot value (R2142-7, 2026)", partners.Lot{ValueEUR: eur(100_000), TurnoverCapRatio: 1.5}, 150_000, partners.BasisLotValueRatio},
		{"2 × before 2026", partners.Lot{ValueEUR: eur(100_000), TurnoverCapRatio: 2}, 200_000, partners.BasisLotValueRatio},
		{"nothing known", partners.Lot{TurnoverCapRatio: 1.5}, 0, partners.BasisUnknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, basis := tc.lot.RequiredTurnover()
			if got != tc.want || basis != tc.basis {
				t.Fatalf("RequiredTurnover = %d %s, want %d %s", got, basis, tc.want, tc.basis)
			}
		})
	}
}

func TestSuggestCoversWhatTheGroupLacks(t *testing.T) {
	caller := structure("caller", 60_000, nil, offer(dept44, "45210000"))
	cands := []domain.Structure{
		structure("cleaner-nantes", 50_000, nil, offer(nantesZ, "90910000")),
		structure("cleaner-44", 120_000, nil, offer(dept44, "90911000")),
		structure("cleaner-angers", 900_000, nil, offer(domain.Area{Scope: domain.ScopeZones, Zones: []string{"commune:49007"}}, "90910000")),
		structure("mason", 500_000, nil, offer(dept44, "45262000")),
		structure("caller", 60_000, nil, offer(dept44, "90910000")),
	}
	got := partners.Suggest(lot(), []domain.Structure{caller}, cands, 10)
	var ids []string
	for _, s := range got {
		ids = append(ids, s.StructureID)
	}
	if !slices.Equal(ids, []string{"cleaner-44", "cleaner-nantes"}) {
		t.Fatalf("suggested %v, want the two cleaners of the lot's area, the one covering both communes first", ids)
	}
	best := got[0]
	if !slices.Equal(best.Brings, []string{"90910000"}) || len(best.StillLacking.CPVCodes) != 0 || len(best.StillLacking.Communes) != 0 {
		t.Fatalf("best suggestion brings %v and leaves %+v", best.Brings, best.StillLacking)
	}
	if best.StillLacking.TurnoverGapEUR != 0 || got[1].StillLacking.TurnoverGapEUR != 40_000 {
		t.Fatalf("turnover gaps %d and %d, want 0 and 40000 (150 k€ required)", best.StillLacking.TurnoverGapEUR, got[1].StillLacking.TurnoverGapEUR)
	}
	if !slices.Equal(got[1].Communes, []string{"44109"}) || !slices.Equal(best.Communes, []string{"44109", "44143"}) {
		t.Fatalf("communes reached %v and %v", best.Communes, got[1].Communes)
	}
	if len(best.Reasons) < 3 {
		t.Fatalf("reasons %q: want complementarity, area and capacity at least", best.Reasons)
	}
}

func TestSuggestScoringFactors(t *testing.T) {
	caller := structure("caller", 0, nil, offer(dept44, "45210000"))
	base := func(id string) domain.Structure { return structure(id, 0, nil, offer(dept44, "90910000")) }
	closed := base("b-closed")
	closed.OpenToCotraitance = false
	veteran := base("c-veteran")
	veteran.PublicAwardsCount = 3
	first := base("a-first")
	got := partners.Suggest(lot(), []domain.Structure{caller}, []domain.Structure{closed, veteran, first}, 0)
	order := []string{got[0].StructureID, got[1].StructureID, got[2].StructureID}
	if !slices.Equal(order, []string{"a-first", "c-veteran", "b-closed"}) {
		t.Fatalf("order %v: open first-time bidders first, then open veterans, then structures closed to co-contracting", order)
	}
	if !(got[0].Score > got[1].Score && got[1].Score > got[2].Score) {
		t.Fatalf("scores %v %v %v not strictly decreasing", got[0].Score, got[1].Score, got[2].Score)
	}
}

func TestSuggestReservedLotNeedsEligibleMembers(t *testing.T) {
	l := lot()
	l.Reservation = domain.ReservedInsertion
	caller := structure("caller", 0, []string{"ACI"}, offer(dept44, "45210000"))
	cands := []domain.Structure{
		structure("esat", 0, []string{"ESAT"}, offer(dept44, "90910000")),
		structure("ei", 0, []string{"EI"}, offer(dept44, "90910000")),
		structure("plain", 0, nil, offer(dept44, "90910000")),
	}
	got := partners.Suggest(l, []domain.Structure{caller}, cands, 0)
	if len(got) != 1 || got[0].StructureID != "ei" {
		t.Fatalf("suggested %+v, want only the SIAE for a lot reserved under L2113-13", got)
	}
}

func TestAssess(t *testing.T) {
	works := structure("works", 60_000, []string{"ACI"}, offer(dept44, "45210000"))
	cleanNantes := structure("clean", 50_000, []string{"EI"}, offer(nantesZ, "90910000"))
	noTurnover := structure("anon", 0, nil, offer(dept44, "90910000"))
	reserved := lot()
	reserved.Reservation = domain.ReservedInsertion
	for _, tc := range []struct {
		name        string
		lot         partners.Lot
		members     []domain.Structure
		ready       bool
		missing     int
		turnoverMet bool
		eligible    bool
	}{
		{"one division missing", lot(), []domain.Structure{works}, false, 2, false, true},
		{"both divisions, Rezé uncovered for cleaning still counts (works covers it), turnover short",
			lot(), []domain.Structure{works, cleanNantes}, false, 1, false, true},
		{"summed turnover meets a stated minimum (R2142-25)",
			partners.Lot{CPVCodes: lot().CPVCodes, Communes: lot().Communes, MinTurnoverEUR: eur(110_000)},
			[]domain.Structure{works, cleanNantes}, true, 0, true, true},
		{"reserved lot with an ineligible member", func() partners.Lot { l := reserved; l.MinTurnoverEUR = eur(1); return l }(),
			[]domain.Structure{works, noTurnover}, false, 1, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := partners.Assess(tc.lot, tc.members)
			if rep.Ready != tc.ready || len(rep.Missing) != tc.missing || rep.TurnoverMet != tc.turnoverMet || rep.ReservationEligible != tc.eligible {
				t.Fatalf("report %+v", rep)
			}
		})
	}
}

func TestAssessListsWhoCoversWhat(t *testing.T) {
	works := structure("works", 0, nil, offer(dept44, "45210000"))
	clean := structure("clean", 0, nil, offer(nantesZ, "90910000"))
	rep := partners.Assess(lot(), []domain.Structure{works, clean})
	if !slices.Equal(rep.CPV[0].CoveredBy, []string{"works"}) || !slices.Equal(rep.CPV[1].CoveredBy, []string{"clean"}) {
		t.Fatalf("CPV coverage %+v", rep.CPV)
	}
	if !slices.Equal(rep.Communes[0].CoveredBy, []string{"works", "clean"}) || !slices.Equal(rep.Communes[1].CoveredBy, []string{"works"}) {
		t.Fatalf("commune coverage %+v", rep.Communes)
	}
	if !slices.Equal(rep.TurnoverUnknown, []string{"works", "clean"}) {
		t.Fatalf("turnover unknown for %v", rep.TurnoverUnknown)
	}
}

func BenchmarkSuggest(b *testing.B) {
	caller := structure("caller", 60_000, nil, offer(dept44, "45210000"))
	cands := make([]domain.Structure, 1000)
	areas := []domain.Area{nantesZ, dept44, {Scope: domain.ScopeRadius, RadiusKM: 20}, {Scope: domain.ScopeCountry}}
	codes := []string{"90910000", "90911000", "45262000", "85311000", "55520000"}
	for i := range cands {
		cands[i] = structure(fmt.Sprintf("c%04d", i), int64(10_000*(i%50)), nil,
			offer(areas[i%4], codes[i%5]), offer(areas[(i+1)%4], codes[(i+2)%5]))
		cands[i].Location = &domain.GeoPoint{Lat: 47.2, Lon: -1.55}
	}
	l := lot()
	l.Communes = append(l.Communes, angers)
	for b.Loop() {
		partners.Suggest(l, []domain.Structure{caller}, cands, 20)
	}
}

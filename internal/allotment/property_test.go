package allotment

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

// syntheticDirectory builds n structures spread over the fixture communes, with random codes, areas, turnovers,
// capacities and inclusion kinds, from a fixed seed.
func syntheticDirectory(f fixtures, n int, seed uint64) []SupplyStructure {
	rng := rand.New(rand.NewPCG(seed, 1))
	communes := slices.Sorted(mapsKeys(f.places))
	kinds := [][]string{nil, nil, nil, {"ESAT"}, {"EA"}, {"ACI"}, {"EI"}, {"AI"}, {"ETTI"}}
	out := make([]SupplyStructure, n)
	for i := range out {
		home := f.places[communes[rng.IntN(len(communes))]]
		loc := home.Centre
		s := SupplyStructure{ID: "syn-" + strconv.Itoa(i), Location: &loc, FirstTime: rng.IntN(3) == 0,
			InclusionKinds: kinds[rng.IntN(len(kinds))]}
		if rng.IntN(5) > 0 {
			t := int64(50_000 + rng.IntN(5_000_000))
			s.TurnoverEUR = &t
		}
		for range 1 + rng.IntN(3) {
			o := SupplyOffer{CPVCodes: []string{f.cpvCodes[rng.IntN(len(f.cpvCodes))]}}
			switch rng.IntN(10) {
			case 0:
				o.Area = domain.Area{Scope: domain.ScopeCountry}
			case 1, 2:
				o.Area = domain.Area{Scope: domain.ScopeZones, Zones: []string{"departement:44"}}
			case 3:
				o.Area = domain.Area{Scope: domain.ScopeZones, Zones: []string{"epci:" + home.EPCI}}
			default:
				o.Area = domain.Area{Scope: domain.ScopeRadius, RadiusKM: float64(5 + rng.IntN(45))}
			}
			if rng.IntN(4) == 0 {
				c := int64(20_000 + rng.IntN(500_000))
				o.CapacityEUR = &c
			}
			s.Offers = append(s.Offers, o)
		}
		out[i] = s
	}
	return out
}

func mapsKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// syntheticNeed draws a need of lines lines over the fixture CPV codes and communes.
func syntheticNeed(f fixtures, rng *rand.Rand, lines int) Need {
	communes := slices.Sorted(mapsKeys(f.places))
	dates := []string{"2025-06-01", "2025-12-31", "2026-01-01", "2026-04-01", "2026-11-26"}
	kinds := []BuyerKind{BuyerState, BuyerLocal, BuyerUtility}
	n := Need{Title: "besoin généré", BuyerKind: kinds[rng.IntN(3)], DurationMonths: 1 + rng.IntN(72),
		ReferenceDate: date(dates[rng.IntN(len(dates))])}
	for range lines {
		l := Line{Label: "ligne", CPV: f.cpvCodes[rng.IntN(len(f.cpvCodes))],
			EstimatedValueEUR: math.Round(rng.ExpFloat64()*150_000*100) / 100}
		l.EstimatedValueEUR = max(l.EstimatedValueEUR, 0.01)
		if rng.IntN(2) == 0 {
			l.Communes = f.nantes[:1+rng.IntN(len(f.nantes))]
		} else {
			for range 1 + rng.IntN(4) {
				l.Communes = append(l.Communes, communes[rng.IntN(len(communes))])
			}
		}
		n.Lines = append(n.Lines, l)
	}
	return n
}

// TestPropertiesOnGeneratedNeeds checks the invariants of every alternative on 150 generated needs.
func TestPropertiesOnGeneratedNeeds(t *testing.T) {
	f := loadFixtures(t)
	engine := f.engineOver(syntheticDirectory(f, 2000, 7))
	rng := rand.New(rand.NewPCG(42, 42))
	for iter := range 150 {
		need := syntheticNeed(f, rng, 1+rng.IntN(40))
		res, err := engine.Suggest(need)
		if err != nil {
			t.Fatalf("need %d: %v", iter, err)
		}
		var total int64
		for _, l := range need.Lines {
			total += int64(math.Round(l.EstimatedValueEUR * 100))
		}
		if len(res.Alternatives) == 0 || res.Alternatives[0].Rank != 1 {
			t.Fatalf("need %d: no ranked alternative", iter)
		}
		for _, alt := range res.Alternatives {
			checkAlternative(t, iter, need, res, alt, total)
		}
	}
}

func checkAlternative(t *testing.T, iter int, need Need, res Result, alt Alternative, total int64) {
	t.Helper()
	where := "need " + strconv.Itoa(iter) + " " + alt.Strategy
	seen := make([]int, len(need.Lines))
	var sum, small int64
	for _, lot := range alt.Lots {
		var lotCents int64
		for _, i := range lot.LineIndexes {
			seen[i]++
			lotCents += int64(math.Round(need.Lines[i].EstimatedValueEUR * 100))
		}
		if int64(math.Round(lot.ValueEUR*100)) != lotCents {
			t.Errorf("%s lot %d: value %v is not the sum of its lines", where, lot.Number, lot.ValueEUR)
		}
		sum += lotCents
		if lot.SmallLot {
			small += lotCents
			ceiling := 80_000.0
			if lot.Nature == NatureWorks {
				ceiling = 1_000_000
			}
			if !res.Formalised || lot.ValueEUR >= ceiling || lot.SocialSpecific || len(alt.Lots) < 2 {
				t.Errorf("%s lot %d: small lot of %v € (%s) breaks R2123-1 2°", where, lot.Number, lot.ValueEUR, lot.Nature)
			}
		}
		if math.Abs(lot.MaxMinTurnoverEUR-res.TurnoverCapRatio*lot.ValueEUR) > 0.01 {
			t.Errorf("%s lot %d: max min turnover %v for %v × %v", where, lot.Number, lot.MaxMinTurnoverEUR, res.TurnoverCapRatio, lot.ValueEUR)
		}
		advice := lot.ReservationAdvice.Kind
		if lot.ESSSupply.Structures == 0 && advice != AdviceNone {
			t.Errorf("%s lot %d: advice %s without any eligible structure", where, lot.Number, advice)
		}
		if advice == AdviceReserve15 && (need.DurationMonths > 36 || need.BuyerKind == BuyerUtility) {
			t.Errorf("%s lot %d: L2113-15 advised for %d months (%s)", where, lot.Number, need.DurationMonths, need.BuyerKind)
		}
		if len(lot.GroupementPotential) > 0 && lot.ESSSupply.Structures >= 3 {
			t.Errorf("%s lot %d: groupements offered with %d single bidders", where, lot.Number, lot.ESSSupply.Structures)
		}
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("%s: line %d is in %d lots", where, i, n)
		}
	}
	if sum != total {
		t.Errorf("%s: lots add up to %d cents, the need to %d", where, sum, total)
	}
	if float64(small) > 0.2*float64(total)*(1+1e-12) {
		t.Errorf("%s: small lots take %d of %d cents, above 20 %%", where, small, total)
	}
}

package service

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
)

// TestRadiusTestAgreesWithDomain checks the index's radius shortcut against domain.Area.Covers on random pairs of
// points, with radii exactly at their distance and one floating-point step either side, where only the fallback
// to domain.DistanceKM can decide.
func TestRadiusTestAgreesWithDomain(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	disagreements := 0
	for i := range 20_000 {
		from := domain.GeoPoint{Lat: 41 + 10*r.Float64(), Lon: -5 + 14*r.Float64()}
		to := domain.CommunePlace{INSEE: "00000", Centre: domain.GeoPoint{Lat: from.Lat + (r.Float64()-0.5)*4*r.Float64(),
			Lon: from.Lon + (r.Float64()-0.5)*4*r.Float64()}}
		radius := 1 + 999*r.Float64()
		switch d := domain.DistanceKM(from, to.Centre); i % 4 {
		case 1:
			radius = d
		case 2:
			radius = math.Nextafter(d, 0)
		case 3:
			radius = math.Nextafter(d, math.Inf(1))
		}
		area := domain.Area{Scope: domain.ScopeRadius, RadiusKM: radius}
		ix := newMatchIndex([]allotment.SupplyStructure{{ID: "s", Location: &from,
			Offers: []allotment.SupplyOffer{{CPVCodes: []string{"45000000-7"}, Area: area}}}}, map[string]matchExtra{})
		got := ix.coversAll(&ix.offers[0], [][4]int32{{-1, -1, -1, -1}}, []unitVector{unitVectorOf(to.Centre)},
			[]domain.CommunePlace{to})
		if want := area.Covers(&from, to); got != want {
			disagreements++
			if disagreements < 5 {
				t.Errorf("radius %v km from %v to %v: index says %v, domain %v", radius, from, to.Centre, got, want)
			}
		}
	}
	if disagreements > 0 {
		t.Errorf("%d disagreements", disagreements)
	}
}

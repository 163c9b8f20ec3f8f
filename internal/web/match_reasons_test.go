package web

import (
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// TestMatchReasonsAreFrench runs domain.MatchLot on a structure that meets every rule, so that each kind of
// reason appears, and checks none is left in English.
func TestMatchReasonsAreFrench(t *testing.T) {
	capacity, turnover, value, minimum := int64(500_000), int64(900_000), int64(100_000), int64(50_000)
	s := domain.Structure{Status: domain.StatusPublished, InclusionKinds: []string{"ESAT"}, AnnualTurnoverEUR: &turnover,
		Location: &domain.GeoPoint{Lat: 47.2, Lon: -1.55},
		Offers: []domain.Offer{{Title: "Tonte", CPVCodes: []string{"77311000-3"}, CapacityEUR: &capacity,
			Area: domain.Area{Scope: domain.ScopeCountry}}}}
	need := domain.LotNeed{Number: 1, CPVCodes: []string{"77310000-6"}, Reservation: domain.ReservationDisabled,
		MinTurnoverEUR: &minimum, AnnualValueEUR: &value, Places: []domain.CommunePlace{{INSEE: "44109"}}}
	m, ok := domain.MatchLot(need, &s, time.Now())
	if !ok {
		t.Fatal("the structure should match")
	}
	if len(m.Reasons) < 5 {
		t.Fatalf("expected every kind of reason, got %+v", m.Reasons)
	}
	for _, r := range m.Reasons {
		fr := matchReason(r.Message)
		if fr == r.Message || strings.Contains(fr, " the ") || strings.Contains(fr, "offer ") {
			t.Errorf("%s: %q not translated (%q)", r.Code, r.Message, fr)
		}
	}
}

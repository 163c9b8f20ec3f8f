package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func i64(v int64) *int64 { return &v }
func intp(v int) *int    { return &v }

func dayp(y int, m time.Month, d int) *time.Time { t := day(y, m, d); return &t }

// reservableSocial stands in for refdata's L2113-15 flag: only 85000000-level social services are reservable.
func reservableSocial(code string) bool { return strings.HasPrefix(code, "85") }

// tenderReference adds a social service code to the shared fake reference.
type tenderReference struct{ fakeReference }

func (r tenderReference) CPVExists(code string) bool {
	return code == "85000000-9" || r.fakeReference.CPVExists(code)
}

func validTender() Tender {
	return Tender{
		Title: "Entretien des écoles", Kind: TenderSourcing, CPVCodes: []string{"90910000-9"},
		EstimatedTotalEUR: i64(300_000), DurationMonths: intp(24), Communes: []string{"44109"},
		SourcingDeadline: dayp(2026, time.March, 1), PlannedPublication: dayp(2026, time.April, 1),
		ResponseDeadline: dayp(2026, time.May, 1),
		Lots: []Lot{
			{Number: 1, Title: "Nantes nord", EstimatedValueEUR: i64(200_000), MinTurnoverEUR: i64(300_000)},
			{Number: 2, Title: "Rezé", EstimatedValueEUR: i64(100_000), Communes: []string{"44143"}},
		},
		CreatedAt: day(2026, time.February, 1),
	}
}

func TestTenderValidate(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Tender)
		location string
		contains string
	}{
		{"valid", func(*Tender) {}, "", ""},
		{"turnover above 1.5 × lot value in 2026", func(t *Tender) { t.Lots[0].MinTurnoverEUR = i64(300_001) },
			"lots[0].min_turnover_eur", "R2142-7"},
		{"turnover up to 2 × before 2026", func(t *Tender) {
			t.PlannedPublication, t.SourcingDeadline, t.ResponseDeadline = dayp(2025, time.June, 1), nil, nil
			t.Kind = TenderConsultation
			t.ResponseDeadline = dayp(2025, time.July, 1)
			t.Lots[0].MinTurnoverEUR = i64(400_000)
		}, "", ""},
		{"turnover above 2 × before 2026", func(t *Tender) {
			t.PlannedPublication, t.SourcingDeadline = dayp(2025, time.June, 1), dayp(2025, time.May, 1)
			t.ResponseDeadline = dayp(2025, time.July, 1)
			t.Lots[0].MinTurnoverEUR = i64(400_001)
		}, "lots[0].min_turnover_eur", "R2142-7"},
		{"turnover without lot value", func(t *Tender) { t.Lots[0].EstimatedValueEUR, t.EstimatedTotalEUR = nil, nil },
			"lots[0].min_turnover_eur", "R2142-7"},
		{"L2113-15 on a non social service", func(t *Tender) { t.Lots[1].Reservation = ReservationESS },
			"lots[1].cpv_codes[0]", "L2113-15"},
		{"L2113-15 over 36 months", func(t *Tender) {
			t.CPVCodes = []string{"85000000-9"}
			t.Lots[1].Reservation, t.DurationMonths = ReservationESS, intp(48)
		}, "duration_months", "L2113-15"},
		{"L2113-15 for 36 months", func(t *Tender) {
			t.CPVCodes = []string{"85000000-9"}
			t.Lots[1].Reservation, t.DurationMonths = ReservationESS, intp(36)
		}, "", ""},
		{"unknown reservation", func(t *Tender) { t.Lots[0].Reservation = "L2113-99" }, "lots[0].reservation", "none"},
		{"publication before sourcing deadline", func(t *Tender) { t.PlannedPublication = dayp(2026, time.February, 1) },
			"planned_publication", "sourcing deadline"},
		{"response before publication", func(t *Tender) { t.ResponseDeadline = dayp(2026, time.March, 15) },
			"response_deadline", "planned publication"},
		{"sourcing without deadline", func(t *Tender) { t.SourcingDeadline = nil }, "sourcing_deadline", "required"},
		{"lots do not add up", func(t *Tender) { t.EstimatedTotalEUR = i64(350_000) }, "lots", "add up"},
		{"unknown CPV", func(t *Tender) { t.Lots[1].CPVCodes = []string{"99999999"} }, "lots[1].cpv_codes[0]", "CPV"},
		{"unknown commune", func(t *Tender) { t.Communes = []string{"00000"} }, "communes[0]", "INSEE"},
		{"duplicate lot numbers", func(t *Tender) { t.Lots[1].Number = 1 }, "lots[1].number", "repeats"},
		{"no lots", func(t *Tender) { t.Lots = nil; t.EstimatedTotalEUR = nil }, "lots", "between 1"},
		{"insertion hours without social clause", func(t *Tender) { t.Lots[0].InsertionHours = intp(500) },
			"lots[0].insertion_hours", "social_clause"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tender := validTender()
			tt.change(&tender)
			tender.Normalize()
			err := tender.Validate(tenderReference{}, reservableSocial)
			if tt.location == "" {
				if err != nil {
					t.Fatalf("want valid, got %v", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) {
				t.Fatalf("want a validation error at %s, got %v", tt.location, err)
			}
			for _, f := range de.Fields {
				if f.Location == tt.location && strings.Contains(f.Message, tt.contains) {
					return
				}
			}
			t.Fatalf("want %s mentioning %q, got %v", tt.location, tt.contains, err)
		})
	}
}

func TestTenderStatusTransitions(t *testing.T) {
	allowed := map[[2]TenderStatus]bool{
		{TenderDraft, TenderPublished}: true, {TenderDraft, TenderCancelled}: true,
		{TenderPublished, TenderClosed}: true, {TenderPublished, TenderCancelled}: true,
		{TenderClosed, TenderAwarded}: true, {TenderClosed, TenderCancelled}: true,
	}
	all := []TenderStatus{TenderDraft, TenderPublished, TenderClosed, TenderAwarded, TenderCancelled}
	for _, from := range all {
		for _, to := range all {
			if got := from.CanBecome(to); got != allowed[[2]TenderStatus{from, to}] {
				t.Errorf("%s → %s: got %v", from, to, got)
			}
		}
	}
}

func TestMatchLot(t *testing.T) {
	nantes := CommunePlace{INSEE: "44109", Department: "44", Region: "52", EPCI: "244400404", Centre: GeoPoint{Lat: 47.2186, Lon: -1.5541}}
	reze := CommunePlace{INSEE: "44143", Department: "44", Region: "52", EPCI: "244400404", Centre: GeoPoint{Lat: 47.1833, Lon: -1.55}}
	base := func() Structure {
		return Structure{ID: "s1", Name: "Ateliers", Status: StatusPublished, AnnualTurnoverEUR: i64(500_000),
			InclusionKinds: []string{"ACI"}, Location: &nantes.Centre,
			Offers: []Offer{{ID: "o1", Title: "Nettoyage", CPVCodes: []string{"90911000-6"}, CapacityEUR: i64(150_000),
				Area: Area{Scope: ScopeZones, Zones: []string{"commune:44109"}}}}}
	}
	need := LotNeed{Number: 1, CPVCodes: []string{"90910000-9"}, Places: []CommunePlace{nantes}, Reservation: ReservationNone,
		AnnualValueEUR: i64(100_000)}
	tests := []struct {
		name   string
		change func(*Structure, *LotNeed)
		want   bool
	}{
		{"matches", func(*Structure, *LotNeed) {}, true},
		{"offer above the lot code, below division", func(s *Structure, n *LotNeed) {
			s.Offers[0].CPVCodes = []string{"90900000-6"}
		}, true},
		{"division offer does not match", func(s *Structure, n *LotNeed) { s.Offers[0].CPVCodes = []string{"90000000-7"} }, false},
		{"other trade", func(s *Structure, n *LotNeed) { s.Offers[0].CPVCodes = []string{"45210000-2"} }, false},
		{"area misses one commune", func(s *Structure, n *LotNeed) { n.Places = append(n.Places, reze) }, false},
		{"department area covers both", func(s *Structure, n *LotNeed) {
			n.Places = append(n.Places, reze)
			s.Offers[0].Area = Area{Scope: ScopeZones, Zones: []string{"departement:44"}}
		}, true},
		{"capacity too small", func(s *Structure, n *LotNeed) { s.Offers[0].CapacityEUR = i64(99_999) }, false},
		{"capacity unknown", func(s *Structure, n *LotNeed) { s.Offers[0].CapacityEUR = nil }, true},
		{"turnover below minimum", func(s *Structure, n *LotNeed) { n.MinTurnoverEUR = i64(600_000) }, false},
		{"turnover unknown with a minimum", func(s *Structure, n *LotNeed) {
			n.MinTurnoverEUR, s.AnnualTurnoverEUR = i64(1), nil
		}, false},
		{"SIAE lot, ACI", func(s *Structure, n *LotNeed) { n.Reservation = ReservationSIAE }, true},
		{"EA lot, ACI", func(s *Structure, n *LotNeed) { n.Reservation = ReservationDisabled }, false},
		{"either lot, ESAT", func(s *Structure, n *LotNeed) {
			n.Reservation, s.InclusionKinds = ReservationBoth, []string{"ESAT"}
		}, true},
		{"ESS lot, expired ESUS", func(s *Structure, n *LotNeed) {
			n.Reservation, s.ESSBasis, s.ESUSExpiresOn = ReservationESS, BasisESUSAgreement, dayp(2020, time.January, 1)
		}, false},
		{"draft structure", func(s *Structure, n *LotNeed) { s.Status = StatusDraft }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, n := base(), need
			n.Places = append([]CommunePlace(nil), need.Places...)
			tt.change(&s, &n)
			m, ok := MatchLot(n, &s, day(2026, time.June, 1))
			if ok != tt.want {
				t.Fatalf("MatchLot = %v, want %v (reasons %v)", ok, tt.want, m.Reasons)
			}
			if ok && (len(m.OfferIDs) != 1 || m.Reasons[0].Code != "cpv" || !m.FirstTime) {
				t.Fatalf("match = %+v", m)
			}
		})
	}
}

func FuzzTenderValidate(f *testing.F) {
	f.Add("Titre", "90910000-9", "44109", int64(1000), int64(1500), "L2113-15")
	f.Fuzz(func(t *testing.T, title, cpv, commune string, value, turnover int64, reservation string) {
		tender := validTender()
		tender.Title, tender.CPVCodes, tender.Communes = title, []string{cpv}, []string{commune}
		tender.Lots[0].EstimatedValueEUR, tender.Lots[0].MinTurnoverEUR = &value, &turnover
		tender.Lots[0].Reservation = Reservation(reservation)
		tender.Normalize()
		_ = tender.Validate(tenderReference{}, reservableSocial) // must not panic
	})
}

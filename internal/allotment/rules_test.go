package allotment

import (
	"strconv"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

// everywhere builds n structures that perform code in the whole country, with the given turnover.
func everywhere(prefix, code string, n int, turnover int64, kinds ...string) []SupplyStructure {
	var out []SupplyStructure
	for i := range n {
		t := turnover
		out = append(out, SupplyStructure{ID: prefix + "-" + strconv.Itoa(i), TurnoverEUR: &t, FirstTime: i%2 == 0,
			InclusionKinds: kinds, Offers: []SupplyOffer{{CPVCodes: []string{code}, Area: domain.Area{Scope: domain.ScopeCountry}}}})
	}
	return out
}

func line(cpv string, value float64) Line {
	return Line{Label: "ligne " + cpv, CPV: cpv, EstimatedValueEUR: value, Communes: []string{"44109"}}
}

func alternative(t *testing.T, res Result, strategy string) Alternative {
	t.Helper()
	for _, a := range res.Alternatives {
		if a.Strategy == strategy {
			return a
		}
	}
	t.Fatalf("no %s alternative among %d", strategy, len(res.Alternatives))
	return Alternative{}
}

// allotted returns the best alternative with more than one lot.
func allotted(t *testing.T, res Result) Alternative {
	t.Helper()
	for _, a := range res.Alternatives {
		if len(a.Lots) > 1 {
			return a
		}
	}
	t.Fatal("no alternative with several lots")
	return Alternative{}
}

func suggest(t *testing.T, structures []SupplyStructure, n Need) Result {
	t.Helper()
	if n.Title == "" {
		n.Title = "besoin de test"
	}
	if n.BuyerKind == "" {
		n.BuyerKind = BuyerLocal
	}
	if n.DurationMonths == 0 {
		n.DurationMonths = 12
	}
	res, err := loadFixtures(t).engineOver(structures).Suggest(n)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestSmallLotCeiling(t *testing.T) {
	supply := append(everywhere("vert", "77310000-6", 3, 1e6), everywhere("net", "90919200-4", 3, 1e7)...)
	works := append(everywhere("peint", "45442100-8", 3, 1e7), everywhere("reno", "45453000-7", 3, 1e8)...)
	tests := []struct {
		name      string
		structure []SupplyStructure
		small     Line
		big       Line
		want      bool
	}{
		{"services just under", supply, line("77310000-6", 79_999.99), line("90919200-4", 420_000), true},
		{"services at the ceiling", supply, line("77310000-6", 80_000), line("90919200-4", 420_000), false},
		{"works just under", works, line("45442100-8", 999_999.99), line("45453000-7", 5_000_000), true},
		{"works at the ceiling", works, line("45442100-8", 1_000_000), line("45453000-7", 5_000_000), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := suggest(t, tt.structure, Need{ReferenceDate: date("2026-06-01"), Lines: []Line{tt.small, tt.big}})
			if !res.Formalised {
				t.Fatalf("need of %v € should be formalised", res.TotalValueEUR)
			}
			lot := allotted(t, res).Lots[0]
			if lot.SmallLot != tt.want {
				t.Errorf("lot of %v €: small lot %v, want %v (%q)", lot.ValueEUR, lot.SmallLot, tt.want, lot.Explanations)
			}
		})
	}
}

func TestSmallLotsBudgetIsTwentyPercent(t *testing.T) {
	supply := append(everywhere("vert", "77310000-6", 3, 1e6), everywhere("elag", "77340000-5", 3, 1e6)...)
	supply = append(supply, everywhere("net", "90919200-4", 3, 1e7)...)
	tests := []struct {
		big  float64
		want int
	}{
		{400_000, 2},    // 100,000 of 500,000: exactly 20 %
		{399_999.99, 1}, // 100,000 of 499,999.99: just above 20 %
		{600_000, 2},
	}
	for _, tt := range tests {
		t.Run(strconv.FormatFloat(tt.big, 'f', 2, 64), func(t *testing.T) {
			res := suggest(t, supply, Need{ReferenceDate: date("2026-06-01"), Lines: []Line{
				line("77310000-6", 50_000), line("77340000-5", 50_000), line("90919200-4", tt.big)}})
			alt := alternative(t, res, StrategyCPVClass)
			if alt.Metrics.SmallLots != tt.want {
				t.Errorf("%d small lots (share %v), want %d", alt.Metrics.SmallLots, alt.Metrics.SmallLotsShare, tt.want)
			}
			if tt.want == 2 && !strings.Contains(strings.Join(alt.Lots[0].Explanations, " "), "R2123-1 2°") {
				t.Errorf("small lot does not cite R2123-1 2°: %q", alt.Lots[0].Explanations)
			}
		})
	}
}

// TestSmallLotsFavourESSAccess checks the knapsack: with room for one of two small lots, the one more ESS
// structures can reach is chosen even though it is the larger.
func TestSmallLotsFavourESSAccess(t *testing.T) {
	supply := append(everywhere("vert", "77310000-6", 1, 1e6), everywhere("elag", "77340000-5", 6, 1e6)...)
	supply = append(supply, everywhere("net", "90919200-4", 3, 1e7)...)
	res := suggest(t, supply, Need{ReferenceDate: date("2026-06-01"), Lines: []Line{
		line("77310000-6", 40_000), line("77340000-5", 70_000), line("90919200-4", 310_000)}})
	alt := alternative(t, res, StrategyCPVClass)
	if alt.Lots[0].SmallLot || !alt.Lots[1].SmallLot {
		t.Errorf("small lots %v, %v; want only the lot with 6 eligible structures", alt.Lots[0].SmallLot, alt.Lots[1].SmallLot)
	}
}

func TestTurnoverCapByDate(t *testing.T) {
	tests := []struct {
		on       string
		turnover int64
		passes   int
		ratio    string
	}{
		{"2026-06-01", 150_000, 1, "1,5 ×"},
		{"2026-06-01", 149_999, 0, "1,5 ×"},
		{"2026-01-01", 150_000, 1, "1,5 ×"},
		{"2025-12-31", 150_000, 0, "2 ×"},
		{"2025-12-31", 200_000, 1, "2 ×"},
	}
	for _, tt := range tests {
		t.Run(tt.on+"/"+strconv.FormatInt(tt.turnover, 10), func(t *testing.T) {
			res := suggest(t, everywhere("s", "90919200-4", 1, tt.turnover),
				Need{ReferenceDate: date(tt.on), Lines: []Line{line("90919200-4", 100_000)}})
			lot := res.Alternatives[0].Lots[0]
			if lot.ESSSupply.PassingMaxTurnover != tt.passes {
				t.Errorf("%d structures pass a cap of %v €, want %d", lot.ESSSupply.PassingMaxTurnover, lot.MaxMinTurnoverEUR, tt.passes)
			}
			if !strings.Contains(strings.Join(lot.Explanations, " "), "au plus "+tt.ratio+" la valeur du lot") {
				t.Errorf("explanations do not state %s: %q", tt.ratio, lot.Explanations)
			}
		})
	}
}

func TestFormalisedThresholdByDateAndBuyer(t *testing.T) {
	tests := []struct {
		on    string
		kind  BuyerKind
		value float64
		want  bool
	}{
		{"2025-12-31", BuyerLocal, 220_000, false},
		{"2026-01-01", BuyerLocal, 220_000, true},
		{"2026-01-01", BuyerLocal, 215_999.99, false},
		{"2026-01-01", BuyerLocal, 216_000, true},
		{"2026-01-01", BuyerState, 140_000, true},
		{"2025-12-31", BuyerState, 140_000, false},
		{"2026-01-01", BuyerUtility, 431_999, false},
		{"2026-01-01", BuyerUtility, 432_000, true},
	}
	for _, tt := range tests {
		t.Run(tt.on+"/"+string(tt.kind), func(t *testing.T) {
			res := suggest(t, nil, Need{BuyerKind: tt.kind, ReferenceDate: date(tt.on),
				Lines: []Line{line("90919200-4", tt.value)}})
			if res.Formalised != tt.want {
				t.Errorf("formalised = %v (threshold %v), want %v", res.Formalised, res.EUThresholdEUR, tt.want)
			}
		})
	}
}

func TestNoPublicityThresholdByDate(t *testing.T) {
	for _, tt := range []struct {
		on   string
		want bool
	}{{"2026-03-31", false}, {"2026-04-01", true}} {
		res := suggest(t, nil, Need{ReferenceDate: date(tt.on), Lines: []Line{line("90919200-4", 50_000)}})
		got := strings.Contains(strings.Join(res.Alternatives[0].Explanations, " "), "R2122-8")
		if got != tt.want {
			t.Errorf("%s: 50,000 € without publicity = %v, want %v", tt.on, got, tt.want)
		}
	}
}

func TestReservationAdvice(t *testing.T) {
	social := "85312000-9"
	tests := []struct {
		name     string
		supply   []SupplyStructure
		cpv      string
		months   int
		buyer    BuyerKind
		wantKind string
	}{
		{"L2113-15 within 36 months", everywhere("ess", social, 11, 1e6), social, 36, BuyerLocal, AdviceReserve15},
		{"L2113-15 not beyond 36 months", everywhere("ess", social, 11, 1e6), social, 37, BuyerLocal, AdviceNone},
		{"L2113-15 not for utilities", everywhere("ess", social, 11, 1e6), social, 36, BuyerUtility, AdviceNone},
		{"L2113-15 needs more than 10", everywhere("ess", social, 10, 1e6), social, 36, BuyerLocal, AdviceNone},
		{"EA/ESAT", everywhere("esat", "90919200-4", 11, 1e6, "ESAT"), "90919200-4", 48, BuyerLocal, AdviceReserve12},
		{"SIAE", everywhere("aci", "90919200-4", 11, 1e6, "ACI"), "90919200-4", 48, BuyerLocal, AdviceReserve13},
		{"both", append(everywhere("aci", "90919200-4", 6, 1e6, "ACI"), everywhere("ea", "90919200-4", 5, 1e6, "EA")...),
			"90919200-4", 48, BuyerLocal, AdviceReserve14},
		{"ten inclusive: social clause", everywhere("aci", "90919200-4", 10, 1e6, "ACI"), "90919200-4", 48, BuyerLocal, AdviceSocialClause},
		{"nobody eligible", nil, "90919200-4", 48, BuyerLocal, AdviceNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := suggest(t, tt.supply, Need{BuyerKind: tt.buyer, DurationMonths: tt.months,
				ReferenceDate: date("2026-06-01"), Lines: []Line{line(tt.cpv, 100_000)}})
			got := res.Alternatives[0].Lots[0].ReservationAdvice
			if got.Kind != tt.wantKind {
				t.Errorf("advice %s (%s), want %s", got.Kind, got.Reason, tt.wantKind)
			}
		})
	}
}

func TestGroupementCoversWhatNoneCanAlone(t *testing.T) {
	t1, t2 := int64(60_000), int64(50_000)
	supply := []SupplyStructure{
		{ID: "peintre", TurnoverEUR: &t1, FirstTime: true, Offers: []SupplyOffer{{CPVCodes: []string{"45442100-8"},
			Area: domain.Area{Scope: domain.ScopeCountry}}}},
		{ID: "menuisier", TurnoverEUR: &t2, Offers: []SupplyOffer{{CPVCodes: []string{"45421000-4"},
			Area: domain.Area{Scope: domain.ScopeCountry}}}},
	}
	res := suggest(t, supply, Need{ReferenceDate: date("2026-06-01"),
		Lines: []Line{line("45442100-8", 40_000), line("45421000-4", 30_000)}})
	lot := alternative(t, res, StrategySingle).Lots[0]
	if lot.ESSSupply.Structures != 0 || len(lot.GroupementPotential) != 1 {
		t.Fatalf("supply %+v, groupements %+v", lot.ESSSupply, lot.GroupementPotential)
	}
	g := lot.GroupementPotential[0]
	// 1.5 × 70,000 = 105,000 ≤ 110,000: the summed turnovers pass (R2142-25).
	if !g.PassesMaxTurnover || g.CombinedTurnoverEUR != 110_000 || g.Mandataire == "" || g.FirstTime != 1 {
		t.Errorf("groupement %+v", g)
	}
}

func TestSingleContractGivesL2113_11Grounds(t *testing.T) {
	res := suggest(t, everywhere("net", "90919200-4", 3, 1e7), Need{BuyerKind: BuyerUtility,
		ReferenceDate: date("2026-06-01"), Lines: []Line{line("90919200-4", 300_000)}})
	best := res.Alternatives[0]
	text := strings.Join(best.Explanations, "\n")
	if best.Strategy != StrategySingle || !strings.Contains(text, "(L2113-11)") || !strings.Contains(text, "1° ") ||
		!strings.Contains(text, "3° (entité adjudicatrice)") {
		t.Errorf("best %s, explanations:\n%s", best.Strategy, text)
	}
}

package domain

import (
	"testing"
	"time"
)

func TestLegalFigureAroundEachChange(t *testing.T) {
	tests := []struct {
		id   string
		on   string
		want float64
	}{
		{RuleTurnoverCapRatio, "2025-06-01", 2},
		{RuleTurnoverCapRatio, "2025-12-31", 2},
		{RuleTurnoverCapRatio, "2026-01-01", 1.5},
		{RuleTurnoverCapRatio, "2026-11-26", 1.5},
		{RuleNoPublicitySuppliesServices, "2026-03-31", 40_000},
		{RuleNoPublicitySuppliesServices, "2026-04-01", 60_000},
		{RuleNoPublicityWorks, "2025-12-31", 100_000},
		{RuleNoPublicityWorks, "2026-01-01", 100_000},
		{RuleEUThresholdWorks, "2025-12-31", 5_538_000},
		{RuleEUThresholdWorks, "2026-01-01", 5_404_000},
		{RuleEUThresholdSuppliesState, "2025-12-31", 143_000},
		{RuleEUThresholdSuppliesState, "2026-01-01", 140_000},
		{RuleEUThresholdSuppliesLocal, "2025-12-31", 221_000},
		{RuleEUThresholdSuppliesLocal, "2026-01-01", 216_000},
		{RuleEUThresholdSuppliesUtility, "2025-12-31", 443_000},
		{RuleEUThresholdSuppliesUtility, "2026-01-01", 432_000},
		{RuleEUThresholdSocialSpecific, "2026-01-01", 750_000},
		{RuleEUThresholdSocialSpecificUtility, "2026-01-01", 1_000_000},
		{RuleSmallLotMaxSuppliesServices, "2026-06-01", 80_000},
		{RuleSmallLotMaxWorks, "2026-06-01", 1_000_000},
		{RuleSmallLotsShareMax, "2026-06-01", 0.20},
		{RuleReservedESSMaxMonths, "2026-06-01", 36},
		{RuleSPASERThreshold, "2022-12-31", 100_000_000},
		{RuleSPASERThreshold, "2023-01-01", 50_000_000},
	}
	for _, tt := range tests {
		t.Run(tt.id+"@"+tt.on, func(t *testing.T) {
			on, _ := time.Parse(time.DateOnly, tt.on)
			r, err := LegalFigure(tt.id, on)
			if err != nil {
				t.Fatal(err)
			}
			if r.Value != tt.want {
				t.Errorf("LegalFigure(%s, %s) = %v, want %v", tt.id, tt.on, r.Value, tt.want)
			}
			if r.Article == "" || r.Source == "" || r.Unit == "" {
				t.Errorf("rule %+v lacks its article, source or unit", r)
			}
		})
	}
}

func TestLegalFigureIgnoresTimeOfDayAndZone(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	// 2026-01-01 00:30 in Paris is still 2025-12-31 in UTC, but the buyer's calendar day is what counts.
	r, err := LegalFigure(RuleTurnoverCapRatio, time.Date(2026, 1, 1, 0, 30, 0, 0, paris))
	if err != nil || r.Value != 1.5 {
		t.Fatalf("got %v, %v; want 1.5", r.Value, err)
	}
}

func TestLegalFigureErrors(t *testing.T) {
	if _, err := LegalFigure("no_such_rule", time.Now()); KindOf(err) != KindNotFound {
		t.Errorf("unknown id: kind %s, want not_found", KindOf(err))
	}
	if _, err := LegalFigure(RuleEUThresholdWorks, time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)); KindOf(err) != KindInvalid {
		t.Errorf("date before the table: kind %s, want invalid", KindOf(err))
	}
	if _, err := LegalFigure(RuleEUThresholdWorks, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)); KindOf(err) != KindInvalid {
		t.Errorf("thresholds after 2027 are not known yet: kind %s, want invalid", KindOf(err))
	}
}

func TestLegalRulesNeverOverlap(t *testing.T) {
	for i, a := range LegalRules {
		if !a.Until.IsZero() && !a.Until.After(a.From) {
			t.Errorf("rule %d (%s) ends before it starts", i, a.ID)
		}
		for _, b := range LegalRules[i+1:] {
			if a.ID != b.ID {
				continue
			}
			aEndsFirst := !a.Until.IsZero() && !a.Until.After(b.From)
			bEndsFirst := !b.Until.IsZero() && !b.Until.After(a.From)
			if !aEndsFirst && !bEndsFirst {
				t.Errorf("two rows of %s are in force at once: %v and %v", a.ID, a.From, b.From)
			}
		}
	}
}

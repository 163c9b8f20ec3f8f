package allotment

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// FuzzSuggest feeds the engine needs as a client could send them: any CPV code, commune, value, duration and date.
// It must never panic; it either refuses the need with field problems or returns lots that hold every line once.
func FuzzSuggest(f *testing.F) {
	f.Add("77310000-6", "44109", 120_000.0, 48, "2026-06-01", "77340000-5", "44143", 30_000.0)
	f.Add("7731", "44999", -5.0, 0, "2031-01-01", "", "", math.NaN())
	f.Add("77310000", "44109", 1e13, 601, "", "45442100-8", "44109", 79_999.99)
	fx := loadFixtures(f)
	engine := fx.engine()
	f.Fuzz(func(t *testing.T, cpv1, commune1 string, value1 float64, months int, on, cpv2, commune2 string, value2 float64) {
		n := Need{Title: "besoin", BuyerKind: BuyerLocal, DurationMonths: months, Lines: []Line{
			{Label: "a", CPV: cpv1, EstimatedValueEUR: value1, Communes: []string{commune1}},
			{Label: "b", CPV: cpv2, EstimatedValueEUR: value2, Communes: []string{commune2, commune1}},
		}}
		n.ReferenceDate, _ = time.Parse(time.DateOnly, on)
		res, err := engine.Suggest(n)
		if err != nil {
			var de *domain.Error
			if !errors.As(err, &de) || len(de.Fields) == 0 {
				t.Fatalf("refusal without field problems: %v", err)
			}
			return
		}
		for _, a := range res.Alternatives {
			seen := map[int]int{}
			for _, l := range a.Lots {
				for _, i := range l.LineIndexes {
					seen[i]++
				}
			}
			if len(seen) != 2 || seen[0] != 1 || seen[1] != 1 {
				t.Fatalf("%s: lines %v", a.Strategy, seen)
			}
		}
	})
}

package allotment

import (
	"errors"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

func TestNeedValidate(t *testing.T) {
	f := loadFixtures(t)
	valid := func() Need {
		return Need{Title: "Nettoyage", BuyerKind: BuyerLocal, DurationMonths: 36, ReferenceDate: date("2026-06-01"),
			Lines: []Line{line("90919200-4", 10_000), line("77310000-6", 20_000)}}
	}
	many := valid()
	for len(many.Lines) <= MaxLines {
		many.Lines = append(many.Lines, line("90919200-4", 1))
	}
	tests := []struct {
		name   string
		change func(*Need)
		want   []string
	}{
		{"valid", func(*Need) {}, nil},
		{"no reference date means today", func(n *Need) { n.ReferenceDate = time.Time{} }, nil},
		{"no lines", func(n *Need) { n.Lines = nil }, []string{"lines"}},
		{"too many lines", func(n *Need) { *n = many }, []string{"lines"}},
		{"title", func(n *Need) { n.Title = " " }, []string{"title"}},
		{"buyer kind", func(n *Need) { n.BuyerKind = "city" }, []string{"buyer_kind"}},
		{"duration 0", func(n *Need) { n.DurationMonths = 0 }, []string{"duration_months"}},
		{"duration 601", func(n *Need) { n.DurationMonths = 601 }, []string{"duration_months"}},
		{"date without figures", func(n *Need) { n.ReferenceDate = date("2023-06-01") }, []string{"reference_date"}},
		{"unknown CPV", func(n *Need) { n.Lines[1].CPV = "77310000-7" }, []string{"lines[1].cpv"}},
		{"negative value", func(n *Need) { n.Lines[0].EstimatedValueEUR = -1 }, []string{"lines[0].estimated_value_eur"}},
		{"NaN value", func(n *Need) { n.Lines[0].EstimatedValueEUR = math.NaN() }, []string{"lines[0].estimated_value_eur"}},
		{"no communes", func(n *Need) { n.Lines[1].Communes = nil }, []string{"lines[1].communes"}},
		{"unknown commune", func(n *Need) { n.Lines[1].Communes = []string{"44109", "99999"} }, []string{"lines[1].communes[1]"}},
		{"empty label", func(n *Need) { n.Lines[0].Label = "" }, []string{"lines[0].label"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := valid()
			n.Lines = slices.Clone(n.Lines)
			tt.change(&n)
			err := n.Validate(f.cpvInfo(), func(c string) bool { _, ok := f.places[c]; return ok })
			var got []string
			var de *domain.Error
			if errors.As(err, &de) {
				if de.Kind != domain.KindInvalid {
					t.Errorf("kind %s, want invalid", de.Kind)
				}
				for _, fe := range de.Fields {
					got = append(got, fe.Location)
				}
			} else if err != nil {
				t.Fatalf("error %v is not a *domain.Error", err)
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("locations %v, want %v (%v)", got, tt.want, err)
			}
		})
	}
}

func TestSuggestDefaultsToToday(t *testing.T) {
	f := loadFixtures(t)
	res, err := f.engine().Suggest(Need{Title: "x", BuyerKind: BuyerLocal, DurationMonths: 12,
		Lines: []Line{line("90919200-4", 1000)}})
	if err != nil {
		t.Fatal(err)
	}
	if !res.ReferenceDate.Equal(date("2026-11-26")) {
		t.Errorf("reference date %v, want the engine's today", res.ReferenceDate)
	}
}

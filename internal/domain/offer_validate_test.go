package domain

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func validOffer() Offer {
	capacity := int64(250_000)
	return Offer{
		Title:       "Menuiserie intérieure et extérieure",
		Description: "Pose de portes et fenêtres bois par une équipe en insertion.",
		CPVCodes:    []string{"45421000-4", "45000000"},
		Kind:        OfferWorks,
		Area:        Area{Scope: ScopeZones, Zones: []string{"epci:244400404", "departement:44"}},
		CapacityEUR: &capacity,
		References:  []string{"Ville de Nantes, 2024: menuiseries de l'école Jean Zay"},
	}
}

func TestOfferValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(o *Offer)
		want   []string
	}{
		{"valid", func(o *Offer) {}, nil},
		{"no title", func(o *Offer) { o.Title = " " }, []string{"title"}},
		{"title of 200 accented letters", func(o *Offer) { o.Title = strings.Repeat("é", 200) }, nil},
		{"title of 201 letters", func(o *Offer) { o.Title = strings.Repeat("é", 201) }, []string{"title"}},
		{"description of 5000 letters", func(o *Offer) { o.Description = strings.Repeat("à", 5000) }, nil},
		{"description of 5001 letters", func(o *Offer) { o.Description = strings.Repeat("à", 5001) }, []string{"description"}},
		{"no CPV code", func(o *Offer) { o.CPVCodes = nil }, []string{"cpv_codes"}},
		{"21 CPV codes", func(o *Offer) { o.CPVCodes = slices.Repeat([]string{"45421000-4"}, 21) },
			append([]string{"cpv_codes"}, repeatedLocations("cpv_codes", 1, 21)...)},
		{"malformed CPV code", func(o *Offer) { o.CPVCodes = []string{"45421000-4", "4542"} }, []string{"cpv_codes[1]"}},
		{"unknown CPV code", func(o *Offer) { o.CPVCodes = []string{"45421000-4", "45999000"} }, []string{"cpv_codes[1]"}},
		{"wrong check digit", func(o *Offer) { o.CPVCodes = []string{"45421000-5"} }, []string{"cpv_codes[0]"}},
		{"duplicate CPV code, other form", func(o *Offer) { o.CPVCodes = []string{"45421000-4", "90910000-9", "45421000"} },
			[]string{"cpv_codes[2]"}},
		{"no kind", func(o *Offer) { o.Kind = "" }, []string{"kind"}},
		{"unknown kind", func(o *Offer) { o.Kind = "goods" }, []string{"kind"}},
		{"each kind: supply", func(o *Offer) { o.Kind = OfferSupply }, nil},
		{"each kind: service", func(o *Offer) { o.Kind = OfferService }, nil},
		{"each kind: staffing", func(o *Offer) { o.Kind = OfferStaffing }, nil},
		{"no area", func(o *Offer) { o.Area = Area{} }, []string{"area"}},
		{"area zone unknown", func(o *Offer) { o.Area.Zones[1] = "departement:85" }, []string{"area.zones[1]"}},
		{"area radius too large", func(o *Offer) { o.Area = Area{Scope: ScopeRadius, RadiusKM: 2000} },
			[]string{"area.radius_km"}},
		{"area without scope", func(o *Offer) { o.Area.Scope = "" }, []string{"area.scope"}},
		{"no capacity", func(o *Offer) { o.CapacityEUR = nil }, nil},
		{"zero capacity", func(o *Offer) { *o.CapacityEUR = 0 }, []string{"capacity_eur"}},
		{"negative capacity", func(o *Offer) { *o.CapacityEUR = -1 }, []string{"capacity_eur"}},
		{"21 references", func(o *Offer) { o.References = slices.Repeat([]string{"ref"}, 21) }, []string{"references"}},
		{"empty reference", func(o *Offer) { o.References = []string{"ref", ""} }, []string{"references[1]"}},
		{"reference of 501 letters", func(o *Offer) { o.References = []string{strings.Repeat("x", 501)} },
			[]string{"references[0]"}},
		{"several problems at once", func(o *Offer) { o.Title = ""; o.Kind = "x"; o.CPVCodes = []string{"1"} },
			[]string{"title", "cpv_codes[0]", "kind"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOffer()
			tt.change(&o)
			got := fieldLocations(t, o.Validate(fakeReference{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate locations = %v, want %v", got, tt.want)
			}
		})
	}
}

// repeatedLocations lists "name[i]" for i in [from, to).
func repeatedLocations(name string, from, to int) []string {
	var locs []string
	for i := from; i < to; i++ {
		locs = append(locs, fmt.Sprintf("%s[%d]", name, i))
	}
	return locs
}

func TestOfferNormalize(t *testing.T) {
	o := Offer{
		Title:      "  Menuiserie ",
		CPVCodes:   []string{" 45421000-4 "},
		References: []string{" a ", "", "  "},
		Area:       Area{Scope: ScopeZones, Zones: []string{" departement:2a ", "bad zone "}},
	}
	o.Normalize()
	if o.Title != "Menuiserie" || o.CPVCodes[0] != "45421000-4" || !slices.Equal(o.References, []string{"a"}) ||
		!slices.Equal(o.Area.Zones, []string{"departement:2A", "bad zone"}) {
		t.Errorf("Normalize gave %+v", o)
	}
}

package refdata

import (
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

func TestLegalCategory(t *testing.T) {
	tests := []struct {
		code   string
		label  string
		family domain.ESSFamily
	}{
		{"9220", "Association déclarée", domain.FamilyAssociation},
		{"9260", "Association de droit local (Bas-Rhin, Haut-Rhin et Moselle)", domain.FamilyAssociation},
		{"9224", "Association d'avocats à responsabilité professionnelle individuelle", ""}, // a false friend
		{"5460", "Autre SARL coopérative", domain.FamilyCooperative},
		{"8210", "Mutuelle", domain.FamilyMutual},
		{"6411", "Société d'assurance à forme mutuelle", domain.FamilyMutual},
		{"9300", "Fondation", domain.FamilyFoundation},
		{"5710", "SAS, société par actions simplifiée", ""}, // commercial: ESS only by agreement or quality
		{"5499", "Société à responsabilité limitée (sans autre indication)", ""},
		{"7344", "Métropole", ""}, // absent from the ESS list
	}
	for _, tt := range tests {
		got, ok := Default().LegalCategory(tt.code)
		if !ok || got.Label != tt.label || got.Family != tt.family {
			t.Errorf("LegalCategory(%q) = %+v, %v; want %q %q", tt.code, got, ok, tt.label, tt.family)
		}
	}
	for _, code := range []string{"", "92", "9", "92200", "1234"} {
		if got, ok := Default().LegalCategory(code); ok {
			t.Errorf("LegalCategory(%q) = %+v", code, got)
		}
	}
	if n := len(Default().legal); n != 260 {
		t.Errorf("%d legal categories, want the 260 of level III", n)
	}
}

func TestLegalCategoryFamiliesFollowTheSource(t *testing.T) {
	families := map[string]domain.ESSFamily{"association": domain.FamilyAssociation,
		"cooperative": domain.FamilyCooperative, "mutuelle": domain.FamilyMutual,
		"fondation": domain.FamilyFoundation, "none": ""}
	rows := readSource(t, "ess-familles-categories-juridiques.csv")
	if len(rows) != 81 {
		t.Errorf("source has %d rows, want 81", len(rows))
	}
	listed := map[string]bool{}
	for _, r := range rows {
		want, known := families[r[2]]
		got, ok := Default().LegalCategoryFamily(r[0])
		if !known || !ok || got != want {
			t.Errorf("LegalCategoryFamily(%s) = %q, %v; the source says %q", r[0], got, ok, r[2])
		}
		listed[r[0]] = true
	}
	for code, l := range Default().legal {
		if !listed[code] && l.Family != "" {
			t.Errorf("%s has family %q but is not in the source list", code, l.Family)
		}
	}
}

func TestNAF(t *testing.T) {
	tests := []struct{ code, want, level, label string }{
		{"88.99B", "88.99B", "sous-classe", "Action sociale sans hébergement n.c.a."},
		{"8899B", "88.99B", "sous-classe", "Action sociale sans hébergement n.c.a."},
		{"88.99b", "88.99B", "sous-classe", "Action sociale sans hébergement n.c.a."},
		{"88.99", "88.99", "classe", "Autre action sociale sans hébergement n.c.a."},
		{"8899", "88.99", "classe", "Autre action sociale sans hébergement n.c.a."},
		{"88.9", "88.9", "groupe", "Autre action sociale sans hébergement"},
		{"88", "88", "division", "Action sociale sans hébergement"},
		{"Q", "Q", "section", "Santé humaine et action sociale"},
		{"20.13A", "20.13A", "sous-classe", "Enrichissement et retraitement de matières nucléaires"},
	}
	for _, tt := range tests {
		got, ok := Default().NAF(tt.code)
		if !ok || got.Code != tt.want || got.Level != tt.level || got.Label != tt.label {
			t.Errorf("NAF(%q) = %+v, %v", tt.code, got, ok)
		}
	}
	for _, code := range []string{"", "88.99Z", "88.99BB", "01.11Y", "8.899B"} {
		if got, ok := Default().NAF(code); ok {
			t.Errorf("NAF(%q) = %+v", code, got)
		}
	}
}

func TestHeadcountBands(t *testing.T) {
	bands := Default().HeadcountBands()
	if len(bands) != 16 {
		t.Fatalf("%d headcount bands, want 16", len(bands))
	}
	want := map[string][2]int{"NN": {0, 0}, "00": {0, 0}, "01": {1, 2}, "02": {3, 5}, "03": {6, 9}, "11": {10, 19},
		"12": {20, 49}, "21": {50, 99}, "22": {100, 199}, "31": {200, 249}, "32": {250, 499}, "41": {500, 999},
		"42": {1000, 1999}, "51": {2000, 4999}, "52": {5000, 9999}, "53": {10000, -1}}
	for _, b := range bands {
		if w, ok := want[b.Code]; !ok || b.Min != w[0] || b.Max != w[1] || b.Label == "" {
			t.Errorf("band %+v, want bounds %v", b, w)
		}
	}
	bands[0].Code = "changed"
	if Default().HeadcountBands()[0].Code == "changed" {
		t.Error("HeadcountBands shares its slice")
	}
}

func TestInclusionKinds(t *testing.T) {
	tests := []struct{ code, family, article string }{
		{"EI", "siae", "L2113-13"}, {"ETTI", "siae", "L2113-13"}, {"AI", "siae", "L2113-13"},
		{"ACI", "siae", "L2113-13"}, {"EITI", "siae", "L2113-13"}, {"GEIQ", "geiq", ""},
		{"EA", "handicap", "L2113-12"}, {"EATT", "handicap", "L2113-12"}, {"esat", "handicap", "L2113-12"},
	}
	for _, tt := range tests {
		k, ok := Default().InclusionKind(tt.code)
		if !ok || k.Family != tt.family || k.ReservedArticle != tt.article || k.Label == "" {
			t.Errorf("InclusionKind(%q) = %+v, %v", tt.code, k, ok)
		}
	}
	if n := len(Default().InclusionKinds()); n != 9 {
		t.Errorf("%d inclusion kinds, want 9", n)
	}
	if k, ok := Default().InclusionKind("SEP"); ok {
		t.Errorf("InclusionKind(SEP) = %+v: prison work is not one of the three families", k)
	}
}

func TestReference(t *testing.T) {
	var ref domain.Reference = Default()
	checks := []struct {
		name string
		got  bool
		want bool
	}{
		{"CPVExists 45421000-4", ref.CPVExists("45421000-4"), true},
		{"CPVExists 45421000", ref.CPVExists("45421000"), true},
		{"CPVExists wrong check digit", ref.CPVExists("45421000-0"), false},
		{"CommuneExists 44109", ref.CommuneExists("44109"), true},
		{"CommuneExists 2A004", ref.CommuneExists("2A004"), true},
		{"CommuneExists 99999", ref.CommuneExists("99999"), false},
		{"DepartmentExists 2A", ref.DepartmentExists("2A"), true},
		{"DepartmentExists 20", ref.DepartmentExists("20"), false},
		{"RegionExists 52", ref.RegionExists("52"), true},
		{"RegionExists 99", ref.RegionExists("99"), false},
		{"EPCIExists Nantes Métropole", ref.EPCIExists(NantesMetropoleEPCI), true},
		{"EPCIExists commune SIREN", ref.EPCIExists("214401093"), false},
		{"NAFExists 88.99B", ref.NAFExists("88.99B"), true},
		{"NAFExists 8899B", ref.NAFExists("8899B"), true},
		{"NAFExists 88.99Y (NAF 2025)", ref.NAFExists("88.99Y"), false},
		{"HeadcountBandExists NN", ref.HeadcountBandExists("NN"), true},
		{"HeadcountBandExists 04", ref.HeadcountBandExists("04"), false},
		{"InclusionKindExists ESAT", ref.InclusionKindExists("ESAT"), true},
		{"InclusionKindExists SCOP", ref.InclusionKindExists("SCOP"), false},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if p, ok := ref.CommuneCentre("44109"); !ok || p.Lat < 47.2 || p.Lat > 47.25 || p.Lon < -1.6 || p.Lon > -1.5 {
		t.Errorf("CommuneCentre(44109) = %+v, %v", p, ok)
	}
	if p, ok := ref.CommuneCentre("15047"); ok { // Chavagnac: no coordinates in the sources
		t.Errorf("CommuneCentre(15047) = %+v, want none", p)
	}
	if f, ok := ref.LegalCategoryFamily("9220"); !ok || f != domain.FamilyAssociation {
		t.Errorf("LegalCategoryFamily(9220) = %q, %v", f, ok)
	}
	if f, ok := ref.LegalCategoryFamily("5710"); !ok || f != "" {
		t.Errorf("LegalCategoryFamily(5710) = %q, %v", f, ok)
	}
	if _, ok := ref.LegalCategoryFamily("1234"); ok {
		t.Error("LegalCategoryFamily(1234) exists")
	}
}

package refdata

import (
	"slices"
	"strings"
	"testing"
)

func TestAllCPVIsTheWholeVocabulary(t *testing.T) {
	all := Default().AllCPV()
	if len(all) != 9454 {
		t.Fatalf("AllCPV has %d codes, want 9454", len(all))
	}
	levels, natures := map[string]int{}, map[string]int{}
	for _, cpv := range all {
		levels[cpv.Level]++
		natures[cpv.Nature]++
		if cpv.Label == "" || cpv.LabelEN == "" || cpv.Code8 != cpv.Code[:8] {
			t.Errorf("%s: incomplete %+v", cpv.Code, cpv)
		}
		if cpv.Parent == "" {
			if cpv.Level != "division" {
				t.Errorf("%s: %s without parent", cpv.Code, cpv.Level)
			}
			continue
		}
		parent, ok := Default().CPV(cpv.Parent)
		if !ok {
			t.Errorf("%s: parent %s does not exist", cpv.Code, cpv.Parent)
		} else if !strings.HasPrefix(cpv.Code8, CPVDescendantsPrefixOf(parent.Code)) {
			t.Errorf("%s: parent %s is not a prefix", cpv.Code, cpv.Parent)
		}
	}
	wantLevels := map[string]int{"division": 45, "groupe": 272, "classe": 1002, "categorie": 2379, "sous-categorie": 5756}
	wantNatures := map[string]int{"supplies": 6543, "services": 2089, "works": 822}
	for k, v := range wantLevels {
		if levels[k] != v {
			t.Errorf("%d codes of level %s, want %d", levels[k], k, v)
		}
	}
	for k, v := range wantNatures {
		if natures[k] != v {
			t.Errorf("%d codes of nature %s, want %d", natures[k], k, v)
		}
	}
}

func TestCPV(t *testing.T) {
	tests := []struct {
		code, wantCode, wantLabel, wantLevel, wantNature string
	}{
		{"45421000-4", "45421000-4", "Travaux de menuiserie", "categorie", "works"},
		{"45421000", "45421000-4", "Travaux de menuiserie", "categorie", "works"},
		{" 45000000-7 ", "45000000-7", "Travaux de construction", "division", "works"},
		{"85312110-3", "85312110-3", "Services de crèches et garderies d'enfants", "sous-categorie", "services"},
		{"03000000-1", "03000000-1", "Produits agricoles, de l'élevage, de la pêche, de la sylviculture et produits connexes", "division", "supplies"},
		{"38343000-1", "38343000-1", "Matériel de contrôle des erreurs", "categorie", "supplies"}, // source label fixed
		{"45421000-5", "", "", "", ""}, // wrong check digit
		{"4542100", "", "", "", ""},
		{"45421000-", "", "", "", ""},
		{"99999999", "", "", "", ""},
		{"", "", "", "", ""},
	}
	for _, tt := range tests {
		got, ok := Default().CPV(tt.code)
		if ok != (tt.wantCode != "") || got.Code != tt.wantCode || got.Label != tt.wantLabel ||
			got.Level != tt.wantLevel || got.Nature != tt.wantNature {
			t.Errorf("CPV(%q) = %+v, %v; want %s %q %s %s", tt.code, got, ok, tt.wantCode, tt.wantLabel,
				tt.wantLevel, tt.wantNature)
		}
	}
}

func TestCPVSocialServices(t *testing.T) {
	var social, reservable int
	for _, cpv := range Default().AllCPV() {
		if cpv.SocialSpecific {
			social++
			if cpv.Nature != "services" {
				t.Errorf("%s is social-specific but %s", cpv.Code, cpv.Nature)
			}
		}
		if cpv.ReservableL2113_15 {
			reservable++
			if !cpv.SocialSpecific {
				t.Errorf("%s is reservable but not social-specific", cpv.Code)
			}
		}
	}
	if social != 423 || reservable != 115 {
		t.Errorf("%d social-specific and %d reservable codes, want 423 and 115", social, reservable)
	}
	tests := []struct {
		code               string
		social, reservable bool
	}{
		{"85312110-3", true, true},   // crèches
		{"75231200-6", true, false},  // detention services: Annex XIV, not Art. 77
		{"45421000-4", false, false}, // works
		{"64000000-6", true, false},  // listed in the annex, its children are not
		{"64200000-8", false, false},
	}
	for _, tt := range tests {
		cpv, _ := Default().CPV(tt.code)
		if cpv.SocialSpecific != tt.social || cpv.ReservableL2113_15 != tt.reservable {
			t.Errorf("%s: social %v reservable %v, want %v %v", tt.code, cpv.SocialSpecific,
				cpv.ReservableL2113_15, tt.social, tt.reservable)
		}
	}
}

func TestCPVParents(t *testing.T) {
	tests := []struct {
		code string
		want []string
	}{
		{"45421140-7", []string{"45421000-4", "45420000-7", "45400000-1", "45000000-7"}},
		{"45421000", []string{"45420000-7", "45400000-1", "45000000-7"}},
		{"45000000-7", nil},
		{"nonsense", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, p := range Default().CPVParents(tt.code) {
			got = append(got, p.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("CPVParents(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

func TestCPVDescendantsPrefix(t *testing.T) {
	tests := []struct{ code, want string }{
		{"45000000-7", "45"},
		{"45421000-4", "45421"},
		{"45421140-7", "4542114"},
		{"45210000", "4521"},
		{"90000000-7", "90"},
		{"03000000-1", "03"},
		{"00000000", "00"},
		{"4542100", ""},
		{"45421000-x", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Default().CPVDescendantsPrefix(tt.code); got != tt.want {
			t.Errorf("CPVDescendantsPrefix(%q) = %q, want %q", tt.code, got, tt.want)
		}
	}
}

func codesOf(cpvs []CPV) []string {
	out := make([]string, len(cpvs))
	for i, c := range cpvs {
		out[i] = c.Code
	}
	return out
}

func TestSearchCPV(t *testing.T) {
	tests := []struct {
		q        string
		limit    int
		first    string   // "" when no result is expected
		contains []string // within the results
	}{
		{"menuiserie", 10, "44220000-8", []string{"45421000-4", "45420000-7"}},
		{"Menuiserie", 10, "44220000-8", []string{"45421000-4"}},
		{"travaux de menuiserie", 5, "45421000-4", []string{"45420000-7"}},
		{"travaux menuiserie", 5, "45421000-4", []string{"45420000-7"}},
		{"travaux de menuis", 5, "45421000-4", []string{"45420000-7"}},
		{"crèche", 5, "85312110-3", nil},
		{"creche", 5, "85312110-3", nil},
		{"CRÈCHES", 5, "85312110-3", nil},
		{"garderies creche", 5, "85312110-3", nil},
		{"4542", 20, "45420000-7", []string{"45421000-4", "45421140-7"}},
		{"45421000-4", 20, "45421000-4", []string{"45421140-7"}},
		{"45000000", 20, "45000000-7", []string{"45400000-1"}},
		{"45421000", 20, "45421000-4", []string{"45421140-7"}},
		{"45421000-", 20, "45421000-4", nil},
		{"45421000-9", 20, "", nil},
		{"travaux de construction", 3, "45000000-7", nil},
		{"matériel de contrôle des erreurs", 3, "38343000-1", nil},
		{"zzzzqx", 10, "", nil},
		{"   ", 10, "", nil},
		{"-", 10, "", nil},
	}
	for _, tt := range tests {
		got := codesOf(Default().SearchCPV(tt.q, tt.limit))
		if len(got) > tt.limit {
			t.Errorf("SearchCPV(%q, %d) returned %d results", tt.q, tt.limit, len(got))
		}
		if tt.first == "" {
			if len(got) != 0 {
				t.Errorf("SearchCPV(%q) = %v, want nothing", tt.q, got)
			}
			continue
		}
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("SearchCPV(%q) = %v, want %s first", tt.q, got, tt.first)
		}
		for _, c := range tt.contains {
			if !slices.Contains(got, c) {
				t.Errorf("SearchCPV(%q) = %v, want it to hold %s", tt.q, got, c)
			}
		}
	}
}

func TestSearchCPVIsAccentAndCaseInsensitive(t *testing.T) {
	for _, pair := range [][2]string{{"crèche", "creche"}, {"Électricité", "electricite"}, {"œufs", "OEUFS"},
		{"main-d'œuvre", "main d oeuvre"}} {
		a, b := codesOf(Default().SearchCPV(pair[0], 50)), codesOf(Default().SearchCPV(pair[1], 50))
		if len(a) == 0 || !slices.Equal(a, b) {
			t.Errorf("SearchCPV(%q) = %v but SearchCPV(%q) = %v", pair[0], a, pair[1], b)
		}
	}
}

func TestSearchCPVCodePrefixIsOrderedByLevel(t *testing.T) {
	got := Default().SearchCPV("45", 0)
	if len(got) != DefaultSearchLimit || got[0].Code != "45000000-7" {
		t.Fatalf("SearchCPV(45) = %v", codesOf(got))
	}
	for i := 1; i < len(got); i++ {
		if !strings.HasPrefix(got[i].Code8, "45") ||
			len(CPVDescendantsPrefixOf(got[i].Code)) < len(CPVDescendantsPrefixOf(got[i-1].Code)) {
			t.Errorf("SearchCPV(45) out of order at %d: %v", i, codesOf(got))
		}
	}
}

func TestCPVLabelIndex(t *testing.T) {
	ix := Default().CPVLabelIndex()
	tests := []struct{ word, code string }{
		{"menuiserie", "45421000-4"},
		{"creches", "85312110-3"},
		{"oeuvre", "98513000-2"},
	}
	for _, tt := range tests {
		if !slices.Contains(ix[tt.word], tt.code) {
			t.Errorf("CPVLabelIndex()[%q] = %v, want it to hold %s", tt.word, ix[tt.word], tt.code)
		}
	}
	for w, codes := range ix {
		if w != Fold(w) || strings.Contains(w, " ") || !slices.IsSorted(codes) || len(slices.Compact(slices.Clone(codes))) != len(codes) {
			t.Fatalf("CPVLabelIndex()[%q] = %v: word not folded or codes not sorted and unique", w, codes)
		}
	}
	ix["menuiserie"] = nil
	if len(Default().CPVLabelIndex()["menuiserie"]) == 0 {
		t.Error("CPVLabelIndex shares its map between calls")
	}
}

func FuzzCPV(f *testing.F) {
	for _, s := range []string{"45421000-4", "45421000", "4542", "menuiserie", "crèche", "", "-", "45421000-"} {
		f.Add(s, 10)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, q string, limit int) {
		if got, ok := c.CPV(q); ok && !strings.HasPrefix(strings.TrimSpace(q), got.Code8) {
			t.Errorf("CPV(%q) = %s", q, got.Code)
		}
		want := limit
		if limit <= 0 {
			want = DefaultSearchLimit
		}
		if got := c.SearchCPV(q, limit); len(got) > want {
			t.Errorf("SearchCPV(%q, %d) returned %d results", q, limit, len(got))
		}
		if p := c.CPVDescendantsPrefix(q); p != "" && (len(p) < 2 || !isDigits(p)) {
			t.Errorf("CPVDescendantsPrefix(%q) = %q", q, p)
		}
		c.CPVParents(q)
	})
}

func BenchmarkSearchCPV(b *testing.B) {
	c := Default()
	c.SearchCPV("warm up", 1)
	for _, q := range []string{"menuiserie", "travaux de menuis", "s", "4542"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				c.SearchCPV(q, 20)
			}
		})
	}
}

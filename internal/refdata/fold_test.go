package refdata

import (
	"strings"
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Crèche", "creche"},
		{"CRÈCHE", "creche"},
		{"Saint-Herblain", "saint herblain"},
		{"  L'Île-Saint-Denis  ", "l ile saint denis"},
		{"main-d’œuvre", "main d oeuvre"},
		{"Lætitia ŒUVRE", "laetitia oeuvre"},
		{"Rezé", "reze"},
		{"Produits agricoles, de l'élevage", "produits agricoles de l elevage"},
		{"88.99B", "88 99b"},
		{"ﬁbre m²", "fibre m2"},
		{"a\u00a0b\tc\n", "a b c"}, // no-break space
		{"e\u0301te\u0301", "ete"}, // already decomposed
		{"Straße", "strasse"},
		{"", ""},
		{"--'’  ", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"Crèche", "L'Île-Saint-Denis", "œ", "ǅ", "İ", "\xff", "a  b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := Fold(s)
		if again := Fold(got); again != got {
			t.Errorf("Fold is not idempotent: %q → %q → %q", s, got, again)
		}
		if strings.Contains(got, "  ") || strings.TrimSpace(got) != got {
			t.Errorf("Fold(%q) = %q has stray spaces", s, got)
		}
		for _, r := range got {
			if unicode.IsUpper(r) || unicode.Is(unicode.Mn, r) {
				t.Errorf("Fold(%q) = %q keeps %q", s, got, r)
			}
		}
	})
}

func BenchmarkFold(b *testing.B) {
	for b.Loop() {
		Fold("Services de crèches et garderies d'enfants")
	}
}

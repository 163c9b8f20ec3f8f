package search

import (
	"context"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

func TestParseQueryText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  espaces   verts  ", "espaces verts"},
		{"chantier d’insertion", "chantier d'insertion"},
		{`name:cafe* OR +"x"~2 /re.*gex/ [a TO b] {c}`, "name cafe OR x 2 re gex a TO b c"},
		{"Rezé, 44400", "Rezé 44400"},
		{"\x00\xff<script>", "script"},
		{"", ""},
	}
	for _, tt := range tests {
		got, err := ParseQueryText(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseQueryText(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := ParseQueryText(strings.Repeat("é", MaxQueryText)); err != nil {
		t.Errorf("200 characters refused: %v", err)
	}
	if _, err := ParseQueryText(strings.Repeat("é", MaxQueryText+1)); err == nil {
		t.Error("201 characters accepted")
	}
}

func TestFuzziness(t *testing.T) {
	for word, want := range map[string]int{"cafe": 0, "jardi": 1, "élagage": 1, "menuiserie": 2, "ménuisier": 2} {
		if got := fuzziness(word); got != want {
			t.Errorf("fuzziness(%q) = %d, want %d", word, got, want)
		}
	}
}

func FuzzParseQueryText(f *testing.F) {
	for _, s := range []string{"cafe", "espaces verts Rezé", `a:b* +c -d "e"~2 /f/ (g) [h TO i]`, "l'école", "\xff\xfe", strings.Repeat("ab ", 80)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := ParseQueryText(s)
		if err != nil {
			if utf8.RuneCountInString(strings.ToValidUTF8(s, " ")) <= MaxQueryText {
				t.Fatalf("refused %q: %v", s, err)
			}
			return
		}
		if !utf8.ValidString(out) || utf8.RuneCountInString(out) > MaxQueryText {
			t.Fatalf("bad output %q", out)
		}
		if strings.HasPrefix(out, " ") || strings.HasSuffix(out, " ") || strings.Contains(out, "  ") {
			t.Fatalf("spaces in %q", out)
		}
		for _, r := range out {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.Is(unicode.Mn, r) && r != '\'' && r != ' ' {
				t.Fatalf("%q kept %q", out, r)
			}
		}
		if again, err := ParseQueryText(out); err != nil || again != out {
			t.Fatalf("not idempotent: %q → %q", out, again)
		}
	})
}

func FuzzSearchText(f *testing.F) {
	dir := f.TempDir() + "/index"
	ix, err := Open(dir, Options{CPV: fakeCPV, Places: fakePlaces})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = ix.Close() })
	if err := ix.Apply(context.Background(), fixtures(), nil, 1); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"cafe", "chantier d'insertion", "l' d' qu'", "' ' '", "a", "menusierie jard", "ééé"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		res, err := ix.Search(context.Background(), Query{Text: s, Facets: FacetNames})
		if err != nil {
			if domain.KindOf(err) != domain.KindInvalid {
				t.Fatalf("%q: %v", s, err)
			}
			return
		}
		if res.Total < len(res.Hits) {
			t.Fatalf("%q: total %d < hits %d", s, res.Total, len(res.Hits))
		}
	})
}

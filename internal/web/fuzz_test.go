package web

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzLocalPath checks that a return address read from a form or a link never leaves the site.
func FuzzLocalPath(f *testing.F) {
	for _, s := range []string{"/", "/recherche?q=x", "//evil.example", "/\\evil.example", "https://evil.example", "", "/a\r\nb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p := localPath(s)
		if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
			t.Fatalf("localPath(%q) = %q leaves the site", s, p)
		}
		if u, err := url.Parse(p); err == nil && u.Host != "" {
			t.Fatalf("localPath(%q) = %q has a host", s, p)
		}
	})
}

// FuzzSearchState checks that any query string gives a search the service can judge, and that the links built
// from it keep the site's path.
func FuzzSearchState(f *testing.F) {
	for _, s := range []string{"q=nettoyage&commune=44109", "cpv=45000000-7&cpv=&legal_family=x", "cursor=%00", "sort=distance&first_time=true"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		st := searchStateFrom(values)
		_ = st.query(searchPageSize)
		if link := st.URL("/recherche", "cursor", "abc"); !strings.HasPrefix(link, "/recherche?") {
			t.Fatalf("link %q", link)
		}
	})
}

func TestFrenchMessages(t *testing.T) {
	for in, want := range map[string]string{
		"is required":                                    "ce champ est obligatoire",
		"must hold 1 to 100 characters":                  "doit contenir de 1 à 100 caractères",
		"is not a valid SIRET: its check digit is wrong": "ce numéro n'existe pas (vérifiez les chiffres)",
		"commune:99999 does not exist":                   "commune:99999 n'existe pas",
		"something new":                                  "something new",
	} {
		if got := frenchMessage(in); got != want {
			t.Errorf("frenchMessage(%q) = %q, want %q", in, got, want)
		}
	}
}

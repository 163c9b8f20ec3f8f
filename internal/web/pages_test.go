package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/web"
)

// TestPublicPages checks every page a visitor reaches: status, French document, title, landmarks, key content.
func TestPublicPages(t *testing.T) {
	f := newFixture(t, 60, highLimits)
	s := f.firstStructure(t)
	b := f.browser(t)
	cases := []struct {
		path   string
		status int
		want   []string
	}{
		{"/", 200, []string{"Trouvez les structures", "structures de l'ESS publiées", "primo-accédants", `role="search"`}},
		{"/recherche", 200, []string{"structures trouvées", "Secteur d'activité (CPV)", "Famille de l'ESS", "Structure d'inclusion"}},
		{"/recherche?commune=44109&first_time=true&legal_family=association", 200, []string{`value="44109" selected`, "Primo-accédants"}},
		{"/recherche?q=nettoyage", 200, []string{"Résultats de recherche pour « nettoyage »", `name="cpv" value="90000000-7"`, "<mark>"}},
		{"/recherche?commune=99999", 422, []string{"Le formulaire contient des erreurs", "commune inconnue"}},
		{"/recherche?cursor=%00garbage", 422, []string{"plus valable"}},
		{"/structures/" + s.ID, 200, []string{s.SIRET, "Offres (", "Connectez-vous avec un compte acheteur"}},
		{"/structures/00000000-0000-0000-0000-000000000000", 404, []string{"Page introuvable"}},
		{"/structures/pas-un-id", 404, []string{"Page introuvable"}},
		{"/leviers", 200, []string{"L2113-12", "L2113-13", "L2113-14", "L2113-15", "R2123-1", "R2142-7", "R2142-20", "R2142-26"}},
		{"/indicateurs", 200, []string{"Indicateurs du schéma", "L'annuaire aujourd'hui"}},
		{"/indicateurs?from=2025-02-01&to=2024-01-01", 422, []string{"ne doit pas précéder le début"}},
		{"/accessibilite", 200, []string{"RGAA"}},
		{"/connexion", 200, []string{`autocomplete="current-password"`}},
		{"/inscription", 200, []string{"SIRET de votre structure"}},
		{"/ma-structure", 303, nil},
		{"/verifications", 303, nil},
		{"/nulle-part", 404, []string{"Page introuvable"}},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			p := b.get(tc.path)
			if p.status != tc.status {
				t.Fatalf("status %d, want %d; body: %.300s", p.status, tc.status, p.body)
			}
			mustContain(t, p, tc.want...)
			if tc.status != 303 {
				mustContain(t, p, `<html lang="fr">`, "<title>", `href="#contenu"`, `<main id="contenu"`, `role="banner"`,
					`role="contentinfo"`, `aria-label="Menu principal"`)
				if csp := p.header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
					t.Errorf("CSP %q", csp)
				}
			}
		})
	}
}

// TestLeversFiguresComeFromTheLegalTable proves the levers page states the figures of domain.LegalRules in force on
// the day, not literals: the turnover cap is 2 before 2026 and 1.5 after.
func TestLeversFiguresComeFromTheLegalTable(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	p := f.browser(t).get("/leviers")
	rule, err := domain.LegalFigure(domain.RuleTurnoverCapRatio, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := strconv.FormatFloat(rule.Value, 'f', -1, 64) + " fois"
	mustContain(t, p, "<strong>"+want+"</strong>")
	small, _ := domain.LegalFigure(domain.RuleSmallLotMaxSuppliesServices, time.Now())
	if small.Value != 80_000 {
		t.Fatalf("small lot figure changed: update this test (%v)", small.Value)
	}
	mustContain(t, p, "80\u202f000 € HT")
}

// TestStructurePageHidesRepresentativesFromVisitors checks the personal data of representatives: never shown to
// visitors nor exported, shown to signed-in buyers.
func TestStructurePageHidesRepresentativesFromVisitors(t *testing.T) {
	f := newFixture(t, 20, highLimits)
	s := f.firstStructure(t)
	admin := service.WithActor(context.Background(), service.Actor{UserID: "admin-test", Role: service.RoleAdmin})
	_, err := f.dir.UpdateStructure(admin, s.ID, nil, func(st *domain.Structure) {
		st.Representatives = []domain.Representative{{Name: "Jeanne Personne", Role: "Directrice", Email: "jeanne.personne@exemple.fr"}}
	})
	if err != nil {
		t.Fatal(err)
	}
	anon := f.browser(t)
	for _, path := range []string{"/structures/" + s.ID, "/recherche?q=" + url.QueryEscape(s.Name)} {
		p := anon.get(path)
		if strings.Contains(p.body, "Jeanne Personne") || strings.Contains(p.body, "jeanne.personne@") {
			t.Errorf("%s shows a representative to a visitor", path)
		}
	}
	if p := anon.get("/recherche.csv"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/connexion") {
		t.Errorf("anonymous CSV export: status %d location %q", p.status, p.location)
	}
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	buyer := f.browser(t)
	buyer.login("acheteur@test.fr")
	mustContain(t, buyer.get("/structures/"+s.ID), "Jeanne Personne", "jeanne.personne@exemple.fr", "votre consultation est enregistrée")
	csv := buyer.get("/recherche.csv")
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: status %d type %q", csv.status, csv.header.Get("Content-Type"))
	}
	if !strings.Contains(csv.body, s.SIRET) || strings.Contains(csv.body, "Jeanne") {
		t.Errorf("CSV must list the structures and no representative")
	}
}

// TestUserTextIsEscaped checks that structures' texts, which are user input, cannot inject markup.
func TestUserTextIsEscaped(t *testing.T) {
	f := newFixture(t, 5, highLimits)
	s := f.firstStructure(t)
	admin := service.WithActor(context.Background(), service.Actor{UserID: "admin-test", Role: service.RoleAdmin})
	_, err := f.dir.UpdateStructure(admin, s.ID, nil, func(st *domain.Structure) {
		st.Name = `Atelier <script>alert(1)</script>`
		st.Description = `"><img src=x onerror=alert(2)> & co`
	})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser(t)
	for _, path := range []string{"/structures/" + s.ID, "/recherche?q=atelier"} {
		eventually(t, 10*time.Second, "indexed", func() bool { return strings.Contains(b.get(path).body, "Atelier &lt;script&gt;") })
		p := b.get(path)
		if strings.Contains(p.body, "<script>alert") || strings.Contains(p.body, "<img src=x") {
			t.Errorf("%s: user text reached the page unescaped", path)
		}
	}
}

func TestCPVSuggestions(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	p := f.browser(t).get("/cpv/suggestions?cpv_q=nettoyage&cpv_codes=90910000-9")
	mustContain(t, p, `id="cpv-suggestions"`, `name="cpv_codes"`, "pour « nettoyage »")
	if strings.Contains(p.body, `value="90910000-9"`) {
		t.Error("a chosen code is suggested again")
	}
}

func TestMountSendsAPIPathsToTheAPI(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	api := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusTeapot) })
	h := web.Mount(api, f.srv.Config.Handler)
	for path, want := range map[string]int{"/v1/structures": 418, "/docs": 418, "/docs/": 418, "/openapi.yaml": 418,
		"/healthz": 418, "/readyz": 418, "/": 200, "/recherche": 200, "/v1x": 404} {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("%s: %d, want %d", path, rec.Code, want)
		}
	}
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/service"
)

// TestFormsRefuseForgedRequests checks the CSRF defences on every kind of form: no token, a token of another
// browser, and a cross-site request with a valid token.
func TestFormsRefuseForgedRequests(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	victim, attacker := f.browser(t), f.browser(t)
	victim.login("acheteur@test.fr")
	form := url.Values{"email": {"acheteur@test.fr"}, "password": {testPassword}}
	for name, tc := range map[string]struct {
		path    string
		token   string
		headers map[string]string
	}{
		"sign-in without token":       {path: "/connexion"},
		"sign-out without token":      {path: "/deconnexion"},
		"sign-out with another token": {path: "/deconnexion", token: attacker.token()},
		"claim decision, no token":    {path: "/verifications/demandes/x"},
		"cross-site with a token":     {path: "/deconnexion", token: victim.token(), headers: map[string]string{"Sec-Fetch-Site": "cross-site"}},
		"foreign origin with a token": {path: "/deconnexion", token: victim.token(), headers: map[string]string{"Origin": "https://evil.example"}},
	} {
		t.Run(name, func(t *testing.T) {
			v := url.Values{}
			for k, vals := range form {
				v[k] = vals
			}
			if tc.token != "" {
				v.Set("csrf", tc.token)
			}
			p := victim.postRaw(tc.path, v, tc.headers)
			if p.status != http.StatusForbidden || !strings.Contains(p.body, "Formulaire expiré") {
				t.Fatalf("status %d, want 403", p.status)
			}
		})
	}
	if p := victim.get("/ma-structure"); p.status != http.StatusForbidden {
		t.Errorf("the victim was signed out by a forged request (status %d)", p.status)
	}
	if p := victim.post("/deconnexion", url.Values{}); p.status != http.StatusSeeOther {
		t.Errorf("a genuine sign-out: status %d", p.status)
	}
	if p := victim.get("/ma-structure"); p.status != http.StatusSeeOther {
		t.Errorf("still signed in after signing out (status %d)", p.status)
	}
}

// TestStructureJourney is journey (b) without a browser: a structure signs up, a network user approves it, it
// registers its structure, adds an offer (CPV chosen through the no-JavaScript search) and finds it in search.
func TestStructureJourney(t *testing.T) {
	f := newFixture(t, 10, highLimits)
	f.provision(t, "reseau@test.fr", service.RoleNetwork, "")
	siret := luhnSIRET("89414541400")

	newcomer := f.browser(t)
	p := newcomer.post("/inscription", url.Values{"role": {"structure"}, "email": {"nouvelle@test.fr"},
		"password": {testPassword}, "password_confirm": {"something else entirely"}, "siret": {siret}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `aria-describedby="f-password-confirm-erreur"`) {
		t.Fatalf("mismatched passwords: status %d", p.status)
	}
	p = newcomer.post("/inscription", url.Values{"role": {"structure"}, "email": {"nouvelle@test.fr"},
		"password": {testPassword}, "password_confirm": {testPassword}, "siret": {siret}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("sign-up: status %d: %.500s", p.status, p.body)
	}
	p = newcomer.post("/connexion", url.Values{"email": {"nouvelle@test.fr"}, "password": {testPassword}})
	if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "attend encore la validation") {
		t.Fatalf("pending account sign-in: status %d", p.status)
	}

	network := f.browser(t)
	network.login("reseau@test.fr")
	queue := network.get("/verifications")
	mustContain(t, queue, siret, "Accepter")
	action := regexpFind(t, queue.body, `action="(/verifications/demandes/[^"]+)"`)
	if p := network.post(action, url.Values{"decision": {"approve"}}); p.status != http.StatusSeeOther {
		t.Fatalf("approve: status %d", p.status)
	}

	newcomer.login("nouvelle@test.fr")
	mustContain(t, newcomer.get("/ma-structure"), "Enregistrer ma structure")
	p = newcomer.post("/ma-structure/nouvelle", url.Values{"siret": {siret}, "name": {"Les Jardins de Chantenay"},
		"legal_category": {"9220"}, "ess_basis": {"legal_form"}, "commune": {"nantes"}, "status": {"published"},
		"inclusion_kinds": {"ACI"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create structure: status %d: %.2000s", p.status, p.body)
	}
	offerPath := strings.Split(p.location, "?")[0]
	p = newcomer.post(offerPath, url.Values{"title": {"Entretien de jardins partagés"}, "kind": {"service"},
		"cpv_q": {"espaces verts"}, "action": {"cpv"}, "area.scope": {"radius"}, "area.radius_km": {"20"}})
	mustContain(t, p, "pour « espaces verts »", `name="cpv_codes"`)
	code := regexpFind(t, p.body, `name="cpv_codes" value="([0-9-]+)"`)
	p = newcomer.post(offerPath, url.Values{"title": {"Entretien de jardins partagés"}, "kind": {"service"},
		"cpv_codes": {code}, "area.scope": {"zones"}, "area.zones": {"commune:44109", "commune:44143"}, "action": {"save"}})
	if p.status != http.StatusSeeOther {
		t.Fatalf("create offer: status %d: %.3000s", p.status, p.body)
	}
	visitor := f.browser(t)
	eventually(t, 10*time.Second, "the new offer is found", func() bool {
		return strings.Contains(visitor.get("/recherche?q=jardins+partag%C3%A9s&commune=44143").body, "Les Jardins de Chantenay")
	})
	mustContain(t, visitor.get(p.location), "Entretien de jardins partagés", "Rezé", "Atelier et chantier d")
}

// TestRateLimits checks that the site applies the API's limits and says how long to wait.
func TestRateLimits(t *testing.T) {
	limits := highLimits
	limits.Anonymous = webRate(60, 2)
	f := newFixture(t, 0, limits)
	b := f.browser(t)
	var last page
	for range 3 {
		last = b.get("/leviers")
	}
	if last.status != http.StatusTooManyRequests || last.header.Get("Retry-After") == "" {
		t.Fatalf("third request: status %d, Retry-After %q", last.status, last.header.Get("Retry-After"))
	}
	if p := b.get("/static/essor.css"); p.status != http.StatusOK {
		t.Errorf("static files are not limited: status %d", p.status)
	}
}

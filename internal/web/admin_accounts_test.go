package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

func TestAccountsPageIsForAdministrators(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	f.provision(t, "admin@test.fr", service.RoleAdmin, "")
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	f.provision(t, "reseau@test.fr", service.RoleNetwork, "")

	if p := f.browser(t).get("/admin/comptes"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/connexion?retour=") {
		t.Errorf("visitor: status %d, location %q; want the sign-in page", p.status, p.location)
	}
	for _, email := range []string{"acheteur@test.fr", "reseau@test.fr"} {
		b := f.browser(t)
		b.login(email)
		if p := b.get("/admin/comptes"); p.status != http.StatusForbidden {
			t.Errorf("%s: status %d, want 403", email, p.status)
		}
		if p := b.get("/"); strings.Contains(p.body, `href="/admin/comptes"`) {
			t.Errorf("%s sees the link to the accounts page", email)
		}
	}

	admin := f.browser(t)
	admin.login("admin@test.fr")
	p := admin.get("/admin/comptes")
	if p.status != http.StatusOK {
		t.Fatalf("administrator: status %d", p.status)
	}
	mustContain(t, p, "<h1>Comptes</h1>", `href="/admin/comptes" aria-current="page"`, "3 comptes", "acheteur@test.fr",
		"reseau@test.fr", "Votre compte", `<label for="filtre-role">`, "Suspendre<span class=\"visually-hidden\"> le compte acheteur@test.fr")
	if strings.Contains(p.body, "argon2") {
		t.Error("the page shows a password hash")
	}
	p = admin.get("/admin/comptes?role=buyer&email=ACHETEUR")
	mustContain(t, p, "1 compte<", "acheteur@test.fr", `<option value="buyer" selected>`, `value="ACHETEUR"`)
	if strings.Contains(p.body, "reseau@test.fr") {
		t.Error("the role filter let another role through")
	}
	if p := admin.get("/admin/comptes?role=root"); p.status != http.StatusUnprocessableEntity {
		t.Errorf("unknown role: status %d, want 422", p.status)
	}
}

func TestSuspendAndReactivateFromTheAccountsPage(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	f.provision(t, "admin@test.fr", service.RoleAdmin, "")
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	admin, buyer := f.browser(t), f.browser(t)
	admin.login("admin@test.fr")
	buyer.login("acheteur@test.fr")
	list := admin.get("/admin/comptes?role=buyer")
	id := regexpFind(t, list.body, `action="/admin/comptes/([^/"]+)/statut"`)
	action := "/admin/comptes/" + id + "/statut"

	// A form posted without the site's token (another site's page) is refused and changes nothing.
	if p := admin.postRaw(action, url.Values{"status": {"disabled"}, "reason": {"abus"}}, nil); p.status != http.StatusForbidden {
		t.Errorf("without CSRF token: status %d, want 403", p.status)
	}
	if p := admin.postRaw(action, url.Values{"status": {"disabled"}, "reason": {"abus"}, "csrf": {"forged-token-forged-token-forged"}}, nil); p.status != http.StatusForbidden {
		t.Errorf("forged CSRF token: status %d, want 403", p.status)
	}
	if p := buyer.get("/achats"); p.status != http.StatusOK {
		t.Fatalf("refused forms suspended the buyer: status %d", p.status)
	}

	p := admin.post(action, url.Values{"status": {"disabled"}, "reason": {"  "}})
	if p.status != http.StatusUnprocessableEntity {
		t.Fatalf("suspension without reason: status %d", p.status)
	}
	mustContain(t, p, "Le formulaire contient des erreurs", `href="#f-reason"`, `id="f-reason"`, `aria-invalid="true"`, "ce champ est obligatoire")

	p = admin.post(action, url.Values{"status": {"disabled"}, "reason": {"Compte partagé entre plusieurs agents"}})
	if p.status != http.StatusSeeOther || p.location != "/admin/comptes?ok=compte-suspendu" {
		t.Fatalf("suspension: status %d, location %q", p.status, p.location)
	}
	mustContain(t, admin.get("/admin/comptes?ok=compte-suspendu"), "Le compte est suspendu", "Désactivé",
		"Suspendu le", "Compte partagé entre plusieurs agents", "Réactiver<span")
	if p := buyer.get("/achats"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/connexion") {
		t.Errorf("the suspended buyer's session still works: status %d, location %q", p.status, p.location)
	}
	relogin := f.browser(t)
	p = relogin.post("/connexion", url.Values{"email": {"acheteur@test.fr"}, "password": {testPassword}, "retour": {"/"}})
	if p.status == http.StatusSeeOther || !strings.Contains(p.body, "Ce compte est désactivé") {
		t.Errorf("a suspended account signs in: status %d", p.status)
	}

	p = admin.post(action, url.Values{"status": {"active"}})
	if p.status != http.StatusSeeOther || p.location != "/admin/comptes?ok=compte-reactive" {
		t.Fatalf("reactivation: status %d, location %q", p.status, p.location)
	}
	relogin.login("acheteur@test.fr")
	if p := relogin.get("/achats"); p.status != http.StatusOK {
		t.Errorf("reactivated buyer: status %d", p.status)
	}
}

func TestAdministratorCannotSuspendThemselfFromThePage(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	f.provision(t, "admin@test.fr", service.RoleAdmin, "")
	admin := f.browser(t)
	admin.login("admin@test.fr")
	page, err := f.accounts.ListUsers(service.WithActor(t.Context(), service.Actor{UserID: "x", Role: service.RoleAdmin}),
		service.UserFilter{Email: "admin@test.fr"}, domain.PageRequest{Size: 1})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("find the administrator: %v", err)
	}
	p := admin.post("/admin/comptes/"+page.Items[0].ID+"/statut", url.Values{"status": {"disabled"}, "reason": {"essai"}})
	if p.status != http.StatusForbidden {
		t.Errorf("self-suspension: status %d, want 403", p.status)
	}
	if p := admin.get("/admin/comptes"); p.status != http.StatusOK {
		t.Errorf("the administrator lost access: status %d", p.status)
	}
}

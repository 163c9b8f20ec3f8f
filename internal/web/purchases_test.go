package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// matchable returns a published structure with an offer whose area covers the structure's own commune, and that
// offer's first CPV code: a lot on that code and commune matches it.
func (f *fixture) matchable(t testing.TB) (domain.Structure, string) {
	t.Helper()
	page, err := f.dir.FindStructures(context.Background(), domain.StructureFilter{}, domain.PageRequest{Size: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range page.Items {
		for _, o := range s.Offers {
			if (o.Area.Scope == domain.ScopeRadius || o.Area.Scope == domain.ScopeCountry) && len(o.CPVCodes) > 0 && s.Commune != "" && s.Contact.Email != "" {
				return s, o.CPVCodes[0]
			}
		}
	}
	t.Fatal("no structure with a radius offer")
	return domain.Structure{}, ""
}

// otherBuyer signs in a buyer of another organisation.
func (f *fixture) otherBuyer(t testing.TB) *browser {
	t.Helper()
	_, err := f.accounts.ProvisionUser(context.Background(), f.dir, service.NewUser{Email: "autre@test.fr", Password: testPassword,
		Role: service.RoleBuyer, OrganisationSIRET: luhnSIRET("21440200001"), OrganisationName: "Ville de Rezé (test)", OrganisationKind: "commune"})
	if err != nil {
		t.Fatal(err)
	}
	b := f.browser(t)
	b.login("autre@test.fr")
	return b
}

// TestTenderJourney follows a buyer from an empty list to a published tender, its matches and CSV, a structure's
// answer, and the funnel; and checks who may see what.
func TestTenderJourney(t *testing.T) {
	f := newFixture(t, 60, highLimits)
	st, cpv := f.matchable(t)
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	f.provision(t, "structure@test.fr", service.RoleStructure, st.SIRET)
	anon, buyer, member := f.browser(t), f.browser(t), f.browser(t)
	buyer.login("acheteur@test.fr")
	member.login("structure@test.fr")

	if p := anon.get("/achats"); p.status != http.StatusSeeOther || !strings.HasPrefix(p.location, "/connexion") {
		t.Fatalf("anonymous /achats: %d %q", p.status, p.location)
	}
	if p := member.get("/achats/nouveau"); p.status != http.StatusForbidden {
		t.Fatalf("structure user on the tender editor: %d", p.status)
	}
	mustContain(t, buyer.get("/achats"), "Mes achats", "Nouveau besoin d'achat", `aria-current="page">Mes achats`)
	mustContain(t, buyer.get("/achats/nouveau"), `name="lots[0].title"`, `hx-get="/cpv/suggestions"`, "Chercher les codes")

	form := url.Values{"title": {"Entretien test"}, "kind": {"sourcing"}, "lot_count": {"1"},
		"sourcing_deadline": {time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, "cpv_codes": {cpv},
		"lots[0].title": {"Lot unique"}, "lots[0].communes": {communeNameOf(st.Commune)}, "lots[0].estimated_value_eur": {"40 000"},
		"lots[0].reservation": {"none"}, "lots[0].min_turnover_eur": {"999999999"}}
	bad := buyer.post("/achats/nouveau", form)
	if bad.status != http.StatusUnprocessableEntity {
		t.Fatalf("turnover above the cap: status %d", bad.status)
	}
	mustContain(t, bad, "Le formulaire contient des erreurs", `href="#f-lots-0-min-turnover-eur"`, "Lot 1, chiffre d&#39;affaires minimal",
		`id="f-lots-0-min-turnover-eur"`, `aria-invalid="true"`, "R2142-7")
	if n := strings.Count(bad.body, "Erreur : dépasse le plafond"); n != 1 {
		t.Errorf("the lot's error is shown %d times next to fields, want once (at its field)", n)
	}
	form.Set("lots[0].min_turnover_eur", "")
	created := buyer.post("/achats/nouveau", form)
	if created.status != http.StatusSeeOther || !strings.HasPrefix(created.location, "/achats/") {
		t.Fatalf("create: %d %q %.300s", created.status, created.location, created.body)
	}
	path := strings.TrimSuffix(created.location, "?ok=achat")
	id := strings.TrimPrefix(path, "/achats/")
	mustContain(t, buyer.get(created.location), "Le besoin d&#39;achat est enregistré", "Lot 1 : Lot unique", "Brouillon", "Publier")

	// Drafts are the organisation's alone; tenders are for buyers.
	other := f.otherBuyer(t)
	for _, p := range []string{path, path + "/lots/1", path + "/lots/1/structures.csv", path + "/reponses", path + "/modifier"} {
		if got := other.get(p); got.status != http.StatusNotFound {
			t.Errorf("another organisation's buyer on %s: %d", p, got.status)
		}
		if got := member.get(p); got.status != http.StatusForbidden {
			t.Errorf("structure user on %s: %d", p, got.status)
		}
	}

	matches := buyer.get(path + "/lots/1")
	mustContain(t, matches, st.Name, "Pourquoi elle correspond", "Exporter en CSV")
	csv := buyer.get(path + "/lots/1/structures.csv")
	if csv.status != 200 || !strings.HasPrefix(csv.header.Get("Content-Type"), "text/csv") || !strings.Contains(csv.body, st.SIRET) {
		t.Fatalf("CSV: %d %q", csv.status, csv.header.Get("Content-Type"))
	}

	// Publishing is a form: refused without its token, done with it.
	if p := buyer.postRaw(path+"/statut", url.Values{"status": {"published"}}, nil); p.status != http.StatusForbidden {
		t.Fatalf("publish without a token: %d", p.status)
	}
	tender, _ := f.tenders.FindTenderByID(service.WithActor(context.Background(), service.Actor{UserID: "a", Role: service.RoleAdmin}), id)
	pub := buyer.post(path+"/statut", url.Values{"status": {"published"}, "version": {strconv.Itoa(tender.Version)}})
	if pub.status != http.StatusSeeOther {
		t.Fatalf("publish: %d %.300s", pub.status, pub.body)
	}
	mustContain(t, buyer.get(path), "Publié", "Voir les réponses")
	if _, err := f.notifier.Plan(context.Background()); err != nil {
		t.Fatal(err)
	}

	// The structure sees the notice, reads it and answers.
	list := member.get("/besoins")
	mustContain(t, list, "Entretien test - lot 1 : Lot unique")
	link := regexpFind(t, list.body, `href="(/besoins/[^"]+)"`)
	need := member.get(strings.ReplaceAll(link, "&amp;", "&"))
	mustContain(t, need, "Êtes-vous intéressé par ce lot", `name="reason"`, "Cherchez des partenaires")
	answer := strings.SplitN(link, "?", 2)[0]
	noReason := member.post(answer, url.Values{"structure_id": {st.ID}, "answer": {"not_interested"}})
	if noReason.status != http.StatusUnprocessableEntity {
		t.Fatalf("not interested without a reason: %d", noReason.status)
	}
	mustContain(t, noReason, `href="#f-reason"`, "Raison : choisissez une des valeurs proposées")
	if p := member.post(answer, url.Values{"structure_id": {st.ID}, "answer": {"interested"}, "message": {"Nous sommes prêts."}}); p.status != http.StatusSeeOther {
		t.Fatalf("answer: %d %.300s", p.status, p.body)
	}
	if p := other.get(path); p.status != http.StatusForbidden {
		t.Errorf("another organisation's buyer on a published tender: %d", p.status)
	}
	funnel := buyer.get(path + "/reponses")
	mustContain(t, funnel, "Prévenues", "Intéressées", st.Name, "Nous sommes prêts.")
	if !strings.Contains(funnel.body, st.Contact.Email) {
		t.Error("the funnel gives the interested structure's contact to its buyer")
	}
}

func communeNameOf(insee string) string {
	c, _ := refdata.Default().Commune(insee)
	return c.Name
}

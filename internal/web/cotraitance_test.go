package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/service"
)

// TestExchangeJourney: a structure posts a call, another applies, the first accepts it (contacts are exchanged
// then, not before), forms the groupement, sees its readiness and submits it. Buyers and visitors stay out.
func TestExchangeJourney(t *testing.T) {
	f := newFixture(t, 60, highLimits)
	lead, cpv := f.matchable(t)
	var partner string
	var partnerName, partnerEmail string
	for _, s := range f.firstStructures(t, 20) {
		if s.ID != lead.ID && s.Contact.Email != "" && s.Contact.Email != lead.Contact.Email {
			partner, partnerName, partnerEmail = s.SIRET, s.Name, s.Contact.Email
			break
		}
	}
	f.provision(t, "lead@test.fr", service.RoleStructure, lead.SIRET)
	f.provision(t, "partner@test.fr", service.RoleStructure, partner)
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	a, b, buyer := f.browser(t), f.browser(t), f.browser(t)
	a.login("lead@test.fr")
	b.login("partner@test.fr")
	buyer.login("acheteur@test.fr")
	if p := buyer.get("/cotraitance"); p.status != http.StatusForbidden {
		t.Fatalf("buyer on the exchange: %d", p.status)
	}
	if p := f.browser(t).get("/cotraitance"); p.status != http.StatusSeeOther {
		t.Fatalf("visitor on the exchange: %d", p.status)
	}
	mustContain(t, a.get("/cotraitance/appels/nouveau"), "La consultation à laquelle vous voulez répondre", `name="role_sought"`)

	call := url.Values{"role_sought": {"co_contractor"}, "external.reference": {"AO-2026-17"}, "external.buyer": {"Ville de Rezé"},
		"external.cpv_codes": {cpv}, "external.communes": {communeNameOf(lead.Commune)}, "cpv_codes": {cpv},
		"deadline": {time.Now().AddDate(0, 0, -3).Format(time.DateOnly)}, "message": {"Nous cherchons un partenaire <b>sérieux</b>."}}
	late := a.post("/cotraitance/appels/nouveau", call)
	if late.status != http.StatusUnprocessableEntity {
		t.Fatalf("past deadline: %d", late.status)
	}
	mustContain(t, late, `href="#f-deadline"`, "ne doit pas être déjà passée")
	call.Del("csrf")
	if p := a.postRaw("/cotraitance/appels/nouveau", call, nil); p.status != http.StatusForbidden {
		t.Fatalf("call without a token: %d", p.status)
	}
	call.Set("deadline", time.Now().AddDate(0, 0, 10).Format(time.DateOnly))
	posted := a.post("/cotraitance/appels/nouveau", call)
	if posted.status != http.StatusSeeOther {
		t.Fatalf("post a call: %d %.300s", posted.status, posted.body)
	}
	callPath := strings.TrimSuffix(posted.location, "?ok=appel")
	own := a.get(posted.location)
	mustContain(t, own, "Votre appel à partenaires est publié", "Candidatures (0)", "&lt;b&gt;sérieux&lt;/b&gt;")

	mustContain(t, b.get("/cotraitance"), lead.Name+" cherche")
	before := b.get(callPath)
	mustContain(t, before, "Envoyer ma candidature")
	if strings.Contains(before.body, lead.Contact.Email) {
		t.Error("the caller's contact is shown before acceptance")
	}
	if p := b.post(callPath+"/candidater", url.Values{"message": {"Nous intervenons aussi à Rezé."}}); p.status != http.StatusSeeOther {
		t.Fatalf("apply: %d %.300s", p.status, p.body)
	}
	mustContain(t, b.get(callPath), "En attente")

	withApp := a.get(callPath)
	mustContain(t, withApp, "Candidatures (1)", partnerName, "Nous intervenons aussi à Rezé.")
	if strings.Contains(withApp.body, partnerEmail) {
		t.Error("the applicant's contact is shown before acceptance")
	}
	appID := regexpFind(t, withApp.body, `action="/cotraitance/candidatures/([^"]+)"`)
	if p := b.post("/cotraitance/candidatures/"+appID, url.Values{"decision": {"accept"}}); p.status != http.StatusForbidden && p.status != http.StatusNotFound {
		t.Fatalf("the applicant accepting itself: %d", p.status)
	}
	if p := a.post("/cotraitance/candidatures/"+appID, url.Values{"decision": {"accept"}}); p.status != http.StatusSeeOther {
		t.Fatalf("accept: %d %.300s", p.status, p.body)
	}
	mustContain(t, a.get(callPath), partnerEmail, "Former le groupement")
	mustContain(t, b.get(callPath), "Acceptée", lead.Contact.Email)
	mustContain(t, b.get("/cotraitance"), "Votre candidature est acceptée")

	leadID := regexpFind(t, a.get(callPath).body, `name="mandataire_id" value="([^"]+)" checked`)
	formed := a.post(callPath+"/groupement", url.Values{"form": {"joint"}, "mandataire_id": {leadID}, "member_ids": {leadID}})
	if formed.status != http.StatusUnprocessableEntity {
		t.Fatalf("a groupement of one: %d", formed.status)
	}
	mustContain(t, formed, "un groupement a au moins deux membres")
	partnerID := regexpFind(t, a.get(callPath).body, `name="member_ids" value="([^"]+)" checked> `+regexpQuote(partnerName))
	formed = a.post(callPath+"/groupement", url.Values{"form": {"several"}, "mandataire_id": {leadID}, "member_ids": {leadID, partnerID}})
	if formed.status != http.StatusSeeOther {
		t.Fatalf("form the groupement: %d %.300s", formed.status, formed.body)
	}
	g := b.get(strings.TrimSuffix(formed.location, "?ok=groupement"))
	mustContain(t, g, "solidaire", "mandataire (R2142-23)", "Activités du lot et membres qui les couvrent", "en formation")
	if p := buyer.get(strings.TrimSuffix(formed.location, "?ok=groupement")); p.status != http.StatusForbidden {
		t.Errorf("buyer on a groupement: %d", p.status)
	}
	if p := a.post(strings.TrimSuffix(formed.location, "?ok=groupement")+"/deposer", url.Values{}); p.status != http.StatusSeeOther {
		t.Fatalf("submit: %d", p.status)
	}
	mustContain(t, a.get(formed.location), "composition figée (R2142-26)")
}

package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/service"
)

// TestAssistantJourney has a buyer describe a need, compare the splits and apply one to a new draft, which then
// holds the alternative's lots; structure users may not use the assistant.
func TestAssistantJourney(t *testing.T) {
	f := newFixture(t, 60, highLimits)
	st, cpv := f.matchable(t)
	f.provision(t, "acheteur@test.fr", service.RoleBuyer, "")
	f.provision(t, "structure@test.fr", service.RoleStructure, st.SIRET)
	buyer, member := f.browser(t), f.browser(t)
	buyer.login("acheteur@test.fr")
	member.login("structure@test.fr")
	if p := member.get("/allotissement"); p.status != http.StatusForbidden {
		t.Fatalf("structure user on the assistant: %d", p.status)
	}
	if p := f.browser(t).get("/allotissement"); p.status != http.StatusSeeOther {
		t.Fatalf("visitor on the assistant: %d", p.status)
	}
	mustContain(t, buyer.get("/allotissement"), `name="lines[3].cpv"`, `list="cpv-liste-0"`, `hx-get="/cpv/options?liste=cpv-liste-0"`)

	need := url.Values{"title": {"Entretien des bâtiments"}, "buyer_kind": {"local"}, "duration_months": {"36"}, "line_count": {"3"},
		"lines[0].label": {"Prestation A"}, "lines[0].cpv": {cpv}, "lines[0].estimated_value_eur": {"120000"}, "lines[0].communes": {communeNameOf(st.Commune)},
		"lines[1].label": {"Espaces verts"}, "lines[1].cpv": {"espaces verts"}, "lines[1].estimated_value_eur": {"90000"}, "lines[1].communes": {"Nantes"},
		"lines[2].label": {""}}
	words := buyer.post("/allotissement", need)
	if words.status != http.StatusUnprocessableEntity {
		t.Fatalf("words instead of a code: %d", words.status)
	}
	mustContain(t, words, `href="#f-lines-1-cpv"`, "Ligne 2, code cpv : choisissez un code", "77310000-6")
	need.Set("lines[1].cpv", "77310000-6")
	compared := buyer.post("/allotissement", need)
	if compared.status != http.StatusOK {
		t.Fatalf("compare: %d %.500s", compared.status, compared.body)
	}
	mustContain(t, compared, "Comparaison des découpages", "Lots avec au moins 3 structures", "Appliquer le découpage 1", "L2113-1")
	strategy := regexpFind(t, compared.body, `name="strategy" value="([^"]+)"`)

	if p := buyer.postRaw("/allotissement/appliquer", url.Values{"strategy": {strategy}}, nil); p.status != http.StatusForbidden {
		t.Fatalf("apply without a token: %d", p.status)
	}
	apply := url.Values{}
	for k, v := range need {
		apply[k] = v
	}
	apply.Set("strategy", strategy)
	applied := buyer.post("/allotissement/appliquer", apply)
	if applied.status != http.StatusSeeOther || !strings.HasSuffix(applied.location, "?ok=allotissement") {
		t.Fatalf("apply: %d %q %.4000s", applied.status, applied.location, applied.body)
	}
	draft := buyer.get(applied.location)
	mustContain(t, draft, "Entretien des bâtiments", "Les lots de l&#39;alternative choisie", "Prestation A", "Brouillon")

	// The draft's own lots can be split again, through the same use cases as the API.
	path := strings.TrimSuffix(applied.location, "?ok=allotissement")
	again := buyer.get(path + "/allotissement")
	mustContain(t, again, "Comparaison des découpages", "Appliquer le découpage 1 à ce brouillon")
	if p := f.otherBuyer(t).get(path + "/allotissement"); p.status != http.StatusNotFound {
		t.Errorf("another organisation's buyer on the draft's splits: %d", p.status)
	}
	if p := member.get(path + "/allotissement"); p.status != http.StatusForbidden {
		t.Errorf("structure user on the draft's splits: %d", p.status)
	}
	strategy = regexpFind(t, again.body, `name="strategy" value="([^"]+)"`)
	version := regexpFind(t, again.body, `name="version" value="([^"]+)"`)
	if p := buyer.post(path+"/allotissement", url.Values{"strategy": {strategy}, "version": {version}}); p.status != http.StatusSeeOther {
		t.Fatalf("apply to the draft: %d %.300s", p.status, p.body)
	}
	if p := buyer.post(path+"/allotissement", url.Values{"strategy": {strategy}, "version": {version}}); p.status != http.StatusConflict {
		t.Errorf("apply at a stale version: %d", p.status)
	}
}

// TestCPVOptions checks the suggestions of the assistant's CPV fields: options for words, nothing for a code, and
// a list id that cannot carry markup.
func TestCPVOptions(t *testing.T) {
	f := newFixture(t, 0, highLimits)
	b := f.browser(t)
	p := b.get("/cpv/options?liste=cpv-liste-2&lines%5B2%5D.cpv=nettoyage")
	mustContain(t, p, `<datalist id="cpv-liste-2">`, `<option value="90910000-9">`)
	if p := b.get(`/cpv/options?liste="><script>&x=90910000-9`); strings.Contains(p.body, "<script>") || strings.Contains(p.body, "<option") {
		t.Error("the list id must be cleaned and a code gets no options")
	}
}

package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/service"
)

// BenchmarkPages renders the main pages on the demo directory (300 structures, as `serve --demo`) through the
// whole handler, session and rate limits included, and reports the 95th percentile of server-side time. Signed-in
// pages carry a buyer's or a structure member's session; the assistant's comparison is a posted form.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, 300, highLimits)
	s := f.firstStructure(b)
	st, cpv := f.matchable(b)
	f.provision(b, "acheteur@test.fr", service.RoleBuyer, "")
	f.provision(b, "structure@test.fr", service.RoleStructure, st.SIRET)
	buyer, member := f.browser(b), f.browser(b)
	buyer.login("acheteur@test.fr")
	member.login("structure@test.fr")
	form := url.Values{"title": {"Entretien"}, "kind": {"sourcing"}, "lot_count": {"1"}, "cpv_codes": {cpv}, "duration_months": {"24"},
		"sourcing_deadline": {time.Now().AddDate(0, 0, 20).Format(time.DateOnly)}, "lots[0].title": {"Lot"},
		"lots[0].communes": {communeNameOf(st.Commune)}, "lots[0].estimated_value_eur": {"80000"}, "lots[0].reservation": {"none"}}
	created := buyer.post("/achats/nouveau", form)
	tender := strings.TrimSuffix(created.location, "?ok=achat")
	need := url.Values{"title": {"Entretien"}, "buyer_kind": {"local"}, "duration_months": {"36"}, "line_count": {"3"},
		"lines[0].label": {"Espaces verts"}, "lines[0].cpv": {"77310000-6"}, "lines[0].estimated_value_eur": {"180000"}, "lines[0].communes": {"Nantes, Rezé"},
		"lines[1].label": {"Nettoyage"}, "lines[1].cpv": {"90910000-9"}, "lines[1].estimated_value_eur": {"240000"}, "lines[1].communes": {"Nantes"},
		"lines[2].label": {"Repas"}, "lines[2].cpv": {"55520000-1"}, "lines[2].estimated_value_eur": {"150000"}, "lines[2].communes": {"Saint-Herblain"}}
	need.Set("csrf", buyer.token())

	h := f.srv.Config.Handler
	type request struct {
		path string
		as   *browser
		form url.Values
	}
	for name, req := range map[string]request{
		"home":            {path: "/"},
		"search":          {path: "/recherche"},
		"search_text":     {path: "/recherche?q=nettoyage+locaux&commune=44109"},
		"search_filtered": {path: "/recherche?first_time=true&legal_family=association&kind=service"},
		"structure":       {path: "/structures/" + s.ID},
		"levers":          {path: "/leviers"},
		"tenders":         {path: "/achats", as: buyer},
		"tender":          {path: tender, as: buyer},
		"tender_edit":     {path: tender + "/modifier", as: buyer},
		"lot_matches":     {path: tender + "/lots/1", as: buyer},
		"assistant":       {path: "/allotissement", as: buyer, form: need},
		"tender_splits":   {path: tender + "/allotissement", as: buyer},
		"notices":         {path: "/besoins", as: member},
		"exchange":        {path: "/cotraitance", as: member},
	} {
		b.Run(name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				rec := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodGet, req.path, nil)
				if req.form != nil {
					r = httptest.NewRequest(http.MethodPost, req.path, strings.NewReader(req.form.Encode()))
					r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				if req.as != nil {
					u, _ := url.Parse(req.as.base)
					for _, c := range req.as.client.Jar.Cookies(u) {
						r.AddCookie(c)
					}
				}
				h.ServeHTTP(rec, r)
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", req.path, rec.Code)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

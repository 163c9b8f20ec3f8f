package httpapi_test

import (
	"net/http"
	"testing"
)

const cleaningOffer = `{
  "title": "Nettoyage de locaux administratifs",
  "description": "Entretien quotidien de bureaux et d'écoles par des salariés en parcours d'insertion.",
  "cpv_codes": ["90910000-9", "90919200-4"],
  "kind": "service",
  "area": {"scope": "zones", "zones": ["commune:44109", "departement:44"]},
  "capacity_eur": 200000
}`

func TestOfferLifecycle(t *testing.T) {
	ts := newTestServer(t)
	s := ts.create(t, jardins)
	offers := "/v1/structures/" + s.ID + "/offers"

	rec := ts.post(offers, cleaningOffer)
	assertGolden(t, "offer_create", rec)
	o := decode[created](t, rec)
	if got, want := rec.Header().Get("Location"), offers+"/"+o.ID; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}

	assertGolden(t, "offer_list", ts.get(offers))
	assertGolden(t, "offer_get", ts.get(offers+"/"+o.ID))

	rec = ts.do(request{method: http.MethodPatch, path: offers + "/" + o.ID,
		body: `{"capacity_eur": null, "area": {"scope": "radius", "radius_km": 25}, "references": ["Mairie de Saint-Herblain (2025)"]}`})
	assertGolden(t, "offer_patch", rec)

	if got := ts.get("/v1/structures/" + s.ID).Header().Get("ETag"); got != `"3"` {
		t.Errorf("structure ETag after adding and changing an offer %q, want \"3\"", got)
	}

	mustStatus(t, ts.do(request{method: http.MethodDelete, path: offers + "/" + o.ID}), http.StatusNoContent)
	assertGolden(t, "error_404_offer", ts.get(offers+"/"+o.ID))
	mustStatus(t, ts.post("/v1/structures/0195f3a2-7c41-7d3e-9a55-3f1c2b8e4d10/offers", cleaningOffer), http.StatusNotFound)
}

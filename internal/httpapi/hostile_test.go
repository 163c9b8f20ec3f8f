package httpapi_test

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
)

// No input a client can send may produce a server error, on either engine.
func TestHostileInputsNeverAnswer5xx(t *testing.T) {
	ts := newTestServer(t)
	s := ts.create(t, atelierBois)
	nulCursor := base64.RawURLEncoding.EncodeToString([]byte(`{"a":"\u0000","k":"x"}`))
	tests := []request{
		{method: http.MethodGet, path: "/v1/structures?headcount_band=%00"},
		{method: http.MethodGet, path: "/v1/structures?inclusion=%00&commune=%00"},
		{method: http.MethodGet, path: "/v1/structures?%00=1"},
		{method: http.MethodGet, path: "/v1/structures?cursor=" + nulCursor},
		{method: http.MethodGet, path: "/v1/structures?turnover_min_eur=99999999999999999999"},
		{method: http.MethodGet, path: "/v1/structures/%00"},
		{method: http.MethodGet, path: "/v1/structures/by-siret/%00"},
		{method: http.MethodGet, path: "/v1/cpv?q=%00"},
		{method: http.MethodGet, path: "/v1/communes?q=%C3%28"},
		{method: http.MethodPost, path: "/v1/structures", body: strings.Replace(atelierBois, "ABIR", `AB\u0000IR`, 1)},
		{method: http.MethodPost, path: "/v1/structures", body: strings.Replace(atelierBois, `"name"`, `"n\u0000": 1, "name"`, 1)},
		{method: http.MethodPost, path: "/v1/structures", body: strings.Replace(atelierBois, "480000", "1e30", 1)},
		{method: http.MethodPost, path: "/v1/structures", body: strings.Replace(atelierBois, "2025", "99999999999999999999", 1)},
		{method: http.MethodPost, path: "/v1/structures", body: `{"siret": "91234567500017", "name": "x", "legal_category": "9220", "ess_basis": "esus_agreement", "esus_expires_on": "2027-02-30", "commune": "44143"}`},
		{method: http.MethodPost, path: "/v1/structures", body: `[]`},
		{method: http.MethodPost, path: "/v1/structures", body: `null`},
		{method: http.MethodPost, path: "/v1/structures", body: `"x"`},
		{method: http.MethodPatch, path: "/v1/structures/" + s.ID, body: `{"name": "x"}`, headers: []string{`If-Match: W/"x", *`}},
		{method: http.MethodPatch, path: "/v1/structures/" + s.ID, body: `{"location": {"lat": "x"}}`},
		{method: http.MethodPatch, path: "/v1/structures/" + s.ID + "/offers/" + s.Offers[0].ID, body: `{"area": {"scope": "radius", "radius_km": -1}}`},
		{method: http.MethodPost, path: "/v1/structures/" + s.ID + "/offers", body: `{"title": "x", "cpv_codes": ["45421000-4"], "kind": "works", "area": {"scope": "zones", "zones": ["commune:` + strings.Repeat("9", 20) + `"]}}`},
	}
	for _, req := range tests {
		rec := ts.do(req)
		if rec.Code >= 500 {
			t.Errorf("%s %s %.80s: status %d\n%s", req.method, req.path, req.body, rec.Code, ts.logs)
		}
	}
}

// FuzzCreateStructureBody feeds arbitrary bodies to the decoding and validation path of POST /v1/structures:
// whatever arrives, the answer is never a server error.
func FuzzCreateStructureBody(f *testing.F) {
	for _, seed := range []string{atelierBois, proprete, jardins, `{}`, `{"siret": 1}`, `{"offers": [{"area": {}}]}`, `[`, ``} {
		f.Add(seed)
	}
	ts := newTestServer(f)
	f.Fuzz(func(t *testing.T, body string) {
		rec := ts.do(request{method: http.MethodPost, path: "/v1/structures", body: body})
		if rec.Code >= 500 {
			t.Fatalf("status %d for body %q:\n%s", rec.Code, body, rec.Body)
		}
	})
}

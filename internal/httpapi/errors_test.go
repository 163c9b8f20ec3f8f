package httpapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/httpapi"
)

// Every error case answers application/problem+json with its status and names the fields at fault; the golden
// files hold the exact bodies.
func TestErrorResponses(t *testing.T) {
	ts := newTestServer(t)
	existing := ts.create(t, atelierBois)

	invalidValues := `{
  "siret": "91234567500018",
  "name": "Atelier Bois",
  "legal_category": "5710",
  "ess_basis": "legal_form",
  "commune": "44143",
  "offers": [{"title": "Menuiserie", "cpv_codes": ["45421000-4", "99999999-9"], "kind": "works", "area": {"scope": "country"}}]
}`
	tests := []struct {
		name   string
		req    request
		status int
	}{
		{"error_422_invalid_values", request{method: http.MethodPost, path: "/v1/structures", body: invalidValues}, 422},
		{"error_422_schema", request{method: http.MethodPost, path: "/v1/structures",
			body: `{"siret": 91234567500017, "name": "", "ess_basis": "ess", "commune": "44143",
			        "location": {"lat": 120, "lon": -1.5}, "offers": [{"title": "x", "cpv_codes": [], "kind": "works", "area": {"scope": "country"}}]}`}, 422},
		{"error_422_unknown_field", request{method: http.MethodPost, path: "/v1/structures",
			body: strings.Replace(atelierBois, `"name"`, `"nom": "Atelier", "name"`, 1)}, 422},
		{"error_422_read_only_field", request{method: http.MethodPatch, path: "/v1/structures/" + existing.ID,
			body: `{"id": "0195f3a2-7c41-7d3e-9a55-3f1c2b8e4d10", "siren": "912345675", "public_awards_count": 3, "name": "Atelier"}`}, 422},
		{"error_422_query", request{method: http.MethodGet, path: "/v1/structures?page_size=1000&first_time=maybe&cpv=4542"}, 422},
		{"error_422_unknown_filter_values", request{method: http.MethodGet, path: "/v1/structures?commune=99999&cpv=45421000-4&cpv=99999999-9"}, 422},
		{"error_422_cursor", request{method: http.MethodGet, path: "/v1/structures?cursor=not-a-cursor"}, 422},
		{"error_422_empty_patch", request{method: http.MethodPatch, path: "/v1/structures/" + existing.ID, body: `{}`}, 422},
		{"error_400_malformed_json", request{method: http.MethodPost, path: "/v1/structures", body: `{"siret": "91234567500017",}`}, 400},
		{"error_409_duplicate_siret", request{method: http.MethodPost, path: "/v1/structures", body: atelierBois}, 409},
		{"error_404_route", request{method: http.MethodGet, path: "/v1/nowhere"}, 404},
		{"error_405_method", request{method: http.MethodPut, path: "/v1/structures"}, 405},
		{"error_413_too_large", request{method: http.MethodPost, path: "/v1/structures",
			body: `{"name": "` + strings.Repeat("a", httpapi.MaxBodyBytes) + `"}`}, 413},
		{"error_415_not_json", request{method: http.MethodPost, path: "/v1/structures", body: `siret=91234567500017`,
			headers: []string{"Content-Type: application/x-www-form-urlencoded"}}, 415},
		{"error_422_missing_body", request{method: http.MethodPost, path: "/v1/structures"}, 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := ts.do(tt.req)
			if rec.Code != tt.status {
				t.Errorf("status %d, want %d", rec.Code, tt.status)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type %q, want application/problem+json", ct)
			}
			assertGolden(t, tt.name, rec)
		})
	}
}

func TestPanicBecomesAnInternalProblemLoggedOnce(t *testing.T) {
	ts := newTestServer(t, func(d *httpapi.Deps) {
		d.Ready = func(context.Context) error { panic("database driver exploded: password=secret") }
	})
	rec := ts.get("/readyz")
	assertGolden(t, "error_500_panic", rec)
	if strings.Contains(rec.Body.String(), "secret") || strings.Contains(rec.Body.String(), "exploded") {
		t.Errorf("the problem leaks the cause: %s", rec.Body)
	}
	requestID := rec.Header().Get("X-Request-Id")
	if requestID == "" {
		t.Fatal("no X-Request-Id header")
	}
	logs := ts.logs.String()
	if n := strings.Count(logs, `"msg":"request failed"`); n != 1 {
		t.Errorf("the failure is logged %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs, requestID) || !strings.Contains(logs, "database driver exploded") {
		t.Errorf("the log does not hold the request id and the cause:\n%s", logs)
	}
}

func TestNotReadyAnswers503(t *testing.T) {
	ts := newTestServer(t, func(d *httpapi.Deps) {
		d.Ready = func(context.Context) error { return errors.New("migrations pending") }
	})
	rec := ts.get("/readyz")
	assertGolden(t, "error_503_not_ready", rec)
	if rec.Header().Get("Retry-After") == "" {
		t.Error("a 503 must tell clients when to retry (Retry-After)")
	}
	if strings.Contains(rec.Body.String(), "migrations pending") {
		t.Errorf("the problem leaks the cause: %s", rec.Body)
	}
	if logs := ts.logs.String(); !strings.Contains(logs, "migrations pending") {
		t.Errorf("the cause is not logged:\n%s", logs)
	}
}

package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealthAndReadiness(t *testing.T) {
	ts := newTestServer(t)
	assertGolden(t, "healthz", ts.get("/healthz"))
	assertGolden(t, "readyz", ts.get("/readyz"))
}

func TestServesSpecAndDocs(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.get("/openapi.yaml")
	mustStatus(t, rec, http.StatusOK)
	if !strings.HasPrefix(rec.Body.String(), "openapi: 3.0.3") {
		t.Errorf("/openapi.yaml does not serve the spec: %.40s", rec.Body)
	}
	for path, want := range map[string]string{
		"/docs":                      "swagger-ui-bundle.js",
		"/docs/start.js":             "/openapi.yaml",
		"/docs/swagger-ui-bundle.js": "SwaggerUIBundle",
		"/docs/swagger-ui.css":       ".swagger-ui",
	} {
		rec := ts.get(path)
		mustStatus(t, rec, http.StatusOK)
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("%s does not contain %q", path, want)
		}
	}
	mustStatus(t, ts.get("/docs/LICENSE"), http.StatusNotFound)
	if got := ts.get("/healthz").Header().Get("X-Request-Id"); got == "" {
		t.Error("responses carry no X-Request-Id")
	}
}

func TestJSONWithCharsetIsAccepted(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.do(request{method: http.MethodPost, path: "/v1/structures", body: proprete,
		headers: []string{"Content-Type: application/json; charset=utf-8"}})
	mustStatus(t, rec, http.StatusCreated)
}

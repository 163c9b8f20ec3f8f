package httpapi_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

func withLimits(l httpapi.RateLimits) serverOption {
	return func(d *httpapi.Deps) { d.Security.Limits = l }
}

// 100 rapid anonymous requests from one IP meet the anonymous limit and get 429 with Retry-After, while a
// signed-in client under its own limit is not affected.
func TestRateLimitAnonymousIPButNotAuthenticatedClient(t *testing.T) {
	ts := newTestServer(t, withLimits(httpapi.DefaultRateLimits))
	buyer := ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "", "")
	limited := 0
	for range 100 {
		rec := ts.do(request{method: http.MethodGet, path: "/v1/structures", anonymous: true})
		if rec.Code == http.StatusTooManyRequests {
			limited++
			if s, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || s < 1 {
				t.Fatalf("429 with Retry-After %q", rec.Header().Get("Retry-After"))
			}
			if !strings.Contains(rec.Body.String(), `"code":"too_many_requests"`) {
				t.Fatalf("429 body %s", rec.Body)
			}
		} else {
			mustStatus(t, rec, http.StatusOK)
		}
	}
	if limited < 60 {
		t.Errorf("%d of 100 rapid anonymous requests were limited, want at least 60 (burst 30)", limited)
	}
	for i := range 90 { // same IP, under the per-token burst of 100
		rec := ts.do(request{method: http.MethodGet, path: "/v1/structures", headers: bearer(buyer.token)})
		if rec.Code != http.StatusOK {
			t.Fatalf("authenticated request %d: status %d", i, rec.Code)
		}
	}
	// A bad token does not escape the IP's limit.
	rec := ts.do(request{method: http.MethodGet, path: "/v1/structures", headers: bearer("essor_forged")})
	mustStatus(t, rec, http.StatusTooManyRequests)
}

// The client IP comes from X-Forwarded-For only when the peer is a trusted proxy.
func TestClientIPFromTrustedProxyOnly(t *testing.T) {
	strict := httpapi.RateLimits{Anonymous: httpapi.Rate{PerMinute: 1, Burst: 1}, Authenticated: httpapi.DefaultRateLimits.Authenticated, Login: httpapi.DefaultRateLimits.Login}
	ts := newTestServer(t, withLimits(strict))
	// httptest's peer is 192.0.2.1, not trusted: the header is ignored, both requests share one bucket.
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/healthz", anonymous: true, headers: []string{"X-Forwarded-For: 203.0.113.1"}}), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/healthz", anonymous: true, headers: []string{"X-Forwarded-For: 203.0.113.2"}}), http.StatusTooManyRequests)

	_, proxies, _ := netParseCIDR("192.0.2.0/24")
	trusting := newTestServer(t, withLimits(strict), func(d *httpapi.Deps) { d.Security.TrustedProxies = proxies })
	mustStatus(t, trusting.do(request{method: http.MethodGet, path: "/healthz", anonymous: true, headers: []string{"X-Forwarded-For: 203.0.113.1"}}), http.StatusOK)
	mustStatus(t, trusting.do(request{method: http.MethodGet, path: "/healthz", anonymous: true, headers: []string{"X-Forwarded-For: 203.0.113.2"}}), http.StatusOK)
	mustStatus(t, trusting.do(request{method: http.MethodGet, path: "/healthz", anonymous: true, headers: []string{"X-Forwarded-For: 203.0.113.2"}}), http.StatusTooManyRequests)
}

// After five wrong passwords for an e-mail, even the right one waits (429 with Retry-After); an unknown e-mail
// gets the same answer as a wrong password.
func TestLoginBruteForce(t *testing.T) {
	ts := newTestServer(t)
	u := ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "", "")
	login := func(email, password string) *httptestRecorder {
		return ts.do(request{method: http.MethodPost, path: "/v1/auth/token", anonymous: true,
			body: `{"email": "` + email + `", "password": "` + password + `"}`})
	}
	rec := login(u.email, u.password)
	mustStatus(t, rec, http.StatusCreated)
	tok := decode[struct {
		Token string `json:"token"`
	}](t, rec).Token
	if len(tok) < 43 || !strings.HasPrefix(tok, "essor_") {
		t.Errorf("token %q is not an essor_ token of 256 bits", tok)
	}
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(tok)}), http.StatusOK)

	unknown := login("personne@essor.test", "wrong password!")
	mustStatus(t, unknown, http.StatusUnauthorized)
	for i := range 5 {
		rec := login(u.email, "wrong password!")
		mustStatus(t, rec, http.StatusUnauthorized)
		if i == 0 && normalize(rec.Body.String()) != normalize(strings.Replace(unknown.Body.String(), unknown.Header().Get("X-Request-Id"), rec.Header().Get("X-Request-Id"), 1)) {
			t.Errorf("unknown e-mail and wrong password answer differently:\n%s\n%s", unknown.Body, rec.Body)
		}
	}
	rec = login(u.email, u.password)
	mustStatus(t, rec, http.StatusTooManyRequests)
	if ra, _ := strconv.Atoi(rec.Header().Get("Retry-After")); ra < 30 {
		t.Errorf("Retry-After %q after 6 failures, want about a minute", rec.Header().Get("Retry-After"))
	}
}

// Tokens stop working when they expire or are revoked (sign-out, API key revocation).
func TestTokenExpiryAndRevocation(t *testing.T) {
	ts := newTestServer(t)
	u := ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "", "")
	me := func(token string) int {
		return ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(token)}).Code
	}
	expired, err := ts.accounts.IssueToken(context.Background(), u.email, "short", 1) // 1 ns
	if err != nil {
		t.Fatal(err)
	}
	if got := me(expired.Token); got != http.StatusUnauthorized {
		t.Errorf("expired token: status %d, want 401", got)
	}

	rec := ts.do(request{method: http.MethodPost, path: "/v1/auth/api-keys", headers: bearer(u.token), body: `{"name": "ERP", "ttl_hours": 24}`})
	mustStatus(t, rec, http.StatusCreated)
	key := decode[struct{ Token, ID string }](t, rec)
	if me(key.Token) != http.StatusOK {
		t.Fatal("new API key refused")
	}
	mustStatus(t, ts.do(request{method: http.MethodDelete, path: "/v1/auth/api-keys/" + key.ID, headers: bearer(u.token)}), http.StatusNoContent)
	if got := me(key.Token); got != http.StatusUnauthorized {
		t.Errorf("revoked API key: status %d, want 401", got)
	}

	mustStatus(t, ts.do(request{method: http.MethodDelete, path: "/v1/auth/token", headers: bearer(u.token)}), http.StatusNoContent)
	rec = ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(u.token)})
	mustStatus(t, rec, http.StatusUnauthorized)
	if got := rec.Header().Get("WWW-Authenticate"); !strings.Contains(got, `error="invalid_token"`) {
		t.Errorf("WWW-Authenticate %q", got)
	}
	// The database holds the token's hash, never the token.
	var n int64
	ts.db.Raw("SELECT COUNT(*) FROM tokens WHERE hash = ? OR hash = ?", u.token, key.Token).Scan(&n)
	if n != 0 {
		t.Error("a token is stored in clear")
	}
}

// Erasing a representative leaves no copy of their data anywhere in the database: not in the structure, not in
// the audit log, not in the contact-read log.
func TestEraseRepresentativeIsComplete(t *testing.T) {
	ts := newTestServer(t)
	buyer := ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "", "")
	s := ts.create(t, atelierBois)
	path := "/v1/structures/" + s.ID
	mustStatus(t, ts.do(request{method: http.MethodPatch, path: path,
		body: `{"representatives": [{"name": "Claire Martin", "role": "Directrice", "email": "c.martin@abir.example.org"}, {"name": "Zoé Effacement", "role": "Trésorière", "email": "zoe.effacement@abir.example.org", "phone": "+33 6 12 34 56 78"}]}`}), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodGet, path: path, headers: bearer(buyer.token)}), http.StatusOK)

	mustStatus(t, ts.do(request{method: http.MethodDelete, path: path + "/representatives/1"}), http.StatusNoContent)
	mustStatus(t, ts.do(request{method: http.MethodDelete, path: path + "/representatives/5"}), http.StatusNotFound)

	rec := ts.do(request{method: http.MethodGet, path: path, headers: bearer(buyer.token)})
	if strings.Contains(rec.Body.String(), "Effacement") || !strings.Contains(rec.Body.String(), "Claire Martin") {
		t.Errorf("after erasure: %s", rec.Body)
	}
	for _, secret := range []string{"Effacement", "zoe.effacement", "12 34 56 78", "Trésorière"} {
		if where := findInDatabase(t, ts.db, secret); where != "" {
			t.Errorf("%q is still in table %s", secret, where)
		}
	}
	audit := ts.get("/v1/audit-log?entity_id=" + s.ID + "&action=erase_representative").Body.String()
	if !strings.Contains(audit, `"fields":["representatives"]`) {
		t.Errorf("erasure not audited: %s", audit)
	}
}

// findInDatabase returns the first table with a value containing s, "" if none.
func findInDatabase(t *testing.T, db *sqlstore.DB, s string) string {
	t.Helper()
	var tables []string
	if sqlstore.Dialect(db) == sqlstore.DialectPostgres {
		db.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables)
	} else {
		db.Raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(&tables)
	}
	if len(tables) < 10 {
		t.Fatalf("found only tables %v", tables)
	}
	for _, table := range tables {
		rows, err := db.Raw("SELECT * FROM " + table).Rows()
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for _, v := range vals {
				var text string
				switch v := v.(type) {
				case string:
					text = v
				case []byte:
					text = string(v)
				}
				if strings.Contains(text, s) {
					rows.Close()
					return table
				}
			}
		}
		rows.Close()
	}
	return ""
}

// Sign-up leaves the account pending until a network user approves the claim; the approved representative then
// owns the structure. A buyer's claim is for administrators only.
func TestSignUpAndClaims(t *testing.T) {
	ts := newTestServer(t)
	s := ts.create(t, atelierBois)
	network := ts.newAccount(t, "reseau@essor.test", service.RoleNetwork, "", "")

	rec := ts.do(request{method: http.MethodPost, path: "/v1/accounts", anonymous: true,
		body: `{"email": "c.martin@abir.example.org", "password": "` + testPassword + `", "role": "structure", "siret": "91234567500017"}`})
	mustStatus(t, rec, http.StatusCreated)
	claimID := decode[struct {
		Claim struct{ ID string } `json:"claim"`
	}](t, rec).Claim.ID
	login := `{"email": "c.martin@abir.example.org", "password": "` + testPassword + `"}`
	rec = ts.do(request{method: http.MethodPost, path: "/v1/auth/token", anonymous: true, body: login})
	mustStatus(t, rec, http.StatusForbidden)

	rec = ts.do(request{method: http.MethodPost, path: "/v1/accounts", anonymous: true,
		body: `{"email": "achats@ville.example.fr", "password": "` + testPassword + `", "role": "buyer", "siret": "21440109300015", "organisation_name": "Ville de Nantes", "organisation_kind": "commune", "has_spaser": true}`})
	mustStatus(t, rec, http.StatusCreated)
	buyerClaim := decode[struct {
		Claim struct{ ID string } `json:"claim"`
	}](t, rec).Claim.ID

	list := ts.do(request{method: http.MethodGet, path: "/v1/claims", headers: bearer(network.token)}).Body.String()
	if !strings.Contains(list, claimID) || strings.Contains(list, buyerClaim) {
		t.Errorf("network user's claims: %s", list)
	}
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/claims/" + buyerClaim + "/decision", headers: bearer(network.token), body: `{"decision": "approve"}`}), http.StatusForbidden)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/claims/" + claimID + "/decision", headers: bearer(network.token), body: `{"decision": "approve"}`}), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/claims/" + claimID + "/decision", headers: bearer(network.token), body: `{"decision": "reject"}`}), http.StatusConflict)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/claims/" + buyerClaim + "/decision", body: `{"decision": "approve"}`}), http.StatusOK)

	rec = ts.do(request{method: http.MethodPost, path: "/v1/auth/token", anonymous: true, body: login})
	mustStatus(t, rec, http.StatusCreated)
	tok := decode[struct{ Token string }](t, rec).Token
	me := ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(tok)}).Body.String()
	if !strings.Contains(me, s.ID) {
		t.Errorf("approved representative is not a member: %s", me)
	}
	mustStatus(t, ts.do(request{method: http.MethodPatch, path: "/v1/structures/" + s.ID, headers: bearer(tok), body: `{"description": "Par sa représentante"}`}), http.StatusOK)
}

// Every write is in the audit log with its actor and the names (not the values) of the fields it changed.
func TestAuditLogRecordsWrites(t *testing.T) {
	ts := newTestServer(t)
	s := ts.create(t, proprete)
	mustStatus(t, ts.do(request{method: http.MethodPatch, path: "/v1/structures/" + s.ID, body: `{"headcount_band": "12", "website": "https://erdre.example.org"}`}), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodDelete, path: "/v1/structures/" + s.ID + "/offers/" + s.Offers[0].ID}), http.StatusNoContent)
	body := ts.get("/v1/audit-log?entity=structure&entity_id=" + s.ID).Body.String()
	for _, want := range []string{`"action":"update"`, `"fields":["headcount_band","website"]`, `"action":"create"`, `"actor_role":"admin"`} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %s: %s", want, body)
		}
	}
	if strings.Contains(body, "erdre.example.org") {
		t.Error("the audit log holds a value")
	}
	if !strings.Contains(ts.get("/v1/audit-log?entity=offer&action=delete").Body.String(), s.Offers[0].ID) {
		t.Error("offer deletion not audited")
	}
}

// Every response carries the security headers; /docs gets a CSP that lets Swagger UI run.
func TestSecurityHeaders(t *testing.T) {
	ts := newTestServer(t)
	for _, path := range []string{"/healthz", "/docs/"} {
		rec := ts.get(path)
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := rec.Header().Get(h); got != want {
				t.Errorf("%s: %s %q, want %q", path, h, got, want)
			}
		}
		csp := rec.Header().Get("Content-Security-Policy")
		if path == "/docs/" && !strings.Contains(csp, "script-src 'self'") || path == "/healthz" && !strings.HasPrefix(csp, "default-src 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
	}
	cors := newTestServer(t, func(d *httpapi.Deps) { d.Security.CORSOrigins = []string{"https://achats.example.fr"} })
	rec := cors.do(request{method: http.MethodGet, path: "/healthz", headers: []string{"Origin: https://achats.example.fr"}})
	if rec.Header().Get("Access-Control-Allow-Origin") != "https://achats.example.fr" {
		t.Error("allowed origin not echoed")
	}
	rec = cors.do(request{method: http.MethodGet, path: "/healthz", headers: []string{"Origin: https://evil.example"}})
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Error("unknown origin allowed")
	}
}

// An anonymous write is refused before its body is even read: no validation detail leaks to strangers.
func TestAnonymousWriteIsRefusedBeforeValidation(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.do(request{method: http.MethodPost, path: "/v1/structures", body: `{}`, anonymous: true})
	mustStatus(t, rec, http.StatusUnauthorized)
	rec = ts.do(request{method: http.MethodPost, path: "/v1/structures", body: `{}`, headers: []string{"Authorization: Basic YTpi"}})
	mustStatus(t, rec, http.StatusUnauthorized)
}

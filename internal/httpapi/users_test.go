package httpapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func TestUsersAccess(t *testing.T) {
	ts := newTestServer(t)
	buyer := ts.newAccount(t, "acheteur@nantes.test", service.RoleBuyer, "21440109300007", "")
	network := ts.newAccount(t, "reseau@cress.test", service.RoleNetwork, "", "")
	suspend := `{"status":"disabled","reason":"abus"}`
	for _, c := range []struct {
		name   string
		req    request
		status int
	}{
		{"list, administrator", request{method: http.MethodGet, path: "/v1/users"}, http.StatusOK},
		{"list, buyer", request{method: http.MethodGet, path: "/v1/users", headers: bearer(buyer.token)}, http.StatusForbidden},
		{"list, network user", request{method: http.MethodGet, path: "/v1/users", headers: bearer(network.token)}, http.StatusForbidden},
		{"list, anonymous", request{method: http.MethodGet, path: "/v1/users", anonymous: true}, http.StatusUnauthorized},
		{"status, buyer", request{method: http.MethodPost, path: "/v1/users/" + network.id + "/status", body: suspend, headers: bearer(buyer.token)}, http.StatusForbidden},
		{"status, network user", request{method: http.MethodPost, path: "/v1/users/" + buyer.id + "/status", body: suspend, headers: bearer(network.token)}, http.StatusForbidden},
		{"status, anonymous", request{method: http.MethodPost, path: "/v1/users/" + buyer.id + "/status", body: suspend, anonymous: true}, http.StatusUnauthorized},
	} {
		t.Run(c.name, func(t *testing.T) {
			mustStatus(t, ts.do(c.req), c.status)
		})
	}
	// Nothing was suspended by the refused calls.
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(buyer.token)}), http.StatusOK)
}

func TestListUsers(t *testing.T) {
	ts := newTestServer(t)
	ts.newAccount(t, "acheteur@nantes.test", service.RoleBuyer, "21440109300007", "")
	ts.newAccount(t, "b.durand@nantes.test", service.RoleBuyer, "21440109300007", "")
	ts.newAccount(t, "reseau@cress.test", service.RoleNetwork, "", "")

	rec := ts.get("/v1/users?role=buyer&email=NANTES&page_size=1")
	mustStatus(t, rec, http.StatusOK)
	assertGolden(t, "users_list", rec)
	first := decode[gen.UserAccountList](t, rec)
	if first.Total != 2 || len(first.Items) != 1 || !first.NextCursor.IsSpecified() || first.NextCursor.IsNull() {
		t.Fatalf("first page: %+v", first)
	}
	cursor, _ := first.NextCursor.Get()
	next := decode[gen.UserAccountList](t, ts.get("/v1/users?role=buyer&email=NANTES&page_size=1&cursor="+cursor))
	if len(next.Items) != 1 || next.Items[0].ID == first.Items[0].ID || !next.NextCursor.IsNull() {
		t.Errorf("second page: %+v", next)
	}
	all := ts.get("/v1/users")
	for _, secret := range []string{"argon2", "password", "hash", "token"} {
		if strings.Contains(strings.ToLower(all.Body.String()), secret) {
			t.Errorf("the list of accounts mentions %q:\n%s", secret, all.Body)
		}
	}
	orgID := first.Items[0].OrganisationIds[0]
	if got := decode[gen.UserAccountList](t, ts.get("/v1/users?organisation_id="+orgID+"&status=active")); got.Total != 2 {
		t.Errorf("members of the organisation: %d, want 2", got.Total)
	}
	mustStatus(t, ts.get("/v1/users?status=suspended"), http.StatusUnprocessableEntity)
	mustStatus(t, ts.get("/v1/users?cursor=nope"), http.StatusUnprocessableEntity)
}

func TestSuspendedUserIsLockedOut(t *testing.T) {
	ts := newTestServer(t)
	buyer := ts.newAccount(t, "acheteur@nantes.test", service.RoleBuyer, "21440109300007", "")
	login := `{"email":"acheteur@nantes.test","password":"` + testPassword + `"}`
	path := "/v1/users/" + buyer.id + "/status"

	mustStatus(t, ts.post(path, `{"status":"disabled"}`), http.StatusUnprocessableEntity)
	mustStatus(t, ts.post(path, `{"status":"pending","reason":"x"}`), http.StatusUnprocessableEntity)
	mustStatus(t, ts.post("/v1/users/nope/status", `{"status":"disabled","reason":"abus"}`), http.StatusNotFound)

	rec := ts.post(path, `{"status":"disabled","reason":"Compte compromis"}`)
	mustStatus(t, rec, http.StatusOK)
	assertGolden(t, "user_suspend", rec)
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(buyer.token)}), http.StatusUnauthorized)
	rec = ts.do(request{method: http.MethodPost, path: "/v1/auth/token", body: login, anonymous: true})
	mustStatus(t, rec, http.StatusForbidden)
	if !strings.Contains(rec.Body.String(), `"account_disabled"`) {
		t.Errorf("sign-in of a suspended account: %s", rec.Body)
	}

	mustStatus(t, ts.post(path, `{"status":"active"}`), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/me", headers: bearer(buyer.token)}), http.StatusUnauthorized)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/auth/token", body: login, anonymous: true}), http.StatusCreated)

	audit := decode[gen.AuditList](t, ts.get("/v1/audit-log?entity=user&entity_id="+buyer.id))
	var actions []string
	for _, e := range audit.Items {
		actions = append(actions, e.Action)
	}
	if strings.Join(actions, ",") != "reactivate,suspend,create" {
		t.Errorf("audit of the account: %v, want reactivate, suspend, create", actions)
	}
}

func TestAdministratorCannotSuspendThemself(t *testing.T) {
	ts := newTestServer(t)
	me := decode[gen.Account](t, ts.get("/v1/me"))
	rec := ts.post("/v1/users/"+me.ID+"/status", `{"status":"disabled","reason":"essai"}`)
	mustStatus(t, rec, http.StatusForbidden)
	if !strings.Contains(rec.Body.String(), `"own_account"`) {
		t.Errorf("body %s, want code own_account", rec.Body)
	}
	mustStatus(t, ts.get("/v1/me"), http.StatusOK)
}

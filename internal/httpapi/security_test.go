package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/service"
)

// roles of the authorization matrix, in the order of its expectation columns.
var matrixRoles = []string{"anonymous", "buyer", "structure", "network", "admin"}

// matrixFixture is the world the matrix runs in: a structure the structure user owns, another they do not, a
// draft nobody but administrators and network users see, and one user per role.
type matrixFixture struct {
	ts                *testServer
	own, other, draft created
	tokens            map[string]string
	next              int
}

func newMatrixFixture(t *testing.T) *matrixFixture {
	f := &matrixFixture{ts: newTestServer(t), tokens: map[string]string{}}
	f.own = f.ts.create(t, atelierBois)
	f.other = f.ts.create(t, proprete)
	f.draft = f.ts.create(t, draftStructure)
	f.tokens["buyer"] = f.ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "21440109300015", "").token
	f.tokens["structure"] = f.ts.newAccount(t, "membre@essor.test", service.RoleStructure, "", "91234567500017").token
	f.tokens["network"] = f.ts.newAccount(t, "reseau@essor.test", service.RoleNetwork, "", "").token
	f.tokens["admin"] = f.ts.token
	return f
}

func (f *matrixFixture) as(role string, r request) request {
	if role == "anonymous" {
		r.anonymous = true
	} else {
		r.headers = append(r.headers, bearer(f.tokens[role])...)
	}
	return r
}

// newStructure registers a throwaway published structure (with one representative and one offer) as role.
func (f *matrixFixture) newStructure(t *testing.T, role string) created {
	f.next++
	body := fmt.Sprintf(`{"siret": %q, "name": "Structure jetable %d", "legal_category": "9220", "ess_basis": "legal_form",
		"commune": "44109", "representatives": [{"name": "Jeanne Jetable", "email": "jeanne@jetable.example"}],
		"offers": [{"title": "Nettoyage", "cpv_codes": ["90910000-9"], "kind": "service", "area": {"scope": "country"}}]}`,
		siretN(f.next), f.next)
	rec := f.ts.do(f.as(role, request{method: http.MethodPost, path: "/v1/structures", body: body}))
	mustStatus(t, rec, http.StatusCreated)
	return decode[created](t, rec)
}

type matrixCase struct {
	name   string
	method string
	// path returns the target for one role; it may create throwaway objects for destructive cases.
	path func(t *testing.T, f *matrixFixture) string
	body func(f *matrixFixture) string
	want [5]int // by matrixRoles
}

func fixed(p func(f *matrixFixture) string) func(*testing.T, *matrixFixture) string {
	return func(_ *testing.T, f *matrixFixture) string { return p(f) }
}

func body(s string) func(*matrixFixture) string { return func(*matrixFixture) string { return s } }

const (
	s401 = http.StatusUnauthorized
	s403 = http.StatusForbidden
	s404 = http.StatusNotFound
)

var matrix = []matrixCase{
	{"create structure", http.MethodPost, fixed(func(*matrixFixture) string { return "/v1/structures" }),
		func(f *matrixFixture) string {
			f.next++
			return fmt.Sprintf(`{"siret": %q, "name": "Nouvelle", "legal_category": "9220", "ess_basis": "legal_form", "commune": "44109"}`, siretN(f.next))
		}, [5]int{s401, s403, 201, s403, 201}},
	{"create suspended structure", http.MethodPost, fixed(func(*matrixFixture) string { return "/v1/structures" }),
		func(f *matrixFixture) string {
			f.next++
			return fmt.Sprintf(`{"siret": %q, "name": "Nouvelle", "legal_category": "9220", "ess_basis": "legal_form", "commune": "44109", "status": "suspended"}`, siretN(f.next))
		}, [5]int{s401, s403, s403, s403, 201}},
	{"read draft", http.MethodGet, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.draft.ID }), nil,
		[5]int{s404, s404, s404, 200, 200}},
	{"read draft by SIRET", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/structures/by-siret/88877766100016" }), nil,
		[5]int{s404, s404, s404, 200, 200}},
	{"list offers of draft", http.MethodGet, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.draft.ID + "/offers" }), nil,
		[5]int{s404, s404, s404, 200, 200}},
	{"patch own", http.MethodPatch, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.own.ID }), body(`{"description": "Mise à jour"}`),
		[5]int{s401, s403, 200, s403, 200}},
	{"patch other", http.MethodPatch, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.other.ID }), body(`{"description": "Mise à jour"}`),
		[5]int{s401, s403, s403, s403, 200}},
	{"patch draft", http.MethodPatch, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.draft.ID }), body(`{"description": "Mise à jour"}`),
		[5]int{s401, s404, s404, s403, 200}},
	{"change SIRET of own", http.MethodPatch, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "structure").ID
	}, func(f *matrixFixture) string { f.next++; return fmt.Sprintf(`{"siret": %q}`, siretN(f.next)) },
		[5]int{s401, s403, s403, s403, 200}},
	{"suspend own by patch", http.MethodPatch, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "structure").ID
	}, body(`{"status": "suspended"}`), [5]int{s401, s403, s403, s403, 200}},
	{"unpublish own by patch", http.MethodPatch, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "structure").ID
	}, body(`{"status": "draft"}`), [5]int{s401, s403, 200, s403, 200}},
	{"delete own", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "structure").ID
	}, nil, [5]int{s401, s403, 204, s403, 204}},
	{"delete other", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "admin").ID
	}, nil, [5]int{s401, s403, s403, s403, 204}},
	{"create offer own", http.MethodPost, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.own.ID + "/offers" }),
		body(`{"title": "Pose de cloisons", "cpv_codes": ["45421000-4"], "kind": "works", "area": {"scope": "country"}}`),
		[5]int{s401, s403, 201, s403, 201}},
	{"create offer other", http.MethodPost, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.other.ID + "/offers" }),
		body(`{"title": "Pose de cloisons", "cpv_codes": ["45421000-4"], "kind": "works", "area": {"scope": "country"}}`),
		[5]int{s401, s403, s403, s403, 201}},
	{"patch offer own", http.MethodPatch, fixed(func(f *matrixFixture) string {
		return "/v1/structures/" + f.own.ID + "/offers/" + f.own.Offers[0].ID
	}), body(`{"title": "Menuiserie"}`), [5]int{s401, s403, 200, s403, 200}},
	{"patch offer other", http.MethodPatch, fixed(func(f *matrixFixture) string {
		return "/v1/structures/" + f.other.ID + "/offers/" + f.other.Offers[0].ID
	}), body(`{"title": "Nettoyage"}`), [5]int{s401, s403, s403, s403, 200}},
	{"delete offer own", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		s := f.newStructure(t, "structure")
		return "/v1/structures/" + s.ID + "/offers/" + s.Offers[0].ID
	}, nil, [5]int{s401, s403, 204, s403, 204}},
	{"delete offer other", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		s := f.newStructure(t, "admin")
		return "/v1/structures/" + s.ID + "/offers/" + s.Offers[0].ID
	}, nil, [5]int{s401, s403, s403, s403, 204}},
	{"verify other", http.MethodPost, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.other.ID + "/verification" }),
		body(`{"action": "verify"}`), [5]int{s401, s403, s403, 200, 200}},
	{"verify own", http.MethodPost, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.own.ID + "/verification" }),
		body(`{"action": "verify"}`), [5]int{s401, s403, s403, 200, 200}},
	{"suspend draft", http.MethodPost, fixed(func(f *matrixFixture) string { return "/v1/structures/" + f.draft.ID + "/verification" }),
		body(`{"action": "unverify"}`), [5]int{s401, s404, s404, 200, 200}},
	{"erase representative own", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "structure").ID + "/representatives/0"
	}, nil, [5]int{s401, s403, 204, s403, 204}},
	{"erase representative other", http.MethodDelete, func(t *testing.T, f *matrixFixture) string {
		return "/v1/structures/" + f.newStructure(t, "admin").ID + "/representatives/0"
	}, nil, [5]int{s401, s403, s403, s403, 204}},
	{"read audit log", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/audit-log" }), nil,
		[5]int{s401, s403, s403, s403, 200}},
	{"read contact reads", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/contact-reads" }), nil,
		[5]int{s401, s403, s403, s403, 200}},
	{"list claims", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/claims" }), nil,
		[5]int{s401, s403, s403, 200, 200}},
	{"list API keys", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/auth/api-keys" }), nil,
		[5]int{s401, 200, 200, 200, 200}},
	{"create API key", http.MethodPost, fixed(func(*matrixFixture) string { return "/v1/auth/api-keys" }), body(`{"name": "ERP"}`),
		[5]int{s401, 201, 201, 201, 201}},
	{"read me", http.MethodGet, fixed(func(*matrixFixture) string { return "/v1/me" }), nil,
		[5]int{s401, 200, 200, 200, 200}},
}

// TestAuthorizationMatrix checks every write endpoint and every read of non-public data for each role against
// its own and others' objects: 401 for anonymous callers, 404 for what they may not see, 403 for what they see
// but may not change.
func TestAuthorizationMatrix(t *testing.T) {
	f := newMatrixFixture(t)
	for _, c := range matrix {
		for i, role := range matrixRoles {
			r := request{method: c.method, path: c.path(t, f)}
			if c.body != nil {
				r.body = c.body(f)
			}
			rec := f.ts.do(f.as(role, r))
			if rec.Code != c.want[i] {
				t.Errorf("%s as %s: %s %s → %d, want %d\n%s", c.name, role, r.method, r.path, rec.Code, c.want[i], rec.Body)
			}
			if rec.Code == s401 && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s as %s: 401 without a Bearer WWW-Authenticate challenge", c.name, role)
			}
		}
	}
}

// Representatives are personal data: only buyers, administrators and the structure's members read them, and
// every such read is in the contact-read log.
func TestRepresentativesOnlyForBuyersAndLogged(t *testing.T) {
	f := newMatrixFixture(t)
	path := "/v1/structures/" + f.own.ID
	wantReps := map[string]bool{"anonymous": false, "buyer": true, "structure": true, "network": false, "admin": true}
	for _, role := range matrixRoles {
		for _, p := range []string{path, "/v1/structures/by-siret/91234567500017"} {
			rec := f.ts.do(f.as(role, request{method: http.MethodGet, path: p}))
			mustStatus(t, rec, http.StatusOK)
			has := strings.Contains(rec.Body.String(), `"representatives"`)
			if has != wantReps[role] || strings.Contains(rec.Body.String(), "Claire Martin") != wantReps[role] {
				t.Errorf("GET %s as %s: representatives shown %v, want %v", p, role, has, wantReps[role])
			}
		}
	}
	rec := f.ts.get("/v1/structures?page_size=100")
	if strings.Contains(rec.Body.String(), "Claire Martin") {
		t.Error("a list carries representatives")
	}
	reads := decode[struct {
		Items []struct {
			ReaderRole  string   `json:"reader_role"`
			StructureID string   `json:"structure_id"`
			Fields      []string `json:"fields"`
		} `json:"items"`
	}](t, f.ts.get("/v1/contact-reads?structure_id="+f.own.ID))
	byRole := map[string]int{}
	for _, r := range reads.Items {
		byRole[r.ReaderRole]++
		if strings.Join(r.Fields, ",") != "name,role,email" {
			t.Errorf("contact read fields %v, want name,role,email", r.Fields)
		}
	}
	// Two reads each (by id and by SIRET) for buyer, member and admin; none for the others.
	if byRole["buyer"] != 2 || byRole["structure"] != 2 || byRole["admin"] != 2 || byRole["network"] != 0 || len(reads.Items) != 6 {
		t.Errorf("contact reads by role %v (%d entries), want buyer, structure and admin 2 each", byRole, len(reads.Items))
	}
}

package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// newCotraitanceServer is the test server with the co-contracting exchange wired over the same database.
func newCotraitanceServer(t testing.TB) *testServer {
	t.Helper()
	ts := newTestServer(t)
	ref := refdata.Default()
	store := sqlstore.NewCotraitance(ts.db)
	p := service.NewPartnerships(service.PartnershipDeps{Calls: store, Groupements: store,
		Structures: sqlstore.New(ts.db, sqlstore.WithCommuneLookup(communeLookup(ref))),
		Contacts:   sqlstore.NewAccounts(ts.db), Ref: ref})
	ts.echo = httpapi.New(httpapi.Deps{Directory: ts.dir, Accounts: ts.accounts, Partnerships: p, Ref: ref,
		Security: httpapi.Security{Limits: testRateLimits}, Ready: func(context.Context) error { return nil },
		Logger: slog.New(slog.NewJSONHandler(ts.logs, nil)), Version: "test"})
	return ts
}

// exchange is a small world: a works structure calling for partners, a cleaning SIAE that applies, an outsider
// cleaning structure that does not, and a buyer; one user per structure.
type exchange struct {
	ts                        *testServer
	caller, partner, outsider string // structure ids
	callerTok, partnerTok     string
	outsiderTok, buyerTok     string
}

func cotraitanceStructure(n int, name, cpv, kinds string, turnover int) string {
	return fmt.Sprintf(`{"siret": %q, "name": %q, "legal_category": "9220", "ess_basis": "legal_form",
		"commune": "44109", "annual_turnover_eur": %d, "turnover_year": 2025, "inclusion_kinds": [%s], "open_to_cotraitance": true,
		"contact": {"email": "contact@s%d.example"},
		"representatives": [{"name": "Représentante %d", "email": "rep%d@s%d.example"}],
		"offers": [{"title": "Offre", "cpv_codes": [%q], "kind": "service", "area": {"scope": "zones", "zones": ["departement:44"]}}]}`,
		siretN(n), name, turnover, kinds, n, n, n, n, cpv)
}

func newExchange(t *testing.T) *exchange {
	ts := newCotraitanceServer(t)
	x := &exchange{ts: ts}
	mk := func(n int, name, cpv, kinds string, turnover int) string {
		rec := ts.post("/v1/structures", cotraitanceStructure(n, name, cpv, kinds, turnover))
		mustStatus(t, rec, http.StatusCreated)
		return decode[created](t, rec).ID
	}
	x.caller = mk(101, "Bâti Solidaire", "45210000-2", "", 60_000)
	x.partner = mk(102, "Net'Insertion", "90910000-9", `"ACI"`, 120_000)
	x.outsider = mk(103, "Propreté Ailleurs", "90911000-6", "", 30_000)
	x.callerTok = ts.newAccount(t, "bati@essor.test", service.RoleStructure, "", siretN(101)).token
	x.partnerTok = ts.newAccount(t, "net@essor.test", service.RoleStructure, "", siretN(102)).token
	x.outsiderTok = ts.newAccount(t, "autre@essor.test", service.RoleStructure, "", siretN(103)).token
	x.buyerTok = ts.newAccount(t, "acheteuse@essor.test", service.RoleBuyer, "21440109300015", "").token
	return x
}

func (x *exchange) as(token, method, path, body string) *httptestRecorder {
	return x.ts.do(request{method: method, path: path, body: body, headers: bearer(token)})
}

func (x *exchange) postCall(t *testing.T, token, structureID string) string {
	t.Helper()
	deadline := time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	body := fmt.Sprintf(`{"structure_id": %q, "role_sought": "co_contractor", "cpv_codes": ["90910000-9"],
		"communes": ["44109"], "deadline": %q, "message": "Nettoyage de fin de chantier recherché",
		"external": {"reference": "2026-REZE-07", "buyer": "Ville de Rezé", "lot_value_eur": 100000,
			"cpv_codes": ["45000000-7", "90910000-9"], "communes": ["44109", "44143"]}}`, structureID, deadline)
	rec := x.as(token, http.MethodPost, "/v1/partnership-calls", body)
	mustStatus(t, rec, http.StatusCreated)
	return decode[created](t, rec).ID
}

type apiCall struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	Applications []struct {
		ID          string          `json:"id"`
		StructureID string          `json:"structure_id"`
		Status      string          `json:"status"`
		Contact     *apiPartnerCard `json:"contact"`
	} `json:"applications"`
	Contact *apiPartnerCard `json:"contact"`
}

type apiPartnerCard struct {
	Contact struct {
		Email string `json:"email"`
	} `json:"contact"`
	Representatives []struct {
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"representatives"`
}

type apiGroupement struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	MandataireID string `json:"mandataire_id"`
	Readiness    struct {
		Ready          bool     `json:"ready"`
		TurnoverSumEUR int64    `json:"turnover_sum_eur"`
		Required       int64    `json:"turnover_required_eur"`
		Basis          string   `json:"turnover_basis"`
		Missing        []string `json:"missing"`
	} `json:"readiness"`
	Changes []struct {
		Reason          string `json:"reason"`
		AfterSubmission bool   `json:"after_submission"`
	} `json:"changes"`
}

type apiProblem struct {
	Code   string `json:"code"`
	Detail string `json:"detail"`
}

// TestCotraitanceScenario walks the whole exchange: post a call, get suggestions, apply, accept, form, submit, try
// to change (409 R2142-26), change through the explicit route with a reason (logged).
func TestCotraitanceScenario(t *testing.T) {
	x := newExchange(t)
	callID := x.postCall(t, x.callerTok, x.caller)

	rec := x.as(x.callerTok, http.MethodGet, "/v1/partnership-calls/"+callID+"/suggested-partners", "")
	mustStatus(t, rec, http.StatusOK)
	sugg := decode[struct {
		Items []struct {
			StructureID string   `json:"structure_id"`
			Brings      []string `json:"brings"`
			Reasons     []string `json:"reasons"`
		} `json:"items"`
	}](t, rec)
	if len(sugg.Items) != 2 || sugg.Items[0].StructureID != x.partner || len(sugg.Items[0].Reasons) == 0 {
		t.Fatalf("suggestions %+v: want the two cleaners, the one reaching the turnover first, with reasons", sugg.Items)
	}

	rec = x.as(x.partnerTok, http.MethodPost, "/v1/partnership-calls/"+callID+"/applications",
		fmt.Sprintf(`{"structure_id": %q, "message": "Équipe ACI disponible", "cpv_codes": ["90910000-9"]}`, x.partner))
	mustStatus(t, rec, http.StatusCreated)
	appID := decode[created](t, rec).ID

	rec = x.as(x.callerTok, http.MethodPost, "/v1/applications/"+appID+"/accept", "")
	mustStatus(t, rec, http.StatusOK)

	form := fmt.Sprintf(`{"call_id": %q, "form": "several", "mandataire_id": %q, "member_ids": [%q, %q]}`,
		callID, x.caller, x.caller, x.partner)
	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements", form)
	mustStatus(t, rec, http.StatusCreated)
	g := decode[apiGroupement](t, rec)
	if !g.Readiness.Ready || g.Readiness.TurnoverSumEUR != 180_000 || g.Readiness.Required != 150_000 || g.Readiness.Basis != "lot_value_ratio" {
		t.Fatalf("readiness %+v: want ready, 180 k€ summed against 1.5 × 100 k€", g.Readiness)
	}
	if got := decode[apiCall](t, x.as(x.callerTok, http.MethodGet, "/v1/partnership-calls/"+callID, "")); got.Status != "filled" {
		t.Fatalf("call status %s after forming a groupement, want filled", got.Status)
	}

	rec = x.as(x.partnerTok, http.MethodPost, "/v1/groupements/"+g.ID+"/submit", "")
	mustStatus(t, rec, http.StatusOK)
	if decode[apiGroupement](t, rec).Status != "submitted" {
		t.Fatal("the groupement is not submitted")
	}

	change := fmt.Sprintf(`{"mandataire_id": %q}`, x.partner)
	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements/"+g.ID+"/composition-changes", change)
	mustStatus(t, rec, http.StatusConflict)
	if p := decode[apiProblem](t, rec); p.Code != "R2142-26" || !strings.Contains(p.Detail, "R2142-26") {
		t.Fatalf("problem %+v: want code R2142-26", p)
	}

	change = fmt.Sprintf(`{"mandataire_id": %q, "reason": "Bâti Solidaire en redressement : Net'Insertion reprend le mandat, accord de l'acheteur du 2 décembre"}`, x.partner)
	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements/"+g.ID+"/composition-changes", change)
	mustStatus(t, rec, http.StatusOK)
	g = decode[apiGroupement](t, x.as(x.partnerTok, http.MethodGet, "/v1/groupements/"+g.ID, ""))
	if g.MandataireID != x.partner || len(g.Changes) != 1 || !g.Changes[0].AfterSubmission || !strings.Contains(g.Changes[0].Reason, "redressement") {
		t.Fatalf("after the change: mandataire %s, changes %+v", g.MandataireID, g.Changes)
	}
	audit := x.ts.get("/v1/audit-log?entity=groupement&entity_id=" + g.ID)
	mustStatus(t, audit, http.StatusOK)
	if !strings.Contains(audit.Body.String(), "change_composition") {
		t.Fatalf("audit log holds no change_composition entry: %s", audit.Body)
	}
}

// TestMandataireOfOneGroupementPerLot proves R2142-23: the same structure cannot lead two groupements for one lot,
// even from two calls on that lot.
func TestMandataireOfOneGroupementPerLot(t *testing.T) {
	x := newExchange(t)
	first := x.postCall(t, x.callerTok, x.caller)
	second := x.postCall(t, x.callerTok, x.caller) // the same outside lot
	for _, callID := range []string{first, second} {
		rec := x.as(x.partnerTok, http.MethodPost, "/v1/partnership-calls/"+callID+"/applications", fmt.Sprintf(`{"structure_id": %q}`, x.partner))
		mustStatus(t, rec, http.StatusCreated)
		mustStatus(t, x.as(x.callerTok, http.MethodPost, "/v1/applications/"+decode[created](t, rec).ID+"/accept", ""), http.StatusOK)
	}
	form := func(callID, mandataire string) *httptestRecorder {
		return x.as(x.callerTok, http.MethodPost, "/v1/groupements", fmt.Sprintf(
			`{"call_id": %q, "form": "joint", "mandataire_id": %q, "member_ids": [%q, %q]}`, callID, mandataire, x.caller, x.partner))
	}
	mustStatus(t, form(first, x.caller), http.StatusCreated)
	rec := form(second, x.caller)
	mustStatus(t, rec, http.StatusConflict)
	if p := decode[apiProblem](t, rec); p.Code != "R2142-23" || !strings.Contains(p.Detail, "R2142-23") {
		t.Fatalf("problem %+v: want code R2142-23", p)
	}
	mustStatus(t, form(second, x.partner), http.StatusCreated) // another mandataire may lead another groupement

	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements", fmt.Sprintf(
		`{"call_id": %q, "form": "joint", "mandataire_id": %q, "member_ids": [%q, %q]}`, first, x.caller, x.caller, x.outsider))
	mustStatus(t, rec, http.StatusUnprocessableEntity) // the outsider never applied
	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements", fmt.Sprintf(
		`{"call_id": %q, "form": "joint", "mandataire_id": %q, "member_ids": [%q, %q]}`, first, x.outsider, x.caller, x.partner))
	mustStatus(t, rec, http.StatusUnprocessableEntity) // the mandataire is not a member
}

package httpapi_test

import (
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// lateSource lets the allotment service be built before the test server opens its database.
type lateSource struct{ service.SupplySource }

// newAllotmentServer is a test server over the demo directory (300 structures, seed 1) with its supply loaded.
func newAllotmentServer(t testing.TB) *testServer {
	t.Helper()
	src := &lateSource{}
	ref := refdata.Default()
	svc := service.NewAllotmentService(src, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)
	ts := newTestServer(t, func(d *httpapi.Deps) { d.Allotment = svc })
	src.SupplySource = sqlstore.New(ts.db, sqlstore.WithCommuneLookup(communeLookup(ref)))
	err := demo.Generate(demo.Options{Seed: 1}, 1000, func(batch []domain.Structure) error {
		_, err := ts.dir.CreateStructures(context.Background(), batch)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	return ts
}

type needLine struct {
	Label    string   `json:"label"`
	CPV      string   `json:"cpv"`
	ValueEUR float64  `json:"estimated_value_eur"`
	Communes []string `json:"communes"`
}

type needBody struct {
	Title          string     `json:"title"`
	BuyerKind      string     `json:"buyer_kind"`
	DurationMonths int        `json:"duration_months"`
	ReferenceDate  string     `json:"reference_date,omitempty"`
	Lines          []needLine `json:"lines"`
}

func (n needBody) String() string {
	b, err := json.Marshal(n)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// greenSpaces is the need of issue 6: green-space maintenance of the 24 communes of Nantes Métropole, 1.2 M€ HT
// over 4 years: park and lawn upkeep commune by commune in proportion to population, pruning and hedges over the
// whole metropolis.
func greenSpaces(referenceDate string) needBody {
	communes := refdata.Default().CommunesOfEPCI(refdata.NantesMetropoleEPCI)
	population := 0
	all := make([]string, len(communes))
	for i, c := range communes {
		population += c.Population
		all[i] = c.INSEE
	}
	n := needBody{Title: "Entretien des espaces verts de Nantes Métropole", BuyerKind: "local", DurationMonths: 48,
		ReferenceDate: referenceDate}
	rest := 960_000.0
	for _, c := range communes {
		v := math.Round(960_000 * float64(c.Population) / float64(population))
		rest -= v
		n.Lines = append(n.Lines, needLine{Label: "Tonte et entretien des parcs – " + c.Name, CPV: "77311000-3",
			ValueEUR: v, Communes: []string{c.INSEE}})
	}
	n.Lines[0].ValueEUR += rest // rounding: the lines add up to 960,000 € exactly
	n.Lines = append(n.Lines,
		needLine{Label: "Élagage des arbres d'alignement", CPV: "77340000-5", ValueEUR: 150_000, Communes: all},
		needLine{Label: "Taille des haies et massifs", CPV: "77310000-6", ValueEUR: 90_000, Communes: all})
	return n
}

type suggestedLot struct {
	ValueEUR          float64 `json:"value_eur"`
	SmallLot          bool    `json:"small_lot"`
	MaxMinTurnoverEUR float64 `json:"max_min_turnover_eur"`
	ESSSupply         struct {
		Structures int `json:"structures"`
	} `json:"ess_supply"`
	Explanations []string `json:"explanations"`
}

type suggestionsBody struct {
	TurnoverCapRatio float64 `json:"turnover_cap_ratio"`
	Alternatives     []struct {
		Strategy     string         `json:"strategy"`
		Explanations []string       `json:"explanations"`
		Lots         []suggestedLot `json:"lots"`
	} `json:"alternatives"`
}

// TestAllotmentGreenSpaces is the "done when" of issue 6 through the API: on the demo directory an alternative
// splits the need into several lots each open to at least 3 ESS structures, citing R2142-7 (1.5 × in 2026, 2 ×
// on 2025-06-01) and R2123-1 for its small lots.
func TestAllotmentGreenSpaces(t *testing.T) {
	ts := newAllotmentServer(t)
	for _, tt := range []struct {
		date, golden, ratio string
		cap                 float64
	}{
		{"2026-06-01", "allotment_green_spaces_2026", "1,5 ×", 1.5},
		{"2025-06-01", "allotment_green_spaces_2025", "2 ×", 2},
	} {
		t.Run(tt.date, func(t *testing.T) {
			rec := ts.post("/v1/allotment/suggestions", greenSpaces(tt.date).String())
			mustStatus(t, rec, http.StatusOK)
			assertGolden(t, tt.golden, rec)
			got := decode[suggestionsBody](t, rec)
			if got.TurnoverCapRatio != tt.cap {
				t.Errorf("turnover_cap_ratio %v, want %v", got.TurnoverCapRatio, tt.cap)
			}
			found := false
			for _, a := range got.Alternatives {
				if len(a.Lots) < 2 || slices.ContainsFunc(a.Lots, func(l suggestedLot) bool { return l.ESSSupply.Structures < 3 }) {
					continue
				}
				found = true
				for _, l := range a.Lots {
					if want := tt.cap * l.ValueEUR; math.Abs(l.MaxMinTurnoverEUR-want) > 0.01 {
						t.Errorf("%s: max_min_turnover_eur %v, want %v", a.Strategy, l.MaxMinTurnoverEUR, want)
					}
					text := strings.Join(l.Explanations, "\n")
					if !strings.Contains(text, "au plus "+tt.ratio+" la valeur du lot") || !strings.Contains(text, "R2142-7") {
						t.Errorf("%s: lot explanations do not cite R2142-7 at %s:\n%s", a.Strategy, tt.ratio, text)
					}
					if l.SmallLot && !strings.Contains(text, "R2123-1 2°") {
						t.Errorf("%s: a small lot's explanations do not cite R2123-1 2°:\n%s", a.Strategy, text)
					}
				}
			}
			if !found {
				t.Fatal("no alternative with several lots each open to at least 3 ESS structures")
			}
		})
	}
}

func TestAllotmentRefusesBadNeeds(t *testing.T) {
	ts := newAllotmentServer(t)
	many := greenSpaces("2026-06-01")
	for len(many.Lines) <= 200 {
		many.Lines = append(many.Lines, many.Lines...)
	}
	for _, tt := range []struct {
		name     string
		mutate   func(*needBody)
		location string
	}{
		{"no lines", func(n *needBody) { n.Lines = nil }, "body.lines"},
		{"more than 200 lines", func(n *needBody) { n.Lines = many.Lines }, "body.lines"},
		{"unknown CPV", func(n *needBody) { n.Lines[3].CPV = "77310099-9" }, "body.lines[3].cpv"},
		{"malformed CPV", func(n *needBody) { n.Lines[3].CPV = "7731" }, "body.lines[3].cpv"},
		{"negative value", func(n *needBody) { n.Lines[2].ValueEUR = -5 }, "body.lines[2].estimated_value_eur"},
		{"zero value", func(n *needBody) { n.Lines[2].ValueEUR = 0 }, "body.lines[2].estimated_value_eur"},
		{"unknown commune", func(n *needBody) { n.Lines[1].Communes = []string{"44999"} }, "body.lines[1].communes[0]"},
		{"no commune", func(n *needBody) { n.Lines[1].Communes = nil }, "body.lines[1].communes"},
		{"unknown buyer kind", func(n *needBody) { n.BuyerKind = "city" }, "body.buyer_kind"},
		{"duration", func(n *needBody) { n.DurationMonths = 0 }, "body.duration_months"},
		{"date without rules", func(n *needBody) { n.ReferenceDate = "2031-01-01" }, "body.reference_date"},
		{"empty title", func(n *needBody) { n.Title = " " }, "body.title"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n := greenSpaces("2026-06-01")
			tt.mutate(&n)
			rec := ts.post("/v1/allotment/suggestions", n.String())
			mustStatus(t, rec, http.StatusUnprocessableEntity)
			p := decode[struct {
				Errors []struct{ Location string } `json:"errors"`
			}](t, rec)
			if !slices.ContainsFunc(p.Errors, func(e struct{ Location string }) bool { return e.Location == tt.location }) {
				t.Fatalf("no error at %s: %s", tt.location, rec.Body)
			}
		})
	}
	n := greenSpaces("2026-06-01")
	n.Lines[3].CPV = "77310099-9"
	assertGolden(t, "allotment_error_422_unknown_cpv", ts.post("/v1/allotment/suggestions", n.String()))
}

func TestAllotmentAccessByRole(t *testing.T) {
	ts := newAllotmentServer(t)
	body := greenSpaces("2026-06-01").String()
	buyer := ts.newAccount(t, "acheteur@essor.test", service.RoleBuyer, "21440109300015", "")
	network := ts.newAccount(t, "reseau@essor.test", service.RoleNetwork, "", "")
	for _, tt := range []struct {
		name string
		req  request
		want int
	}{
		{"anonymous", request{anonymous: true}, http.StatusUnauthorized},
		{"network user", request{headers: bearer(network.token)}, http.StatusForbidden},
		{"buyer", request{headers: bearer(buyer.token)}, http.StatusOK},
		{"admin", request{}, http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.method, tt.req.path, tt.req.body = http.MethodPost, "/v1/allotment/suggestions", body
			mustStatus(t, ts.do(tt.req), tt.want)
		})
	}
}

// newTenderAllotmentServer serves the tender and allotment use cases over the demo directory.
func newTenderAllotmentServer(t testing.TB) *testServer {
	t.Helper()
	ts := newAllotmentServer(t)
	ref := refdata.Default()
	store := sqlstore.NewTenders(ts.db, sqlstore.WithCommuneLookup(communeLookup(ref)))
	tenders := service.NewTenders(store, service.TenderDeps{Directory: ts.dir, Notifications: store, Ref: ref,
		Places: ref.CommunePlace, Reservable: func(code string) bool { c, ok := ref.CPV(code); return ok && c.ReservableL2113_15 }})
	allot := service.NewAllotmentService(sqlstore.New(ts.db, sqlstore.WithCommuneLookup(communeLookup(ref))),
		service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)
	if err := allot.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	ts.echo = httpapi.New(httpapi.Deps{Directory: ts.dir, Accounts: ts.accounts, Tenders: tenders, Allotment: allot,
		Security: httpapi.Security{Limits: testRateLimits}, Ref: ref, Ready: func(context.Context) error { return nil }})
	return ts
}

const greenSpaceTender = `{
  "title": "Entretien des espaces verts – Nantes, Rezé, Saint-Herblain", "kind": "sourcing",
  "cpv_codes": ["77311000-3", "77340000-5"], "estimated_total_eur": 700000, "duration_months": 48,
  "communes": ["44109", "44143", "44162"], "sourcing_deadline": "2027-01-15", "planned_publication": "2027-02-01",
  "lots": [
    {"number": 1, "title": "Parcs de Nantes", "cpv_codes": ["77311000-3"], "estimated_value_eur": 420000, "communes": ["44109"]},
    {"number": 2, "title": "Parcs de Rezé", "cpv_codes": ["77311000-3"], "estimated_value_eur": 65000, "communes": ["44143"]},
    {"number": 3, "title": "Parcs de Saint-Herblain", "cpv_codes": ["77311000-3"], "estimated_value_eur": 65000, "communes": ["44162"]},
    {"number": 4, "title": "Élagage", "cpv_codes": ["77340000-5"], "estimated_value_eur": 150000}
  ]}`

// TestTenderAllotment suggests splits of a draft tender, applies one, and checks who may and when.
func TestTenderAllotment(t *testing.T) {
	ts := newTenderAllotmentServer(t)
	buyer := ts.newAccount(t, "acheteuse@nantes.test", service.RoleBuyer, "21440109300015", "")
	other := ts.newAccount(t, "acheteur@reze.test", service.RoleBuyer, siretN(77), "")
	rec := ts.do(request{method: http.MethodPost, path: "/v1/tenders", body: greenSpaceTender, headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusCreated)
	id := decode[struct {
		ID string `json:"id"`
	}](t, rec).ID
	suggestions := "/v1/tenders/" + id + "/allotment-suggestions"

	rec = ts.do(request{method: http.MethodPost, path: suggestions, body: `{"buyer_kind": "local"}`, headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusOK)
	got := decode[struct {
		ReferenceDate string `json:"reference_date"`
		Alternatives  []struct {
			Strategy string `json:"strategy"`
			Lots     []struct {
				ValueEUR float64 `json:"value_eur"`
			} `json:"lots"`
		} `json:"alternatives"`
	}](t, rec)
	if got.ReferenceDate != "2027-02-01" || len(got.Alternatives) == 0 {
		t.Fatalf("reference date %s (want the planned publication), %d alternatives", got.ReferenceDate, len(got.Alternatives))
	}
	mustStatus(t, ts.do(request{method: http.MethodPost, path: suggestions, headers: bearer(other.token)}), http.StatusNotFound)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: suggestions, anonymous: true}), http.StatusUnauthorized)

	apply := func(body string, headers ...string) *httptestRecorder {
		return ts.do(request{method: http.MethodPost, path: suggestions + "/apply", body: body,
			headers: append(bearer(buyer.token), headers...)})
	}
	rec = apply(`{"strategy": "no_such_strategy"}`)
	mustStatus(t, rec, http.StatusUnprocessableEntity)
	if !strings.Contains(rec.Body.String(), `"body.strategy"`) {
		t.Fatalf("the problem does not name body.strategy: %s", rec.Body)
	}
	mustStatus(t, apply(`{"strategy": "single"}`, `If-Match: "7"`), http.StatusPreconditionFailed)

	best := got.Alternatives[0]
	rec = apply(`{"strategy": "`+best.Strategy+`"}`, `If-Match: "1"`)
	mustStatus(t, rec, http.StatusOK)
	applied := decode[struct {
		Lots []struct {
			Number            int    `json:"number"`
			Title             string `json:"title"`
			EstimatedValueEUR int64  `json:"estimated_value_eur"`
		} `json:"lots"`
	}](t, rec)
	if len(applied.Lots) != len(best.Lots) || rec.Header().Get("ETag") != `"2"` {
		t.Fatalf("%d lots (want %d), ETag %s", len(applied.Lots), len(best.Lots), rec.Header().Get("ETag"))
	}
	for i, l := range applied.Lots {
		if l.Number != i+1 || l.Title == "" || float64(l.EstimatedValueEUR) != best.Lots[i].ValueEUR {
			t.Fatalf("lot %d: %+v, want the value %v", i, l, best.Lots[i].ValueEUR)
		}
	}

	rec = ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + id + "/publish", headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusOK)
	mustStatus(t, apply(`{"strategy": "single"}`), http.StatusConflict)
}

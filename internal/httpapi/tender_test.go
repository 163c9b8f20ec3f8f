package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// recordingMailer keeps the e-mails the notifier sends.
type recordingMailer struct {
	mu   sync.Mutex
	sent []service.Mail
}

func (m *recordingMailer) Send(_ context.Context, mail service.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, mail)
	return nil
}

// tenderServer is a test server over the demo directory (300 structures, seed 1) with the tender use cases and
// a notifier sending into a recordingMailer.
type tenderServer struct {
	*testServer
	tenders  *service.Tenders
	notifier *service.Notifier
	mailer   *recordingMailer
}

func newTenderServer(t testing.TB) *tenderServer {
	t.Helper()
	ts := newTestServer(t)
	ref := refdata.Default()
	store := sqlstore.NewTenders(ts.db, sqlstore.WithCommuneLookup(communeLookup(ref)))
	tenders := service.NewTenders(store, service.TenderDeps{Directory: ts.dir, Notifications: store, Ref: ref,
		Places: ref.CommunePlace, Reservable: func(code string) bool { c, ok := ref.CPV(code); return ok && c.ReservableL2113_15 }})
	ts.echo = httpapi.New(httpapi.Deps{Directory: ts.dir, Accounts: ts.accounts, Tenders: tenders,
		Security: httpapi.Security{Limits: testRateLimits}, Ref: ref, Ready: func(context.Context) error { return nil }})
	err := demo.Generate(demo.Options{Seed: 1, Count: 300}, 300, func(batch []domain.Structure) error {
		_, err := ts.dir.CreateStructures(context.Background(), batch)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	mailer := &recordingMailer{}
	notifier := service.NewNotifier(tenders, store, mailer, service.NotifierConfig{BatchSize: 3, StopAfterInterested: 2}, nil)
	return &tenderServer{testServer: ts, tenders: tenders, notifier: notifier, mailer: mailer}
}

const twoLotTender = `{
  "title": "Espaces verts et peinture des écoles", "kind": "sourcing",
  "cpv_codes": ["77310000-6", "45440000-3"], "estimated_total_eur": 150000, "duration_months": 24,
  "communes": ["44109"], "sourcing_deadline": "2099-01-15", "planned_publication": "2099-02-01",
  "response_deadline": "2099-03-01",
  "lots": [
    {"number": 1, "title": "Entretien des espaces verts", "cpv_codes": ["77310000-6"], "estimated_value_eur": 90000,
     "min_turnover_eur": 50000},
    {"number": 2, "title": "Peinture", "cpv_codes": ["45440000-3"], "estimated_value_eur": 60000, "communes": ["44109"],
     "social_clause": true, "insertion_hours": 300}
  ]}`

type apiMatch struct {
	LotNumber int `json:"lot_number"`
	Structure struct {
		ID              string `json:"id"`
		SIRET           string `json:"siret"`
		Representatives any    `json:"representatives"`
	} `json:"structure"`
	OfferIDs  []string `json:"offer_ids"`
	FirstTime bool     `json:"first_time"`
	Reasons   []struct {
		Code string `json:"code"`
	} `json:"reasons"`
}

type apiList[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
}

// TestTenderScenario is the "done when": a buyer creates a two-lot tender on the demo directory, gets
// matches with reasons per lot, publishes it; notifications go out in batches; a structure answers; the buyer
// sees the funnel.
func TestTenderScenario(t *testing.T) {
	ts := newTenderServer(t)
	buyer := ts.newAccount(t, "acheteuse@nantes.test", service.RoleBuyer, "21440109300015", "")
	rec := ts.do(request{method: http.MethodPost, path: "/v1/tenders", body: twoLotTender, headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusCreated)
	tender := decode[struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	}](t, rec)
	if tender.Status != "draft" {
		t.Fatalf("status %q", tender.Status)
	}

	matches := map[int][]apiMatch{}
	for _, lot := range []int{1, 2} {
		rec = ts.do(request{method: http.MethodGet, path: fmt.Sprintf("/v1/tenders/%s/lots/%d/matches?first_time_first=true&page_size=100", tender.ID, lot),
			headers: bearer(buyer.token)})
		mustStatus(t, rec, http.StatusOK)
		page := decode[apiList[apiMatch]](t, rec)
		if page.Total == 0 {
			t.Fatalf("lot %d: no match on the demo directory", lot)
		}
		for i, m := range page.Items {
			if len(m.OfferIDs) == 0 || len(m.Reasons) < 2 || m.Reasons[0].Code != "cpv" || m.Reasons[1].Code != "area" {
				t.Fatalf("lot %d: match without offers or reasons: %+v", lot, m)
			}
			if m.Structure.Representatives != nil {
				t.Fatalf("a match carries representatives")
			}
			if i > 0 && m.FirstTime && !page.Items[i-1].FirstTime {
				t.Fatalf("first_time_first: a first-time bidder after others")
			}
		}
		matches[lot] = page.Items
	}

	rec = ts.do(request{method: http.MethodGet, path: "/v1/tenders/" + tender.ID + "/matches.csv", headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusOK)
	csv := rec.Body.String()
	if !strings.HasPrefix(csv, "\uFEFFLot;Structure;SIRET;") || strings.Count(csv, "\r\n") != len(matches[1])+len(matches[2])+1 {
		t.Fatalf("CSV export:\n%s", csv)
	}

	rec = ts.do(request{method: http.MethodGet, path: "/v1/tenders/" + tender.ID + "/supply", headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusOK)
	supply := decode[struct {
		Lots []struct {
			Structures int `json:"structures"`
		} `json:"lots"`
	}](t, rec)
	if supply.Lots[0].Structures != len(matches[1]) || supply.Lots[1].Structures != len(matches[2]) {
		t.Fatalf("supply %+v, matches %d and %d", supply, len(matches[1]), len(matches[2]))
	}

	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + tender.ID + "/publish", headers: bearer(buyer.token)}), http.StatusOK)
	ctx := context.Background()
	created, err := ts.notifier.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := min(3, len(matches[1])) + min(3, len(matches[2])); created != want {
		t.Fatalf("first batches created %d notifications, want %d", created, want)
	}
	if again, _ := ts.notifier.Plan(ctx); again != 0 {
		t.Fatalf("a new batch before the first was sent: %d", again)
	}
	sent, err := ts.notifier.Send(ctx)
	if err != nil || sent != 3 { // one claim takes BatchSize rows
		t.Fatalf("sent %d, %v", sent, err)
	}

	// A member of a notified structure sees the notification, reads it and answers.
	first := matches[1][0].Structure
	member := ts.newAccount(t, "membre@ess.test", service.RoleStructure, "", first.SIRET)
	rec = ts.do(request{method: http.MethodGet, path: "/v1/notifications", headers: bearer(member.token)})
	mustStatus(t, rec, http.StatusOK)
	notes := decode[apiList[struct {
		ID        string `json:"id"`
		LotNumber int    `json:"lot_number"`
	}]](t, rec)
	if notes.Total == 0 || notes.Items[0].ID == "" {
		t.Fatalf("the first matching structure of lot 1 (first-time bidders first) was not notified")
	}
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/notifications/" + notes.Items[0].ID + "/read", headers: bearer(member.token)}), http.StatusOK)
	rec = ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + tender.ID + "/lots/1/interests", headers: bearer(member.token),
		body: `{"structure_id": "` + first.ID + `", "answer": "interested", "message": "Équipe disponible"}`})
	mustStatus(t, rec, http.StatusCreated)

	rec = ts.do(request{method: http.MethodGet, path: "/v1/tenders/" + tender.ID + "/funnel", headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusOK)
	funnel := decode[struct {
		Lots []struct {
			Notified, Viewed, Interested int
			Structures                   []struct {
				Structure struct {
					ID string `json:"id"`
				} `json:"structure"`
			} `json:"interested_structures"`
		} `json:"lots"`
	}](t, rec)
	lot1 := funnel.Lots[0]
	if lot1.Notified != min(3, len(matches[1])) || lot1.Viewed != 1 || lot1.Interested != 1 ||
		len(lot1.Structures) != 1 || lot1.Structures[0].Structure.ID != first.ID {
		t.Fatalf("funnel lot 1: %+v", lot1)
	}
}

// TestTenderAccess: another buyer and a structure member get 404 on a draft; a member cannot answer for a
// structure it does not belong to (403); invalid tenders get 422s naming the field and the article.
func TestTenderAccess(t *testing.T) {
	ts := newTenderServer(t)
	buyer := ts.newAccount(t, "a@nantes.test", service.RoleBuyer, "21440109300015", "")
	other := ts.newAccount(t, "b@reze.test", service.RoleBuyer, siretN(900), "")
	rec := ts.do(request{method: http.MethodPost, path: "/v1/tenders", body: twoLotTender, headers: bearer(buyer.token)})
	mustStatus(t, rec, http.StatusCreated)
	id := decode[struct {
		ID string `json:"id"`
	}](t, rec).ID
	page, err := sqlstore.New(ts.db).FindStructures(context.Background(), domain.StructureFilter{}, domain.PageRequest{Size: 2})
	if err != nil || len(page.Items) < 2 {
		t.Fatalf("demo structures: %v", err)
	}
	mine, notMine := page.Items[0], page.Items[1]
	member := ts.newAccount(t, "m@ess.test", service.RoleStructure, "", mine.SIRET)

	for _, who := range []account{other, member} {
		for _, path := range []string{"", "/matches", "/funnel", "/supply", "/lots/1/matches"} {
			mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/tenders/" + id + path, headers: bearer(who.token)}), http.StatusNotFound)
		}
	}
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + id + "/publish", headers: bearer(other.token)}), http.StatusNotFound)
	mustStatus(t, ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + id + "/publish", headers: bearer(buyer.token)}), http.StatusOK)
	mustStatus(t, ts.do(request{method: http.MethodGet, path: "/v1/tenders/" + id + "/funnel", headers: bearer(other.token)}), http.StatusForbidden)
	answer := func(structureID string) *httptestRecorder {
		return ts.do(request{method: http.MethodPost, path: "/v1/tenders/" + id + "/lots/1/interests", headers: bearer(member.token),
			body: `{"structure_id": "` + structureID + `", "answer": "not_interested", "reason": "lot_too_large"}`})
	}
	mustStatus(t, answer(notMine.ID), http.StatusForbidden)
	mustStatus(t, answer(mine.ID), http.StatusCreated)

	invalid := []struct{ replace, with, location, article string }{
		{`"min_turnover_eur": 50000`, `"min_turnover_eur": 200000`, "body.lots[0].min_turnover_eur", "R2142-7"},
		{`"cpv_codes": ["45440000-3"]`, `"cpv_codes": ["45440000-3"], "reservation": "L2113-15"`, "body.lots[1].cpv_codes[0]", "L2113-15"},
		{`"planned_publication": "2099-02-01"`, `"planned_publication": "2098-02-01"`, "body.planned_publication", ""},
		{`"cpv_codes": ["77310000-6"]`, `"cpv_codes": ["77310000-9"]`, "body.lots[0].cpv_codes[0]", ""},
		{`60000, "communes": ["44109"]`, `60000, "communes": ["44999"]`, "body.lots[1].communes[0]", ""},
		{`"estimated_total_eur": 150000`, `"estimated_total_eur": 160000`, "body.lots", ""},
	}
	for _, c := range invalid {
		body := strings.Replace(twoLotTender, c.replace, c.with, 1)
		rec := ts.do(request{method: http.MethodPost, path: "/v1/tenders", body: body, headers: bearer(buyer.token)})
		mustStatus(t, rec, http.StatusUnprocessableEntity)
		if !strings.Contains(rec.Body.String(), `"location":"`+c.location+`"`) || !strings.Contains(rec.Body.String(), c.article) {
			t.Errorf("%s: want %s %s, got %s", c.with, c.location, c.article, rec.Body)
		}
	}
}

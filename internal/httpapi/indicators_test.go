package httpapi_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// indicatorServer serves a directory holding one ESS structure, SIRET 35600000000048 in Nantes, and three 2024
// awards of one buyer: one to the structure (reserved), one to a groupement with it, one to a stranger.
func indicatorServer(t *testing.T) *echo.Echo {
	t.Helper()
	ref := refdata.Default()
	store := sqlstore.New(dbtest.Open(t), sqlstore.WithCommuneLookup(ref.CommunePlace))
	ctx := context.Background()
	err := store.CreateStructure(ctx, &domain.Structure{ID: service.NewID(), SIRET: "35600000000048", SIREN: "356000000",
		Name: "ENVIE 44", LegalCategory: "9220", ESSFamily: domain.FamilyAssociation, ESSBasis: domain.BasisLegalForm,
		Commune: "44109", Status: domain.StatusPublished, InclusionKinds: []string{"EI"}})
	if err != nil {
		t.Fatal(err)
	}
	decp := `{"marches":[
	 {"id":"M1","acheteur":{"id":"21440109300015"},"dateNotification":"2024-03-01","montant":30000,"codeCPV":"50000000-5",
	  "titulaires":[{"typeIdentifiant":"SIRET","id":"35600000000048"}],"considerationsSociales":["Marché réservé"]},
	 {"id":"M2","acheteur":{"id":"21440109300015"},"dateNotification":"2024-06-01","montant":60000,
	  "titulaires":[{"typeIdentifiant":"SIRET","id":"35600000000048"},{"typeIdentifiant":"SIRET","id":"44306184100047"}]},
	 {"id":"M3","acheteur":{"id":"21440109300015"},"dateNotification":"2024-09-01","montant":10000,
	  "titulaires":[{"typeIdentifiant":"SIRET","id":"44306184100047"}]}]}`
	importer := service.NewImporter(store, ref, nil)
	if _, err := importer.ImportDECP(ctx, []service.DECPInput{{Name: "t.json", Reader: strings.NewReader(decp)}}, nil); err != nil {
		t.Fatal(err)
	}
	return httpapi.New(httpapi.Deps{Directory: service.NewDirectory(store, ref, nil), Ref: ref, Logger: slog.New(slog.DiscardHandler),
		Indicators: service.NewIndicatorService(store, httpapi.IndicatorLabels{Ref: ref})})
}

func getIndicators(e *echo.Echo, query, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, "/v1/indicators?"+query, nil)
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func TestIndicatorsJSONAndCSV(t *testing.T) {
	e := indicatorServer(t)
	rec := getIndicators(e, "from=2024-01-01&to=2024-12-31", "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got struct {
		Awards    map[string]float64 `json:"awards"`
		Directory struct {
			Structures int `json:"structures"`
			ByFamily   []struct {
				Key, Label string
				Count      int
			} `json:"by_family"`
		} `json:"directory"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"contracts": 3, "value_eur": 100000, "ess_contracts": 2, "ess_value_eur": 90000,
		"ess_value_share": 0.9, "reserved_contracts": 1, "social_contracts": 1, "groupement_contracts": 1,
		"ess_groupement_contracts": 1, "first_time_ess_winners": 1, "distinct_ess_winners": 1, "distinct_buyers": 1}
	for k, v := range want {
		if got.Awards[k] != v {
			t.Errorf("awards.%s = %v, want %v", k, got.Awards[k], v)
		}
	}
	if got.Directory.Structures != 1 || len(got.Directory.ByFamily) != 1 || got.Directory.ByFamily[0].Label != "Associations" {
		t.Errorf("directory: %+v", got.Directory)
	}

	// The structure's first award was in March 2024: a period starting later has no first-time winner.
	rec = getIndicators(e, "from=2024-04-01&to=2024-12-31&buyer=21440109300015", "")
	if !strings.Contains(rec.Body.String(), `"first_time_ess_winners":0`) || !strings.Contains(rec.Body.String(), `"contracts":2`) {
		t.Errorf("later period: %s", rec.Body)
	}

	rec = getIndicators(e, "from=2024-01-01&to=2024-12-31", "text/csv")
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
		t.Fatalf("CSV: status %d, type %q: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
	}
	body := rec.Body.String()
	for _, want := range []string{"\uFEFFRubrique;Indicateur;Code;Valeur\r\n", "Marchés attribués;Marchés attribués;;3\r\n",
		"Part du montant attribué à l'ESS (%);;90,00\r\n", "Structures par commune : Nantes;44109;1\r\n"} {
		if !strings.Contains(body, want) {
			t.Errorf("CSV lacks %q:\n%s", want, body)
		}
	}
	if !strings.Contains(rec.Header().Get("Content-Disposition"), "indicateurs-spaser_2024-01-01_2024-12-31.csv") {
		t.Errorf("Content-Disposition %q", rec.Header().Get("Content-Disposition"))
	}
	if rec := getIndicators(e, "from=2024-01-01&to=2024-12-31", "application/json, text/csv;q=0.5"); strings.HasPrefix(rec.Body.String(), "\uFEFF") {
		t.Errorf("JSON preferred, CSV answered")
	}
}

func TestIndicatorsRejectBadPeriods(t *testing.T) {
	e := indicatorServer(t)
	for _, tc := range []struct{ query, location string }{
		{"from=2024-13-01&to=2024-12-31", "query.from"},
		{"from=2024-01-01&to=31/12/2024", "query.to"},
		{"from=2024-01-01", "query.to"},
		{"to=2024-01-01", "query.from"},
		{"from=2024-12-31&to=2024-01-01", "query.to"},
		{"from=1990-01-01&to=2024-01-01", "query.to"},
		{"from=2024-01-01&to=2024-12-31&buyer=21440109300016", "query.buyer"},
		{"from=2024-01-01&to=2024-12-31&buyer=abc", "query.buyer"},
	} {
		rec := getIndicators(e, tc.query, "")
		if rec.Code != http.StatusUnprocessableEntity && rec.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 422: %s", tc.query, rec.Code, rec.Body)
			continue
		}
		if !strings.Contains(rec.Body.String(), `"location":"`+tc.location+`"`) {
			t.Errorf("%s: problem does not name %s: %s", tc.query, tc.location, rec.Body)
		}
	}
}

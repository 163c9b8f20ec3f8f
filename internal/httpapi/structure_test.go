package httpapi_test

import (
	"net/http"
	"strings"
	"testing"
)

// Fictitious structures of Nantes Métropole; their SIRETs pass the Luhn check.
const (
	atelierBois = `{
  "siret": "91234567500017",
  "name": "Atelier Bois et Insertion de Rezé",
  "brand": "ABIR",
  "legal_category": "9220",
  "ess_basis": "legal_form",
  "inclusion_kinds": ["ACI"],
  "naf_code": "43.32A",
  "headcount_band": "11",
  "annual_turnover_eur": 480000,
  "turnover_year": 2025,
  "address": "12 rue de la Jaguère",
  "postcode": "44400",
  "commune": "44143",
  "website": "https://abir.example.org",
  "description": "Chantier d'insertion en menuiserie bois et agencement intérieur pour les collectivités.",
  "labels": ["Ecossolies"],
  "contact": {"email": "contact@abir.example.org", "phone": "+33 2 40 00 00 00"},
  "representatives": [{"name": "Claire Martin", "role": "Directrice", "email": "c.martin@abir.example.org"}],
  "open_to_cotraitance": true,
  "offers": [{
    "title": "Menuiserie intérieure et petits aménagements",
    "description": "Fabrication et pose de placards, étagères et cloisons bois dans les bâtiments publics.",
    "cpv_codes": ["45421000-4"],
    "kind": "works",
    "area": {"scope": "zones", "zones": ["epci:244400404"]},
    "capacity_eur": 150000,
    "references": ["Aménagement de la médiathèque de Rezé (2024)"]
  }]
}`
	proprete = `{
  "siret": "84512345400017",
  "name": "Coopérative Propreté de l'Erdre",
  "legal_category": "5560",
  "ess_basis": "legal_form",
  "inclusion_kinds": ["EA"],
  "naf_code": "81.21Z",
  "commune": "44109",
  "offers": [{
    "title": "Nettoyage de locaux administratifs",
    "cpv_codes": ["90910000-9"],
    "kind": "service",
    "area": {"scope": "radius", "radius_km": 30}
  }]
}`
	jardins = `{
  "siret": "79999888500021",
  "name": "Jardins Solidaires de l'Ouest",
  "legal_category": "5710",
  "ess_basis": "esus_agreement",
  "esus_expires_on": "2027-06-30",
  "commune": "44162",
  "offers": [{
    "title": "Entretien d'espaces verts",
    "cpv_codes": ["77310000-6"],
    "kind": "service",
    "area": {"scope": "country"}
  }]
}`
	draftStructure = `{
  "siret": "88877766100016",
  "name": "Recyclerie du Sillon (en projet)",
  "legal_category": "9220",
  "ess_basis": "legal_form",
  "commune": "44109",
  "status": "draft"
}`
)

type created struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
	Offers  []struct {
		ID string `json:"id"`
	} `json:"offers"`
}

func (ts *testServer) create(t *testing.T, body string) created {
	t.Helper()
	rec := ts.post("/v1/structures", body)
	mustStatus(t, rec, http.StatusCreated)
	return decode[created](t, rec)
}

func TestStructureLifecycle(t *testing.T) {
	ts := newTestServer(t)

	rec := ts.post("/v1/structures", atelierBois)
	assertGolden(t, "structure_create", rec)
	s := decode[created](t, rec)
	if got, want := rec.Header().Get("Location"), "/v1/structures/"+s.ID; got != want {
		t.Errorf("Location %q, want %q", got, want)
	}

	rec = ts.get("/v1/structures/" + s.ID)
	assertGolden(t, "structure_get", rec)
	etag := rec.Header().Get("ETag")
	if etag != `"1"` {
		t.Errorf("ETag %q, want \"1\"", etag)
	}

	rec = ts.get("/v1/structures/by-siret/91234567500017")
	mustStatus(t, rec, http.StatusOK)
	if got := decode[created](t, rec).ID; got != s.ID {
		t.Errorf("by-siret found %s, want %s", got, s.ID)
	}

	rec = ts.do(request{method: http.MethodPatch, path: "/v1/structures/" + s.ID, headers: []string{"If-Match: " + etag},
		body: `{"annual_turnover_eur": null, "turnover_year": null, "headcount_band": "12", "brand": ""}`})
	assertGolden(t, "structure_patch", rec)

	rec = ts.do(request{method: http.MethodPatch, path: "/v1/structures/" + s.ID, headers: []string{"If-Match: " + etag},
		body: `{"name": "Atelier Bois de Rezé"}`})
	assertGolden(t, "error_412_stale_if_match", rec)

	rec = ts.do(request{method: http.MethodDelete, path: "/v1/structures/" + s.ID})
	mustStatus(t, rec, http.StatusNoContent)
	if rec.Body.Len() != 0 {
		t.Errorf("DELETE answered a body: %s", rec.Body)
	}
	assertGolden(t, "error_404_structure", ts.get("/v1/structures/"+s.ID))
}

func TestPatchWithoutIfMatchApplies(t *testing.T) {
	ts := newTestServer(t)
	s := ts.create(t, proprete)
	rec := ts.do(request{method: http.MethodPatch, path: "/v1/structures/" + s.ID, body: `{"location": {"lat": 47.25, "lon": -1.52}}`})
	mustStatus(t, rec, http.StatusOK)
	if got := rec.Header().Get("ETag"); got != `"2"` {
		t.Errorf("ETag after one change %q, want \"2\"", got)
	}
	if !strings.Contains(rec.Body.String(), `"location":{"lat":47.25,"lon":-1.52}`) {
		t.Errorf("location not changed: %s", rec.Body)
	}
}

// listIDs reads the ids of a page and its next cursor.
func listIDs(t *testing.T, ts *testServer, path string) (ids []string, next *string, total int) {
	t.Helper()
	rec := ts.get(path)
	mustStatus(t, rec, http.StatusOK)
	page := decode[struct {
		Items      []created `json:"items"`
		NextCursor *string   `json:"next_cursor"`
		Total      int       `json:"total"`
	}](t, rec)
	for _, s := range page.Items {
		ids = append(ids, s.ID)
	}
	return ids, page.NextCursor, page.Total
}

func TestListStructuresFilters(t *testing.T) {
	ts := newTestServer(t)
	bois, prop, jard := ts.create(t, atelierBois).ID, ts.create(t, proprete).ID, ts.create(t, jardins).ID
	ts.create(t, draftStructure)

	tests := []struct {
		query string
		want  []string
	}{
		{"", []string{bois, prop, jard}},
		{"?cpv=45000000-7", []string{bois}},
		{"?cpv=45000000-7&cpv=77000000-0", []string{bois, jard}},
		{"?legal_family=cooperative&legal_family=ess_company", []string{prop, jard}},
		{"?inclusion=ACI", []string{bois}},
		{"?kind=service", []string{prop, jard}},
		{"?commune=75056", []string{jard}},
		{"?commune=44109&kind=works", []string{bois}},
		{"?first_time=true&open_to_cotraitance=true", []string{bois}},
		{"?verified=true", nil},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			ids, next, total := listIDs(t, ts, "/v1/structures"+tt.query)
			if strings.Join(ids, ",") != strings.Join(tt.want, ",") || total != len(tt.want) || next != nil {
				t.Errorf("got %v (total %d, next %v), want %v", ids, total, next, tt.want)
			}
		})
	}
	assertGolden(t, "structure_list_filtered", ts.get("/v1/structures?cpv=45000000-7"))
}

func TestListStructuresPagination(t *testing.T) {
	ts := newTestServer(t)
	want := []string{ts.create(t, atelierBois).ID, ts.create(t, proprete).ID, ts.create(t, jardins).ID}

	first, next, total := listIDs(t, ts, "/v1/structures?page_size=2")
	if len(first) != 2 || next == nil || total != 3 {
		t.Fatalf("first page %v, next %v, total %d; want 2 items, a cursor and total 3", first, next, total)
	}
	second, last, _ := listIDs(t, ts, "/v1/structures?page_size=2&cursor="+*next)
	if last != nil {
		t.Errorf("last page has next_cursor %q", *last)
	}
	if got := strings.Join(append(first, second...), ","); got != strings.Join(want, ",") {
		t.Errorf("pages %v, want %v", got, want)
	}
}

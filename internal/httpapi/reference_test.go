package httpapi_test

import (
	"net/http"
	"testing"
)

func TestCPVAutocompleteFindsMenuiserie(t *testing.T) {
	ts := newTestServer(t)
	rec := ts.get("/v1/cpv?q=menuiserie&limit=5")
	mustStatus(t, rec, http.StatusOK)
	list := decode[struct {
		Items []struct{ Code, Label string } `json:"items"`
	}](t, rec)
	found := false
	for _, c := range list.Items {
		found = found || (c.Code == "45421000-4" && c.Label == "Travaux de menuiserie")
	}
	if !found {
		t.Errorf("q=menuiserie does not list 45421000-4 Travaux de menuiserie: %s", rec.Body)
	}
	assertGolden(t, "cpv_search_menuiserie", rec)
}

func TestCPVWithParentChain(t *testing.T) {
	ts := newTestServer(t)
	assertGolden(t, "cpv_get", ts.get("/v1/cpv/45421000-4"))
	mustStatus(t, ts.get("/v1/cpv/45421000"), http.StatusOK)
	assertGolden(t, "error_404_cpv", ts.get("/v1/cpv/45421000-9"))
	assertGolden(t, "error_422_cpv_syntax", ts.get("/v1/cpv/4542"))
}

func TestCommunes(t *testing.T) {
	ts := newTestServer(t)
	assertGolden(t, "commune_search", ts.get("/v1/communes?q=saint-herb&limit=3"))
	assertGolden(t, "commune_get", ts.get("/v1/communes/44109"))
	mustStatus(t, ts.get("/v1/communes/99999"), http.StatusNotFound)
}

package search

import (
	"context"
	"slices"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

func TestRealCatalogue(t *testing.T) {
	cat := refdata.Default()
	ix, err := Open(t.TempDir()+"/index", Options{CPV: CatalogCPV(cat), Places: CatalogPlaces(cat)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, tt := range []struct {
		words []string
		want  string
	}{
		{[]string{"menuisier"}, "45421"},
		{[]string{"travaux", "de", "menuiserie"}, "45421"},
		{[]string{"nettoyage"}, "9091"},
	} {
		plan := ix.planText(joinWords(tt.words), false)
		var prefixes []string
		for p := range plan.concepts {
			prefixes = append(prefixes, p)
		}
		if !slices.ContainsFunc(prefixes, func(p string) bool { return len(p) <= len(tt.want) && tt.want[:len(p)] == p }) {
			t.Errorf("%v: concepts %v, want one covering %s", tt.words, prefixes, tt.want)
		}
	}
	joinery := domain.Structure{ID: "j", Name: "Atelier du Chêne", Status: domain.StatusPublished, Commune: "44109",
		Location: &domain.GeoPoint{Lat: 47.2186, Lon: -1.5541},
		Offers: []domain.Offer{{ID: "o", Title: "Agencement intérieur", CPVCodes: []string{"45421000-4"}, Kind: domain.OfferWorks,
			Area: domain.Area{Scope: domain.ScopeZones, Zones: []string{"epci:244400404"}}}}}
	green := domain.Structure{ID: "g", Name: "Vert Orvault", Status: domain.StatusPublished, Commune: "44114",
		Offers: []domain.Offer{{ID: "v", Title: "Entretien des espaces verts", CPVCodes: []string{"77310000-6"}, Kind: domain.OfferService,
			Area: domain.Area{Scope: domain.ScopeZones, Zones: []string{"commune:44114"}}}}}
	if err := ix.Apply(context.Background(), []domain.Structure{joinery, green}, nil, 1); err != nil {
		t.Fatal(err)
	}
	for _, q := range []Query{{Text: "menuisier "}, {Text: "menuiserie", Commune: "44143"}, {CPV: []string{"45000000-7"}, Commune: "44143"}} {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ids(res), []string{"j"}) {
			t.Errorf("%+v: got %v", q, ids(res))
		}
	}
	res, err := ix.Search(context.Background(), Query{Text: "espaces verts", Commune: "44143"})
	if err != nil || res.Total != 0 {
		t.Errorf("green spaces in Rezé: %v %v", ids(res), err)
	}
}

func joinWords(w []string) string {
	s := ""
	for i, x := range w {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}

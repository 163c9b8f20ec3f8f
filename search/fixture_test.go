package search

import (
	"context"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// fakeCPV is a small excerpt of the CPV catalogue with its real French labels.
var fakeCPV = CPVConceptsFunc(func() []CPVConcept {
	return []CPVConcept{
		{"45000000-7", "Travaux de construction", ""},
		{"45400000-1", "Travaux de parachèvement de bâtiment", "45000000-7"},
		{"45420000-7", "Travaux de menuiserie et de charpenterie", "45400000-1"},
		{"45421000-4", "Travaux de menuiserie", "45420000-7"},
		{"55000000-0", "Services d'hôtellerie, de restaurant et de commerce au détail", ""},
		{"55520000-1", "Services de traiteur", "55000000-0"},
		{"77000000-0", "Services agricoles, sylvicoles, horticoles, aquacoles et apicoles", ""},
		{"77300000-3", "Services horticoles", "77000000-0"},
		{"77310000-6", "Services de plantation et d'entretien des espaces verts", "77300000-3"},
		{"90000000-7", "Services d'évacuation des eaux usées et d'élimination des déchets, services d'assainissement et services relatifs à l'environnement", ""},
		{"90900000-6", "Services de nettoyage et d'hygiène", "90000000-7"},
		{"90910000-9", "Services de nettoyage", "90900000-6"},
	}
})

// fakePlaces knows a few communes of Nantes Métropole and Paris.
var fakePlaces = CommunePlacesFunc(func(insee string) (Place, bool) {
	p, ok := map[string]Place{
		"44109": {INSEE: "44109", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.2186, Lon: -1.5541}, HasCentre: true},
		"44143": {INSEE: "44143", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.1906, Lon: -1.5694}, HasCentre: true},
		"44114": {INSEE: "44114", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.2714, Lon: -1.6225}, HasCentre: true},
		"44162": {INSEE: "44162", Department: "44", Region: "52", EPCI: "244400404", Centre: domain.GeoPoint{Lat: 47.2122, Lon: -1.6497}, HasCentre: true},
		"75056": {INSEE: "75056", Department: "75", Region: "11", EPCI: "200054781", Centre: domain.GeoPoint{Lat: 48.8566, Lon: 2.3522}, HasCentre: true},
	}[insee]
	return p, ok
})

var (
	nantes        = &domain.GeoPoint{Lat: 47.2186, Lon: -1.5541}
	orvault       = &domain.GeoPoint{Lat: 47.2714, Lon: -1.6225}
	saintHerblain = &domain.GeoPoint{Lat: 47.2122, Lon: -1.6497}
	reze          = &domain.GeoPoint{Lat: 47.1906, Lon: -1.5694}
)

func day(n int) time.Time { return time.Date(2026, 1, n, 12, 0, 0, 0, time.UTC) }

func i64(v int64) *int64 { return &v }

func offer(id, title string, kind domain.OfferKind, area domain.Area, cpv ...string) domain.Offer {
	return domain.Offer{ID: id, Title: title, Kind: kind, Area: area, CPVCodes: cpv}
}

func zones(z ...string) domain.Area { return domain.Area{Scope: domain.ScopeZones, Zones: z} }
func radius(km float64) domain.Area { return domain.Area{Scope: domain.ScopeRadius, RadiusKM: km} }

var country = domain.Area{Scope: domain.ScopeCountry}

// fixtures is a hand-written directory: each structure is there to make one rule of the contract observable.
func fixtures() []domain.Structure {
	verified := day(2)
	return []domain.Structure{
		{ID: "cafe", Name: "Café Solidaire des Dervallières", ESSFamily: domain.FamilyAssociation, Commune: "44109",
			Location: nantes, Status: domain.StatusPublished, UpdatedAt: day(5), HeadcountBand: "11", AnnualTurnoverEUR: i64(300_000),
			Description: "Un café associatif et une cuisine de quartier.",
			Offers:      []domain.Offer{offer("cafe-1", "Restauration et plateaux repas", domain.OfferService, zones("departement:44"), "55520000-1")}},
		{ID: "chene", Name: "Atelier du Chêne", ESSFamily: domain.FamilyCooperative, Commune: "44109", Location: nantes,
			Status: domain.StatusPublished, UpdatedAt: day(3), PublicAwardsCount: 2, OpenToCotraitance: true,
			Description: "Fabrication sur mesure pour les collectivités.",
			Offers:      []domain.Offer{offer("chene-1", "Agencement intérieur", domain.OfferWorks, radius(30), "45421000-4")}},
		{ID: "jardins-reze", Name: "Les Jardins de la Sèvre", ESSFamily: domain.FamilyAssociation, InclusionKinds: []string{"ACI"},
			Commune: "44143", Location: reze, Status: domain.StatusPublished, UpdatedAt: day(7),
			Description: "Atelier chantier d'insertion en maraîchage.",
			Offers:      []domain.Offer{offer("jr-1", "Entretien des espaces verts", domain.OfferService, zones("commune:44143"), "77310000-6")}},
		{ID: "vert-orvault", Name: "Vert Orvault", ESSFamily: domain.FamilyESSCompany, InclusionKinds: []string{"EI"},
			Commune: "44114", Location: orvault, Status: domain.StatusPublished, UpdatedAt: day(1),
			Offers: []domain.Offer{offer("vo-1", "Entretien des espaces verts et élagage", domain.OfferService, zones("commune:44114"), "77310000-6")}},
		{ID: "esat", Name: "ESAT les Ateliers de l'Erdre", ESSFamily: domain.FamilyAssociation, InclusionKinds: []string{"ESAT"},
			Commune: "44162", Location: saintHerblain, Status: domain.StatusPublished, UpdatedAt: day(9), HeadcountBand: "22",
			Offers: []domain.Offer{offer("esat-1", "Entretien des locaux", domain.OfferService, radius(20), "90910000-9")}},
		{ID: "ea", Name: "Entreprise Adaptée de l'Ouest", ESSFamily: domain.FamilyESSCompany, InclusionKinds: []string{"EA"},
			Commune: "44109", Location: nantes, Status: domain.StatusPublished, UpdatedAt: day(4), PublicAwardsCount: 3,
			VerifiedAt: &verified, AnnualTurnoverEUR: i64(2_000_000),
			Offers: []domain.Offer{offer("ea-1", "Propreté des bureaux", domain.OfferService, country, "90910000-9")}},
		{ID: "coop-eco", Name: "Coopérative Écologique du Littoral", ESSFamily: domain.FamilyCooperative, Commune: "44109",
			Status: domain.StatusPublished, UpdatedAt: day(6), Description: "Produits d'entretien écologiques.",
			Contact: domain.Contact{Email: "contact@coop-eco.example"},
			Representatives: []domain.Representative{{Name: "Jeanne Dupontmartel", Role: "Gérante",
				Email: "jeanne.dupontmartel@perso.example", Phone: "+33612345678"}},
			Offers: []domain.Offer{offer("ce-1", "Produits ménagers", domain.OfferSupply, country)}},
		{ID: "brouillon", Name: "Café Brouillon", ESSFamily: domain.FamilyAssociation, Commune: "44109", Status: domain.StatusDraft,
			UpdatedAt: day(8)},
		{ID: "menuiserie", Name: "Menuiserie Rezéenne", ESSFamily: domain.FamilyCooperative, Commune: "44143", Location: reze,
			Status: domain.StatusPublished, UpdatedAt: day(2), PublicAwardsCount: 1,
			Offers: []domain.Offer{offer("m-1", "Menuiserie bois et aluminium", domain.OfferWorks, zones("epci:244400404"), "45420000-7")}},
	}
}

func openFixture(t *testing.T, opts Options) *Index {
	t.Helper()
	ix, err := Open(t.TempDir()+"/index", opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.Apply(context.Background(), fixtures(), nil, 42); err != nil {
		t.Fatal(err)
	}
	return ix
}

func ids(r Result) []string {
	out := make([]string, len(r.Hits))
	for i, h := range r.Hits {
		out[i] = h.ID
	}
	return out
}

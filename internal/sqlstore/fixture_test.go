package sqlstore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// testCommunes is the slice of the commune reference the tests need (values from communes-france.csv).
var testCommunes = map[string]struct {
	dep, reg, epci string
	centre         domain.GeoPoint
}{
	"44109": {"44", "52", "244400404", domain.GeoPoint{Lat: 47.231636, Lon: -1.54831}},  // Nantes
	"44143": {"44", "52", "244400404", domain.GeoPoint{Lat: 47.176234, Lon: -1.549664}}, // Rezé, 6 km south
	"44184": {"44", "52", "244400644", domain.GeoPoint{Lat: 47.280286, Lon: -2.253799}}, // Saint-Nazaire
	"49007": {"49", "52", "244900015", domain.GeoPoint{Lat: 47.476837, Lon: -0.556126}}, // Angers
	"29019": {"29", "53", "242900314", domain.GeoPoint{Lat: 48.4005, Lon: -4.502791}},   // Brest, 300 km away
}

func lookupCommune(insee string) (domain.CommunePlace, bool) {
	c, ok := testCommunes[insee]
	return domain.CommunePlace{INSEE: insee, Department: c.dep, Region: c.reg, EPCI: c.epci, Centre: c.centre}, ok
}

func newStore(t testing.TB) *sqlstore.Store {
	t.Helper()
	return sqlstore.New(dbtest.Open(t), sqlstore.WithCommuneLookup(lookupCommune))
}

func newID(t testing.TB) string {
	t.Helper()
	id, err := uuid.NewV7()
	if err != nil {
		t.Fatal(err)
	}
	return id.String()
}

func ptr[T any](v T) *T { return &v }

// at is a fixed UTC instant at microsecond precision, the precision the store keeps.
func at(day int) time.Time {
	return time.Date(2025, 3, day, 9, 30, 15, 123456000, time.UTC)
}

func date(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// fullStructure returns a published structure with every field set, two representatives and two offers; n makes
// its SIRET unique.
func fullStructure(t testing.TB, n int) domain.Structure {
	t.Helper()
	id := newID(t)
	siren := fmt.Sprintf("%09d", 100000000+n)
	return domain.Structure{
		ID: id, SIRET: siren + "00017", SIREN: siren,
		Name: fmt.Sprintf("Atelier solidaire %d", n), Brand: "Les Ateliers",
		LegalCategory: "9220", ESSFamily: domain.FamilyAssociation, ESSBasis: domain.BasisLegalForm,
		ESUSExpiresOn:  date(2027, time.June, 30),
		InclusionKinds: []string{"ACI", "EI"},
		NAFCode:        "88.99B", HeadcountBand: "12",
		AnnualTurnoverEUR: ptr(int64(1_250_000)), TurnoverYear: ptr(2024),
		Address: "12 rue de la Paix", Postcode: "44400", Commune: "44143",
		Location: &domain.GeoPoint{Lat: 47.1801234, Lon: -1.5512345},
		Website:  "https://atelier.example.org", Description: "Insertion par le bâtiment et les espaces verts.",
		Labels:            []string{"Lucie", "Qualibat"},
		Contact:           domain.Contact{Email: "contact@atelier.example.org", Phone: "+33240000000"},
		Representatives:   []domain.Representative{{Name: "Camille Martin", Role: "Directrice", Email: "c.martin@atelier.example.org", Phone: "+33600000001"}, {Name: "Yanis Leroy", Role: "Chargé d'affaires", Email: "y.leroy@atelier.example.org", Phone: "+33600000002"}},
		OpenToCotraitance: true, Status: domain.StatusPublished,
		VerifiedAt: ptr(at(2)), VerifiedBy: "admin@essor.example",
		PublicAwardsCount: 3, LastAwardOn: date(2024, time.November, 5),
		CreatedAt: at(1), UpdatedAt: at(2), Version: 1,
		Offers: []domain.Offer{
			{
				ID: newID(t), StructureID: id, Title: "Peinture intérieure", Description: "Travaux de peinture.",
				CPVCodes: []string{"45442100-8", "45421000-4"}, Kind: domain.OfferWorks,
				Area:        domain.Area{Scope: domain.ScopeZones, Zones: []string{"commune:44109", "departement:49"}},
				CapacityEUR: ptr(int64(200_000)), References: []string{"Marché 2023-17 Nantes Métropole"},
				CreatedAt: at(1), UpdatedAt: at(2),
			},
			{
				ID: newID(t), StructureID: id, Title: "Entretien d'espaces verts",
				CPVCodes: []string{"77310000-6"}, Kind: domain.OfferService,
				Area:      domain.Area{Scope: domain.ScopeRadius, RadiusKM: 25.5},
				CreatedAt: at(1), UpdatedAt: at(1),
			},
		},
	}
}

// minimalStructure returns a published structure without offers, representatives or optional fields.
func minimalStructure(t testing.TB, n int) domain.Structure {
	t.Helper()
	siren := fmt.Sprintf("%09d", 200000000+n)
	return domain.Structure{
		ID: newID(t), SIRET: siren + "00012", SIREN: siren, Name: fmt.Sprintf("Structure %d", n),
		ESSFamily: domain.FamilyCooperative, ESSBasis: domain.BasisLegalForm, Status: domain.StatusPublished,
		CreatedAt: at(1), UpdatedAt: at(1), Version: 1,
	}
}

func mustCreate(t testing.TB, store *sqlstore.Store, s domain.Structure) domain.Structure {
	t.Helper()
	if err := store.CreateStructure(context.Background(), &s); err != nil {
		t.Fatalf("CreateStructure(%s): %v", s.Name, err)
	}
	return s
}

func wantKind(t testing.TB, err error, kind domain.Kind) {
	t.Helper()
	if got := domain.KindOf(err); err == nil || got != kind {
		t.Fatalf("error = %v (kind %q), want kind %q", err, got, kind)
	}
}

package allotment

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// The fixtures are small copies of the embedded reference data (testdata/cpv.csv, testdata/communes.csv: Loire-
// Atlantique) and a hand-written directory of 34 ESS structures around Nantes (testdata/directory.json).

type fixtures struct {
	cpv       map[string]CPVFacts
	cpvCodes  []string
	places    map[string]CommunePlace
	nantes    []string // the 24 communes of Nantes Métropole
	directory []SupplyStructure
}

var (
	fixturesOnce sync.Once
	fixturesData fixtures
)

func loadFixtures(t testing.TB) fixtures {
	t.Helper()
	fixturesOnce.Do(func() {
		fixturesData = fixtures{cpv: map[string]CPVFacts{}, places: map[string]CommunePlace{}}
		for _, r := range readCSV(t, "testdata/cpv.csv") {
			fixturesData.cpv[r[0]] = CPVFacts{Nature: Nature(r[1]), SocialSpecific: r[2] == "yes",
				ReservableL2113_15: r[3] == "yes"}
			fixturesData.cpvCodes = append(fixturesData.cpvCodes, r[0])
		}
		for _, r := range readCSV(t, "testdata/communes.csv") {
			lat, _ := strconv.ParseFloat(r[5], 64)
			lon, _ := strconv.ParseFloat(r[6], 64)
			fixturesData.places[r[0]] = CommunePlace{Name: r[1], Department: r[2], Region: r[3], EPCI: r[4],
				Centre: domain.GeoPoint{Lat: lat, Lon: lon}}
			if r[4] == "244400404" {
				fixturesData.nantes = append(fixturesData.nantes, r[0])
			}
		}
		fixturesData.directory = readDirectory(t, fixturesData.places)
	})
	return fixturesData
}

func readCSV(t testing.TB, path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows[1:]
}

func readDirectory(t testing.TB, places map[string]CommunePlace) []SupplyStructure {
	var raw []struct {
		ID        string   `json:"id"`
		Commune   string   `json:"commune"`
		Turnover  *int64   `json:"turnover"`
		FirstTime bool     `json:"first_time"`
		Kinds     []string `json:"kinds"`
		Offers    []struct {
			CPV      []string `json:"cpv"`
			Scope    string   `json:"scope"`
			RadiusKM float64  `json:"radius_km"`
			Zones    []string `json:"zones"`
			Capacity *int64   `json:"capacity"`
		} `json:"offers"`
	}
	b, err := os.ReadFile("testdata/directory.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	var out []SupplyStructure
	for _, r := range raw {
		centre := places[r.Commune].Centre
		s := SupplyStructure{ID: r.ID, Location: &centre, TurnoverEUR: r.Turnover, FirstTime: r.FirstTime,
			InclusionKinds: r.Kinds}
		for _, o := range r.Offers {
			s.Offers = append(s.Offers, SupplyOffer{CPVCodes: o.CPV, CapacityEUR: o.Capacity,
				Area: domain.Area{Scope: domain.AreaScope(o.Scope), RadiusKM: o.RadiusKM, Zones: o.Zones}})
		}
		out = append(out, s)
	}
	return out
}

func (f fixtures) cpvInfo() CPVInfo {
	return CPVInfoFunc(func(code string) (CPVFacts, bool) { c, ok := f.cpv[code]; return c, ok })
}

func (f fixtures) lookup(insee string) (CommunePlace, bool) {
	p, ok := f.places[insee]
	return p, ok
}

// engine returns an engine over the hand-written directory.
func (f fixtures) engine() Engine {
	return f.engineOver(f.directory)
}

func (f fixtures) engineOver(structures []SupplyStructure) Engine {
	return Engine{CPV: f.cpvInfo(), Places: f.lookup, Supply: NewMemorySupply(structures, f.lookup),
		Now: func() time.Time { return date("2026-11-26") }}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// population weights Nantes Métropole's communes for the green-space need (INSEE 2021 municipal population).
var population = map[string]float64{
	"44009": 9679, "44018": 8343, "44020": 20530, "44024": 2709, "44026": 20921, "44035": 20690, "44047": 24103,
	"44074": 4160, "44094": 3409, "44101": 6505, "44109": 327734, "44114": 28534, "44120": 5319, "44143": 43556,
	"44150": 3996, "44162": 50973, "44166": 6067, "44171": 2171, "44172": 16400, "44190": 28596, "44194": 8555,
	"44198": 9275, "44204": 11004, "44215": 26227,
}

// greenSpaceNeed is the example: green-space maintenance in the 24 communes, 1.2 M€ HT over 4 years, one
// line per commune (in proportion to population) plus tree pruning over the whole metropolis.
func greenSpaceNeed(f fixtures, on string) Need {
	n := Need{Title: "Entretien des espaces verts de Nantes Métropole", BuyerKind: BuyerLocal, DurationMonths: 48,
		ReferenceDate: date(on)}
	var pop float64
	for _, c := range f.nantes {
		pop += population[c]
	}
	const pruning = 120_000
	for _, c := range f.nantes {
		n.Lines = append(n.Lines, Line{Label: "Entretien des espaces verts — " + f.places[c].Name, CPV: "77310000-6",
			EstimatedValueEUR: float64(int((1_200_000 - pruning) * population[c] / pop)), Communes: []string{c}})
	}
	var sum float64
	for _, l := range n.Lines {
		sum += l.EstimatedValueEUR
	}
	n.Lines = append(n.Lines, Line{Label: "Élagage et taille des haies, toutes communes", CPV: "77340000-5",
		EstimatedValueEUR: 1_200_000 - sum, Communes: f.nantes})
	return n
}

func schoolCateringNeed(on string) Need {
	return Need{Title: "Restauration scolaire de Rezé et Bouguenais", BuyerKind: BuyerLocal, DurationMonths: 36,
		ReferenceDate: date(on), Lines: []Line{
			{Label: "Restauration scolaire — écoles de Rezé", CPV: "55523100-3", EstimatedValueEUR: 540_000, Communes: []string{"44143"}},
			{Label: "Restauration scolaire — écoles de Bouguenais", CPV: "55523100-3", EstimatedValueEUR: 300_000, Communes: []string{"44020"}},
			{Label: "Repas préparés pour les centres de loisirs", CPV: "15894200-3", EstimatedValueEUR: 90_000, Communes: []string{"44143", "44020"}},
			{Label: "Goûters et traiteur des fêtes d'école", CPV: "55524000-9", EstimatedValueEUR: 45_000, Communes: []string{"44143", "44020"}},
		}}
}

func officeCleaningNeed(on string) Need {
	return Need{Title: "Nettoyage des bureaux de la préfecture et de ses annexes", BuyerKind: BuyerState,
		DurationMonths: 36, ReferenceDate: date(on), Lines: []Line{
			{Label: "Nettoyage des bureaux — site principal de Nantes", CPV: "90919200-4", EstimatedValueEUR: 360_000, Communes: []string{"44109"}},
			{Label: "Nettoyage des bureaux — annexe de Saint-Herblain", CPV: "90919200-4", EstimatedValueEUR: 60_000, Communes: []string{"44162"}},
			{Label: "Nettoyage des bureaux — annexe de Rezé", CPV: "90919200-4", EstimatedValueEUR: 45_000, Communes: []string{"44143"}},
			{Label: "Nettoyage des vitres, tous sites", CPV: "90911300-9", EstimatedValueEUR: 30_000, Communes: []string{"44109", "44162", "44143"}},
		}}
}

func schoolRenovationNeed(on string) Need {
	c := []string{"44047"}
	return Need{Title: "Rénovation du groupe scolaire Jean-Zay à Couëron", BuyerKind: BuyerLocal, DurationMonths: 18,
		ReferenceDate: date(on), Lines: []Line{
			{Label: "Gros œuvre et remise en état", CPV: "45453000-7", EstimatedValueEUR: 600_000, Communes: c},
			{Label: "Charpente et couverture", CPV: "45261000-4", EstimatedValueEUR: 400_000, Communes: c},
			{Label: "Menuiseries intérieures et extérieures", CPV: "45421000-4", EstimatedValueEUR: 320_000, Communes: c},
			{Label: "Électricité", CPV: "45310000-3", EstimatedValueEUR: 260_000, Communes: c},
			{Label: "Peinture", CPV: "45442100-8", EstimatedValueEUR: 180_000, Communes: c},
			{Label: "Plomberie et sanitaires", CPV: "45330000-9", EstimatedValueEUR: 140_000, Communes: c},
		}}
}

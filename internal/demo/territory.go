package demo

import (
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/essor-ess/essor/internal/domain"
)

// commune is one of the 24 communes of Nantes Métropole, copied from nantes-metropole-communes.csv (INSEE 2024
// populations) with the French prepositions its name takes, which no rule derives ("au Pellerin", "aux Sorinières").
type commune struct {
	insee      string
	name       string
	at         string // "à Nantes", "au Pellerin"
	of         string // "de Nantes", "d'Orvault", "du Pellerin"
	postcodes  []string
	lat, lon   float64
	population int
}

// communes is ordered by INSEE code, as in the source file.
var communes = []commune{
	{"44009", "Basse-Goulaine", "à Basse-Goulaine", "de Basse-Goulaine", []string{"44115"}, 47.2120137336, -1.46246852595, 9679},
	{"44018", "Bouaye", "à Bouaye", "de Bouaye", []string{"44830"}, 47.1473396882, -1.6725437059, 8343},
	{"44020", "Bouguenais", "à Bouguenais", "de Bouguenais", []string{"44340"}, 47.1709061678, -1.61739752858, 20530},
	{"44024", "Brains", "à Brains", "de Brains", []string{"44830"}, 47.1701591492, -1.72606479691, 2709},
	{"44026", "Carquefou", "à Carquefou", "de Carquefou", []string{"44470"}, 47.3017191833, -1.47277200095, 20921},
	{"44035", "La Chapelle-sur-Erdre", "à La Chapelle-sur-Erdre", "de La Chapelle-sur-Erdre", []string{"44240"}, 47.3035629617, -1.56078596697, 20690},
	{"44047", "Couëron", "à Couëron", "de Couëron", []string{"44220"}, 47.2309985029, -1.72929002573, 24103},
	{"44074", "Indre", "à Indre", "d'Indre", []string{"44610"}, 47.1985008197, -1.6717810311, 4160},
	{"44094", "Mauves-sur-Loire", "à Mauves-sur-Loire", "de Mauves-sur-Loire", []string{"44470"}, 47.3161301081, -1.40277407662, 3409},
	{"44101", "La Montagne", "à La Montagne", "de La Montagne", []string{"44620"}, 47.1849548503, -1.6848281963, 6505},
	{"44109", "Nantes", "à Nantes", "de Nantes", []string{"44000", "44100", "44200", "44300"}, 47.2316356767, -1.54831008605, 327734},
	{"44114", "Orvault", "à Orvault", "d'Orvault", []string{"44700"}, 47.2739815478, -1.62323898524, 28534},
	{"44120", "Le Pellerin", "au Pellerin", "du Pellerin", []string{"44640"}, 47.2229017049, -1.8250130027, 5319},
	{"44143", "Rezé", "à Rezé", "de Rezé", []string{"44400"}, 47.1762338904, -1.54966399893, 43556},
	{"44150", "Saint-Aignan-Grandlieu", "à Saint-Aignan-Grandlieu", "de Saint-Aignan-Grandlieu", []string{"44860"}, 47.1331072085, -1.62317141788, 3996},
	{"44162", "Saint-Herblain", "à Saint-Herblain", "de Saint-Herblain", []string{"44800"}, 47.2243762412, -1.63434818692, 50973},
	{"44166", "Saint-Jean-de-Boiseau", "à Saint-Jean-de-Boiseau", "de Saint-Jean-de-Boiseau", []string{"44640"}, 47.1940918482, -1.71963718328, 6067},
	{"44171", "Saint-Léger-les-Vignes", "à Saint-Léger-les-Vignes", "de Saint-Léger-les-Vignes", []string{"44710"}, 47.1429694401, -1.7140364404, 2171},
	{"44172", "Sainte-Luce-sur-Loire", "à Sainte-Luce-sur-Loire", "de Sainte-Luce-sur-Loire", []string{"44980"}, 47.2536231327, -1.4728987153, 16400},
	{"44190", "Saint-Sébastien-sur-Loire", "à Saint-Sébastien-sur-Loire", "de Saint-Sébastien-sur-Loire", []string{"44230"}, 47.2031024794, -1.4992042742, 28596},
	{"44194", "Sautron", "à Sautron", "de Sautron", []string{"44880"}, 47.273226935, -1.6804726586, 8555},
	{"44198", "Les Sorinières", "aux Sorinières", "des Sorinières", []string{"44840"}, 47.1414647152, -1.5202224711, 9275},
	{"44204", "Thouaré-sur-Loire", "à Thouaré-sur-Loire", "de Thouaré-sur-Loire", []string{"44470"}, 47.2763256866, -1.43162198248, 11004},
	{"44215", "Vertou", "à Vertou", "de Vertou", []string{"44120"}, 47.1603732625, -1.47052291749, 26227},
}

// Zone codes of the wider territory around the communes.
const (
	nantesMetropoleEPCI = "244400404"
	loireAtlantique     = "44"
	paysDeLaLoire       = "52"
)

// neighbourDepartments are the départements bordering Loire-Atlantique, which regional offers sometimes add.
var neighbourDepartments = []string{"35", "49", "56", "85"}

// communeWeights follows population with a floor, so that small communes still appear in a 300-structure demo.
var communeWeights = func() []int {
	w := make([]int, len(communes))
	for i, c := range communes {
		w[i] = max(c.population, 6000)
	}
	return w
}()

// place is a river, quarter or landmark of the métropole that structure names borrow ("de la Chézine").
type place struct {
	short string // "Chézine", for names such as "Chézine Services"
	of    string // "de la Chézine"
}

var places = []place{
	{"Chézine", "de la Chézine"}, {"Erdre", "de l'Erdre"}, {"Sèvre", "de la Sèvre"}, {"Loire", "de la Loire"},
	{"Estuaire", "de l'Estuaire"}, {"Trentemoult", "de Trentemoult"}, {"Cens", "de la Cens"},
	{"Gesvres", "du Gesvres"}, {"Chantenay", "de Chantenay"}, {"Doulon", "de Doulon"}, {"Bottière", "de la Bottière"},
	{"Procé", "de Procé"}, {"Bellevue", "de Bellevue"}, {"Malakoff", "de Malakoff"}, {"Sainte-Anne", "de Sainte-Anne"},
	{"Pirmil", "de Pirmil"}, {"Amazonie", "de la Petite Amazonie"}, {"Île de Nantes", "de l'Île de Nantes"},
	{"Dervallières", "des Dervallières"}, {"Madeleine", "de la Madeleine"}, {"Beaulieu", "de Beaulieu"},
	{"Beaujoire", "de la Beaujoire"}, {"Ranzay", "de Ranzay"}, {"Halvêque", "de l'Halvêque"},
	{"Port-Boyer", "de Port-Boyer"}, {"Goulaine", "de Goulaine"}, {"Grand-Lieu", "de Grand-Lieu"},
	{"Jaguère", "de la Jaguère"}, {"Fleuriaye", "de la Fleuriaye"}, {"Gâcherie", "de la Gâcherie"},
	{"Saint-Félix", "de Saint-Félix"}, {"Zola", "de Zola"}, {"Prairie", "de la Prairie"}, {"Ouest", "de l'Ouest"},
	{"Atlantique", "de l'Atlantique"}, {"Divatte", "de la Divatte"}, {"Ilette", "de l'Ilette"},
	{"Chantrerie", "de la Chantrerie"}, {"Butte", "de la Butte Sainte-Anne"}, {"Talensac", "de Talensac"},
	{"Breil", "du Breil"}, {"Sillon", "du Sillon de Bretagne"}, {"Marais", "du Marais de Goulaine"},
	{"Tillay", "du Tillay"}, {"Moulin", "du Moulin"}, {"Vignes", "des Vignes"}, {"Rives", "des Rives de Loire"},
	{"Bords de Sèvre", "des Bords de Sèvre"},
}

// streets are plausible French street names; none is meant to designate a real address.
var streets = []string{
	"rue de la Paix", "rue Jean Jaurès", "rue Victor Hugo", "boulevard Jules Verne", "rue des Tilleuls",
	"allée des Mésanges", "impasse des Lilas", "chemin de la Métairie", "rue du Moulin", "rue de la Gare",
	"rue des Artisans", "rue de l'Industrie", "rue Pasteur", "avenue de la Libération", "rue du Stade",
	"rue des Peupliers", "rue de la Fontaine", "rue Aristide Briand", "rue Louise Michel", "rue Olympe de Gouges",
	"boulevard des Pas Enchantés", "rue de la Prairie", "rue du Port", "quai des Chantiers", "rue des Ajoncs",
	"rue de la Chênaie", "allée des Vignes", "rue des Coquelicots", "chemin des Bruyères", "rue du Calvaire",
	"rue de Bretagne", "rue de la Commune de 1871", "rue Lucie Aubrac", "rue des Frères Lumière", "rue Jacques Prévert",
	"rue des Écoles", "rue du Bois Hardy", "rue de la Garenne", "avenue des Noëlles", "rue Marie Curie",
	"rue Anne de Bretagne", "rue des Sabotiers", "rue des Tanneurs", "rue de l'Ouche", "rue des Forges",
}

// estates are business parks and third places where ESS structures often rent premises.
var estates = []string{
	"ZA de la Lande", "ZI des Hauts de Couëron", "Parc d'activités de la Bérangerais", "ZA du Chêne Vert",
	"Pôle de l'Économie Solidaire", "Hôtel d'entreprises de la Fleuriaye", "ZAC des Perrières", "Parc du Tillay",
}

// address returns a street line such as "12 rue des Tilleuls" or "ZA de la Lande, 3 rue des Artisans".
func address(r *rand.Rand) string {
	line := strconv.Itoa(1+r.IntN(120)) + " " + streets[r.IntN(len(streets))]
	switch r.IntN(10) {
	case 0:
		line = estates[r.IntN(len(estates))] + ", " + line
	case 1:
		line = strconv.Itoa(1+r.IntN(40)) + " bis " + streets[r.IntN(len(streets))]
	}
	return line
}

// jitteredLocation puts a structure near its commune centre: a few hundred meters to ~2.5 km away (a little more in
// Nantes, which is wider), so maps do not stack every structure on one point.
func jitteredLocation(r *rand.Rand, c commune) *domain.GeoPoint {
	spread := 0.012
	if c.insee == "44109" {
		spread = 0.025
	}
	return &domain.GeoPoint{
		Lat: round6(c.lat + (r.Float64()*2-1)*spread),
		Lon: round6(c.lon + (r.Float64()*2-1)*spread*1.4),
	}
}

func round6(x float64) float64 {
	const f = 1e6
	if x < 0 {
		return -float64(int64(-x*f+0.5)) / f
	}
	return float64(int64(x*f+0.5)) / f
}

// area draws an offer's intervention area around its structure's commune; wide offers (services that travel or
// ship) may cover the whole country.
func area(r *rand.Rand, home commune, wide bool) domain.Area {
	roll := r.IntN(100)
	switch {
	case wide && roll < 25:
		return domain.Area{Scope: domain.ScopeCountry}
	case roll < 35:
		return domain.Area{Scope: domain.ScopeRadius, RadiusKM: float64(10 + 5*r.IntN(11))}
	case roll < 58:
		return domain.Area{Scope: domain.ScopeZones, Zones: nearbyCommunes(r, home)}
	case roll < 74:
		return domain.Area{Scope: domain.ScopeZones, Zones: []string{"epci:" + nantesMetropoleEPCI}}
	case roll < 90:
		zones := []string{"departement:" + loireAtlantique}
		if r.IntN(4) == 0 {
			zones = append(zones, "departement:"+neighbourDepartments[r.IntN(len(neighbourDepartments))])
		}
		return domain.Area{Scope: domain.ScopeZones, Zones: zones}
	default:
		return domain.Area{Scope: domain.ScopeZones, Zones: []string{"region:" + paysDeLaLoire}}
	}
}

// nearbyCommunes lists the home commune and up to four others, without repeats.
func nearbyCommunes(r *rand.Rand, home commune) []string {
	zones := make([]string, 0, 5)
	zones = append(zones, "commune:"+home.insee)
	for range r.IntN(5) {
		z := "commune:" + communes[r.IntN(len(communes))].insee
		if !slices.Contains(zones, z) {
			zones = append(zones, z)
		}
	}
	return zones
}

package domain

// fakeReference is a small in-test stand-in for internal/refdata (built in parallel), holding a handful of real
// codes from /work/shared/data so that validation tests do not depend on another package.
type fakeReference struct{}

var (
	fakeCPV = map[string]string{ // code8 → full code
		"45000000": "45000000-7",
		"45200000": "45200000-9",
		"45210000": "45210000-2",
		"45421000": "45421000-4",
		"90910000": "90910000-9",
		"77310000": "77310000-6",
	}
	fakeCommunes = map[string]GeoPoint{
		"44109": {Lat: 47.2186, Lon: -1.5541}, // Nantes
		"44143": {Lat: 47.1833, Lon: -1.55},   // Rezé
		"2A004": {Lat: 41.9189, Lon: 8.7386},  // Ajaccio
	}
	fakeLegalCategories = map[string]ESSFamily{
		"9220": FamilyAssociation, // association déclarée
		"5458": FamilyCooperative, // SCOP SA
		"5499": "",                // SA, a commercial form
		"5710": "",                // SAS, a commercial form
	}
)

func (fakeReference) CPVExists(code string) bool {
	code8, err := ParseCPVCode(code)
	if err != nil {
		return false
	}
	full, ok := fakeCPV[code8]
	return ok && (len(code) == 8 || code == full)
}

func (fakeReference) CommuneExists(insee string) bool { _, ok := fakeCommunes[insee]; return ok }

func (fakeReference) CommuneCentre(insee string) (GeoPoint, bool) {
	g, ok := fakeCommunes[insee]
	return g, ok
}

func (fakeReference) DepartmentExists(code string) bool {
	return code == "44" || code == "2A" || code == "974"
}
func (fakeReference) RegionExists(code string) bool { return code == "52" || code == "94" }
func (fakeReference) EPCIExists(siren string) bool  { return siren == "244400404" }

func (fakeReference) LegalCategoryFamily(code string) (ESSFamily, bool) {
	f, ok := fakeLegalCategories[code]
	return f, ok
}

func (fakeReference) NAFExists(code string) bool { return code == "88.99B" || code == "81.21Z" }
func (fakeReference) HeadcountBandExists(code string) bool {
	return code == "NN" || code == "01" || code == "11"
}
func (fakeReference) InclusionKindExists(code string) bool {
	return code == "EI" || code == "ACI" || code == "EA" || code == "ESAT"
}

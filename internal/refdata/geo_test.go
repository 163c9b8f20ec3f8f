package refdata

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// sourceDir holds the public source files the embedded data is derived from; tests that compare against them
// skip when it is absent, as in a clone without the shared workspace.
const sourceDir = "../../../shared/data"

func readSource(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(filepath.Join(sourceDir, name))
	if os.IsNotExist(err) {
		t.Skipf("source %s not available", name)
	}
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

func TestCommune(t *testing.T) {
	tests := []struct {
		insee, name, dept, region, epci string
		postcode                        string
		population                      int // lower bound
	}{
		{"44109", "Nantes", "44", "52", NantesMetropoleEPCI, "44000", 300000},
		{"44162", "Saint-Herblain", "44", "52", NantesMetropoleEPCI, "44800", 40000},
		{"44143", "Rezé", "44", "52", NantesMetropoleEPCI, "44400", 40000},
		{"44035", "La Chapelle-sur-Erdre", "44", "52", NantesMetropoleEPCI, "44240", 15000},
		{"44184", "Saint-Nazaire", "44", "52", "244400644", "44600", 60000},
		{"2A004", "Ajaccio", "2A", "94", "242010056", "20000", 60000},
		{"2a004", "Ajaccio", "2A", "94", "242010056", "20000", 60000},
		{"97411", "Saint-Denis", "974", "04", "249740119", "97400", 100000},
		{"22016", "Île-de-Bréhat", "22", "53", "", "22870", 100}, // an island outside any EPCI
	}
	for _, tt := range tests {
		cm, ok := Default().Commune(tt.insee)
		if !ok || cm.Name != tt.name || cm.Department != tt.dept || cm.Region != tt.region || cm.EPCI != tt.epci ||
			!slices.Contains(cm.Postcodes, tt.postcode) || cm.Population < tt.population || cm.Lat == 0 || cm.Lon == 0 {
			t.Errorf("Commune(%q) = %+v, %v", tt.insee, cm, ok)
		}
		if _, ok := Default().Department(cm.Department); !ok {
			t.Errorf("Commune(%q): department %s unknown", tt.insee, cm.Department)
		}
	}
	for _, insee := range []string{"", "44000", "2C004", "441090"} {
		if cm, ok := Default().Commune(insee); ok {
			t.Errorf("Commune(%q) = %+v", insee, cm)
		}
	}
}

func TestCommunesReferenceExistingAreas(t *testing.T) {
	c := Default()
	if len(c.communes) != 34969 {
		t.Errorf("%d communes, want 34969", len(c.communes))
	}
	for _, cm := range c.communes {
		_, deptOK := c.Department(cm.Department)
		_, regionOK := c.Region(cm.Region)
		_, epciOK := c.EPCI(cm.EPCI)
		if !deptOK || !regionOK || (cm.EPCI != "" && !epciOK) {
			t.Errorf("commune %s refers to unknown areas: %+v", cm.INSEE, cm)
		}
	}
}

func TestNantesMetropole(t *testing.T) {
	got := Default().NantesMetropole()
	if len(got) != 24 {
		t.Fatalf("NantesMetropole() has %d communes, want 24", len(got))
	}
	for _, cm := range got {
		if cm.Department != "44" || cm.EPCI != NantesMetropoleEPCI || cm.Lat < 47.1 || cm.Lat > 47.4 ||
			cm.Lon < -1.9 || cm.Lon > -1.3 || len(cm.Postcodes) == 0 {
			t.Errorf("Nantes Métropole commune %+v", cm)
		}
	}
	epci, ok := Default().EPCI(NantesMetropoleEPCI)
	if !ok || epci.Name != "Nantes Métropole" || epci.Kind != "METRO" {
		t.Errorf("EPCI(%s) = %+v, %v", NantesMetropoleEPCI, epci, ok)
	}
	var listed []string
	for _, r := range readSource(t, "nantes-metropole-communes.csv") {
		listed = append(listed, r[0])
	}
	var insee []string
	for _, cm := range got {
		insee = append(insee, cm.INSEE)
	}
	slices.Sort(listed)
	if !slices.Equal(insee, listed) {
		t.Errorf("NantesMetropole() = %v, the source lists %v", insee, listed)
	}
}

func TestCommunesOfEPCI(t *testing.T) {
	if got := Default().CommunesOfEPCI("000000000"); got != nil {
		t.Errorf("CommunesOfEPCI(unknown) = %v", got)
	}
	total := 0
	for siren := range Default().epcis {
		members := Default().CommunesOfEPCI(siren)
		if len(members) == 0 {
			t.Errorf("EPCI %s has no member commune", siren)
		}
		total += len(members)
	}
	if total != 34969-94-4 { // all but the overseas collectivities and 4 islands
		t.Errorf("%d communes belong to an EPCI, want %d", total, 34969-94-4)
	}
}

func TestDepartmentsAndRegions(t *testing.T) {
	depts := []struct{ code, name, region string }{
		{"44", "Loire-Atlantique", "52"}, {"2A", "Corse-du-Sud", "94"}, {"2b", "Haute-Corse", "94"},
		{"974", "La Réunion", "04"}, {"01", "Ain", "84"},
	}
	for _, tt := range depts {
		d, ok := Default().Department(tt.code)
		if !ok || d.Name != tt.name || d.Region != tt.region {
			t.Errorf("Department(%q) = %+v, %v", tt.code, d, ok)
		}
		if _, ok := Default().Region(d.Region); !ok {
			t.Errorf("Department(%q): region %s unknown", tt.code, d.Region)
		}
	}
	regions := []struct{ code, name string }{{"52", "Pays de la Loire"}, {"94", "Corse"}, {"04", "La Réunion"}}
	for _, tt := range regions {
		if r, ok := Default().Region(tt.code); !ok || r.Name != tt.name {
			t.Errorf("Region(%q) = %+v, %v", tt.code, r, ok)
		}
	}
	for _, code := range []string{"", "20", "4", "99"} {
		if d, ok := Default().Department(code); ok {
			t.Errorf("Department(%q) = %+v", code, d)
		}
	}
}

func inseeOf(cms []Commune) []string {
	out := make([]string, len(cms))
	for i, cm := range cms {
		out[i] = cm.INSEE
	}
	return out
}

func TestSearchCommunes(t *testing.T) {
	tests := []struct {
		q        string
		first    string
		contains []string
	}{
		{"saint herblain", "44162", nil},
		{"Saint-Herblain", "44162", nil},
		{"SAINT-HERBLAIN", "44162", nil},
		{"st-herblain", "44162", nil},
		{"st herbl", "44162", nil},
		{"reze", "44143", nil},
		{"Rezé", "44143", nil},
		{"nantes", "44109", nil},
		{"la chapelle sur erdre", "44035", nil},
		{"chapelle-sur-erdre", "44035", nil},
		{"chapelle erd", "44035", nil},
		{"44800", "44162", nil},
		{"44109", "44109", nil}, // an INSEE code beats the postcodes starting with it
		{"4480", "44162", nil},
		{"44", "44109", []string{"44184", "44162"}},
		{"2A004", "2A004", nil},
		{"2a004", "2A004", nil},
		{"ajaccio", "2A004", nil},
		{"saint denis", "97411", []string{"93066"}}, // two equal names: the bigger first
		{"ste luce", "97227", []string{"44172"}},    // the exact name first
		{"zzzxq", "", nil},
		{"", "", nil},
		{"--", "", nil},
	}
	for _, tt := range tests {
		got := inseeOf(Default().SearchCommunes(tt.q, 10))
		if len(got) > 10 {
			t.Errorf("SearchCommunes(%q) returned %d results", tt.q, len(got))
		}
		if tt.first == "" {
			if len(got) != 0 {
				t.Errorf("SearchCommunes(%q) = %v, want nothing", tt.q, got)
			}
			continue
		}
		if len(got) == 0 || got[0] != tt.first {
			t.Errorf("SearchCommunes(%q) = %v, want %s first", tt.q, got, tt.first)
		}
		for _, c := range tt.contains {
			if !slices.Contains(got, c) {
				t.Errorf("SearchCommunes(%q) = %v, want it to hold %s", tt.q, got, c)
			}
		}
	}
}

func TestSearchCommunesRanksBiggerFirstOnTies(t *testing.T) {
	got := Default().SearchCommunes("44", 50)
	for i := 1; i < len(got); i++ {
		if got[i].Population > got[i-1].Population {
			t.Fatalf("SearchCommunes(44): %s (%d) after %s (%d)", got[i].Name, got[i].Population, got[i-1].Name,
				got[i-1].Population)
		}
	}
}

func FuzzSearchCommunes(f *testing.F) {
	for _, s := range []string{"saint herblain", "st-", "44", "2A004", "", "é", "l'île"} {
		f.Add(s, 5)
	}
	c := Default()
	f.Fuzz(func(t *testing.T, q string, limit int) {
		want := limit
		if limit <= 0 {
			want = DefaultSearchLimit
		}
		if got := c.SearchCommunes(q, limit); len(got) > want {
			t.Errorf("SearchCommunes(%q, %d) returned %d results", q, limit, len(got))
		}
		c.Commune(q)
	})
}

func BenchmarkSearchCommunes(b *testing.B) {
	c := Default()
	c.SearchCommunes("warm up", 1)
	for _, q := range []string{"saint herblain", "s", "44"} {
		b.Run(q, func(b *testing.B) {
			for b.Loop() {
				c.SearchCommunes(q, 10)
			}
		})
	}
}

package demo

import (
	"encoding/csv"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// sharedDataDir holds the public source files (see SOURCES.md there); ESSOR_SHARED_DATA overrides it.
func sharedDataDir(t *testing.T) string {
	dir := os.Getenv("ESSOR_SHARED_DATA")
	if dir == "" {
		dir = "/work/shared/data"
	}
	if _, err := os.Stat(filepath.Join(dir, "cpv-2008.csv")); err != nil {
		t.Skipf("shared source data not found in %s (set ESSOR_SHARED_DATA); the embedded-data test still runs", dir)
	}
	return dir
}

// readCSV reads a source CSV and indexes its header, so columns are found by name.
func readCSV(t *testing.T, dir, name string) (header map[string]int, rows [][]string) {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	header = make(map[string]int)
	for i, h := range all[0] {
		header[h] = i
	}
	return header, all[1:]
}

// column returns the set of values of one column of a source CSV.
func column(t *testing.T, dir, name, col string) map[string]bool {
	t.Helper()
	header, rows := readCSV(t, dir, name)
	i, ok := header[col]
	if !ok {
		t.Fatalf("%s has no column %s", name, col)
	}
	set := make(map[string]bool, len(rows))
	for _, r := range rows {
		set[r[i]] = true
	}
	return set
}

// TestTradeCodesExistInSourceData checks every code the generator can use against the public source files, not
// only the codes one run happens to draw.
func TestTradeCodesExistInSourceData(t *testing.T) {
	dir := sharedDataDir(t)
	cpv := column(t, dir, "cpv-2008.csv", "code")
	naf := column(t, dir, "naf-rev2.csv", "code")
	inclusion := column(t, dir, "structures-inclusion.csv", "code")
	for _, tr := range trades {
		for _, code := range tr.naf {
			if !naf[code] {
				t.Errorf("trade %s: NAF %s not in naf-rev2.csv", tr.key, code)
			}
		}
		for _, k := range tr.kinds {
			if !inclusion[k.v] {
				t.Errorf("trade %s: inclusion kind %s not in structures-inclusion.csv", tr.key, k.v)
			}
		}
		for _, o := range tr.offers {
			if len(o.cpv) < 1 || len(o.cpv) > 20 {
				t.Errorf("trade %s, offer %q: %d CPV codes", tr.key, o.title, len(o.cpv))
			}
			for _, code := range o.cpv {
				if !cpv[code] {
					t.Errorf("trade %s, offer %q: CPV %s not in cpv-2008.csv", tr.key, o.title, code)
				}
			}
		}
	}
	for kind := range inclusionSentences {
		if !inclusion[kind] {
			t.Errorf("inclusion sentence for unknown kind %s", kind)
		}
	}
}

func TestLegalFormsMatchTheirESSFamily(t *testing.T) {
	dir := sharedDataDir(t)
	categories := column(t, dir, "categories-juridiques.csv", "code")
	header, rows := readCSV(t, dir, "ess-familles-categories-juridiques.csv")
	family := make(map[string]string)
	for _, r := range rows {
		family[r[header["code"]]] = r[header["ess_family"]]
	}
	for _, f := range allLegalForms {
		if !categories[f.code] {
			t.Errorf("legal category %s not in categories-juridiques.csv", f.code)
		}
		want := family[f.code] // absent or "none" for commercial forms
		if want == "none" {
			want = ""
		}
		if string(f.family) != want {
			t.Errorf("legal category %s: family %q, the mapping says %q", f.code, f.family, want)
		}
	}
	bands := column(t, dir, "tranches-effectifs.csv", "code")
	for _, list := range [][]weighted[headcountBand]{ordinaryBands, inclusionBands} {
		for _, b := range list {
			if !bands[b.v.code] {
				t.Errorf("headcount band %s not in tranches-effectifs.csv", b.v.code)
			}
		}
	}
}

func TestCommunesMatchSourceData(t *testing.T) {
	dir := sharedDataDir(t)
	header, rows := readCSV(t, dir, "nantes-metropole-communes.csv")
	if len(rows) != len(communes) {
		t.Fatalf("source lists %d communes, the generator %d", len(rows), len(communes))
	}
	for i, r := range rows {
		c := communes[i]
		lat, _ := strconv.ParseFloat(r[header["latitude"]], 64)
		lon, _ := strconv.ParseFloat(r[header["longitude"]], 64)
		pop, _ := strconv.Atoi(r[header["population"]])
		if c.insee != r[header["code_insee"]] || c.name != r[header["nom"]] ||
			strings.Join(c.postcodes, ";") != r[header["codes_postaux"]] ||
			math.Abs(c.lat-lat) > 1e-9 || math.Abs(c.lon-lon) > 1e-9 || c.population != pop {
			t.Errorf("commune %d: %+v does not match %v", i, c, r)
		}
	}
	epci := column(t, dir, "epci.csv", "siren")
	departements := column(t, dir, "departements.csv", "code")
	regions := column(t, dir, "regions.csv", "code")
	if !epci[nantesMetropoleEPCI] || !departements[loireAtlantique] || !regions[paysDeLaLoire] {
		t.Error("a zone code of the territory is missing from the source data")
	}
	for _, d := range neighbourDepartments {
		if !departements[d] {
			t.Errorf("département %s missing", d)
		}
	}
}

// TestGeneratedStructuresValidate runs the product's own validation, with the embedded reference data, on a demo
// directory: what the generator makes must be accepted as if a user had typed it, and already be in normal form.
func TestGeneratedStructuresValidate(t *testing.T) {
	ref := refdata.Default()
	for _, seed := range []uint64{1, 2} {
		for _, s := range generateAll(t, Options{Count: 1000, Seed: seed}) {
			if err := s.Validate(ref); err != nil {
				t.Fatalf("seed %d, %s: %v", seed, s.Name, err)
			}
			normal := cloneStructure(s)
			normal.Normalize()
			normal.Derive(ref)
			if !reflect.DeepEqual(normal, s) {
				t.Fatalf("seed %d, %s: Normalize and Derive change it:\n got %+v\nwant %+v", seed, s.Name, s, normal)
			}
		}
	}
}

func cloneStructure(s domain.Structure) domain.Structure {
	c := s
	c.InclusionKinds = slices.Clone(s.InclusionKinds)
	c.Labels = slices.Clone(s.Labels)
	c.Representatives = slices.Clone(s.Representatives)
	c.Offers = make([]domain.Offer, len(s.Offers))
	for i, o := range s.Offers {
		o.CPVCodes = slices.Clone(o.CPVCodes)
		o.References = slices.Clone(o.References)
		o.Area.Zones = slices.Clone(o.Area.Zones)
		c.Offers[i] = o
	}
	return c
}

// Command gen derives the compact reference files embedded by internal/refdata from the public source files in
// shared/data, checking the invariants the lookups rely on so that bad input fails here rather than at run time.
package main

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	src := flag.String("src", "../../../shared/data", "directory holding the source CSV files (see SOURCES.md)")
	out := flag.String("out", "data", "directory the derived files are written to")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

// table is a parsed source CSV file whose cells are read by column name, so that a reordered source fails loudly
// instead of silently shifting values.
type table struct {
	name string
	cols map[string]int
	rows [][]string
}

func readTable(dir, name string) (*table, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	records, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("%s: empty file", name)
	}
	t := &table{name: name, cols: map[string]int{}, rows: records[1:]}
	for i, h := range records[0] {
		t.cols[h] = i
	}
	return t, nil
}

// get returns the cell of column col in row; it panics on an unknown column because that is a programming error
// in this generator, caught by running it once.
func (t *table) get(row []string, col string) string {
	i, ok := t.cols[col]
	if !ok {
		panic(fmt.Sprintf("%s: no column %q", t.name, col))
	}
	return strings.TrimSpace(row[i])
}

// output is one derived file: a header and rows, gzip-compressed when its name ends in .gz.
type output struct {
	name   string
	header []string
	rows   [][]string
}

func (o output) write(dir string) (err error) {
	f, err := os.Create(filepath.Join(dir, o.name))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	var w io.Writer = f
	if strings.HasSuffix(o.name, ".gz") {
		zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
		if err != nil {
			return err
		}
		defer func() { err = errors.Join(err, zw.Close()) }()
		w = zw
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(o.header); err != nil {
		return err
	}
	if err := cw.WriteAll(o.rows); err != nil {
		return err
	}
	return cw.Error()
}

func run(src, out string) error {
	builders := []func(string) (output, error){
		buildCPV, buildSocialServices, buildNAF, buildLegalCategories, buildHeadcountBands, buildInclusionKinds,
		buildRegions, buildDepartments, buildEPCIs, buildCommunes,
	}
	for _, build := range builders {
		o, err := build(src)
		if err != nil {
			return err
		}
		if err := o.write(out); err != nil {
			return fmt.Errorf("%s: %w", o.name, err)
		}
		fmt.Printf("%-28s %6d rows\n", o.name, len(o.rows))
	}
	return nil
}

var cpvCode = regexp.MustCompile(`^[0-9]{8}-[0-9]$`)

// cpvLevels gives the level name for a number of significant digits of a CPV code.
var cpvLevels = map[int]string{2: "division", 3: "groupe", 4: "classe", 5: "categorie", 6: "sous-categorie",
	7: "sous-categorie", 8: "sous-categorie"}

var cpvNatures = map[string]string{"fournitures": "supplies", "services": "services", "travaux": "works"}

// cpvWrongLabel is the one French label known to be wrong in the source (see SOURCES.md, cpv-2008.csv caveats):
// the variant column holds the right one.
const cpvWrongLabel = "38343000-1"

func buildCPV(src string) (output, error) {
	t, err := readTable(src, "cpv-2008.csv")
	if err != nil {
		return output{}, err
	}
	o := output{name: "cpv.csv.gz", header: []string{"code", "parent", "level", "nature", "label_fr", "label_en",
		"label_fr_alias"}}
	known := map[string]bool{}
	for _, r := range t.rows {
		known[t.get(r, "code")] = true
	}
	for _, r := range t.rows {
		code, parent, level := t.get(r, "code"), t.get(r, "parent"), t.get(r, "niveau")
		if !cpvCode.MatchString(code) {
			return o, fmt.Errorf("cpv: malformed code %q", code)
		}
		if want := cpvLevels[len(strings.TrimRight(code[:8], "0"))]; level != want && (want != "" || level != "division") {
			return o, fmt.Errorf("cpv %s: level %q, significant digits say %q", code, level, want)
		}
		if (parent == "") != (level == "division") || (parent != "" && !known[parent]) {
			return o, fmt.Errorf("cpv %s: bad parent %q", code, parent)
		}
		nature, ok := cpvNatures[t.get(r, "type")]
		if !ok {
			return o, fmt.Errorf("cpv %s: unknown type %q", code, t.get(r, "type"))
		}
		label, alias := t.get(r, "label_fr"), t.get(r, "label_fr_variant")
		if code == cpvWrongLabel {
			label, alias = alias, ""
		}
		o.rows = append(o.rows, []string{code, parent, level, nature, label, t.get(r, "label_en"), alias})
	}
	if len(o.rows) != 9454 {
		return o, fmt.Errorf("cpv: %d codes, want 9454", len(o.rows))
	}
	return o, nil
}

func buildSocialServices(src string) (output, error) {
	cpv, err := readTable(src, "cpv-2008.csv")
	if err != nil {
		return output{}, err
	}
	known := map[string]bool{}
	for _, r := range cpv.rows {
		known[cpv.get(r, "code")] = true
	}
	t, err := readTable(src, "cpv-social-specific-services.csv")
	if err != nil {
		return output{}, err
	}
	o := output{name: "cpv-social-specific.csv", header: []string{"code", "group_no", "reservable_l2113_15"}}
	for _, r := range t.rows {
		code, flag := t.get(r, "code"), t.get(r, "reserved_art77_eforms")
		if !known[code] {
			return o, fmt.Errorf("social services: %s is not a CPV 2008 code", code)
		}
		if flag != "yes" && flag != "no" {
			return o, fmt.Errorf("social services %s: reserved_art77_eforms %q", code, flag)
		}
		o.rows = append(o.rows, []string{code, t.get(r, "group_no"), flag})
	}
	return o, nil
}

func buildNAF(src string) (output, error) {
	t, err := readTable(src, "naf-rev2.csv")
	if err != nil {
		return output{}, err
	}
	o := output{name: "naf.csv.gz", header: []string{"code", "level", "label"}}
	for _, r := range t.rows {
		// INSEE's labels carry stray double spaces (SOURCES.md); collapsing them changes no meaning.
		label := strings.Join(strings.Fields(t.get(r, "libelle")), " ")
		o.rows = append(o.rows, []string{t.get(r, "code"), t.get(r, "niveau"), label})
	}
	return o, nil
}

var essFamilies = map[string]string{"association": "association", "cooperative": "cooperative",
	"mutuelle": "mutuelle", "fondation": "fondation", "none": ""}

func buildLegalCategories(src string) (output, error) {
	t, err := readTable(src, "categories-juridiques.csv")
	if err != nil {
		return output{}, err
	}
	fam, err := readTable(src, "ess-familles-categories-juridiques.csv")
	if err != nil {
		return output{}, err
	}
	families := map[string]string{}
	for _, r := range fam.rows {
		f, ok := essFamilies[fam.get(r, "ess_family")]
		if !ok {
			return output{}, fmt.Errorf("ess families: %s has unknown family %q", fam.get(r, "code"), fam.get(r, "ess_family"))
		}
		families[fam.get(r, "code")] = f
	}
	o := output{name: "legal-categories.csv", header: []string{"code", "label", "ess_family"}}
	for _, r := range t.rows {
		if t.get(r, "niveau") != "3" {
			continue
		}
		code := t.get(r, "code")
		o.rows = append(o.rows, []string{code, t.get(r, "libelle"), families[code]})
		delete(families, code)
	}
	if len(families) > 0 {
		return o, fmt.Errorf("ess families: codes not among level-3 legal categories: %v", families)
	}
	return o, nil
}

var bandRange = regexp.MustCompile(`^([0-9 ]+) (?:à|ou) ([0-9 ]+) salariés$`)
var bandOpen = regexp.MustCompile(`^([0-9 ]+) salariés et plus$`)

func atoiSpaced(s string) (int, error) { return strconv.Atoi(strings.ReplaceAll(s, " ", "")) }

// headcountBounds reads the employee range from an INSEE band label, so that the bounds cannot drift from it.
func headcountBounds(code, label string) (minimum, maximum int, err error) {
	if code == "NN" || code == "00" {
		return 0, 0, nil // no employee at the end of the year
	}
	if m := bandRange.FindStringSubmatch(label); m != nil {
		if minimum, err = atoiSpaced(m[1]); err == nil {
			maximum, err = atoiSpaced(m[2])
		}
		return minimum, maximum, err
	}
	if m := bandOpen.FindStringSubmatch(label); m != nil {
		minimum, err = atoiSpaced(m[1])
		return minimum, -1, err
	}
	return 0, 0, fmt.Errorf("headcount band %s: cannot read a range from %q", code, label)
}

func buildHeadcountBands(src string) (output, error) {
	t, err := readTable(src, "tranches-effectifs.csv")
	if err != nil {
		return output{}, err
	}
	o := output{name: "headcount-bands.csv", header: []string{"code", "label", "min", "max"}}
	for _, r := range t.rows {
		code, label := t.get(r, "code"), t.get(r, "libelle")
		minimum, maximum, err := headcountBounds(code, label)
		if err != nil {
			return o, err
		}
		o.rows = append(o.rows, []string{code, label, strconv.Itoa(minimum), strconv.Itoa(maximum)})
	}
	return o, nil
}

func buildInclusionKinds(src string) (output, error) {
	t, err := readTable(src, "structures-inclusion.csv")
	if err != nil {
		return output{}, err
	}
	o := output{name: "inclusion-kinds.csv", header: []string{"code", "label", "family", "reserved_article"}}
	for _, r := range t.rows {
		family := t.get(r, "family")
		if !slices.Contains([]string{"siae", "handicap", "geiq"}, family) {
			return o, fmt.Errorf("inclusion %s: unknown family %q", t.get(r, "code"), family)
		}
		o.rows = append(o.rows, []string{t.get(r, "code"), t.get(r, "label_fr"), family,
			t.get(r, "reserved_contract_article")})
	}
	return o, nil
}

func buildRegions(src string) (output, error) {
	return project(src, "regions.csv", "regions.csv", []string{"code", "nom"}, []string{"code", "name"})
}

func buildDepartments(src string) (output, error) {
	return project(src, "departements.csv", "departments.csv", []string{"code", "nom", "region"},
		[]string{"code", "name", "region"})
}

func buildEPCIs(src string) (output, error) {
	return project(src, "epci.csv", "epcis.csv", []string{"siren", "nom", "type"}, []string{"siren", "name", "kind"})
}

// project copies the columns cols of a source file under new names.
func project(src, from, to string, cols, names []string) (output, error) {
	t, err := readTable(src, from)
	if err != nil {
		return output{}, err
	}
	o := output{name: to, header: names}
	for _, r := range t.rows {
		row := make([]string, len(cols))
		for i, c := range cols {
			row[i] = t.get(r, c)
		}
		o.rows = append(o.rows, row)
	}
	return o, nil
}

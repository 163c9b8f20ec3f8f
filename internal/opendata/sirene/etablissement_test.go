package sirene_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/sirene"
	"github.com/essor-ess/essor/internal/opendata/sirene/sirenetest"
)

func generated(t testing.TB, rows int, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := sirenetest.GenerateEtablissementsFile(&buf, rows, seed); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func nantesFilter() sirene.Filter {
	return sirene.Filter{KeepCommune: func(c string) bool { return slices.Contains(sirenetest.NantesMetropole, c) }}
}

// referenceScan is an independent, slow reading of a generated file: the generator never writes a value with a
// line break, so each physical line can be parsed alone by encoding/csv.
func referenceScan(t *testing.T, data []byte, keepCommune func(string) bool) (kept []string, broken int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	header := strings.Split(lines[0], ",")
	col := func(name string) int { return slices.Index(header, name) }
	for _, line := range lines[1:] {
		rec, err := csv.NewReader(strings.NewReader(line)).Read()
		if err != nil || len(rec) != len(header) {
			broken++
			continue
		}
		if rec[col("etatAdministratifEtablissement")] == "A" && keepCommune(rec[col("codeCommuneEtablissement")]) {
			kept = append(kept, rec[col("siret")])
		}
	}
	return kept, broken
}

func TestScanEtablissementsMatchesReference(t *testing.T) {
	data := generated(t, 30000, 1)
	filter := nantesFilter()
	wantKept, wantBroken := referenceScan(t, data, filter.KeepCommune)
	var got []string
	var rejected []sirene.Rejected
	stats, err := sirene.ScanEtablissements(bytes.NewReader(data), filter, func(e sirene.Etablissement) error {
		if e.Etat != "A" || !slices.Contains(sirenetest.NantesMetropole, e.CodeCommune) {
			t.Errorf("row %d kept: etat %q commune %q", e.Row, e.Etat, e.CodeCommune)
		}
		got = append(got, e.SIRET)
		return nil
	}, sirene.Options{Reject: func(r sirene.Rejected) { rejected = append(rejected, r) }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, wantKept) {
		t.Errorf("kept %d establishments, the reference kept %d", len(got), len(wantKept))
	}
	if wantBroken == 0 || int(stats.Rejected) != wantBroken || len(rejected) != wantBroken {
		t.Errorf("rejected %d (reported %d), the reference found %d broken rows", stats.Rejected, len(rejected), wantBroken)
	}
	if stats.Rows != 30000 || stats.Bytes != int64(len(data)) || stats.Kept != int64(len(got)) {
		t.Errorf("stats %+v: want 30000 rows, %d bytes, %d kept", stats, len(data), len(got))
	}
	for _, r := range rejected {
		if r.Row < 1 || r.Line != r.Row+1 || r.Reason == "" || r.Text == "" {
			t.Errorf("rejected row lacks its position or reason: %+v", r)
		}
	}
}

func TestScanEtablissementsFieldsAndMasking(t *testing.T) {
	header := strings.Join(sirene.EtablissementColumns, ",")
	row := func(values map[string]string) string {
		out := make([]string, len(sirene.EtablissementColumns))
		for i, c := range sirene.EtablissementColumns {
			out[i] = values[c]
		}
		return strings.Join(out, ",")
	}
	base := map[string]string{"siren": "356000000", "nic": "00048", "siret": "35600000000048",
		"statutDiffusionEtablissement": "O", "etatAdministratifEtablissement": "A", "codeCommuneEtablissement": "44109",
		"etablissementSiege": "true", "numeroVoieEtablissement": "2", "typeVoieEtablissement": "RUE",
		"libelleVoieEtablissement": `"DE L'HOTEL DE VILLE, BAT ""A"""`, "codePostalEtablissement": "44000",
		"coordonneeLambertAbscisseEtablissement": "355000.0", "coordonneeLambertOrdonneeEtablissement": "6689000.0",
		"enseigne2Etablissement": "ECOSSOLIES", "activitePrincipaleEtablissement": "94.99Z"}
	hidden := maps(base, map[string]string{"siret": "35600000000049", "statutDiffusionEtablissement": "P",
		"libelleVoieEtablissement": "[ND]"})
	unitHidden := maps(base, map[string]string{"siren": "111111111", "siret": "11111111100011"})
	closed := maps(base, map[string]string{"siret": "35600000000050", "etatAdministratifEtablissement": "F"})
	input := header + "\n" + row(base) + "\n" + row(hidden) + "\n" + row(unitHidden) + "\n" + row(closed) + "\n"
	var got []sirene.Etablissement
	_, err := sirene.ScanEtablissements(strings.NewReader(input), sirene.Filter{MaskSIREN: func(s string) bool { return s == "111111111" }},
		func(e sirene.Etablissement) error { got = append(got, e); return nil }, sirene.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("kept %d establishments, want 3 (the closed one dropped)", len(got))
	}
	e := got[0]
	if e.SIRET != "35600000000048" || !e.Siege || e.LibelleVoie != `DE L'HOTEL DE VILLE, BAT "A"` ||
		!slices.Equal(e.Enseignes, []string{"ECOSSOLIES"}) || e.Row != 1 || e.CoordonneeLambertX == nil {
		t.Errorf("fields not read: %+v", e)
	}
	if lat, lon, ok := e.Position(); !ok || math.Abs(lat-47.21) > 0.02 || math.Abs(lon+1.56) > 0.02 {
		t.Errorf("Position() = %v, %v, %v", lat, lon, ok)
	}
	for _, m := range got[1:] {
		if m.LibelleVoie != "" || m.NumeroVoie != "" || m.CoordonneeLambertX != nil || m.SIRET == "" || m.CodeCommune != "44109" {
			t.Errorf("non-diffusible establishment not masked: %+v", m)
		}
		if _, _, ok := m.Position(); ok {
			t.Errorf("masked establishment has a position")
		}
	}
}

func maps(base, over map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

func TestScanEtablissementsResumesFromRow(t *testing.T) {
	data := generated(t, 20000, 2)
	collect := func(opts sirene.Options, stopAfter int) (sirets []string, lastRow int64) {
		errStop := errors.New("interrupted")
		_, err := sirene.ScanEtablissements(bytes.NewReader(data), sirene.Filter{}, func(e sirene.Etablissement) error {
			if len(sirets) == stopAfter {
				return errStop
			}
			sirets, lastRow = append(sirets, e.SIRET), e.Row
			return nil
		}, opts)
		if err != nil && !errors.Is(err, errStop) {
			t.Fatal(err)
		}
		return sirets, lastRow
	}
	whole, _ := collect(sirene.Options{}, -1)
	first, last := collect(sirene.Options{}, 5000)
	rest, _ := collect(sirene.Options{SkipRows: last}, -1)
	if !slices.Equal(append(first, rest...), whole) {
		t.Errorf("interrupted after row %d and resumed: %d+%d establishments, uninterrupted %d", last, len(first), len(rest), len(whole))
	}
}

func TestScanEtablissementsRefusesLatin1(t *testing.T) {
	data := generated(t, 3000, 3)
	latin1 := bytes.ReplaceAll(data, []byte("É"), []byte{0xC9}) // the generator writes "DES ÉCOLES", "ÉCLAT"
	var rejected []sirene.Rejected
	_, err := sirene.ScanEtablissements(bytes.NewReader(latin1), sirene.Filter{}, func(sirene.Etablissement) error { return nil },
		sirene.Options{Reject: func(r sirene.Rejected) { rejected = append(rejected, r) }})
	if !errors.Is(err, sirene.ErrWrongEncoding) || domain.KindOf(err) != domain.KindMalformed {
		t.Fatalf("err = %v, want ErrWrongEncoding of kind malformed", err)
	}
	if !strings.Contains(err.Error(), "Latin-1") || len(rejected) == 0 || !strings.Contains(rejected[0].Reason, "0xC9") {
		t.Errorf("the error does not say Latin-1 or name the byte: %v / %+v", err, rejected)
	}
	// A handful of corrupt rows in a UTF-8 file are rejected one by one; the scan goes on.
	few := bytes.Replace(data, []byte("É"), []byte{0xC9}, 3)
	stats, err := sirene.ScanEtablissements(bytes.NewReader(few), sirene.Filter{}, func(sirene.Etablissement) error { return nil }, sirene.Options{})
	if err != nil || stats.BadEncoding < 1 || stats.BadEncoding > 3 || stats.Rows != 3000 { // two É may share a row
		t.Errorf("3 corrupt rows: err %v, stats %+v", err, stats)
	}
}

func TestScanEtablissementsRejectsWrongFile(t *testing.T) {
	_, err := sirene.ScanEtablissements(strings.NewReader(strings.Join(sirene.UniteLegaleColumns, ",")+"\n"), sirene.Filter{},
		func(sirene.Etablissement) error { return nil }, sirene.Options{})
	if domain.KindOf(err) != domain.KindMalformed || !strings.Contains(err.Error(), "siret") {
		t.Errorf("a StockUniteLegale header given as establishments: err = %v", err)
	}
	if _, err := sirene.ScanEtablissements(strings.NewReader(""), sirene.Filter{}, nil, sirene.Options{}); domain.KindOf(err) != domain.KindMalformed {
		t.Errorf("empty file: err = %v", err)
	}
}

func TestOpenStockFileReadsZip(t *testing.T) {
	data := generated(t, 2000, 4)
	dir := t.TempDir()
	plain := filepath.Join(dir, "StockEtablissement_utf8.csv")
	zipped := filepath.Join(dir, "StockEtablissement_utf8.zip")
	if err := os.WriteFile(plain, data, 0o600); err != nil {
		t.Fatal(err)
	}
	writeZip(t, zipped, map[string][]byte{"StockEtablissement_utf8.csv": data})
	count := func(name string) (int64, int64) {
		f, err := sirene.OpenStockFile(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		stats, err := sirene.ScanEtablissements(f, sirene.Filter{}, func(sirene.Etablissement) error { return nil }, sirene.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return stats.Kept, f.Size
	}
	plainKept, plainSize := count(plain)
	zipKept, zipSize := count(zipped)
	if plainKept == 0 || plainKept != zipKept || plainSize != zipSize || zipSize != int64(len(data)) {
		t.Errorf("plain: %d kept, %d bytes; zip: %d kept, %d bytes", plainKept, plainSize, zipKept, zipSize)
	}
	twoCSV := filepath.Join(dir, "two.zip")
	writeZip(t, twoCSV, map[string][]byte{"a.csv": data, "b.csv": data})
	if _, err := sirene.OpenStockFile(twoCSV); domain.KindOf(err) != domain.KindMalformed {
		t.Errorf("a ZIP with two CSV files: err = %v", err)
	}
}

func writeZip(t *testing.T, name string, files map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for n, content := range files {
		w, err := z.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestColumnsMatchReferenceList(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedData(t), "sirene-stock-columns.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{}
	for _, r := range rows[1:] {
		want[r[0]] = append(want[r[0]], r[2])
	}
	if !slices.Equal(want["StockEtablissement"], sirene.EtablissementColumns) || !slices.Equal(want["StockUniteLegale"], sirene.UniteLegaleColumns) {
		t.Errorf("column lists differ from sirene-stock-columns.csv")
	}
}

// sharedData locates ../shared/data: ESSOR_SHARED_DATA, else relative to this package in the work tree.
func sharedData(t testing.TB) string {
	dir := os.Getenv("ESSOR_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Skipf("shared data directory %s is absent (set ESSOR_SHARED_DATA): skipping the tests on real samples", dir)
	}
	return dir
}

func FuzzScanEtablissements(f *testing.F) {
	header := strings.Join(sirene.EtablissementColumns, ",") + "\n"
	sample := generated(f, 20, 5)
	f.Add(sample)
	f.Add([]byte(header + strings.Repeat(",", 53) + "\n"))
	f.Add([]byte(header + "\"" + strings.Repeat(",", 53) + "\n\xff,"))
	f.Fuzz(func(t *testing.T, data []byte) {
		kept := int64(0)
		stats, err := sirene.ScanEtablissements(bytes.NewReader(data), sirene.Filter{}, func(e sirene.Etablissement) error {
			kept++
			if e.Etat != "A" || e.Row < 1 {
				t.Fatalf("kept %+v", e)
			}
			if e.Masked() && (e.LibelleVoie != "" || e.CoordonneeLambertX != nil) {
				t.Fatalf("masked establishment keeps its address: %+v", e)
			}
			return nil
		}, sirene.Options{})
		if err != nil {
			return
		}
		if stats.Kept != kept || stats.Kept+stats.Rejected > stats.Rows || stats.Bytes > int64(len(data)) {
			t.Fatalf("inconsistent stats %+v (kept %d, %d bytes)", stats, kept, len(data))
		}
	})
}

package sirene_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/essor-ess/essor/internal/opendata/sirene"
	"github.com/essor-ess/essor/internal/opendata/sirene/sirenetest"
)

func TestScanUnitesLegalesReadsRealSample(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedData(t), "sirene-stock-unitelegale-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []sirene.UniteLegale
	stats, err := sirene.ScanUnitesLegales(f, nil, func(u sirene.UniteLegale) error { got = append(got, u); return nil }, sirene.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 9 || stats.Rows != 9 || stats.Rejected != 0 {
		t.Fatalf("read %d units, stats %+v; want 9", len(got), stats)
	}
	first, ceased := got[0], got[5]
	if first.SIREN != "016750697" || first.Denomination != "ETS J VIRLY S A" || first.CategorieJuridique != "5710" ||
		first.ActivitePrincipale != "77.39Z" || first.ESS != "N" || first.Etat != "A" || first.TrancheEffectifs != "31" ||
		first.AnneeEffectifs != "2023" || first.NicSiege != "00050" || first.ActivitePrincipaleNAF25 != "77.39Y" {
		t.Errorf("first unit misread: %+v", first)
	}
	if ceased.SIREN != "057808172" || ceased.Etat != "C" || !slices.Equal(ceased.DenominationsUsuelles, []string{"COMEGA"}) {
		t.Errorf("sixth unit misread: %+v", ceased)
	}
	if got[3].Sigle != "SET" {
		t.Errorf("sigle misread: %+v", got[3])
	}
}

func TestESSUnitsOnRealSampleKeepsNoCompany(t *testing.T) {
	f, err := os.Open(filepath.Join(sharedData(t), "sirene-stock-unitelegale-sample.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set, stats, err := sirene.ESSUnits(f, sirene.ESSOptions{IsESSLegalCategory: isAssociationOrCoop})
	if err != nil || set.Len() != 0 || stats.Rows != 9 {
		t.Errorf("the sample holds companies flagged N only: %d kept, stats %+v, err %v", set.Len(), stats, err)
	}
}

func isAssociationOrCoop(code string) bool { return code == "9220" || code == "5458" }

func TestESSUnitsSelectsFlaggedAndLegalFormUnits(t *testing.T) {
	const units = 5000
	var buf bytes.Buffer
	if err := sirenetest.GenerateUnitesLegalesFile(&buf, units, 7); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	for _, tc := range []struct {
		name   string
		isForm func(string) bool
		want   func(k int) bool
	}{
		{"flag only", nil, func(k int) bool { flagged, _ := sirenetest.UnitIsESS(k); return flagged }},
		{"flag or legal form", isAssociationOrCoop, func(k int) bool { f, a := sirenetest.UnitIsESS(k); return f || a }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			set, _, err := sirene.ESSUnits(bytes.NewReader(data), sirene.ESSOptions{IsESSLegalCategory: tc.isForm})
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			for k := range units {
				expected := tc.want(k) && sirenetest.UnitIsActive(k)
				if expected {
					want++
				}
				if set.Has(sirenetest.UnitSIREN(k)) != expected {
					t.Fatalf("unit %d (%s): in set = %v, want %v", k, sirenetest.UnitSIREN(k), !expected, expected)
				}
			}
			if set.Len() != want || set.Has("") || set.Has("12345678X") {
				t.Errorf("set holds %d units, want %d", set.Len(), want)
			}
		})
	}
}

func TestScanUnitesLegalesKeepsRequestedSIRENs(t *testing.T) {
	var buf bytes.Buffer
	if err := sirenetest.GenerateUnitesLegalesFile(&buf, 300, 8); err != nil {
		t.Fatal(err)
	}
	wanted := []string{sirenetest.UnitSIREN(3), sirenetest.UnitSIREN(250)}
	var got []string
	_, err := sirene.ScanUnitesLegales(&buf, func(s string) bool { return slices.Contains(wanted, s) },
		func(u sirene.UniteLegale) error { got = append(got, u.SIREN); return nil }, sirene.Options{})
	if err != nil || !slices.Equal(got, wanted) {
		t.Errorf("got %v, %v; want %v", got, err, wanted)
	}
}

// TestESSEstablishmentsOfGeneratedStock runs the whole selection the import does: ESS units, then their active
// establishments in Nantes Métropole, then the details of the units kept.
func TestESSEstablishmentsOfGeneratedStock(t *testing.T) {
	const rows = 40000
	var units, etabs bytes.Buffer
	if err := sirenetest.GenerateUnitesLegalesFile(&units, sirenetest.UnitsFor(rows), 9); err != nil {
		t.Fatal(err)
	}
	if err := sirenetest.GenerateEtablissementsFile(&etabs, rows, 9); err != nil {
		t.Fatal(err)
	}
	unitData := units.Bytes()
	set, _, err := sirene.ESSUnits(bytes.NewReader(unitData), sirene.ESSOptions{IsESSLegalCategory: isAssociationOrCoop})
	if err != nil {
		t.Fatal(err)
	}
	filter := nantesFilter()
	filter.KeepSIREN, filter.MaskSIREN = set.Has, set.NotDiffusible
	sirens := map[string]bool{}
	_, err = sirene.ScanEtablissements(&etabs, filter, func(e sirene.Etablissement) error {
		sirens[e.SIREN] = true
		return nil
	}, sirene.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sirens) < 50 {
		t.Fatalf("only %d ESS units in Nantes Métropole: the generator's mix changed?", len(sirens))
	}
	var details int
	_, err = sirene.ScanUnitesLegales(bytes.NewReader(unitData), func(s string) bool { return sirens[s] }, func(u sirene.UniteLegale) error {
		if u.Etat != "A" || (u.ESS != "O" && u.CategorieJuridique != "9220") {
			t.Errorf("kept a unit that is not active ESS: %+v", u)
		}
		details++
		return nil
	}, sirene.Options{})
	if err != nil || details != len(sirens) {
		t.Errorf("details of %d units, want %d (err %v)", details, len(sirens), err)
	}
}

// BenchmarkScanEtablissements filters a generated national-layout stock of 1,000,000 rows for the ESS units of
// Nantes Métropole, as the import does, and reports parsing throughput.
func BenchmarkScanEtablissements(b *testing.B) {
	const rows = 1_000_000
	var units, etabs bytes.Buffer
	if err := sirenetest.GenerateUnitesLegalesFile(&units, sirenetest.UnitsFor(rows), 10); err != nil {
		b.Fatal(err)
	}
	if err := sirenetest.GenerateEtablissementsFile(&etabs, rows, 10); err != nil {
		b.Fatal(err)
	}
	set, _, err := sirene.ESSUnits(bytes.NewReader(units.Bytes()), sirene.ESSOptions{IsESSLegalCategory: isAssociationOrCoop})
	if err != nil {
		b.Fatal(err)
	}
	filter := nantesFilter()
	filter.KeepSIREN, filter.MaskSIREN = set.Has, set.NotDiffusible
	data := etabs.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	var kept int64
	for b.Loop() {
		stats, err := sirene.ScanEtablissements(bytes.NewReader(data), filter, func(sirene.Etablissement) error { return nil }, sirene.Options{})
		if err != nil {
			b.Fatal(err)
		}
		kept = stats.Kept
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(kept), "kept")
}

// BenchmarkESSUnits reads a generated StockUniteLegale of 500,000 units into a UnitSet.
func BenchmarkESSUnits(b *testing.B) {
	const units = 500_000
	var buf bytes.Buffer
	if err := sirenetest.GenerateUnitesLegalesFile(&buf, units, 11); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := sirene.ESSUnits(io.NopCloser(bytes.NewReader(data)), sirene.ESSOptions{IsESSLegalCategory: isAssociationOrCoop}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(units)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

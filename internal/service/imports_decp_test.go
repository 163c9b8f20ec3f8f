package service_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/decp"
	"github.com/essor-ess/essor/internal/opendata/sirene"
	"github.com/essor-ess/essor/internal/service"
)

// sharedData is where the real public samples live; tests that need them skip when it is absent.
const sharedData = "../../../shared/data"

var decpSamples = []string{
	"decp-v1-sample-pays-de-la-loire-2018-2019.json",
	"decp-v2-example-official-marches-concessions.json",
	"decp-v2-example-official-marches-modifications.json",
	"decp-v2-sample-gip-maximilien-2024.json",
	"decp-v2-sample-gip-maximilien-2024-flat-variant.json",
}

func decpInputs(t *testing.T) []service.DECPInput {
	t.Helper()
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("real samples absent (%s): %v", sharedData, err)
	}
	var inputs []service.DECPInput
	for _, name := range decpSamples {
		data, err := os.ReadFile(filepath.Join(sharedData, name))
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, service.DECPInput{Name: name, Reader: bytes.NewReader(data)})
	}
	return inputs
}

// holderSIRETs returns valid holder SIRETs of the v1 sample, each of a different legal unit, most awarded first.
func holderSIRETs(t *testing.T, n int) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, decpSamples[0]))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	seen := map[string]bool{}
	_, err = decp.Read(f, func(a decp.Award) error {
		for _, h := range a.Holders {
			if domain.ValidateSIRET(h.ID) == nil && !seen[h.ID[:9]] && len(out) < n && a.NotifiedOn != nil {
				seen[h.ID[:9]] = true
				out = append(out, h.ID)
			}
		}
		return nil
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < n {
		t.Fatalf("only %d valid holder SIRETs in the sample", len(out))
	}
	return out
}

func TestImportDECPRealSamplesIsIdempotent(t *testing.T) {
	env := newImportEnv(t)
	var rejected []service.ImportRejection
	res, err := env.importer.ImportDECP(context.Background(), decpInputs(t), func(r service.ImportRejection) { rejected = append(rejected, r) })
	if err != nil {
		t.Fatal(err)
	}
	if res.Files != len(decpSamples) || res.Records < 689+17 || res.AwardWrites.Created == 0 {
		t.Fatalf("first import: %+v", res)
	}
	if res.AwardWrites.Created+res.Duplicates+res.Malformed < res.Awards {
		t.Errorf("awards read %d, created %d", res.Awards, res.AwardWrites.Created)
	}
	again, err := env.importer.ImportDECP(context.Background(), decpInputs(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if again.AwardWrites.Created != 0 || again.AwardWrites.Updated != 0 || again.StructuresChanged != 0 {
		t.Errorf("second import of the same files wrote: %+v", again)
	}
	if w := res.AwardWrites; again.AwardWrites.Unchanged != w.Created+w.Updated+w.Unchanged {
		t.Errorf("second import: %d unchanged, first wrote %+v", again.AwardWrites.Unchanged, w)
	}
}

func TestImportDECPReportsDamagedFiles(t *testing.T) {
	env := newImportEnv(t)
	good := `{"marches":[{"id":"A1","acheteur":{"id":"21440109300015"},"titulaires":[{"typeIdentifiant":"SIRET","id":"35600000000048"}],"dateNotification":"2024-02-01","montant":1200}`
	inputs := []service.DECPInput{
		{Name: "truncated.json", Reader: strings.NewReader(good + `,{"id":"A2","acheteur":{"id":"2144`)},
		{Name: "broken-record.json", Reader: strings.NewReader(`{"marches":[{"id":"B1"},{"id":"B2","acheteur":{"id":"21440109300015"},"montant":"CDL"}]}`)},
		{Name: "latin1.csv", Reader: strings.NewReader("id;acheteur_id;titulaire_id_1;montant\nC1;21440109300015;35600000000048;\xe9t\xe9\n")},
	}
	var rejected []service.ImportRejection
	res, err := env.importer.ImportDECP(context.Background(), inputs, func(r service.ImportRejection) { rejected = append(rejected, r) })
	if err == nil || !strings.Contains(err.Error(), "truncated.json") {
		t.Fatalf("err = %v, want the truncated file named", err)
	}
	if res.AwardWrites.Created < 2 {
		t.Errorf("the records before the damage and in the other files were not kept: %+v", res)
	}
	if !slices.ContainsFunc(rejected, func(r service.ImportRejection) bool { return r.File == "broken-record.json" && r.Kind == "malformed" }) {
		t.Errorf("the record without buyer was not reported: %+v", rejected)
	}
}

// TestFirstTimeBiddersFromAwards is the "done when" scenario of the open-data issue: awards first, then
// establishments whose SIRETs hold some of them.
func TestFirstTimeBiddersFromAwards(t *testing.T) {
	env := newImportEnv(t)
	ctx := context.Background()
	if _, err := env.importer.ImportDECP(ctx, decpInputs(t), nil); err != nil {
		t.Fatal(err)
	}
	holders := holderSIRETs(t, 3)
	others := []string{withLuhn("9990000100001"), withLuhn("9990000200001")}
	dir := t.TempDir()
	var units, etabs []stockRow
	for i, siret := range append(slices.Clone(holders), others...) {
		units = append(units, unitRow(siret[:9], "STRUCTURE "+siret, "9220", "O"))
		etabs = append(etabs, etabRow(siret, "44109", "RUE "+string(rune('A'+i))))
	}
	res, err := env.importer.ImportSIRENE(ctx, service.SIRENEImportOptions{
		UnitesLegales:  writeStock(t, dir, "ul.csv", sirene.UniteLegaleColumns, units),
		Etablissements: writeStock(t, dir, "etab.csv", sirene.EtablissementColumns, etabs),
		Territory:      service.CommunesTerritory(nantes()...),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Created != 5 || res.AwardCountsChanged != 3 {
		t.Fatalf("SIRENE import: %+v, want 5 created and 3 with awards", res)
	}
	for _, siret := range holders {
		s, err := env.store.FindStructureBySIRET(ctx, siret)
		if err != nil {
			t.Fatal(err)
		}
		if s.PublicAwardsCount == 0 || s.LastAwardOn == nil || s.FirstTime() {
			t.Errorf("%s holds awards of the sample but reads %d awards, last %v", siret, s.PublicAwardsCount, s.LastAwardOn)
		}
	}
	page, _ := domain.NewPageRequest(domain.MaxPageSize, "")
	firstTime := true
	found, err := env.directory.FindStructures(ctx, domain.StructureFilter{FirstTime: &firstTime}, page)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range found.Items {
		got = append(got, s.SIRET)
	}
	slices.Sort(got)
	if !slices.Equal(got, others) {
		t.Errorf("first_time=true lists %v, want %v", got, others)
	}

	t.Run("indicators", func(t *testing.T) {
		ind := service.NewIndicatorService(env.store, nil)
		from, to := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2019, 12, 31, 0, 0, 0, 0, time.UTC)
		got, err := ind.Indicators(ctx, service.IndicatorQuery{From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		a := got.Awards
		if a.Contracts < 500 || a.UndatedAwards == 0 || a.ESSContracts < 3 || a.ESSContracts > a.Contracts || a.DistinctESSWinners != 3 {
			t.Errorf("award indicators: %+v", a)
		}
		if a.FirstTimeESSWinners < 1 || a.FirstTimeESSWinners > 3 {
			t.Errorf("first-time ESS winners = %d, want 1 to 3", a.FirstTimeESSWinners)
		}
		if got.Directory.Structures != 5 || got.Directory.FirstTimeBidders != 2 || got.Directory.Verified != 0 {
			t.Errorf("directory indicators: %+v", got.Directory)
		}
		empty, err := ind.Indicators(ctx, service.IndicatorQuery{From: from, To: to, BuyerSIRET: withLuhn("1234567800001")})
		if err != nil {
			t.Fatal(err)
		}
		if empty.Awards.Contracts != 0 || empty.Awards.ESSContractShare != 0 {
			t.Errorf("unknown buyer: %+v", empty.Awards)
		}
	})
}

func TestImportSIRENEKeepsWhatTheStructureEdited(t *testing.T) {
	env := newImportEnv(t)
	ctx := context.Background()
	dir := t.TempDir()
	siret := withLuhn("4440000100001")
	units := writeStock(t, dir, "ul.csv", sirene.UniteLegaleColumns, []stockRow{unitRow(siret[:9], "ATELIER DU COIN", "9220", "")})
	etab := etabRow(siret, "44109", "DE LA LOIRE")
	opts := service.SIRENEImportOptions{UnitesLegales: units,
		Etablissements: writeStock(t, dir, "etab1.csv", sirene.EtablissementColumns, []stockRow{etab}), Territory: service.CommunesTerritory(nantes()...)}
	if _, err := env.importer.ImportSIRENE(ctx, opts); err != nil {
		t.Fatal(err)
	}
	s, err := env.store.FindStructureBySIRET(ctx, siret)
	if err != nil {
		t.Fatal(err)
	}
	if s.Address != "2 RUE DE LA LOIRE" || s.ESSBasis != domain.BasisLegalForm || s.NAFCode != "88.99B" {
		t.Fatalf("imported: %+v", s)
	}
	// The structure renames itself and describes itself.
	s.Name, s.Description = "L'Atelier du Coin", "Réparation de vélos"
	if err := env.store.UpdateStructure(ctx, s, s.Version); err != nil {
		t.Fatal(err)
	}
	// SIRENE then publishes a new address and a new headcount band.
	etab["libelleVoieEtablissement"], etab["trancheEffectifsEtablissement"] = "DE STRASBOURG", "12"
	opts.Etablissements = writeStock(t, dir, "etab2.csv", sirene.EtablissementColumns, []stockRow{etab})
	res, err := env.importer.ImportSIRENE(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 {
		t.Fatalf("second import: %+v, want 1 updated", res)
	}
	got, err := env.store.FindStructureBySIRET(ctx, siret)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "L'Atelier du Coin" || got.Description != "Réparation de vélos" {
		t.Errorf("the import overwrote what the structure edited: name %q, description %q", got.Name, got.Description)
	}
	if got.Address != "2 RUE DE STRASBOURG" || got.HeadcountBand != "12" || got.Version != s.Version+1 {
		t.Errorf("the import did not follow SIRENE on the fields it owns: %+v", got)
	}
	// A non-diffusible establishment loses its address and postcode and sits at the commune centre.
	etab["statutDiffusionEtablissement"] = "P"
	opts.Etablissements = writeStock(t, dir, "etab3.csv", sirene.EtablissementColumns, []stockRow{etab})
	if _, err := env.importer.ImportSIRENE(ctx, opts); err != nil {
		t.Fatal(err)
	}
	got, err = env.store.FindStructureBySIRET(ctx, siret)
	if err != nil {
		t.Fatal(err)
	}
	if got.Address != "" || got.Postcode != "" || got.Location == nil || got.Location.Lat != 47.231636 {
		t.Errorf("non-diffusible establishment: address %q, postcode %q, location %+v", got.Address, got.Postcode, got.Location)
	}
}

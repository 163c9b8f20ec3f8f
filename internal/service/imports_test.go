package service_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/sirene"
	"github.com/essor-ess/essor/internal/opendata/sirene/sirenetest"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// importEnv is a migrated test database with the store and the use cases over it.
type importEnv struct {
	store     *sqlstore.Store
	importer  *service.Importer
	directory *service.Directory
}

func newImportEnv(t testing.TB) importEnv {
	t.Helper()
	ref := refdata.Default()
	store := sqlstore.New(dbtest.Open(t), sqlstore.WithCommuneLookup(ref.CommunePlace))
	return importEnv{store: store, importer: service.NewImporter(store, ref, nil), directory: service.NewDirectory(store, ref, nil)}
}

func stockSource(t testing.TB, path string) service.StockSource {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return service.StockSource{Name: filepath.Base(path), Fingerprint: fmt.Sprint(info.Size(), info.ModTime().UnixNano()),
		Open: func() (*sirene.StockFile, error) { return sirene.OpenStockFile(path) }}
}

// generatedStock writes a generated pair of stock files and returns their sources.
func generatedStock(t testing.TB, rows int, seed uint64) (units, etabs service.StockSource) {
	t.Helper()
	dir := t.TempDir()
	write := func(name string, gen func(f *os.File) error) string {
		path := filepath.Join(dir, name)
		f, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := gen(f); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ul := write("StockUniteLegale_utf8.csv", func(f *os.File) error {
		return sirenetest.GenerateUnitesLegalesFile(f, sirenetest.UnitsFor(rows), seed)
	})
	et := write("StockEtablissement_utf8.csv", func(f *os.File) error {
		return sirenetest.GenerateEtablissementsFile(f, rows, seed)
	})
	return stockSource(t, ul), stockSource(t, et)
}

// stockRow is one row of a hand-written stock file: column name → value.
type stockRow map[string]string

// writeStock writes rows under the full official header of a stock file.
func writeStock(t testing.TB, dir, name string, columns []string, rows []stockRow) service.StockSource {
	t.Helper()
	var b strings.Builder
	b.WriteString(strings.Join(columns, ",") + "\n")
	for _, r := range rows {
		fields := make([]string, len(columns))
		for i, c := range columns {
			v := r[c]
			if strings.ContainsAny(v, ",\"\n") {
				v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
			}
			fields[i] = v
		}
		b.WriteString(strings.Join(fields, ",") + "\n")
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return stockSource(t, path)
}

func unitRow(siren, name, category, ess string) stockRow {
	return stockRow{"siren": siren, "statutDiffusionUniteLegale": "O", "etatAdministratifUniteLegale": "A",
		"denominationUniteLegale": name, "categorieJuridiqueUniteLegale": category,
		"economieSocialeSolidaireUniteLegale": ess, "activitePrincipaleUniteLegale": "88.99B",
		"nomenclatureActivitePrincipaleUniteLegale": "NAFRev2"}
}

func etabRow(siret, commune, street string) stockRow {
	return stockRow{"siren": siret[:9], "nic": siret[9:], "siret": siret, "statutDiffusionEtablissement": "O",
		"etatAdministratifEtablissement": "A", "codeCommuneEtablissement": commune, "codePostalEtablissement": "44000",
		"numeroVoieEtablissement": "2", "typeVoieEtablissement": "RUE", "libelleVoieEtablissement": street,
		"trancheEffectifsEtablissement": "11", "activitePrincipaleEtablissement": "88.99B",
		"nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
		"coordonneeLambertAbscisseEtablissement":      "355000.0", "coordonneeLambertOrdonneeEtablissement": "6689000.0"}
}

// withLuhn completes a 13-digit prefix into a valid SIRET.
func withLuhn(prefix string) string {
	for d := '0'; d <= '9'; d++ {
		s := prefix + string(d)
		if domain.ValidateSIRET(s) == nil {
			return s
		}
	}
	panic("no check digit for " + prefix)
}

func nantes() []string {
	var codes []string
	for _, c := range refdata.Default().NantesMetropole() {
		codes = append(codes, c.INSEE)
	}
	return codes
}

// allStructures returns every structure by SIRET, with what differs between two equivalent imports (ids,
// timestamps) blanked.
func allStructures(t testing.TB, store *sqlstore.Store) map[string]domain.Structure {
	t.Helper()
	out := map[string]domain.Structure{}
	cursor := ""
	for {
		page, err := domain.NewPageRequest(domain.MaxPageSize, cursor)
		if err != nil {
			t.Fatal(err)
		}
		got, err := store.FindStructures(context.Background(), domain.StructureFilter{Statuses: []domain.StructureStatus{
			domain.StatusDraft, domain.StatusPublished, domain.StatusSuspended}}, page)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range got.Items {
			s.ID, s.CreatedAt, s.UpdatedAt = "", time.Time{}, time.Time{}
			out[s.SIRET] = s
		}
		if got.NextCursor == "" {
			return out
		}
		cursor = got.NextCursor
	}
}

func TestImportSIRENEGeneratedIsIdempotent(t *testing.T) {
	env := newImportEnv(t)
	units, etabs := generatedStock(t, 20000, 7)
	var rejected []service.ImportRejection
	opts := service.SIRENEImportOptions{UnitesLegales: units, Etablissements: etabs, Territory: service.CommunesTerritory(sirenetest.NantesMetropole...),
		BatchSize: 50, Reject: func(r service.ImportRejection) { rejected = append(rejected, r) }}
	ctx := context.Background()
	first, err := env.importer.ImportSIRENE(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Created == 0 || first.Created != first.Kept-countKind(rejected, "invalid") {
		t.Fatalf("created %d of %d kept (%d invalid): %+v", first.Created, first.Kept, countKind(rejected, "invalid"), first)
	}
	if countKind(rejected, "malformed") == 0 {
		t.Errorf("the generator breaks one row in 5,000; none was reported: %+v", first)
	}
	// Every generated establishment carries the NAF 2025 code 88.99Y beside a NAF rév. 2 code: all map.
	if first.NAFUnmapped != 0 {
		t.Errorf("NAFUnmapped = %d, want 0", first.NAFUnmapped)
	}
	stored := allStructures(t, env.store)
	if len(stored) != first.Created {
		t.Fatalf("%d structures stored, %d created", len(stored), first.Created)
	}
	for _, s := range stored {
		if s.Status != domain.StatusPublished || s.ESSBasis == "" || s.ESSFamily == "" || s.Location == nil {
			t.Fatalf("imported structure lacks status, ESS basis, family or location: %+v", s)
		}
		if !slices.Contains(sirenetest.NantesMetropole, s.Commune) {
			t.Fatalf("structure outside the territory: %+v", s)
		}
	}
	before, err := env.store.MaxOutboxPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	second, err := env.importer.ImportSIRENE(ctx, opts)
	if err != nil {
		t.Fatal(err)
	}
	if second.Created != 0 || second.Updated != 0 || second.Unchanged != first.Created {
		t.Errorf("second run: %+v, want nothing created or updated", second)
	}
	after, err := env.store.MaxOutboxPosition(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if after != before {
		t.Errorf("second run appended %d outbox entries", after-before)
	}
	again := allStructures(t, env.store)
	for siret, s := range stored {
		if again[siret].Version != s.Version {
			t.Errorf("%s: version %d → %d on an unchanged import", siret, s.Version, again[siret].Version)
		}
	}
}

func countKind(rs []service.ImportRejection, kind string) int {
	n := 0
	for _, r := range rs {
		if r.Kind == kind {
			n++
		}
	}
	return n
}

func TestImportSIRENEResumesAfterInterruption(t *testing.T) {
	units, etabs := generatedStock(t, 30000, 11)
	opts := service.SIRENEImportOptions{UnitesLegales: units, Etablissements: etabs, Territory: service.CommunesTerritory(sirenetest.NantesMetropole...), BatchSize: 20}

	whole := newImportEnv(t)
	want, err := whole.importer.ImportSIRENE(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if want.Created < 100 {
		t.Fatalf("only %d structures: the test needs several batches", want.Created)
	}

	env := newImportEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	batches := 0
	interrupted := opts
	interrupted.Progress = func(p service.ImportProgress) {
		if p.Phase == "write" {
			if batches++; batches == 3 {
				cancel()
			}
		}
	}
	got, err := env.importer.ImportSIRENE(ctx, interrupted)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted import: err = %v, want context.Canceled", err)
	}
	if got.Created != 3*opts.BatchSize {
		t.Fatalf("interrupted after %d structures, want 3 batches of %d", got.Created, opts.BatchSize)
	}
	resumed, err := env.importer.ImportSIRENE(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if resumed.ResumedAfterRow == 0 || resumed.Created+got.Created != want.Created {
		t.Fatalf("resumed run: %+v after %d created, want %d in all", resumed, got.Created, want.Created)
	}
	a, b := allStructures(t, whole.store), allStructures(t, env.store)
	if len(a) != len(b) {
		t.Fatalf("%d structures after an uninterrupted import, %d after interrupt and resume", len(a), len(b))
	}
	for siret, s := range a {
		if !reflect.DeepEqual(s, b[siret]) {
			t.Fatalf("%s differs:\n%+v\n%+v", siret, s, b[siret])
		}
	}
	// The finished import forgot its checkpoint: a third run reads everything again and changes nothing.
	third, err := env.importer.ImportSIRENE(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if third.ResumedAfterRow != 0 || third.Created != 0 || third.Updated != 0 {
		t.Errorf("third run: %+v", third)
	}
}

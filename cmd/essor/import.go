package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/essor-ess/essor/internal/opendata/sirene"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

const importUsage = `essor import sirene --unites-legales FILE --etablissements FILE [--communes CODE,…|--departement CODE|--epci SIREN] [--report FILE] [--batch 500]
essor import decp [--report FILE] FILE…`

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "sirene" && args[0] != "decp") {
		return usageError{"essor import: say sirene or decp\n" + importUsage}
	}
	if args[0] == "sirene" {
		return runImportSIRENE(ctx, args[1:], getenv, stdout, stderr)
	}
	return runImportDECP(ctx, args[1:], getenv, stdout, stderr)
}

func runImportSIRENE(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import sirene", flag.ContinueOnError)
	fs.SetOutput(stderr)
	units := fs.String("unites-legales", "", "StockUniteLegale file (.csv or .zip as published by INSEE)")
	etabs := fs.String("etablissements", "", "StockEtablissement file (.csv or .zip)")
	communes := fs.String("communes", "", "territory: comma-separated INSEE commune codes")
	departement := fs.String("departement", "", "territory: a département code (44, 2A, 974)")
	epci := fs.String("epci", "", "territory: the SIREN of an EPCI (default Nantes Métropole)")
	report := fs.String("report", "", "write the rejected rows with their reason to this CSV file")
	batch := fs.Int("batch", 500, "structures per transaction")
	cfg, err := loadConfig(getenv, fs, args)
	if err != nil {
		return err
	}
	if *units == "" || *etabs == "" || fs.NArg() > 0 {
		return usageError{"essor import sirene: --unites-legales and --etablissements are required\n" + importUsage}
	}
	territory, err := territoryOf(refdata.Default(), *communes, *departement, *epci)
	if err != nil {
		return usageError{"essor import sirene: " + err.Error()}
	}
	if *batch < 1 || *batch > 10000 {
		return usageError{"essor import sirene: --batch must be between 1 and 10000"}
	}
	ulSource, err := stockSource(*units)
	if err != nil {
		return err
	}
	etSource, err := stockSource(*etabs)
	if err != nil {
		return err
	}
	rep, err := openReport(*report)
	if err != nil {
		return err
	}
	defer rep.close()
	importer, closeApp, err := openImporter(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp()
	bars := newProgressBars(stderr)
	res, err := importer.ImportSIRENE(ctx, service.SIRENEImportOptions{
		UnitesLegales: ulSource, Etablissements: etSource, Territory: territory, BatchSize: *batch,
		Progress: bars.update, Reject: rep.write,
	})
	bars.finish()
	if rerr := rep.close(); rerr != nil && err == nil {
		err = rerr
	}
	fmt.Fprintf(stdout, "sirene: %d legal units read (%d ESS), %d establishment rows read, %d kept in %s\n",
		res.UnitRows, res.ESSUnits, res.EtablissementRows, res.Kept, territory.Key)
	if res.ResumedAfterRow > 0 {
		fmt.Fprintf(stdout, "sirene: resumed after establishment row %d\n", res.ResumedAfterRow)
	}
	fmt.Fprintf(stdout, "sirene: %d created, %d updated, %d unchanged, %d rejected, %d NAF codes not in NAF rév. 2 (left empty), %d award counts set\n",
		res.Created, res.Updated, res.Unchanged, res.Rejected, res.NAFUnmapped, res.AwardCountsChanged)
	fmt.Fprintf(stdout, "sirene: read %s (%.0f rows/s), wrote %s (%.0f structures/s)\n",
		res.ReadDuration.Round(time.Millisecond), perSecond(res.UnitRows*2+res.EtablissementRows, res.ReadDuration),
		res.WriteDuration.Round(time.Millisecond), perSecond(int64(res.Created+res.Updated+res.Unchanged), res.WriteDuration))
	if errors.Is(err, context.Canceled) {
		return errors.New("import interrupted; run the same command again to resume after the last committed batch")
	}
	return err
}

func runImportDECP(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("import decp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	report := fs.String("report", "", "write the rejected records with their reason to this CSV file")
	cfg, err := loadConfig(getenv, fs, args)
	if err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"essor import decp: name at least one file\n" + importUsage}
	}
	var inputs []service.DECPInput
	for _, name := range fs.Args() {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		inputs = append(inputs, service.DECPInput{Name: name, Reader: f})
	}
	rep, err := openReport(*report)
	if err != nil {
		return err
	}
	defer rep.close()
	importer, closeApp, err := openImporter(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer closeApp()
	res, err := importer.ImportDECP(ctx, inputs, rep.write)
	if rerr := rep.close(); rerr != nil && err == nil {
		err = rerr
	}
	fmt.Fprintf(stdout, "decp: %d files, %d records, %d awards (%d malformed, %d duplicates, %d conflicting)\n",
		res.Files, res.Records, res.Awards, res.Malformed, res.Duplicates, res.Conflicts)
	fmt.Fprintf(stdout, "decp: %d awards created, %d updated, %d unchanged; %d structures got new award counts\n",
		res.AwardWrites.Created, res.AwardWrites.Updated, res.AwardWrites.Unchanged, res.StructuresChanged)
	return err
}

// openImporter opens and migrates the database and returns the imports over it.
func openImporter(ctx context.Context, cfg config, stderr io.Writer) (*service.Importer, func(), error) {
	a, err := openApp(ctx, cfg, cfg.logger(stderr))
	if err != nil {
		return nil, nil, err
	}
	if err := sqlstore.Migrate(ctx, a.db, sqlstore.MigrateUp, io.Discard); err != nil {
		a.close()
		return nil, nil, fmt.Errorf("migrate: %w", err)
	}
	return service.NewImporter(a.store, refdata.Default(), nil), a.close, nil
}

// territoryOf reads the territory flags: at most one, Nantes Métropole by default.
func territoryOf(ref *refdata.Catalog, communes, departement, epci string) (service.Territory, error) {
	set := 0
	for _, v := range []string{communes, departement, epci} {
		if v != "" {
			set++
		}
	}
	switch {
	case set > 1:
		return service.Territory{}, errors.New("give one of --communes, --departement and --epci")
	case communes != "":
		codes := strings.Split(communes, ",")
		for i, c := range codes {
			codes[i] = strings.ToUpper(strings.TrimSpace(c))
			if !ref.CommuneExists(codes[i]) {
				return service.Territory{}, fmt.Errorf("--communes: %q is not an INSEE commune code", c)
			}
		}
		return service.CommunesTerritory(codes...), nil
	case departement != "":
		d, ok := ref.Department(departement)
		if !ok {
			return service.Territory{}, fmt.Errorf("--departement: %q is not a département code", departement)
		}
		return service.Territory{Key: "departement:" + d.Code, Contains: func(c string) bool {
			com, ok := ref.Commune(c)
			return ok && com.Department == d.Code
		}}, nil
	}
	if epci == "" {
		epci = refdata.NantesMetropoleEPCI
	}
	members := ref.CommunesOfEPCI(epci)
	if len(members) == 0 {
		return service.Territory{}, fmt.Errorf("--epci: %q is not the SIREN of an EPCI", epci)
	}
	codes := make([]string, len(members))
	for i, c := range members {
		codes[i] = c.INSEE
	}
	t := service.CommunesTerritory(codes...)
	t.Key = "epci:" + epci
	return t, nil
}

// stockSource fingerprints a stock file by size and modification time: a new INSEE release never resumes an
// old checkpoint.
func stockSource(path string) (service.StockSource, error) {
	info, err := os.Stat(path)
	if err != nil {
		return service.StockSource{}, err
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return service.StockSource{}, err
	}
	return service.StockSource{
		Name:        filepath.Base(path),
		Fingerprint: abs + "|" + strconv.FormatInt(info.Size(), 10) + "|" + strconv.FormatInt(info.ModTime().UnixNano(), 10),
		Open:        func() (*sirene.StockFile, error) { return sirene.OpenStockFile(path) },
	}, nil
}

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// rejectReport writes rejected rows to a CSV file (UTF-8, comma-separated, one header row).
type rejectReport struct {
	file *os.File
	w    *csv.Writer
}

func openReport(path string) (*rejectReport, error) {
	if path == "" {
		return &rejectReport{}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	w := csv.NewWriter(f)
	if err := w.Write([]string{"file", "row", "where", "key", "kind", "reason", "text"}); err != nil {
		f.Close()
		return nil, err
	}
	return &rejectReport{file: f, w: w}, nil
}

func (r *rejectReport) write(rej service.ImportRejection) {
	if r.w == nil {
		return
	}
	// Errors are sticky in csv.Writer and come back from close.
	_ = r.w.Write([]string{rej.File, strconv.FormatInt(rej.Row, 10), rej.Where, rej.Key, rej.Kind, rej.Reason, rej.Text})
}

func (r *rejectReport) close() error {
	if r.file == nil {
		return nil
	}
	r.w.Flush()
	err := errors.Join(r.w.Error(), r.file.Close())
	r.file, r.w = nil, nil
	return err
}

// progressBars shows one bar per pass over a file: bytes read against the file size (hence the ETA) and the
// rows per second.
type progressBars struct {
	out     io.Writer
	bar     *progressbar.ProgressBar
	phase   string
	started time.Time
}

func newProgressBars(out io.Writer) *progressBars { return &progressBars{out: out} }

var phaseLabels = map[string]string{
	"unites_legales": "unités légales (ESS)", "etablissements": "établissements", "details": "unités légales (détails)",
	"write": "écriture",
}

func (p *progressBars) update(e service.ImportProgress) {
	if e.Phase != p.phase {
		p.finish()
		p.phase, p.started = e.Phase, time.Now()
		opts := []progressbar.Option{progressbar.OptionSetWriter(p.out), progressbar.OptionSetPredictTime(true),
			progressbar.OptionThrottle(200 * time.Millisecond), progressbar.OptionSetWidth(30),
			progressbar.OptionShowElapsedTimeOnFinish(), progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.out) })}
		if e.Phase != "write" {
			opts = append(opts, progressbar.OptionShowBytes(true))
		}
		p.bar = progressbar.NewOptions64(max(e.Total, 1), opts...)
	}
	done := e.Bytes
	if e.Phase == "write" {
		done = e.Rows
	}
	p.bar.Describe(fmt.Sprintf("%-26s %10d lignes %8.0f/s", phaseLabels[e.Phase], e.Rows, perSecond(e.Rows, time.Since(p.started))))
	_ = p.bar.Set64(min(done, max(e.Total, 1))) // a bar writing to stderr has nothing to report
}

func (p *progressBars) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		p.bar = nil
	}
}

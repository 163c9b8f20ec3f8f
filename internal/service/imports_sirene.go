package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/sirene"
)

// Importer runs the open-data imports: SIRENE establishments into the directory, DECP awards, and the award
// counts that follow from them.
type Importer struct {
	store ImportStore
	ref   domain.Reference
	now   func() time.Time
}

// NewImporter returns the imports over a store; clock may be nil (time.Now).
func NewImporter(store ImportStore, ref domain.Reference, clock func() time.Time) *Importer {
	if clock == nil {
		clock = time.Now
	}
	return &Importer{store: store, ref: ref, now: clock}
}

// StockSource is a SIRENE stock file an import may open more than once. Fingerprint identifies its content
// (size and modification time will do), so that a checkpoint is only ever resumed on the same file.
type StockSource struct {
	Name        string
	Fingerprint string
	Open        func() (*sirene.StockFile, error)
}

// Territory is the area an import keeps establishments of. Key names it in checkpoints ("epci:244400404").
type Territory struct {
	Key      string
	Contains func(communeINSEE string) bool
}

// CommunesTerritory is the territory made of these communes (INSEE codes).
func CommunesTerritory(codes ...string) Territory {
	set := make(map[string]bool, len(codes))
	for _, c := range codes {
		set[c] = true
	}
	sorted := slices.Clone(codes)
	slices.Sort(sorted)
	return Territory{Key: "communes:" + strings.Join(sorted, ","), Contains: func(c string) bool { return set[c] }}
}

// ImportProgress is reported while an import reads a file.
type ImportProgress struct {
	Phase string // "unites_legales", "etablissements", "details", "write"
	File  string
	Rows  int64
	Bytes int64
	Total int64 // bytes of the file, for an ETA
	Done  bool
}

// SIRENEImportOptions say what to import and where to report.
type SIRENEImportOptions struct {
	UnitesLegales  StockSource
	Etablissements StockSource
	// Territory selects the establishments by commune.
	Territory Territory
	BatchSize int // structures per transaction; 0 means 500
	Progress  func(ImportProgress)
	Reject    func(ImportRejection)
}

// SIRENEImportResult counts what an import did.
type SIRENEImportResult struct {
	UnitRows          int64
	ESSUnits          int
	EtablissementRows int64
	Kept              int
	ResumedAfterRow   int64
	Created           int
	Updated           int
	Unchanged         int
	Rejected          int
	NAFUnmapped       int
	// AwardCountsChanged counts structures whose award count changed: new ones holding already imported awards.
	AwardCountsChanged int
	ReadDuration       time.Duration
	WriteDuration      time.Duration
}

// keptEtablissement is an establishment the scan kept, waiting for its legal unit's details.
type keptEtablissement struct {
	sirene.Etablissement
	masked bool
}

// ImportSIRENE imports the active establishments of ESS legal units (SIRENE ESS flag or ESS legal form) located
// in the territory: it reads the legal units once to find the ESS ones, the establishments once to keep those of
// the territory, the legal units again for the details of the kept ones, then creates or merges structures by
// SIRET in batches. Each batch commits with a checkpoint, so a cancelled import stops after the batch in flight
// and the next run with the same files and territory resumes after the last committed row. Unusable rows go to
// Reject and never stop the import.
func (im *Importer) ImportSIRENE(ctx context.Context, opts SIRENEImportOptions) (SIRENEImportResult, error) {
	var res SIRENEImportResult
	if opts.BatchSize <= 0 {
		opts.BatchSize = 500
	}
	if opts.Progress == nil {
		opts.Progress = func(ImportProgress) {}
	}
	reject := func(r ImportRejection) {
		res.Rejected++
		if opts.Reject != nil {
			opts.Reject(r)
		}
	}
	key := sireneCheckpointKey(opts)
	done, err := im.store.ImportCheckpoint(ctx, key)
	if err != nil {
		return res, err
	}
	res.ResumedAfterRow = done
	start := time.Now()
	units, err := im.essUnits(ctx, opts, reject, &res)
	if err != nil {
		return res, err
	}
	kept, err := im.keptEtablissements(ctx, opts, units, done, reject, &res)
	if err != nil {
		return res, err
	}
	details, err := im.unitDetails(ctx, opts, kept)
	if err != nil {
		return res, err
	}
	res.ReadDuration = time.Since(start)
	start = time.Now()
	err = im.writeEtablissements(ctx, opts, key, kept, details, reject, &res)
	res.WriteDuration = time.Since(start)
	if err != nil {
		return res, err
	}
	if err := im.store.DeleteImportCheckpoint(ctx, key); err != nil {
		return res, err
	}
	// New structures may hold awards imported before them.
	res.AwardCountsChanged, err = im.store.RecomputeAwardCounts(ctx)
	return res, err
}

// sireneCheckpointKey names a run: the same two files and the same territory.
func sireneCheckpointKey(opts SIRENEImportOptions) string {
	h := sha256.Sum256([]byte(opts.UnitesLegales.Fingerprint + "\x00" + opts.Etablissements.Fingerprint + "\x00" +
		opts.Territory.Key))
	return SourceSIRENE + ":" + hex.EncodeToString(h[:12])
}

func (im *Importer) essUnits(ctx context.Context, opts SIRENEImportOptions, reject func(ImportRejection), res *SIRENEImportResult) (*sirene.UnitSet, error) {
	f, err := opts.UnitesLegales.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src := opts.UnitesLegales.Name
	units, stats, err := sirene.ESSUnits(cancellable(ctx, f), sirene.ESSOptions{
		Options: sirene.Options{
			Progress: func(rows, n int64) {
				opts.Progress(ImportProgress{Phase: "unites_legales", File: src, Rows: rows, Bytes: n, Total: f.Size})
			},
			Reject: func(r sirene.Rejected) { reject(stockRejection(src, r)) },
		},
		IsESSLegalCategory: func(code string) bool {
			family, ok := im.ref.LegalCategoryFamily(code)
			return ok && family != ""
		},
	})
	opts.Progress(ImportProgress{Phase: "unites_legales", File: src, Rows: stats.Rows, Bytes: stats.Bytes, Total: f.Size, Done: true})
	res.UnitRows = stats.Rows
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	res.ESSUnits = units.Len()
	return units, nil
}

func (im *Importer) keptEtablissements(ctx context.Context, opts SIRENEImportOptions, units *sirene.UnitSet, skip int64, reject func(ImportRejection), res *SIRENEImportResult) ([]keptEtablissement, error) {
	f, err := opts.Etablissements.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src := opts.Etablissements.Name
	var kept []keptEtablissement
	firstRow := map[string]int64{}
	stats, err := sirene.ScanEtablissements(cancellable(ctx, f), sirene.Filter{
		KeepSIREN:   units.Has,
		KeepCommune: opts.Territory.Contains,
		MaskSIREN:   units.NotDiffusible,
	}, func(e sirene.Etablissement) error {
		if row, dup := firstRow[e.SIRET]; dup {
			reject(ImportRejection{File: src, Row: e.Row, Where: fmt.Sprintf("row %d", e.Row), Key: e.SIRET,
				Kind: "duplicate", Reason: fmt.Sprintf("SIRET already read at row %d", row)})
			return nil
		}
		firstRow[e.SIRET] = e.Row
		kept = append(kept, keptEtablissement{Etablissement: e, masked: e.Masked() || units.NotDiffusible(e.SIREN)})
		return nil
	}, sirene.Options{
		SkipRows: skip,
		Progress: func(rows, n int64) {
			opts.Progress(ImportProgress{Phase: "etablissements", File: src, Rows: rows, Bytes: n, Total: f.Size})
		},
		Reject: func(r sirene.Rejected) { reject(stockRejection(src, r)) },
	})
	opts.Progress(ImportProgress{Phase: "etablissements", File: src, Rows: stats.Rows, Bytes: stats.Bytes, Total: f.Size, Done: true})
	res.EtablissementRows = stats.Rows
	res.Kept = len(kept)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return kept, nil
}

// unitDetails reads the legal units of the kept establishments: names and legal categories live there.
func (im *Importer) unitDetails(ctx context.Context, opts SIRENEImportOptions, kept []keptEtablissement) (map[string]sirene.UniteLegale, error) {
	wanted := make(map[string]bool, len(kept))
	for i := range kept {
		wanted[kept[i].SIREN] = true
	}
	details := make(map[string]sirene.UniteLegale, len(wanted))
	if len(wanted) == 0 {
		return details, nil
	}
	f, err := opts.UnitesLegales.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	src := opts.UnitesLegales.Name
	stats, err := sirene.ScanUnitesLegales(cancellable(ctx, f), func(siren string) bool { return wanted[siren] },
		func(u sirene.UniteLegale) error {
			if u.Etat == "A" {
				details[u.SIREN] = u
			}
			return nil
		}, sirene.Options{Progress: func(rows, n int64) {
			opts.Progress(ImportProgress{Phase: "details", File: src, Rows: rows, Bytes: n, Total: f.Size})
		}})
	opts.Progress(ImportProgress{Phase: "details", File: src, Rows: stats.Rows, Bytes: stats.Bytes, Total: f.Size, Done: true})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	return details, nil
}

// writeEtablissements turns the kept establishments into structures and writes them batch by batch, in file
// order, each batch with its checkpoint. A cancelled context stops the loop between batches.
func (im *Importer) writeEtablissements(ctx context.Context, opts SIRENEImportOptions, key string, kept []keptEtablissement, details map[string]sirene.UniteLegale, reject func(ImportRejection), res *SIRENEImportResult) error {
	src := opts.Etablissements.Name
	var batch []domain.Structure
	flush := func(rowsDone int64) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := im.writeBatch(ctx, key, rowsDone, batch, reject, src, res); err != nil {
			return err
		}
		batch = batch[:0]
		opts.Progress(ImportProgress{Phase: "write", File: src, Rows: int64(res.Created + res.Updated + res.Unchanged), Total: int64(len(kept))})
		return nil
	}
	for i := range kept {
		e := &kept[i]
		u, ok := details[e.SIREN]
		if !ok {
			reject(ImportRejection{File: src, Row: e.Row, Where: fmt.Sprintf("row %d", e.Row), Key: e.SIRET,
				Kind: "invalid", Reason: "legal unit " + e.SIREN + " not found (active) in the legal-unit file"})
			continue
		}
		s, nafMapped := im.structureFrom(e, &u)
		if !nafMapped {
			res.NAFUnmapped++
		}
		if err := im.prepareImported(&s); err != nil {
			reject(ImportRejection{File: src, Row: e.Row, Where: fmt.Sprintf("row %d", e.Row), Key: e.SIRET,
				Kind: "invalid", Reason: rejection(err)})
			continue
		}
		batch = append(batch, s)
		if len(batch) >= opts.BatchSize {
			if err := flush(e.Row); err != nil {
				return err
			}
		}
	}
	if len(kept) > 0 {
		return flush(kept[len(kept)-1].Row)
	}
	return nil
}

func (im *Importer) prepareImported(s *domain.Structure) error {
	s.Normalize()
	s.Derive(im.ref)
	return s.Validate(im.ref)
}

// writeBatch merges a batch with the stored structures and writes it; a concurrent edit of one of them makes
// the store refuse the batch, which is then merged again from the fresh state.
func (im *Importer) writeBatch(ctx context.Context, key string, rowsDone int64, incoming []domain.Structure, reject func(ImportRejection), src string, res *SIRENEImportResult) error {
	const attempts = 3
	for attempt := 1; ; attempt++ {
		b, counts, err := im.mergeBatch(ctx, incoming, reject, src)
		if err != nil {
			return err
		}
		b.CheckpointKey, b.RowsDone = key, rowsDone
		err = im.store.ApplyImportBatch(ctx, b)
		if err == nil {
			res.Created += counts.created
			res.Updated += counts.updated
			res.Unchanged += counts.unchanged
			return nil
		}
		if domain.KindOf(err) != domain.KindPreconditionFailed || attempt == attempts {
			return err
		}
	}
}

type mergeCounts struct{ created, updated, unchanged int }

func (im *Importer) mergeBatch(ctx context.Context, incoming []domain.Structure, reject func(ImportRejection), src string) (ImportBatch, mergeCounts, error) {
	at := im.now().UTC().Truncate(time.Microsecond)
	b := ImportBatch{Source: SourceSIRENE, Imported: make(map[string]ImportedFields, len(incoming)), At: at}
	var counts mergeCounts
	sirets := make([]string, len(incoming))
	for i := range incoming {
		sirets[i] = incoming[i].SIRET
	}
	stored, err := im.store.FindImportedStructures(ctx, sirets)
	if err != nil {
		return b, counts, err
	}
	for i := range incoming {
		in := incoming[i]
		fields := importedFields(&in)
		cur, exists := stored[in.SIRET]
		if !exists {
			in.ID, in.Status, in.CreatedAt, in.UpdatedAt, in.Version = NewID(), domain.StatusPublished, at, at, 1
			b.Create = append(b.Create, in)
			b.Imported[in.ID] = fields
			counts.created++
			continue
		}
		next, changed := mergeImported(cur, &in)
		if changed {
			if err := im.prepareImported(&next); err != nil {
				reject(ImportRejection{File: src, Key: in.SIRET, Kind: "invalid",
					Reason: "merged with the stored structure: " + rejection(err)})
				continue
			}
			next.UpdatedAt = at
			b.Update = append(b.Update, next)
			counts.updated++
		} else {
			counts.unchanged++
		}
		if !sameImportedFields(cur.Imported, fields) {
			b.Imported[cur.Structure.ID] = fields
		}
	}
	return b, counts, nil
}

func stockRejection(file string, r sirene.Rejected) ImportRejection {
	return ImportRejection{File: file, Row: r.Row, Where: fmt.Sprintf("row %d (line %d, byte %d)", r.Row, r.Line, r.Offset),
		Kind: "malformed", Reason: r.Reason, Text: r.Text}
}

// cancellableReader makes a long scan stop soon after ctx is cancelled: the readers take no context.
type cancellableReader struct {
	ctx context.Context
	r   interface{ Read([]byte) (int, error) }
}

func (c cancellableReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func cancellable(ctx context.Context, f *sirene.StockFile) cancellableReader {
	return cancellableReader{ctx: ctx, r: f}
}

package service

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/opendata/decp"
)

// Award is an awarded public contract as the DECP publish it, keyed by buyer SIRET and the buyer's own id.
type Award struct {
	Key                  string
	ID                   string
	BuyerSIRET           string
	BuyerName            string
	CPV                  string // 8-digit root
	AmountEUR            *int64 // whole euros excluding VAT
	NotifiedOn           *time.Time
	PublishedOn          *time.Time
	DurationMonths       *int
	Procedure            string
	Nature               string
	PriceForm            string
	SocialConsiderations []string
	Reserved             bool
	GroupementType       string // conjoint, solidaire, none, or "" when unknown
	Subcontracting       *bool
	Holders              []AwardHolder
	Source               string
}

// AwardedOn is the date an award counts at: its notification, else its publication.
func (a *Award) AwardedOn() *time.Time {
	if a.NotifiedOn != nil {
		return a.NotifiedOn
	}
	return a.PublishedOn
}

// AwardHolder is one holder (titulaire) of an award, with the SIREN of its legal unit when the identifier
// gives one.
type AwardHolder struct {
	ID     string
	IDType string
	Name   string
	SIREN  string
}

// AwardWrites counts what UpsertAwards did.
type AwardWrites struct {
	Created   int
	Updated   int
	Unchanged int
}

// DECPInput is one DECP file to import.
type DECPInput struct {
	Name   string
	Reader io.Reader
}

// DECPImportResult counts what ImportDECP did.
type DECPImportResult struct {
	Files             int
	Records           int
	Awards            int
	Malformed         int
	Duplicates        int
	Conflicts         int
	AwardWrites       AwardWrites
	StructuresChanged int
}

// awardBatch is how many awards one transaction carries.
const awardBatch = 500

// ImportDECP reads DECP files in any published format, stores their awards by key (a second import of the same
// files changes nothing), then recomputes every structure's award count and last award date. Malformed records
// are skipped and reported; a file that cannot be read to its end (truncated JSON) keeps the records before the
// damage, the import goes on with the other files, and the error is returned at the end.
func (im *Importer) ImportDECP(ctx context.Context, inputs []DECPInput, reject func(ImportRejection)) (DECPImportResult, error) {
	var res DECPImportResult
	if reject == nil {
		reject = func(ImportRejection) {}
	}
	var fileErrs []error
	for _, in := range inputs {
		if err := im.importDECPFile(ctx, in, reject, &res); err != nil {
			if ctx.Err() != nil {
				return res, err
			}
			fileErrs = append(fileErrs, fmt.Errorf("%s: %w", in.Name, err))
			reject(ImportRejection{File: in.Name, Kind: "malformed", Reason: err.Error()})
		}
	}
	changed, err := im.store.RecomputeAwardCounts(ctx)
	res.StructuresChanged = changed
	if err != nil {
		return res, err
	}
	return res, errors.Join(fileErrs...)
}

func (im *Importer) importDECPFile(ctx context.Context, in DECPInput, reject func(ImportRejection), res *DECPImportResult) error {
	res.Files++
	batch := make([]Award, 0, awardBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		w, err := im.store.UpsertAwards(ctx, batch)
		res.AwardWrites.Created += w.Created
		res.AwardWrites.Updated += w.Updated
		res.AwardWrites.Unchanged += w.Unchanged
		batch = batch[:0]
		return err
	}
	stats, readErr := decp.Read(in.Reader, func(a decp.Award) error {
		batch = append(batch, awardFrom(&a))
		if len(batch) == awardBatch {
			return flush()
		}
		return nil
	}, func(r decp.Rejected) {
		reject(ImportRejection{File: in.Name, Row: int64(r.Index), Where: r.Location, Key: r.Key, Kind: string(r.Kind), Reason: r.Reason})
	})
	res.Records += stats.Records
	res.Awards += stats.Awards
	res.Malformed += stats.Malformed
	res.Duplicates += stats.Duplicates
	res.Conflicts += stats.Conflicts
	if err := flush(); err != nil {
		return err
	}
	return readErr
}

// awardFrom converts a record of the reader; amounts are rounded to whole euros.
func awardFrom(a *decp.Award) Award {
	out := Award{
		Key: a.Key(), ID: a.ID, BuyerSIRET: a.BuyerSIRET, BuyerName: a.BuyerName, CPV: a.CPV,
		NotifiedOn: a.NotifiedOn, PublishedOn: a.PublishedOn, DurationMonths: a.DurationMonths,
		Procedure: a.Procedure, Nature: a.Nature, PriceForm: a.Form, SocialConsiderations: a.SocialConsiderations,
		Reserved: a.Reserved, GroupementType: a.GroupementType, Subcontracting: a.Subcontracting, Source: a.Source,
	}
	if a.AmountEUR != nil && *a.AmountEUR < math.MaxInt64/2 {
		v := int64(math.Round(*a.AmountEUR))
		out.AmountEUR = &v
	}
	for _, h := range a.Holders {
		out.Holders = append(out.Holders, AwardHolder{ID: h.ID, IDType: h.TypeIdentifiant, Name: h.Name, SIREN: HolderSIREN(h.ID)})
	}
	return out
}

// HolderSIREN returns the SIREN inside a holder identifier: the first nine digits of a SIRET, a SIREN itself, or
// the last nine digits of a French VAT number (FR + 2-character key + SIREN); "" for anything else (foreign
// identifiers). The Luhn check is not required: the DECP carry SIRETs with typos, and a wrong match needs the
// same typo in the directory.
func HolderSIREN(id string) string {
	id = strings.ToUpper(strings.TrimSpace(id))
	switch {
	case len(id) == 14 && digits(id):
		return id[:9]
	case len(id) == 9 && digits(id):
		return id
	case len(id) == 13 && strings.HasPrefix(id, "FR") && digits(id[4:]):
		return id[4:]
	}
	return ""
}

func digits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

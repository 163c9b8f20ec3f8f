package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// ImportStore persists what the open-data imports bring: structures read from SIRENE with the values each import
// wrote, awarded contracts read from the DECP, and the checkpoints of interrupted imports.
type ImportStore interface {
	// FindImportedStructures loads the structures (without offers or representatives) registered with these
	// SIRETs, keyed by SIRET, each with the field values the last import wrote into it.
	FindImportedStructures(ctx context.Context, sirets []string) (map[string]ImportedStructure, error)
	// ApplyImportBatch writes a batch in one transaction: new structures, updated ones (only when their stored
	// version still equals Structure.Version, else a precondition_failed error and nothing is written), the
	// imported field values, the checkpoint, and an outbox entry per created or updated structure.
	ApplyImportBatch(ctx context.Context, b ImportBatch) error
	// ImportCheckpoint returns how many rows a previous run of the import with this key committed (0 if none).
	ImportCheckpoint(ctx context.Context, key string) (int64, error)
	// DeleteImportCheckpoint forgets the checkpoint once the import has finished.
	DeleteImportCheckpoint(ctx context.Context, key string) error
	// UpsertAwards inserts new awards and replaces those whose content changed, by key; identical ones are left
	// alone.
	UpsertAwards(ctx context.Context, awards []Award) (AwardWrites, error)
	// RecomputeAwardCounts sets every structure's award count and last award date from the awards whose holder
	// is its legal unit (same SIREN), bumping the version and writing an outbox entry only where they changed;
	// it returns how many structures changed.
	RecomputeAwardCounts(ctx context.Context) (int, error)
}

// ImportedStructure is a structure as an import finds it: its stored state and the values the last import wrote
// into it (nil when no import ever wrote it).
type ImportedStructure struct {
	Structure domain.Structure
	Imported  ImportedFields
}

// ImportedFields are the values an import wrote into a structure, by field name (see importedFieldNames).
type ImportedFields map[string]string

// ImportBatch is one transaction of an import.
type ImportBatch struct {
	Source string
	Create []domain.Structure
	// Update holds changed structures with Version set to the stored version they were merged from.
	Update []domain.Structure
	// Imported holds, by structure id, the values this import brought, for created, updated and unchanged
	// structures alike (an unchanged structure may still have new imported values for fields it edited).
	Imported map[string]ImportedFields
	// CheckpointKey, when set, records RowsDone in the same transaction.
	CheckpointKey string
	RowsDone      int64
	At            time.Time
}

// ImportRejection is an input row or record an import skipped, with where it was and why.
type ImportRejection struct {
	File   string
	Row    int64 // 1-based data row (SIRENE, CSV) or 0-based record index (DECP JSON)
	Where  string
	Key    string // SIRET or award key when known
	Kind   string // malformed, invalid, duplicate, conflict
	Reason string
	Text   string
}

// SourceSIRENE marks the structures and fields written by the SIRENE import.
const SourceSIRENE = "sirene"

// importedFieldNames are the structure fields the SIRENE import owns until the structure edits them.
var importedFieldNames = []string{"name", "brand", "legal_category", "ess_basis", "naf_code", "headcount_band",
	"address", "postcode", "commune", "location"}

// importedFields reads the imported fields of a structure as text, the form they are compared and stored in.
func importedFields(s *domain.Structure) ImportedFields {
	loc := ""
	if s.Location != nil {
		loc = strconv.FormatFloat(s.Location.Lat, 'f', 6, 64) + "," + strconv.FormatFloat(s.Location.Lon, 'f', 6, 64)
	}
	return ImportedFields{
		"name": s.Name, "brand": s.Brand, "legal_category": s.LegalCategory, "ess_basis": string(s.ESSBasis),
		"naf_code": s.NAFCode, "headcount_band": s.HeadcountBand, "address": s.Address, "postcode": s.Postcode,
		"commune": s.Commune, "location": loc,
	}
}

// setImportedField copies one imported field from src to dst.
func setImportedField(dst, src *domain.Structure, name string) {
	switch name {
	case "name":
		dst.Name = src.Name
	case "brand":
		dst.Brand = src.Brand
	case "legal_category":
		dst.LegalCategory = src.LegalCategory
	case "ess_basis":
		dst.ESSBasis = src.ESSBasis
	case "naf_code":
		dst.NAFCode = src.NAFCode
	case "headcount_band":
		dst.HeadcountBand = src.HeadcountBand
	case "address":
		dst.Address = src.Address
	case "postcode":
		dst.Postcode = src.Postcode
	case "commune":
		dst.Commune = src.Commune
	case "location":
		if src.Location == nil {
			dst.Location = nil
		} else {
			loc := *src.Location
			dst.Location = &loc
		}
	}
}

// mergeImported applies an incoming import to a stored structure, field by field: a field follows the source
// while its current value is the one the source wrote last; a field the structure changed since (or a structure
// no import ever wrote, for fields that differ) keeps its own value. It returns the merged structure and whether
// it differs from the stored one.
func mergeImported(cur ImportedStructure, incoming *domain.Structure) (domain.Structure, bool) {
	next := cur.Structure
	now := importedFields(&cur.Structure)
	for _, name := range importedFieldNames {
		if cur.Imported != nil && now[name] == cur.Imported[name] {
			setImportedField(&next, incoming, name)
		}
	}
	changed := !sameImportedFields(importedFields(&next), now)
	return next, changed
}

func sameImportedFields(a, b ImportedFields) bool {
	for _, name := range importedFieldNames {
		if a[name] != b[name] {
			return false
		}
	}
	return true
}

// rejection turns a validation error into a one-line reason for an import report.
func rejection(err error) string {
	var fields []string
	var e *domain.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for _, f := range e.Fields {
			fields = append(fields, fmt.Sprintf("%s: %s", f.Location, f.Message))
		}
		return strings.Join(fields, "; ")
	}
	return err.Error()
}

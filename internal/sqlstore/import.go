package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var _ service.ImportStore = (*Store)(nil)

type structureImportRow struct {
	StructureID string    `gorm:"column:structure_id;primaryKey"`
	Source      string    `gorm:"column:source"`
	FieldsJSON  string    `gorm:"column:fields_json"`
	ImportedAt  time.Time `gorm:"column:imported_at"`
}

func (structureImportRow) TableName() string { return "structure_imports" }

type importCheckpointRow struct {
	Key       string    `gorm:"column:checkpoint_key;primaryKey"`
	RowsDone  int64     `gorm:"column:rows_done"`
	UpdatedAt time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (importCheckpointRow) TableName() string { return "import_checkpoints" }

// importedStructureColumns are the columns an import may change: the imported fields, what derives from them,
// and the version bookkeeping. Offers, contacts, representatives, status and verification are never touched.
var importedStructureColumns = []string{"siren", "name", "brand", "legal_category", "ess_family", "ess_basis",
	"naf_code", "headcount_band", "address", "postcode", "commune", "lat", "lon", "updated_at", "version"}

// FindImportedStructures loads the structures registered with these SIRETs (without offers, inclusion kinds
// or representatives), each with the field values the last import wrote into it.
func (s *Store) FindImportedStructures(ctx context.Context, sirets []string) (map[string]service.ImportedStructure, error) {
	out := make(map[string]service.ImportedStructure, len(sirets))
	if len(sirets) == 0 {
		return out, nil
	}
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		var rows []structureRow
		if err := tx.Where("siret IN ?", sirets).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 0 {
			return nil
		}
		ids := make([]string, len(rows))
		for i := range rows {
			ids[i] = rows[i].ID
		}
		var imports []structureImportRow
		if err := tx.Where("structure_id IN ?", ids).Find(&imports).Error; err != nil {
			return err
		}
		fields := make(map[string]service.ImportedFields, len(imports))
		for _, r := range imports {
			var f service.ImportedFields
			if err := json.Unmarshal([]byte(r.FieldsJSON), &f); err != nil {
				return fmt.Errorf("structure_imports %s: %w", r.StructureID, err)
			}
			fields[r.StructureID] = f
		}
		for i := range rows {
			out[rows[i].SIRET] = service.ImportedStructure{Structure: toDomainStructure(&rows[i]), Imported: fields[rows[i].ID]}
		}
		return nil
	})
	return out, err
}

// ApplyImportBatch writes a batch of an import in one transaction; see service.ImportStore.
func (s *Store) ApplyImportBatch(ctx context.Context, b service.ImportBatch) error {
	at := utc(b.At)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := insertStructures(tx, b.Create); err != nil {
			return err
		}
		changed := make([]string, 0, len(b.Create)+len(b.Update))
		for i := range b.Create {
			changed = append(changed, b.Create[i].ID)
		}
		for i := range b.Update {
			if err := updateImported(tx, &b.Update[i]); err != nil {
				return err
			}
			changed = append(changed, b.Update[i].ID)
		}
		if err := upsertImportedFields(tx, b.Source, b.Imported, at); err != nil {
			return err
		}
		if b.CheckpointKey != "" {
			cp := importCheckpointRow{Key: b.CheckpointKey, RowsDone: b.RowsDone, UpdatedAt: at}
			err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "checkpoint_key"}},
				DoUpdates: clause.AssignmentColumns([]string{"rows_done", "updated_at"})}).Create(&cp).Error
			if err != nil {
				return err
			}
		}
		return appendOutbox(tx, outboxUpsert, changed...)
	})
}

// updateImported writes the imported columns of a structure whose stored version is still st.Version.
func updateImported(tx *gorm.DB, st *domain.Structure) error {
	expected := st.Version
	next := *st
	next.Version = expected + 1
	row := structureRowFrom(&next).structure
	res := tx.Model(&row).Where("version = ?", expected).Select(importedStructureColumns).Updates(&row)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return staleOrMissing(tx, st.ID, expected)
	}
	return nil
}

func upsertImportedFields(tx *gorm.DB, source string, imported map[string]service.ImportedFields, at time.Time) error {
	if len(imported) == 0 {
		return nil
	}
	rows := make([]structureImportRow, 0, len(imported))
	for id, f := range imported {
		b, err := json.Marshal(f)
		if err != nil {
			return err
		}
		rows = append(rows, structureImportRow{StructureID: id, Source: source, FieldsJSON: string(b), ImportedAt: at})
	}
	return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "structure_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"source", "fields_json", "imported_at"})}).
		CreateInBatches(rows, 200).Error
}

// ImportCheckpoint returns the rows a previous run committed under key, 0 when there is none.
func (s *Store) ImportCheckpoint(ctx context.Context, key string) (int64, error) {
	var rows []importCheckpointRow
	if err := s.db.WithContext(ctx).Where("checkpoint_key = ?", key).Limit(1).Find(&rows).Error; err != nil {
		return 0, err
	}
	if len(rows) == 0 {
		return 0, nil
	}
	return rows[0].RowsDone, nil
}

// DeleteImportCheckpoint forgets a finished import's checkpoint.
func (s *Store) DeleteImportCheckpoint(ctx context.Context, key string) error {
	return s.db.WithContext(ctx).Where("checkpoint_key = ?", key).Delete(&importCheckpointRow{}).Error
}

package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
)

// Outbox operations: the indexer re-reads the structure on upsert and drops it from the index on delete.
const (
	outboxUpsert = domain.OutboxUpsert
	outboxDelete = domain.OutboxDelete
)

// OutboxEntityStructure is the only entity the outbox carries for now: offers travel with their structure.
const OutboxEntityStructure = "structure"

// outboxLockID is the PostgreSQL advisory lock writers take just before appending to the outbox.
// A BIGSERIAL value is drawn when the row is inserted, not when the transaction commits, so without the lock a
// transaction holding position 5 could commit after another holding 6 and an indexer that already read 6 would
// skip 5 for ever. Holding a transaction-level lock from the draw to the commit makes positions visible in
// increasing order. It serialises only the tail of write transactions; SQLite has a single writer anyway.
const outboxLockID int64 = 0x65_73_73_6f_72_6f_62 // "essorob"

// OutboxEntry is one change the search indexer must apply: re-read (upsert) or drop (delete) an entity.
type OutboxEntry = domain.OutboxEntry

// appendOutbox records that structures changed; call it last in the write transaction, after the lock it takes
// nothing else should run.
func appendOutbox(tx *gorm.DB, op string, structureIDs ...string) error {
	if err := writeTxRecords(tx); err != nil { // the audit entry commits with the change it describes
		return err
	}
	if len(structureIDs) == 0 {
		return nil
	}
	if Dialect(tx) == DialectPostgres {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(?)", outboxLockID).Error; err != nil {
			return err
		}
	}
	at := now()
	rows := make([]outboxRow, len(structureIDs))
	for i, id := range structureIDs {
		rows[i] = outboxRow{Entity: OutboxEntityStructure, EntityID: id, Op: op, CreatedAt: at}
	}
	return insertRows(tx, rows)
}

// OutboxAfter returns up to limit entries with a position greater than position, in position order.
func (s *Store) OutboxAfter(ctx context.Context, position int64, limit int) ([]OutboxEntry, error) {
	var rows []outboxRow
	err := s.db.WithContext(ctx).Where("position > ?", position).Order("position").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]OutboxEntry, len(rows))
	for i, r := range rows {
		out[i] = OutboxEntry{Position: r.Position, Entity: r.Entity, EntityID: r.EntityID, Op: r.Op, CreatedAt: utc(r.CreatedAt)}
	}
	return out, nil
}

// PruneOutbox deletes the entries up to and including position upTo (once every index has applied them) and
// returns how many it deleted. Positions are never reused, even after pruning.
func (s *Store) PruneOutbox(ctx context.Context, upTo int64) (int64, error) {
	res := s.db.WithContext(ctx).Where("position <= ?", upTo).Delete(&outboxRow{})
	return res.RowsAffected, res.Error
}

// MaxOutboxPosition returns the position of the latest entry, 0 when the outbox is empty. A rebuild records it
// before reading structures, then follows the outbox from there.
func (s *Store) MaxOutboxPosition(ctx context.Context) (int64, error) {
	var latest int64
	err := s.db.WithContext(ctx).Model(&outboxRow{}).Select("COALESCE(MAX(position), 0)").Scan(&latest).Error
	return latest, err
}

// StructureIDsAfter returns up to limit structure ids greater than afterID in id order, whatever their status:
// the pages of a full index rebuild.
func (s *Store) StructureIDsAfter(ctx context.Context, afterID string, limit int) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&structureRow{}).Where("id > ?", afterID).Order("id").Limit(limit).
		Pluck("id", &ids).Error
	return ids, err
}

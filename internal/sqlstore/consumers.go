package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

type outboxConsumerRow struct {
	Consumer  string `gorm:"primaryKey"`
	Position  int64
	UpdatedAt time.Time
}

func (outboxConsumerRow) TableName() string { return "outbox_consumers" }

type outboxWatermarkRow struct {
	ID         int `gorm:"primaryKey"`
	PrunedUpTo int64
}

func (outboxWatermarkRow) TableName() string { return "outbox_watermark" }

// SaveOutboxConsumer records the outbox position a search index instance has applied.
func (s *Store) SaveOutboxConsumer(ctx context.Context, consumer string, position int64) error {
	row := outboxConsumerRow{Consumer: consumer, Position: position, UpdatedAt: now()}
	return s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "consumer"}},
		DoUpdates: clause.AssignmentColumns([]string{"position", "updated_at"}),
	}).Create(&row).Error
}

// OutboxPrunedUpTo returns the highest outbox position pruned so far, 0 when nothing was.
func (s *Store) OutboxPrunedUpTo(ctx context.Context) (int64, error) {
	var w outboxWatermarkRow
	err := s.db.WithContext(ctx).Take(&w, 1).Error
	return w.PrunedUpTo, err
}

// PruneOutboxSafely deletes the outbox entries that every consumer seen since activeSince has applied, raises the
// watermark to that position and returns it. With no active consumer nothing is pruned.
func (s *Store) PruneOutboxSafely(ctx context.Context, activeSince time.Time) (int64, error) {
	var upTo int64
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var w outboxWatermarkRow
		if err := tx.Take(&w, 1).Error; err != nil {
			return err
		}
		upTo = w.PrunedUpTo
		var safe *int64
		if err := tx.Model(&outboxConsumerRow{}).Where("updated_at >= ?", activeSince.UTC()).
			Select("MIN(position)").Scan(&safe).Error; err != nil {
			return err
		}
		if safe == nil || *safe <= upTo {
			return nil
		}
		if err := tx.Where("position <= ?", *safe).Delete(&outboxRow{}).Error; err != nil {
			return err
		}
		upTo = *safe
		return tx.Model(&outboxWatermarkRow{}).Where("id = 1").Update("pruned_up_to", upTo).Error
	})
	return upTo, err
}

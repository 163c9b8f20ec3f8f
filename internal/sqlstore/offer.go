package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
)

// CreateOffer inserts an offer, bumps its structure's version and appends an outbox entry for the structure.
// Zero timestamps are set to now on o.
func (s *Store) CreateOffer(ctx context.Context, o *domain.Offer) error {
	at := now()
	if o.CreatedAt.IsZero() {
		o.CreatedAt = at
	}
	if o.UpdatedAt.IsZero() {
		o.UpdatedAt = o.CreatedAt
	}
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := bumpStructureVersion(tx, o.StructureID, at); err != nil {
			return err
		}
		if err := insertOffers(tx, []offerRows{offerRowFrom(o)}); err != nil {
			return err
		}
		return appendOutbox(tx, outboxUpsert, o.StructureID)
	})
}

// FindOfferByID loads one offer of a structure.
func (s *Store) FindOfferByID(ctx context.Context, structureID, offerID string) (*domain.Offer, error) {
	var offers []domain.Offer
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		var err error
		offers, err = loadOffers(tx, "id = ? AND structure_id = ?", offerID, structureID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(offers) == 0 {
		return nil, domain.NotFound("offer")
	}
	return &offers[0], nil
}

// updatableOfferColumns are the columns UpdateOffer replaces: all but id, structure_id and created_at.
var updatableOfferColumns = []string{
	"title", "description", "kind", "area_scope", "area_radius_km", "capacity_eur", "references_json", "updated_at",
}

// UpdateOffer replaces an offer with its CPV codes and zones, bumps its structure's version and appends an outbox
// entry. The store stamps updated_at with the time of the write (o.UpdatedAt holds it on success).
func (s *Store) UpdateOffer(ctx context.Context, o *domain.Offer) error {
	at := now()
	updated := *o
	updated.UpdatedAt = at
	rows := offerRowFrom(&updated)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&rows.offer).Where("structure_id = ?", o.StructureID).
			Select(updatableOfferColumns).Updates(&rows.offer)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("offer")
		}
		if err := tx.Where("offer_id = ?", o.ID).Delete(&offerCPVRow{}).Error; err != nil {
			return err
		}
		if err := tx.Where("offer_id = ?", o.ID).Delete(&offerZoneRow{}).Error; err != nil {
			return err
		}
		if err := insertOfferChildren(tx, rows.cpv, rows.zones); err != nil {
			return err
		}
		if err := bumpStructureVersion(tx, o.StructureID, at); err != nil {
			return err
		}
		return appendOutbox(tx, outboxUpsert, o.StructureID)
	})
	if err != nil {
		return err
	}
	o.UpdatedAt = at
	return nil
}

// DeleteOffer removes an offer (the schema cascades to its CPV codes and zones), bumps its structure's version
// and appends an outbox entry.
func (s *Store) DeleteOffer(ctx context.Context, structureID, offerID string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ? AND structure_id = ?", offerID, structureID).Delete(&offerRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("offer")
		}
		if err := bumpStructureVersion(tx, structureID, now()); err != nil {
			return err
		}
		return appendOutbox(tx, outboxUpsert, structureID)
	})
}

// bumpStructureVersion records that a structure changed through one of its offers, so that If-Match on the
// structure sees offer edits too.
func bumpStructureVersion(tx *gorm.DB, structureID string, at time.Time) error {
	res := tx.Model(&structureRow{}).Where("id = ?", structureID).
		Updates(map[string]any{"version": gorm.Expr("version + 1"), "updated_at": at})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("structure")
	}
	return nil
}

func insertOffers(tx *gorm.DB, offers []offerRows) error {
	if len(offers) == 0 {
		return nil
	}
	rows := make([]offerRow, len(offers))
	var cpv []offerCPVRow
	var zones []offerZoneRow
	for i := range offers {
		rows[i] = offers[i].offer
		cpv = append(cpv, offers[i].cpv...)
		zones = append(zones, offers[i].zones...)
	}
	if err := insertRows(tx, rows); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return domain.Conflict("duplicate_offer", "an offer with this id already exists")
		}
		return err
	}
	return insertOfferChildren(tx, cpv, zones)
}

func insertOfferChildren(tx *gorm.DB, cpv []offerCPVRow, zones []offerZoneRow) error {
	if err := insertRows(tx, cpv); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return domain.Conflict("duplicate_cpv_code", "an offer lists the same CPV code twice")
		}
		return err
	}
	if err := insertRows(tx, zones); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return domain.Conflict("duplicate_zone", "an offer lists the same zone twice")
		}
		return err
	}
	return nil
}

// loadOffers loads the offers matching a condition on the offers table with their CPV codes and zones, ordered
// by structure then offer id (UUIDv7, so creation order): three queries whatever the number of offers.
func loadOffers(tx *gorm.DB, where string, args ...any) ([]domain.Offer, error) {
	var rows []offerRow
	if err := tx.Where(where, args...).Order("structure_id, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	out := make([]domain.Offer, len(rows))
	index := make(map[string]int, len(rows))
	for i := range rows {
		out[i] = toDomainOffer(&rows[i])
		index[rows[i].ID] = i
	}
	ofOffers := tx.Model(&offerRow{}).Select("id").Where(where, args...)
	var cpv []offerCPVRow
	if err := tx.Where("offer_id IN (?)", ofOffers).Order("offer_id, position").Find(&cpv).Error; err != nil {
		return nil, fmt.Errorf("load offer CPV codes: %w", err)
	}
	for _, c := range cpv {
		if i, ok := index[c.OfferID]; ok {
			out[i].CPVCodes = append(out[i].CPVCodes, c.Code)
		}
	}
	var zones []offerZoneRow
	if err := tx.Where("offer_id IN (?)", ofOffers).Order("offer_id, position").Find(&zones).Error; err != nil {
		return nil, fmt.Errorf("load offer zones: %w", err)
	}
	for _, z := range zones {
		if i, ok := index[z.OfferID]; ok {
			out[i].Area.Zones = append(out[i].Area.Zones, z.Zone)
		}
	}
	return out, nil
}

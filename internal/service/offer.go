package service

import (
	"context"

	"github.com/google/uuid"

	"github.com/essor-ess/essor/internal/domain"
)

// CreateOffer validates and stores a new offer of a structure.
func (d *Directory) CreateOffer(ctx context.Context, structureID string, o domain.Offer) (*domain.Offer, error) {
	s, err := d.editableStructure(ctx, structureID)
	if err != nil {
		return nil, err
	}
	if len(s.Offers) >= domain.MaxStructureOffers {
		return nil, domain.Conflict("too_many_offers", "a structure can have at most 100 offers")
	}
	o.Normalize()
	if err := o.Validate(d.ref); err != nil {
		return nil, err
	}
	now := d.timestamp()
	o.ID, o.StructureID, o.CreatedAt, o.UpdatedAt = NewID(), s.ID, now, now
	var zero domain.Offer
	ctx = d.withAudit(ctx, "create", "offer", o.ID, changedFields(&zero, &o))
	if err := d.store.CreateOffer(ctx, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// FindOffer returns one offer of a structure the caller may see.
func (d *Directory) FindOffer(ctx context.Context, structureID, offerID string) (*domain.Offer, error) {
	if !validIDs(structureID, offerID) {
		return nil, domain.NotFound("offer")
	}
	if _, err := ActorFrom(ctx).sees(d.loadStructure(ctx, structureID)); err != nil {
		return nil, err
	}
	return d.store.FindOfferByID(ctx, structureID, offerID)
}

// UpdateOffer applies patch to an offer, validates the result and stores it.
func (d *Directory) UpdateOffer(ctx context.Context, structureID, offerID string, patch func(*domain.Offer)) (*domain.Offer, error) {
	if _, err := d.editableStructure(ctx, structureID); err != nil {
		return nil, err
	}
	cur, err := d.FindOffer(ctx, structureID, offerID)
	if err != nil {
		return nil, err
	}
	next := *cur
	patch(&next)
	next.ID, next.StructureID, next.CreatedAt = cur.ID, cur.StructureID, cur.CreatedAt
	next.Normalize()
	if err := next.Validate(d.ref); err != nil {
		return nil, err
	}
	next.UpdatedAt = d.timestamp()
	ctx = d.withAudit(ctx, "update", "offer", cur.ID, changedFields(cur, &next))
	if err := d.store.UpdateOffer(ctx, &next); err != nil {
		return nil, err
	}
	return &next, nil
}

// DeleteOffer removes an offer of a structure.
func (d *Directory) DeleteOffer(ctx context.Context, structureID, offerID string) error {
	if !validIDs(structureID, offerID) {
		return domain.NotFound("offer")
	}
	if _, err := d.editableStructure(ctx, structureID); err != nil {
		return err
	}
	return d.store.DeleteOffer(d.withAudit(ctx, "delete", "offer", offerID, nil), structureID, offerID)
}

func validIDs(ids ...string) bool {
	for _, id := range ids {
		if _, err := uuid.Parse(id); err != nil {
			return false
		}
	}
	return true
}

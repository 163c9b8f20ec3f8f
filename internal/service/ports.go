// Package service holds Essor's use cases: it validates, derives, authorises and orchestrates transactions through
// the interfaces it declares here, which internal/sqlstore and search implement.
package service

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
)

// StructureStore persists structures and their offers. Every write also appends an outbox entry for the
// structure in the same transaction, so the search index can follow the database.
// Not-found, duplicate-SIRET and stale-version cases come back as *domain.Error of the matching kind.
type StructureStore interface {
	// CreateStructure inserts a structure with its representatives and offers (IDs already set).
	CreateStructure(ctx context.Context, s *domain.Structure) error
	// CreateStructures inserts many structures in batches (demo seeding, imports); it returns how many were written.
	CreateStructures(ctx context.Context, ss []domain.Structure) (int, error)
	// FindStructureByID loads a structure with its representatives and offers.
	FindStructureByID(ctx context.Context, id string) (*domain.Structure, error)
	// FindStructureBySIRET loads a structure by SIRET with its representatives and offers.
	FindStructureBySIRET(ctx context.Context, siret string) (*domain.Structure, error)
	// FindStructuresByIDs loads structures (with offers, without representatives) in the order of ids, skipping missing ones.
	FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error)
	// UpdateStructure replaces the structure's own fields and representatives (not its offers) when its stored
	// version equals expectedVersion, and increments the version.
	UpdateStructure(ctx context.Context, s *domain.Structure, expectedVersion int) error
	// DeleteStructure removes a structure, its offers and representatives.
	DeleteStructure(ctx context.Context, id string) error
	// FindStructures lists structures (with offers, without representatives) ordered by id.
	FindStructures(ctx context.Context, f domain.StructureFilter, page domain.PageRequest) (domain.Page[domain.Structure], error)
	// CreateOffer inserts an offer and bumps its structure's version.
	CreateOffer(ctx context.Context, o *domain.Offer) error
	// FindOfferByID loads one offer of a structure.
	FindOfferByID(ctx context.Context, structureID, offerID string) (*domain.Offer, error)
	// UpdateOffer replaces an offer and bumps its structure's version.
	UpdateOffer(ctx context.Context, o *domain.Offer) error
	// DeleteOffer removes an offer and bumps its structure's version.
	DeleteOffer(ctx context.Context, structureID, offerID string) error
}

package service

import (
	"context"
	"fmt"

	"github.com/essor-ess/essor/internal/domain"
)

// CreateStructures validates and stores a batch of new structures in one go (demo seeding, bulk loads).
// The first invalid structure stops the batch before anything is written.
func (d *Directory) CreateStructures(ctx context.Context, batch []domain.Structure) (int, error) {
	now := d.timestamp()
	for i := range batch {
		s := &batch[i]
		if err := d.prepareStructure(s); err != nil {
			return 0, fmt.Errorf("structure %d (%s): %w", i, s.SIRET, err)
		}
		if s.ID == "" {
			s.ID = NewID()
		}
		if s.CreatedAt.IsZero() {
			s.CreatedAt, s.UpdatedAt = now, now
		}
		s.Version = 1
		for j := range s.Offers {
			o := &s.Offers[j]
			o.ID, o.StructureID = NewID(), s.ID
			o.CreatedAt, o.UpdatedAt = s.CreatedAt, s.UpdatedAt
		}
	}
	return d.store.CreateStructures(ctx, batch)
}

package service

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/essor-ess/essor/internal/domain"
)

// Directory is the use-case layer of the ESS directory: structures and their offers.
type Directory struct {
	store    StructureStore
	ref      domain.Reference
	now      func() time.Time
	contacts ContactReadLog
	searcher StructureSearcher
}

// NewDirectory returns the directory use cases over a store; clock may be nil (time.Now).
func NewDirectory(store StructureStore, ref domain.Reference, clock func() time.Time) *Directory {
	if clock == nil {
		clock = time.Now
	}
	return &Directory{store: store, ref: ref, now: clock}
}

// NewID returns a new time-ordered identifier (UUIDv7), so keyset pagination by id follows creation order.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// CreateStructure validates a new structure (with its offers), derives SIREN, ESS family and default location,
// assigns identifiers and stores it.
func (d *Directory) CreateStructure(ctx context.Context, s domain.Structure) (*domain.Structure, error) {
	actor := ActorFrom(ctx)
	if err := authorizeCreate(actor, &s); err != nil {
		return nil, err
	}
	if err := d.prepareStructure(&s); err != nil {
		return nil, err
	}
	now := d.timestamp()
	s.ID = NewID()
	s.CreatedAt, s.UpdatedAt, s.Version = now, now, 1
	s.PublicAwardsCount, s.LastAwardOn, s.VerifiedAt, s.VerifiedBy = 0, nil, nil, ""
	for i := range s.Offers {
		s.Offers[i].ID = NewID()
		s.Offers[i].StructureID = s.ID
		s.Offers[i].CreatedAt, s.Offers[i].UpdatedAt = now, now
	}
	records := &TxRecords{Audit: []AuditEntry{d.auditEntry(ctx, "create", "structure", s.ID, structureFieldNames(&s))}}
	if actor.Role == RoleStructure {
		records.Owner = &StructureMembership{UserID: actor.UserID, StructureID: s.ID, Role: MemberOwner, CreatedAt: now}
	}
	if err := d.store.CreateStructure(WithTxRecords(ctx, records), &s); err != nil {
		return nil, err
	}
	return &s, nil
}

// FindStructureByID returns a structure the caller may see, with its offers, and with its representatives when
// the caller may read them (the read is then logged).
func (d *Directory) FindStructureByID(ctx context.Context, id string) (*domain.Structure, error) {
	s, err := ActorFrom(ctx).sees(d.loadStructure(ctx, id))
	if err != nil {
		return nil, err
	}
	return d.revealContacts(ctx, s)
}

// FindStructureBySIRET returns the structure registered with a SIRET.
func (d *Directory) FindStructureBySIRET(ctx context.Context, siret string) (*domain.Structure, error) {
	if err := domain.ValidateSIRET(siret); err != nil {
		var p domain.Problems
		p.Add("siret", "%s", err.Error())
		return nil, p.Err()
	}
	s, err := ActorFrom(ctx).sees(d.store.FindStructureBySIRET(ctx, siret))
	if err != nil {
		return nil, err
	}
	return d.revealContacts(ctx, s)
}

// UpdateStructure applies patch to the current structure, validates the result and stores it when the stored
// version still equals ifVersion (when given). Read-only fields are restored after patch runs.
func (d *Directory) UpdateStructure(ctx context.Context, id string, ifVersion *int, patch func(*domain.Structure)) (*domain.Structure, error) {
	cur, err := d.editableStructure(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifVersion != nil && *ifVersion != cur.Version {
		return nil, domain.PreconditionFailed("the structure was changed since it was read; fetch it again")
	}
	next := *cur
	patch(&next)
	next.ID, next.CreatedAt, next.Version = cur.ID, cur.CreatedAt, cur.Version
	next.PublicAwardsCount, next.LastAwardOn = cur.PublicAwardsCount, cur.LastAwardOn
	next.VerifiedAt, next.VerifiedBy, next.Offers = cur.VerifiedAt, cur.VerifiedBy, cur.Offers
	if next.SIRET != cur.SIRET {
		next.SIREN = ""
	}
	if next.Commune != cur.Commune && sameLocation(next.Location, cur.Location) {
		next.Location = nil
	}
	if err := d.prepareStructure(&next); err != nil {
		return nil, err
	}
	if err := authorizeChange(ActorFrom(ctx), cur, &next); err != nil {
		return nil, err
	}
	next.UpdatedAt = d.timestamp()
	ctx = d.withAudit(ctx, "update", "structure", cur.ID, changedFields(cur, &next))
	if err := d.store.UpdateStructure(ctx, &next, cur.Version); err != nil {
		return nil, err
	}
	next.Version = cur.Version + 1
	return d.revealContacts(ctx, &next)
}

// DeleteStructure removes a structure with its offers and representatives.
func (d *Directory) DeleteStructure(ctx context.Context, id string) error {
	s, err := d.editableStructure(ctx, id)
	if err != nil {
		return err
	}
	if err := authorizeDelete(ActorFrom(ctx), s); err != nil {
		return err
	}
	return d.store.DeleteStructure(d.withAudit(ctx, "delete", "structure", id, nil), id)
}

// FindStructures lists the structures matching a filter, one page at a time.
func (d *Directory) FindStructures(ctx context.Context, f domain.StructureFilter, page domain.PageRequest) (domain.Page[domain.Structure], error) {
	if err := validateFilter(f, d.ref); err != nil {
		return domain.Page[domain.Structure]{}, err
	}
	return d.store.FindStructures(ctx, f, page)
}

func (d *Directory) prepareStructure(s *domain.Structure) error {
	s.Normalize()
	s.Derive(d.ref)
	if s.Status == "" {
		s.Status = domain.StatusPublished
	}
	for i := range s.Offers {
		s.Offers[i].Normalize()
	}
	return s.Validate(d.ref)
}

// timestamp is the clock truncated to microseconds, the precision both database engines keep.
func (d *Directory) timestamp() time.Time {
	return d.now().UTC().Truncate(time.Microsecond)
}

func sameLocation(a, b *domain.GeoPoint) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

package service

import (
	"context"
	"slices"

	"github.com/essor-ess/essor/internal/domain"
)

// WithContactLog sets where reads of representatives are logged. Without one, no caller ever sees
// representatives: an unlogged read of personal data is worse than none.
func (d *Directory) WithContactLog(log ContactReadLog) *Directory {
	d.contacts = log
	return d
}

// canSee reports whether the actor may know the structure exists. Published structures are public; drafts and
// suspended ones are seen by their members, network users (who vet them) and administrators.
func canSee(a Actor, s *domain.Structure) bool {
	return s.Status == domain.StatusPublished || a.IsAdmin() || a.Role == RoleNetwork || a.MemberOf(s.ID)
}

// canReadContacts reports whether the actor may read the structure's representatives: buyers and administrators
// (to contact the structure), and the structure's own members (to maintain them).
func canReadContacts(a Actor, s *domain.Structure) bool {
	return a.Role == RoleBuyer || a.IsAdmin() || a.MemberOf(s.ID)
}

// sees passes on a loaded structure the actor may see: not found otherwise, so that outsiders cannot tell a
// draft or a suspended structure from one that does not exist. Representatives are dropped.
func (a Actor) sees(s *domain.Structure, err error) (*domain.Structure, error) {
	if err != nil {
		return nil, err
	}
	if !canSee(a, s) {
		return nil, domain.NotFound("structure")
	}
	return s, nil
}

// revealContacts keeps the representatives of s only for an actor allowed to read them, and logs the read first:
// if the log cannot be written, the representatives are not shown. Hidden representatives are nil; visible ones
// a non-nil slice, possibly empty.
func (d *Directory) revealContacts(ctx context.Context, s *domain.Structure) (*domain.Structure, error) {
	a := ActorFrom(ctx)
	if d.contacts == nil || !canReadContacts(a, s) {
		s.Representatives = nil
		return s, nil
	}
	if len(s.Representatives) == 0 {
		s.Representatives = []domain.Representative{} // seen, and empty: unlike nil, which means hidden
		return s, nil
	}
	err := d.contacts.AppendContactRead(ctx, ContactRead{At: d.timestamp(), ReaderID: a.UserID, ReaderRole: a.Role,
		StructureID: s.ID, Fields: representativeFields(s.Representatives), RequestID: a.RequestID})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// editableStructure loads a structure the actor may change: 401 for anonymous callers, 404 for a structure they
// may not see, 403 for one they see but may not change (administrators change all, members their own).
func (d *Directory) editableStructure(ctx context.Context, id string) (*domain.Structure, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	s, err := ActorFrom(ctx).sees(d.loadStructure(ctx, id))
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && !a.MemberOf(s.ID) {
		return nil, domain.Forbidden("only the structure's members and administrators may change it")
	}
	return s, nil
}

// loadStructure returns the structure with an id, whoever asks.
func (d *Directory) loadStructure(ctx context.Context, id string) (*domain.Structure, error) {
	if !validIDs(id) {
		return nil, domain.NotFound("structure")
	}
	return d.store.FindStructureByID(ctx, id)
}

// authorizeCreate checks that the actor may register a new structure: administrators, and structure users, who
// become its owner and may publish it but not suspend it.
func authorizeCreate(a Actor, s *domain.Structure) error {
	switch {
	case a.Anonymous():
		return domain.Unauthenticated("sign in first: send Authorization: Bearer <token>")
	case a.IsAdmin():
		return nil
	case a.Role != RoleStructure:
		return domain.Forbidden("only structure users and administrators register structures")
	case s.Status == domain.StatusSuspended:
		return domain.Forbidden("only network users and administrators suspend structures")
	}
	return nil
}

// authorizeChange checks the fields a non-administrator changes: members may not change the SIRET (the identity
// that claims and verification vouch for) nor lift or impose a suspension.
func authorizeChange(a Actor, cur, next *domain.Structure) error {
	if a.IsAdmin() {
		return nil
	}
	if next.SIRET != cur.SIRET {
		return domain.Forbidden("only an administrator may change the SIRET of a structure")
	}
	if next.Status != cur.Status && (cur.Status == domain.StatusSuspended || next.Status == domain.StatusSuspended) {
		return domain.Forbidden("only network users and administrators suspend or reinstate structures")
	}
	return nil
}

// authorizeDelete checks that the actor may remove the structure: its owners and administrators.
func authorizeDelete(a Actor, s *domain.Structure) error {
	if a.IsAdmin() || a.Owns(s.ID) {
		return nil
	}
	return domain.Forbidden("only the structure's owners and administrators may delete it")
}

// VerificationAction is what a network user or an administrator does to a structure's standing.
type VerificationAction string

// Verification actions.
const (
	ActionVerify    VerificationAction = "verify"
	ActionUnverify  VerificationAction = "unverify"
	ActionSuspend   VerificationAction = "suspend"
	ActionReinstate VerificationAction = "reinstate"
)

// VerifyStructure verifies, unverifies, suspends or reinstates a structure: network users and administrators.
func (d *Directory) VerifyStructure(ctx context.Context, id string, action VerificationAction) (*domain.Structure, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	cur, err := ActorFrom(ctx).sees(d.loadStructure(ctx, id))
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && a.Role != RoleNetwork {
		return nil, domain.Forbidden("only network users and administrators verify or suspend structures")
	}
	next := *cur
	switch action {
	case ActionVerify:
		at := d.timestamp()
		next.VerifiedAt, next.VerifiedBy = &at, a.UserID
	case ActionUnverify:
		next.VerifiedAt, next.VerifiedBy = nil, ""
	case ActionSuspend:
		next.Status = domain.StatusSuspended
	case ActionReinstate:
		next.Status = domain.StatusPublished
	default:
		return nil, fieldError("action", "must be verify, unverify, suspend or reinstate")
	}
	ctx = d.withAudit(ctx, string(action), "structure", cur.ID, changedFields(cur, &next))
	if err := d.store.UpdateStructure(ctx, &next, cur.Version); err != nil {
		return nil, err
	}
	return d.revealContacts(ctx, &next)
}

// EraseRepresentative removes the representative at position n (from 0) of a structure, for a data subject's
// erasure request (RGPD art. 17): administrators and the structure's members. The row is deleted; the audit
// entry names the field, never the values, and the search index never held them.
func (d *Directory) EraseRepresentative(ctx context.Context, id string, n int) error {
	cur, err := d.editableStructure(ctx, id)
	if err != nil {
		return err
	}
	if n < 0 || n >= len(cur.Representatives) {
		return domain.NotFound("representative")
	}
	next := *cur
	next.Representatives = slices.Delete(slices.Clone(cur.Representatives), n, n+1)
	ctx = d.withAudit(ctx, "erase_representative", "structure", cur.ID, []string{"representatives"})
	return d.store.UpdateStructure(ctx, &next, cur.Version)
}

// FindOffers returns the offers of a structure the caller may see.
func (d *Directory) FindOffers(ctx context.Context, structureID string) ([]domain.Offer, error) {
	s, err := ActorFrom(ctx).sees(d.loadStructure(ctx, structureID))
	if err != nil {
		return nil, err
	}
	return s.Offers, nil
}

package service

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/partners"
)

// GroupementStore persists groupements, their members and the log of their composition changes. Each write runs in
// one transaction with the audit entries attached to ctx.
type GroupementStore interface {
	// CreateGroupement stores a groupement and marks its call filled. A structure already mandataire of a
	// groupement for the same lot fails with domain.MandataireConflict (R2142-23), under concurrency too.
	CreateGroupement(ctx context.Context, g *domain.Groupement) error
	// FindGroupementByID loads a groupement with its members and changes, oldest first.
	FindGroupementByID(ctx context.Context, id string) (*domain.Groupement, error)
	// SubmitGroupement marks a forming groupement submitted if its version is still expectedVersion.
	SubmitGroupement(ctx context.Context, id string, at time.Time, expectedVersion int) error
	// ChangeGroupement replaces the members and mandataire and logs the change, if the version is still
	// expectedVersion; R2142-23 is enforced as in CreateGroupement.
	ChangeGroupement(ctx context.Context, g *domain.Groupement, change domain.CompositionChange, expectedVersion int) error
	// CountGroupements counts the groupements formed for each lot of a tender, by form and status.
	CountGroupements(ctx context.Context, tenderID string) ([]GroupementCount, error)
}

// GroupementCount is what a buyer may know of the groupements formed for one of its lots.
type GroupementCount struct {
	LotNumber int
	Joint     int
	Several   int
	Submitted int
}

// GroupementView is a groupement with its members' names and its readiness for the lot.
type GroupementView struct {
	domain.Groupement
	MemberNames map[string]string
	Lot         domain.CallLot
	Readiness   partners.Report
}

// GroupementRequest asks to form a groupement from a call.
type GroupementRequest struct {
	CallID       string
	Form         domain.GroupementForm
	MandataireID string
	MemberIDs    []string
}

// CreateGroupement forms a groupement from a call with the caller's structure and structures it accepted: the
// caller's members and administrators. Exactly one mandataire among the members; one groupement led per lot and
// structure (R2142-23).
func (p *Partnerships) CreateGroupement(ctx context.Context, req GroupementRequest) (*GroupementView, error) {
	c, err := p.visibleCall(ctx, req.CallID)
	if err != nil {
		if domain.KindOf(err) == domain.KindNotFound {
			return nil, fieldError("call_id", "is not a partnership call you may see")
		}
		return nil, err
	}
	a, err := p.actsFor(ctx, c.StructureID)
	if err != nil {
		return nil, err
	}
	if c.Status == domain.CallClosed {
		return nil, domain.Conflict("call_closed", "the call was closed")
	}
	g := domain.Groupement{CallID: c.ID, LotKey: c.LotKey(), TenderID: c.TenderID, LotNumber: c.LotNumber,
		Form: req.Form, MandataireID: req.MandataireID, MemberIDs: distinctStrings(req.MemberIDs)}
	if len(g.MemberIDs) != len(req.MemberIDs) {
		return nil, fieldError("member_ids", "lists a structure twice")
	}
	if err := g.Validate(); err != nil {
		return nil, err
	}
	if err := p.checkMembers(ctx, c, g.MemberIDs, true); err != nil {
		return nil, err
	}
	now := p.now()
	g.ID, g.Status, g.CreatedBy, g.CreatedAt, g.UpdatedAt, g.Version = NewID(), domain.GroupementForming, a.UserID, now, now, 1
	ctx = p.withAudit(ctx, "create", "groupement", g.ID, nil)
	if err := p.Groupements.CreateGroupement(ctx, &g); err != nil {
		return nil, err
	}
	return p.view(ctx, c, &g)
}

// checkMembers requires every member to be the caller's structure or one it accepted, and the caller's structure
// to stay in the groupement it formed when requireCaller is set.
func (p *Partnerships) checkMembers(ctx context.Context, c *domain.PartnershipCall, ids []string, requireCaller bool) error {
	apps, err := p.Calls.FindApplications(ctx, c.ID)
	if err != nil {
		return err
	}
	allowed := []string{c.StructureID}
	for _, a := range apps {
		if a.Status == domain.ApplicationAccepted {
			allowed = append(allowed, a.StructureID)
		}
	}
	var probs domain.Problems
	for i, id := range ids {
		if !slices.Contains(allowed, id) {
			probs.Add("member_ids["+strconv.Itoa(i)+"]", "is neither the calling structure nor one whose application it accepted")
		}
	}
	if requireCaller && !slices.Contains(ids, c.StructureID) {
		probs.Add("member_ids", "must include the structure that posted the call")
	}
	return probs.Err()
}

// FindGroupement returns a groupement to the members of its structures and administrators, with its readiness.
func (p *Partnerships) FindGroupement(ctx context.Context, id string) (*GroupementView, error) {
	g, c, err := p.memberGroupement(ctx, id)
	if err != nil {
		return nil, err
	}
	return p.view(ctx, c, g)
}

// SubmitGroupement marks a groupement's bid submitted, which freezes its composition (R2142-26).
func (p *Partnerships) SubmitGroupement(ctx context.Context, id string) (*GroupementView, error) {
	g, c, err := p.memberGroupement(ctx, id)
	if err != nil {
		return nil, err
	}
	if g.Status == domain.GroupementSubmitted {
		return nil, domain.Conflict("groupement_submitted", "the groupement was already submitted")
	}
	now := p.now()
	ctx = p.withAudit(ctx, "submit", "groupement", g.ID, []string{"status"})
	if err := p.Groupements.SubmitGroupement(ctx, g.ID, now, g.Version); err != nil {
		return nil, err
	}
	g.Status, g.SubmittedAt, g.Version, g.UpdatedAt = domain.GroupementSubmitted, &now, g.Version+1, now
	return p.view(ctx, c, g)
}

// ChangeComposition adds or removes members or names another mandataire, logging the change with its reason.
// After submission the reason is required (R2142-26: restructuring or force majeure, with the buyer's consent).
func (p *Partnerships) ChangeComposition(ctx context.Context, id string, u domain.CompositionUpdate) (*GroupementView, error) {
	g, c, err := p.memberGroupement(ctx, id)
	if err != nil {
		return nil, err
	}
	next, change, err := g.Apply(u, ActorFrom(ctx).UserID, p.now())
	if err != nil {
		return nil, err
	}
	if err := p.checkMembers(ctx, c, change.Added, false); err != nil {
		return nil, err
	}
	ctx = p.withAudit(ctx, "change_composition", "groupement", g.ID, []string{"member_ids", "mandataire_id"})
	if err := p.Groupements.ChangeGroupement(ctx, &next, change, g.Version); err != nil {
		return nil, err
	}
	return p.view(ctx, c, &next)
}

// GroupementSummary tells the buyer of a tender how many groupements formed for each of its lots, and in which
// forms: never who, nor what they exchanged. The buyer organisation's members and administrators.
func (p *Partnerships) GroupementSummary(ctx context.Context, tenderID string) ([]GroupementCount, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !a.IsAdmin() && a.Role != RoleBuyer {
		return nil, domain.Forbidden("only the buyer of the tender sees the groupements formed for its lots")
	}
	counts, err := p.Groupements.CountGroupements(ctx, tenderID)
	if err != nil || len(counts) == 0 || a.IsAdmin() {
		return counts, err
	}
	lot, err := p.Lots.LotFacts(ctx, tenderID, counts[0].LotNumber)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(a.OrganisationIDs, lot.BuyerOrganisationID) {
		return nil, domain.NotFound("tender")
	}
	return counts, nil
}

// memberGroupement loads a groupement for a member of one of its structures, of the calling structure, or an
// administrator: not found for everyone else, buyers included.
func (p *Partnerships) memberGroupement(ctx context.Context, id string) (*domain.Groupement, *domain.PartnershipCall, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !validIDs(id) {
		return nil, nil, domain.NotFound("groupement")
	}
	g, err := p.Groupements.FindGroupementByID(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	c, err := p.Calls.FindCallByID(ctx, g.CallID)
	if err != nil {
		return nil, nil, err
	}
	member := a.MemberOf(c.StructureID) || slices.ContainsFunc(g.MemberIDs, a.MemberOf)
	if !member && !a.IsAdmin() {
		return nil, nil, domain.NotFound("groupement")
	}
	return g, c, nil
}

func (p *Partnerships) view(ctx context.Context, c *domain.PartnershipCall, g *domain.Groupement) (*GroupementView, error) {
	members, err := p.Structures.FindStructuresByIDs(ctx, g.MemberIDs)
	if err != nil {
		return nil, err
	}
	lot, err := p.lotOf(ctx, c)
	if err != nil {
		return nil, err
	}
	need, err := p.engineLot(c, lot)
	if err != nil {
		return nil, err
	}
	v := &GroupementView{Groupement: *g, MemberNames: map[string]string{}, Lot: lot, Readiness: partners.Assess(need, members)}
	for _, m := range members {
		v.MemberNames[m.ID] = m.Name
	}
	return v, nil
}

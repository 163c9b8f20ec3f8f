package service

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
)

// Apply records a structure's application to an open call: a member of the applying structure, never the caller
// itself. The caller's structure is notified.
func (p *Partnerships) Apply(ctx context.Context, callID string, app domain.Application) (*ApplicationView, error) {
	c, err := p.visibleCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	a, err := p.actsFor(ctx, app.StructureID)
	if err != nil {
		return nil, err
	}
	applicant, err := p.Structures.FindStructureByID(ctx, app.StructureID)
	if err != nil {
		return nil, err
	}
	if app.StructureID == c.StructureID {
		return nil, fieldError("structure_id", "is the structure that posted the call")
	}
	if c.Status != domain.CallOpen || c.Deadline.Before(p.now()) {
		return nil, domain.Conflict("call_not_open", "the call no longer takes applications")
	}
	if err := app.Validate(p.Ref); err != nil {
		return nil, err
	}
	now := p.now()
	app.ID, app.CallID, app.Status, app.CreatedBy, app.CreatedAt = NewID(), c.ID, domain.ApplicationPending, a.UserID, now
	app.DecidedAt = nil
	notices := []PartnershipNotice{{StructureID: c.StructureID, Kind: NoticeApplicationReceived, CallID: c.ID,
		ApplicationID: app.ID, CreatedAt: now}}
	ctx = p.withAudit(ctx, "apply", "partnership_application", app.ID, nil)
	if err := p.Calls.CreateApplication(ctx, &app, notices); err != nil {
		return nil, err
	}
	return &ApplicationView{Application: app, StructureName: applicant.Name}, nil
}

// DecideApplication accepts or declines a pending application: the caller's members and administrators. Both
// structures are notified; on acceptance the answer carries the applicant's contact (for the caller's members).
func (p *Partnerships) DecideApplication(ctx context.Context, id string, accept bool) (*ApplicationView, error) {
	if !validIDs(id) {
		return nil, domain.NotFound("application")
	}
	app, err := p.Calls.FindApplicationByID(ctx, id)
	if err != nil {
		return nil, err
	}
	c, err := p.visibleCall(ctx, app.CallID)
	if err != nil {
		return nil, domain.NotFound("application")
	}
	a := ActorFrom(ctx)
	if !a.MemberOf(c.StructureID) && !a.IsAdmin() {
		if a.MemberOf(app.StructureID) {
			return nil, domain.Forbidden("only the members of the structure that posted the call decide on applications")
		}
		return nil, domain.NotFound("application")
	}
	if app.Status != domain.ApplicationPending {
		return nil, domain.Conflict("application_decided", "the application was already "+string(app.Status))
	}
	now := p.now()
	app.Status, app.DecidedAt = domain.ApplicationDeclined, &now
	kind, action := NoticeApplicationDeclined, "decline"
	if accept {
		app.Status, kind, action = domain.ApplicationAccepted, NoticeApplicationAccepted, "accept"
	}
	notices := []PartnershipNotice{
		{StructureID: app.StructureID, Kind: kind, CallID: c.ID, ApplicationID: app.ID, CreatedAt: now},
		{StructureID: c.StructureID, Kind: kind, CallID: c.ID, ApplicationID: app.ID, CreatedAt: now},
	}
	ctx = p.withAudit(ctx, action, "partnership_application", app.ID, []string{"status"})
	if err := p.Calls.DecideApplication(ctx, app, notices); err != nil {
		return nil, err
	}
	return p.applicationView(ctx, app, a.MemberOf(c.StructureID))
}

// Notices lists the exchange's notices of the structures the caller is a member of, newest first.
func (p *Partnerships) Notices(ctx context.Context, limit int) ([]PartnershipNotice, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if a.Role != RoleStructure || len(a.StructureIDs) == 0 {
		return []PartnershipNotice{}, nil
	}
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	return p.Calls.FindNotices(ctx, a.StructureIDs, limit)
}

// applicationView dresses an application; withContact reveals the applicant's contact when it was accepted.
func (p *Partnerships) applicationView(ctx context.Context, app *domain.Application, withContact bool) (*ApplicationView, error) {
	s, err := p.Structures.FindStructureByID(ctx, app.StructureID)
	if err != nil {
		return nil, err
	}
	v := &ApplicationView{Application: *app, StructureName: s.Name}
	if withContact && app.Status == domain.ApplicationAccepted {
		if v.Contact, err = p.revealPartner(ctx, s); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// revealPartner returns a partner's contact and logs the read of its representatives first: without a log, or
// if it cannot be written, only the generic contact is shown.
func (p *Partnerships) revealPartner(ctx context.Context, s *domain.Structure) (*PartnerContact, error) {
	c := &PartnerContact{Contact: s.Contact, Representatives: []domain.Representative{}}
	if p.Contacts == nil || len(s.Representatives) == 0 {
		return c, nil
	}
	a := ActorFrom(ctx)
	err := p.Contacts.AppendContactRead(ctx, ContactRead{At: p.now(), ReaderID: a.UserID, ReaderRole: a.Role,
		StructureID: s.ID, Fields: representativeFields(s.Representatives), RequestID: a.RequestID})
	if err != nil {
		return nil, err
	}
	c.Representatives = s.Representatives
	return c, nil
}

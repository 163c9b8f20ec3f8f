package service

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/partners"
)

// LotFacts reads what a partnership call needs to know of a lot of a tender on Essor. An adapter over the tenders
// use cases implements it; NoTenderLots stands in where tenders are not wired.
type LotFacts interface {
	LotFacts(ctx context.Context, tenderID string, lotNumber int) (domain.CallLot, error)
}

// NoTenderLots answers every tender lot with an invalid-kind error: calls can then answer outside consultations
// only.
type NoTenderLots struct{}

// LotFacts always fails: tender lots are not available.
func (NoTenderLots) LotFacts(context.Context, string, int) (domain.CallLot, error) {
	return domain.CallLot{}, &domain.Error{Kind: domain.KindInvalid, Code: "tender_lots_unavailable",
		Detail: "tender lots not available yet: describe the consultation under external",
		Fields: []domain.FieldError{{Location: "tender_id", Message: "tender lots not available yet"}}}
}

// PartnershipNotice tells a structure's members about the exchange: an application received, accepted or
// declined, a groupement formed with them.
type PartnershipNotice struct {
	ID            int64
	StructureID   string
	Kind          string
	CallID        string
	ApplicationID string
	CreatedAt     time.Time
}

// Kinds of partnership notices.
const (
	NoticeApplicationReceived = "application_received"
	NoticeApplicationAccepted = "application_accepted"
	NoticeApplicationDeclined = "application_declined"
)

// CallIndex lists what a call needs, its own codes and communes with its lot's, for the browse filters.
type CallIndex struct {
	CPV      []string
	Communes []string
}

// PartnershipStore persists calls, applications and notices. Each write runs in one transaction with the audit
// entries attached to ctx and the notices given.
type PartnershipStore interface {
	CreateCall(ctx context.Context, c *domain.PartnershipCall, index CallIndex) error
	FindCallByID(ctx context.Context, id string) (*domain.PartnershipCall, error)
	// FindCalls lists calls matching f, newest first.
	FindCalls(ctx context.Context, f domain.PartnershipCallFilter, page domain.PageRequest) (domain.Page[domain.PartnershipCall], error)
	SetCallStatus(ctx context.Context, id string, status domain.CallStatus, at time.Time) error
	// CreateApplication fails with a conflict when the structure already applied to the call.
	CreateApplication(ctx context.Context, a *domain.Application, notices []PartnershipNotice) error
	FindApplicationByID(ctx context.Context, id string) (*domain.Application, error)
	FindApplications(ctx context.Context, callID string) ([]domain.Application, error)
	// DecideApplication records the decision of a pending application; a conflict when it was already decided.
	DecideApplication(ctx context.Context, a *domain.Application, notices []PartnershipNotice) error
	// FindNotices lists the notices of structures, newest first.
	FindNotices(ctx context.Context, structureIDs []string, limit int) ([]PartnershipNotice, error)
}

// CommunePlaces is the reference data the exchange needs: validation and where communes lie.
type CommunePlaces interface {
	domain.Reference
	CommunePlace(insee string) (domain.CommunePlace, bool)
}

// PartnershipDeps are what the exchange is built from; Clock may be nil (time.Now), Lots nil (NoTenderLots).
type PartnershipDeps struct {
	Calls       PartnershipStore
	Groupements GroupementStore
	Structures  StructureStore
	Lots        LotFacts
	Contacts    ContactReadLog
	Ref         CommunePlaces
	Clock       func() time.Time
}

// Partnerships is the co-contracting exchange: partnership calls, applications, suggested partners and groupements.
type Partnerships struct {
	PartnershipDeps
}

// NewPartnerships returns the exchange's use cases.
func NewPartnerships(deps PartnershipDeps) *Partnerships {
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	if deps.Lots == nil {
		deps.Lots = NoTenderLots{}
	}
	return &Partnerships{deps}
}

// PartnerContact is how to reach a partner: its generic contact and its representatives (personal data, shown
// only to the other side of an accepted application, and each read logged).
type PartnerContact struct {
	Contact         domain.Contact
	Representatives []domain.Representative
}

// ApplicationView is an application as its reader may see it: the applicant's contact only for the caller's
// members once accepted.
type ApplicationView struct {
	domain.Application
	StructureName string
	Contact       *PartnerContact
}

// CallView is a call as its reader may see it: the lot facts, the applications the reader may see (all for the
// caller's members and administrators, its own for an applicant), and the caller's contact for an applicant
// whose application was accepted.
type CallView struct {
	domain.PartnershipCall
	StructureName string
	Lot           domain.CallLot
	Applications  []ApplicationView
	Contact       *PartnerContact
	Mine          bool
}

// CreateCall posts a partnership call for a structure the caller is a member of.
func (p *Partnerships) CreateCall(ctx context.Context, c domain.PartnershipCall) (*CallView, error) {
	a, err := p.actsFor(ctx, c.StructureID)
	if err != nil {
		return nil, err
	}
	owner, err := p.Structures.FindStructureByID(ctx, c.StructureID)
	if err != nil {
		return nil, err
	}
	c.Normalize()
	if err := c.Validate(p.Ref, p.now()); err != nil {
		return nil, err
	}
	lot, err := p.lotOf(ctx, &c)
	if domain.KindOf(err) == domain.KindNotFound {
		return nil, fieldError("lot_number", "is not a lot of a tender you may see")
	}
	if err != nil {
		return nil, err
	}
	now := p.now()
	c.ID, c.Status, c.CreatedBy, c.CreatedAt, c.UpdatedAt = NewID(), domain.CallOpen, a.UserID, now, now
	index := CallIndex{CPV: codeRoots(append(slices.Clone(c.CPVCodes), lot.CPVCodes...)),
		Communes: distinctStrings(append(slices.Clone(c.Communes), lot.Communes...))}
	ctx = p.withAudit(ctx, "create", "partnership_call", c.ID, nil)
	if err := p.Calls.CreateCall(ctx, &c, index); err != nil {
		return nil, err
	}
	return &CallView{PartnershipCall: c, StructureName: owner.Name, Lot: lot, Applications: []ApplicationView{}, Mine: true}, nil
}

// FindCalls lists the calls matching f for structure members and administrators.
func (p *Partnerships) FindCalls(ctx context.Context, f domain.PartnershipCallFilter, page domain.PageRequest) (domain.Page[domain.PartnershipCall], error) {
	if err := p.mayBrowse(ctx); err != nil {
		return domain.Page[domain.PartnershipCall]{}, err
	}
	var probs domain.Problems
	for i, code := range f.CPV {
		if !p.Ref.CPVExists(code) {
			probs.Add("cpv["+strconv.Itoa(i)+"]", "%s is not a CPV 2008 code", code)
		}
	}
	if f.Commune != "" && !p.Ref.CommuneExists(f.Commune) {
		probs.Add("commune", "%s is not the INSEE code of a commune", f.Commune)
	}
	if err := probs.Err(); err != nil {
		return domain.Page[domain.PartnershipCall]{}, err
	}
	return p.Calls.FindCalls(ctx, f, page)
}

// FindCall returns a call with what the reader may see of it.
func (p *Partnerships) FindCall(ctx context.Context, id string) (*CallView, error) {
	c, err := p.visibleCall(ctx, id)
	if err != nil {
		return nil, err
	}
	a := ActorFrom(ctx)
	owner, err := p.Structures.FindStructureByID(ctx, c.StructureID)
	if err != nil {
		return nil, err
	}
	lot, err := p.lotOf(ctx, c)
	if err != nil {
		return nil, err
	}
	apps, err := p.Calls.FindApplications(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	v := &CallView{PartnershipCall: *c, StructureName: owner.Name, Lot: lot, Applications: []ApplicationView{},
		Mine: a.MemberOf(c.StructureID)}
	for i := range apps {
		app := &apps[i]
		switch {
		case v.Mine || a.IsAdmin():
			av, err := p.applicationView(ctx, app, v.Mine)
			if err != nil {
				return nil, err
			}
			v.Applications = append(v.Applications, *av)
		case a.MemberOf(app.StructureID):
			av, err := p.applicationView(ctx, app, false)
			if err != nil {
				return nil, err
			}
			v.Applications = append(v.Applications, *av)
			if app.Status == domain.ApplicationAccepted && v.Contact == nil {
				if v.Contact, err = p.revealPartner(ctx, owner); err != nil {
					return nil, err
				}
			}
		}
	}
	return v, nil
}

// CloseCall marks an open call closed (given up) or filled: the caller's members and administrators.
func (p *Partnerships) CloseCall(ctx context.Context, id string, status domain.CallStatus) (*CallView, error) {
	c, err := p.visibleCall(ctx, id)
	if err != nil {
		return nil, err
	}
	if _, err := p.actsFor(ctx, c.StructureID); err != nil {
		return nil, err
	}
	if status != domain.CallClosed && status != domain.CallFilled {
		return nil, fieldError("status", "must be closed or filled")
	}
	if c.Status != domain.CallOpen {
		return nil, domain.Conflict("call_not_open", "the call is already "+string(c.Status))
	}
	ctx = p.withAudit(ctx, string(status), "partnership_call", c.ID, []string{"status"})
	if err := p.Calls.SetCallStatus(ctx, c.ID, status, p.now()); err != nil {
		return nil, err
	}
	return p.FindCall(ctx, id)
}

// SuggestPartners proposes structures that would complete the caller's group (the caller and the structures it
// accepted) for the call's lot: the caller's members and administrators.
func (p *Partnerships) SuggestPartners(ctx context.Context, callID string, limit int) ([]partners.Suggestion, error) {
	c, err := p.visibleCall(ctx, callID)
	if err != nil {
		return nil, err
	}
	if _, err := p.actsFor(ctx, c.StructureID); err != nil {
		return nil, err
	}
	lot, err := p.lotOf(ctx, c)
	if err != nil {
		return nil, err
	}
	group, err := p.group(ctx, c)
	if err != nil {
		return nil, err
	}
	need, err := p.engineLot(c, lot)
	if err != nil {
		return nil, err
	}
	codes := need.CPVCodes
	if missing := partners.Assess(need, group); len(missing.CPV) > 0 {
		codes = nil
		for _, cov := range missing.CPV {
			if len(cov.CoveredBy) == 0 {
				codes = append(codes, cov.Key)
			}
		}
		if len(codes) == 0 {
			codes = need.CPVCodes
		}
	}
	candidates, err := p.candidates(ctx, codes)
	if err != nil {
		return nil, err
	}
	if limit <= 0 || limit > domain.MaxPageSize {
		limit = domain.DefaultPageSize
	}
	return partners.Suggest(need, group, candidates, limit), nil
}

// maxCandidates bounds the structures read to suggest partners: the engine ranks them all in a few milliseconds
// (BenchmarkSuggest: 1,000 candidates), and beyond that the lot is common enough that the best are among them.
const maxCandidates = 1000

func (p *Partnerships) candidates(ctx context.Context, codes []string) ([]domain.Structure, error) {
	var out []domain.Structure
	page := domain.PageRequest{Size: domain.MaxPageSize}
	for len(out) < maxCandidates {
		got, err := p.Structures.FindStructures(ctx, domain.StructureFilter{CPV: codes}, page)
		if err != nil {
			return nil, err
		}
		out = append(out, got.Items...)
		if got.NextCursor == "" {
			break
		}
		if page.Cursor, err = domain.DecodeCursor(got.NextCursor); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// group returns the caller's structure and the structures whose applications it accepted.
func (p *Partnerships) group(ctx context.Context, c *domain.PartnershipCall) ([]domain.Structure, error) {
	apps, err := p.Calls.FindApplications(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ids := []string{c.StructureID}
	for _, a := range apps {
		if a.Status == domain.ApplicationAccepted {
			ids = append(ids, a.StructureID)
		}
	}
	return p.Structures.FindStructuresByIDs(ctx, ids)
}

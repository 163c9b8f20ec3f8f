package service

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/partners"
)

// now is the clock in UTC at the microsecond both database engines keep.
func (p *Partnerships) now() time.Time { return p.Clock().UTC().Truncate(time.Microsecond) }

// mayBrowse admits structure members and administrators to the exchange; buyers and network users see only what
// the groupement summary tells them.
func (p *Partnerships) mayBrowse(ctx context.Context) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if a.IsAdmin() || (a.Role == RoleStructure && len(a.StructureIDs) > 0) {
		return nil
	}
	return domain.Forbidden("the co-contracting exchange is open to members of ESS structures")
}

// actsFor checks that the caller may act for a structure: its members and administrators.
func (p *Partnerships) actsFor(ctx context.Context, structureID string) (Actor, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return a, err
	}
	if !a.IsAdmin() && !a.MemberOf(structureID) {
		return a, domain.Forbidden("only the structure's members act for it in the co-contracting exchange")
	}
	if !validIDs(structureID) {
		return a, domain.NotFound("structure")
	}
	return a, nil
}

// visibleCall loads a call for someone admitted to the exchange: not found for everyone else.
func (p *Partnerships) visibleCall(ctx context.Context, id string) (*domain.PartnershipCall, error) {
	if err := p.mayBrowse(ctx); err != nil {
		if domain.KindOf(err) == domain.KindForbidden {
			return nil, domain.NotFound("partnership call")
		}
		return nil, err
	}
	if !validIDs(id) {
		return nil, domain.NotFound("partnership call")
	}
	return p.Calls.FindCallByID(ctx, id)
}

// lotOf returns the facts of the call's lot: read through LotFacts for a tender lot, taken from the call for an
// outside consultation.
func (p *Partnerships) lotOf(ctx context.Context, c *domain.PartnershipCall) (domain.CallLot, error) {
	if e := c.External; e != nil {
		return domain.CallLot{LotNumber: c.LotNumber, Title: e.Reference, BuyerName: e.Buyer, ValueEUR: e.LotValueEUR,
			MinTurnoverEUR: e.MinTurnoverEUR, CPVCodes: e.CPVCodes, Communes: e.Communes, Deadline: e.Deadline}, nil
	}
	return p.Lots.LotFacts(ctx, c.TenderID, c.LotNumber)
}

// engineLot turns a call and its lot into what the matching engine reads: the codes and communes of both, and the
// turnover ratio of R2142-7 in force on the lot's day.
func (p *Partnerships) engineLot(c *domain.PartnershipCall, lot domain.CallLot) (partners.Lot, error) {
	on := lot.On
	if on.IsZero() {
		on = p.now()
	}
	ratio, err := domain.LegalFigure(domain.RuleTurnoverCapRatio, on)
	if err != nil {
		return partners.Lot{}, err
	}
	out := partners.Lot{ValueEUR: lot.ValueEUR, MinTurnoverEUR: lot.MinTurnoverEUR, Reservation: lot.Reservation,
		TurnoverCapRatio: ratio.Value}
	if out.Reservation == "none" {
		out.Reservation = ""
	}
	out.CPVCodes = distinctCodes(append(slices.Clone(lot.CPVCodes), c.CPVCodes...))
	for _, insee := range distinctStrings(append(slices.Clone(lot.Communes), c.Communes...)) {
		if place, ok := p.Ref.CommunePlace(insee); ok {
			out.Communes = append(out.Communes, place)
		}
	}
	return out, nil
}

func (p *Partnerships) withAudit(ctx context.Context, action, entity, id string, fields []string) context.Context {
	a := ActorFrom(ctx)
	return WithTxRecords(ctx, &TxRecords{Audit: []AuditEntry{{At: p.now(), ActorID: a.UserID, ActorRole: a.Role,
		Action: action, Entity: entity, EntityID: id, Fields: fields, RequestID: a.RequestID}}})
}

// distinctCodes keeps the first spelling of each CPV code (by 8-digit root), dropping a code already below another
// one kept, so a need for 45000000 and 45210000 counts once.
func distinctCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		dup := false
		for _, kept := range out {
			if domain.CPVCovers(kept, c) {
				dup = true
				break
			}
		}
		if !dup {
			out = slices.DeleteFunc(out, func(kept string) bool { return domain.CPVCovers(c, kept) })
			out = append(out, c)
		}
	}
	return out
}

// codeRoots returns the distinct 8-digit roots of codes, skipping malformed ones.
func codeRoots(codes []string) []string {
	var out []string
	for _, c := range codes {
		if root, err := domain.ParseCPVCode(c); err == nil && !slices.Contains(out, root) {
			out = append(out, root)
		}
	}
	return out
}

func distinctStrings(in []string) []string {
	var out []string
	for _, s := range in {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// TenderLots reads the facts of a tender lot through the tender use cases, so a call sees a tender only when its
// reader may (drafts stay with their buyer organisation).
type TenderLots struct {
	Tenders *Tenders
}

// LotFacts returns the lot's codes and communes (the tender's when the lot names none), its value per year
// (R2142-7 and R2142-8 measure the turnover against it), its required turnover, reservation and buyer.
func (l TenderLots) LotFacts(ctx context.Context, tenderID string, lotNumber int) (domain.CallLot, error) {
	t, err := l.Tenders.FindTenderByID(ctx, tenderID)
	if err != nil {
		return domain.CallLot{}, err
	}
	lot, ok := t.Lot(lotNumber)
	if !ok {
		return domain.CallLot{}, domain.NotFound("lot")
	}
	reservation := string(lot.Reservation)
	if lot.Reservation == domain.ReservationNone {
		reservation = ""
	}
	return domain.CallLot{TenderID: t.ID, LotNumber: lot.Number, Title: t.Title + " — lot " + strconv.Itoa(lot.Number) +
		" : " + lot.Title, BuyerOrganisationID: t.OrganisationID, ValueEUR: t.AnnualValueEUR(lot),
		MinTurnoverEUR: lot.MinTurnoverEUR, CPVCodes: t.LotCPVCodes(lot), Communes: t.LotCommunes(lot),
		Reservation: reservation, Deadline: t.Deadline(), On: t.LegalDate()}, nil
}

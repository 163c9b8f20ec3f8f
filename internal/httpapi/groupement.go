package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) CreateGroupement(ctx context.Context, req gen.CreateGroupementRequestObject) (gen.CreateGroupementResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	b := req.Body
	v, err := p.CreateGroupement(ctx, service.GroupementRequest{CallID: b.CallID, Form: domain.GroupementForm(b.Form),
		MandataireID: b.MandataireID, MemberIDs: b.MemberIds})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreateGroupement201JSONResponse{Body: toAPIGroupement(v),
		Headers: gen.CreateGroupement201ResponseHeaders{Location: ptr("/v1/groupements/" + v.ID)}}, nil
}

func (h *handlers) GetGroupement(ctx context.Context, req gen.GetGroupementRequestObject) (gen.GetGroupementResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.FindGroupement(ctx, req.GroupementID)
	if err != nil {
		return nil, err
	}
	return gen.GetGroupement200JSONResponse(toAPIGroupement(v)), nil
}

func (h *handlers) SubmitGroupement(ctx context.Context, req gen.SubmitGroupementRequestObject) (gen.SubmitGroupementResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.SubmitGroupement(ctx, req.GroupementID)
	if err != nil {
		return nil, err
	}
	return gen.SubmitGroupement200JSONResponse(toAPIGroupement(v)), nil
}

func (h *handlers) ChangeGroupementComposition(ctx context.Context, req gen.ChangeGroupementCompositionRequestObject) (gen.ChangeGroupementCompositionResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	b := req.Body
	v, err := p.ChangeComposition(ctx, req.GroupementID, domain.CompositionUpdate{Reason: b.Reason, Add: b.Add,
		Remove: b.Remove, MandataireID: b.MandataireID})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.ChangeGroupementComposition200JSONResponse(toAPIGroupement(v)), nil
}

func (h *handlers) SummarizeGroupements(ctx context.Context, req gen.SummarizeGroupementsRequestObject) (gen.SummarizeGroupementsResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	counts, err := p.GroupementSummary(ctx, req.Params.TenderID)
	if err != nil {
		return nil, err
	}
	out := gen.GroupementSummary{TenderID: req.Params.TenderID, Lots: make([]gen.GroupementLotCount, len(counts))}
	for i, c := range counts {
		out.Lots[i] = gen.GroupementLotCount{LotNumber: c.LotNumber, Count: c.Joint + c.Several, Joint: c.Joint,
			Several: c.Several, Submitted: c.Submitted}
	}
	return gen.SummarizeGroupements200JSONResponse(out), nil
}

func toAPIGroupement(v *service.GroupementView) gen.FormedGroupement {
	g := &v.Groupement
	out := gen.FormedGroupement{ID: g.ID, CallID: g.CallID, TenderID: nullableOf(nonEmpty(g.TenderID)), LotNumber: g.LotNumber,
		Form: gen.FormedGroupementForm(g.Form), MandataireID: g.MandataireID, Status: gen.FormedGroupementStatus(g.Status),
		SubmittedAt: nullableOf(g.SubmittedAt), CreatedAt: g.CreatedAt, Version: g.Version, Lot: toAPICallLot(&v.Lot),
		Readiness: toAPIReadiness(v), Members: make([]gen.GroupementMember, len(g.MemberIDs)),
		Changes: make([]gen.CompositionChange, len(g.Changes))}
	for i, id := range g.MemberIDs {
		out.Members[i] = gen.GroupementMember{StructureID: id, Name: v.MemberNames[id], Mandataire: id == g.MandataireID}
	}
	for i, c := range g.Changes {
		out.Changes[i] = gen.CompositionChange{At: c.At, ActorID: c.ActorID, Reason: c.Reason, Added: nonNil(c.Added),
			Removed: nonNil(c.Removed), MandataireBefore: c.MandataireBefore, MandataireAfter: c.MandataireAfter,
			AfterSubmission: c.AfterSubmission}
	}
	return out
}

func toAPIReadiness(v *service.GroupementView) gen.GroupementReadiness {
	r := &v.Readiness
	out := gen.GroupementReadiness{TurnoverSumEUR: r.TurnoverSumEUR, TurnoverUnknown: nonNil(r.TurnoverUnknown),
		TurnoverRequiredEUR: r.TurnoverRequiredEUR, TurnoverBasis: gen.GroupementReadinessTurnoverBasis(r.TurnoverBasis),
		TurnoverMet: r.TurnoverMet, Reservation: r.Reservation, ReservationEligible: r.ReservationEligible,
		Ineligible: nonNil(r.Ineligible), Missing: nonNil(r.Missing), Ready: r.Ready,
		CPV: make([]gen.GroupementCoverage, len(r.CPV)), Communes: make([]gen.GroupementCoverage, len(r.Communes))}
	for i, c := range r.CPV {
		out.CPV[i] = gen.GroupementCoverage{Key: c.Key, CoveredBy: nonNil(c.CoveredBy)}
	}
	for i, c := range r.Communes {
		out.Communes[i] = gen.GroupementCoverage{Key: c.Key, CoveredBy: nonNil(c.CoveredBy)}
	}
	return out
}

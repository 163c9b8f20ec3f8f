package httpapi

import (
	"context"
	"errors"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) SuggestAllotment(ctx context.Context, req gen.SuggestAllotmentRequestObject) (gen.SuggestAllotmentResponseObject, error) {
	if h.deps.Allotment == nil {
		return nil, domain.Internal(errors.New("httpapi: Deps.Allotment is not set"))
	}
	res, err := h.deps.Allotment.Suggest(ctx, toAllotmentNeed(*req.Body))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.SuggestAllotment200JSONResponse(toAPIAllotment(res)), nil
}

func toAllotmentNeed(in gen.AllotmentNeed) allotment.Need {
	n := allotment.Need{Title: in.Title, BuyerKind: allotment.BuyerKind(in.BuyerKind), DurationMonths: in.DurationMonths}
	if in.ReferenceDate != nil {
		n.ReferenceDate = in.ReferenceDate.Time
	}
	n.Lines = make([]allotment.Line, len(in.Lines))
	for i, l := range in.Lines {
		n.Lines[i] = allotment.Line{Label: l.Label, CPV: l.CPV, EstimatedValueEUR: l.EstimatedValueEUR,
			Communes: append([]string(nil), l.Communes...)}
	}
	return n
}

func toAPIAllotment(r allotment.Result) gen.AllotmentSuggestions {
	out := gen.AllotmentSuggestions{ReferenceDate: openapi_types.Date{Time: r.ReferenceDate},
		TotalValueEUR: r.TotalValueEUR, Nature: gen.ContractNature(r.Nature), EuThresholdEUR: r.EUThresholdEUR,
		Formalised: r.Formalised, TurnoverCapRatio: r.TurnoverCapRatio, SmallLotsShareMax: r.SmallLotsShareMax,
		Alternatives: make([]gen.AllotmentAlternative, len(r.Alternatives))}
	for i, a := range r.Alternatives {
		m := a.Metrics
		alt := gen.AllotmentAlternative{Strategy: a.Strategy, Rank: a.Rank, Explanations: nonNil(a.Explanations),
			Metrics: gen.AllotmentMetrics{Lots: m.Lots, LotsWithThreeEligible: m.LotsWithThreeEligible,
				ValueShareWithThreeEligible: m.ValueShareWithThreeEligible, LotsWithoutSupply: m.LotsWithoutSupply,
				DistinctStructures: m.DistinctStructures, DistinctFirstTime: m.DistinctFirstTime,
				SmallLots: m.SmallLots, SmallLotsShare: m.SmallLotsShare, LegalWarnings: nonNil(m.LegalWarnings),
				Score: m.Score},
			Lots: make([]gen.AllotmentLot, len(a.Lots))}
		for j, l := range a.Lots {
			alt.Lots[j] = toAPILot(l)
		}
		out.Alternatives[i] = alt
	}
	return out
}

func toAPILot(l allotment.Lot) gen.AllotmentLot {
	s := l.ESSSupply
	out := gen.AllotmentLot{Number: l.Number, LineIndexes: nonNil(l.LineIndexes), CPVCodes: nonNil(l.CPVCodes),
		Communes: nonNil(l.Communes), ValueEUR: l.ValueEUR, AnnualValueEUR: l.AnnualValueEUR,
		Nature: gen.ContractNature(l.Nature), Procedure: gen.AllotmentLotProcedure(l.Procedure), SmallLot: l.SmallLot,
		SocialSpecific: l.SocialSpecific, MaxMinTurnoverEUR: l.MaxMinTurnoverEUR,
		ESSSupply: gen.ESSSupply{Structures: s.Structures, FirstTime: s.FirstTime, EaEsat: s.EAESAT, Siae: s.SIAE,
			MedianTurnoverEUR: nullableOf(s.MedianTurnoverEUR), PassingMaxTurnover: s.PassingMaxTurnover,
			UnknownTurnover: s.UnknownTurnover, CapacityShort: s.CapacityShort},
		EconomicDependency: nullableOf(l.EconomicDependency),
		ReservationAdvice: gen.ReservationAdvice{Kind: gen.ReservationAdviceKind(l.ReservationAdvice.Kind),
			Articles: nonNil(l.ReservationAdvice.Articles), Reason: l.ReservationAdvice.Reason},
		GroupementPotential: make([]gen.Groupement, len(l.GroupementPotential)),
		Explanations:        nonNil(l.Explanations)}
	for k, g := range l.GroupementPotential {
		out.GroupementPotential[k] = gen.Groupement{StructureIds: g.StructureIDs, Mandataire: g.Mandataire,
			CombinedTurnoverEUR: g.CombinedTurnoverEUR, PassesMaxTurnover: g.PassesMaxTurnover, FirstTime: g.FirstTime}
	}
	return out
}

func (h *handlers) SuggestTenderAllotment(ctx context.Context, req gen.SuggestTenderAllotmentRequestObject) (gen.SuggestTenderAllotmentResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	if h.deps.Allotment == nil {
		return nil, domain.Internal(errors.New("httpapi: Deps.Allotment is not set"))
	}
	var o service.TenderAllotmentOptions
	if b := req.Body; b != nil {
		o = tenderAllotmentOptions((*string)(b.BuyerKind), b.ReferenceDate)
	}
	res, err := h.deps.Allotment.SuggestForTender(ctx, ts, req.TenderID, o)
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.SuggestTenderAllotment200JSONResponse(toAPIAllotment(res)), nil
}

func (h *handlers) ApplyTenderAllotment(ctx context.Context, req gen.ApplyTenderAllotmentRequestObject) (gen.ApplyTenderAllotmentResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	if h.deps.Allotment == nil {
		return nil, domain.Internal(errors.New("httpapi: Deps.Allotment is not set"))
	}
	b := req.Body
	o := tenderAllotmentOptions((*string)(b.BuyerKind), b.ReferenceDate)
	t, err := h.deps.Allotment.ApplyToTender(ctx, ts, req.TenderID, b.Strategy, o, versionOf(req.Params.IfMatch))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.ApplyTenderAllotment200JSONResponse{Body: toAPITender(t),
		Headers: gen.ApplyTenderAllotment200ResponseHeaders{ETag: ptr(tenderETag(t))}}, nil
}

func tenderAllotmentOptions(kind *string, on *openapi_types.Date) service.TenderAllotmentOptions {
	var o service.TenderAllotmentOptions
	if kind != nil {
		o.BuyerKind = allotment.BuyerKind(*kind)
	}
	if on != nil {
		o.ReferenceDate = on.Time
	}
	return o
}

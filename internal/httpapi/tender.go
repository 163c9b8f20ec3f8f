package httpapi

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) tenders() (*service.Tenders, error) {
	if h.deps.Tenders == nil {
		return nil, domain.Internal(errors.New("httpapi: Deps.Tenders is not set"))
	}
	return h.deps.Tenders, nil
}

func (h *handlers) ListTenders(ctx context.Context, req gen.ListTendersRequestObject) (gen.ListTendersResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	page, err := domain.NewPageRequest(deref(req.Params.PageSize), deref(req.Params.Cursor))
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	f := service.TenderFilter{Kind: domain.TenderKind(deref(req.Params.Kind)),
		Statuses: convertAll(deref(req.Params.Status), func(s gen.TenderStatus) domain.TenderStatus { return domain.TenderStatus(s) })}
	found, err := ts.ListTenders(ctx, f, page)
	if err != nil {
		return nil, err
	}
	out := gen.TenderList{Items: make([]gen.Tender, len(found.Items)), NextCursor: cursorOf(found.NextCursor), Total: found.Total}
	for i := range found.Items {
		out.Items[i] = toAPITender(&found.Items[i])
	}
	return gen.ListTenders200JSONResponse(out), nil
}

func (h *handlers) CreateTender(ctx context.Context, req gen.CreateTenderRequestObject) (gen.CreateTenderResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	b := req.Body
	t := domain.Tender{OrganisationID: deref(b.OrganisationID), Title: b.Title, Description: deref(b.Description),
		Kind: domain.TenderKind(b.Kind), ExternalReference: deref(b.ExternalReference), ExternalURL: deref(b.ExternalURL),
		CPVCodes: b.CPVCodes, EstimatedTotalEUR: b.EstimatedTotalEUR, DurationMonths: b.DurationMonths,
		Communes: deref(b.Communes), SourcingDeadline: timeOf(b.SourcingDeadline),
		PlannedPublication: timeOf(b.PlannedPublication), ResponseDeadline: timeOf(b.ResponseDeadline),
		Lots: lotsFrom(b.Lots)}
	created, err := ts.CreateTender(ctx, t)
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreateTender201JSONResponse{Body: toAPITender(created), Headers: gen.CreateTender201ResponseHeaders{
		ETag: ptr(tenderETag(created)), Location: ptr("/v1/tenders/" + created.ID)}}, nil
}

func (h *handlers) GetTender(ctx context.Context, req gen.GetTenderRequestObject) (gen.GetTenderResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	t, err := ts.FindTenderByID(ctx, req.TenderID)
	if err != nil {
		return nil, err
	}
	return gen.GetTender200JSONResponse{Body: toAPITender(t), Headers: gen.GetTender200ResponseHeaders{ETag: ptr(tenderETag(t))}}, nil
}

func (h *handlers) UpdateTender(ctx context.Context, req gen.UpdateTenderRequestObject) (gen.UpdateTenderResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	b := req.Body
	t, err := ts.UpdateTender(ctx, req.TenderID, versionOf(req.Params.IfMatch), func(t *domain.Tender) {
		set(&t.Title, b.Title)
		set(&t.Description, b.Description)
		if b.Kind != nil {
			t.Kind = domain.TenderKind(*b.Kind)
		}
		set(&t.ExternalReference, b.ExternalReference)
		set(&t.ExternalURL, b.ExternalURL)
		set(&t.CPVCodes, b.CPVCodes)
		if b.EstimatedTotalEUR != nil {
			t.EstimatedTotalEUR = b.EstimatedTotalEUR
		}
		if b.DurationMonths != nil {
			t.DurationMonths = b.DurationMonths
		}
		set(&t.Communes, b.Communes)
		for dst, src := range map[**time.Time]*openapi_types.Date{&t.SourcingDeadline: b.SourcingDeadline,
			&t.PlannedPublication: b.PlannedPublication, &t.ResponseDeadline: b.ResponseDeadline} {
			if src != nil {
				*dst = timeOf(src)
			}
		}
		if b.Lots != nil {
			t.Lots = lotsFrom(*b.Lots)
		}
	})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.UpdateTender200JSONResponse{Body: toAPITender(t), Headers: gen.UpdateTender200ResponseHeaders{ETag: ptr(tenderETag(t))}}, nil
}

func (h *handlers) DeleteTender(ctx context.Context, req gen.DeleteTenderRequestObject) (gen.DeleteTenderResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	if err := ts.DeleteTender(ctx, req.TenderID); err != nil {
		return nil, err
	}
	return gen.DeleteTender204Response{}, nil
}

func (h *handlers) transition(ctx context.Context, id string, to domain.TenderStatus, ifMatch *string) (gen.Tender, string, error) {
	ts, err := h.tenders()
	if err != nil {
		return gen.Tender{}, "", err
	}
	t, err := ts.Transition(ctx, id, to, versionOf(ifMatch))
	if err != nil {
		return gen.Tender{}, "", withLocationPrefix(err, "body")
	}
	return toAPITender(t), tenderETag(t), nil
}

func (h *handlers) PublishTender(ctx context.Context, req gen.PublishTenderRequestObject) (gen.PublishTenderResponseObject, error) {
	t, etag, err := h.transition(ctx, req.TenderID, domain.TenderPublished, req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	return gen.PublishTender200JSONResponse{Body: t, Headers: gen.PublishTender200ResponseHeaders{ETag: &etag}}, nil
}

func (h *handlers) CloseTender(ctx context.Context, req gen.CloseTenderRequestObject) (gen.CloseTenderResponseObject, error) {
	t, etag, err := h.transition(ctx, req.TenderID, domain.TenderClosed, req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	return gen.CloseTender200JSONResponse{Body: t, Headers: gen.CloseTender200ResponseHeaders{ETag: &etag}}, nil
}

func (h *handlers) AwardTender(ctx context.Context, req gen.AwardTenderRequestObject) (gen.AwardTenderResponseObject, error) {
	t, etag, err := h.transition(ctx, req.TenderID, domain.TenderAwarded, req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	return gen.AwardTender200JSONResponse{Body: t, Headers: gen.AwardTender200ResponseHeaders{ETag: &etag}}, nil
}

func (h *handlers) CancelTender(ctx context.Context, req gen.CancelTenderRequestObject) (gen.CancelTenderResponseObject, error) {
	t, etag, err := h.transition(ctx, req.TenderID, domain.TenderCancelled, req.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	return gen.CancelTender200JSONResponse{Body: t, Headers: gen.CancelTender200ResponseHeaders{ETag: &etag}}, nil
}

func (h *handlers) AnswerLot(ctx context.Context, req gen.AnswerLotRequestObject) (gen.AnswerLotResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	b := req.Body
	i, err := ts.Answer(ctx, req.TenderID, req.Number, service.Interest{StructureID: b.StructureID,
		Answer: service.InterestAnswer(b.Answer), Reason: string(deref(b.Reason)), Message: strings.TrimSpace(deref(b.Message))})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.AnswerLot201JSONResponse{TenderID: i.TenderID, LotNumber: i.LotNumber, StructureID: i.StructureID,
		Answer: string(i.Answer), Reason: i.Reason, Message: i.Message, AnsweredAt: i.AnsweredAt}, nil
}

func (h *handlers) GetTenderFunnel(ctx context.Context, req gen.GetTenderFunnelRequestObject) (gen.GetTenderFunnelResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	lots, err := ts.Funnel(ctx, req.TenderID)
	if err != nil {
		return nil, err
	}
	out := gen.TenderFunnel{Lots: make([]gen.LotFunnel, len(lots))}
	for i, f := range lots {
		l := gen.LotFunnel{LotNumber: f.LotNumber, Notified: f.Notified, Viewed: f.Viewed, Interested: f.Interested,
			NotInterested: f.NotInterested, DeclineReasons: f.DeclineReasons, InterestedStructures: []gen.InterestedStructure{}}
		for _, a := range f.Answers {
			l.InterestedStructures = append(l.InterestedStructures, gen.InterestedStructure{
				Structure: toAPIStructure(&a.Structure, a.Structure.Representatives != nil), Message: a.Message, AnsweredAt: a.AnsweredAt})
		}
		out.Lots[i] = l
	}
	return gen.GetTenderFunnel200JSONResponse(out), nil
}

func (h *handlers) GetTenderSupply(ctx context.Context, req gen.GetTenderSupplyRequestObject) (gen.GetTenderSupplyResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	lots, err := ts.Supply(ctx, req.TenderID)
	if err != nil {
		return nil, err
	}
	out := gen.TenderSupply{Lots: make([]gen.LotSupply, len(lots))}
	for i, s := range lots {
		out.Lots[i] = gen.LotSupply{LotNumber: s.LotNumber, Structures: s.Structures, FirstTime: s.FirstTime,
			DisabilityEmployers: s.DisabilityEmployers, Siae: s.SIAE}
	}
	return gen.GetTenderSupply200JSONResponse(out), nil
}

func tenderETag(t *domain.Tender) string { return `"` + strconv.Itoa(t.Version) + `"` }

func timeOf(d *openapi_types.Date) *time.Time {
	if d == nil {
		return nil
	}
	return &d.Time
}

func lotsFrom(in []gen.Lot) []domain.Lot {
	out := make([]domain.Lot, len(in))
	for i, l := range in {
		out[i] = domain.Lot{Number: l.Number, Title: l.Title, Description: deref(l.Description),
			CPVCodes: deref(l.CPVCodes), EstimatedValueEUR: l.EstimatedValueEUR, Communes: deref(l.Communes),
			Reservation: domain.Reservation(deref(l.Reservation)), SocialClause: deref(l.SocialClause),
			InsertionHours: l.InsertionHours, MinTurnoverEUR: l.MinTurnoverEUR, OpenToGroupement: deref(l.OpenToGroupement)}
	}
	return out
}

func toAPITender(t *domain.Tender) gen.Tender {
	out := gen.Tender{ID: t.ID, OrganisationID: t.OrganisationID, Title: t.Title, Description: t.Description,
		Kind: gen.TenderKind(t.Kind), Status: gen.TenderStatus(t.Status), ExternalReference: nonEmpty(t.ExternalReference),
		ExternalURL: nonEmpty(t.ExternalURL), CPVCodes: nonNil(t.CPVCodes), EstimatedTotalEUR: t.EstimatedTotalEUR,
		DurationMonths: t.DurationMonths, Communes: nonNil(t.Communes), SourcingDeadline: dateOf(t.SourcingDeadline),
		PlannedPublication: dateOf(t.PlannedPublication), ResponseDeadline: dateOf(t.ResponseDeadline),
		Lots: make([]gen.Lot, len(t.Lots)), PublishedAt: t.PublishedAt, CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt,
		Version: t.Version}
	for i, l := range t.Lots {
		out.Lots[i] = gen.Lot{Number: l.Number, Title: l.Title, Description: nonEmpty(l.Description),
			CPVCodes: ptr(nonNil(l.CPVCodes)), EstimatedValueEUR: l.EstimatedValueEUR, Communes: ptr(nonNil(l.Communes)),
			Reservation: ptr(gen.Reservation(l.Reservation)), SocialClause: ptr(l.SocialClause),
			InsertionHours: l.InsertionHours, MinTurnoverEUR: l.MinTurnoverEUR, OpenToGroupement: ptr(l.OpenToGroupement)}
	}
	return out
}

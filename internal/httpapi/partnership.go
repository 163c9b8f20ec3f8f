package httpapi

import (
	"context"

	"github.com/oapi-codegen/nullable"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/partners"
	"github.com/essor-ess/essor/internal/service"
)

// partnerships returns the exchange's use cases, or an error the problem handler shows as a 500 when the server
// was built without them.
func (h *handlers) partnerships() (*service.Partnerships, error) {
	if h.deps.Partnerships == nil {
		return nil, domain.Internal(errNotWired("partnerships"))
	}
	return h.deps.Partnerships, nil
}

type errNotWired string

func (e errNotWired) Error() string { return string(e) + " use cases are not wired" }

func (h *handlers) ListPartnershipCalls(ctx context.Context, req gen.ListPartnershipCallsRequestObject) (gen.ListPartnershipCallsResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	q := req.Params
	page, err := domain.NewPageRequest(deref(q.PageSize), deref(q.Cursor))
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	f := domain.PartnershipCallFilter{CPV: deref(q.CPV), Commune: deref(q.Commune), TenderID: deref(q.TenderID),
		Role: domain.RoleSought(deref(q.Role)), Status: domain.CallStatus(deref(q.Status)), StructureID: deref(q.StructureID),
		Text: deref(q.Q)}
	got, err := p.FindCalls(ctx, f, page)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	list := gen.PartnershipCallList{Items: make([]gen.PartnershipCall, len(got.Items)), Total: got.Total,
		NextCursor: cursorOf(got.NextCursor)}
	for i := range got.Items {
		list.Items[i] = toAPICall(&service.CallView{PartnershipCall: got.Items[i]}, false)
	}
	return gen.ListPartnershipCalls200JSONResponse(list), nil
}

func (h *handlers) CreatePartnershipCall(ctx context.Context, req gen.CreatePartnershipCallRequestObject) (gen.CreatePartnershipCallResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	b := req.Body
	c := domain.PartnershipCall{StructureID: b.StructureID, TenderID: b.TenderID, LotNumber: b.LotNumber,
		RoleSought: domain.RoleSought(b.RoleSought), CPVCodes: b.CPVCodes, Skills: b.Skills, Communes: b.Communes,
		CapacitySoughtEUR: valueOf(b.CapacitySoughtEUR), Deadline: b.Deadline, Message: b.Message}
	if e := b.External; e != nil {
		c.External = &domain.ExternalConsultation{Reference: e.Reference, Buyer: e.Buyer, URL: e.URL,
			Deadline: valueOf(e.Deadline), LotValueEUR: valueOf(e.LotValueEUR), CPVCodes: e.CPVCodes, Communes: e.Communes,
			MinTurnoverEUR: valueOf(e.MinTurnoverEUR)}
	}
	v, err := p.CreateCall(ctx, c)
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreatePartnershipCall201JSONResponse{Body: toAPICall(v, true),
		Headers: gen.CreatePartnershipCall201ResponseHeaders{Location: ptr("/v1/partnership-calls/" + v.ID)}}, nil
}

func (h *handlers) GetPartnershipCall(ctx context.Context, req gen.GetPartnershipCallRequestObject) (gen.GetPartnershipCallResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.FindCall(ctx, req.CallID)
	if err != nil {
		return nil, err
	}
	return gen.GetPartnershipCall200JSONResponse(toAPICall(v, true)), nil
}

func (h *handlers) ClosePartnershipCall(ctx context.Context, req gen.ClosePartnershipCallRequestObject) (gen.ClosePartnershipCallResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.CloseCall(ctx, req.CallID, domain.CallStatus(req.Body.Status))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.ClosePartnershipCall200JSONResponse(toAPICall(v, true)), nil
}

func (h *handlers) SuggestPartners(ctx context.Context, req gen.SuggestPartnersRequestObject) (gen.SuggestPartnersResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	got, err := p.SuggestPartners(ctx, req.CallID, deref(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	list := gen.PartnerSuggestionList{Items: make([]gen.PartnerSuggestion, len(got))}
	for i := range got {
		list.Items[i] = toAPISuggestion(&got[i])
	}
	return gen.SuggestPartners200JSONResponse(list), nil
}

func (h *handlers) ApplyToPartnershipCall(ctx context.Context, req gen.ApplyToPartnershipCallRequestObject) (gen.ApplyToPartnershipCallResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.Apply(ctx, req.CallID, domain.Application{StructureID: req.Body.StructureID, Message: req.Body.Message,
		CPVCodes: req.Body.CPVCodes})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.ApplyToPartnershipCall201JSONResponse(toAPIApplication(v)), nil
}

func (h *handlers) AcceptApplication(ctx context.Context, req gen.AcceptApplicationRequestObject) (gen.AcceptApplicationResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.DecideApplication(ctx, req.ApplicationID, true)
	if err != nil {
		return nil, err
	}
	return gen.AcceptApplication200JSONResponse(toAPIApplication(v)), nil
}

func (h *handlers) DeclineApplication(ctx context.Context, req gen.DeclineApplicationRequestObject) (gen.DeclineApplicationResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	v, err := p.DecideApplication(ctx, req.ApplicationID, false)
	if err != nil {
		return nil, err
	}
	return gen.DeclineApplication200JSONResponse(toAPIApplication(v)), nil
}

func (h *handlers) ListPartnershipNotices(ctx context.Context, req gen.ListPartnershipNoticesRequestObject) (gen.ListPartnershipNoticesResponseObject, error) {
	p, err := h.partnerships()
	if err != nil {
		return nil, err
	}
	got, err := p.Notices(ctx, deref(req.Params.Limit))
	if err != nil {
		return nil, err
	}
	list := gen.PartnershipNoticeList{Items: make([]gen.PartnershipNotice, len(got))}
	for i, n := range got {
		list.Items[i] = gen.PartnershipNotice{ID: n.ID, StructureID: n.StructureID, Kind: gen.PartnershipNoticeKind(n.Kind),
			CallID: n.CallID, ApplicationID: n.ApplicationID, CreatedAt: n.CreatedAt}
	}
	return gen.ListPartnershipNotices200JSONResponse(list), nil
}

// toAPICall converts a call; full adds the lot, the applications and the contact a list leaves out.
func toAPICall(v *service.CallView, full bool) gen.PartnershipCall {
	c := &v.PartnershipCall
	out := gen.PartnershipCall{ID: c.ID, StructureID: c.StructureID, StructureName: v.StructureName, LotNumber: c.LotNumber,
		RoleSought: gen.RoleSought(c.RoleSought), CPVCodes: nonNil(c.CPVCodes), Skills: nonNil(c.Skills),
		Communes: nonNil(c.Communes), CapacitySoughtEUR: nullableOf(c.CapacitySoughtEUR), Deadline: c.Deadline,
		Message: c.Message, Status: gen.PartnershipCallStatus(c.Status), CreatedAt: c.CreatedAt,
		Applications: []gen.PartnershipApplication{}, Lot: nullable.NewNullNullable[gen.CallLot](),
		Contact: nullable.NewNullNullable[gen.PartnerContact](), External: nullable.NewNullNullable[gen.ExternalConsultation](),
		TenderID: nullableOf(nonEmpty(c.TenderID))}
	if e := c.External; e != nil {
		out.External = nullable.NewNullableWithValue(gen.ExternalConsultation{Reference: e.Reference, Buyer: e.Buyer,
			URL: e.URL, Deadline: nullableOf(e.Deadline), LotValueEUR: nullableOf(e.LotValueEUR), CPVCodes: e.CPVCodes,
			Communes: e.Communes, MinTurnoverEUR: nullableOf(e.MinTurnoverEUR)})
	}
	if !full {
		return out
	}
	out.Lot = nullable.NewNullableWithValue(toAPICallLot(&v.Lot))
	for i := range v.Applications {
		out.Applications = append(out.Applications, toAPIApplication(&v.Applications[i]))
	}
	out.Contact = toAPIPartnerContact(v.Contact)
	return out
}

func toAPICallLot(l *domain.CallLot) gen.CallLot {
	return gen.CallLot{TenderID: l.TenderID, LotNumber: l.LotNumber, Title: l.Title, BuyerName: l.BuyerName,
		ValueEUR: nullableOf(l.ValueEUR), MinTurnoverEUR: nullableOf(l.MinTurnoverEUR), CPVCodes: nonNil(l.CPVCodes),
		Communes: nonNil(l.Communes), Reservation: l.Reservation, Deadline: nullableOf(l.Deadline)}
}

func toAPIApplication(v *service.ApplicationView) gen.PartnershipApplication {
	return gen.PartnershipApplication{ID: v.ID, CallID: v.CallID, StructureID: v.StructureID, StructureName: v.StructureName,
		Message: v.Message, CPVCodes: nonNil(v.CPVCodes), Status: gen.PartnershipApplicationStatus(v.Status),
		CreatedAt: v.CreatedAt, DecidedAt: nullableOf(v.DecidedAt), Contact: toAPIPartnerContact(v.Contact)}
}

func toAPIPartnerContact(c *service.PartnerContact) nullable.Nullable[gen.PartnerContact] {
	if c == nil {
		return nullable.NewNullNullable[gen.PartnerContact]()
	}
	out := gen.PartnerContact{Contact: gen.Contact{Email: c.Contact.Email, Phone: c.Contact.Phone},
		Representatives: make([]gen.Representative, len(c.Representatives))}
	for i, r := range c.Representatives {
		out.Representatives[i] = gen.Representative{Name: r.Name, Role: r.Role, Email: r.Email, Phone: r.Phone}
	}
	return nullable.NewNullableWithValue(out)
}

func toAPISuggestion(s *partners.Suggestion) gen.PartnerSuggestion {
	return gen.PartnerSuggestion{StructureID: s.StructureID, Name: s.Name, Score: s.Score, Brings: nonNil(s.Brings),
		Communes: nonNil(s.Communes), FirstTime: s.FirstTime, OpenToCotraitance: s.Open, Reasons: nonNil(s.Reasons),
		StillLacking: gen.PartnerLack{CPVCodes: nonNil(s.StillLacking.CPVCodes), Communes: nonNil(s.StillLacking.Communes),
			TurnoverGapEUR: s.StillLacking.TurnoverGapEUR}}
}

package httpapi

import (
	"context"
	"strconv"

	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) ListAuditLog(ctx context.Context, req gen.ListAuditLogRequestObject) (gen.ListAuditLogResponseObject, error) {
	q := req.Params
	f := service.LogFilter{ActorID: deref(q.ActorID), Entity: string(deref(q.Entity)), EntityID: deref(q.EntityID),
		Action: deref(q.Action), Since: q.Since, Until: q.Until, BeforeID: deref(q.Before), Limit: deref(q.Limit)}
	entries, err := h.deps.Accounts.FindAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	list := gen.AuditList{Items: make([]gen.AuditEntry, len(entries)), Total: len(entries), NextCursor: cursorOf("")}
	for i, e := range entries {
		list.Items[i] = gen.AuditEntry{ID: e.ID, At: e.At, ActorID: e.ActorID, ActorRole: string(e.ActorRole), Action: e.Action,
			Entity: e.Entity, EntityID: e.EntityID, Fields: nonNil(e.Fields), RequestID: nonEmpty(e.RequestID)}
	}
	if len(entries) > 0 && len(entries) == service.LogPageSize(f) {
		list.NextCursor = cursorOf(strconv.FormatInt(entries[len(entries)-1].ID, 10))
	}
	return gen.ListAuditLog200JSONResponse(list), nil
}

func (h *handlers) ListContactReads(ctx context.Context, req gen.ListContactReadsRequestObject) (gen.ListContactReadsResponseObject, error) {
	q := req.Params
	f := service.LogFilter{ActorID: deref(q.ReaderID), EntityID: deref(q.StructureID), Since: q.Since, Until: q.Until,
		BeforeID: deref(q.Before), Limit: deref(q.Limit)}
	reads, err := h.deps.Accounts.FindContactReads(ctx, f)
	if err != nil {
		return nil, err
	}
	list := gen.ContactReadList{Items: make([]gen.ContactRead, len(reads)), Total: len(reads), NextCursor: cursorOf("")}
	for i, r := range reads {
		list.Items[i] = gen.ContactRead{ID: r.ID, At: r.At, ReaderID: r.ReaderID, ReaderRole: string(r.ReaderRole),
			StructureID: r.StructureID, Fields: nonNil(r.Fields), RequestID: nonEmpty(r.RequestID)}
	}
	if len(reads) > 0 && len(reads) == service.LogPageSize(f) {
		list.NextCursor = cursorOf(strconv.FormatInt(reads[len(reads)-1].ID, 10))
	}
	return gen.ListContactReads200JSONResponse(list), nil
}

func (h *handlers) VerifyStructure(ctx context.Context, req gen.VerifyStructureRequestObject) (gen.VerifyStructureResponseObject, error) {
	s, err := h.deps.Directory.VerifyStructure(ctx, req.ID, service.VerificationAction(req.Body.Action))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.VerifyStructure200JSONResponse{Body: toAPIStructure(s, s.Representatives != nil), Headers: gen.VerifyStructure200ResponseHeaders{ETag: ptr(etagOf(s))}}, nil
}

func (h *handlers) EraseRepresentative(ctx context.Context, req gen.EraseRepresentativeRequestObject) (gen.EraseRepresentativeResponseObject, error) {
	if err := h.deps.Directory.EraseRepresentative(ctx, req.ID, req.N); err != nil {
		return nil, err
	}
	return gen.EraseRepresentative204Response{}, nil
}

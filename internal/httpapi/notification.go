package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) ListNotifications(ctx context.Context, req gen.ListNotificationsRequestObject) (gen.ListNotificationsResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	page, err := domain.NewPageRequest(deref(req.Params.PageSize), deref(req.Params.Cursor))
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	found, err := ts.ListNotifications(ctx, deref(req.Params.Unread), page)
	if err != nil {
		return nil, err
	}
	out := gen.NotificationList{Items: make([]gen.Notification, len(found.Items)), NextCursor: cursorOf(found.NextCursor), Total: found.Total}
	for i := range found.Items {
		out.Items[i] = toAPINotification(&found.Items[i])
	}
	return gen.ListNotifications200JSONResponse(out), nil
}

func (h *handlers) MarkNotificationRead(ctx context.Context, req gen.MarkNotificationReadRequestObject) (gen.MarkNotificationReadResponseObject, error) {
	ts, err := h.tenders()
	if err != nil {
		return nil, err
	}
	n, err := ts.MarkNotificationRead(ctx, req.NotificationID)
	if err != nil {
		return nil, err
	}
	return gen.MarkNotificationRead200JSONResponse(toAPINotification(n)), nil
}

func toAPINotification(n *service.Notification) gen.Notification {
	return gen.Notification{ID: n.ID, TenderID: n.TenderID, TenderTitle: n.TenderTitle, LotNumber: n.LotNumber,
		LotTitle: n.LotTitle, StructureID: n.StructureID, Batch: n.Batch, Deadline: dateOf(n.Deadline),
		CreatedAt: n.CreatedAt, EmailedAt: n.SentAt, ReadAt: n.ReadAt}
}

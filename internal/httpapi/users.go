package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) ListUsers(ctx context.Context, req gen.ListUsersRequestObject) (gen.ListUsersResponseObject, error) {
	page, err := domain.NewPageRequest(deref(req.Params.PageSize), deref(req.Params.Cursor))
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	f := service.UserFilter{Role: service.Role(deref(req.Params.Role)), Status: service.UserStatus(deref(req.Params.Status)),
		Email: deref(req.Params.Email), OrganisationID: deref(req.Params.OrganisationID)}
	found, err := h.deps.Accounts.ListUsers(ctx, f, page)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	out := gen.UserAccountList{Items: make([]gen.UserAccount, len(found.Items)), NextCursor: cursorOf(found.NextCursor), Total: found.Total}
	for i := range found.Items {
		out.Items[i] = toAPIUserAccount(&found.Items[i])
	}
	return gen.ListUsers200JSONResponse(out), nil
}

func (h *handlers) SetUserStatus(ctx context.Context, req gen.SetUserStatusRequestObject) (gen.SetUserStatusResponseObject, error) {
	u, err := h.deps.Accounts.SetUserStatus(ctx, req.UserID, service.UserStatus(req.Body.Status), deref(req.Body.Reason))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.SetUserStatus200JSONResponse(toAPIUserAccount(u)), nil
}

// toAPIUserAccount copies an account summary, which by construction holds no password hash nor token.
func toAPIUserAccount(u *service.UserSummary) gen.UserAccount {
	out := gen.UserAccount{ID: u.ID, Email: u.Email, Role: gen.Role(u.Role), Status: gen.UserStatus(u.Status),
		OrganisationIds: nonNil(u.OrganisationIDs), StructureIds: nonNil(u.StructureIDs), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
	var last *gen.UserStatusChange
	if c := u.LastChange; c != nil {
		last = &gen.UserStatusChange{Status: gen.UserStatusChangeStatus(c.Status), Reason: c.Reason, ActorID: c.ActorID, At: c.At}
	}
	out.LastStatusChange = nullableOf(last)
	return out
}

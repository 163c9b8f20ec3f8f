package httpapi

import (
	"context"
	"time"

	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) CreateToken(ctx context.Context, req gen.CreateTokenRequestObject) (gen.CreateTokenResponseObject, error) {
	t, err := h.deps.Accounts.Login(ctx, req.Body.Email, req.Body.Password, clientIPFrom(ctx))
	if err != nil {
		return nil, err
	}
	return gen.CreateToken201JSONResponse(toAPIIssuedToken(t)), nil
}

func (h *handlers) RevokeToken(ctx context.Context, _ gen.RevokeTokenRequestObject) (gen.RevokeTokenResponseObject, error) {
	if err := h.deps.Accounts.RevokeCurrentToken(ctx); err != nil {
		return nil, err
	}
	return gen.RevokeToken204Response{}, nil
}

func (h *handlers) ListAPIKeys(ctx context.Context, _ gen.ListAPIKeysRequestObject) (gen.ListAPIKeysResponseObject, error) {
	keys, err := h.deps.Accounts.ListAPIKeys(ctx)
	if err != nil {
		return nil, err
	}
	list := gen.APIKeyList{Items: make([]gen.APIKey, len(keys)), Total: len(keys), NextCursor: cursorOf("")}
	for i, k := range keys {
		list.Items[i] = gen.APIKey{ID: k.ID, Name: k.Name, CreatedAt: k.CreatedAt, ExpiresAt: k.ExpiresAt, RevokedAt: nullableOf(k.RevokedAt)}
	}
	return gen.ListAPIKeys200JSONResponse(list), nil
}

func (h *handlers) CreateAPIKey(ctx context.Context, req gen.CreateAPIKeyRequestObject) (gen.CreateAPIKeyResponseObject, error) {
	ttl := time.Duration(deref(req.Body.TTLHours)) * time.Hour
	t, err := h.deps.Accounts.CreateAPIKey(ctx, req.Body.Name, ttl)
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreateAPIKey201JSONResponse(toAPIIssuedToken(t)), nil
}

func (h *handlers) RevokeAPIKey(ctx context.Context, req gen.RevokeAPIKeyRequestObject) (gen.RevokeAPIKeyResponseObject, error) {
	if err := h.deps.Accounts.RevokeAPIKey(ctx, req.KeyID); err != nil {
		return nil, err
	}
	return gen.RevokeAPIKey204Response{}, nil
}

func (h *handlers) GetMe(ctx context.Context, _ gen.GetMeRequestObject) (gen.GetMeResponseObject, error) {
	u, actor, err := h.deps.Accounts.Me(ctx)
	if err != nil {
		return nil, err
	}
	return gen.GetMe200JSONResponse{ID: u.ID, Email: u.Email, Role: gen.Role(u.Role),
		OrganisationIds: nonNil(actor.OrganisationIDs), StructureIds: nonNil(actor.StructureIDs)}, nil
}

func (h *handlers) SignUp(ctx context.Context, req gen.SignUpRequestObject) (gen.SignUpResponseObject, error) {
	b := req.Body
	u, c, err := h.deps.Accounts.Register(ctx, service.SignUp{Email: b.Email, Password: b.Password, Role: service.Role(b.Role),
		SIRET: b.SIRET, OrganisationName: deref(b.OrganisationName), OrganisationKind: string(deref(b.OrganisationKind)),
		HasSPASER: deref(b.HasSpaser)})
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.SignUp201JSONResponse{UserID: u.ID, Status: string(u.Status), Claim: toAPIClaim(c)}, nil
}

func (h *handlers) ListClaims(ctx context.Context, req gen.ListClaimsRequestObject) (gen.ListClaimsResponseObject, error) {
	claims, err := h.deps.Accounts.ListClaims(ctx, service.ClaimStatus(deref(req.Params.Status)))
	if err != nil {
		return nil, err
	}
	list := gen.ClaimList{Items: make([]gen.Claim, len(claims)), Total: len(claims), NextCursor: cursorOf("")}
	for i := range claims {
		list.Items[i] = toAPIClaim(&claims[i])
	}
	return gen.ListClaims200JSONResponse(list), nil
}

func (h *handlers) DecideClaim(ctx context.Context, req gen.DecideClaimRequestObject) (gen.DecideClaimResponseObject, error) {
	c, err := h.deps.Accounts.DecideClaim(ctx, req.ClaimID, req.Body.Decision == gen.Approve)
	if err != nil {
		return nil, err
	}
	return gen.DecideClaim200JSONResponse(toAPIClaim(c)), nil
}

func toAPIIssuedToken(t *service.IssuedToken) gen.IssuedToken {
	out := gen.IssuedToken{Token: t.Token, ID: t.ID, Kind: gen.IssuedTokenKind(t.Kind), ExpiresAt: t.ExpiresAt}
	if t.Name != "" {
		out.Name = &t.Name
	}
	return out
}

func toAPIClaim(c *service.Claim) gen.Claim {
	out := gen.Claim{ID: c.ID, UserID: c.UserID, Kind: gen.ClaimKind(c.Kind), SIRET: c.SIRET, Status: gen.ClaimStatus(c.Status),
		CreatedAt: c.CreatedAt, DecidedAt: nullableOf(c.DecidedAt)}
	if c.OrganisationName != "" {
		out.OrganisationName = &c.OrganisationName
	}
	return out
}

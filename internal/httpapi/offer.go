package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
)

func (h *handlers) ListOffers(ctx context.Context, req gen.ListOffersRequestObject) (gen.ListOffersResponseObject, error) {
	offers, err := h.deps.Directory.FindOffers(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	list := gen.OfferList{Items: make([]gen.Offer, len(offers)), Total: len(offers), NextCursor: cursorOf("")}
	for i := range offers {
		list.Items[i] = toAPIOffer(&offers[i])
	}
	return gen.ListOffers200JSONResponse(list), nil
}

func (h *handlers) CreateOffer(ctx context.Context, req gen.CreateOfferRequestObject) (gen.CreateOfferResponseObject, error) {
	o, err := h.deps.Directory.CreateOffer(ctx, req.ID, offerFromCreate(req.Body))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreateOffer201JSONResponse{
		Body:    toAPIOffer(o),
		Headers: gen.CreateOffer201ResponseHeaders{Location: ptr("/v1/structures/" + o.StructureID + "/offers/" + o.ID)},
	}, nil
}

func (h *handlers) GetOffer(ctx context.Context, req gen.GetOfferRequestObject) (gen.GetOfferResponseObject, error) {
	o, err := h.deps.Directory.FindOffer(ctx, req.ID, req.OfferID)
	if err != nil {
		return nil, err
	}
	return gen.GetOffer200JSONResponse(toAPIOffer(o)), nil
}

func (h *handlers) UpdateOffer(ctx context.Context, req gen.UpdateOfferRequestObject) (gen.UpdateOfferResponseObject, error) {
	o, err := h.deps.Directory.UpdateOffer(ctx, req.ID, req.OfferID, offerPatch(req.Body))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.UpdateOffer200JSONResponse(toAPIOffer(o)), nil
}

func (h *handlers) DeleteOffer(ctx context.Context, req gen.DeleteOfferRequestObject) (gen.DeleteOfferResponseObject, error) {
	if err := h.deps.Directory.DeleteOffer(ctx, req.ID, req.OfferID); err != nil {
		return nil, err
	}
	return gen.DeleteOffer204Response{}, nil
}

func toAPIOffer(o *domain.Offer) gen.Offer {
	return gen.Offer{
		ID:          o.ID,
		StructureID: o.StructureID,
		Title:       o.Title,
		Description: o.Description,
		CPVCodes:    nonNil(o.CPVCodes),
		Kind:        gen.OfferKind(o.Kind),
		Area:        toAPIArea(o.Area),
		CapacityEUR: nullableOf(o.CapacityEUR),
		References:  nonNil(o.References),
		CreatedAt:   o.CreatedAt,
		UpdatedAt:   o.UpdatedAt,
	}
}

func toAPIArea(a domain.Area) gen.Area {
	out := gen.Area{Scope: gen.AreaScope(a.Scope)}
	if a.Scope == domain.ScopeRadius {
		out.RadiusKM = ptr(a.RadiusKM)
	}
	if a.Scope == domain.ScopeZones {
		out.Zones = ptr(nonNil(a.Zones))
	}
	return out
}

func areaOf(a gen.Area) domain.Area {
	return domain.Area{Scope: domain.AreaScope(a.Scope), RadiusKM: deref(a.RadiusKM), Zones: deref(a.Zones)}
}

func offerFromCreate(b *gen.OfferCreate) domain.Offer {
	return domain.Offer{
		Title:       b.Title,
		Description: deref(b.Description),
		CPVCodes:    b.CPVCodes,
		Kind:        domain.OfferKind(b.Kind),
		Area:        areaOf(b.Area),
		CapacityEUR: valueOf(b.CapacityEUR),
		References:  deref(b.References),
	}
}

// offerPatch returns the change a PATCH body asks for: absent members leave fields alone, null clears capacity_eur.
func offerPatch(b *gen.OfferPatch) func(*domain.Offer) {
	return func(o *domain.Offer) {
		set(&o.Title, b.Title)
		set(&o.Description, b.Description)
		set(&o.CPVCodes, b.CPVCodes)
		if b.Kind != nil {
			o.Kind = domain.OfferKind(*b.Kind)
		}
		if b.Area != nil {
			o.Area = areaOf(*b.Area)
		}
		if b.CapacityEUR.IsSpecified() {
			o.CapacityEUR = valueOf(b.CapacityEUR)
		}
		set(&o.References, b.References)
	}
}

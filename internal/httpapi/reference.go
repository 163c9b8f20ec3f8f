package httpapi

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/refdata"
)

// defaultSearchLimit is the number of autocomplete results when the client gives no limit.
const defaultSearchLimit = 20

func (h *handlers) SearchCPV(_ context.Context, req gen.SearchCPVRequestObject) (gen.SearchCPVResponseObject, error) {
	found := h.deps.Ref.SearchCPV(req.Params.Q, limitOf(req.Params.Limit))
	list := gen.CPVList{Items: make([]gen.CPV, len(found)), Total: len(found), NextCursor: cursorOf("")}
	for i, c := range found {
		list.Items[i] = toAPICPV(c)
	}
	return gen.SearchCPV200JSONResponse(list), nil
}

func (h *handlers) GetCPV(_ context.Context, req gen.GetCPVRequestObject) (gen.GetCPVResponseObject, error) {
	c, ok := h.deps.Ref.CPV(req.Code)
	if !ok {
		return nil, domain.NotFound("CPV code " + req.Code)
	}
	parents := h.deps.Ref.CPVParents(c.Code)
	out := gen.CPVDetail{
		Code:    c.Code,
		Label:   c.Label,
		Level:   gen.CPVDetailLevel(c.Level),
		Parent:  nullableOf(nonEmpty(c.Parent)),
		Nature:  gen.CPVDetailNature(c.Nature),
		Parents: make([]gen.CPV, len(parents)),
	}
	for i, p := range parents {
		out.Parents[i] = toAPICPV(p)
	}
	return gen.GetCPV200JSONResponse(out), nil
}

func (h *handlers) SearchCommunes(_ context.Context, req gen.SearchCommunesRequestObject) (gen.SearchCommunesResponseObject, error) {
	found := h.deps.Ref.SearchCommunes(req.Params.Q, limitOf(req.Params.Limit))
	list := gen.CommuneList{Items: make([]gen.Commune, len(found)), Total: len(found), NextCursor: cursorOf("")}
	for i, c := range found {
		list.Items[i] = toAPICommune(c)
	}
	return gen.SearchCommunes200JSONResponse(list), nil
}

func (h *handlers) GetCommune(_ context.Context, req gen.GetCommuneRequestObject) (gen.GetCommuneResponseObject, error) {
	c, ok := h.deps.Ref.Commune(req.INSEE)
	if !ok {
		return nil, domain.NotFound("commune " + req.INSEE)
	}
	return gen.GetCommune200JSONResponse(toAPICommune(c)), nil
}

func toAPICPV(c refdata.CPV) gen.CPV {
	return gen.CPV{
		Code:   c.Code,
		Label:  c.Label,
		Level:  gen.CPVLevel(c.Level),
		Parent: nullableOf(nonEmpty(c.Parent)),
		Nature: gen.CPVNature(c.Nature),
	}
}

func toAPICommune(c refdata.Commune) gen.Commune {
	out := gen.Commune{
		INSEE:      c.INSEE,
		Name:       c.Name,
		Department: c.Department,
		Region:     c.Region,
		EPCI:       c.EPCI,
		Postcodes:  append([]string{}, c.Postcodes...),
		Population: c.Population,
		Location:   nullableOf[gen.GeoPoint](nil),
	}
	// The source gives no centre for a few communes, as 0,0.
	if c.Lat != 0 || c.Lon != 0 {
		out.Location = nullableOf(&gen.GeoPoint{Lat: c.Lat, Lon: c.Lon})
	}
	return out
}

func limitOf(limit *int) int {
	if limit == nil {
		return defaultSearchLimit
	}
	return *limit
}

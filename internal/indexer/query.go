package indexer

import (
	"context"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/search"
)

// SearchStructures answers a directory search from the index; ErrNotReady while the index is being rebuilt.
func (x *Indexer) SearchStructures(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error) {
	ix := x.index()
	if ix == nil {
		return domain.SearchResult{}, ErrNotReady
	}
	res, err := ix.Search(ctx, toSearchQuery(q))
	if err != nil {
		return domain.SearchResult{}, err
	}
	return fromSearchResult(res), nil
}

func toSearchQuery(q domain.SearchQuery) search.Query {
	f := q.Filter
	return search.Query{
		Text:              q.Text,
		CPV:               f.CPV,
		Commune:           f.Commune,
		Near:              q.Near,
		RadiusKM:          q.RadiusKM,
		LegalFamilies:     f.LegalFamilies,
		InclusionKinds:    f.InclusionKinds,
		OfferKinds:        f.OfferKinds,
		FirstTime:         f.FirstTime,
		OpenToCotraitance: f.OpenToCotraitance,
		Verified:          f.Verified,
		HeadcountBands:    f.HeadcountBands,
		TurnoverMinEUR:    f.TurnoverMinEUR,
		TurnoverMaxEUR:    f.TurnoverMaxEUR,
		Statuses:          f.Statuses,
		Sort:              q.Sort,
		BoostFirstTime:    q.BoostFirstTime,
		Facets:            q.Facets,
		Size:              q.Page.Size,
		Cursor:            q.Page.Cursor,
	}
}

func fromSearchResult(r search.Result) domain.SearchResult {
	out := domain.SearchResult{Total: r.Total, NextCursor: r.Next.Encode(), Commune: r.Commune,
		Hits: make([]domain.SearchHit, len(r.Hits))}
	for i, h := range r.Hits {
		hit := domain.SearchHit{ID: h.ID, Score: h.Score, Snippets: h.Snippets, DistanceKM: h.DistanceKM}
		for _, why := range h.Reasons {
			hit.Reasons = append(hit.Reasons, domain.MatchReason{Kind: why.Kind, OfferID: why.OfferID, Field: why.Field,
				CPV: why.CPV, Label: why.Label, Area: why.Area, Words: why.Words})
		}
		out.Hits[i] = hit
	}
	if len(r.Facets) > 0 {
		out.Facets = make(map[string][]domain.FacetCount, len(r.Facets))
		for name, values := range r.Facets {
			counts := make([]domain.FacetCount, len(values))
			for i, v := range values {
				counts[i] = domain.FacetCount{Value: v.Value, Count: v.Count}
			}
			out.Facets[name] = counts
		}
	}
	return out
}

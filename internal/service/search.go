package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// StructureSearcher answers full-text, geographic and faceted searches of the directory (the search index).
type StructureSearcher interface {
	SearchStructures(ctx context.Context, q domain.SearchQuery) (domain.SearchResult, error)
}

// ErrSearchNotReady is what a StructureSearcher returns (wrapped or as is) while its index is being rebuilt.
var ErrSearchNotReady = errors.New("search index not ready")

// UseSearcher makes the directory answer searches through s. Without a searcher, only listings the database can
// answer (no text, no facets, no geography) work.
func (d *Directory) UseSearcher(s StructureSearcher) { d.searcher = s }

// FoundStructure is one search hit with its structure (offers included, representatives never).
type FoundStructure struct {
	Structure domain.Structure
	Hit       domain.SearchHit
}

// SearchPage is one page of a directory search.
type SearchPage struct {
	Items      []FoundStructure
	Total      int
	Facets     map[string][]domain.FacetCount
	NextCursor string
	// CommuneFromText is the INSEE code of a commune the search read from the text as the coverage filter.
	CommuneFromText string
	// FromIndex is false when the database answered (the index was not needed or not ready).
	FromIndex bool
}

// SearchStructures answers a directory search: from the index when there is one and it is ready, else from the
// database when the query does not need the index (a plain filtered listing), else unavailable.
func (d *Directory) SearchStructures(ctx context.Context, q domain.SearchQuery) (SearchPage, error) {
	if err := validateSearch(q, d.ref); err != nil {
		return SearchPage{}, err
	}
	if d.searcher != nil {
		res, err := d.searcher.SearchStructures(ctx, q)
		switch {
		case err == nil:
			return d.loadHits(ctx, res)
		case !isNotReady(err):
			return SearchPage{}, err
		}
	}
	if q.NeedsIndex() {
		return SearchPage{}, &domain.Error{Kind: domain.KindUnavailable, Code: "search_index_not_ready",
			Detail: "the search index is being built; full-text search will be back shortly (listings without q still work)"}
	}
	page, err := d.FindStructures(ctx, q.Filter, q.Page)
	if err != nil {
		return SearchPage{}, err
	}
	out := SearchPage{Total: page.Total, NextCursor: page.NextCursor, Items: make([]FoundStructure, len(page.Items))}
	for i, s := range page.Items {
		out.Items[i] = FoundStructure{Structure: s, Hit: domain.SearchHit{ID: s.ID}}
	}
	return out, nil
}

// loadHits loads the rows of the hits from the database (the index is a cache: rows are the truth). A hit whose
// row was deleted since the index saw it is dropped.
func (d *Directory) loadHits(ctx context.Context, res domain.SearchResult) (SearchPage, error) {
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	rows, err := d.store.FindStructuresByIDs(ctx, ids)
	if err != nil {
		return SearchPage{}, err
	}
	byID := make(map[string]domain.Structure, len(rows))
	for _, s := range rows {
		s.Representatives = nil
		byID[s.ID] = s
	}
	out := SearchPage{Total: res.Total, Facets: res.Facets, NextCursor: res.NextCursor, FromIndex: true,
		CommuneFromText: res.Commune}
	for _, h := range res.Hits {
		if s, ok := byID[h.ID]; ok {
			out.Items = append(out.Items, FoundStructure{Structure: s, Hit: h})
		}
	}
	return out, nil
}

func isNotReady(err error) bool {
	return errors.Is(err, ErrSearchNotReady) || domain.KindOf(err) == domain.KindUnavailable
}

func validateSearch(q domain.SearchQuery, ref domain.Reference) error {
	var p domain.Problems
	p.AddFrom("", validateFilter(q.Filter, ref))
	if utf8.RuneCountInString(q.Text) > domain.MaxSearchTextRunes {
		p.Add("q", "must be at most %d characters", domain.MaxSearchTextRunes)
	}
	if q.Near != nil && !q.Near.ValidLatLon() {
		p.Add("near", "must be lat,lon with latitude in [-90, 90] and longitude in [-180, 180]")
	}
	if q.RadiusKM != 0 && (q.RadiusKM < 0 || q.RadiusKM > domain.MaxSearchRadiusKM) {
		p.Add("radius_km", "must be between 0 and %d", domain.MaxSearchRadiusKM)
	}
	if q.RadiusKM > 0 && q.Near == nil {
		p.Add("radius_km", "needs near=lat,lon")
	}
	switch q.Sort {
	case "", domain.SortRelevance, domain.SortName, domain.SortUpdated:
	case domain.SortDistance:
		if q.Near == nil && q.Filter.Commune == "" {
			p.Add("sort", "distance needs near=lat,lon or a commune")
		}
	default:
		p.Add("sort", "must be one of relevance, distance, name, updated")
	}
	for i, f := range q.Facets {
		if !slices.Contains(domain.FacetNames, f) {
			p.Add(fmt.Sprintf("facets[%d]", i), "unknown facet %q", f)
		}
	}
	return p.Err()
}

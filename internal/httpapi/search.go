package httpapi

import (
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

// searchQueryFrom turns the listing parameters into a directory search.
func searchQueryFrom(q gen.ListStructuresParams, filter domain.StructureFilter, page domain.PageRequest) (domain.SearchQuery, error) {
	sq := domain.SearchQuery{
		Text:           strings.TrimSpace(deref(q.Q)),
		Filter:         filter,
		RadiusKM:       deref(q.RadiusKM),
		Sort:           string(deref(q.Sort)),
		BoostFirstTime: deref(q.BoostFirstTime),
		Facets:         convertAll(deref(q.Facets), func(f gen.ListStructuresParamsFacets) string { return string(f) }),
		Page:           page,
	}
	if q.Near != nil {
		point, ok := parseLatLon(*q.Near)
		if !ok {
			var p domain.Problems
			p.Add("near", "must be lat,lon in decimal degrees, e.g. 47.2184,-1.5536")
			return sq, p.Err()
		}
		sq.Near = &point
	}
	return sq, nil
}

func parseLatLon(s string) (domain.GeoPoint, bool) {
	latText, lonText, ok := strings.Cut(s, ",")
	if !ok {
		return domain.GeoPoint{}, false
	}
	lat, err1 := strconv.ParseFloat(strings.TrimSpace(latText), 64)
	lon, err2 := strconv.ParseFloat(strings.TrimSpace(lonText), 64)
	p := domain.GeoPoint{Lat: lat, Lon: lon}
	return p, err1 == nil && err2 == nil && p.ValidLatLon()
}

// toAPIStructureList converts a search page; hits from the index carry their match, database listings do not.
func toAPIStructureList(page service.SearchPage) gen.StructureList {
	list := gen.StructureList{Items: make([]gen.Structure, len(page.Items)), Total: page.Total, NextCursor: cursorOf(page.NextCursor),
		CommuneFromText: nonEmpty(page.CommuneFromText)}
	for i := range page.Items {
		item := &page.Items[i]
		list.Items[i] = toAPIStructure(&item.Structure, false)
		if page.FromIndex {
			list.Items[i].Match = toAPIMatch(item.Hit)
		}
	}
	if page.Facets != nil {
		facets := make(map[string][]gen.FacetValue, len(page.Facets))
		for name, values := range page.Facets {
			facets[name] = convertAll(values, func(v domain.FacetCount) gen.FacetValue { return gen.FacetValue{Value: v.Value, Count: v.Count} })
		}
		list.Facets = &facets
	}
	return list
}

func toAPIMatch(h domain.SearchHit) *gen.SearchMatch {
	m := &gen.SearchMatch{Score: h.Score, DistanceKM: h.DistanceKM, Snippets: h.Snippets, Reasons: []gen.MatchReason{}}
	if m.Snippets == nil {
		m.Snippets = map[string][]string{}
	}
	for _, r := range h.Reasons {
		m.Reasons = append(m.Reasons, gen.MatchReason{Kind: r.Kind, OfferID: nonEmpty(r.OfferID), Field: nonEmpty(r.Field),
			CPV: nonEmpty(r.CPV), Label: nonEmpty(r.Label), Area: nonEmpty(r.Area), Words: nonEmptySlice(r.Words)})
	}
	return m
}

func nonEmptySlice(s []string) *[]string {
	if len(s) == 0 {
		return nil
	}
	return &s
}

package domain

// Sort orders of a directory search.
const (
	SortRelevance = "relevance"
	SortDistance  = "distance"
	SortName      = "name"
	SortUpdated   = "updated"
)

// Facets a directory search can count over its whole result set.
const (
	FacetLegalFamily = "legal_family"
	FacetInclusion   = "inclusion"
	FacetCPVDivision = "cpv_division"
	FacetCommune     = "commune"
	FacetKind        = "kind"
	FacetFirstTime   = "first_time"
)

// FacetNames lists every facet a search can count.
var FacetNames = []string{FacetLegalFamily, FacetInclusion, FacetCPVDivision, FacetCommune, FacetKind, FacetFirstTime}

// Search limits: free text is short plain text, geographic radii are local.
const (
	MaxSearchTextRunes = 200
	MaxSearchRadiusKM  = 200
)

// SearchQuery is a full-text directory search: the buyer's words, the listing filters, a geographic
// restriction, a sort, the facets to count and a page.
type SearchQuery struct {
	Text   string
	Filter StructureFilter
	// Near with RadiusKM keeps structures located within RadiusKM of Near; Near alone gives distances.
	Near           *GeoPoint
	RadiusKM       float64
	Sort           string
	BoostFirstTime bool
	Facets         []string
	Page           PageRequest
}

// NeedsIndex reports whether only the search index can answer q (text, geography, facets or a non-default sort);
// other listings can also be answered from the database.
func (q SearchQuery) NeedsIndex() bool {
	return q.Text != "" || q.Near != nil || len(q.Facets) > 0 || (q.Sort != "" && q.Sort != SortRelevance) || q.BoostFirstTime
}

// SearchHit is one structure found by a search, with why it matched.
type SearchHit struct {
	ID    string
	Score float64
	// Snippets maps a field to highlighted fragments: HTML-escaped text with matches in <mark>.
	Snippets   map[string][]string
	Reasons    []MatchReason
	DistanceKM *float64
}

// MatchReason says why a structure matched: which words in which field, which offer, CPV code or area rule.
type MatchReason struct {
	Kind    string
	OfferID string
	Field   string
	CPV     string
	Label   string
	Area    string
	Words   []string
}

// FacetCount is one value of a facet and how many matching structures have it.
type FacetCount struct {
	Value string
	Count int
}

// SearchResult is one page of a search: hits in order, the total over the whole result set, facets and the
// cursor of the next page ("" on the last).
type SearchResult struct {
	// Commune is the INSEE code of a commune the search read from the text and applied as the coverage filter.
	Commune    string
	Hits       []SearchHit
	Total      int
	Facets     map[string][]FacetCount
	NextCursor string
}

package search

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/essor-ess/essor/internal/domain"
)

// Query is a directory search: free text, filters, sort, facets and a page. Empty fields do not filter.
type Query struct {
	// Text is the buyer's free text; it goes through ParseQueryText. The last word also matches as a prefix
	// unless the text ends with a space (search as you type).
	Text string
	// CPV matches structures with an offer coded with one of these codes or below it.
	CPV []string
	// Commune (INSEE) matches structures with an offer whose area covers it (see docs/search.md).
	Commune string
	// Near and RadiusKM (at most MaxRadiusKM) keep structures located within RadiusKM of Near; Near alone only
	// gives distances and the distance sort.
	Near              *domain.GeoPoint
	RadiusKM          float64
	LegalFamilies     []domain.ESSFamily
	InclusionKinds    []string // kinds (EA, ESAT, ACI…) or families (siae, handicap, geiq), any case
	OfferKinds        []domain.OfferKind
	FirstTime         *bool
	OpenToCotraitance *bool
	Verified          *bool
	HeadcountBands    []string
	TurnoverMinEUR    *int64
	TurnoverMaxEUR    *int64
	// Statuses limits the visible statuses; empty means published only.
	Statuses []domain.StructureStatus
	// Sort is relevance (default), distance, name or updated.
	Sort string
	// BoostFirstTime multiplies the relevance of structures with no known public award by FirstTimeBoost.
	BoostFirstTime bool
	// Facets names the facets to count over the whole result set: see FacetNames.
	Facets []string
	// Size is the page size, DefaultPageSize when 0, at most domain.MaxPageSize.
	Size   int
	Cursor domain.Cursor
}

// Sort orders: the directory's vocabulary (internal/domain/search.go).
const (
	SortRelevance = domain.SortRelevance
	SortDistance  = domain.SortDistance
	SortName      = domain.SortName
	SortUpdated   = domain.SortUpdated
)

// Facet names: the directory's vocabulary (internal/domain/search.go).
const (
	FacetLegalFamily = domain.FacetLegalFamily
	FacetInclusion   = domain.FacetInclusion
	FacetCPVDivision = domain.FacetCPVDivision
	FacetCommune     = domain.FacetCommune
	FacetKind        = domain.FacetKind
	FacetFirstTime   = domain.FacetFirstTime
)

// FacetNames lists the facets a Query may ask for.
var FacetNames = domain.FacetNames

// FirstTimeBoost is the relevance multiplier of first-time bidders when Query.BoostFirstTime is set.
const FirstTimeBoost = 1.5

// MaxFacetValues caps the values returned per facet, the most frequent first.
const MaxFacetValues = 100

// Result is one page of a search.
type Result struct {
	Hits []Hit
	// Total counts every matching structure, not only the page.
	Total  int
	Facets map[string][]FacetValue
	// Next is the cursor of the next page, zero on the last page.
	Next domain.Cursor
	// Commune is the INSEE code of a commune read from the text and applied as the commune filter ("" when none):
	// "espaces verts Rezé" searches "espaces verts" with commune 44143.
	Commune string
}

// Hit is one matching structure.
type Hit struct {
	ID    string
	Score float64
	// Snippets maps a field (name, description, offers.title…) to highlighted fragments: HTML-escaped text with
	// matches in <mark>.
	Snippets map[string][]string
	Reasons  []Reason
	// DistanceKM is the distance from Query.Near (or from the commune centre when sorting by distance).
	DistanceKM *float64
}

// Reason kinds.
const (
	ReasonText       = "text"        // typed words found in a field (of an offer when OfferID is set)
	ReasonCPVConcept = "cpv_concept" // typed words name the CPV label of an offer's code
	ReasonInclusion  = "inclusion"   // typed words name an inclusion kind or family of the structure
	ReasonOffer      = "offer"       // the offer satisfies the CPV, kind and commune filters (CPV, Area say how)
)

// Reason says why a structure matched.
type Reason struct {
	Kind    string
	OfferID string
	Field   string
	// CPV is the offer's code that matched; Label its French label.
	CPV   string
	Label string
	// Area is the coverage rule that matched: "country", a zone ("departement:44") or a radius.
	Area  string
	Words []string
}

// FacetValue is one value of a facet and how many matching structures have it.
type FacetValue struct {
	Value string
	Count int
}

type candidate struct {
	row   int32
	score float64
}

// Search runs q. Filters, facets, sort and paging run on the in-memory table; Bleve finds and scores the text.
func (ix *Index) Search(ctx context.Context, q Query) (Result, error) {
	size, order, err := checkQuery(&q)
	if err != nil {
		return Result{}, err
	}
	text, err := ParseQueryText(q.Text)
	if err != nil {
		return Result{}, err
	}
	lastIsPrefix := q.Text != "" && !isSpace(q.Text[len(q.Text)-1])
	planKey := text + "\x00" + strconv.FormatBool(lastIsPrefix) + "\x00" + strconv.FormatBool(q.Commune != "")
	planned, gen, ok := ix.texts.plan(planKey)
	if !ok {
		planned = plannedText{lastIsPrefix: lastIsPrefix}
		planned.text, planned.named = ix.detectCommune(ctx, text, q.Commune)
		if planned.named != "" {
			planned.lastIsPrefix = false
		}
		planned.plan = ix.planText(planned.text, planned.lastIsPrefix)
		planned.key, planned.relaxedKey = queryKey(planned.plan.query), queryKey(planned.plan.relaxed)
		ix.texts.putPlan(planKey, gen, planned)
	}
	named, plan := planned.named, planned.plan
	if named != "" {
		q.Commune = named
	}

	t := ix.table
	t.mu.RLock()
	defer t.mu.RUnlock()
	f, err := ix.compileFilter(q)
	if err != nil {
		return Result{}, err
	}
	rows := f.allow
	var tm *textMatch
	if plan.query != nil {
		if tm, err = ix.match(ctx, plan.query, planned.key); err != nil {
			return Result{}, err
		}
		rows = ix.filtered(tm, f)
		if plan.relaxed != nil && int(rows.GetCardinality()) < size { // too few for a page: any of the words (query.go)
			if tm, err = ix.match(ctx, plan.relaxed, planned.relaxedKey); err != nil {
				return Result{}, err
			}
			rows = ix.filtered(tm, f)
		}
	} else if f.exact {
		rows = ix.exactRows(rows, f)
	}
	total := int(rows.GetCardinality())
	res := Result{Total: total, Facets: ix.countFacets(rows, total, q.Facets), Commune: named}
	ref, hasRef := referencePoint(q, f)
	if order == SortDistance && !hasRef {
		return Result{}, invalid("sort", "distance needs near or commune")
	}
	page, next := ix.page(rows, tm, q, order, size, ref, hasRef)
	res.Next = next
	res.Hits = make([]Hit, len(page))
	for i, p := range page {
		r := &t.rows[p.row]
		h := Hit{ID: r.id, Score: p.score}
		g := &t.geo[p.row]
		if hasRef && g.ok && (q.Near != nil || order == SortDistance) {
			d := distanceKM(ref.Lat, ref.Lon, g.lat, g.lon)
			h.DistanceKM = &d
		}
		h.Reasons = ix.reasons(r, g, f, plan)
		res.Hits[i] = h
	}
	if plan.query != nil && len(page) > 0 {
		if err := ix.highlight(ctx, plan, planned.key, res.Hits); err != nil {
			return Result{}, err
		}
	}
	return res, nil
}

func isSpace(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }

func checkQuery(q *Query) (int, string, error) {
	size := q.Size
	switch {
	case size == 0:
		size = domain.DefaultPageSize
	case size < 0 || size > domain.MaxPageSize:
		return 0, "", invalid("page_size", fmt.Sprintf("must be between 1 and %d", domain.MaxPageSize))
	}
	order := q.Sort
	switch order {
	case "":
		order = SortRelevance
	case SortRelevance, SortDistance, SortName, SortUpdated:
	default:
		return 0, "", invalid("sort", "must be one of relevance, distance, name, updated")
	}
	for _, name := range q.Facets {
		if !slices.Contains(FacetNames, name) {
			return 0, "", invalid("facets", fmt.Sprintf("%q is not a facet", name))
		}
	}
	return size, order, nil
}

func referencePoint(q Query, f *filter) (domain.GeoPoint, bool) {
	if q.Near != nil {
		return *q.Near, true
	}
	if f.commune != nil && f.commune.hasCentre {
		return f.commune.centre, true
	}
	return domain.GeoPoint{}, false
}

// filtered returns the rows of a text match that pass f.
func (ix *Index) filtered(tm *textMatch, f *filter) *roaring.Bitmap {
	rows := roaring.And(tm.rows, f.allow)
	if f.exact {
		rows = ix.exactRows(rows, f)
	}
	return rows
}

// exactRows keeps the rows that pass the checks bitmaps cannot decide (same offer, radius, turnover).
func (ix *Index) exactRows(rows *roaring.Bitmap, f *filter) *roaring.Bitmap {
	var out *roaring.Bitmap
	check := rows
	if !f.rowLevel && f.sameOffer != nil {
		out = roaring.And(rows, f.sameOffer)
		check = roaring.AndNot(rows, f.sameOffer)
	} else {
		out = roaring.New()
	}
	kept := make([]uint32, 0, 4096)
	it := check.ManyIterator()
	buf := make([]uint32, 1024)
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, row := range buf[:n] {
			if f.pass(ix.table, row) {
				kept = append(kept, row)
			}
		}
	}
	out.AddMany(kept)
	return out
}

// rescoreRefreshed enables the background re-score of refreshed texts; a test turns it off to see them before.
var rescoreRefreshed = true

// match returns the text's matches, from the cache or from one Bleve run. A cached match refreshed since its
// Bleve run (Apply) is returned at once and re-scored in the background (rescore).
func (ix *Index) match(ctx context.Context, q query.Query, key string) (*textMatch, error) {
	if m, ok := ix.cache.get(key); ok {
		if m.changedSince > 0 && rescoreRefreshed {
			ix.startRescore(key, m)
		}
		return m, nil
	}
	cands, err := ix.matchText(ctx, q, len(ix.table.rows))
	if err != nil {
		return nil, err
	}
	m := newTextMatch(q, cands)
	ix.cache.put(key, m)
	return m, nil
}

// matchText returns every document matching q with its score, unfiltered, whose row is below limit (the rows the
// caller's table holds: a document indexed since has none yet).
func (ix *Index) matchText(ctx context.Context, q query.Query, limit int) ([]candidate, error) {
	var out []candidate
	maker := search.MakeDocumentMatchHandler(func(sctx *search.SearchContext) (search.DocumentMatchHandler, bool, error) {
		dv, err := sctx.IndexReader.DocValueReader([]string{"row"})
		if err != nil {
			return nil, false, err
		}
		return func(d *search.DocumentMatch) error {
			if d == nil {
				return nil
			}
			n := -1
			err := dv.VisitDocValues(d.IndexInternalID, func(_ string, term []byte) { n = parseRow(term) })
			if err == nil && n >= 0 && n < limit {
				out = append(out, candidate{int32(n), d.Score})
			}
			sctx.DocumentMatchPool.Put(d)
			return err
		}, false, nil
	})
	req := bleve.NewSearchRequestOptions(q, 0, 0, false)
	if _, err := ix.bleve.SearchInContext(context.WithValue(ctx, search.MakeDocumentMatchHandlerKey, maker), req); err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	return out, nil
}

func parseRow(term []byte) int {
	n := 0
	for _, c := range term {
		if c < '0' || c > '9' {
			return -1
		}
		n = n*10 + int(c-'0')
	}
	return n
}

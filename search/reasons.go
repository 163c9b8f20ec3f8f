package search

import (
	"context"
	"fmt"
	"maps"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// snippetFields are the stored fields highlighted in snippets.
var snippetFields = []string{"name", "brand", "description", "labels", "offers.title", "offers.description"}

// reasons explains a hit from the table: offers satisfying the offer-level filters (with the CPV code and area
// rule that matched), offers whose codes the typed words name as a CPV concept, inclusion terms. Text reasons
// are added by highlight, which knows the matched words.
func (ix *Index) reasons(r *row, g *geoPoint, f *filter, plan textPlan) []Reason {
	var out []Reason
	syms := ix.table.syms.strs
	for i := range r.offers {
		o := &r.offers[i]
		if f.offerLevel {
			var why offerWhy
			if f.offerMatches(g, o, &why) {
				out = append(out, Reason{Kind: ReasonOffer, OfferID: o.id, CPV: why.cpv, Label: ix.cpv.label(why.cpv), Area: why.area})
			}
		}
		for _, c := range o.cpv() {
			code := syms[c]
			for prefix, words := range plan.concepts {
				if strings.HasPrefix(code, prefix) {
					out = append(out, Reason{Kind: ReasonCPVConcept, OfferID: o.id, CPV: code,
						Label: ix.cpv.label(padCPV(prefix)), Words: words})
				}
			}
		}
	}
	for _, w := range plan.words {
		for _, in := range r.inclusion {
			if syms[in] == w || ix.synonymInclusion(w, syms[in]) {
				out = append(out, Reason{Kind: ReasonInclusion, Field: "inclusion", Words: []string{w}})
				break
			}
		}
	}
	return out
}

// synonymInclusion reports whether a typed word expands to an inclusion term.
func (ix *Index) synonymInclusion(word, term string) bool {
	stems := terms(ix.an.stem, word)
	if len(stems) != 1 {
		return false
	}
	for _, e := range ix.syn.expand(stems) {
		for _, k := range e.inclusion {
			if k == term {
				return true
			}
		}
	}
	return false
}

func padCPV(prefix string) string { return prefix + strings.Repeat("0", 8-len(prefix)) }

// highlight runs the text query once more, restricted to the page's ids, to get snippets and the matched words
// per field and offer. It costs one small search per page, never one per hit of the whole result set, and none for
// the structures already shown for the same text (key) since the last Apply.
func (ix *Index) highlight(ctx context.Context, plan textPlan, key string, hits []Hit) error {
	var ids []string
	at := map[string]int{}
	for i := range hits {
		h := &hits[i]
		if c, ok := ix.texts.hit(h.ID, key); ok {
			h.Snippets = maps.Clone(c.snippets)
			h.Reasons = append(h.Reasons, c.reasons...)
			continue
		}
		ids = append(ids, h.ID)
		at[h.ID] = i
	}
	if len(ids) == 0 {
		return nil
	}
	q := query.NewConjunctionQuery([]query.Query{plan.query, query.NewDocIDQuery(ids)})
	req := bleve.NewSearchRequestOptions(q, len(ids), 0, false)
	req.Highlight = bleve.NewHighlightWithStyle("html")
	req.Highlight.Fields = snippetFields
	req.IncludeLocations = true
	res, err := ix.bleve.SearchInContext(ctx, req)
	if err != nil {
		return fmt.Errorf("search: highlight: %w", err)
	}
	found := map[string]hitText{}
	rows := ix.table.rows
	for _, dm := range res.Hits {
		if _, ok := at[dm.ID]; !ok {
			continue
		}
		var ht hitText
		if len(dm.Fragments) > 0 {
			ht.snippets = map[string][]string(dm.Fragments)
		}
		n, ok := ix.table.byID[dm.ID]
		if !ok {
			continue
		}
		r := &rows[n]
		for _, field := range snippetFields {
			tl, ok := dm.Locations[field]
			if !ok {
				continue
			}
			byOffer := map[int][]string{}
			for termText, locs := range tl {
				for _, l := range locs {
					k := -1
					if strings.HasPrefix(field, "offers.") && len(l.ArrayPositions) > 0 {
						k = int(l.ArrayPositions[0])
					}
					byOffer[k] = appendUnique(byOffer[k], termText)
				}
			}
			for k, words := range byOffer {
				reason := Reason{Kind: ReasonText, Field: field, Words: words}
				if k >= 0 && k < len(r.offers) {
					reason.OfferID = r.offers[k].id
				}
				ht.reasons = append(ht.reasons, reason)
			}
		}
		found[dm.ID] = ht
	}
	for _, id := range ids {
		ht := found[id]
		ix.texts.putHit(id, key, ht)
		h := &hits[at[id]]
		h.Snippets = maps.Clone(ht.snippets)
		h.Reasons = append(h.Reasons, ht.reasons...)
	}
	return nil
}

package search

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// queryKey identifies a text query in the caches: its JSON, so that a plan that changes after a write (a word
// the index now holds is no longer corrected, another homonym commune wins) never reuses another plan's matches.
func queryKey(q query.Query) string {
	if q == nil {
		return ""
	}
	b, err := json.Marshal(q)
	if err != nil {
		return ""
	}
	return string(b)
}

// refreshMatches computes, after a Bleve batch and before the table changes, the refreshed copy of every cached
// text match: the changed rows (upserted or deleted documents) dropped, then the upserted documents that match
// the text's query added with their score, found by one Bleve run of the query restricted to their ids. limit is
// the first row the batch did not assign. An entry that has absorbed too many changes (maxChangedSinceRun) or
// whose run fails maps to nil: Apply drops it and the next query of the text runs cold.
func (ix *Index) refreshMatches(ctx context.Context, upserted []string, changed *roaring.Bitmap, limit int32) map[*textMatch]*textMatch {
	entries := ix.cache.entries()
	out := make(map[*textMatch]*textMatch, len(entries))
	ctx = context.WithoutCancel(ctx) // the batch is committed: the caches must follow it
	var restrict query.Query
	if len(upserted) > 0 {
		ids := query.NewDocIDQuery(upserted)
		// A zero boost keeps the query's scores exact: the ids weigh nothing in the query norm and add 0 to the
		// conjunction's sum.
		ids.SetBoost(0)
		restrict = ids
	}
	n := int(changed.GetCardinality())
	// Each refreshed text costs a Bleve run: refresh the most recently used ones, drop the others (they run cold
	// next time), so a write's cost does not grow with the number of distinct texts ever asked.
	slices.SortFunc(entries, func(a, b *textMatch) int { return cmp.Compare(b.used.Load(), a.used.Load()) })
	for i, m := range entries {
		if i >= maxRefreshedTexts || m.changedSince+n > maxChangedSinceRun {
			out[m] = nil
			continue
		}
		var fresh []candidate
		if restrict != nil {
			var err error
			fresh, err = ix.matchText(ctx, query.NewConjunctionQuery([]query.Query{m.query, restrict}), int(limit))
			if err != nil {
				out[m] = nil
				continue
			}
		}
		r := m.refreshed(changed, fresh)
		r.used.Store(m.used.Load())
		out[m] = r
	}
	return out
}

// maxRefreshedTexts bounds the cached texts an Apply refreshes (one small Bleve run each).
const maxRefreshedTexts = 64

// rescorePause is how long the background re-score rests after each run, as a multiple of the run's time: 3
// keeps it to a quarter of one core, so that on a small machine it does not take the queries' CPU (at 250,000
// structures, re-scoring back to back tripled the p95 of queries interleaved with writes).
const rescorePause = 3

// startRescore starts re-scoring a refreshed text in the background unless a re-score runs or rests.
func (ix *Index) startRescore(key string, m *textMatch) {
	if time.Now().UnixNano() < ix.rescoreAfter.Load() || !ix.rescoring.CompareAndSwap(false, true) {
		return
	}
	ix.rescored.Go(func() {
		defer ix.rescoring.Store(false)
		start := time.Now()
		ix.rescore(key, m)
		end := time.Now()
		ix.rescoreAfter.Store(end.Add(rescorePause * end.Sub(start)).UnixNano())
	})
}

// rescore runs a refreshed text's query over the whole index again, in the background, so that the scores of the
// rows it kept from before the writes catch up with today's corpus statistics. It stores the result only if no
// Apply replaced the cache meanwhile: an Apply whose refresh started before the store updates the new entry
// like any other (dropping and re-adding its changed rows), one that finished first makes the result stale.
func (ix *Index) rescore(key string, m *textMatch) {
	gen := ix.cache.generation()
	t := ix.table
	t.mu.RLock()
	limit := len(t.rows)
	t.mu.RUnlock()
	cands, err := ix.matchText(context.Background(), m.query, limit)
	if err != nil {
		return // the refreshed entry stays; its next use tries again
	}
	ix.cache.putIfCurrent(key, gen, newTextMatch(m.query, cands))
}

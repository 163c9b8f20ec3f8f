package search

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"testing"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
)

// refreshQueries are text queries whose cached matches Apply must refresh: one word, several words (and the
// relaxed query), a prefix, a typo, a commune in the text, filters, facets and every sort.
func refreshQueries() []Query {
	return []Query{
		{Text: "menuiserie", Facets: FacetNames},
		{Text: "entretien espaces verts", Facets: FacetNames},
		{Text: "nettoyage des locaux"},
		{Text: "traiteur bio", Facets: []string{FacetCommune}},
		{Text: "jardi"},
		{Text: "menusierie "},
		{Text: "insertion", InclusionKinds: []string{"siae"}, Facets: FacetNames},
		{Text: "espaces verts", Commune: "44143"},
		{Text: "nettoyage", Sort: SortUpdated},
		{Text: "recyclerie", BoostFirstTime: true},
		{Text: "atelier zephyr"},
	}
}

type scoredHit struct {
	id    string
	score float64
}

// walkScored returns every page of q with scores, the total and the facets of the first page.
func walkScored(t *testing.T, ix *Index, q Query) ([]scoredHit, int, map[string][]FacetValue) {
	t.Helper()
	q.Size = 29
	var hits []scoredHit
	var total int
	var facets map[string][]FacetValue
	for page := 0; ; page++ {
		res, err := ix.Search(context.Background(), q)
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if page == 0 {
			total, facets = res.Total, res.Facets
		}
		for _, h := range res.Hits {
			hits = append(hits, scoredHit{h.ID, h.Score})
		}
		if res.Next.IsZero() {
			return hits, total, facets
		}
		q.Cursor = res.Next
	}
}

// TestRefreshedTextsAgreeWithColdQueries writes between cached queries (renames, offer edits, new structures,
// deletes) and requires the refreshed caches to give exactly the hits, totals and facets of a cold query, the
// score of every changed structure exactly, and the others' scores within the drift documented in
// docs/search.md (the order of hits whose scores differ by less than that may differ).
func TestRefreshedTextsAgreeWithColdQueries(t *testing.T) {
	ix, err := Open(t.TempDir()+"/index", benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	defer ix.rescored.Wait()
	fill(t, ix, 1500)
	var original []domain.Structure
	_ = demo.Generate(demo.Options{Count: 1500, Seed: 1}, 1500, func(batch []domain.Structure) error {
		for i := range batch {
			s := batch[i]
			s.ID = fmt.Sprintf("s%07d", i)
			for k := range s.Offers {
				s.Offers[k].ID = fmt.Sprintf("%s-%d", s.ID, k)
			}
			original = append(original, s)
		}
		return nil
	})
	var others []domain.Structure
	_ = demo.Generate(demo.Options{Count: 40, Seed: 9}, 40, func(batch []domain.Structure) error {
		others = append(others, batch...)
		return nil
	})
	renames := func(from int) []domain.Structure {
		var out []domain.Structure
		for i := from; i < from+15; i++ {
			s := original[i*37%1500]
			s.Name = fmt.Sprintf("Atelier Zéphyr menuiserie %d", i)
			out = append(out, s)
		}
		return out
	}
	offerEdits := func(from int) []domain.Structure {
		var out []domain.Structure
		for i := from; i < from+15; i++ {
			s := original[i*53%1500]
			s.Offers = slices.Clone(s.Offers)
			for k := range s.Offers {
				s.Offers[k].Title = "Nettoyage des locaux et entretien des espaces verts"
			}
			out = append(out, s)
		}
		return out
	}
	inserts := func(from int) []domain.Structure {
		var out []domain.Structure
		for i := from; i < from+10; i++ {
			s := others[i]
			s.ID = fmt.Sprintf("new%04d", i)
			for k := range s.Offers {
				s.Offers[k].ID = fmt.Sprintf("%s-%d", s.ID, k)
			}
			out = append(out, s)
		}
		return out
	}
	steps := []struct {
		name    string
		upserts []domain.Structure
		deletes []string
	}{
		{"renames", renames(0), nil},
		{"offer edits", offerEdits(0), nil},
		{"inserts", inserts(0), nil},
		{"deletes", nil, []string{"s0000000", "s0000037", "s0000053", "s0000100", "new0003"}},
		{"everything", append(append(append(renames(15), offerEdits(15)...), inserts(10)...), original[7]), []string{"s0000074", "new0001"}},
		{"again", append(renames(30), inserts(20)...), []string{"new0011"}},
	}
	ctx := context.Background()
	for _, q := range refreshQueries() {
		walkScored(t, ix, q)
	}
	for si, step := range steps {
		before := len(ix.cache.entries())
		if err := ix.Apply(ctx, step.upserts, step.deletes, int64(100000+si)); err != nil {
			t.Fatal(err)
		}
		if after := len(ix.cache.entries()); after == 0 || after != before {
			t.Fatalf("%s: %d cached texts before the write, %d after: the refresh dropped them", step.name, before, after)
		}
		for qi, q := range refreshQueries() {
			if si%2 == 1 && qi%2 == 1 {
				continue // left for a later step: a refresh of a refresh whose order was never merged
			}
			name := fmt.Sprintf("after %s, %+v", step.name, q)
			// Right after the write: the refreshed entry, its kept rows scored before the writes.
			rescoreRefreshed = false
			cached, cachedTotal, cachedFacets := walkScored(t, ix, q)
			shortcuts = false // the heap over every match: the merged relevance order must agree with it
			plain, _, _ := walkScored(t, ix, q)
			shortcuts, rescoreRefreshed = true, true
			if !reflect.DeepEqual(cached, plain) {
				t.Errorf("%s: the merged relevance order differs from a sort of the same matches", name)
			}
			cold, coldTotal, coldFacets := coldWalk(t, ix, q)
			if cachedTotal != coldTotal || len(cached) != len(cold) {
				t.Errorf("%s: cached %d hits (total %d), cold %d (total %d)", name, len(cached), cachedTotal, len(cold), coldTotal)
				continue
			}
			if !reflect.DeepEqual(cachedFacets, coldFacets) {
				t.Errorf("%s: facets differ:\n%v\n%v", name, cachedFacets, coldFacets)
			}
			compareScores(t, name, cached, cold, changedIDs(step.upserts))
			// After the background re-score: exactly the cold answer.
			for _, m := range ix.cache.entries() {
				if m.changedSince > 0 {
					ix.rescore(queryKey(m.query), m)
				}
			}
			if rescored, _, _ := walkScored(t, ix, q); !reflect.DeepEqual(rescored, cold) {
				t.Errorf("%s: after the re-score, cached and cold answers differ", name)
			}
		}
	}
}

// coldWalk walks q with empty caches, then puts the cached matches back as they were.
func coldWalk(t *testing.T, ix *Index, q Query) ([]scoredHit, int, map[string][]FacetValue) {
	t.Helper()
	matches := ix.cache.entries()
	ix.cache.clear()
	ix.texts.clear()
	hits, total, facets := walkScored(t, ix, q)
	ix.cache.clear()
	for _, m := range matches {
		ix.cache.put(queryKey(m.query), m)
	}
	return hits, total, facets
}

func changedIDs(upserts []domain.Structure) map[string]bool {
	out := map[string]bool{}
	for _, s := range upserts {
		out[s.ID] = true
	}
	return out
}

// compareScores requires the same hits, the exact cold score for the structures the write changed (they were
// scored by Bleve after it) and, for the others, at most maxScoreDrift of relative difference (they keep the
// scores of the corpus before the write until the background re-score).
func compareScores(t *testing.T, name string, cached, cold []scoredHit, changed map[string]bool) {
	t.Helper()
	coldScore := map[string]float64{}
	for _, h := range cold {
		coldScore[h.id] = h.score
	}
	for _, h := range cached {
		want, ok := coldScore[h.id]
		switch {
		case !ok:
			t.Errorf("%s: %s is cached but not a cold hit", name, h.id)
		case changed[h.id] && h.score != want:
			t.Errorf("%s: changed %s scores %v refreshed, %v cold", name, h.id, h.score, want)
		case math.Abs(h.score-want) > maxScoreDrift*want:
			t.Errorf("%s: %s scores %v cached, %v cold", name, h.id, h.score, want)
		}
	}
}

// maxScoreDrift is the relative score difference the test accepts for structures a write did not change: the
// writes here change 1 to 3 % of the directory, and "atelier zephyr" a word 0 then 15, 30, 45 structures hold.
const maxScoreDrift = 0.35

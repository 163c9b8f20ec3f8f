package search

import (
	"context"
	"fmt"
	"reflect"
	"testing"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
)

// shortcutQueries exercise every fast path: name order (with and without boost), relevance order of a cached text,
// offer-level filters with rows known to match, radius and distance.
func shortcutQueries() []Query {
	nantes := &domain.GeoPoint{Lat: 47.2186, Lon: -1.5541}
	return []Query{
		{Sort: SortName, Facets: FacetNames},
		{BoostFirstTime: true, Facets: FacetNames},
		{Sort: SortName, BoostFirstTime: true},
		{InclusionKinds: []string{"siae"}},
		{Text: "entretien", Facets: FacetNames},
		{Text: "espaces verts", BoostFirstTime: true},
		{Text: "nettoyage", Sort: SortUpdated},
		{CPV: []string{"90900000"}, Commune: "44143", Facets: FacetNames},
		{CPV: []string{"77000000"}, OfferKinds: []domain.OfferKind{domain.OfferService}, Commune: "44109"},
		{OfferKinds: []domain.OfferKind{domain.OfferWorks}, Commune: "44114"},
		{Near: nantes, RadiusKM: 5, Sort: SortDistance, Facets: FacetNames},
		{Text: "traiteur", Near: nantes, RadiusKM: 12},
		{Commune: "44143", Sort: SortDistance},
	}
}

// walk returns every page of q (ids in order), the total and the facets of the first page.
func walk(t *testing.T, ix *Index, q Query) ([]string, int, map[string][]FacetValue) {
	t.Helper()
	q.Size = 37
	var ids []string
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
			ids = append(ids, h.ID)
		}
		if res.Next.IsZero() {
			return ids, total, facets
		}
		q.Cursor = res.Next
	}
}

func TestShortcutsAgreeWithPlainPasses(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	fill(t, ix, 1500)
	// Both passes must read the same cached matches: no background re-score between them.
	rescoreRefreshed = false
	defer func() { rescoreRefreshed = true }()
	compare := func(stage string, ix *Index) {
		for _, q := range shortcutQueries() {
			shortcuts = true
			fast, fastTotal, fastFacets := walk(t, ix, q)
			shortcuts = false
			plain, plainTotal, plainFacets := walk(t, ix, q)
			shortcuts = true
			name := fmt.Sprintf("%s %+v", stage, q)
			if fastTotal != plainTotal || len(fast) != fastTotal || !reflect.DeepEqual(fast, plain) {
				t.Errorf("%s: shortcuts gave %d hits (total %d), plain passes %d (total %d)", name, len(fast), fastTotal, len(plain), plainTotal)
			}
			if !reflect.DeepEqual(fastFacets, plainFacets) {
				t.Errorf("%s: facets differ:\n%v\n%v", name, fastFacets, plainFacets)
			}
			if fastTotal == 0 {
				t.Errorf("%s: no hit: the query tests nothing", name)
			}
		}
	}
	compare("built", ix)

	// Writes after the name order and the commune coverages were built: renames, new structures, deletes.
	var changed []domain.Structure
	_ = demo.Generate(demo.Options{Count: 60, Seed: 7}, 60, func(batch []domain.Structure) error {
		for i := range batch {
			s := batch[i]
			s.ID = fmt.Sprintf("s%07d", i*20) // over existing structures
			if i%3 == 0 {
				s.ID = fmt.Sprintf("new%03d", i)
			}
			for k := range s.Offers {
				s.Offers[k].ID = fmt.Sprintf("%s-%d", s.ID, k)
			}
			s.Name = fmt.Sprintf("%c renamed %d", 'A'+i%26, i)
			changed = append(changed, s)
		}
		return nil
	})
	if err := ix.Apply(context.Background(), changed, []string{"s0000005", "s0000006", "s0000500"}, 99999); err != nil {
		t.Fatal(err)
	}
	compare("after writes", ix)

	// A fresh open rebuilds the table, the name order and the coverages from scratch: same answers.
	// The refreshed texts keep scores from before the writes until re-scored: re-score them, as the first use
	// after a write does in the background, so that the answers are those of a cold index.
	for _, m := range ix.cache.entries() {
		if m.changedSince > 0 {
			ix.rescore(queryKey(m.query), m)
		}
	}
	want := map[int][]string{}
	for i, q := range shortcutQueries() {
		want[i], _, _ = walk(t, ix, q)
	}
	if err := ix.Close(); err != nil {
		t.Fatal(err)
	}
	reopened, err := Open(dir, benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer reopened.Close()
	for i, q := range shortcutQueries() {
		if got, _, _ := walk(t, reopened, q); !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%+v: after reopening %d hits, before %d (or another order)", q, len(got), len(want[i]))
		}
	}
}

package search

import (
	"context"
	"fmt"
	"testing"
)

// TestApplyRefreshesOnlyTheMostRecentlyUsedTexts bounds the cost of a write: past maxRefreshedTexts cached texts,
// an Apply keeps (refreshed) only the most recently used ones and drops the others.
func TestApplyRefreshesOnlyTheMostRecentlyUsedTexts(t *testing.T) {
	ix, err := Open(t.TempDir()+"/index", benchOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	defer ix.rescored.Wait()
	fill(t, ix, 300)
	words := []string{"jardin", "nettoyage", "repas", "menuiserie", "peinture", "linge", "velo", "cafe", "textile", "bois"}
	ctx := context.Background()
	asked := 0
	for i := 0; asked < maxRefreshedTexts+20; i++ {
		q := Query{Text: fmt.Sprintf("%s %s", words[i%len(words)], words[(i/len(words))%len(words)]), Size: 5}
		if _, err := ix.Search(ctx, q); err != nil {
			t.Fatal(err)
		}
		asked = len(ix.cache.entries())
		if i > 10_000 {
			t.Fatalf("could not cache %d distinct texts (got %d)", maxRefreshedTexts+20, asked)
		}
	}
	recent := Query{Text: words[0] + " " + words[0], Size: 5}
	if _, err := ix.Search(ctx, recent); err != nil { // makes this text the most recently used
		t.Fatal(err)
	}
	var newest *textMatch
	for _, m := range ix.cache.entries() {
		if newest == nil || m.used.Load() > newest.used.Load() {
			newest = m
		}
	}
	key := queryKey(newest.query)
	if err := ix.Apply(ctx, nil, []string{"s0000001"}, ix.Position()+1); err != nil {
		t.Fatal(err)
	}
	kept := ix.cache.entries()
	if len(kept) > maxRefreshedTexts {
		t.Fatalf("%d cached texts kept after a write, want at most %d", len(kept), maxRefreshedTexts)
	}
	for _, m := range kept {
		if queryKey(m.query) == key {
			if m == newest {
				t.Fatal("the most recently used text was kept but not refreshed")
			}
			return
		}
	}
	t.Fatal("the most recently used text was dropped by the write")
}

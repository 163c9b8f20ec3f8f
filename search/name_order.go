package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
)

// The name order lists the live rows by name, then id: a page sorted by name (or by relevance without text, where
// every structure scores the same) over a large result is then the first rows of that list that are in the result,
// instead of a pass over the whole result. It is built on first use and kept sorted by Apply with one merge per
// batch, never a full sort.

// compareByName orders rows by name, then id.
func compareByName(rows []row, a, b int32) int {
	ra, rb := &rows[a], &rows[b]
	if ra.nameKey != rb.nameKey {
		return cmp.Compare(ra.nameKey, rb.nameKey)
	}
	if c := strings.Compare(ra.name, rb.name); c != 0 {
		return c
	}
	return strings.Compare(ra.id, rb.id)
}

// nameOrder returns the live rows by name; the caller holds the table's read lock.
func (t *table) nameOrder() []int32 {
	t.orderMu.Lock()
	defer t.orderMu.Unlock()
	if t.byName == nil {
		order := make([]int32, 0, t.live)
		for i := range t.rows {
			if t.rows[i].live {
				order = append(order, int32(i))
			}
		}
		slices.SortFunc(order, func(a, b int32) int { return compareByName(t.rows, a, b) })
		t.byName = order
		t.rankNames()
	}
	return t.byName
}

// nameRanks returns each row's place in the name order (by row number), so that comparing two rows by name and
// id is one integer comparison; the caller holds the table's read lock.
func (t *table) nameRanks() []int32 {
	t.nameOrder()
	return t.nameRank
}

func (t *table) rankNames() {
	if cap(t.nameRank) < len(t.rows) {
		t.nameRank = make([]int32, len(t.rows), len(t.rows)+len(t.rows)/8)
	}
	t.nameRank = t.nameRank[:len(t.rows)]
	for i, n := range t.byName {
		t.nameRank[n] = int32(i)
	}
}

// reorder takes the rows written by an Apply into the name order; the caller holds the write lock.
func (t *table) reorder(changed []int32) {
	if t.byName == nil || len(changed) == 0 {
		return
	}
	set := roaring.New()
	var added []int32
	for _, n := range changed {
		if !set.Contains(uint32(n)) {
			set.Add(uint32(n))
			if t.rows[n].live {
				added = append(added, n)
			}
		}
	}
	slices.SortFunc(added, func(a, b int32) int { return compareByName(t.rows, a, b) })
	merged := make([]int32, 0, t.live)
	i := 0
	for _, n := range t.byName {
		if set.Contains(uint32(n)) || !t.rows[n].live {
			continue
		}
		for i < len(added) && compareByName(t.rows, added[i], n) < 0 {
			merged = append(merged, added[i])
			i++
		}
		merged = append(merged, n)
	}
	merged = append(merged, added[i:]...)
	t.byName = merged
	t.rankNames()
}

package search

import (
	"cmp"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/essor-ess/essor/internal/domain"
)

// position is a hit's place in the chosen order: f ascending, then the name (relevance and name orders), then
// the id. The cursor is the last position of a page: Score is f, Key the name (empty for the other orders).
type position struct {
	f     float64
	row   int32
	score float64
}

// order compares positions for one sort; the name, then the id, break ties so that the cursor is exact.
type order struct {
	rows   []row
	byName bool
}

func (o order) compare(a, b *position) int {
	if c := cmp.Compare(a.f, b.f); c != 0 {
		return c
	}
	ra, rb := &o.rows[a.row], &o.rows[b.row]
	if o.byName {
		if ra.nameKey != rb.nameKey {
			return cmp.Compare(ra.nameKey, rb.nameKey)
		}
		if c := strings.Compare(ra.name, rb.name); c != 0 {
			return c
		}
	}
	return strings.Compare(ra.id, rb.id)
}

// afterCursor reports whether p comes after the cursor c.
func (o order) afterCursor(p *position, c domain.Cursor) bool {
	if v := cmp.Compare(p.f, c.Score); v != 0 {
		return v > 0
	}
	r := &o.rows[p.row]
	name := ""
	if o.byName {
		name = r.name
	}
	if name != c.Key {
		return name > c.Key
	}
	return r.id > c.After
}

// shortcuts enables the paths that avoid a pass over the whole result (relevance order of a cached text, name
// order, rows known to satisfy offer-level filters); tests turn it off to compare them with the plain passes.
var shortcuts = true

// farAway orders structures without a location after every located one.
const farAway = 1e9

// page returns the size first positions of rows after the cursor in the requested order, and the next cursor.
// A relevance page of a text without boost walks the text's matches in relevance order (computed once per cached
// text) until the page is full; the other orders keep the best size+1 of the result set in a bounded heap.
func (ix *Index) page(rows *roaring.Bitmap, tm *textMatch, q Query, sort string, size int, ref domain.GeoPoint, hasRef bool) ([]position, domain.Cursor) {
	all := ix.table.rows
	o := order{rows: all, byName: sort == SortRelevance || sort == SortName}
	useCursor := !q.Cursor.IsZero()
	refCos := cosDeg(ref.Lat)
	k := size + 1
	var out []position
	if shortcuts && tm != nil && sort == SortRelevance && !q.BoostFirstTime {
		for _, i := range tm.relevanceOrder(ix.table.nameRanks()) {
			c := tm.cands[i]
			p := position{f: -c.score, row: c.row, score: c.score}
			if (useCursor && !o.afterCursor(&p, q.Cursor)) || !rows.Contains(uint32(c.row)) {
				continue
			}
			if out = append(out, p); len(out) == k {
				break
			}
		}
	} else if shortcuts && tm == nil && o.byName && rows.GetCardinality()*64 >= uint64(ix.table.live) {
		out = ix.pageByName(rows, q, sort, k)
	} else {
		h := boundedHeap{o: o, k: k}
		geo := ix.table.geo
		visit := func(n int32, score float64) {
			if q.BoostFirstTime && all[n].firstTime {
				score *= FirstTimeBoost
			}
			p := position{row: n, score: score}
			switch sort {
			case SortRelevance:
				p.f = -score
			case SortDistance:
				p.f = farAway
				if g := &geo[n]; g.ok && hasRef {
					if h.full() && certainlyFarther(ref.Lat, ref.Lon, refCos, g, h.items[0].f) {
						return // farther than the worst kept hit: it cannot enter the page
					}
					p.f = distanceKMCos(ref.Lat, ref.Lon, refCos, g.lat, g.lon, g.cos)
				}
			case SortUpdated:
				p.f = -float64(all[n].updated)
			}
			if useCursor && !o.afterCursor(&p, q.Cursor) {
				return
			}
			h.offer(p)
		}
		if tm != nil {
			for _, c := range tm.cands {
				if rows.Contains(uint32(c.row)) {
					visit(c.row, c.score)
				}
			}
		} else {
			it := rows.Iterator()
			for it.HasNext() {
				visit(int32(it.Next()), 1)
			}
		}
		out = h.sorted()
	}
	var next domain.Cursor
	if len(out) > size {
		out = out[:size]
		last := out[size-1]
		r := &all[last.row]
		next = domain.Cursor{After: r.id, Score: last.f}
		if o.byName {
			next.Key = r.name
		}
	}
	return out, next
}

// pageByName pages a result without text in name order (relevance without text is the name order, first-time
// structures first when boosted): it walks the table's name order and keeps the rows in the result, which stops
// after about k × (rows in the table / rows in the result) steps. Callers use it for results holding at least
// 1/64 of the table.
func (ix *Index) pageByName(rows *roaring.Bitmap, q Query, sort string, k int) []position {
	t := ix.table
	o := order{rows: t.rows, byName: true}
	type tier struct {
		f, score float64
		rows     *roaring.Bitmap
	}
	var tiers []tier
	switch {
	case sort == SortName && q.BoostFirstTime:
		tiers = []tier{{0, 0, rows}} // the score depends on the row, see below
	case sort == SortName:
		tiers = []tier{{0, 1, rows}}
	case q.BoostFirstTime:
		tiers = []tier{{-FirstTimeBoost, FirstTimeBoost, roaring.And(rows, t.bits.firstTime)}, {-1, 1, roaring.AndNot(rows, t.bits.firstTime)}}
	default:
		tiers = []tier{{-1, 1, rows}}
	}
	useCursor := !q.Cursor.IsZero()
	out := make([]position, 0, k)
	for _, tr := range tiers {
		if useCursor && tr.f < q.Cursor.Score {
			continue
		}
		for _, n := range t.nameOrder() {
			p := position{f: tr.f, row: n, score: tr.score}
			if !tr.rows.Contains(uint32(n)) || (useCursor && !o.afterCursor(&p, q.Cursor)) {
				continue
			}
			if p.score == 0 {
				p.score = 1
				if t.rows[n].firstTime {
					p.score = FirstTimeBoost
				}
			}
			if out = append(out, p); len(out) == k {
				return out
			}
		}
	}
	return out
}

// boundedHeap keeps the k first positions of a stream: a max-heap whose root is the worst kept position.
type boundedHeap struct {
	o     order
	k     int
	items []position
}

func (h *boundedHeap) offer(p position) {
	if len(h.items) < h.k {
		h.items = append(h.items, p)
		h.up(len(h.items) - 1)
		return
	}
	if h.o.compare(&p, &h.items[0]) >= 0 {
		return
	}
	h.items[0] = p
	h.down(0)
}

func (h *boundedHeap) full() bool { return len(h.items) == h.k }

func (h *boundedHeap) worse(i, j int) bool { return h.o.compare(&h.items[i], &h.items[j]) > 0 }

func (h *boundedHeap) up(i int) {
	for i > 0 {
		parent := (i - 1) / 2
		if !h.worse(i, parent) {
			return
		}
		h.items[i], h.items[parent] = h.items[parent], h.items[i]
		i = parent
	}
}

func (h *boundedHeap) down(i int) {
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < len(h.items) && h.worse(l, worst) {
			worst = l
		}
		if r < len(h.items) && h.worse(r, worst) {
			worst = r
		}
		if worst == i {
			return
		}
		h.items[i], h.items[worst] = h.items[worst], h.items[i]
		i = worst
	}
}

func (h *boundedHeap) sorted() []position {
	slices.SortFunc(h.items, func(a, b position) int { return h.o.compare(&a, &b) })
	return h.items
}

// countFacets counts each requested facet over the whole result: one bitmap intersection cardinality per value
// (the structure's commune, with thousands of values, is counted by a pass over the rows instead).
func (ix *Index) countFacets(rows *roaring.Bitmap, total int, names []string) map[string][]FacetValue {
	if len(names) == 0 {
		return nil
	}
	t := ix.table
	out := map[string][]FacetValue{}
	for _, name := range names {
		if _, done := out[name]; done {
			continue
		}
		values := []FacetValue{}
		switch name {
		case FacetFirstTime:
			yes := int(rows.AndCardinality(t.bits.firstTime))
			for _, v := range []FacetValue{{"true", yes}, {"false", total - yes}} {
				if v.Count > 0 {
					values = append(values, v)
				}
			}
			out[name] = values
			continue
		case FacetCommune:
			counts := map[uint32]int{}
			it := rows.Iterator()
			for it.HasNext() {
				counts[t.rows[it.Next()].commune]++
			}
			for id, n := range counts {
				if v := t.syms.strs[id]; v != "" {
					values = append(values, FacetValue{Value: v, Count: n})
				}
			}
		default:
			m, value := t.bits.facetBitmaps(name)
			for key, bm := range m {
				v, ok := value(key)
				if !ok {
					continue
				}
				if n := int(rows.AndCardinality(bm)); n > 0 {
					values = append(values, FacetValue{Value: v, Count: n})
				}
			}
		}
		slices.SortFunc(values, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return cmp.Compare(a.Value, b.Value)
		})
		out[name] = values[:min(len(values), MaxFacetValues)]
	}
	return out
}

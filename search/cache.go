package search

import (
	"cmp"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// textMatch is every document a text's query matches, before filters: the rows as a bitmap (intersected with the
// filter's bitmap) and as (row, score) pairs sorted by row, plus their relevance order, computed on the first
// relevance page and reused by every later one. An entry never changes once cached: Apply replaces it with a
// refreshed copy (refreshed).
type textMatch struct {
	query query.Query
	rows  *roaring.Bitmap
	cands []candidate
	// changedSince counts the documents rewritten or deleted since the Bleve run over the whole index: the scores
	// of the others were computed with the corpus statistics of that time (see maxChangedSinceRun).
	changedSince int
	// pending, for a refreshed entry, splits cands into rows already in relevance order (of an earlier version)
	// and rows to merge into it, so that its order costs a merge instead of a sort; dropped once merged.
	mu      sync.Mutex
	pending *pendingOrder

	once  sync.Once
	order atomic.Pointer[[]int32]
	// used is when a query last used the entry (Unix nanoseconds): Apply refreshes only the most recently used.
	used atomic.Int64
}

type pendingOrder struct {
	prior, added []candidate
}

// maxChangedSinceRun bounds the score drift of a refreshed text: Bleve's scores depend on the index's document
// count and each term's document frequency, so the rows kept from an older run carry the scores of the corpus
// of that time while the refreshed rows are scored against today's. Past this many changed documents the entry
// is dropped and the next query of the text runs Bleve over the whole index again.
const maxChangedSinceRun = 1000

func newTextMatch(q query.Query, cands []candidate) *textMatch {
	slices.SortFunc(cands, func(a, b candidate) int { return cmp.Compare(a.row, b.row) })
	rows := roaring.New()
	for _, c := range cands {
		rows.Add(uint32(c.row))
	}
	rows.RunOptimize()
	return &textMatch{query: q, rows: rows, cands: cands}
}

// refreshed returns the match after a write: the rows in changed dropped, fresh (the changed documents that still
// match, scored by Bleve after the write) added. The relative relevance order of the kept rows cannot change
// (same scores, same names), so the new order is a merge of the old one with fresh.
func (m *textMatch) refreshed(changed *roaring.Bitmap, fresh []candidate) *textMatch {
	keep := func(cs []candidate) []candidate {
		out := make([]candidate, 0, len(cs))
		for _, c := range cs {
			if !changed.Contains(uint32(c.row)) {
				out = append(out, c)
			}
		}
		return out
	}
	cands := append(keep(m.cands), fresh...)
	n := newTextMatch(m.query, cands)
	n.changedSince = m.changedSince + int(changed.GetCardinality())
	order := m.order.Load()
	m.mu.Lock()
	p := m.pending
	m.mu.Unlock()
	if order != nil {
		prior := make([]candidate, 0, len(*order))
		for _, i := range *order {
			if c := m.cands[i]; !changed.Contains(uint32(c.row)) {
				prior = append(prior, c)
			}
		}
		n.pending = &pendingOrder{prior: prior, added: fresh}
	} else if p != nil {
		n.pending = &pendingOrder{prior: keep(p.prior), added: append(keep(p.added), fresh...)}
	} // else the order was merged between the two reads: the new entry sorts its order once
	return n
}

// relevanceOrder returns the indices of cands by descending score, then name and id (ranks: the rows' places in
// the name order). The table's rows cannot change while the match is in use: searches hold the table's read
// lock, and Apply replaces entries under its write lock.
func (m *textMatch) relevanceOrder(ranks []int32) []int32 {
	m.once.Do(func() {
		byRelevance := func(a, b candidate) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return cmp.Compare(ranks[a.row], ranks[b.row])
		}
		order := make([]int32, 0, len(m.cands))
		m.mu.Lock()
		p := m.pending
		m.mu.Unlock()
		if p == nil {
			for i := range m.cands {
				order = append(order, int32(i))
			}
			slices.SortFunc(order, func(a, b int32) int { return byRelevance(m.cands[a], m.cands[b]) })
		} else {
			added := slices.Clone(p.added)
			slices.SortFunc(added, byRelevance)
			// Each row's index in cands, by row: one array as long as the table (a binary search per row cost
			// more than the rest of the merge at 250,000 structures).
			at := make([]int32, len(ranks))
			for i, c := range m.cands {
				at[c.row] = int32(i)
			}
			i, j := 0, 0
			for i < len(p.prior) || j < len(added) {
				if j == len(added) || (i < len(p.prior) && byRelevance(p.prior[i], added[j]) < 0) {
					order = append(order, at[p.prior[i].row])
					i++
				} else {
					order = append(order, at[added[j].row])
					j++
				}
			}
		}
		m.order.Store(&order)
		m.mu.Lock()
		m.pending = nil
		m.mu.Unlock()
	})
	return *m.order.Load()
}

// matchCache keeps the matches of recent text queries (keyed by the query's JSON), before filters, so that a
// popular text with other filters, facets or pages costs bitmap operations instead of a Bleve run. Apply
// refreshes every entry with the changed documents only (Index.refreshMatches). When it holds more than
// maxCachedMatches rows in total it is emptied, which bounds its memory (about 24 bytes a row with the bitmap and
// the order, twice that for a refreshed entry until its order is merged: 48 to 96 MB) without the bookkeeping of
// an LRU.
type matchCache struct {
	mu    sync.Mutex
	byKey map[string]*textMatch
	rows  int
	// writes counts the replacements and clears: a background re-score stores its result only if none happened
	// since it started.
	writes uint64
}

const maxCachedMatches = 2_000_000

func (c *matchCache) get(key string) (*textMatch, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.byKey[key]
	if ok {
		m.used.Store(time.Now().UnixNano())
	}
	return m, ok
}

func (c *matchCache) put(key string, m *textMatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, m)
}

func (c *matchCache) putLocked(key string, m *textMatch) {
	if m.used.Load() == 0 {
		m.used.Store(time.Now().UnixNano())
	}
	if len(m.cands) > maxCachedMatches/4 {
		return
	}
	if c.byKey == nil || c.rows+len(m.cands) > maxCachedMatches {
		c.byKey, c.rows = map[string]*textMatch{}, 0
	}
	c.byKey[key] = m
	c.rows += len(m.cands)
}

// entries returns the cached matches.
func (c *matchCache) entries() []*textMatch {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*textMatch, 0, len(c.byKey))
	for _, m := range c.byKey {
		out = append(out, m)
	}
	return out
}

// replace swaps every entry for its refreshed copy; an entry without one (dropped, or cached after the refresh
// started, possibly from the index before the write) is removed.
func (c *matchCache) replace(refreshed map[*textMatch]*textMatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	c.rows = 0
	for key, m := range c.byKey {
		if n := refreshed[m]; n != nil {
			c.byKey[key] = n
			c.rows += len(n.cands)
		} else {
			delete(c.byKey, key)
		}
	}
}

func (c *matchCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writes++
	c.byKey, c.rows = nil, 0
}

func (c *matchCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.writes
}

// putIfCurrent stores m unless the cache was refreshed or cleared since generation gen.
func (c *matchCache) putIfCurrent(key string, gen uint64, m *textMatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.writes == gen {
		c.putLocked(key, m)
	}
}

// textCache keeps, per typed text, what does not depend on the filters: the text's plan (with the commune it
// names), and per structure and query the snippets and text reasons already computed, so that the next page or
// the next buyer asking the same text runs no Bleve highlight request for them. Apply forgets the plans (they
// count terms of the index) and the snippets of the changed structures; gen tells a plan computed before that
// not to be stored.
type textCache struct {
	mu       sync.Mutex
	gen      uint64
	plans    map[string]plannedText
	snippets map[string]map[string]hitText // structure id → query key → text
	nHits    int
}

// plannedText is a text after commune detection and its plan; key and relaxedKey identify plan.query and
// plan.relaxed in the caches.
type plannedText struct {
	text, named     string
	lastIsPrefix    bool
	plan            textPlan
	key, relaxedKey string
}

// hitText is what the highlight request found for one structure and one text.
type hitText struct {
	snippets map[string][]string
	reasons  []Reason
}

// maxCachedTexts and maxCachedSnippets bound the cache; past them it starts afresh.
const (
	maxCachedTexts    = 4096
	maxCachedSnippets = 65536
)

func (c *textCache) plan(key string) (plannedText, uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.plans[key]
	return p, c.gen, ok
}

func (c *textCache) putPlan(key string, gen uint64, p plannedText) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen {
		return
	}
	if c.plans == nil || len(c.plans) >= maxCachedTexts {
		c.plans = map[string]plannedText{}
	}
	c.plans[key] = p
}

func (c *textCache) hit(id, key string) (hitText, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.snippets[id][key]
	return h, ok
}

func (c *textCache) putHit(id, key string, h hitText) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snippets == nil || c.nHits >= maxCachedSnippets {
		c.snippets, c.nHits = map[string]map[string]hitText{}, 0
	}
	byKey := c.snippets[id]
	if byKey == nil {
		byKey = map[string]hitText{}
		c.snippets[id] = byKey
	}
	if _, ok := byKey[key]; !ok {
		c.nHits++
	}
	byKey[key] = h
}

// forget drops the plans and the snippets of the given structures.
func (c *textCache) forget(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.plans = nil
	for _, id := range ids {
		c.nHits -= len(c.snippets[id])
		delete(c.snippets, id)
	}
}

func (c *textCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.plans, c.snippets, c.nHits = nil, nil, 0
}

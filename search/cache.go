package search

import (
	"cmp"
	"slices"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
)

// textMatch is every document a text matches, before filters: the rows as a bitmap (intersected with the
// filter's bitmap) and as (row, score) pairs sorted by row, plus their relevance order, computed on the first
// relevance page and reused by every later one.
type textMatch struct {
	rows  *roaring.Bitmap
	cands []candidate

	once      sync.Once
	relevance []int32
}

func newTextMatch(cands []candidate) *textMatch {
	slices.SortFunc(cands, func(a, b candidate) int { return cmp.Compare(a.row, b.row) })
	rows := roaring.New()
	for _, c := range cands {
		rows.Add(uint32(c.row))
	}
	rows.RunOptimize()
	return &textMatch{rows: rows, cands: cands}
}

// relevanceOrder returns the indices of cands by descending score, then name and id (ranks: the rows' places in
// the name order). The table's rows cannot change while the match is cached: Apply empties the cache under the
// table's write lock.
func (m *textMatch) relevanceOrder(ranks []int32) []int32 {
	m.once.Do(func() {
		m.relevance = make([]int32, len(m.cands))
		for i := range m.relevance {
			m.relevance[i] = int32(i)
		}
		slices.SortFunc(m.relevance, func(a, b int32) int {
			ca, cb := &m.cands[a], &m.cands[b]
			if c := cmp.Compare(cb.score, ca.score); c != 0 {
				return c
			}
			return cmp.Compare(ranks[ca.row], ranks[cb.row])
		})
	})
	return m.relevance
}

// matchCache keeps the matches of recent free texts, before filters, so that a popular text with other filters,
// facets or pages costs bitmap operations instead of a Bleve run. Apply clears it: entries never outlive the
// index state they were computed on. When it holds more than maxCachedMatches rows in total it is emptied, which
// bounds its memory (about 24 bytes a row with the bitmap and the order: about 48 MB) without the bookkeeping of
// an LRU.
type matchCache struct {
	mu    sync.Mutex
	byKey map[string]*textMatch
	rows  int
}

const maxCachedMatches = 2_000_000

func (c *matchCache) get(key string) (*textMatch, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.byKey[key]
	return m, ok
}

func (c *matchCache) put(key string, m *textMatch) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(m.cands) > maxCachedMatches/4 {
		return
	}
	if c.byKey == nil || c.rows+len(m.cands) > maxCachedMatches {
		c.byKey, c.rows = map[string]*textMatch{}, 0
	}
	c.byKey[key] = m
	c.rows += len(m.cands)
}

func (c *matchCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey, c.rows = nil, 0
}

// textCache keeps, per typed text, what does not depend on the filters: the text's plan (with the commune it
// names) and the snippets and text reasons of the structures already shown for it, so that the next page or
// the next buyer asking the same text runs no Bleve highlight request for them. Apply clears it; gen tells a
// computation started before a clear not to store its stale result.
type textCache struct {
	mu       sync.Mutex
	gen      uint64
	plans    map[string]plannedText
	snippets map[string]hitText
}

// plannedText is a text after commune detection and its plan.
type plannedText struct {
	text, named  string
	lastIsPrefix bool
	plan         textPlan
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

func (c *textCache) hit(key string) (hitText, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	h, ok := c.snippets[key]
	return h, ok
}

func (c *textCache) putHit(key string, h hitText) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.snippets == nil || len(c.snippets) >= maxCachedSnippets {
		c.snippets = map[string]hitText{}
	}
	c.snippets[key] = h
}

func (c *textCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.plans, c.snippets = nil, nil
}

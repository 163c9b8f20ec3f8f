package search

import "sync"

// matchCache keeps the text matches (row, score) of recent free texts, before filters, so that a popular text
// with other filters, facets or pages costs a table pass instead of a Bleve run. Apply clears it: entries never
// outlive the index state they were computed on. When it holds more than maxCachedMatches rows in total it is
// emptied, which bounds its memory (12 bytes a row: about 24 MB) without the bookkeeping of an LRU.
type matchCache struct {
	mu    sync.Mutex
	byKey map[string][]candidate
	rows  int
}

const maxCachedMatches = 2_000_000

func (c *matchCache) get(key string) ([]candidate, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	m, ok := c.byKey[key]
	return m, ok
}

func (c *matchCache) put(key string, m []candidate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(m) > maxCachedMatches/4 {
		return
	}
	if c.byKey == nil || c.rows+len(m) > maxCachedMatches {
		c.byKey, c.rows = map[string][]candidate{}, 0
	}
	c.byKey[key] = m
	c.rows += len(m)
}

func (c *matchCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byKey, c.rows = nil, 0
}

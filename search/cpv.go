package search

import (
	"slices"
	"sort"
	"strings"
)

// CPVConcept is one code of the CPV catalogue with its French label.
type CPVConcept struct {
	Code   string // "45421000-4" or "45421000"
	Label  string
	Parent string // "" for a division
}

// CPVLookup gives the CPV catalogue: internal/refdata provides it from the embedded data.
type CPVLookup interface {
	CPVConcepts() []CPVConcept
}

// CPVConceptsFunc adapts a function to CPVLookup.
type CPVConceptsFunc func() []CPVConcept

// CPVConcepts calls f.
func (f CPVConceptsFunc) CPVConcepts() []CPVConcept { return f() }

// Concept matching: a label word used by more than maxConceptDF labels ("travaux", "services", "produits") is too
// generic to name a concept, so a query need not contain it; a code matches when the query contains every other
// word of its label. At most maxConceptCodes codes are expanded per query word, most specific labels first.
// Words that head whole branches of the catalogue are generic whatever their frequency in a given catalogue.
const (
	maxConceptDF    = 120
	maxConceptCodes = 12
)

// tradeCodes names the codes of trade words the catalogue spells otherwise: movers are "Services de déplacement"
// (98392000), tailoring "Services de confection sur mesure" (98393000). Keep it as short as the synonym list.
var tradeCodes = map[string][]string{
	"déménagement": {"98392000"}, "déménageur": {"98392000"},
	"couture": {"98393000"}, "retouche": {"98393000", "50830000"}, "couturière": {"98393000"},
}

var genericLabelWords = []string{"travaux", "services", "produits", "fournitures", "équipements", "matériel", "divers", "autres", "articles"}

type cpvEntry struct {
	root   string
	label  string
	parent string // root of the parent
	// rare holds the label's stems that name the concept (those used by at most maxConceptDF labels).
	rare []string
}

// cpvCatalog holds the CPV labels and the inverted index stem → codes built once at open.
type cpvCatalog struct {
	byRoot  map[string]*cpvEntry
	byStem  map[string][]*cpvEntry
	entries []*cpvEntry
	trade   map[string][]string // stem → CPV prefixes (tradeCodes)
	// vocabulary lists the folded label words by first byte, for the spelling correction of query words, and
	// stemOf gives their stems.
	vocabulary map[byte][]string
	stemOf     map[string]string
}

func newCPVCatalog(lookup CPVLookup, an analyzers) *cpvCatalog {
	if lookup == nil {
		return nil
	}
	c := &cpvCatalog{byRoot: map[string]*cpvEntry{}, byStem: map[string][]*cpvEntry{}, trade: map[string][]string{},
		vocabulary: map[byte][]string{}}
	for w, codes := range tradeCodes {
		for _, s := range terms(an.stem, w) {
			for _, code := range codes {
				c.trade[s] = append(c.trade[s], cpvPrefix(cpvRoot(code)))
			}
		}
	}
	stemsOf := map[*cpvEntry][]string{}
	for _, k := range lookup.CPVConcepts() {
		root := cpvRoot(k.Code)
		if root == "" {
			continue
		}
		e := &cpvEntry{root: root, label: k.Label, parent: cpvRoot(k.Parent)}
		c.byRoot[root] = e
		c.entries = append(c.entries, e)
		var stems []string
		for _, s := range terms(an.stem, k.Label) {
			stems = appendUnique(stems, s)
		}
		stemsOf[e] = stems
		for _, s := range stems {
			c.byStem[s] = append(c.byStem[s], e)
		}
	}
	c.stemOf = map[string]string{}
	for _, k := range lookup.CPVConcepts() {
		for _, w := range terms(an.word, k.Label) {
			if _, seen := c.stemOf[w]; seen || w == "" {
				continue
			}
			if st := terms(an.stem, w); len(st) == 1 {
				c.stemOf[w] = st[0]
				c.vocabulary[w[0]] = append(c.vocabulary[w[0]], w)
			}
		}
	}
	generic := map[string]bool{}
	for _, w := range genericLabelWords {
		for _, s := range terms(an.stem, w) {
			generic[s] = true
		}
	}
	for e, stems := range stemsOf {
		for _, s := range stems {
			if len(c.byStem[s]) <= maxConceptDF && !generic[s] {
				e.rare = append(e.rare, s)
			}
		}
	}
	return c
}

// labelsWithAncestors returns the labels of a code and of its ancestors, the code's own first.
func (c *cpvCatalog) labelsWithAncestors(code8 string) []string {
	if c == nil {
		return nil
	}
	var out []string
	for e := c.byRoot[code8]; e != nil; e = c.byRoot[e.parent] {
		out = append(out, e.label)
		if e.parent == "" || e.parent == e.root {
			break
		}
	}
	return out
}

// label returns a code's French label.
func (c *cpvCatalog) label(code8 string) string {
	if c == nil || c.byRoot[code8] == nil {
		return ""
	}
	return c.byRoot[code8].label
}

// concepts returns, for one query word given as its set of stems (the word's own and its synonyms'), the codes
// whose label the query names: every rare stem of the label is among queryStems, and at least one is among
// wordStems. Codes below another returned code are dropped: the prefix term already covers them.
func (c *cpvCatalog) concepts(wordStems []string, queryStems map[string]bool) []string {
	if c == nil {
		return nil
	}
	var found []*cpvEntry
	seen := map[*cpvEntry]bool{}
	for _, s := range wordStems {
		for _, e := range c.byStem[s] {
			if seen[e] || len(e.rare) == 0 || !slices.Contains(e.rare, s) {
				continue
			}
			seen[e] = true
			covered := true
			for _, r := range e.rare {
				if !queryStems[r] {
					covered = false
					break
				}
			}
			if covered {
				found = append(found, e)
			}
		}
	}
	sort.Slice(found, func(i, j int) bool {
		if len(found[i].rare) != len(found[j].rare) {
			return len(found[i].rare) > len(found[j].rare)
		}
		return found[i].root < found[j].root
	})
	var prefixes []string
	candidates := make([]string, 0, len(found))
	for _, s := range wordStems {
		candidates = append(candidates, c.trade[s]...)
	}
	for _, e := range found {
		candidates = append(candidates, cpvPrefix(e.root))
	}
	for _, p := range candidates {
		if slices.ContainsFunc(prefixes, func(q string) bool { return strings.HasPrefix(p, q) }) {
			continue
		}
		prefixes = slices.DeleteFunc(prefixes, func(q string) bool { return strings.HasPrefix(q, p) })
		prefixes = append(prefixes, p)
		if len(prefixes) == maxConceptCodes {
			break
		}
	}
	return prefixes
}

// correct returns the stem of the catalogue word nearest to a typed (folded) word, within maxEdits edits (a swap of
// two letters counts as one) and with the same first letter, or "" when none is that near: "menusierie" →
// "menuiserie" → stem "menuis", which then names its CPV concepts and synonyms. Ties go to the word whose stem
// the most labels use.
func (c *cpvCatalog) correct(word string, maxEdits int) string {
	if c == nil || word == "" || maxEdits == 0 {
		return ""
	}
	best, bestD, bestN := "", maxEdits+1, 0
	for _, v := range c.vocabulary[word[0]] {
		if abs(len(v)-len(word)) > maxEdits {
			continue
		}
		d := editDistance(word, v, bestD+1)
		if n := len(c.byStem[c.stemOf[v]]); d < bestD || (d == bestD && n > bestN) {
			best, bestD, bestN = v, d, n
		}
	}
	if best == "" || bestD > maxEdits {
		return ""
	}
	return c.stemOf[best]
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal-string-alignment distance of a and b (insertions, deletions, substitutions and
// swaps of adjacent bytes), or limit when it is at least limit.
func editDistance(a, b string, limit int) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin >= limit {
			return limit
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], limit)
}

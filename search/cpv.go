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
}

func newCPVCatalog(lookup CPVLookup, an analyzers) *cpvCatalog {
	if lookup == nil {
		return nil
	}
	c := &cpvCatalog{byRoot: map[string]*cpvEntry{}, byStem: map[string][]*cpvEntry{}}
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
	for _, e := range found {
		p := cpvPrefix(e.root)
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

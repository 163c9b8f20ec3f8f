package refdata

import (
	"cmp"
	"slices"
	"strings"
)

// DefaultSearchLimit is the number of results a search returns when asked for zero or fewer.
const DefaultSearchLimit = 20

// stopWords are skipped when they are not the last query word, so that "travaux de menuiserie" and
// "travaux menuiserie" find the same codes; the last word is kept because the user may be typing "dem…".
var stopWords = map[string]bool{"a": true, "au": true, "aux": true, "d": true, "de": true, "des": true,
	"du": true, "en": true, "et": true, "l": true, "la": true, "le": true, "les": true, "ou": true, "par": true,
	"pour": true, "sur": true, "un": true, "une": true}

type cpvSearchIndex struct {
	labels     []string   // folded French label
	aliases    []string   // folded second wording, often ""
	labelWords [][]string // words of the folded French label only
	depth      []int8     // significant digits of the code
	words      *wordIndex // words of label and alias
}

func (c *Catalog) buildCPVSearch() *cpvSearchIndex {
	ix := &cpvSearchIndex{labels: make([]string, len(c.cpvs)), aliases: make([]string, len(c.cpvs)),
		labelWords: make([][]string, len(c.cpvs)), depth: make([]int8, len(c.cpvs))}
	texts := make([][]string, len(c.cpvs))
	for i, cpv := range c.cpvs {
		ix.labels[i] = Fold(cpv.Label)
		ix.labelWords[i] = strings.Fields(ix.labels[i])
		ix.depth[i] = int8(len(CPVDescendantsPrefixOf(cpv.Code8)))
		texts[i] = ix.labelWords[i]
		if cpv.alias != "" {
			ix.aliases[i] = Fold(cpv.alias)
			texts[i] = append(slices.Clip(texts[i]), strings.Fields(ix.aliases[i])...)
		}
	}
	ix.words = newWordIndex(texts)
	return ix
}

// rank orders the matches of a label query: the label (or its second wording) equal to the query, starting with
// it up to a word boundary, holding every query word whole, starting with it mid-word, and the rest.
func (ix *cpvSearchIndex) rank(i int, query string, wholeLast bitset) int {
	startsAt := func(label string) (bool, bool) {
		if !strings.HasPrefix(label, query) {
			return false, false
		}
		return true, len(label) == len(query) || label[len(query)] == ' '
	}
	starts, boundary := startsAt(ix.labels[i])
	if ix.aliases[i] != "" {
		aliasStarts, aliasBoundary := startsAt(ix.aliases[i])
		starts, boundary = starts || aliasStarts, boundary || aliasBoundary
	}
	switch {
	case ix.labels[i] == query || ix.aliases[i] == query:
		return 0
	case boundary:
		return 1
	case wholeLast.has(i):
		return 2
	case starts:
		return 3
	}
	return 4
}

// SearchCPV serves the CPV autocomplete. A query of digits ("4542", "45421000", "45421000-4") lists the codes
// starting with it (for a whole code: the code and its descendants), level by level, the code itself first. Any other query is read as French label words, accent- and
// case-insensitive: every word must appear in the label (singular and plural alike), the last one possibly as a
// prefix. Results rank the label equal to the query first, then labels starting with it, then labels holding all
// words whole, then the rest; within a rank, labels of fewer words, then higher levels (shorter codes) come first.
// limit <= 0 means DefaultSearchLimit.
func (c *Catalog) SearchCPV(q string, limit int) []CPV {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	if code, ok := cpvCodeQuery(q); ok {
		return c.searchCPVCode(code, limit)
	}
	query := Fold(q)
	words := strings.Fields(query)
	if len(words) == 0 {
		return nil
	}
	ix := c.cpvSearch()
	whole := ix.words.whole(words[len(words)-1])
	type hit struct{ i, rank, words, depth int }
	var hits []hit
	ix.words.match(words, stopWords, nil).each(func(i int) {
		hits = append(hits, hit{i, ix.rank(i, query, whole), len(ix.labelWords[i]), int(ix.depth[i])})
	})
	slices.SortFunc(hits, func(a, b hit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(a.words, b.words), cmp.Compare(a.depth, b.depth),
			cmp.Compare(a.i, b.i))
	})
	out := make([]CPV, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, c.cpvs[h.i])
	}
	return out
}

// cpvCodeQuery recognises a query that is a code or the start of one, returning it without a check digit but
// keeping a full "45421000-4" whole so that its check digit is verified.
func cpvCodeQuery(q string) (string, bool) {
	q = strings.TrimSuffix(strings.TrimSpace(q), "-") // "45421000-" while the check digit is being typed
	if len(q) == 10 && q[8] == '-' && isDigits(q[:8]) && isDigits(q[9:]) {
		return q, true
	}
	return q, len(q) <= 8 && isDigits(q)
}

func (c *Catalog) searchCPVCode(code string, limit int) []CPV {
	if len(code) >= 8 {
		// A whole code stands for its branch: "45000000" lists 45…, like the prefix "45" does.
		if _, ok := c.cpvIndex(code); !ok {
			return nil
		}
		code = CPVDescendantsPrefixOf(code)
	}
	from, _ := slices.BinarySearchFunc(c.cpvs, code, func(cpv CPV, p string) int { return strings.Compare(cpv.Code8, p) })
	to := from
	for to < len(c.cpvs) && strings.HasPrefix(c.cpvs[to].Code8, code) {
		to++
	}
	matches := slices.Clone(c.cpvs[from:to])
	// The codes are in code order, which already puts a parent before its children; sorting by level lists a
	// whole level before going deeper, which reads better for short prefixes.
	slices.SortStableFunc(matches, func(a, b CPV) int {
		return cmp.Compare(len(CPVDescendantsPrefixOf(a.Code8)), len(CPVDescendantsPrefixOf(b.Code8)))
	})
	return matches[:min(limit, len(matches))]
}

// CPVLabelIndex returns, for each word of the folded French labels (see Fold), the codes whose label contains
// it, in code order. Words are whole folded words ("menuiserie", "creches"), stop words included; the second
// wordings searched by SearchCPV are left out. The search team uses it to expand free-text queries into CPV
// codes. It builds a new map on each call, which the caller owns: call it once.
func (c *Catalog) CPVLabelIndex() map[string][]string {
	ix := c.cpvSearch()
	out := map[string][]string{}
	for i, words := range ix.labelWords {
		for _, w := range words {
			if codes := out[w]; len(codes) == 0 || codes[len(codes)-1] != c.cpvs[i].Code {
				out[w] = append(codes, c.cpvs[i].Code)
			}
		}
	}
	return out
}

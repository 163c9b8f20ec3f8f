package search

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/essor-ess/essor/internal/refdata"
)

// CommuneNames finds communes by their name as a buyer types it in a query; the CommunePlaces given to Open may
// implement it (CatalogPlaces does) for a commune named in the text to act as the commune filter.
type CommuneNames interface {
	// CommunesNamed returns the INSEE codes of the communes whose folded name (lower case, no accents, words
	// separated by single spaces, as in "sainte luce sur loire") is name, or, when none is, whose name is
	// name followed by " sur …" ("sainte luce" → Sainte-Luce-sur-Loire).
	CommunesNamed(name string) []string
}

// Reading a commune in the text: the longest run of at most maxCommuneWords typed words that is exactly a commune's
// folded name ("entretien espaces verts Rezé", "imprimerie la chapelle sur erdre"), with the preposition before
// it ("à Vertou"). Runs are tried longest first, left to right, so "Sainte-Luce-sur-Loire" is one commune, never
// "Loire". A one-word name must have at least minCommuneLetters letters and must not be a word of the trade
// vocabulary (a stem of a CPV label or of a synonym: "Bois") and the directory must have structures in its
// département (pickCommune): a commune called like a trade word is only read when the buyer spells a longer form.
// When several communes share the name, the one where the directory has the most structures wins.
const (
	maxCommuneWords   = 6
	minCommuneLetters = 4
)

var communePrepositions = map[string]bool{"a": true, "au": true, "aux": true, "en": true, "sur": true, "de": true, "d": true, "pres": true, "vers": true}

// detectCommune returns the text without the commune it names and that commune's INSEE code, or the text unchanged
// and "" when it names none (or when explicit is set: an explicit commune filter wins and the text stays whole).
func (ix *Index) detectCommune(ctx context.Context, text, explicit string) (string, string) {
	names, ok := ix.places.(CommuneNames)
	if !ok || explicit != "" || text == "" {
		return text, ""
	}
	words := strings.Fields(text)
	folded := make([]string, len(words))
	for i, w := range words {
		folded[i] = refdata.Fold(w)
	}
	for n := min(maxCommuneWords, len(words)); n >= 1; n-- {
		for start := 0; start+n <= len(words); start++ {
			name := strings.Join(folded[start:start+n], " ")
			if n == 1 && (utf8.RuneCountInString(name) < minCommuneLetters || ix.tradeWord(name)) {
				continue
			}
			insee := ix.pickCommune(ctx, names.CommunesNamed(name), n == 1)
			if insee == "" {
				continue
			}
			from := start
			if from > 0 && communePrepositions[folded[from-1]] {
				from--
			}
			rest := append(append([]string{}, words[:from]...), words[start+n:]...)
			return strings.Join(rest, " "), insee
		}
	}
	return text, ""
}

// tradeWord reports whether a folded word is part of the vocabulary of CPV labels or synonyms.
func (ix *Index) tradeWord(word string) bool {
	for _, s := range terms(ix.an.stem, word) {
		if ix.syn.has(s) || (ix.cpv != nil && len(ix.cpv.byStem[s]) > 0) {
			return true
		}
	}
	return false
}

// pickCommune chooses among homonyms the commune where the directory has the most structures, then the most in
// its département. A one-word name (oneWord) is only read when the directory has a structure in that département:
// "couture" is a commune of the Charente but, to a buyer of Nantes, a trade.
func (ix *Index) pickCommune(ctx context.Context, candidates []string, oneWord bool) string {
	if len(candidates) == 1 && !oneWord {
		return candidates[0]
	}
	best, bestHere, bestAround := "", uint64(0), uint64(0)
	for _, c := range candidates {
		here := ix.countTerm(ctx, "commune", c)
		around := uint64(0)
		if p, ok := ix.places.CommunePlace(c); ok {
			around = ix.countTerm(ctx, "area", "home:departement:"+p.Department)
		}
		if oneWord && around == 0 {
			continue
		}
		if best == "" || here > bestHere || (here == bestHere && around > bestAround) {
			best, bestHere, bestAround = c, here, around
		}
	}
	return best
}

// countTerm counts the structures holding a keyword.
func (ix *Index) countTerm(ctx context.Context, field, value string) uint64 {
	q := query.NewTermQuery(value)
	q.SetField(field)
	res, err := ix.bleve.SearchInContext(ctx, bleve.NewSearchRequestOptions(q, 0, 0, false))
	if err != nil {
		return 0
	}
	return res.Total
}

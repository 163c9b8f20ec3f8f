package refdata

import (
	"cmp"
	"slices"
	"strings"
)

// communeAliases are the abbreviations people type for the words that start so many commune names.
var communeAliases = map[string]string{"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}

type communeSearchIndex struct {
	names     []string // folded
	words     *wordIndex
	postcodes []postcodeEntry // sorted by code
}

type communeHit struct{ i, rank, population int }

type postcodeEntry struct {
	code    string
	commune int
}

func (c *Catalog) buildCommuneSearch() *communeSearchIndex {
	ix := &communeSearchIndex{names: make([]string, len(c.communes))}
	texts := make([][]string, len(c.communes))
	for i, cm := range c.communes {
		ix.names[i] = Fold(cm.Name)
		texts[i] = strings.Fields(ix.names[i])
		for _, p := range cm.Postcodes {
			ix.postcodes = append(ix.postcodes, postcodeEntry{p, i})
		}
	}
	ix.words = newWordIndex(texts)
	slices.SortFunc(ix.postcodes, func(a, b postcodeEntry) int {
		return cmp.Or(strings.Compare(a.code, b.code), cmp.Compare(a.commune, b.commune))
	})
	return ix
}

// SearchCommunes serves the commune autocomplete. The query is an INSEE code ("44162", "2A004"), the start of a
// postcode ("44", "44800"), or name words matched like Fold does, insensitive to accents, case and hyphens,
// with "st"/"ste" read as "saint"/"sainte"; the last word may be a prefix. The exact INSEE code comes first, then
// exact names or postcodes, then names or postcodes starting with the query, then the rest; bigger communes
// first within each. limit <= 0 means DefaultSearchLimit.
func (c *Catalog) SearchCommunes(q string, limit int) []Commune {
	if limit <= 0 {
		limit = DefaultSearchLimit
	}
	query := Fold(q)
	if query == "" {
		return nil
	}
	ix := c.commSearch()
	var hits []communeHit
	consider := func(i, rank int) { hits = append(hits, communeHit{i, rank, c.communes[i].Population}) }
	if i, ok := c.communeByID[strings.ToUpper(query)]; ok {
		consider(i, 0)
	}
	if isDigits(query) && len(query) <= 5 {
		c.matchPostcodes(ix, query, consider)
	} else {
		c.matchCommuneNames(ix, query, consider)
	}
	// A commune reached twice (its INSEE code and a postcode, or two postcodes) keeps its best rank.
	slices.SortFunc(hits, func(a, b communeHit) int { return cmp.Or(cmp.Compare(a.i, b.i), cmp.Compare(a.rank, b.rank)) })
	hits = slices.CompactFunc(hits, func(a, b communeHit) bool { return a.i == b.i })
	slices.SortFunc(hits, func(a, b communeHit) int {
		return cmp.Or(cmp.Compare(a.rank, b.rank), cmp.Compare(b.population, a.population),
			strings.Compare(ix.names[a.i], ix.names[b.i]), cmp.Compare(a.i, b.i))
	})
	out := make([]Commune, 0, min(limit, len(hits)))
	for _, h := range hits[:min(limit, len(hits))] {
		out = append(out, c.communes[h.i])
	}
	return out
}

func (c *Catalog) matchPostcodes(ix *communeSearchIndex, prefix string, consider func(i, rank int)) {
	from, _ := slices.BinarySearchFunc(ix.postcodes, prefix, func(e postcodeEntry, p string) int {
		return strings.Compare(e.code, p)
	})
	for k := from; k < len(ix.postcodes) && strings.HasPrefix(ix.postcodes[k].code, prefix); k++ {
		rank := 2
		if ix.postcodes[k].code == prefix {
			rank = 1
		}
		consider(ix.postcodes[k].commune, rank)
	}
}

func (c *Catalog) matchCommuneNames(ix *communeSearchIndex, query string, consider func(i, rank int)) {
	words := strings.Fields(query)
	for k, w := range words {
		if alias, ok := communeAliases[w]; ok && k < len(words)-1 {
			words[k] = alias // an abbreviation the user has finished typing
		}
	}
	expanded := strings.Join(words, " ")
	ix.words.match(words, stopWords, communeAliases).each(func(i int) {
		switch name := ix.names[i]; {
		case name == query || name == expanded:
			consider(i, 1)
		case strings.HasPrefix(name, query) || strings.HasPrefix(name, expanded):
			consider(i, 2)
		default:
			consider(i, 3)
		}
	})
}

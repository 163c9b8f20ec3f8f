package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/essor-ess/essor/internal/domain"
)

// MaxQueryText is the longest free text a search accepts, in characters.
const MaxQueryText = domain.MaxSearchTextRunes

// ParseQueryText turns a buyer's input into plain words: letters, digits and apostrophes (for elisions such as
// "d'insertion") separated by single spaces. Everything else, including every character of Bleve's query-string,
// wildcard and regexp syntax, becomes a space, so no user input ever reaches a query parser. Text longer than
// MaxQueryText characters is refused.
func ParseQueryText(s string) (string, error) {
	s = strings.ToValidUTF8(s, " ")
	if utf8.RuneCountInString(s) > MaxQueryText {
		return "", invalid("q", fmt.Sprintf("must be at most %d characters", MaxQueryText))
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		keep := unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '\'' || r == '’'
		if !keep {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if r == '’' {
			r = '\''
		}
		b.WriteRune(r)
	}
	return b.String(), nil
}

func invalid(location, message string) error {
	var p domain.Problems
	p.Add(location, "%s", message)
	return p.Err()
}

// Field weights of a typed word. Every text field (name, brand, description, labels, offers) is in _all; a word
// in the name or an offer title counts again, so it outweighs one in a description; the CPV labels of the
// offers' codes count less than text the structure wrote itself. Each extra field clause walks that field's
// postings for every query, so only the two that matter most for ranking have one.
const (
	boostName       = 3.0
	boostOfferTitle = 2.0
	boostAll        = 1.0
	boostCPVLabels  = 0.6
	boostFuzzy      = 0.4
	boostPrefix     = 0.5
	boostConcept    = 1.5
	boostInclusion  = 3.0
	// boostFullMatch weighs, in the relaxed query, the structures that match the strict one (see planText).
	boostFullMatch = 10.0
)

// fuzziness is the edit distance a typed word tolerates: none below 5 letters, 1 for 5 to 7, 2 from 8 on.
func fuzziness(word string) int {
	switch n := utf8.RuneCountInString(word); {
	case n >= 8:
		return 2
	case n >= 5:
		return 1
	}
	return 0
}

// textPlan is the Bleve query of a free text and what reasons need to explain it.
type textPlan struct {
	query query.Query
	// relaxed matches any of the words (nil for one word): Search runs it when query fills less than a page, and
	// Bleve's coordination factor still ranks the structures with every word first.
	relaxed  query.Query
	words    []string            // folded typed words, stop words removed
	concepts map[string][]string // CPV prefix → typed words that named it
}

// planText builds the query: one clause per typed word (exact stem on weighted fields, fuzzy, prefix for the
// last word, synonyms, inclusion terms, CPV concepts); with 3 or more words, all but a quarter must match, so
// a word the directory does not know (a commune name, a typo too far) does not empty the result.
func (ix *Index) planText(text string, lastIsPrefix bool) textPlan {
	plan := textPlan{concepts: map[string][]string{}}
	words := terms(ix.an.word, text)
	if len(words) == 0 {
		return plan
	}
	stems := make([]string, len(words))
	for i, w := range words {
		stems[i] = w
		if s := terms(ix.an.stem, w); len(s) == 1 {
			stems[i] = s[0]
		}
	}
	plan.words = words
	// A word the index does not hold is corrected toward the CPV vocabulary: the correction then finds synonyms and
	// CPV concepts, and its term is matched next to the typed one (wordClause).
	corrected := make([]string, len(words))
	expandable := slices.Clone(stems)
	for i, w := range words {
		if f := fuzziness(w); f > 0 && !ix.syn.has(stems[i]) && (ix.cpv == nil || len(ix.cpv.byStem[stems[i]]) == 0) && ix.countTerm(context.Background(), "_all", stems[i]) == 0 {
			if c := ix.cpv.correct(w, f); c != "" && c != stems[i] {
				corrected[i], expandable[i] = c, c
			}
		}
	}
	expansions := ix.syn.expand(expandable)
	queryStems := map[string]bool{}
	for i := range stems {
		queryStems[stems[i]] = true
		queryStems[expandable[i]] = true
		for _, p := range expansions[i].phrases {
			for _, s := range p {
				queryStems[s] = true
			}
		}
	}
	clauses := make([]query.Query, 0, len(words))
	for i, w := range words {
		c := ix.wordClause(w, stems[i], corrected[i], expansions[i], queryStems, lastIsPrefix && i == len(words)-1, &plan)
		clauses = append(clauses, c)
	}
	if len(clauses) == 1 {
		plan.query = clauses[0]
		return plan
	}
	d := query.NewDisjunctionQuery(clauses)
	min := len(clauses)
	if len(clauses) >= 3 {
		min = len(clauses) * 3 / 4
	}
	d.SetMin(float64(min))
	plan.query = d
	// The coordination factor alone does not keep full matches first: a structure named after one word ("Déménageurs
	// Solidaires" for "demenageur bureaux") outscores the ones with both words in an offer title. The strict query
	// is one more disjunct, weighted so that its matches rank first, and the relaxed words only fill the page.
	strict := query.NewDisjunctionQuery(clauses)
	strict.SetMin(float64(min))
	strict.SetBoost(boostFullMatch)
	relaxed := query.NewDisjunctionQuery(append(slices.Clone(clauses), strict))
	relaxed.SetMin(1)
	plan.relaxed = relaxed
	return plan
}

func term(field, t string, boost float64) query.Query {
	q := query.NewTermQuery(t)
	q.SetField(field)
	q.SetBoost(boost)
	return q
}

func (ix *Index) wordClause(word, stem, corrected string, exp expansion, queryStems map[string]bool, prefix bool, plan *textPlan) query.Query {
	qs := []query.Query{
		term("_all", stem, boostAll),
		term("name", stem, boostName),
		term("offers.title", stem, boostOfferTitle),
		term("cpv_labels", stem, boostCPVLabels),
	}
	wordStems := []string{stem}
	if corrected != "" {
		qs = append(qs, term("_all", corrected, boostAll), term("offers.title", corrected, boostOfferTitle),
			term("cpv_labels", corrected, boostCPVLabels))
		wordStems = append(wordStems, corrected)
	}
	if f := fuzziness(word); f > 0 {
		q := query.NewFuzzyQuery(stem)
		q.SetField("_all")
		q.SetFuzziness(f)
		q.SetPrefix(1)
		q.SetBoost(boostFuzzy)
		qs = append(qs, q)
	}
	if prefix && utf8.RuneCountInString(word) >= 3 {
		for _, p := range []string{word, stem} {
			q := query.NewPrefixQuery(p)
			q.SetField("_all")
			q.SetBoost(boostPrefix)
			qs = append(qs, q)
			if p == stem || strings.HasPrefix(word, stem) {
				break
			}
		}
	}
	if _, ok := inclusionFamilies[word]; ok {
		qs = append(qs, term("inclusion", word, boostInclusion))
	}
	for _, k := range exp.inclusion {
		qs = append(qs, term("inclusion", k, boostInclusion))
	}
	for i, p := range exp.phrases {
		wordStems = append(wordStems, p...)
		qs = append(qs, phraseClause("_all", p, synonymBoost))
		if exp.titled[i] {
			qs = append(qs, phraseClause("offers.title", p, synonymBoost))
		}
	}
	for _, p := range ix.cpv.concepts(wordStems, queryStems) {
		qs = append(qs, term("cpv", p, boostConcept))
		plan.concepts[p] = appendUnique(plan.concepts[p], word)
	}
	return query.NewDisjunctionQuery(qs)
}

// phraseClause matches every stem of a phrase in one field.
func phraseClause(field string, stems []string, boost float64) query.Query {
	if len(stems) == 1 {
		return term(field, stems[0], boost)
	}
	parts := make([]query.Query, len(stems))
	for i, s := range stems {
		parts[i] = term(field, s, 1)
	}
	c := query.NewConjunctionQuery(parts)
	c.SetBoost(boost)
	return c
}

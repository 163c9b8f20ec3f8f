package search

import (
	"strings"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
)

// Analyzer names registered in the mapping. The stock "fr" analyzer folds accents only inside its light stemmer and
// only on words longer than four letters ("café" stays "café" while a buyer types "cafe"), so the chain folds
// first, on the raw text, and the stop list is folded to match.
const (
	analyzerFrench     = "essor_fr"
	analyzerFrenchWord = "essor_fr_word"
	analyzerCPVLabels  = "essor_fr_cpv_labels" // essor_fr, remembered per label (memo_analyzer.go)
	stopFoldedName     = "essor_stop_fr_folded"
)

// folder is bleve's ASCII folding. It runs as a token filter, not as a char filter before the tokenizer: a char
// filter shortens "é" (2 bytes) to "e" (1 byte) and the highlighter's offsets then cut characters in two.
var folder = asciifolding.New()

const foldFilterName = "essor_asciifolding"

type foldFilter struct{}

func (foldFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	for _, t := range input {
		t.Term = folder.Filter(t.Term)
	}
	return input
}

func init() {
	if err := registry.RegisterTokenFilter(foldFilterName, func(map[string]interface{}, *registry.Cache) (analysis.TokenFilter, error) {
		return foldFilter{}, nil
	}); err != nil {
		panic(err) // a name clash at start-up is a programming error
	}
}

// foldString folds case and accents the way indexed text is folded.
func foldString(s string) string { return strings.ToLower(string(folder.Filter([]byte(s)))) }

// foldedStopWords is bleve's French stop list folded, so that "à" or "été" are still stop words after folding.
func foldedStopWords() []interface{} {
	words := analysis.NewTokenMap()
	if err := words.LoadBytes(fr.FrenchStopWords); err != nil {
		panic(err)
	}
	seen := map[string]bool{}
	var out []interface{}
	for w := range words {
		f := foldString(w)
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	return out
}

// registerAnalysis adds the folded French analyzers to a mapping: essor_fr (with light stemming) for text, and
// essor_fr_word (the same chain without the stemmer) used at query time to know each word's typed length.
func registerAnalysis(m *mapping.IndexMappingImpl) error {
	if err := m.AddCustomTokenMap(stopFoldedName, map[string]interface{}{
		"type":   tokenmap.Name,
		"tokens": foldedStopWords(),
	}); err != nil {
		return err
	}
	if err := m.AddCustomTokenFilter("essor_stop_fr", map[string]interface{}{
		"type":           stop.Name,
		"stop_token_map": stopFoldedName,
	}); err != nil {
		return err
	}
	base := []interface{}{foldFilterName, fr.ElisionName, lowercase.Name, "essor_stop_fr"}
	if err := m.AddCustomAnalyzer(analyzerFrenchWord, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": base,
	}); err != nil {
		return err
	}
	return m.AddCustomAnalyzer(analyzerFrench, map[string]interface{}{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": append(base, fr.LightStemmerName),
	})
}

// analyzers holds the two French analyzers built once, for query analysis and the CPV concept index.
type analyzers struct {
	stem, word analysis.Analyzer
}

func newAnalyzers() analyzers {
	m := mapping.NewIndexMapping()
	if err := registerAnalysis(m); err != nil {
		panic(err)
	}
	return analyzers{stem: m.AnalyzerNamed(analyzerFrench), word: m.AnalyzerNamed(analyzerFrenchWord)}
}

// terms returns the analyzed terms of s.
func terms(a analysis.Analyzer, s string) []string {
	var out []string
	for _, t := range a.Analyze([]byte(s)) {
		out = append(out, string(t.Term))
	}
	return out
}

// MappingVersion identifies the mapping and analysis chain. Bump it on any change to the mapping, the analyzers or
// the stored record: Open then reports ErrMappingMismatch and the caller rebuilds.
const MappingVersion = 2

// newIndexMapping is the explicit mapping of Document; dynamic mapping is off so that no field is indexed by
// accident (representatives are not in Document, and could not slip in through an unmapped field either).
func newIndexMapping() (*mapping.IndexMappingImpl, error) {
	m := mapping.NewIndexMapping()
	if err := registerAnalysis(m); err != nil {
		return nil, err
	}
	m.DefaultAnalyzer = analyzerFrench
	m.StoreDynamic = false
	m.IndexDynamic = false
	m.DocValuesDynamic = false

	text := func(store bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzerFrench
		f.Store = store
		f.IncludeTermVectors = store
		f.IncludeInAll = true
		f.DocValues = false
		return f
	}
	keyword := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Store = false
		f.IncludeInAll = false
		f.IncludeTermVectors = false
		f.DocValues = false
		return f
	}
	boolean := func() *mapping.FieldMapping {
		f := mapping.NewBooleanFieldMapping()
		f.Store, f.IncludeInAll, f.DocValues = false, false, false
		return f
	}

	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("name", text(true))
	doc.AddFieldMappingsAt("brand", text(true))
	doc.AddFieldMappingsAt("description", text(true))
	doc.AddFieldMappingsAt("labels", text(true))
	if err := m.AddCustomAnalyzer(analyzerCPVLabels, map[string]interface{}{"type": memoAnalyzerType, "base": m.CustomAnalysis.Analyzers[analyzerFrench]}); err != nil {
		return nil, err
	}
	cpvLabels := text(false)
	cpvLabels.IncludeInAll = false
	cpvLabels.Analyzer = analyzerCPVLabels
	doc.AddFieldMappingsAt("cpv_labels", cpvLabels)

	offers := mapping.NewDocumentStaticMapping()
	offers.AddFieldMappingsAt("title", text(true))
	offers.AddFieldMappingsAt("description", text(true))
	doc.AddSubDocumentMapping("offers", offers)

	for _, name := range []string{"cpv", "area", "legal_family", "inclusion", "kind", "commune", "headcount", "status"} {
		doc.AddFieldMappingsAt(name, keyword())
	}
	for _, name := range []string{"first_time", "open_to_cotraitance", "verified"} {
		doc.AddFieldMappingsAt(name, boolean())
	}
	row := keyword()
	row.DocValues = true
	doc.AddFieldMappingsAt("row", row)
	rec := mapping.NewTextFieldMapping()
	rec.Index, rec.Store, rec.IncludeInAll, rec.IncludeTermVectors, rec.DocValues = false, true, false, false, false
	doc.AddFieldMappingsAt("rec", rec)

	m.DefaultMapping = doc
	m.TypeField = "_essor_type_unused"
	return m, m.Validate()
}

package search

import (
	"fmt"
	"sync"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/registry"
)

// memoAnalyzerType is an analyzer type that remembers the tokens of the texts it has analysed. It serves the CPV
// labels: every structure's document repeats the French labels of its offers' codes and their ancestors (about 37
// tokens a document, 40% of its text), drawn from a catalogue of a few thousand labels, so analysing each label
// once instead of once per document takes a large share of the rebuild's analysis away. The tokens are the base
// analyzer's, so the index is the same. Bleve reads a token stream without changing it.
const memoAnalyzerType = "essor_memo"

// maxMemoTexts bounds the memory of one memo analyzer; past it, texts are analysed without being remembered.
const maxMemoTexts = 50_000

type memoAnalyzer struct {
	base analysis.Analyzer
	mu   sync.RWMutex
	seen map[string]analysis.TokenStream
}

func init() {
	if err := registry.RegisterAnalyzer(memoAnalyzerType, func(config map[string]interface{}, cache *registry.Cache) (analysis.Analyzer, error) {
		// The base is described inline rather than named: Bleve defines a mapping's analyzers in map order when it
		// opens an index, so a named one might not be defined yet.
		baseConfig, ok := config["base"].(map[string]interface{})
		if !ok {
			return nil, fmt.Errorf("%s: the configuration of the analyzer to remember is missing", memoAnalyzerType)
		}
		base, err := custom.AnalyzerConstructor(baseConfig, cache)
		if err != nil {
			return nil, err
		}
		return &memoAnalyzer{base: base, seen: map[string]analysis.TokenStream{}}, nil
	}); err != nil {
		panic(err) // a name clash at start-up is a programming error
	}
}

func (a *memoAnalyzer) Analyze(input []byte) analysis.TokenStream {
	a.mu.RLock()
	tokens, ok := a.seen[string(input)]
	a.mu.RUnlock()
	if ok {
		return tokens
	}
	tokens = a.base.Analyze(input)
	a.mu.Lock()
	if len(a.seen) < maxMemoTexts {
		a.seen[string(input)] = tokens
	}
	a.mu.Unlock()
	return tokens
}

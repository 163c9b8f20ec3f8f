package searchbench

import (
	"context"
	"strings"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/char/asciifolding"
	"github.com/blevesearch/bleve/v2/analysis/lang/fr"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// StockBleve is the baseline a developer gets from Bleve's documentation: the French analyzer with ASCII folding
// in front, every text (name, description, offers, the CPV labels of the offers' codes) in one field, a match
// query with fuzziness 1 whose words are OR-ed and scored by TF-IDF, and commune coverage precomputed as
// keywords. No synonyms, no CPV concepts, no reading of a commune in the text.
type StockBleve struct {
	ix bleve.Index
}

type stockDoc struct {
	Text   string   `json:"text"`
	Covers []string `json:"covers"`
	CPV    []string `json:"cpv"`
}

// NewStockBleve indexes structures in a new index at dir.
func NewStockBleve(dir string, structures []domain.Structure) (*StockBleve, error) {
	m := mapping.NewIndexMapping()
	if err := m.AddCustomAnalyzer("fr_folded", map[string]any{
		"type":          custom.Name,
		"char_filters":  []any{asciifolding.Name},
		"tokenizer":     unicode.Name,
		"token_filters": []any{fr.ElisionName, lowercase.Name, fr.StopName, fr.LightStemmerName},
	}); err != nil {
		return nil, err
	}
	doc := mapping.NewDocumentStaticMapping()
	text := mapping.NewTextFieldMapping()
	text.Analyzer = "fr_folded"
	text.Store = false
	doc.AddFieldMappingsAt("text", text)
	kw := mapping.NewKeywordFieldMapping()
	kw.Store = false
	doc.AddFieldMappingsAt("covers", kw)
	doc.AddFieldMappingsAt("cpv", kw)
	m.DefaultMapping = doc
	m.DefaultAnalyzer = "fr_folded"
	ix, err := bleve.New(dir, m)
	if err != nil {
		return nil, err
	}
	s := &StockBleve{ix: ix}
	cat := refdata.Default()
	communes := cat.NantesMetropole()
	b := ix.NewBatch()
	for _, st := range structures {
		if err := b.Index(st.ID, stockDocument(st, cat, communes)); err != nil {
			return nil, err
		}
		if b.Size() >= 1000 {
			if err := ix.Batch(b); err != nil {
				return nil, err
			}
			b.Reset()
		}
	}
	return s, ix.Batch(b)
}

func stockDocument(s domain.Structure, cat *refdata.Catalog, communes []refdata.Commune) stockDoc {
	parts := []string{s.Name, s.Brand, s.Description, strings.Join(s.Labels, " ")}
	d := stockDoc{}
	for _, o := range s.Offers {
		parts = append(parts, o.Title, o.Description)
		for _, c := range o.CPVCodes {
			if k, ok := cat.CPV(c); ok {
				parts = append(parts, k.Label)
			}
			d.CPV = append(d.CPV, cpvPrefixes(c)...)
		}
		for _, insee := range CoveredCommunes(o, s.Location, communes) {
			if !contains(d.Covers, insee) {
				d.Covers = append(d.Covers, insee)
			}
		}
	}
	d.Text = strings.Join(parts, "\n")
	return d
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// cpvPrefixes are the prefixes of every level of a code, so that a term query on a code's prefix finds it and its
// descendants (45421000 → 45, 454, 4542, 45421).
func cpvPrefixes(code string) []string {
	root := strings.TrimRight(code[:min(len(code), 8)], "0")
	var out []string
	for n := 2; n <= len(root); n++ {
		out = append(out, root[:n])
	}
	return out
}

// cpvRoot is a code without its check digit and trailing zeros: the prefix shared by its descendants.
func cpvRoot(code string) string {
	r := strings.TrimRight(code[:min(len(code), 8)], "0")
	if len(r) < 2 {
		r = code[:2]
	}
	return r
}

// Close closes the index.
func (s *StockBleve) Close() error { return s.ix.Close() }

// Request is one query of the benchmark mix, understood by every engine.
type Request struct {
	Text     string
	CPV      []string
	Commune  string
	Near     *domain.GeoPoint
	RadiusKM float64
	// Facets asks for legal_family, inclusion and cpv_division counted over the whole result set.
	Facets bool
	Size   int
}

func (s *StockBleve) query(r Request) query.Query {
	var must []query.Query
	if t := strings.TrimSpace(r.Text); t != "" {
		m := query.NewMatchQuery(t)
		m.SetField("text")
		m.SetFuzziness(1)
		must = append(must, m)
	}
	if r.Commune != "" {
		q := query.NewTermQuery(r.Commune)
		q.SetField("covers")
		must = append(must, q)
	}
	if len(r.CPV) > 0 {
		var any []query.Query
		for _, c := range r.CPV {
			q := query.NewTermQuery(cpvRoot(c))
			q.SetField("cpv")
			any = append(any, q)
		}
		must = append(must, query.NewDisjunctionQuery(any))
	}
	if len(must) == 0 {
		return query.NewMatchAllQuery()
	}
	return query.NewConjunctionQuery(must)
}

// Judge runs a judged query and returns the first page's ids.
func (s *StockBleve) Judge(q JudgedQuery) ([]string, error) {
	req := bleve.NewSearchRequestOptions(s.query(Request{Text: q.Text, Commune: q.Commune, CPV: q.CPV}), Cutoff, 0, false)
	req.SortBy([]string{"-_score", "_id"})
	res, err := s.ix.SearchInContext(context.Background(), req)
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		ids[i] = h.ID
	}
	return ids, nil
}

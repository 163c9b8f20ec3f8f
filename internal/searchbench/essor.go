package searchbench

import (
	"context"

	"github.com/essor-ess/essor/search"
)

// EssorJudge runs a judged query through Essor's index: the text, the commune and CPV filters, the first page.
func EssorJudge(ix *search.Index) func(JudgedQuery) ([]string, error) {
	return func(q JudgedQuery) ([]string, error) {
		res, err := ix.Search(context.Background(), search.Query{Text: q.Text + " ", Commune: q.Commune, CPV: q.CPV, Size: Cutoff})
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.ID
		}
		return ids, nil
	}
}

package searchbench

import (
	"context"
	"os"
	"testing"

	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/search"
)

// postgresURL is the server the PostgreSQL baseline creates its database on.
func postgresURL() string {
	if u := os.Getenv("TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// TestQualityComparison prints the relevance of Essor, the stock Bleve baseline and the PostgreSQL baseline (words
// AND-ed by plainto_tsquery, and OR-ed) on the judged set, side by side; it fails if Essor is not the best.
func TestQualityComparison(t *testing.T) {
	structures, queries, err := LoadJudged("../../search/testdata/quality")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	cat := refdata.Default()
	ix, err := search.Open(t.TempDir()+"/essor", search.Options{CPV: search.CatalogCPV(cat), Places: search.CatalogPlaces(cat)})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Apply(ctx, structures, nil, 1); err != nil {
		t.Fatal(err)
	}
	stock, err := NewStockBleve(t.TempDir()+"/stock", structures)
	if err != nil {
		t.Fatal(err)
	}
	defer stock.Close()
	all := []Scores{}
	add := func(name string, judge func(JudgedQuery) ([]string, error)) {
		s, err := Evaluate(name, queries, judge)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s)
	}
	add("essor", EssorJudge(ix))
	add("stock bleve", stock.Judge)
	for _, anyWord := range []bool{false, true} {
		pg, err := NewPostgres(ctx, postgresURL(), anyWord)
		if err != nil {
			t.Skipf("PostgreSQL baseline unavailable: %v", err)
		}
		defer pg.Close()
		if err := pg.Load(ctx, structures, true); err != nil {
			t.Fatal(err)
		}
		name := "postgres AND"
		if anyWord {
			name = "postgres OR"
		}
		add(name, pg.Judge)
	}
	for _, s := range all {
		t.Logf("%-13s nDCG@10 %.3f  recall@10 %.3f  (%d queries)", s.Engine, s.NDCG, s.Recall, len(queries))
	}
	if testing.Verbose() {
		for _, s := range all[2:] {
			for _, f := range s.Failures(0.5) {
				t.Logf("%s below 0.5: %s", s.Engine, f)
			}
		}
	}
	for _, s := range all[1:] {
		if s.NDCG >= all[0].NDCG {
			t.Errorf("%s nDCG@10 %.3f is not below Essor's %.3f", s.Engine, s.NDCG, all[0].NDCG)
		}
	}
}

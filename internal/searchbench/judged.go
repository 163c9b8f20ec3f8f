// Package searchbench measures search: relevance on the judged set of search/testdata/quality and latency of a
// fixed query mix, for Essor's index and for the baselines (a stock Bleve index, PostgreSQL full text). It is
// used by tests and benchmarks only.
package searchbench

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// JudgedQuery is one query of the judged set and the structures a buyer expects in the top 10, graded 1 (useful)
// to 3 (exactly what was asked).
type JudgedQuery struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	Commune  string         `json:"commune,omitempty"`
	CPV      []string       `json:"cpv,omitempty"`
	Why      string         `json:"why"`
	Relevant map[string]int `json:"relevant"`
}

// LoadJudged reads the fixture directory and the judged queries from dir (search/testdata/quality).
func LoadJudged(dir string) ([]domain.Structure, []JudgedQuery, error) {
	var structures []domain.Structure
	var queries []JudgedQuery
	if err := readJSON(filepath.Join(dir, "directory.json"), &structures); err != nil {
		return nil, nil, err
	}
	if err := readJSON(filepath.Join(dir, "judgments.json"), &queries); err != nil {
		return nil, nil, err
	}
	return structures, queries, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// Cutoff is the rank the metrics look at: a buyer reads the first page.
const Cutoff = 10

// QueryScore is the relevance of one query's top 10.
type QueryScore struct {
	Query  JudgedQuery
	Got    []string
	NDCG   float64
	Recall float64
}

// Scores is the relevance of an engine on the whole judged set.
type Scores struct {
	Engine  string
	NDCG    float64 // mean nDCG@10
	Recall  float64 // mean recall@10
	Queries []QueryScore
}

// NDCG is the normalised discounted cumulative gain at Cutoff with gains 2^grade - 1: a grade-3 structure below a
// grade-1 one costs more than two grade-3 ones swapped.
func NDCG(got []string, relevant map[string]int) float64 {
	dcg := 0.0
	for i, id := range got[:min(len(got), Cutoff)] {
		dcg += gain(relevant[id]) / math.Log2(float64(i)+2)
	}
	grades := make([]int, 0, len(relevant))
	for _, g := range relevant {
		grades = append(grades, g)
	}
	sort.Sort(sort.Reverse(sort.IntSlice(grades)))
	ideal := 0.0
	for i, g := range grades[:min(len(grades), Cutoff)] {
		ideal += gain(g) / math.Log2(float64(i)+2)
	}
	if ideal == 0 {
		return 1
	}
	return dcg / ideal
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// Recall is the share of the relevant structures found in the top Cutoff, out of at most Cutoff: when more than
// ten structures are relevant, ten relevant ones make a perfect page.
func Recall(got []string, relevant map[string]int) float64 {
	if len(relevant) == 0 {
		return 1
	}
	found := 0
	for _, id := range got[:min(len(got), Cutoff)] {
		if relevant[id] > 0 {
			found++
		}
	}
	return float64(found) / float64(min(len(relevant), Cutoff))
}

// Evaluate runs every query through search (which returns the ids of the first page, best first) and scores it.
func Evaluate(engine string, queries []JudgedQuery, search func(JudgedQuery) ([]string, error)) (Scores, error) {
	s := Scores{Engine: engine}
	for _, q := range queries {
		got, err := search(q)
		if err != nil {
			return s, fmt.Errorf("%s: query %s %q: %w", engine, q.ID, q.Text, err)
		}
		qs := QueryScore{Query: q, Got: got, NDCG: NDCG(got, q.Relevant), Recall: Recall(got, q.Relevant)}
		s.NDCG += qs.NDCG
		s.Recall += qs.Recall
		s.Queries = append(s.Queries, qs)
	}
	if n := float64(len(queries)); n > 0 {
		s.NDCG /= n
		s.Recall /= n
	}
	return s, nil
}

// Failures describes the queries below threshold nDCG, worst first: what came back, graded.
func (s Scores) Failures(threshold float64) []string {
	qs := slices.Clone(s.Queries)
	slices.SortStableFunc(qs, func(a, b QueryScore) int { return cmpFloat(a.NDCG, b.NDCG) })
	var out []string
	for _, q := range qs {
		if q.NDCG >= threshold {
			continue
		}
		got := make([]string, len(q.Got))
		for i, id := range q.Got {
			got[i] = fmt.Sprintf("%s:%d", id, q.Query.Relevant[id])
		}
		out = append(out, fmt.Sprintf("%-26s nDCG %.3f recall %.2f  %q (%d relevant) → %s",
			q.Query.ID, q.NDCG, q.Recall, q.Query.Text, len(q.Query.Relevant), strings.Join(got, " ")))
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

package search

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// Benchmarks run on a demo directory of ESSOR_BENCH_N structures (2,800 by default). ESSOR_BENCH_DIR keeps the
// index between runs (it is rebuilt when its count differs):
//
//	ESSOR_BENCH_N=250000 ESSOR_BENCH_DIR=/tmp/essor-bench go test ./search -run '^$' -bench . -benchtime 2000x
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 2800
}

func benchOptions() Options {
	cat := refdata.Default()
	return Options{CPV: CatalogCPV(cat), Places: CatalogPlaces(cat)}
}

// fill indexes n demo structures in batches of 1,000 and returns the elapsed time.
func fill(tb testing.TB, ix *Index, n int) time.Duration {
	start := time.Now()
	next := 0
	err := demo.Generate(demo.Options{Count: n, Seed: 1}, 1000, func(batch []domain.Structure) error {
		for i := range batch {
			batch[i].ID = fmt.Sprintf("s%07d", next)
			for k := range batch[i].Offers {
				batch[i].Offers[k].ID = fmt.Sprintf("s%07d-%d", next, k)
			}
			next++
		}
		return ix.Apply(context.Background(), batch, nil, int64(next))
	})
	if err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

func benchIndex(b *testing.B) *Index {
	n := benchSize()
	dir := os.Getenv("ESSOR_BENCH_DIR")
	if dir == "" {
		dir = b.TempDir() + "/index"
	}
	start := time.Now()
	ix, err := Open(dir, benchOptions())
	if err == nil {
		if c, _ := ix.DocCount(); int(c) == n {
			b.Logf("reused %s: %d structures, opened (table loaded) in %v", dir, n, time.Since(start))
			return ix
		}
		ix.Close()
	}
	_ = os.RemoveAll(dir)
	ix, err = Open(dir, benchOptions())
	if err != nil {
		b.Fatal(err)
	}
	d := fill(b, ix, n)
	b.Logf("built %d structures in %v (%.0f structures/s)", n, d, float64(n)/d.Seconds())
	return ix
}

var benchFacets = []string{FacetLegalFamily, FacetInclusion, FacetCPVDivision}

// benchMix is a fixed mix of 50 buyer queries: text, text with CPV, text with commune, filters with facets, geo.
func benchMix() []Query {
	texts := []string{"menuiserie", "menuisier", "espaces verts", "entretien espaces verts", "nettoyage des locaux",
		"traiteur bio", "restauration collective", "cafe", "recyclerie", "insertion", "handicap",
		"chantier d'insertion", "blanchisserie", "imprimerie", "informatique", "demenagement", "velo", "peinture",
		"elagage", "paysagiste", "plateaux repas", "formation", "creche", "aide a domicile", "mobilier",
		"reemploi", "collecte des dechets", "couture", "conciergerie", "traduction", "maraichage", "entretien",
		"menusierie", "ecologique", "jardi"}
	var mix []Query
	for _, t := range texts {
		mix = append(mix, Query{Text: t, Facets: benchFacets})
	}
	mix = append(mix,
		Query{Text: "entretien", CPV: []string{"77000000"}, Facets: benchFacets},
		Query{Text: "travaux", CPV: []string{"45400000"}, Facets: benchFacets},
		Query{Text: "repas", CPV: []string{"55000000"}, Facets: benchFacets},
		Query{Text: "espaces verts", Commune: "44143", Facets: benchFacets},
		Query{Text: "nettoyage", Commune: "44109", Facets: benchFacets},
		Query{Text: "menuisier", Commune: "44162", Facets: benchFacets},
		Query{Text: "insertion", Commune: "44114", Facets: benchFacets},
		Query{Commune: "44109", Facets: benchFacets},
		Query{InclusionKinds: []string{"siae"}, Facets: benchFacets},
		Query{FirstTime: yes(), Facets: benchFacets, BoostFirstTime: true},
		Query{Near: &domain.GeoPoint{Lat: 47.2186, Lon: -1.5541}, RadiusKM: 5, Sort: SortDistance, Facets: benchFacets},
		Query{Text: "traiteur", Near: &domain.GeoPoint{Lat: 47.1906, Lon: -1.5694}, RadiusKM: 10, Facets: benchFacets},
		Query{Sort: SortName, Facets: benchFacets},
		Query{Text: "velo", Sort: SortUpdated, Facets: benchFacets},
		Query{CPV: []string{"90900000"}, Commune: "44143", Facets: benchFacets},
	)
	return mix
}

func BenchmarkSearch(b *testing.B) {
	ix := benchIndex(b)
	defer ix.Close()
	mix := benchMix()
	for _, conc := range []int{1, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			var mu sync.Mutex
			var lat []time.Duration
			var next int
			var hits int
			b.SetParallelism(max(1, conc/max(1, runtimeProcs())))
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					q := mix[next%len(mix)]
					next++
					mu.Unlock()
					t0 := time.Now()
					res, err := ix.Search(context.Background(), q)
					d := time.Since(t0)
					if err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					lat = append(lat, d)
					hits += res.Total
					mu.Unlock()
				}
			})
			elapsed := time.Since(start)
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "q/s")
			b.ReportMetric(float64(hits)/float64(len(lat)), "hits/q")
		})
	}
}

func BenchmarkRebuild(b *testing.B) {
	n := benchSize()
	for b.Loop() {
		ix, err := Open(b.TempDir()+"/index", benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		d := fill(b, ix, n)
		b.ReportMetric(float64(n)/d.Seconds(), "structures/s")
		ix.Close()
	}
}

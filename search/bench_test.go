package search

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// Benchmarks run on a demo directory of ESSOR_BENCH_N structures (2,800 by default). ESSOR_BENCH_DIR keeps the
// index between runs (it is rebuilt when its count differs):
//
//	ESSOR_BENCH_N=250000 ESSOR_BENCH_DIR=/tmp/essor-bench go test ./search -run '^$' -bench Search -benchtime 1x
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

// BenchmarkSearch measures the mix. One operation is ESSOR_BENCH_ROUNDS rounds of the mix (4 by default), so
// that -benchtime 1x already gives percentiles over 200 queries:
//
//   - cold: the match cache emptied, each query once, one at a time: what a text nobody asked since the last
//     write costs (Bleve runs);
//   - concurrency=1 and concurrency=16: steady state, the mix's texts already asked once (the popular texts of a
//     directory), with 1 or 16 clients sending queries back to back;
//   - writes,concurrency=16: the same with one small Apply (benchWrite) before each round of the mix, as a
//     directory being edited sees.
//
// It also reports the process's resident memory (VmRSS) and peak (VmHWM) after the runs; run it on an index
// kept in ESSOR_BENCH_DIR by an earlier run, so that the peak is the serving process's, not the build's.
func BenchmarkSearch(b *testing.B) {
	ix := benchIndex(b)
	defer ix.Close()
	mix := benchMix()
	rounds := 4
	if n, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_ROUNDS")); err == nil && n > 0 {
		rounds = n
	}
	b.Run("cold", func(b *testing.B) {
		var lat []time.Duration
		var hits int
		for b.Loop() {
			ix.cache.clear()
			ix.texts.clear()
			for _, q := range mix {
				t0 := time.Now()
				res, err := ix.Search(context.Background(), q)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(t0))
				hits += res.Total
			}
		}
		reportLatencies(b, lat, hits, 0)
	})
	for _, conc := range []int{1, 16} {
		b.Run(fmt.Sprintf("concurrency=%d", conc), func(b *testing.B) {
			for _, q := range mix {
				if _, err := ix.Search(context.Background(), q); err != nil {
					b.Fatal(err)
				}
			}
			var lat []time.Duration
			var hits int
			var elapsed time.Duration
			cpu0 := processCPU()
			for b.Loop() {
				l, h, d := runMix(b, ix, mix, rounds, conc)
				lat, hits, elapsed = append(lat, l...), hits+h, elapsed+d
			}
			reportLatencies(b, lat, hits, elapsed)
			// CPU time of the whole process per query: with the wall-clock q/s it tells whether other work on the
			// machine took the cores.
			b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(max(1, len(lat))), "cpu-ms/q")
		})
	}
	b.Run("writes,concurrency=16", func(b *testing.B) {
		for _, q := range mix {
			if _, err := ix.Search(context.Background(), q); err != nil {
				b.Fatal(err)
			}
		}
		var lat []time.Duration
		var hits int
		var elapsed time.Duration
		var applying time.Duration
		for b.Loop() {
			for round := range rounds {
				t0 := time.Now()
				benchWrite(b, ix, round)
				applying += time.Since(t0)
				l, h, d := runMix(b, ix, mix, 1, 16)
				lat, hits, elapsed = append(lat, l...), hits+h, elapsed+d
			}
		}
		reportLatencies(b, lat, hits, elapsed)
		// An Apply's wall time includes refreshing every cached text (one small Bleve run each).
		b.ReportMetric(float64(applying.Microseconds())/1000/float64(rounds*b.N), "apply-ms")
	})
	m := processMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.Logf("after the runs: VmRSS %d MiB (anonymous %d, file %d), VmHWM %d MiB; Go heap in use %d MiB",
		m["VmRSS"]>>20, m["RssAnon"]>>20, m["RssFile"]>>20, m["VmHWM"]>>20, ms.HeapInuse>>20)
}

// benchWrite applies one small batch, as the outbox follower does: 10 existing structures rewritten (new names,
// descriptions and offers from another seed), the directory's size unchanged so that ESSOR_BENCH_DIR stays valid.
func benchWrite(b *testing.B, ix *Index, round int) {
	n := benchSize()
	var batch []domain.Structure
	_ = demo.Generate(demo.Options{Count: 10, Seed: uint64(100 + round)}, 10, func(gen []domain.Structure) error {
		for i := range gen {
			s := gen[i]
			s.ID = fmt.Sprintf("s%07d", (round*7919+i*4999)%n)
			for k := range s.Offers {
				s.Offers[k].ID = fmt.Sprintf("%s-%d", s.ID, k)
			}
			batch = append(batch, s)
		}
		return nil
	})
	if err := ix.Apply(context.Background(), batch, nil, ix.Position()+1); err != nil {
		b.Fatal(err)
	}
}

// runMix sends rounds × the mix with conc clients and returns every latency, the hits and the wall time.
func runMix(b *testing.B, ix *Index, mix []Query, rounds, conc int) ([]time.Duration, int, time.Duration) {
	var mu sync.Mutex
	var lat []time.Duration
	hits := 0
	work := make(chan Query)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Go(func() {
			for q := range work {
				t0 := time.Now()
				res, err := ix.Search(context.Background(), q)
				d := time.Since(t0)
				if err != nil {
					b.Error(err)
					continue
				}
				mu.Lock()
				lat = append(lat, d)
				hits += res.Total
				mu.Unlock()
			}
		})
	}
	for range rounds {
		for _, q := range mix {
			work <- q
		}
	}
	close(work)
	wg.Wait()
	return lat, hits, time.Since(start)
}

func reportLatencies(b *testing.B, lat []time.Duration, hits int, elapsed time.Duration) {
	if len(lat) == 0 {
		return
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	if elapsed > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "q/s")
	}
	b.ReportMetric(float64(hits)/float64(len(lat)), "hits/q")
}

// processCPU returns the user and system CPU time of the process.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// processMemory returns the memory lines of /proc/self/status (VmRSS, VmHWM, RssAnon, RssFile…) in bytes.
func processMemory() map[string]int64 {
	out := map[string]int64{}
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return out
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 3 && fields[2] == "kB" {
			kb, _ := strconv.ParseInt(fields[1], 10, 64)
			out[strings.TrimSuffix(fields[0], ":")] = kb << 10
		}
	}
	return out
}

// BenchmarkRebuild builds a fresh index of ESSOR_BENCH_N demo structures by Apply in batches of 1,000.
func BenchmarkRebuild(b *testing.B) {
	n := benchSize()
	for b.Loop() {
		ix, err := Open(b.TempDir()+"/index", benchOptions())
		if err != nil {
			b.Fatal(err)
		}
		cpu0 := processCPU()
		d := fill(b, ix, n)
		b.ReportMetric(float64(n)/d.Seconds(), "structures/s")
		// CPU time per structure (generation included) does not depend on what else runs on the machine.
		b.ReportMetric(float64((processCPU()-cpu0).Microseconds())/1000/float64(n), "cpu-ms/structure")
		ix.Close()
	}
}

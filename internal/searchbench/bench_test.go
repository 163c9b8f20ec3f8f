package searchbench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/search"
)

// The harness (not a timed test): ESSOR_BENCH_SIZE structures of the demo directory (2,800 by default) are loaded
// into Essor's index and into the PostgreSQL baseline, then the same mix of queries runs against both at
// concurrency 1 and 16:
//
//	ESSOR_BENCH_SIZE=50000 go test ./internal/searchbench -run '^$' -bench . -benchtime 1x
//
// ESSOR_BENCH_ROUNDS sets how many times each worker runs the whole mix (2 by default).
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 2800
}

func benchRounds() int {
	if n, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_ROUNDS")); err == nil && n > 0 {
		return n
	}
	return 2
}

// Mix is the fixed query mix: 35 texts, then text with CPV, text with commune, filters alone, geo; every query
// asks for the three facets over the whole result set.
func Mix() []Request {
	texts := []string{"menuiserie", "menuisier", "espaces verts", "entretien espaces verts", "nettoyage des locaux",
		"traiteur bio", "restauration collective", "cafe", "recyclerie", "insertion", "handicap",
		"chantier d'insertion", "blanchisserie", "imprimerie", "informatique", "demenagement", "velo", "peinture",
		"elagage", "paysagiste", "plateaux repas", "formation", "creche", "aide a domicile", "mobilier",
		"reemploi", "collecte des dechets", "couture", "conciergerie", "traduction", "maraichage", "entretien",
		"menusierie", "ecologique", "espaces verts Rezé"}
	var mix []Request
	for _, t := range texts {
		mix = append(mix, Request{Text: t})
	}
	nantes := &domain.GeoPoint{Lat: 47.2186, Lon: -1.5541}
	mix = append(mix,
		Request{Text: "entretien", CPV: []string{"77000000"}},
		Request{Text: "travaux", CPV: []string{"45400000"}},
		Request{Text: "repas", CPV: []string{"55000000"}},
		Request{Text: "espaces verts", Commune: "44143"},
		Request{Text: "nettoyage", Commune: "44109"},
		Request{Text: "menuisier", Commune: "44162"},
		Request{Text: "insertion", Commune: "44114"},
		Request{Text: "traiteur", Commune: "44020"},
		Request{Commune: "44109"},
		Request{CPV: []string{"90900000"}, Commune: "44143"},
		Request{CPV: []string{"77310000"}},
		Request{Near: nantes, RadiusKM: 5},
		Request{Text: "traiteur", Near: &domain.GeoPoint{Lat: 47.1906, Lon: -1.5694}, RadiusKM: 10},
		Request{Text: "nettoyage", Near: nantes, RadiusKM: 3},
		Request{},
	)
	for i := range mix {
		mix[i].Facets, mix[i].Size = true, 20
	}
	return mix
}

type engine interface {
	Search(ctx context.Context, r Request) (Response, error)
}

func BenchmarkSearchEngines(b *testing.B) {
	n := benchSize()
	ctx := context.Background()
	cat := refdata.Default()
	dir := b.TempDir()
	ix, err := search.Open(filepath.Join(dir, "essor"), search.Options{CPV: search.CatalogCPV(cat), Places: search.CatalogPlaces(cat)})
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	pg, err := NewPostgres(ctx, postgresURL(), false)
	if err != nil {
		b.Fatal(err)
	}
	defer pg.Close()

	var essorLoad, pgLoad time.Duration
	next := 0
	err = demo.Generate(demo.Options{Count: n, Seed: 1}, 1000, func(batch []domain.Structure) error {
		for i := range batch {
			batch[i].ID = fmt.Sprintf("s%07d", next)
			for k := range batch[i].Offers {
				batch[i].Offers[k].ID = fmt.Sprintf("s%07d-%d", next, k)
			}
			next++
		}
		t0 := time.Now()
		if err := ix.Apply(ctx, batch, nil, int64(next)); err != nil {
			return err
		}
		essorLoad += time.Since(t0)
		t0 = time.Now()
		err := pg.Load(ctx, batch, next == n)
		pgLoad += time.Since(t0)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	size := dirSize(filepath.Join(dir, "essor"))
	var pgSize int64
	_ = pg.db.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&pgSize)
	b.Logf("%d structures; essor: build %.0f structures/s, index %.0f MiB; postgres: load with indexes %.0f structures/s, database %.0f MiB",
		n, float64(n)/essorLoad.Seconds(), float64(size)/(1<<20), float64(n)/pgLoad.Seconds(), float64(pgSize)/(1<<20))

	engines := []struct {
		name string
		e    engine
		load time.Duration
		size int64
	}{{"essor", essorEngine{ix}, essorLoad, size}, {"postgres", pg, pgLoad, pgSize}}
	mix := Mix()
	for _, en := range engines {
		for _, conc := range []int{1, 16} {
			b.Run(fmt.Sprintf("engine=%s/concurrency=%d", en.name, conc), func(b *testing.B) {
				for b.Loop() {
					lat, elapsed, hits := runMix(b, en.e, mix, conc, benchRounds())
					slices.Sort(lat)
					pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
					b.ReportMetric(pct(0.50), "p50-ms")
					b.ReportMetric(pct(0.95), "p95-ms")
					b.ReportMetric(pct(0.99), "p99-ms")
					b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "q/s")
					b.ReportMetric(float64(hits)/float64(len(lat)), "hits/q")
					b.ReportMetric(float64(n)/en.load.Seconds(), "load-structures/s")
					b.ReportMetric(float64(en.size)/(1<<20), "disk-MiB")
					b.ReportMetric(rssMiB("VmRSS"), "rss-MiB")
				}
			})
		}
	}
	b.Logf("process peak RSS %.0f MiB (Essor's index and table live in this process; PostgreSQL runs in its own)", rssMiB("VmHWM"))
}

// essorEngine adapts Essor's index to the mix.
type essorEngine struct{ ix *search.Index }

func (e essorEngine) Search(ctx context.Context, r Request) (Response, error) {
	q := search.Query{Text: r.Text, CPV: r.CPV, Commune: r.Commune, Near: r.Near, RadiusKM: r.RadiusKM, Size: r.Size}
	if r.Facets {
		q.Facets = []string{search.FacetLegalFamily, search.FacetInclusion, search.FacetCPVDivision}
	}
	res, err := e.ix.Search(ctx, q)
	if err != nil {
		return Response{}, err
	}
	out := Response{Total: res.Total}
	for _, h := range res.Hits {
		out.IDs = append(out.IDs, h.ID)
	}
	return out, nil
}

// runMix runs the mix rounds times in each of conc workers, each worker starting at a different query.
func runMix(b *testing.B, e engine, mix []Request, conc, rounds int) ([]time.Duration, time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	hits := 0
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range rounds * len(mix) {
				r := mix[(w*7+k)%len(mix)]
				t0 := time.Now()
				res, err := e.Search(context.Background(), r)
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
		}()
	}
	wg.Wait()
	return lat, time.Since(start), hits
}

func dirSize(dir string) int64 {
	var n int64
	_ = filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// rssMiB reads a memory line of /proc/self/status (VmRSS now, VmHWM peak), 0 where there is none.
func rssMiB(key string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

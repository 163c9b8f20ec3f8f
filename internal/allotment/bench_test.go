package allotment

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
)

var (
	nationalOnce   sync.Once
	nationalSupply *MemorySupply
)

// nationalDirectory models 250,000 structures across France: 3 % in Loire-Atlantique (drawn like the property
// tests' directory) and the rest elsewhere, with zones in other departments, radii and a few country-wide offers.
func nationalDirectory(f fixtures) *MemorySupply {
	nationalOnce.Do(func() {
		const total, local = 250_000, 7_500
		structures := syntheticDirectory(f, local, 11)
		rng := rand.New(rand.NewPCG(3, 5))
		for i := local; i < total; i++ {
			loc := domain.GeoPoint{Lat: 43 + rng.Float64()*6, Lon: -1 + rng.Float64()*8} // east and south of 44
			s := SupplyStructure{ID: "nat-" + strconv.Itoa(i), Location: &loc, FirstTime: rng.IntN(3) == 0}
			t := int64(50_000 + rng.IntN(5_000_000))
			s.TurnoverEUR = &t
			for range 1 + rng.IntN(3) {
				o := SupplyOffer{CPVCodes: []string{f.cpvCodes[rng.IntN(len(f.cpvCodes))]}}
				switch rng.IntN(50) {
				case 0:
					o.Area = domain.Area{Scope: domain.ScopeCountry}
				case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15:
					o.Area = domain.Area{Scope: domain.ScopeZones, Zones: []string{"departement:" + strconv.Itoa(10+rng.IntN(80))}}
				default:
					o.Area = domain.Area{Scope: domain.ScopeRadius, RadiusKM: float64(5 + rng.IntN(45))}
				}
				s.Offers = append(s.Offers, o)
			}
			structures = append(structures, s)
		}
		nationalSupply = NewMemorySupply(structures, f.lookup)
	})
	return nationalSupply
}

// metropolisNeed is a realistic 50-line need: the facility services of Nantes Métropole (green spaces, cleaning,
// catering, small works) commune by commune, with a few lines over the whole metropolis.
func metropolisNeed(f fixtures) Need {
	codes := []string{"77310000-6", "90919200-4", "55523100-3", "45442100-8", "77340000-5", "90911300-9"}
	rng := rand.New(rand.NewPCG(50, 50))
	n := Need{Title: "Services aux bâtiments et espaces publics", BuyerKind: BuyerLocal, DurationMonths: 48,
		ReferenceDate: date("2026-06-01")}
	for i := range 50 {
		l := Line{Label: "ligne " + strconv.Itoa(i), CPV: codes[i%len(codes)],
			EstimatedValueEUR: float64(10_000 + rng.IntN(400_000))}
		if i%10 == 9 {
			l.Communes = f.nantes
		} else {
			l.Communes = []string{f.nantes[rng.IntN(len(f.nantes))], f.nantes[rng.IntN(len(f.nantes))]}
		}
		n.Lines = append(n.Lines, l)
	}
	return n
}

// BenchmarkSuggest50Lines runs a realistic 50-line need against 250,000 structures and reports the 99th percentile.
func BenchmarkSuggest50Lines(b *testing.B) {
	benchmarkSuggest(b, metropolisNeed(loadFixtures(b)))
}

// BenchmarkSuggest50LinesWorstCase runs 50 lines drawn over every fixture CPV code and all of Loire-Atlantique.
func BenchmarkSuggest50LinesWorstCase(b *testing.B) {
	need := syntheticNeed(loadFixtures(b), rand.New(rand.NewPCG(50, 50)), 50)
	need.ReferenceDate = date("2026-06-01")
	benchmarkSuggest(b, need)
}

func benchmarkSuggest(b *testing.B, need Need) {
	benchmarkSuggestOn(b, need, nationalDirectory(loadFixtures(b)))
}

func benchmarkSuggestOn(b *testing.B, need Need, supply Supply) {
	f := loadFixtures(b)
	engine := Engine{CPV: f.cpvInfo(), Places: f.lookup, Supply: supply}
	var durations []time.Duration
	cpuBefore := processCPU()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		if _, err := engine.Suggest(need); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(start))
	}
	// The machine is shared: CPU time per op says what the engine costs when wall time is inflated by others' load.
	b.ReportMetric(float64((processCPU()-cpuBefore).Microseconds())/1000/float64(len(durations)), "cpu-ms/op")
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "p99-ms")
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkCandidates measures the supply query alone for the same need.
func BenchmarkCandidates(b *testing.B) {
	f := loadFixtures(b)
	supply := nationalDirectory(f)
	need := metropolisNeed(f)
	var cpvs, communes []string
	for _, l := range need.Lines {
		if !slices.Contains(cpvs, l.CPV) {
			cpvs = append(cpvs, l.CPV)
		}
		for _, c := range l.Communes {
			if !slices.Contains(communes, c) {
				communes = append(communes, c)
			}
		}
	}
	b.ResetTimer()
	for b.Loop() {
		supply.Candidates(cpvs, communes)
	}
}

var (
	denseOnce   sync.Once
	denseSupply *MemorySupply
)

// denseDemoDirectory is the demo directory of internal/demo at 250,000 structures: every one of them in the 24
// communes of Nantes Métropole, about 2.5 times the ESS establishments of the whole country in one metropolis. It
// is the directory of the end-to-end benchmark of internal/service, without the database.
func denseDemoDirectory(f fixtures) *MemorySupply {
	denseOnce.Do(func() {
		var structures []SupplyStructure
		err := demo.Generate(demo.Options{Count: 250_000, Seed: 1}, 10_000, func(batch []domain.Structure) error {
			for i := range batch {
				batch[i].ID = "demo-" + strconv.Itoa(len(structures))
				structures = append(structures, SupplyStructureFrom(batch[i]))
			}
			return nil
		})
		if err != nil {
			panic(err)
		}
		denseSupply = NewMemorySupply(structures, f.lookup)
	})
	return denseSupply
}

// BenchmarkSuggest50LinesDenseDemo runs the realistic 50-line need against the 250,000-structure demo directory.
func BenchmarkSuggest50LinesDenseDemo(b *testing.B) {
	f := loadFixtures(b)
	benchmarkSuggestOn(b, metropolisNeed(f), denseDemoDirectory(f))
}

// BenchmarkCandidatesDenseDemo measures the supply query alone on the 250,000-structure demo directory.
func BenchmarkCandidatesDenseDemo(b *testing.B) {
	f := loadFixtures(b)
	supply := denseDemoDirectory(f)
	cpvs, communes := needKeys(metropolisNeed(f))
	for b.Loop() {
		supply.Candidates(cpvs, communes)
	}
}

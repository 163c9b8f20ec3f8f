package service_test

import (
	"context"
	"math/rand/v2"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/refdata"
)

// metropolisNeed is a realistic 50-line need: the facility services of Nantes Métropole (green spaces, cleaning,
// catering, painting, pruning, windows) commune by commune, every tenth line over the whole metropolis.
func metropolisNeed() allotment.Need {
	communes := refdata.Default().CommunesOfEPCI(refdata.NantesMetropoleEPCI)
	all := make([]string, len(communes))
	for i, c := range communes {
		all[i] = c.INSEE
	}
	codes := []string{"77310000-6", "90919200-4", "55523100-3", "45442100-8", "77340000-5", "90911300-9"}
	rng := rand.New(rand.NewPCG(50, 50))
	n := allotment.Need{Title: "Services aux bâtiments et espaces publics", BuyerKind: allotment.BuyerLocal,
		DurationMonths: 48, ReferenceDate: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}
	for i := range 50 {
		l := allotment.Line{Label: "ligne " + strconv.Itoa(i), CPV: codes[i%len(codes)],
			EstimatedValueEUR: float64(10_000 + rng.IntN(400_000))}
		if i%10 == 9 {
			l.Communes = all
		} else {
			l.Communes = []string{all[rng.IntN(len(all))], all[rng.IntN(len(all))]}
		}
		n.Lines = append(n.Lines, l)
	}
	return n
}

// BenchmarkAllotmentSuggest250k runs the 50-line need through the service against a database of 250,000 demo
// structures (seeded once, about a minute; skipped with -short). It reports the time to load the supply from the
// database, the 50th and 99th percentiles of the per-call wall time, and the process CPU time per call.
func BenchmarkAllotmentSuggest250k(b *testing.B) {
	if testing.Short() {
		b.Skip("seeds 250,000 structures")
	}
	const count = 250_000
	env := newAllotmentEnv(b, count)
	start := time.Now()
	if err := env.allotment.Load(context.Background()); err != nil {
		b.Fatal(err)
	}
	load := time.Since(start)
	if got := env.allotment.Status().Structures; got != count {
		b.Fatalf("supply holds %d structures, want %d", got, count)
	}
	ctx, need := asAdmin(), metropolisNeed()
	var durations []time.Duration
	cpuBefore := processCPU()
	for b.Loop() {
		t0 := time.Now()
		if _, err := env.allotment.Suggest(ctx, need); err != nil {
			b.Fatal(err)
		}
		durations = append(durations, time.Since(t0))
	}
	b.ReportMetric(float64((processCPU()-cpuBefore).Microseconds())/1000/float64(len(durations)), "cpu-ms/op")
	slices.Sort(durations)
	b.ReportMetric(ms(durations[len(durations)/2]), "p50-ms")
	b.ReportMetric(ms(durations[len(durations)*99/100]), "p99-ms")
	b.ReportMetric(load.Seconds(), "load-s")
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

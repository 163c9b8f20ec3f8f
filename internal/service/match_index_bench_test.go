package service

import (
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// BenchmarkMatchIndex times the in-memory matcher alone (no database) on the lots of BenchmarkLotMatches over
// the demo directory of ESSOR_BENCH_STRUCTURES structures (default 250,000): every match listed in order.
func BenchmarkMatchIndex(b *testing.B) {
	n := 250_000
	if v, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_STRUCTURES")); err == nil && v > 0 {
		n = v
	}
	var list []allotment.SupplyStructure
	extras := map[string]matchExtra{}
	if err := demo.Generate(demo.Options{Seed: 1, Count: n}, 2000, func(batch []domain.Structure) error {
		for i := range batch {
			batch[i].ID = NewID()
			list = append(list, allotment.SupplyStructureFrom(batch[i]))
			extras[batch[i].ID] = matchExtraFrom(&batch[i])
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	view := &matchView{base: newMatchIndex(list, extras)}
	took := time.Since(start)
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(list) // the supply holds them too: only the index counts
	runtime.KeepAlive(extras)
	b.Logf("%d structures indexed in %s, %d MiB of heap", n, took.Round(time.Millisecond),
		(int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
	ref := refdata.Default()
	place := func(insee string) domain.CommunePlace {
		p, _ := ref.CommunePlace(insee)
		return p
	}
	for _, lot := range []struct {
		name string
		need domain.LotNeed
	}{
		{"green-spaces-class", domain.LotNeed{CPVCodes: []string{"77310000-6"}, Places: []domain.CommunePlace{place("44109")}}},
		{"works-division-two-communes", domain.LotNeed{CPVCodes: []string{"45000000-7"},
			Places: []domain.CommunePlace{place("44109"), place("44143")}}},
		{"cleaning-siae", domain.LotNeed{CPVCodes: []string{"90910000-9"}, Places: []domain.CommunePlace{place("44109")},
			Reservation: domain.ReservationSIAE}},
	} {
		b.Run(lot.name, func(b *testing.B) {
			today := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
			matches := 0
			for b.Loop() {
				matches = len(view.candidates(lot.need, today, false))
			}
			b.ReportMetric(float64(matches), "matches")
		})
	}
}

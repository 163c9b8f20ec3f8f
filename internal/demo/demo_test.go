package demo

import (
	"errors"
	"reflect"
	"runtime"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

func generateAll(t testing.TB, opts Options) []domain.Structure {
	t.Helper()
	var all []domain.Structure
	if err := Generate(opts, 100, func(batch []domain.Structure) error {
		all = append(all, batch...)
		return nil
	}); err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	return all
}

func TestGenerateIsDeterministicForASeed(t *testing.T) {
	a := generateAll(t, Options{Count: 300, Seed: 7})
	b := generateAll(t, Options{Count: 300, Seed: 7})
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs with the same options differ")
	}
	c := generateAll(t, Options{Count: 300, Seed: 8})
	sameSIRET, sameName := 0, 0
	for i := range a {
		if a[i].SIRET == c[i].SIRET {
			sameSIRET++
		}
		if a[i].Name == c[i].Name {
			sameName++
		}
	}
	if sameSIRET > 0 || sameName > 30 {
		t.Errorf("seeds 7 and 8 share %d SIRETs and %d names out of 300", sameSIRET, sameName)
	}
}

func TestGenerateDefaults(t *testing.T) {
	zero := generateAll(t, Options{})
	explicit := generateAll(t, Options{Count: DefaultCount, Seed: 1, Now: defaultNow})
	if len(zero) != DefaultCount {
		t.Fatalf("got %d structures by default, want %d", len(zero), DefaultCount)
	}
	if !reflect.DeepEqual(zero, explicit) {
		t.Error("zero options differ from the documented defaults")
	}
}

func TestGenerateBatches(t *testing.T) {
	var sizes []int
	total := 0
	err := Generate(Options{Count: 1000, Seed: 3}, 128, func(batch []domain.Structure) error {
		sizes = append(sizes, len(batch))
		total += len(batch)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []int{128, 128, 128, 128, 128, 128, 128, 104}
	if !reflect.DeepEqual(sizes, want) || total != 1000 {
		t.Errorf("batch sizes %v (total %d), want %v", sizes, total, want)
	}
}

func TestGenerateBatchingDoesNotChangeOutput(t *testing.T) {
	var byOne, byAll []domain.Structure
	opts := Options{Count: 50, Seed: 11}
	_ = Generate(opts, 1, func(b []domain.Structure) error { byOne = append(byOne, b...); return nil })
	_ = Generate(opts, 50, func(b []domain.Structure) error { byAll = append(byAll, b...); return nil })
	if !reflect.DeepEqual(byOne, byAll) {
		t.Error("the batch size changes the structures")
	}
}

func TestGenerateStopsOnEmitError(t *testing.T) {
	stop := errors.New("disk full")
	calls := 0
	err := Generate(Options{Count: 1000}, 10, func([]domain.Structure) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("got error %v after %d calls, want %v after 3", err, calls, stop)
	}
}

func TestGenerateRejectsBadArguments(t *testing.T) {
	emit := func([]domain.Structure) error { return nil }
	for _, tc := range []struct {
		name  string
		opts  Options
		batch int
	}{
		{"zero batch", Options{}, 0},
		{"negative batch", Options{}, -5},
		{"negative count", Options{Count: -1}, 10},
	} {
		if err := Generate(tc.opts, tc.batch, emit); err == nil {
			t.Errorf("%s: no error", tc.name)
		}
	}
}

func TestGenerateKeepsDatesInThePastOfNow(t *testing.T) {
	now := time.Date(2031, 3, 4, 15, 30, 0, 0, time.FixedZone("CET", 3600))
	for _, s := range generateAll(t, Options{Count: 300, Now: now}) {
		if s.CreatedAt.After(now) || s.UpdatedAt.After(now) || s.UpdatedAt.Before(s.CreatedAt) {
			t.Fatalf("%s: created %v, updated %v, now %v", s.Name, s.CreatedAt, s.UpdatedAt, now)
		}
		if s.VerifiedAt != nil && (s.VerifiedAt.After(now) || s.VerifiedAt.Before(s.CreatedAt)) {
			t.Fatalf("%s: verified %v outside [%v, %v]", s.Name, s.VerifiedAt, s.CreatedAt, now)
		}
		if s.LastAwardOn != nil && s.LastAwardOn.After(now) {
			t.Fatalf("%s: last award %v after now", s.Name, s.LastAwardOn)
		}
		if s.ESUSExpiresOn != nil && !s.ESUSExpiresOn.After(now) {
			t.Fatalf("%s: ESUS agreement expired on %v", s.Name, s.ESUSExpiresOn)
		}
		if s.TurnoverYear != nil && (*s.TurnoverYear < 2028 || *s.TurnoverYear > 2030) {
			t.Fatalf("%s: turnover year %d", s.Name, *s.TurnoverYear)
		}
		if s.CreatedAt.Location() != time.UTC {
			t.Fatalf("%s: created at %v, not UTC", s.Name, s.CreatedAt)
		}
	}
}

func TestNamesStayUniqueAtScale(t *testing.T) {
	seen := make(map[string]bool)
	siret := make(map[string]bool)
	err := Generate(Options{Count: 20_000, Seed: 5}, 1000, func(batch []domain.Structure) error {
		for _, s := range batch {
			if seen[s.Name] {
				t.Fatalf("name %q used twice", s.Name)
			}
			if siret[s.SIRET] {
				t.Fatalf("SIRET %s used twice", s.SIRET)
			}
			seen[s.Name], siret[s.SIRET] = true, true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func BenchmarkGenerate10000(b *testing.B) {
	const count = 10_000
	for b.Loop() {
		if err := Generate(Options{Count: count, Seed: 1}, 500, func([]domain.Structure) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(count*b.N)/b.Elapsed().Seconds(), "structures/s")
}

// TestMemoryStaysConstant generates enough structures for the heap to show any growth with the count: what the
// generator keeps (the name counts) is bounded by its templates, not by the count.
func TestMemoryStaysConstant(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 60,000 structures")
	}
	var heap []uint64
	n := 0
	err := Generate(Options{Count: 60_000, Seed: 2}, 1000, func(batch []domain.Structure) error {
		n += len(batch)
		if n == 20_000 || n == 60_000 {
			var ms runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&ms)
			heap = append(heap, ms.HeapAlloc)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if growth := int64(heap[1]) - int64(heap[0]); growth > 4<<20 {
		t.Errorf("heap grew by %d bytes between 20,000 and 60,000 structures", growth)
	}
}

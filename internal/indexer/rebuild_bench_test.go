package indexer_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// BenchmarkRebuild measures a full rebuild of the index from the database (reading structures and indexing them),
// in structures per second. ESSOR_BENCH_N sets the directory size (default 5,000); TEST_DB picks the engine.
//
//	ESSOR_BENCH_N=50000 go test ./internal/indexer -run '^$' -bench Rebuild -benchtime 1x
func BenchmarkRebuild(b *testing.B) {
	n := 5000
	if v, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	ref := refdata.Default()
	store := sqlstore.New(dbtest.Open(b), sqlstore.WithCommuneLookup(ref.CommunePlace))
	dir := service.NewDirectory(store, ref, nil)
	if err := demo.Generate(demo.Options{Count: n, Seed: 1}, 1000, func(batch []domain.Structure) error {
		_, err := dir.CreateStructures(context.Background(), batch)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	f := &fixture{store: store, dir: dir}
	var total time.Duration
	for b.Loop() {
		f.index = b.TempDir()
		x := f.indexer(1000)
		if err := x.Open(context.Background()); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := x.Rebuild(context.Background(), nil); err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
		_ = x.Close()
	}
	b.ReportMetric(float64(n)*float64(b.N)/total.Seconds(), "structures/s")
}

package service_test

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/essor-ess/essor/internal/service"
)

// BenchmarkImportSIRENE imports a generated pair of stock files in the official layout (1,000,000 establishment
// rows by default, ESSOR_BENCH_ROWS to change it) into a fresh database, keeping every commune so that the write
// side has tens of thousands of structures: read rows/s counts the rows of the three passes (legal units twice,
// establishments once), structures/s the structures written. Run it on PostgreSQL with
//
//	TEST_DB=postgres go test ./internal/service -run '^$' -bench ImportSIRENE -benchtime 1x
func BenchmarkImportSIRENE(b *testing.B) {
	rows := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_ROWS")); err == nil && v > 0 {
		rows = v
	}
	units, etabs := generatedStock(b, rows, 42)
	for b.Loop() {
		b.StopTimer()
		env := newImportEnv(b)
		b.StartTimer()
		res, err := env.importer.ImportSIRENE(context.Background(), service.SIRENEImportOptions{
			UnitesLegales: units, Etablissements: etabs, BatchSize: 1000,
			Territory: service.Territory{Key: "all"}, // nil Contains keeps every commune
		})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(2*res.UnitRows+res.EtablissementRows)/res.ReadDuration.Seconds(), "read-rows/s")
		b.ReportMetric(float64(res.Created)/res.WriteDuration.Seconds(), "structures/s")
		b.ReportMetric(float64(res.Created), "structures")
		b.ReportMetric(float64(res.Rejected), "rejected")
	}
}

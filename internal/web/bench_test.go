package web_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

// BenchmarkPages renders the main pages on the demo directory (300 structures, as `serve --demo`) through the
// whole handler, session and rate limits included, and reports the 95th percentile of server-side time.
func BenchmarkPages(b *testing.B) {
	f := newFixture(b, 300, highLimits)
	s := f.firstStructure(b)
	h := f.srv.Config.Handler
	for name, path := range map[string]string{
		"home":            "/",
		"search":          "/recherche",
		"search_text":     "/recherche?q=nettoyage+locaux&commune=44109",
		"search_filtered": "/recherche?first_time=true&legal_family=association&kind=service",
		"structure":       "/structures/" + s.ID,
		"levers":          "/leviers",
	} {
		b.Run(name, func(b *testing.B) {
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
				took = append(took, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: status %d", path, rec.Code)
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

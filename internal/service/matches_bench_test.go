package service_test

import (
	"context"
	"os"
	"slices"
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

// BenchmarkLotMatches times the matches of one lot (through service.Tenders.LotMatches, as the HTTP handler
// calls it, as serve wires it: candidates from the in-memory directory of service.WithMemoryMatching) over the
// demo directory of ESSOR_BENCH_STRUCTURES structures (default 20,000; the note uses 250,000), and reports the p50
// and p99 latencies of the iterations. ESSOR_BENCH_MATCHER=sql times the database matcher instead, the fallback
// while the directory loads.
func BenchmarkLotMatches(b *testing.B) {
	n := 20_000
	if v, err := strconv.Atoi(os.Getenv("ESSOR_BENCH_STRUCTURES")); err == nil && v > 0 {
		n = v
	}
	ctx := context.Background()
	db := dbtest.Open(b)
	ref := refdata.Default()
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	dir := service.NewDirectory(store, ref, nil)
	if err := demo.Generate(demo.Options{Seed: 1, Count: n}, 2000, func(batch []domain.Structure) error {
		_, err := dir.CreateStructures(ctx, batch)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	if err := db.Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	accounts := service.NewAccounts(sqlstore.NewAccounts(db), nil, service.DefaultLoginPolicy)
	u, err := accounts.ProvisionUser(ctx, dir, service.NewUser{Email: "b@test", Password: "correct horse battery staple",
		Role: service.RoleBuyer, OrganisationSIRET: "21440109300015", OrganisationName: "Ville"})
	if err != nil {
		b.Fatal(err)
	}
	tok, err := accounts.IssueToken(ctx, u.Email, "bench", 0)
	if err != nil {
		b.Fatal(err)
	}
	actor, err := accounts.Authenticate(ctx, tok.Token)
	if err != nil {
		b.Fatal(err)
	}
	ts := sqlstore.NewTenders(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	var matcher service.TenderStore = ts
	if os.Getenv("ESSOR_BENCH_MATCHER") != "sql" {
		supply := service.NewAllotmentService(store, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)
		start := time.Now()
		if err := supply.Load(ctx); err != nil {
			b.Fatal(err)
		}
		b.Logf("directory of %d structures loaded in memory in %s", supply.Status().Structures, time.Since(start).Round(time.Millisecond))
		matcher = service.WithMemoryMatching(ts, supply)
	}
	tenders := service.NewTenders(matcher, service.TenderDeps{Directory: dir, Notifications: ts, Ref: ref, Places: ref.CommunePlace})
	bctx := service.WithActor(ctx, actor)
	deadline := time.Date(2099, 1, 15, 0, 0, 0, 0, time.UTC)
	tender, err := tenders.CreateTender(bctx, domain.Tender{Title: "Bench", Kind: domain.TenderSourcing,
		CPVCodes: []string{"77310000-6"}, Communes: []string{"44109"}, SourcingDeadline: &deadline,
		Lots: []domain.Lot{
			{Number: 1, Title: "Espaces verts, Nantes", CPVCodes: []string{"77310000-6"}},
			{Number: 2, Title: "Bâtiment, Nantes et Rezé", CPVCodes: []string{"45000000-7"}, Communes: []string{"44109", "44143"}},
			{Number: 3, Title: "Nettoyage réservé SIAE", CPVCodes: []string{"90910000-9"}, Reservation: domain.ReservationSIAE},
		}})
	if err != nil {
		b.Fatal(err)
	}
	for _, lot := range []struct {
		name   string
		number int
	}{{"green-spaces-class", 1}, {"works-division-two-communes", 2}, {"cleaning-siae", 3}} {
		b.Run(lot.name, func(b *testing.B) {
			var took []time.Duration
			total := 0
			for b.Loop() {
				start := time.Now()
				page, err := tenders.LotMatches(bctx, tender.ID, lot.number, service.MatchQuery{Page: domain.PageRequest{Size: 20}})
				if err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
				total = page.Total
			}
			slices.Sort(took)
			b.ReportMetric(float64(total), "matches")
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[min(len(took)-1, len(took)*99/100)].Microseconds())/1000, "p99-ms")
		})
	}
}

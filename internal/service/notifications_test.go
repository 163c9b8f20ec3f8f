package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// cancellingMailer records e-mails and cancels the sender's context after `after` of them, as a killed process
// would stop mid-batch; later calls see the cancelled context and send nothing.
type cancellingMailer struct {
	mu     sync.Mutex
	sent   map[string]int
	after  int
	cancel context.CancelFunc
}

func (m *cancellingMailer) Send(ctx context.Context, mail service.Mail) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	m.sent[mail.To]++
	if m.cancel != nil && len(m.sent) == m.after {
		m.cancel()
	}
	return nil
}

// TestNotifierSurvivesAKillMidBatch kills (cancels) the sender in the middle of a batch and starts another one
// after the lease: every notification of the batch is e-mailed exactly once.
func TestNotifierSurvivesAKillMidBatch(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	ref := refdata.Default()
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	dir := service.NewDirectory(store, ref, nil)
	err := demo.Generate(demo.Options{Seed: 1, Count: 300}, 300, func(b []domain.Structure) error {
		_, err := dir.CreateStructures(ctx, b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	accounts := service.NewAccounts(sqlstore.NewAccounts(db), nil, service.DefaultLoginPolicy)
	u, err := accounts.ProvisionUser(ctx, dir, service.NewUser{Email: "b@test", Password: "correct horse battery staple",
		Role: service.RoleBuyer, OrganisationSIRET: "21440109300015", OrganisationName: "Ville"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := accounts.IssueToken(ctx, u.Email, "test", 0)
	if err != nil {
		t.Fatal(err)
	}
	actor, err := accounts.Authenticate(ctx, tok.Token)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	ts := sqlstore.NewTenders(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	tenders := service.NewTenders(ts, service.TenderDeps{Directory: dir, Notifications: ts, Ref: ref,
		Places: ref.CommunePlace, Clock: clock})
	bctx := service.WithActor(ctx, actor)
	deadline := time.Date(2027, 1, 15, 0, 0, 0, 0, time.UTC)
	tender, err := tenders.CreateTender(bctx, domain.Tender{Title: "Espaces verts", Kind: domain.TenderSourcing,
		CPVCodes: []string{"77310000-6"}, Communes: []string{"44109"}, SourcingDeadline: &deadline,
		Lots: []domain.Lot{{Number: 1, Title: "Espaces verts"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tenders.Transition(bctx, tender.ID, domain.TenderPublished, nil); err != nil {
		t.Fatal(err)
	}

	cfg := service.NotifierConfig{BatchSize: 4, StopAfterInterested: 6, Lease: time.Minute}
	killed, kill := context.WithCancel(ctx)
	mailer := &cancellingMailer{sent: map[string]int{}, after: 2, cancel: kill}
	first := service.NewNotifier(tenders, ts, mailer, cfg, nil)
	planned, err := first.Plan(ctx)
	if err != nil || planned != 4 {
		t.Fatalf("planned %d, %v; the demo lot needs at least 4 matches", planned, err)
	}
	if sent, err := first.Send(killed); err != nil || sent != 2 {
		t.Fatalf("before the kill: sent %d, %v", sent, err)
	}

	// A restart before the lease expires leaves the claimed rows alone; after it, the new sender takes them.
	mailer.cancel = nil
	second := service.NewNotifier(tenders, ts, mailer, cfg, nil)
	if sent, _ := second.Send(ctx); sent != 0 {
		t.Fatalf("sent %d notifications still leased to the killed sender", sent)
	}
	if n, _ := second.Plan(ctx); n != 0 {
		t.Fatalf("planned a new batch while one is unsent")
	}
	now = now.Add(2 * time.Minute)
	if sent, err := second.Send(ctx); err != nil || sent != 2 {
		t.Fatalf("after the restart: sent %d, %v", sent, err)
	}
	if len(mailer.sent) != 4 {
		t.Fatalf("%d distinct recipients, want 4: %v", len(mailer.sent), mailer.sent)
	}
	for to, n := range mailer.sent {
		if n != 1 {
			t.Fatalf("%s got %d e-mails", to, n)
		}
	}
	// The next batch never repeats a structure; after the deadline nothing more is planned nor sent.
	next, err := second.Plan(ctx)
	if err != nil || next == 0 {
		t.Fatalf("second batch: %d, %v", next, err)
	}
	now = deadline.AddDate(0, 0, 1)
	if sent, _ := second.Send(ctx); sent != 0 {
		t.Fatalf("sent %d after the deadline", sent)
	}
	notes, err := ts.FindTenderNotifications(ctx, tender.ID)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, n := range notes {
		if seen[n.StructureID] {
			t.Fatalf("structure %s notified twice", n.StructureID)
		}
		seen[n.StructureID] = true
	}
}

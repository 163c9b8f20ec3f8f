package service_test

import (
	"context"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// TestCallOnATenderLot reads the lot facts of a call from a tender on Essor, forms a groupement for it and shows
// its buyer only the counts.
func TestCallOnATenderLot(t *testing.T) {
	ref := refdata.Default()
	var accounts *service.Accounts
	var dir *service.Directory
	p, all, tenders := demoWorld(t, func(db *sqlstore.DB, d *service.Directory) *service.Tenders {
		accounts, dir = service.NewAccounts(sqlstore.NewAccounts(db), nil, service.DefaultLoginPolicy), d
		return service.NewTenders(sqlstore.NewTenders(db, sqlstore.WithCommuneLookup(ref.CommunePlace)),
			service.TenderDeps{Directory: d, Ref: ref, Places: ref.CommunePlace})
	})
	ctx := context.Background()
	buyer := func(email, siret string) context.Context {
		if _, err := accounts.ProvisionUser(ctx, dir, service.NewUser{Email: email, Password: "correct horse battery staple",
			Role: service.RoleBuyer, OrganisationSIRET: siret, OrganisationName: "Acheteur " + siret}); err != nil {
			t.Fatal(err)
		}
		tok, err := accounts.IssueToken(ctx, email, "test", 0)
		if err != nil {
			t.Fatal(err)
		}
		a, err := accounts.Authenticate(ctx, tok.Token)
		if err != nil {
			t.Fatal(err)
		}
		return service.WithActor(ctx, a)
	}
	nantes := buyer("achats@nantes.test", "21440109300015")
	other := buyer("achats@reze.test", "21440143200015")

	value := int64(300_000)
	deadline := time.Now().AddDate(0, 2, 0).UTC().Truncate(24 * time.Hour)
	tender, err := tenders.CreateTender(nantes, domain.Tender{Title: "Entretien des écoles", Kind: domain.TenderConsultation,
		CPVCodes: []string{"90910000-9"}, Communes: []string{"44109"}, ResponseDeadline: &deadline,
		Lots: []domain.Lot{{Number: 1, Title: "Nettoyage et petits travaux", CPVCodes: []string{"90910000-9", "45000000-7"},
			EstimatedValueEUR: &value, Reservation: domain.ReservationNone, OpenToGroupement: true}}})
	if err != nil {
		t.Fatal(err)
	}
	admin := service.WithActor(ctx, service.Actor{UserID: "admin", Role: service.RoleAdmin})
	caller, partner := all[0], all[1]
	call := domain.PartnershipCall{StructureID: caller.ID, TenderID: tender.ID, LotNumber: 1,
		RoleSought: domain.RoleCoContractor, Deadline: time.Now().AddDate(0, 1, 0)}
	member := service.WithActor(ctx, service.Actor{UserID: "m", Role: service.RoleStructure, StructureIDs: []string{caller.ID}})
	if _, err := p.CreateCall(member, call); domain.KindOf(err) != domain.KindInvalid {
		t.Fatalf("a call on a draft tender another organisation owns: %v, want invalid", err)
	}
	if _, err := tenders.Transition(nantes, tender.ID, domain.TenderPublished, nil); err != nil {
		t.Fatal(err)
	}
	v, err := p.CreateCall(member, call)
	if err != nil {
		t.Fatal(err)
	}
	if v.Lot.ValueEUR == nil || *v.Lot.ValueEUR != value || len(v.Lot.CPVCodes) != 2 || v.Lot.BuyerOrganisationID != tender.OrganisationID {
		t.Fatalf("lot facts %+v", v.Lot)
	}
	apply := service.WithActor(ctx, service.Actor{UserID: "n", Role: service.RoleStructure, StructureIDs: []string{partner.ID}})
	app, err := p.Apply(apply, v.ID, domain.Application{StructureID: partner.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DecideApplication(member, app.ID, true); err != nil {
		t.Fatal(err)
	}
	g, err := p.CreateGroupement(member, service.GroupementRequest{CallID: v.ID, Form: domain.FormSeveral,
		MandataireID: caller.ID, MemberIDs: []string{caller.ID, partner.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if g.Readiness.TurnoverRequiredEUR != 450_000 || len(g.Readiness.CPV) != 2 {
		t.Fatalf("readiness %+v: want 1.5 × 300 k€ and both codes of the lot", g.Readiness)
	}
	counts, err := p.GroupementSummary(nantes, tender.ID)
	if err != nil || len(counts) != 1 || counts[0].Several != 1 || counts[0].LotNumber != 1 {
		t.Fatalf("buyer summary %+v, %v", counts, err)
	}
	if _, err := p.GroupementSummary(other, tender.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("another buyer's summary: %v, want not found", err)
	}
	if _, err := p.FindGroupement(nantes, g.ID); domain.KindOf(err) != domain.KindNotFound {
		t.Fatalf("the buyer reads the groupement itself: %v, want not found", err)
	}
	if _, err := p.FindCalls(admin, domain.PartnershipCallFilter{TenderID: tender.ID}, domain.PageRequest{}); err != nil {
		t.Fatal(err)
	}
}

package service_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// demoExchange seeds the demo directory into a test database and returns the exchange over it.
func demoExchange(t *testing.T) (*service.Partnerships, []domain.Structure) {
	t.Helper()
	p, all, _ := demoWorld(t, nil)
	return p, all
}

// demoWorld seeds the demo directory and returns the exchange, reading tender lots through tenders when given one
// (built over the same database by the function).
func demoWorld(t *testing.T, tenders func(db *sqlstore.DB, dir *service.Directory) *service.Tenders) (*service.Partnerships, []domain.Structure, *service.Tenders) {
	t.Helper()
	ref := refdata.Default()
	db := dbtest.Open(t)
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	var all []domain.Structure
	err := demo.Generate(demo.Options{Count: 300, Seed: 1}, 100, func(batch []domain.Structure) error {
		for i := range batch {
			batch[i].ID = service.NewID()
			for j := range batch[i].Offers {
				batch[i].Offers[j].ID = service.NewID()
			}
		}
		all = append(all, batch...)
		_, err := store.CreateStructures(context.Background(), batch)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	co := sqlstore.NewCotraitance(db)
	deps := service.PartnershipDeps{Calls: co, Groupements: co, Structures: store, Ref: ref}
	var ts *service.Tenders
	if tenders != nil {
		ts = tenders(db, service.NewDirectory(store, ref, nil))
		deps.Lots = service.TenderLots{Tenders: ts}
	}
	return service.NewPartnerships(deps), all, ts
}

func division(code string) string { return code[:2] + "000000" }

// reaches reports whether s has an offer in the division that can be delivered in one of the communes.
func reaches(s *domain.Structure, div string, places []domain.CommunePlace) bool {
	for _, o := range s.Offers {
		for _, code := range o.CPVCodes {
			if domain.CPVCovers(div, code) && slices.ContainsFunc(places, func(p domain.CommunePlace) bool { return o.Area.Covers(s.Location, p) }) {
				return true
			}
		}
	}
	return false
}

// TestDemoCallGetsPartnersForTheMissingDivision is the "done when": on the demo directory, a call for a
// lot needing two CPV divisions, one of which the caller lacks, gets suggestions that cover the missing division in
// the lot's communes, each with its reasons.
func TestDemoCallGetsPartnersForTheMissingDivision(t *testing.T) {
	p, all := demoExchange(t)
	ref := refdata.Default()
	communes := []string{"44109", "44143"} // Nantes, Rezé
	var places []domain.CommunePlace
	for _, c := range communes {
		place, _ := ref.CommunePlace(c)
		places = append(places, place)
	}

	var caller *domain.Structure
	var have string
	for i := range all {
		s := &all[i]
		divs := map[string]bool{}
		for _, o := range s.Offers {
			for _, c := range o.CPVCodes {
				divs[division(c)] = true
			}
		}
		if len(divs) == 1 && s.Offers[0].CPVCodes != nil && reaches(s, division(s.Offers[0].CPVCodes[0]), places) {
			caller, have = s, division(s.Offers[0].CPVCodes[0])
			break
		}
	}
	if caller == nil {
		t.Fatal("no single-division structure in the demo directory reaches Nantes or Rezé")
	}
	counts := map[string]int{}
	for i := range all {
		for _, o := range all[i].Offers {
			for _, c := range o.CPVCodes {
				if d := division(c); d != have && reaches(&all[i], d, places) {
					counts[d]++
				}
			}
		}
	}
	var lacking string
	for d, n := range counts {
		if lacking == "" || n > counts[lacking] || (n == counts[lacking] && d < lacking) {
			lacking = d
		}
	}

	ctx := service.WithActor(context.Background(), service.Actor{UserID: "admin", Role: service.RoleAdmin})
	v, err := p.CreateCall(ctx, domain.PartnershipCall{StructureID: caller.ID, RoleSought: domain.RoleCoContractor,
		Deadline: time.Now().AddDate(0, 1, 0), Message: "Groupement pour le lot 3",
		External: &domain.ExternalConsultation{Reference: "DEMO-2026-3", Buyer: "Nantes Métropole",
			LotValueEUR: ptrTo(int64(200_000)), CPVCodes: []string{have, lacking}, Communes: communes}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.SuggestPartners(ctx, v.ID, 20)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatalf("no suggestion for %s (the caller has %s) in %v", lacking, have, communes)
	}
	byID := map[string]*domain.Structure{}
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	for _, s := range got {
		if !slices.Equal(s.Brings, []string{lacking}) || len(s.Communes) == 0 || len(s.Reasons) < 2 {
			t.Errorf("suggestion %s brings %v in %v with reasons %q", s.Name, s.Brings, s.Communes, s.Reasons)
		}
		if st := byID[s.StructureID]; st == nil || st.ID == caller.ID || !reaches(st, lacking, places) {
			t.Errorf("%s is suggested but has no offer in %s delivered in the lot's communes", s.Name, lacking)
		}
	}
	t.Logf("caller %s (%s) lacks %s: %d suggestions, best %s (%.3f): %q", caller.Name, have, lacking, len(got),
		got[0].Name, got[0].Score, got[0].Reasons)
}

func ptrTo[T any](v T) *T { return &v }

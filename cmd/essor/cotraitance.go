package main

import (
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// newPartnerships wires the co-contracting exchange over the database, reading tender lots through tenders; with
// nil tenders, calls answer outside consultations only.
func newPartnerships(a *app, tenders *service.Tenders) *service.Partnerships {
	var lots service.LotFacts
	if tenders != nil {
		lots = service.TenderLots{Tenders: tenders}
	}
	store := sqlstore.NewCotraitance(a.db)
	return service.NewPartnerships(service.PartnershipDeps{Calls: store, Groupements: store, Structures: a.store,
		Lots: lots, Contacts: sqlstore.NewAccounts(a.db), Ref: refdata.Default()})
}

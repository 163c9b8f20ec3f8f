package main

import (
	"context"
	"log/slog"

	"github.com/essor-ess/essor/internal/notify"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// startTenders builds the tender use cases and starts the notification sender; like the indexer, it stops after
// the HTTP server, and what it leaves half-sent stays in the database queue for the next start.
func startTenders(a *app, cfg config, log *slog.Logger, supply *service.AllotmentService) (*service.Tenders, *searchWorkers, error) {
	ref := refdata.Default()
	store := sqlstore.NewTenders(a.db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	// Matches come from the directory the lot-splitting supply holds in memory, the database until it is loaded.
	tenders := service.NewTenders(service.WithMemoryMatching(store, supply), service.TenderDeps{Directory: a.directory, Notifications: store, Ref: ref,
		Places: ref.CommunePlace, Reservable: func(code string) bool {
			c, ok := ref.CPV(code)
			return ok && c.ReservableL2113_15
		}})
	mailer, err := notify.New(cfg.SMTPURL, log)
	if err != nil {
		return nil, nil, err
	}
	notifier := service.NewNotifier(tenders, store, mailer, service.DefaultNotifierConfig, log)
	ctx, cancel := context.WithCancel(context.Background())
	w := &searchWorkers{cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		_ = notifier.Run(ctx)
	}()
	return tenders, w, nil
}

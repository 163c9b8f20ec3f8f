package service

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// Notification tells a structure about a lot it matches: shown in the app to its members, and sent by e-mail to
// its generic address through a durable queue (SentAt is set once the e-mail left, or when there was no address).
type Notification struct {
	ID          string
	TenderID    string
	TenderTitle string
	LotNumber   int
	LotTitle    string
	StructureID string
	Batch       int
	Deadline    *time.Time
	EmailTo     string
	CreatedAt   time.Time
	Attempts    int
	SentAt      *time.Time
	ReadAt      *time.Time
}

// LotQueueState is where the notifications of one lot of a published tender stand.
type LotQueueState struct {
	TenderID       string
	LotNumber      int
	BatchesPlanned int
	LastBatchAt    *time.Time
	Unsent         int
	Interested     int
}

// PlannedBatch is the next batch of notifications of a lot: number Batch, the previous one being Batch-1.
type PlannedBatch struct {
	TenderID   string
	LotNumber  int
	Batch      int
	Deadline   *time.Time
	Recipients []Notification // StructureID and EmailTo
	At         time.Time
}

// NotificationStore is the durable notification queue.
type NotificationStore interface {
	// LotsToNotify returns the lots of published tenders whose deadline is not before day.
	LotsToNotify(ctx context.Context, day time.Time) ([]LotQueueState, error)
	// PlanBatch records batch b of a lot if the lot's last planned batch is still b.Batch-1 (else 0, nil: another
	// planner was first) and inserts its notifications, skipping structures already notified about the lot.
	PlanBatch(ctx context.Context, b PlannedBatch) (int, error)
	// NotifiedStructureIDs returns the structures already notified about a lot.
	NotifiedStructureIDs(ctx context.Context, tenderID string, lot int) ([]string, error)
	// ClaimNotifications leases up to limit unsent notifications whose deadline is not past and whose lease is
	// free or expired, to owner until leaseUntil, counting an attempt on each (FOR UPDATE SKIP LOCKED on PostgreSQL).
	ClaimNotifications(ctx context.Context, owner string, limit int, now, leaseUntil time.Time) ([]Notification, error)
	// MarkNotificationSent records that a claimed notification was sent, if owner still holds its lease.
	MarkNotificationSent(ctx context.Context, id, owner string, at time.Time) error
	// FindNotifications lists the notifications of some structures (all when any is true), newest first.
	FindNotifications(ctx context.Context, structureIDs []string, any, unreadOnly bool, page domain.PageRequest) (domain.Page[Notification], error)
	// MarkNotificationRead sets the read time of a notification of one of the structures (all when any is true).
	MarkNotificationRead(ctx context.Context, id string, structureIDs []string, any bool, at time.Time) (*Notification, error)
	// FindTenderNotifications returns every notification of a tender.
	FindTenderNotifications(ctx context.Context, tenderID string) ([]Notification, error)
}

// ListNotifications lists the notifications of the structures the caller is a member of (every one for an
// administrator), newest first.
func (s *Tenders) ListNotifications(ctx context.Context, unreadOnly bool, page domain.PageRequest) (domain.Page[Notification], error) {
	a, err := signedIn(ctx)
	if err != nil {
		return domain.Page[Notification]{}, err
	}
	return s.notifications.FindNotifications(ctx, memberStructures(a), a.IsAdmin(), unreadOnly, page)
}

// MarkNotificationRead marks a notification of one of the caller's structures as read (viewed, in the buyer's
// funnel); another structure's is not found.
func (s *Tenders) MarkNotificationRead(ctx context.Context, id string) (*Notification, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if !validIDs(id) {
		return nil, domain.NotFound("notification")
	}
	return s.notifications.MarkNotificationRead(ctx, id, memberStructures(a), a.IsAdmin(), s.timestamp())
}

func memberStructures(a Actor) []string {
	if a.Role != RoleStructure {
		return nil
	}
	return a.StructureIDs
}

// Mail is one e-mail to send.
type Mail struct {
	To, Subject, Body string
}

// Mailer sends e-mails; it must give up when ctx ends.
type Mailer interface {
	Send(ctx context.Context, m Mail) error
}

// NotifierConfig sets the pace of notifications; zero fields take the defaults of DefaultNotifierConfig.
type NotifierConfig struct {
	// BatchSize structures are told at a time about a lot.
	BatchSize int
	// StopAfterInterested: no new batch once this many structures said they are interested.
	StopAfterInterested int
	// BatchInterval is the least time between two batches of a lot, to give the first a chance to answer.
	BatchInterval time.Duration
	// PollInterval is how often Run plans and sends.
	PollInterval time.Duration
	// Lease is how long a sender holds the notifications it claimed; after it, another sender takes them over.
	Lease time.Duration
	// BaseURL prefixes links in e-mails ("https://essor.example").
	BaseURL string
}

// DefaultNotifierConfig is the pace of Le Marché de l'inclusion: 10 at a time, until 6 are interested.
var DefaultNotifierConfig = NotifierConfig{BatchSize: 10, StopAfterInterested: 6, BatchInterval: 48 * time.Hour,
	PollInterval: 15 * time.Second, Lease: 2 * time.Minute}

// Notifier plans notification batches for published tenders and sends their e-mails from the durable queue.
// Several may run against one PostgreSQL database; on SQLite the one writer connection serialises them.
type Notifier struct {
	tenders *Tenders
	store   NotificationStore
	mailer  Mailer
	cfg     NotifierConfig
	log     *slog.Logger
	owner   string
}

// NewNotifier returns a notifier; each has its own lease owner identity.
func NewNotifier(tenders *Tenders, store NotificationStore, mailer Mailer, cfg NotifierConfig, log *slog.Logger) *Notifier {
	d := DefaultNotifierConfig
	cfg.BatchSize = cmp.Or(cfg.BatchSize, d.BatchSize)
	cfg.StopAfterInterested = cmp.Or(cfg.StopAfterInterested, d.StopAfterInterested)
	cfg.PollInterval = cmp.Or(cfg.PollInterval, d.PollInterval)
	cfg.Lease = cmp.Or(cfg.Lease, d.Lease)
	if cfg.BatchInterval < 0 {
		cfg.BatchInterval = 0
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Notifier{tenders: tenders, store: store, mailer: mailer, cfg: cfg, log: log, owner: NewID()}
}

// Run plans and sends until ctx ends, then returns nil; a failing pass is logged and retried at the next tick.
func (n *Notifier) Run(ctx context.Context) error {
	tick := time.NewTicker(n.cfg.PollInterval)
	defer tick.Stop()
	for {
		if _, err := n.Plan(ctx); err != nil && ctx.Err() == nil {
			n.log.Error("plan notifications", "error", err)
		}
		if _, err := n.Send(ctx); err != nil && ctx.Err() == nil {
			n.log.Error("send notifications", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Plan adds the next batch to every lot that needs one: published, before its deadline, its previous batch all
// sent and older than BatchInterval, fewer than StopAfterInterested interested. A batch takes the next matching
// structures, first-time bidders first, never one already notified about the lot nor one that answered it.
// It returns how many notifications it created.
func (n *Notifier) Plan(ctx context.Context) (int, error) {
	now := n.tenders.timestamp()
	lots, err := n.store.LotsToNotify(ctx, now)
	if err != nil {
		return 0, err
	}
	created := 0
	tenders := map[string]*domain.Tender{}
	for _, st := range lots {
		if st.Unsent > 0 || st.Interested >= n.cfg.StopAfterInterested ||
			(st.LastBatchAt != nil && now.Sub(*st.LastBatchAt) < n.cfg.BatchInterval) {
			continue
		}
		t := tenders[st.TenderID]
		if t == nil {
			if t, err = n.tenders.store.FindTenderByID(ctx, st.TenderID); err != nil {
				return created, err
			}
			tenders[st.TenderID] = t
		}
		c, err := n.planLot(ctx, t, st, now)
		if err != nil {
			return created, err
		}
		created += c
	}
	return created, nil
}

func (n *Notifier) planLot(ctx context.Context, t *domain.Tender, st LotQueueState, now time.Time) (int, error) {
	l, ok := t.Lot(st.LotNumber)
	if !ok || !t.Open(now) {
		return 0, nil
	}
	need, cands, err := n.tenders.candidates(ctx, t, l, true)
	if err != nil {
		return 0, err
	}
	skip, err := n.store.NotifiedStructureIDs(ctx, t.ID, l.Number)
	if err != nil {
		return 0, err
	}
	answers, err := n.tenders.store.FindInterests(ctx, t.ID)
	if err != nil {
		return 0, err
	}
	for _, a := range answers {
		if a.LotNumber == l.Number {
			skip = append(skip, a.StructureID)
		}
	}
	var next []lotCandidate
	for _, c := range cands {
		if len(next) == n.cfg.BatchSize {
			break
		}
		if !slices.Contains(skip, c.StructureID) {
			next = append(next, lotCandidate{need: need, MatchCandidate: c})
		}
	}
	matches, err := n.tenders.explain(ctx, next)
	if err != nil {
		return 0, err
	}
	b := PlannedBatch{TenderID: t.ID, LotNumber: l.Number, Batch: st.BatchesPlanned + 1, Deadline: t.Deadline(), At: now}
	for _, m := range matches {
		b.Recipients = append(b.Recipients, Notification{StructureID: m.Structure.ID, EmailTo: m.Structure.Contact.Email})
	}
	if len(b.Recipients) == 0 {
		return 0, nil
	}
	return n.store.PlanBatch(ctx, b)
}

// Send claims up to BatchSize unsent notifications and e-mails them, one at a time, marking each sent as soon as
// it left. When ctx ends mid-batch, the rest stay claimed until the lease expires and a sender (this one
// restarted, or another) takes them over: nothing is lost, and nothing sent is sent again. It returns how many
// it sent.
func (n *Notifier) Send(ctx context.Context) (int, error) {
	now := n.tenders.timestamp()
	claimed, err := n.store.ClaimNotifications(ctx, n.owner, n.cfg.BatchSize, now, now.Add(n.cfg.Lease))
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, nt := range claimed {
		if ctx.Err() != nil {
			return sent, nil //nolint:nilerr // stopping: the unsent rows go back to the queue when their lease expires
		}
		if nt.EmailTo != "" {
			if err := n.mailer.Send(ctx, n.mailFor(nt)); err != nil {
				if ctx.Err() != nil {
					return sent, nil //nolint:nilerr // stopping mid-send: the row is retried when its lease expires
				}
				n.log.Warn("notification e-mail failed; retried when the lease expires", "notification", nt.ID, "error", err)
				continue
			}
		}
		// The e-mail left: record it even if ctx just ended, or a restart would send it again.
		if err := n.store.MarkNotificationSent(context.WithoutCancel(ctx), nt.ID, n.owner, n.tenders.timestamp()); err != nil {
			return sent, fmt.Errorf("mark notification %s sent: %w", nt.ID, err)
		}
		sent++
	}
	return sent, nil
}

func (n *Notifier) mailFor(nt Notification) Mail {
	deadline := "sans date limite"
	if nt.Deadline != nil {
		deadline = "jusqu'au " + nt.Deadline.Format("02/01/2006")
	}
	return Mail{
		To:      nt.EmailTo,
		Subject: fmt.Sprintf("Essor : un besoin pour vous – %s, lot %d", nt.TenderTitle, nt.LotNumber),
		Body: fmt.Sprintf("Bonjour,\n\nUn acheteur public recherche des structures de l'ESS pour le lot %d « %s » "+
			"du besoin « %s ». Votre offre y correspond.\n\nRépondez (intéressé ou non) %s : %s/v1/tenders/%s\n",
			nt.LotNumber, nt.LotTitle, nt.TenderTitle, deadline, n.cfg.BaseURL, nt.TenderID),
	}
}

package service

import (
	"context"
	"slices"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// TenderStore persists tenders with their lots and the structures' answers, and finds the structures that may
// match a lot. Not-found and stale-version cases come back as *domain.Error of the matching kind.
type TenderStore interface {
	// CreateTender inserts a tender with its lots (ID set).
	CreateTender(ctx context.Context, t *domain.Tender) error
	// FindTenderByID loads a tender with its lots in number order.
	FindTenderByID(ctx context.Context, id string) (*domain.Tender, error)
	// UpdateTender replaces the tender's fields and lots when its stored version equals expectedVersion, and
	// increments the version (set on t).
	UpdateTender(ctx context.Context, t *domain.Tender, expectedVersion int) error
	// DeleteTender removes a tender with its lots, answers and notifications.
	DeleteTender(ctx context.Context, id string) error
	// FindTenders lists tenders (with lots) newest first.
	FindTenders(ctx context.Context, f TenderFilter, page domain.PageRequest) (domain.Page[domain.Tender], error)
	// MatchCandidates returns, in match order (first-time bidders first when asked, then by name and id), the
	// published structures the database finds for a lot: an offer in the CPV branch of the lot covering each of
	// its communes with the capacity the lot needs, the minimum turnover and the eligibility the reservation
	// asks for on day today. domain.MatchLot then explains each one.
	MatchCandidates(ctx context.Context, n domain.LotNeed, today time.Time, firstTimeFirst bool) ([]MatchCandidate, error)
	// FindStructuresByIDs loads structures (with offers, without representatives) in the order of ids.
	FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error)
	// SaveInterest records (or replaces) a structure's answer to a lot.
	SaveInterest(ctx context.Context, i Interest) error
	// FindInterests returns every answer to a tender.
	FindInterests(ctx context.Context, tenderID string) ([]Interest, error)
}

// MatchCandidate is a structure the database found for a lot.
type MatchCandidate struct {
	StructureID string
	FirstTime   bool
}

// TenderFilter selects tenders; empty fields do not filter.
type TenderFilter struct {
	// OrganisationIDs limits the list to these buyer organisations; nil with AnyOrganisation false lists none.
	OrganisationIDs []string
	AnyOrganisation bool
	Statuses        []domain.TenderStatus
	Kind            domain.TenderKind
}

// Tenders is the use-case layer of purchase needs: tenders and lots, their matches, answers and funnel.
type Tenders struct {
	store         TenderStore
	dir           *Directory
	notifications NotificationStore
	ref           domain.Reference
	places        func(insee string) (domain.CommunePlace, bool)
	reservable    domain.ESSReservable
	now           func() time.Time
}

// TenderDeps are what the tender use cases need besides their store.
type TenderDeps struct {
	Directory     *Directory
	Notifications NotificationStore
	Ref           domain.Reference
	// Places gives the department, region, EPCI and centre of a commune (refdata.Default().CommunePlace).
	Places func(insee string) (domain.CommunePlace, bool)
	// Reservable tells the CPV codes L2113-15 lets a buyer reserve (refdata's ReservableL2113_15 flag).
	Reservable domain.ESSReservable
	Clock      func() time.Time
}

// NewTenders returns the tender use cases.
func NewTenders(store TenderStore, deps TenderDeps) *Tenders {
	if deps.Clock == nil {
		deps.Clock = time.Now
	}
	return &Tenders{store: store, dir: deps.Directory, notifications: deps.Notifications, ref: deps.Ref,
		places: deps.Places, reservable: deps.Reservable, now: deps.Clock}
}

func (s *Tenders) timestamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// CreateTender validates a new draft tender of the caller's buyer organisation and stores it. A buyer member of
// several organisations, and an administrator, name the organisation.
func (s *Tenders) CreateTender(ctx context.Context, t domain.Tender) (*domain.Tender, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if t.OrganisationID, err = owningOrganisation(a, t.OrganisationID); err != nil {
		return nil, err
	}
	now := s.timestamp()
	t.ID, t.CreatedBy, t.Status, t.PublishedAt = NewID(), a.UserID, domain.TenderDraft, nil
	t.CreatedAt, t.UpdatedAt, t.Version = now, now, 1
	if err := s.validate(&t); err != nil {
		return nil, err
	}
	if err := s.store.CreateTender(ctx, &t); err != nil {
		return nil, err
	}
	return &t, nil
}

func owningOrganisation(a Actor, asked string) (string, error) {
	switch {
	case a.IsAdmin() && asked != "":
		return asked, nil
	case a.IsAdmin():
		return "", fieldError("organisation_id", "is required when an administrator creates a tender")
	case a.Role != RoleBuyer || len(a.OrganisationIDs) == 0:
		return "", domain.Forbidden("only members of a buyer organisation create tenders")
	case asked != "":
		if !slices.Contains(a.OrganisationIDs, asked) {
			return "", domain.Forbidden("you are not a member of this buyer organisation")
		}
		return asked, nil
	case len(a.OrganisationIDs) > 1:
		return "", fieldError("organisation_id", "is required: you belong to several buyer organisations")
	}
	return a.OrganisationIDs[0], nil
}

func (s *Tenders) validate(t *domain.Tender) error {
	t.Normalize()
	slices.SortFunc(t.Lots, func(a, b domain.Lot) int { return a.Number - b.Number })
	return t.Validate(s.ref, s.reservable)
}

// owns reports whether the actor speaks for the buyer organisation of the tender.
func owns(a Actor, t *domain.Tender) bool {
	return a.IsAdmin() || (a.Role == RoleBuyer && slices.Contains(a.OrganisationIDs, t.OrganisationID))
}

// visible reports whether the actor may know the tender exists: its organisation and administrators always;
// anyone signed in once it left the draft status.
func visible(a Actor, t *domain.Tender) bool {
	return owns(a, t) || (!a.Anonymous() && t.Status != domain.TenderDraft)
}

// FindTenderByID returns a tender the caller may see: drafts only to their buyer organisation and administrators,
// others get not found.
func (s *Tenders) FindTenderByID(ctx context.Context, id string) (*domain.Tender, error) {
	a, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.load(ctx, id)
	if err != nil {
		return nil, err
	}
	if !visible(a, t) {
		return nil, domain.NotFound("tender")
	}
	return t, nil
}

func (s *Tenders) load(ctx context.Context, id string) (*domain.Tender, error) {
	if !validIDs(id) {
		return nil, domain.NotFound("tender")
	}
	return s.store.FindTenderByID(ctx, id)
}

// ownedTender loads a tender the actor's organisation owns: not found for those who may not see it, forbidden
// for those who see it but do not own it.
func (s *Tenders) ownedTender(ctx context.Context, id string) (*domain.Tender, error) {
	t, err := s.FindTenderByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !owns(ActorFrom(ctx), t) {
		return nil, domain.Forbidden("only the buyer organisation of the tender may do this")
	}
	return t, nil
}

// editableTender loads an owned draft at the expected version.
func (s *Tenders) editableTender(ctx context.Context, id string, ifVersion *int) (*domain.Tender, error) {
	t, err := s.ownedTender(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifVersion != nil && *ifVersion != t.Version {
		return nil, domain.PreconditionFailed("the tender was changed since it was read; fetch it again")
	}
	if t.Status != domain.TenderDraft {
		return nil, domain.Conflict("tender_not_draft", "only a draft tender can be changed; this one is "+string(t.Status))
	}
	return t, nil
}

// UpdateTender applies patch to a draft tender, validates the result and stores it when the stored version still
// equals ifVersion (when given).
func (s *Tenders) UpdateTender(ctx context.Context, id string, ifVersion *int, patch func(*domain.Tender)) (*domain.Tender, error) {
	cur, err := s.editableTender(ctx, id, ifVersion)
	if err != nil {
		return nil, err
	}
	next := *cur
	next.Lots = slices.Clone(cur.Lots)
	patch(&next)
	next.ID, next.OrganisationID, next.CreatedBy, next.CreatedAt = cur.ID, cur.OrganisationID, cur.CreatedBy, cur.CreatedAt
	next.Status, next.PublishedAt, next.Version = cur.Status, cur.PublishedAt, cur.Version
	return s.save(ctx, cur, &next)
}

// ReplaceLots replaces the lots of a draft tender, for instance with an allotment alternative the lot-splitting
// engine proposed, and validates the tender with them as a whole (lot values against the total, R2142-7…).
func (s *Tenders) ReplaceLots(ctx context.Context, tenderID string, lots []domain.Lot, ifVersion *int) (*domain.Tender, error) {
	return s.UpdateTender(ctx, tenderID, ifVersion, func(t *domain.Tender) { t.Lots = slices.Clone(lots) })
}

func (s *Tenders) save(ctx context.Context, cur, next *domain.Tender) (*domain.Tender, error) {
	if err := s.validate(next); err != nil {
		return nil, err
	}
	next.UpdatedAt = s.timestamp()
	if err := s.store.UpdateTender(ctx, next, cur.Version); err != nil {
		return nil, err
	}
	return next, nil
}

// DeleteTender removes a draft tender of the caller's organisation.
func (s *Tenders) DeleteTender(ctx context.Context, id string) error {
	if _, err := s.editableTender(ctx, id, nil); err != nil {
		return err
	}
	return s.store.DeleteTender(ctx, id)
}

// Transition moves a tender of the caller's organisation to another status along draft → published → closed →
// awarded, or to cancelled; a tender that cannot make the move is a conflict. Publishing re-validates the tender
// against the figures of the day and starts the notifications (the sender plans the first batch).
func (s *Tenders) Transition(ctx context.Context, id string, to domain.TenderStatus, ifVersion *int) (*domain.Tender, error) {
	cur, err := s.ownedTender(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifVersion != nil && *ifVersion != cur.Version {
		return nil, domain.PreconditionFailed("the tender was changed since it was read; fetch it again")
	}
	if !cur.Status.CanBecome(to) {
		return nil, domain.Conflict("invalid_transition", "a "+string(cur.Status)+" tender cannot become "+string(to))
	}
	next := *cur
	next.Status = to
	if to == domain.TenderPublished {
		at := s.timestamp()
		next.PublishedAt = &at
		if d := next.Deadline(); d != nil && !next.Open(at) {
			return nil, fieldError("deadline", "is past: set a later deadline before publishing")
		}
	}
	return s.save(ctx, cur, &next)
}

// ListTenders lists the tenders of the caller's buyer organisations (all of them for administrators, the
// published ones for other signed-in users), newest first.
func (s *Tenders) ListTenders(ctx context.Context, f TenderFilter, page domain.PageRequest) (domain.Page[domain.Tender], error) {
	a, err := signedIn(ctx)
	if err != nil {
		return domain.Page[domain.Tender]{}, err
	}
	switch {
	case a.IsAdmin():
		f.AnyOrganisation = f.AnyOrganisation || len(f.OrganisationIDs) == 0
	case a.Role == RoleBuyer:
		f.OrganisationIDs, f.AnyOrganisation = a.OrganisationIDs, false
	default:
		f.AnyOrganisation, f.OrganisationIDs = true, nil
		if len(f.Statuses) == 0 {
			f.Statuses = []domain.TenderStatus{domain.TenderPublished}
		}
		f.Statuses = slices.DeleteFunc(slices.Clone(f.Statuses), func(st domain.TenderStatus) bool { return st == domain.TenderDraft })
		if len(f.Statuses) == 0 {
			return domain.Page[domain.Tender]{Items: []domain.Tender{}}, nil
		}
	}
	return s.store.FindTenders(ctx, f, page)
}

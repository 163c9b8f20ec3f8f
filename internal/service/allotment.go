package service

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// SupplySource is what the allotment service reads from the database to keep its ESS supply equal to the
// published directory (internal/sqlstore implements it).
type SupplySource interface {
	OutboxAfter(ctx context.Context, position int64, limit int) ([]domain.OutboxEntry, error)
	MaxOutboxPosition(ctx context.Context) (int64, error)
	// OutboxPrunedUpTo returns the highest outbox position pruned so far (0 when none).
	OutboxPrunedUpTo(ctx context.Context) (int64, error)
	StructureIDsAfter(ctx context.Context, afterID string, limit int) ([]string, error)
	// FindStructuresByIDs loads structures of any status with their offers (never representatives).
	FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error)
}

// AllotmentReference is the reference data the lot-splitting engine reads.
type AllotmentReference struct {
	CPV    allotment.CPVInfo
	Places allotment.CommunePlaces
	// CanonicalCPV returns a known code written with its check digit ("77310000" → "77310000-6").
	CanonicalCPV func(code string) (string, bool)
}

// AllotmentReferenceFrom adapts the embedded reference data to the engine.
func AllotmentReferenceFrom(c *refdata.Catalog) AllotmentReference {
	return AllotmentReference{
		CPV: allotment.CPVInfoFunc(func(code string) (allotment.CPVFacts, bool) {
			cpv, ok := c.CPV(code)
			if !ok {
				return allotment.CPVFacts{}, false
			}
			return allotment.CPVFacts{Nature: allotment.Nature(cpv.Nature), SocialSpecific: cpv.SocialSpecific,
				ReservableL2113_15: cpv.ReservableL2113_15}, true
		}),
		Places: func(insee string) (allotment.CommunePlace, bool) {
			cm, ok := c.Commune(insee)
			if !ok {
				return allotment.CommunePlace{}, false
			}
			return allotment.CommunePlace{Name: cm.Name, Centre: domain.GeoPoint{Lat: cm.Lat, Lon: cm.Lon},
				Department: cm.Department, Region: cm.Region, EPCI: cm.EPCI}, true
		},
		CanonicalCPV: func(code string) (string, bool) {
			cpv, ok := c.CPV(code)
			return cpv.Code, ok
		},
	}
}

// AllotmentConfig tunes an AllotmentService. Zero values take the defaults.
type AllotmentConfig struct {
	// BatchSize is how many structures or outbox entries one database read carries (default 1,000).
	BatchSize int
	// PollInterval is how often the follower looks for new outbox entries when not notified (default 1 s).
	PollInterval time.Duration
	// CompactAfter is how many changed structures the layer over the base supply may hold before the base is
	// rebuilt from the whole directory (default 5,000).
	CompactAfter int
	Logger       *slog.Logger
}

func (c *AllotmentConfig) defaults() {
	if c.BatchSize <= 0 {
		c.BatchSize = 1000
	}
	if c.PollInterval <= 0 {
		c.PollInterval = time.Second
	}
	if c.CompactAfter <= 0 {
		c.CompactAfter = 5000
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
}

// AllotmentService suggests lot splits of purchase needs against the published ESS directory. It holds the
// directory's supply in memory: a base built from every published structure, and a small layer of the structures
// the outbox reported changed since, rebuilt after each outbox batch; the base is rebuilt once the layer grows
// past CompactAfter. Searches read an immutable snapshot, so they never wait for the follower.
type AllotmentService struct {
	src  SupplySource
	ref  AllotmentReference
	cfg  AllotmentConfig
	now  func() time.Time
	snap atomic.Pointer[supplySnapshot]
	wake chan struct{}

	mu       sync.Mutex // held by Load and ApplyPending: one writer of the fields below
	position int64
	all      map[string]allotment.SupplyStructure // every published structure, by id
	base     *allotment.MemorySupply
	changed  map[string]bool // ids written or removed since base was built
	// extras and matchBase feed tender matching (WithMemoryMatching) from the same directory.
	extras    map[string]matchExtra
	matchBase *matchIndex
}

// supplySnapshot is what one suggestion reads.
type supplySnapshot struct {
	supply     allotment.Supply
	matches    *matchView
	structures int
	position   int64
}

// NewAllotmentService returns the service; it answers unavailable until Load has read the directory. clock may be
// nil (time.Now); it gives the reference date of needs without one.
func NewAllotmentService(src SupplySource, ref AllotmentReference, cfg AllotmentConfig, clock func() time.Time) *AllotmentService {
	cfg.defaults()
	if clock == nil {
		clock = time.Now
	}
	return &AllotmentService{src: src, ref: ref, cfg: cfg, now: clock, wake: make(chan struct{}, 1)}
}

// ErrSupplyNotReady is returned by suggestions while the ESS supply is being read from the database.
var ErrSupplyNotReady = &domain.Error{Kind: domain.KindUnavailable, Code: "allotment_supply_not_ready",
	Detail: "the ESS supply is being loaded from the directory; lot suggestions will be available shortly"}

// Suggest validates the need and returns ranked lot splits judged against the published directory: buyers and
// administrators only. Validation problems name fields such as "lines[3].cpv".
func (s *AllotmentService) Suggest(ctx context.Context, need allotment.Need) (allotment.Result, error) {
	if err := authorizeAllotment(ActorFrom(ctx)); err != nil {
		return allotment.Result{}, err
	}
	return s.suggest(need)
}

func (s *AllotmentService) suggest(need allotment.Need) (allotment.Result, error) {
	snap := s.snap.Load()
	if snap == nil {
		return allotment.Result{}, ErrSupplyNotReady
	}
	need.Lines = append([]allotment.Line(nil), need.Lines...)
	for i, l := range need.Lines {
		if code, ok := s.ref.CanonicalCPV(l.CPV); ok {
			need.Lines[i].CPV = code
		}
	}
	engine := allotment.Engine{CPV: s.ref.CPV, Places: s.ref.Places, Supply: snap.supply, Now: s.now}
	return engine.Suggest(need)
}

// authorizeAllotment lets buyers and administrators ask for suggestions. Anonymous callers are refused: a
// suggestion costs tens of milliseconds of CPU, so it sits behind the per-token rate limit.
func authorizeAllotment(a Actor) error {
	switch {
	case a.Anonymous():
		return domain.Unauthenticated("sign in first: send Authorization: Bearer <token>")
	case a.IsAdmin(), a.Role == RoleBuyer:
		return nil
	}
	return domain.Forbidden("lot-splitting suggestions are for buyers and administrators")
}

// Ready reports whether the supply has been loaded.
func (s *AllotmentService) Ready() bool { return s.snap.Load() != nil }

// SupplyStatus describes the supply suggestions read.
type SupplyStatus struct {
	Ready      bool
	Structures int
	Position   int64
}

// Status returns the size and outbox position of the supply suggestions read now.
func (s *AllotmentService) Status() SupplyStatus {
	snap := s.snap.Load()
	if snap == nil {
		return SupplyStatus{}
	}
	return SupplyStatus{Ready: true, Structures: snap.structures, Position: snap.position}
}

// Load reads every published structure page by page and builds the base supply. It records the outbox position
// first, so changes made during the read are applied again by the follower: re-applying a change is harmless.
func (s *AllotmentService) Load(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.load(ctx)
}

func (s *AllotmentService) load(ctx context.Context) error {
	position, err := s.src.MaxOutboxPosition(ctx)
	if err != nil {
		return fmt.Errorf("allotment supply: outbox position: %w", err)
	}
	all := map[string]allotment.SupplyStructure{}
	extras := map[string]matchExtra{}
	after := ""
	for {
		ids, err := s.src.StructureIDsAfter(ctx, after, s.cfg.BatchSize)
		if err != nil {
			return fmt.Errorf("allotment supply: structure ids: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		found, err := s.src.FindStructuresByIDs(ctx, ids)
		if err != nil {
			return fmt.Errorf("allotment supply: structures: %w", err)
		}
		for i := range found {
			if found[i].Status == domain.StatusPublished {
				all[found[i].ID] = allotment.SupplyStructureFrom(found[i])
				extras[found[i].ID] = matchExtraFrom(&found[i])
			}
		}
		after = ids[len(ids)-1]
	}
	s.all, s.extras, s.position = all, extras, position
	s.compact()
	return nil
}

// compact rebuilds the base from every published structure and empties the layer.
func (s *AllotmentService) compact() {
	list := make([]allotment.SupplyStructure, 0, len(s.all))
	for _, st := range s.all {
		list = append(list, st)
	}
	s.base = allotment.NewMemorySupply(list, s.ref.Places)
	s.matchBase = newMatchIndex(list, s.extras)
	s.changed = map[string]bool{}
	s.snap.Store(&supplySnapshot{supply: s.base, matches: &matchView{base: s.matchBase}, structures: len(list),
		position: s.position})
}

// ApplyPending applies one batch of outbox entries after the supply's position and returns how many it read.
// Each structure named is re-read: published, it joins the layer; otherwise it leaves the supply.
func (s *AllotmentService) ApplyPending(ctx context.Context) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.base == nil {
		return 0, ErrSupplyNotReady
	}
	// The search indexers prune the outbox once they have all applied it; this follower does not hold pruning
	// back, so if entries it has not read were pruned it reads the whole directory again.
	pruned, err := s.src.OutboxPrunedUpTo(ctx)
	if err != nil {
		return 0, fmt.Errorf("allotment supply: outbox watermark: %w", err)
	}
	if pruned > s.position {
		s.cfg.Logger.Warn("allotment supply: outbox pruned past the supply's position; reloading",
			"position", s.position, "pruned", pruned)
		return 0, s.load(ctx)
	}
	entries, err := s.src.OutboxAfter(ctx, s.position, s.cfg.BatchSize)
	if err != nil || len(entries) == 0 {
		return 0, err
	}
	var ids []string
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Entity == "structure" && !seen[e.EntityID] {
			seen[e.EntityID] = true
			ids = append(ids, e.EntityID)
		}
	}
	found, err := s.src.FindStructuresByIDs(ctx, ids)
	if err != nil {
		return 0, fmt.Errorf("allotment supply: structures: %w", err)
	}
	for _, id := range ids {
		delete(s.all, id)
		delete(s.extras, id)
		s.changed[id] = true
	}
	for i := range found {
		if found[i].Status == domain.StatusPublished {
			s.all[found[i].ID] = allotment.SupplyStructureFrom(found[i])
			s.extras[found[i].ID] = matchExtraFrom(&found[i])
		}
	}
	s.position = entries[len(entries)-1].Position
	if len(s.changed) > s.cfg.CompactAfter {
		s.compact()
		return len(entries), nil
	}
	current := make([]allotment.SupplyStructure, 0, len(s.changed))
	for id := range s.changed {
		if st, ok := s.all[id]; ok {
			current = append(current, st)
		}
	}
	changed := make(map[string]bool, len(s.changed))
	for id := range s.changed {
		changed[id] = true
	}
	s.snap.Store(&supplySnapshot{supply: allotment.NewLayeredSupply(s.base, changed, current, s.ref.Places),
		matches: newMatchView(s.matchBase, changed, current, s.extras), structures: len(s.all), position: s.position})
	return len(entries), nil
}

// matches returns the tender matcher over the directory, nil until the supply is loaded.
func (s *AllotmentService) matches() *matchView {
	if snap := s.snap.Load(); snap != nil {
		return snap.matches
	}
	return nil
}

// Notify wakes the follower: a write just happened in this process.
func (s *AllotmentService) Notify() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run loads the supply (retrying until it succeeds) and then follows the outbox until ctx ends.
func (s *AllotmentService) Run(ctx context.Context) error {
	backoff := time.Second
	for {
		start := time.Now()
		err := s.Load(ctx)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // shutting down: err is only the cancellation
		}
		if err == nil {
			s.cfg.Logger.Info("allotment supply loaded", "structures", s.Status().Structures,
				"took", time.Since(start).Round(time.Millisecond))
			break
		}
		s.cfg.Logger.Error("allotment supply: loading failed; retrying", "err", err, "in", backoff)
		if !sleep(ctx, backoff) {
			return nil
		}
		backoff = min(2*backoff, 30*time.Second)
	}
	return s.follow(ctx)
}

func (s *AllotmentService) follow(ctx context.Context) error {
	backoff := time.Second
	for {
		n, err := s.ApplyPending(ctx)
		if ctx.Err() != nil {
			return nil //nolint:nilerr // shutting down: err is only the cancellation
		}
		if err != nil {
			s.cfg.Logger.Error("allotment supply: applying the outbox failed; retrying", "err", err, "in", backoff)
			if !sleep(ctx, backoff) {
				return nil
			}
			backoff = min(2*backoff, 30*time.Second)
			continue
		}
		backoff = time.Second
		if n >= s.cfg.BatchSize {
			continue
		}
		select {
		case <-ctx.Done():
			return nil
		case <-s.wake:
		case <-time.After(s.cfg.PollInterval):
		}
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(d):
		return true
	}
}

package service

import (
	"context"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// WithMemoryMatching returns store with MatchCandidates answered from the published directory the allotment
// service holds in memory (kept within about a second of the outbox), instead of a query that selects and orders
// every match. Until the supply is loaded, and when supply is nil, the database answers: the results are the
// same, only slower. Every other method is store's.
func WithMemoryMatching(store TenderStore, supply *AllotmentService) TenderStore {
	if supply == nil {
		return store
	}
	return &memoryMatchingStore{TenderStore: store, supply: supply}
}

type memoryMatchingStore struct {
	TenderStore
	supply *AllotmentService
}

// MatchCandidates implements TenderStore with the in-memory matcher once it is loaded.
func (s *memoryMatchingStore) MatchCandidates(ctx context.Context, n domain.LotNeed, today time.Time, firstTimeFirst bool) ([]MatchCandidate, error) {
	if v := s.supply.matches(); v != nil {
		return v.candidates(n, today, firstTimeFirst), nil
	}
	return s.TenderStore.MatchCandidates(ctx, n, today, firstTimeFirst)
}

package service

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// MatchQuery asks for one page of the matches of a lot or tender; FirstTimeFirst ranks first-time bidders first.
type MatchQuery struct {
	FirstTimeFirst bool
	Page           domain.PageRequest
}

// LotMatches lists the ESS structures that can answer a lot of a tender of the caller's organisation, with the
// offers that qualify them and why, one page at a time.
func (s *Tenders) LotMatches(ctx context.Context, tenderID string, number int, q MatchQuery) (domain.Page[domain.LotMatch], error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	l, ok := t.Lot(number)
	if !ok {
		return domain.Page[domain.LotMatch]{}, domain.NotFound("lot")
	}
	all, err := s.matchLot(ctx, t, l, q.FirstTimeFirst)
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	return pageOf(all, q.Page), nil
}

// TenderMatches lists the matches of every lot of a tender of the caller's organisation, lot by lot.
func (s *Tenders) TenderMatches(ctx context.Context, tenderID string, q MatchQuery) (domain.Page[domain.LotMatch], error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	var all []domain.LotMatch
	for _, l := range t.Lots {
		ms, err := s.matchLot(ctx, t, l, q.FirstTimeFirst)
		if err != nil {
			return domain.Page[domain.LotMatch]{}, err
		}
		all = append(all, ms...)
	}
	return pageOf(all, q.Page), nil
}

// matchLot finds the matches of a lot, whoever asks: the database narrows the directory down to candidates,
// domain.MatchLot decides on the whole rule. They come by structure name, first-time bidders first when asked.
func (s *Tenders) matchLot(ctx context.Context, t *domain.Tender, l domain.Lot, firstTimeFirst bool) ([]domain.LotMatch, error) {
	need := t.NeedOf(l, s.places)
	candidates, err := s.store.MatchCandidates(ctx, need)
	if err != nil {
		return nil, err
	}
	today := s.now()
	out := make([]domain.LotMatch, 0, len(candidates))
	for i := range candidates {
		if m, ok := domain.MatchLot(need, &candidates[i], today); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b domain.LotMatch) int {
		if firstTimeFirst && a.FirstTime != b.FirstTime {
			if a.FirstTime {
				return -1
			}
			return 1
		}
		return cmp.Or(strings.Compare(a.Structure.Name, b.Structure.Name), strings.Compare(a.Structure.ID, b.Structure.ID))
	})
	return out, nil
}

// pageOf cuts one page from a computed list; the cursor holds the offset of the next item.
func pageOf[T any](all []T, page domain.PageRequest) domain.Page[T] {
	size := cmp.Or(page.Size, domain.DefaultPageSize)
	start, _ := strconv.Atoi(page.Cursor.Key)
	start = min(max(start, 0), len(all))
	end := min(start+size, len(all))
	out := domain.Page[T]{Items: all[start:end], Total: len(all)}
	if end < len(all) {
		out.NextCursor = domain.Cursor{Key: strconv.Itoa(end)}.Encode()
	}
	if out.Items == nil {
		out.Items = []T{}
	}
	return out
}

// LotSupply is the buyer's view of the directory for a lot before publishing: how many ESS structures could
// answer it, and among them first-time bidders, disability employers (EA, EATT, ESAT) and SIAE.
type LotSupply struct {
	LotNumber           int
	Structures          int
	FirstTime           int
	DisabilityEmployers int
	SIAE                int
}

// Supply counts, per lot of a tender of the caller's organisation, the structures that could answer it.
func (s *Tenders) Supply(ctx context.Context, tenderID string) ([]LotSupply, error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	out := make([]LotSupply, 0, len(t.Lots))
	for _, l := range t.Lots {
		ms, err := s.matchLot(ctx, t, l, false)
		if err != nil {
			return nil, err
		}
		sup := LotSupply{LotNumber: l.Number, Structures: len(ms)}
		for _, m := range ms {
			if m.FirstTime {
				sup.FirstTime++
			}
			if hasAny(m.Structure.InclusionKinds, domain.DisabilityEmployerKinds) {
				sup.DisabilityEmployers++
			}
			if hasAny(m.Structure.InclusionKinds, domain.SIAEKinds) {
				sup.SIAE++
			}
		}
		out = append(out, sup)
	}
	return out, nil
}

func hasAny(have, want []string) bool {
	return slices.ContainsFunc(have, func(k string) bool { return slices.Contains(want, k) })
}

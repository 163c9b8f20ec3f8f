package service

import (
	"cmp"
	"context"
	"strconv"

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
	return s.matchPage(ctx, t, []domain.Lot{l}, q)
}

// TenderMatches lists the matches of every lot of a tender of the caller's organisation, lot by lot.
func (s *Tenders) TenderMatches(ctx context.Context, tenderID string, q MatchQuery) (domain.Page[domain.LotMatch], error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	return s.matchPage(ctx, t, t.Lots, q)
}

// lotCandidate is a candidate of one lot of a tender.
type lotCandidate struct {
	need domain.LotNeed
	MatchCandidate
}

// matchPage finds the candidates of the lots (ids only, in match order), cuts the page from their concatenation
// and explains only the structures of that page: the cost of a page does not grow with the number of matches
// beyond listing their ids.
func (s *Tenders) matchPage(ctx context.Context, t *domain.Tender, lots []domain.Lot, q MatchQuery) (domain.Page[domain.LotMatch], error) {
	type lotCandidates struct {
		need  domain.LotNeed
		cands []MatchCandidate
	}
	lists := make([]lotCandidates, 0, len(lots))
	total := 0
	for _, l := range lots {
		need, cands, err := s.candidates(ctx, t, l, q.FirstTimeFirst)
		if err != nil {
			return domain.Page[domain.LotMatch]{}, err
		}
		lists = append(lists, lotCandidates{need: need, cands: cands})
		total += len(cands)
	}
	start, end, next := pageBounds(total, q.Page)
	var page []lotCandidate
	offset := 0
	for _, l := range lists {
		for i := max(start-offset, 0); i < len(l.cands) && offset+i < end; i++ {
			page = append(page, lotCandidate{need: l.need, MatchCandidate: l.cands[i]})
		}
		offset += len(l.cands)
	}
	items, err := s.explain(ctx, page)
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	return domain.Page[domain.LotMatch]{Items: items, NextCursor: next, Total: total}, nil
}

func (s *Tenders) candidates(ctx context.Context, t *domain.Tender, l domain.Lot, firstTimeFirst bool) (domain.LotNeed, []MatchCandidate, error) {
	need := t.NeedOf(l, s.places)
	cands, err := s.store.MatchCandidates(ctx, need, s.now(), firstTimeFirst)
	return need, cands, err
}

// explain loads the candidates' structures and runs domain.MatchLot on each for its offers and reasons, keeping
// the order. A candidate the rule refuses (the database's distance is an approximation at the radius's edge) is
// left out.
func (s *Tenders) explain(ctx context.Context, cands []lotCandidate) ([]domain.LotMatch, error) {
	ids := make([]string, len(cands))
	for i, c := range cands {
		ids[i] = c.StructureID
	}
	structures, err := s.store.FindStructuresByIDs(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*domain.Structure, len(structures))
	for i := range structures {
		byID[structures[i].ID] = &structures[i]
	}
	today := s.now()
	out := make([]domain.LotMatch, 0, len(cands))
	for _, c := range cands {
		if st := byID[c.StructureID]; st != nil {
			if m, ok := domain.MatchLot(c.need, st, today); ok {
				out = append(out, m)
			}
		}
	}
	return out, nil
}

// pageBounds places a page in a list of total items: items [start, end), and the cursor of the next page (the
// offset of its first item) when there is one.
func pageBounds(total int, page domain.PageRequest) (start, end int, next string) {
	size := cmp.Or(page.Size, domain.DefaultPageSize)
	start, _ = strconv.Atoi(page.Cursor.Key)
	start = min(max(start, 0), total)
	end = start + min(size, total-start)
	if end < total {
		next = domain.Cursor{Key: strconv.Itoa(end)}.Encode()
	}
	return start, end, next
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

// Supply counts, per lot of a tender of the caller's organisation, the structures that could answer it; the
// EA/ESAT and SIAE counts are those the lot would keep if reserved under L2113-12 or L2113-13.
func (s *Tenders) Supply(ctx context.Context, tenderID string) ([]LotSupply, error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	out := make([]LotSupply, 0, len(t.Lots))
	for _, l := range t.Lots {
		_, cands, err := s.candidates(ctx, t, l, false)
		if err != nil {
			return nil, err
		}
		sup := LotSupply{LotNumber: l.Number, Structures: len(cands)}
		for _, c := range cands {
			if c.FirstTime {
				sup.FirstTime++
			}
		}
		for _, r := range []struct {
			reservation domain.Reservation
			count       *int
		}{{domain.ReservationDisabled, &sup.DisabilityEmployers}, {domain.ReservationSIAE, &sup.SIAE}} {
			reserved := l
			reserved.Reservation = r.reservation
			_, cands, err := s.candidates(ctx, t, reserved, false)
			if err != nil {
				return nil, err
			}
			*r.count = len(cands)
		}
		out = append(out, sup)
	}
	return out, nil
}

package service

import (
	"context"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// InterestAnswer is a structure's answer to a lot.
type InterestAnswer string

// Answers.
const (
	Interested    InterestAnswer = "interested"
	NotInterested InterestAnswer = "not_interested"
)

// DeclineReasons are the reasons a structure may give for not being interested; "other" asks for a message.
var DeclineReasons = []string{"not_our_trade", "area_too_far", "lot_too_large", "lot_too_small", "no_capacity_now",
	"deadline_too_short", "requirements_too_high", "other"}

// MaxInterestMessageRunes bounds the free text of an answer.
const MaxInterestMessageRunes = 2000

// Interest is a structure's answer to a lot of a published tender.
type Interest struct {
	TenderID    string
	LotNumber   int
	StructureID string
	Answer      InterestAnswer
	Reason      string
	Message     string
	UserID      string
	AnsweredAt  time.Time
}

// Answer records that a structure is interested in a lot or not. Only the structure's members answer for it
// (403 otherwise), only while the tender is published and before its deadline (409 otherwise). A later answer
// replaces an earlier one; after "not interested" the structure is never notified about the lot again.
func (s *Tenders) Answer(ctx context.Context, tenderID string, number int, i Interest) (*Interest, error) {
	t, err := s.FindTenderByID(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	if _, ok := t.Lot(number); !ok {
		return nil, domain.NotFound("lot")
	}
	a := ActorFrom(ctx)
	if !a.MemberOf(i.StructureID) {
		return nil, domain.Forbidden("only members of the structure may answer for it")
	}
	if err := validateInterest(&i); err != nil {
		return nil, err
	}
	now := s.timestamp()
	if !t.Open(now) {
		return nil, domain.Conflict("tender_not_open", "the tender no longer takes answers: it is "+string(t.Status)+
			" or past its deadline")
	}
	i.TenderID, i.LotNumber, i.UserID, i.AnsweredAt = t.ID, number, a.UserID, now
	if err := s.store.SaveInterest(ctx, i); err != nil {
		return nil, err
	}
	return &i, nil
}

func validateInterest(i *Interest) error {
	var p domain.Problems
	switch i.Answer {
	case Interested:
		if i.Reason != "" {
			p.Add("reason", "is only for a not_interested answer")
		}
	case NotInterested:
		if !slices.Contains(DeclineReasons, i.Reason) {
			p.Add("reason", "must be one of %v", DeclineReasons)
		} else if i.Reason == "other" && i.Message == "" {
			p.Add("message", "is required when the reason is other")
		}
	default:
		p.Add("answer", "must be interested or not_interested")
	}
	if utf8.RuneCountInString(i.Message) > MaxInterestMessageRunes {
		p.Add("message", "must be at most %d characters", MaxInterestMessageRunes)
	}
	return p.Err()
}

// LotFunnel follows the structures told about one lot: notified, of which viewed (read the notification or
// answered), then interested or not. Interested holds the interested structures with their contacts.
type LotFunnel struct {
	LotNumber      int
	Notified       int
	Viewed         int
	Interested     int
	NotInterested  int
	DeclineReasons map[string]int
	Answers        []InterestedStructure
}

// InterestedStructure is an interested structure with its contacts (representatives shown and logged as for any
// buyer's read) and its message.
type InterestedStructure struct {
	Structure  domain.Structure
	Message    string
	AnsweredAt time.Time
}

// Funnel returns, per lot of a tender of the caller's organisation, how its notifications turned into answers.
func (s *Tenders) Funnel(ctx context.Context, tenderID string) ([]LotFunnel, error) {
	t, err := s.ownedTender(ctx, tenderID)
	if err != nil {
		return nil, err
	}
	sent, err := s.notifications.FindTenderNotifications(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	answers, err := s.store.FindInterests(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	type key struct {
		lot       int
		structure string
	}
	answered := make(map[key]bool, len(answers))
	byLot := make(map[int]*LotFunnel, len(t.Lots))
	out := make([]LotFunnel, len(t.Lots))
	for i, l := range t.Lots {
		out[i] = LotFunnel{LotNumber: l.Number, DeclineReasons: map[string]int{}, Answers: []InterestedStructure{}}
		byLot[l.Number] = &out[i]
	}
	for _, a := range answers {
		f := byLot[a.LotNumber]
		if f == nil {
			continue
		}
		answered[key{a.LotNumber, a.StructureID}] = true
		if a.Answer == NotInterested {
			f.NotInterested++
			f.DeclineReasons[a.Reason]++
			continue
		}
		f.Interested++
		st, err := s.dir.FindStructureByID(ctx, a.StructureID)
		if domain.KindOf(err) == domain.KindNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		f.Answers = append(f.Answers, InterestedStructure{Structure: *st, Message: a.Message, AnsweredAt: a.AnsweredAt})
	}
	for _, n := range sent {
		if f := byLot[n.LotNumber]; f != nil {
			f.Notified++
			if n.ReadAt != nil || answered[key{n.LotNumber, n.StructureID}] {
				f.Viewed++
			}
		}
	}
	return out, nil
}

package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
)

// TenderAllotmentOptions completes what a tender does not say about its need.
type TenderAllotmentOptions struct {
	// BuyerKind is the buyer's kind (it sets the EU threshold); local when empty.
	BuyerKind allotment.BuyerKind
	// ReferenceDate is the day whose rules apply; the tender's planned publication (else its creation) when zero.
	ReferenceDate time.Time
}

// SuggestForTender suggests lot splits of a tender the caller's buyer organisation owns (or any, for an
// administrator). The need has one line per lot and CPV code of the tender, the lot's value shared evenly
// between its codes; a tender without lots has one line per CPV code of the tender.
func (s *AllotmentService) SuggestForTender(ctx context.Context, tenders *Tenders, tenderID string, o TenderAllotmentOptions) (allotment.Result, error) {
	t, err := tenders.ownedTender(ctx, tenderID)
	if err != nil {
		return allotment.Result{}, err
	}
	need, err := needOfTender(t, o)
	if err != nil {
		return allotment.Result{}, err
	}
	return s.Suggest(ctx, need)
}

// ApplyToTender replaces the lots of a draft tender with those of the suggested alternative of that strategy,
// suggested again from the tender as it is now: a client cannot slip in lots the engine did not propose. ifVersion
// (when given) must be the tender's version.
func (s *AllotmentService) ApplyToTender(ctx context.Context, tenders *Tenders, tenderID, strategy string, o TenderAllotmentOptions, ifVersion *int) (*domain.Tender, error) {
	t, err := tenders.editableTender(ctx, tenderID, ifVersion)
	if err != nil {
		return nil, err
	}
	need, err := needOfTender(t, o)
	if err != nil {
		return nil, err
	}
	res, err := s.Suggest(ctx, need)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(res.Alternatives, func(a allotment.Alternative) bool { return a.Strategy == strategy })
	if i < 0 {
		var offered []string
		for _, a := range res.Alternatives {
			offered = append(offered, a.Strategy)
		}
		return nil, fieldError("strategy", fmt.Sprintf("no suggested alternative has this strategy; the suggestions are %s",
			strings.Join(offered, ", ")))
	}
	version := t.Version
	return tenders.ReplaceLots(ctx, tenderID, lotsOfAlternative(need, res.Alternatives[i]), &version)
}

// needOfTender turns a tender into a need; the problems name the tender's fields.
func needOfTender(t *domain.Tender, o TenderAllotmentOptions) (allotment.Need, error) {
	n := allotment.Need{Title: t.Title, BuyerKind: o.BuyerKind, ReferenceDate: o.ReferenceDate}
	if n.BuyerKind == "" {
		n.BuyerKind = allotment.BuyerLocal
	}
	if n.ReferenceDate.IsZero() {
		n.ReferenceDate = t.LegalDate()
	}
	var p domain.Problems
	if t.DurationMonths == nil {
		p.Add("tender.duration_months", "is required to suggest lots: set the tender's duration first")
	} else {
		n.DurationMonths = *t.DurationMonths
	}
	if len(t.Lots) == 0 {
		if t.EstimatedTotalEUR == nil {
			p.Add("tender.estimated_total_eur", "is required to suggest lots of a tender without lots")
		} else {
			n.Lines = linesOf(t.Title, t.CPVCodes, *t.EstimatedTotalEUR, t.Communes)
		}
	}
	for k, l := range t.Lots {
		if l.EstimatedValueEUR == nil {
			p.Add(fmt.Sprintf("tender.lots[%d].estimated_value_eur", k), "is required to suggest lots")
			continue
		}
		n.Lines = append(n.Lines, linesOf(l.Title, t.LotCPVCodes(l), *l.EstimatedValueEUR, t.LotCommunes(l))...)
	}
	return n, p.Err()
}

// linesOf shares a value in whole euros between CPV codes, the remainder to the first.
func linesOf(label string, cpvs []string, valueEUR int64, communes []string) []allotment.Line {
	if len(cpvs) == 0 {
		return nil
	}
	share := valueEUR / int64(len(cpvs))
	out := make([]allotment.Line, len(cpvs))
	for i, code := range cpvs {
		v := share
		if i == 0 {
			v += valueEUR - share*int64(len(cpvs))
		}
		out[i] = allotment.Line{Label: label, CPV: code, EstimatedValueEUR: float64(v), Communes: slices.Clone(communes)}
	}
	return out
}

// lotsOfAlternative turns suggested lots into tender lots: the lines' labels become the title, the reservation
// advice the reservation (or a social clause), and every lot stays open to groupements.
func lotsOfAlternative(need allotment.Need, a allotment.Alternative) []domain.Lot {
	out := make([]domain.Lot, len(a.Lots))
	for i, l := range a.Lots {
		var labels []string
		for _, li := range l.LineIndexes {
			if label := need.Lines[li].Label; !slices.Contains(labels, label) {
				labels = append(labels, label)
			}
		}
		value := int64(l.ValueEUR + 0.5)
		lot := domain.Lot{Number: l.Number, Title: lotTitle(labels), CPVCodes: slices.Clone(l.CPVCodes),
			Communes: slices.Clone(l.Communes), EstimatedValueEUR: &value, Reservation: domain.ReservationNone,
			OpenToGroupement: true, Description: strings.Join(l.Explanations, "\n")}
		switch l.ReservationAdvice.Kind {
		case allotment.AdviceReserve12:
			lot.Reservation = domain.ReservationDisabled
		case allotment.AdviceReserve13:
			lot.Reservation = domain.ReservationSIAE
		case allotment.AdviceReserve14:
			lot.Reservation = domain.ReservationBoth
		case allotment.AdviceReserve15:
			lot.Reservation = domain.ReservationESS
		case allotment.AdviceSocialClause:
			lot.SocialClause = true
		}
		out[i] = lot
	}
	return out
}

// lotTitle names a lot after its lines: the first label, and how many others it gathers.
func lotTitle(labels []string) string {
	if len(labels) == 0 {
		return "Lot"
	}
	first := labels[0]
	if r := []rune(first); len(r) > 250 {
		first = string(r[:250]) + "…"
	}
	if len(labels) == 1 {
		return first
	}
	return fmt.Sprintf("%s (+ %d autres)", first, len(labels)-1)
}

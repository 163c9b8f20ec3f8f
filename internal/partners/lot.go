// Package partners matches ESS structures into groupements for a lot: it suggests partners who cover what a group
// lacks and reports how ready a groupement is, from plain values, with no database or HTTP.
package partners

import (
	"slices"

	"github.com/essor-ess/essor/internal/domain"
)

// Lot is what the lot asks of a groupement.
type Lot struct {
	// CPVCodes are the codes the lot needs; an offer meets one when either code lies in the other's branch.
	CPVCodes []string
	// Communes are the places the lot is delivered in; none means anywhere.
	Communes       []domain.CommunePlace
	ValueEUR       *int64
	MinTurnoverEUR *int64
	// Reservation is the article the lot is reserved under ("" when open to all): every member must be eligible.
	Reservation string
	// TurnoverCapRatio is the R2142-7 ratio in force (1.5 since 2026): without a required minimum, the group's
	// turnover is measured against this multiple of the lot value.
	TurnoverCapRatio float64
}

// TurnoverBasis says what a required turnover was derived from.
type TurnoverBasis string

// Turnover bases: the lot's stated minimum, the R2142-7 ceiling over the lot value, or nothing known.
const (
	BasisMinTurnover   TurnoverBasis = "min_turnover"
	BasisLotValueRatio TurnoverBasis = "lot_value_ratio"
	BasisUnknown       TurnoverBasis = "unknown"
)

// RequiredTurnover is the annual turnover a groupement should reach for the lot, and its basis.
func (l Lot) RequiredTurnover() (int64, TurnoverBasis) {
	switch {
	case l.MinTurnoverEUR != nil && *l.MinTurnoverEUR > 0:
		return *l.MinTurnoverEUR, BasisMinTurnover
	case l.ValueEUR != nil && *l.ValueEUR > 0 && l.TurnoverCapRatio > 0:
		return int64(float64(*l.ValueEUR) * l.TurnoverCapRatio), BasisLotValueRatio
	}
	return 0, BasisUnknown
}

// cpvMeets reports whether an offer code meets a needed code: one lies in the other's branch of the hierarchy,
// so an offer coded 45210000 meets a need for division 45000000 and an offer of the division meets a need for a class.
func cpvMeets(offerCode, needed string) bool {
	return domain.CPVCovers(needed, offerCode) || domain.CPVCovers(offerCode, needed)
}

// reach is what one structure can deliver for the lot: per needed code, whether an offer meets it somewhere in the
// lot's area, and per lot commune whether an offer meeting a needed code covers it.
type reach struct {
	codes    []bool
	communes []bool
}

func reachOf(l *Lot, s *domain.Structure) reach {
	r := reach{codes: make([]bool, len(l.CPVCodes)), communes: make([]bool, len(l.Communes))}
	for i := range s.Offers {
		o := &s.Offers[i]
		var inArea []bool
		anyPlace := len(l.Communes) == 0
		for ci := range l.Communes {
			covered := o.Area.Covers(s.Location, l.Communes[ci])
			inArea = append(inArea, covered)
			anyPlace = anyPlace || covered
		}
		if !anyPlace {
			continue
		}
		meetsAny := false
		for ni, needed := range l.CPVCodes {
			for _, code := range o.CPVCodes {
				if cpvMeets(code, needed) {
					r.codes[ni], meetsAny = true, true
					break
				}
			}
		}
		if meetsAny || len(l.CPVCodes) == 0 {
			for ci, covered := range inArea {
				r.communes[ci] = r.communes[ci] || covered
			}
		}
	}
	return r
}

func (r reach) count() (codes, communes int) {
	for _, ok := range r.codes {
		if ok {
			codes++
		}
	}
	for _, ok := range r.communes {
		if ok {
			communes++
		}
	}
	return codes, communes
}

// union returns the reach of a group from its members' reaches.
func union(l *Lot, rs []reach) reach {
	u := reach{codes: make([]bool, len(l.CPVCodes)), communes: make([]bool, len(l.Communes))}
	for _, r := range rs {
		for i, ok := range r.codes {
			u.codes[i] = u.codes[i] || ok
		}
		for i, ok := range r.communes {
			u.communes[i] = u.communes[i] || ok
		}
	}
	return u
}

func turnoverSum(members []domain.Structure) (sum int64, unknown []string) {
	for i := range members {
		if t := members[i].AnnualTurnoverEUR; t != nil {
			sum += *t
		} else {
			unknown = append(unknown, members[i].ID)
		}
	}
	return sum, unknown
}

func ineligible(l *Lot, members []domain.Structure) []string {
	var out []string
	for i := range members {
		if !domain.EligibleForReservation(l.Reservation, members[i].InclusionKinds) {
			out = append(out, members[i].ID)
		}
	}
	return out
}

func missingCodes(l *Lot, r reach) []string {
	var out []string
	for i, ok := range r.codes {
		if !ok {
			out = append(out, l.CPVCodes[i])
		}
	}
	return out
}

func missingCommunes(l *Lot, r reach) []string {
	var out []string
	for i, ok := range r.communes {
		if !ok {
			out = append(out, l.Communes[i].INSEE)
		}
	}
	return out
}

func contains(ids []string, id string) bool { return slices.Contains(ids, id) }

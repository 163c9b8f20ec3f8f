package domain

import (
	"fmt"
	"slices"
	"time"
)

// LotMatchReason is one criterion a structure meets for a lot, with a stable code (cpv, area, capacity, turnover,
// reservation, first_time) and a sentence for the buyer.
type LotMatchReason struct {
	Code    string
	Message string
}

// LotMatch is an ESS structure that can answer a lot: the offers that qualify it and why.
type LotMatch struct {
	Structure Structure
	LotNumber int
	OfferIDs  []string
	FirstTime bool
	Reasons   []LotMatchReason
}

// LotNeed is what matching needs of a lot, resolved against its tender and the reference data.
type LotNeed struct {
	Number         int
	CPVCodes       []string
	Places         []CommunePlace
	Reservation    Reservation
	MinTurnoverEUR *int64
	AnnualValueEUR *int64
}

// NeedOf resolves a lot for matching: the tender's CPV codes and communes when the lot names none, the places of
// its communes (unknown communes are left out; validation refuses them) and its annual value.
func (t *Tender) NeedOf(l Lot, place func(insee string) (CommunePlace, bool)) LotNeed {
	n := LotNeed{Number: l.Number, CPVCodes: t.LotCPVCodes(l), Reservation: l.Reservation,
		MinTurnoverEUR: l.MinTurnoverEUR, AnnualValueEUR: t.AnnualValueEUR(l)}
	for _, c := range t.LotCommunes(l) {
		if p, ok := place(c); ok {
			n.Places = append(n.Places, p)
		}
	}
	return n
}

// MatchLot decides whether a published structure can answer a lot and why. An offer qualifies when one of its
// CPV codes lies under one of the lot's (or is a group, class or category above it), its area covers every
// commune of the lot, and its capacity, when both are known, reaches the lot's annual value. The structure then
// needs a turnover at least the lot's minimum (an unknown turnover does not prove it) and, for a reserved lot,
// the inclusion kinds or ESS standing the reservation asks for on day today.
func MatchLot(n LotNeed, s *Structure, today time.Time) (LotMatch, bool) {
	m := LotMatch{Structure: *s, LotNumber: n.Number, FirstTime: s.FirstTime()}
	if s.Status != StatusPublished {
		return m, false
	}
	var cpvReason, capacityReason string
	for i := range s.Offers {
		o := &s.Offers[i]
		why, ok := cpvMatch(n.CPVCodes, o.CPVCodes)
		if !ok || !coversAll(o.Area, s.Location, n.Places) {
			continue
		}
		if o.CapacityEUR != nil && n.AnnualValueEUR != nil {
			if *o.CapacityEUR < *n.AnnualValueEUR {
				continue
			}
			capacityReason = fmt.Sprintf("offer %q can deliver %d € a year, the lot needs %d € a year", o.Title,
				*o.CapacityEUR, *n.AnnualValueEUR)
		}
		if cpvReason == "" {
			cpvReason = fmt.Sprintf("offer %q: %s", o.Title, why)
		}
		m.OfferIDs = append(m.OfferIDs, o.ID)
	}
	if len(m.OfferIDs) == 0 {
		return m, false
	}
	m.Reasons = append(m.Reasons, LotMatchReason{Code: "cpv", Message: cpvReason},
		LotMatchReason{Code: "area", Message: fmt.Sprintf("the offer's area covers the %d commune(s) of the lot", len(n.Places))})
	if capacityReason != "" {
		m.Reasons = append(m.Reasons, LotMatchReason{Code: "capacity", Message: capacityReason})
	}
	if n.MinTurnoverEUR != nil && *n.MinTurnoverEUR > 0 {
		if s.AnnualTurnoverEUR == nil || *s.AnnualTurnoverEUR < *n.MinTurnoverEUR {
			return m, false
		}
		m.Reasons = append(m.Reasons, LotMatchReason{Code: "turnover", Message: fmt.Sprintf(
			"annual turnover %d € reaches the required minimum of %d €", *s.AnnualTurnoverEUR, *n.MinTurnoverEUR)})
	}
	if why, ok := ReservationEligible(n.Reservation, s, today); !ok {
		return m, false
	} else if why != "" {
		m.Reasons = append(m.Reasons, LotMatchReason{Code: "reservation", Message: why})
	}
	if m.FirstTime {
		m.Reasons = append(m.Reasons, LotMatchReason{Code: "first_time", Message: "no public contract award is known: a first-time bidder"})
	}
	return m, true
}

// ReservationEligible reports whether a structure may answer a lot with this reservation, and why when reserved:
// L2113-12 needs an EA, EATT or ESAT; L2113-13 a SIAE; L2113-14 either; L2113-15 an ESS company (every structure
// of the directory, unless its ESUS agreement has expired).
func ReservationEligible(r Reservation, s *Structure, today time.Time) (string, bool) {
	kinds := func(allowed []string) (string, bool) {
		for _, k := range s.InclusionKinds {
			if slices.Contains(allowed, k) {
				return fmt.Sprintf("%s structure, eligible to a lot reserved under %s", k, r), true
			}
		}
		return "", false
	}
	switch r {
	case ReservationNone, "":
		return "", true
	case ReservationDisabled:
		return kinds(DisabilityEmployerKinds)
	case ReservationSIAE:
		return kinds(SIAEKinds)
	case ReservationBoth:
		return kinds(append(slices.Clone(DisabilityEmployerKinds), SIAEKinds...))
	case ReservationESS:
		if s.ESSBasis == BasisESUSAgreement && ESUSAgreementExpired(s.ESUSExpiresOn, today) {
			return "", false
		}
		return "ESS company, eligible to a lot reserved under L2113-15", true
	}
	return "", false
}

// ESUSAgreementExpired reports whether an ESUS agreement ending on expires (nil: no known end) has expired on day
// today: it still holds on its last day.
func ESUSAgreementExpired(expires *time.Time, today time.Time) bool {
	return expires != nil && expires.Before(dayOf(today))
}

// cpvMatch finds a pair of lot and offer codes in the same branch of the CPV hierarchy. An offer code above the
// lot's counts only below the division level: "all construction work" says too little to match every lot.
func cpvMatch(lotCodes, offerCodes []string) (string, bool) {
	for _, lc := range lotCodes {
		for _, oc := range offerCodes {
			if CPVCovers(lc, oc) {
				return fmt.Sprintf("CPV %s lies under the lot's %s", oc, lc), true
			}
		}
	}
	for _, lc := range lotCodes {
		for _, oc := range offerCodes {
			if len(CPVPrefix(oc)) > 2 && CPVCovers(oc, lc) {
				return fmt.Sprintf("CPV %s covers the lot's %s", oc, lc), true
			}
		}
	}
	return "", false
}

func coversAll(a Area, location *GeoPoint, places []CommunePlace) bool {
	for _, p := range places {
		if !a.Covers(location, p) {
			return false
		}
	}
	return true
}

// CPVAncestorRoots returns the 8-digit roots of the group, class and category codes above a code (not its
// division, nor itself), the offer codes that cover it per cpvMatch.
func CPVAncestorRoots(code string) []string {
	p := CPVPrefix(code)
	var out []string
	for n := len(p) - 1; n > 2; n-- {
		out = append(out, padCPV(p[:n]))
	}
	return out
}

package partners

import (
	"fmt"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// Coverage lists, for one needed CPV code or one commune of the lot, the members that cover it.
type Coverage struct {
	Key       string
	CoveredBy []string
}

// Report says how ready a groupement is to bid for a lot. Capacities are summed over the members (R2142-25).
type Report struct {
	CPV                 []Coverage
	Communes            []Coverage
	TurnoverSumEUR      int64
	TurnoverUnknown     []string
	TurnoverRequiredEUR int64
	TurnoverBasis       TurnoverBasis
	TurnoverMet         bool
	Reservation         string
	ReservationEligible bool
	Ineligible          []string
	// Missing says in plain French what the groupement still lacks; empty when Ready.
	Missing []string
	Ready   bool
}

// Assess reports how members together meet the lot: which needed codes and communes each covers, their summed
// turnover against the requirement, and whether every member is eligible for a reserved lot.
func Assess(l Lot, members []domain.Structure) Report {
	rs := make([]reach, len(members))
	for i := range members {
		rs[i] = reachOf(&l, &members[i])
	}
	rep := Report{Reservation: l.Reservation}
	rep.CPV = make([]Coverage, len(l.CPVCodes))
	for ci, code := range l.CPVCodes {
		rep.CPV[ci] = Coverage{Key: code, CoveredBy: []string{}}
		for mi := range members {
			if rs[mi].codes[ci] {
				rep.CPV[ci].CoveredBy = append(rep.CPV[ci].CoveredBy, members[mi].ID)
			}
		}
	}
	rep.Communes = make([]Coverage, len(l.Communes))
	for ci, c := range l.Communes {
		rep.Communes[ci] = Coverage{Key: c.INSEE, CoveredBy: []string{}}
		for mi := range members {
			if rs[mi].communes[ci] {
				rep.Communes[ci].CoveredBy = append(rep.Communes[ci].CoveredBy, members[mi].ID)
			}
		}
	}
	rep.TurnoverSumEUR, rep.TurnoverUnknown = turnoverSum(members)
	rep.TurnoverRequiredEUR, rep.TurnoverBasis = l.RequiredTurnover()
	rep.TurnoverMet = rep.TurnoverSumEUR >= rep.TurnoverRequiredEUR
	rep.Ineligible = ineligible(&l, members)
	rep.ReservationEligible = len(rep.Ineligible) == 0
	group := union(&l, rs)
	rep.Missing = missingSentences(&l, group, rep)
	rep.Ready = len(rep.Missing) == 0
	return rep
}

func missingSentences(l *Lot, group reach, rep Report) []string {
	var out []string
	if codes := missingCodes(l, group); len(codes) > 0 {
		out = append(out, fmt.Sprintf("Codes CPV non couverts dans la zone du lot : %s.", strings.Join(codes, ", ")))
	}
	if communes := missingCommunes(l, group); len(communes) > 0 {
		out = append(out, fmt.Sprintf("Communes du lot où aucun membre n'intervient : %s.", strings.Join(communes, ", ")))
	}
	if !rep.TurnoverMet {
		out = append(out, fmt.Sprintf("Chiffre d'affaires cumulé de %d € inférieur aux %d € attendus (%s ; capacités appréciées globalement, %s).",
			rep.TurnoverSumEUR, rep.TurnoverRequiredEUR, basisLabel(rep.TurnoverBasis, l.TurnoverCapRatio),
			domain.ArticleCapacitiesSummed))
	}
	if !rep.ReservationEligible {
		out = append(out, fmt.Sprintf("Lot réservé (%s) : membres non éligibles %s ; chaque membre doit l'être.",
			l.Reservation, strings.Join(rep.Ineligible, ", ")))
	}
	return out
}

func basisLabel(b TurnoverBasis, ratio float64) string {
	if b == BasisMinTurnover {
		return "minimum exigé par l'acheteur"
	}
	return fmt.Sprintf("%.3g × la valeur du lot, plafond R2142-7", ratio)
}

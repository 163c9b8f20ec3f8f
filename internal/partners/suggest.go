package partners

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// Weights of a suggestion's score, which lies between 0 and 1. Complementarity dominates: a partner is first
// someone who brings what the group lacks.
const (
	weightComplementarity = 0.45
	weightArea            = 0.20
	weightCapacity        = 0.15
	weightOpen            = 0.12
	weightFirstTime       = 0.08
)

// Lack is what a group would still lack for the lot.
type Lack struct {
	CPVCodes       []string
	Communes       []string
	TurnoverGapEUR int64
}

// Suggestion is one structure proposed to join a group, with its score, what it brings, why (in French) and what
// the group would still lack with it.
type Suggestion struct {
	StructureID  string
	Name         string
	Score        float64
	Brings       []string
	Communes     []string
	FirstTime    bool
	Open         bool
	Reasons      []string
	StillLacking Lack
}

// Suggest ranks candidates for joining group (the caller and its accepted partners) on the lot, best first, at most
// limit of them. A candidate must bring a needed CPV code the group lacks (or, when it lacks none, meet one in the
// lot's area) and, for a reserved lot, be eligible itself. Members of the group are never suggested.
func Suggest(l Lot, group, candidates []domain.Structure, limit int) []Suggestion {
	rs := make([]reach, len(group))
	ids := make([]string, len(group))
	for i := range group {
		rs[i], ids[i] = reachOf(&l, &group[i]), group[i].ID
	}
	have := union(&l, rs)
	lackCodes, lackCommunes := missingCodes(&l, have), missingCommunes(&l, have)
	groupTurnover, _ := turnoverSum(group)
	required, basis := l.RequiredTurnover()
	var out []Suggestion
	for i := range candidates {
		c := &candidates[i]
		if contains(ids, c.ID) || !domain.EligibleForReservation(l.Reservation, c.InclusionKinds) {
			continue
		}
		r := reachOf(&l, c)
		s, ok := suggestion(&l, c, r, have, lackCodes, lackCommunes)
		if !ok {
			continue
		}
		s.score(&l, c, r, lackCodes, groupTurnover, required, basis)
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b Suggestion) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.StructureID, b.StructureID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// suggestion builds what a candidate brings; ok is false when it brings nothing the lot needs.
func suggestion(l *Lot, c *domain.Structure, r, have reach, lackCodes, lackCommunes []string) (Suggestion, bool) {
	s := Suggestion{StructureID: c.ID, Name: c.Name, FirstTime: c.FirstTime(), Open: c.OpenToCotraitance,
		Brings: []string{}, Communes: []string{}}
	meetsAny := false
	for i, ok := range r.codes {
		meetsAny = meetsAny || ok
		if ok && !have.codes[i] {
			s.Brings = append(s.Brings, l.CPVCodes[i])
		}
	}
	for i, ok := range r.communes {
		if ok {
			s.Communes = append(s.Communes, l.Communes[i].INSEE)
		}
	}
	if len(lackCodes) > 0 && len(s.Brings) == 0 || !meetsAny && len(l.CPVCodes) > 0 {
		return s, false
	}
	s.StillLacking.CPVCodes = without(lackCodes, s.Brings)
	s.StillLacking.Communes = without(lackCommunes, s.Communes)
	return s, true
}

func (s *Suggestion) score(l *Lot, c *domain.Structure, r reach, lackCodes []string, groupTurnover, required int64, basis TurnoverBasis) {
	complement := 1.0
	if len(lackCodes) > 0 {
		complement = float64(len(s.Brings)) / float64(len(lackCodes))
		s.Reasons = append(s.Reasons, fmt.Sprintf("Apporte %s, qui manque au groupement (%d code(s) sur %d).",
			strings.Join(s.Brings, ", "), len(s.Brings), len(lackCodes)))
	} else {
		s.Reasons = append(s.Reasons, "Le groupement couvre déjà les codes CPV du lot : renfort de capacité ou de zone.")
	}
	area := 1.0
	if n := len(l.Communes); n > 0 {
		_, covered := r.count()
		area = float64(covered) / float64(n)
		s.Reasons = append(s.Reasons, fmt.Sprintf("Intervient dans %d des %d communes du lot.", covered, n))
	}
	capacity := 1.0
	total := groupTurnover
	if c.AnnualTurnoverEUR != nil {
		total += *c.AnnualTurnoverEUR
	}
	if basis != BasisUnknown {
		capacity = min(1, float64(total)/float64(required))
		s.StillLacking.TurnoverGapEUR = max(0, required-total)
		verdict := "atteint"
		if total < required {
			verdict = "n'atteint pas encore"
		}
		s.Reasons = append(s.Reasons, fmt.Sprintf("Avec elle, le chiffre d'affaires cumulé (%d €) %s les %d € attendus (%s, %s).",
			total, verdict, required, basisLabel(basis, l.TurnoverCapRatio), domain.ArticleCapacitiesSummed))
	}
	s.Score = weightComplementarity*complement + weightArea*area + weightCapacity*capacity
	if c.OpenToCotraitance {
		s.Score += weightOpen
		s.Reasons = append(s.Reasons, "Se déclare ouverte à la co-traitance.")
	}
	if c.FirstTime() {
		s.Score += weightFirstTime
		s.Reasons = append(s.Reasons, "Primo-accédante : aucun marché public connu, un premier marché à portée.")
	}
	if l.Reservation != "" && l.Reservation != domain.ReservedESS {
		s.Reasons = append(s.Reasons, fmt.Sprintf("Éligible au lot réservé (%s) : %s.", l.Reservation, strings.Join(c.InclusionKinds, ", ")))
	}
	s.Score = float64(int(s.Score*1000+0.5)) / 1000
}

func without(all, drop []string) []string {
	out := []string{}
	for _, v := range all {
		if !slices.Contains(drop, v) {
			out = append(out, v)
		}
	}
	return out
}

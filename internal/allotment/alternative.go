package allotment

import (
	"cmp"
	"math"
	"slices"
	"strings"
)

// Metrics are the transparent figures an alternative is ranked by.
type Metrics struct {
	Lots                  int
	LotsWithThreeEligible int
	// ValueShareWithThreeEligible is the share of the need's value in lots at least 3 structures can take alone.
	ValueShareWithThreeEligible float64
	LotsWithoutSupply           int
	DistinctStructures          int
	DistinctFirstTime           int
	SmallLots                   int
	SmallLotsShare              float64
	// LegalWarnings lists what the buyer would have to justify ("L2113-11" for a single contract).
	LegalWarnings []string
	// Score = 45 × value share with ≥ 3 eligible + 25 × structures reached / best + 15 × first-time reached / best
	// + 15 × legal soundness (1, or 0.5 with a warning) − 1.5 per lot beyond the first.
	Score float64
}

// Weights of the score; docs/allotment.md explains them.
const (
	weightAccess    = 45
	weightReach     = 25
	weightFirstTime = 15
	weightSoundness = 15
	costPerLot      = 1.5
)

// alternatives builds, scores and ranks every candidate split.
func (p *prepared) alternatives() []Alternative {
	var alts []Alternative
	for _, part := range p.partitions() {
		alts = append(alts, p.build(part))
	}
	bestReach, bestFirst := 0, 0
	for _, a := range alts {
		bestReach = max(bestReach, a.Metrics.DistinctStructures)
		bestFirst = max(bestFirst, a.Metrics.DistinctFirstTime)
	}
	for i := range alts {
		m := &alts[i].Metrics
		soundness := 1.0
		if len(m.LegalWarnings) > 0 {
			soundness = 0.5
		}
		m.Score = round1(weightAccess*m.ValueShareWithThreeEligible + weightReach*ratio(m.DistinctStructures, bestReach) +
			weightFirstTime*ratio(m.DistinctFirstTime, bestFirst) + weightSoundness*soundness -
			costPerLot*float64(m.Lots-1))
	}
	slices.SortStableFunc(alts, func(a, b Alternative) int {
		return cmp.Or(cmp.Compare(b.Metrics.Score, a.Metrics.Score), cmp.Compare(a.Metrics.Lots, b.Metrics.Lots))
	})
	for i := range alts {
		alts[i].Rank = i + 1
	}
	if alts[0].Strategy == StrategySingle {
		alts[0].Explanations = append(alts[0].Explanations, p.singleContractGrounds(alts)...)
	}
	return alts
}

// build evaluates one split: its lots, the small lots chosen, its metrics and explanations.
func (p *prepared) build(part partition) Alternative {
	evs := make([]*lotEval, len(part.lots))
	for i, lines := range part.lots {
		evs[i] = p.evaluate(lines)
	}
	small := p.chooseSmallLots(evs)
	alt := Alternative{Strategy: part.strategy}
	// A candidate counts once per alternative: stamp it with this build's number instead of filling a set.
	p.stampNow++
	reached, first := 0, 0
	var smallCents, threeCents int64
	m := &alt.Metrics
	m.Lots = len(evs)
	for i, ev := range evs {
		lot := p.lotOf(i+1, ev, small[i])
		alt.Lots = append(alt.Lots, lot)
		if small[i] {
			m.SmallLots++
			smallCents += ev.cents
		}
		switch n := len(ev.eligible); {
		case n >= 3:
			m.LotsWithThreeEligible++
			threeCents += ev.cents
		case n == 0:
			m.LotsWithoutSupply++
		}
		for _, ci := range ev.eligible {
			if p.stamp[ci] != p.stampNow {
				p.stamp[ci] = p.stampNow
				reached++
				first += int(p.traits[ci].flags & flagFirstTime)
			}
		}
	}
	m.DistinctStructures, m.DistinctFirstTime = reached, first
	m.ValueShareWithThreeEligible = round4(float64(threeCents) / float64(p.total))
	m.SmallLotsShare = round4(float64(smallCents) / float64(p.total))
	if len(evs) == 1 {
		m.LegalWarnings = []string{"L2113-11"}
	}
	for i, lot := range alt.Lots {
		alt.Lots[i].Explanations = p.lotExplanations(lot, evs[i], small[i], smallCents)
	}
	alt.Explanations = p.alternativeExplanations(alt, evs, small, smallCents)
	return alt
}

// lotOf turns an evaluated lot into its output form.
func (p *prepared) lotOf(number int, ev *lotEval, small bool) Lot {
	p.turnoverStats(ev)
	lot := Lot{Number: number, LineIndexes: slices.Clone(ev.lines), ValueEUR: euros(ev.cents),
		AnnualValueEUR: round2(ev.annual), Nature: ev.nature, SmallLot: small, SocialSpecific: ev.social,
		MaxMinTurnoverEUR: round2(ev.maxMinTurnover), EconomicDependency: roundPtr(p.dependency(ev)),
		ReservationAdvice: p.reservation(ev), GroupementPotential: p.groupements(ev)}
	seenCPV, seenCommune := map[string]bool{}, map[string]bool{}
	for _, i := range ev.lines {
		l := p.need.Lines[i]
		if !seenCPV[l.CPV] {
			seenCPV[l.CPV] = true
			lot.CPVCodes = append(lot.CPVCodes, l.CPV)
		}
		for _, c := range l.Communes {
			if !seenCommune[c] {
				seenCommune[c] = true
				lot.Communes = append(lot.Communes, c)
			}
		}
	}
	slices.Sort(lot.CPVCodes)
	slices.Sort(lot.Communes)
	lot.Procedure = p.procedureOf(ev, small)
	lot.ESSSupply = ESSSupply{Structures: len(ev.eligible), FirstTime: ev.firstTime, EAESAT: ev.eaesat, SIAE: ev.siae,
		MedianTurnoverEUR: ev.median, PassingMaxTurnover: ev.passing, UnknownTurnover: ev.unknown,
		CapacityShort: ev.capacityShort}
	return lot
}

// Procedures of a lot.
const (
	ProcedureFormalised     = "formalised"
	ProcedureAdapted        = "adapted"
	ProcedureSmallLot       = "adapted_small_lot"
	ProcedureSocialSpecific = "adapted_social_specific"
)

func (p *prepared) procedureOf(ev *lotEval, small bool) string {
	switch {
	case !p.formalised:
		return ProcedureAdapted
	case ev.social:
		return ProcedureSocialSpecific
	case small:
		return ProcedureSmallLot
	}
	return ProcedureFormalised
}

func ratio(n, of int) float64 {
	if of == 0 {
		return 0
	}
	return float64(n) / float64(of)
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }
func round4(x float64) float64 { return math.Round(x*10000) / 10000 }

func roundPtr(x *float64) *float64 {
	if x == nil {
		return nil
	}
	r := round4(*x)
	return &r
}

func strategyLabel(strategy string) string {
	base, repaired := strings.CutSuffix(strategy, repairedSuffix)
	label := strategyLabels[base]
	if label == "" {
		label = sectorsLabel(base)
	}
	if repaired {
		label += ", puis ajusté (lots sans offre ESS éclatés, lots trop petits fusionnés)"
	}
	return label
}

var strategyLabels = map[string]string{
	StrategySingle:      "Marché unique, sans allotissement",
	StrategyCPVDivision: "Un lot par division CPV (2 premiers chiffres)",
	StrategyCPVGroup:    "Un lot par groupe CPV (3 premiers chiffres)",
	StrategyCPVClass:    "Un lot par classe CPV (4 premiers chiffres)",
}

func sectorsLabel(base string) string {
	cpvPart, k, crossed := strings.Cut(base, "_x_"+strategySectors)
	if !crossed {
		return "Un lot par secteur géographique (" + strings.TrimPrefix(base, strategySectors) +
			" secteurs, communes regroupées par proximité)"
	}
	return strings.TrimSuffix(strategyLabels[cpvPart], ")") + ", croisé avec " + k + " secteurs géographiques)"
}

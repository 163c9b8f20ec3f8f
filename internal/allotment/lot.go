package allotment

import (
	"cmp"
	"math"
	"slices"
	"strconv"
	"strings"
)

// lotEval is what the engine knows of a set of lines taken as one lot; it is cached because the same lot appears
// in several alternatives and repairs try many.
type lotEval struct {
	lines          []int
	cents          int64
	annual         float64
	nature         Nature
	social         bool
	reservable     bool
	mask           Coverage
	eligible       []int32
	capacityShort  int
	firstTime      int
	eaesat         int
	siae           int
	maxMinTurnover float64
	// The turnover figures, the groupements and the inclusive count are only needed for the lots of the returned
	// alternatives, not for the many trial lots of the repairs: they are computed on first use.
	turnoverDone bool
	median       *int64
	passing      int
	unknown      int
	groupsDone   bool
	groups       []Groupement
	inclusive    int
}

// traits is what evaluating a lot reads of a candidate, flattened once per need so that the hot loops neither chase
// pointers nor compare strings.
type traits struct {
	turnover int64   // -1 when unknown
	capacity float64 // +Inf when not declared
	flags    uint8
}

const (
	flagFirstTime uint8 = 1 << iota
	flagEAESAT
	flagSIAE
)

func traitsOf(c *Candidate) traits {
	t := traits{turnover: -1, capacity: math.Inf(1)}
	if c.TurnoverEUR != nil {
		t.turnover = *c.TurnoverEUR
	}
	if c.CapacityEUR != nil {
		t.capacity = float64(*c.CapacityEUR)
	}
	if c.FirstTime {
		t.flags |= flagFirstTime
	}
	if hasAny(c.InclusionKinds, disabilityKinds) {
		t.flags |= flagEAESAT
	}
	if hasAny(c.InclusionKinds, insertionKinds) {
		t.flags |= flagSIAE
	}
	return t
}

var (
	disabilityKinds = []string{"EA", "EATT", "ESAT"}
	insertionKinds  = []string{"EI", "AI", "ACI", "ETTI", "EITI"}
)

func lotKey(lines []int) string {
	var b strings.Builder
	for _, i := range lines {
		b.WriteString(strconv.Itoa(i))
		b.WriteByte(',')
	}
	return b.String()
}

// evaluate returns the lot made of lines (sorted ascending).
func (p *prepared) evaluate(lines []int) *lotEval {
	key := lotKey(lines)
	if ev, ok := p.evaluations[key]; ok {
		return ev
	}
	ev := &lotEval{lines: lines, mask: NewCoverage(len(p.cpvs) * len(p.communes)), reservable: true}
	for _, i := range lines {
		ev.cents += p.cents[i]
		for w, b := range p.lineMask[i] {
			ev.mask[w] |= b
		}
		ev.reservable = ev.reservable && p.facts[i].ReservableL2113_15
	}
	ev.nature, ev.social = p.mainNature(lines)
	ev.annual = euros(ev.cents) * 12 / float64(p.need.DurationMonths)
	ev.maxMinTurnover = p.fig.capRatio.Value * euros(ev.cents)
	covering := p.coveringAll(lines)
	ev.eligible = make([]int32, 0, len(covering))
	for _, ci := range covering {
		f := &p.traits[ci]
		if f.capacity < ev.annual {
			ev.capacityShort++
			continue
		}
		ev.eligible = append(ev.eligible, ci)
		ev.firstTime += int(f.flags & flagFirstTime)
		ev.eaesat += int(f.flags&flagEAESAT) >> 1
		ev.siae += int(f.flags&flagSIAE) >> 2
		if f.flags&(flagEAESAT|flagSIAE) != 0 {
			ev.inclusive++
		}
	}
	p.evaluations[key] = ev
	return ev
}

// turnoverStats computes, once, the median turnover of the eligible structures and how many reach the cap.
func (p *prepared) turnoverStats(ev *lotEval) {
	if ev.turnoverDone {
		return
	}
	ev.turnoverDone = true
	if len(ev.eligible)*32 < len(p.candidates) { // few structures: sorting their turnovers beats a walk over all
		turnovers := make([]int64, 0, len(ev.eligible))
		for _, ci := range ev.eligible {
			if t := p.traits[ci].turnover; t < 0 {
				ev.unknown++
			} else {
				turnovers = append(turnovers, t)
				if float64(t) >= ev.maxMinTurnover {
					ev.passing++
				}
			}
		}
		slices.Sort(turnovers)
		ev.median = medianOfSorted(turnovers)
		return
	}
	if p.byTurnover == nil {
		type known struct {
			turnover int64
			ci       int32
		}
		order := make([]known, 0, len(p.candidates))
		for ci := range p.candidates {
			if t := p.traits[ci].turnover; t >= 0 {
				order = append(order, known{t, int32(ci)})
			}
		}
		slices.SortFunc(order, func(a, b known) int { return cmp.Compare(a.turnover, b.turnover) })
		p.byTurnover = make([]int32, len(order))
		for k, o := range order {
			p.byTurnover[k] = o.ci
		}
	}
	// Walking the candidates by turnover and keeping the eligible ones lists their turnovers already sorted.
	eligible := p.scratch
	clear(eligible)
	known := 0
	for _, ci := range ev.eligible {
		if p.traits[ci].turnover < 0 {
			ev.unknown++
			continue
		}
		eligible.add(int(ci))
		known++
	}
	turnovers := make([]int64, 0, known)
	for _, ci := range p.byTurnover {
		if eligible.has(int(ci)) {
			t := p.traits[ci].turnover
			turnovers = append(turnovers, t)
			if float64(t) >= ev.maxMinTurnover {
				ev.passing++
			}
		}
	}
	ev.median = medianOfSorted(turnovers)
}

// coveringAll lists, in ascending order, the candidates covering all of every line.
func (p *prepared) coveringAll(lines []int) []int32 {
	all := p.scratch
	copy(all, p.lineFull[lines[0]])
	for _, i := range lines[1:] {
		for w, word := range p.lineFull[i] {
			all[w] &= word
		}
	}
	return all.appendMembers(nil)
}

func hasAny(kinds, wanted []string) bool {
	for _, k := range kinds {
		if slices.Contains(wanted, k) {
			return true
		}
	}
	return false
}

// medianOfSorted returns the median of ascending values (the mean of the middle two, rounded down, when even).
func medianOfSorted(values []int64) *int64 {
	if len(values) == 0 {
		return nil
	}
	m := values[len(values)/2]
	if len(values)%2 == 0 {
		m = (values[len(values)/2-1] + m) / 2
	}
	return &m
}

// dependency is the lot's annual value over the median turnover of its eligible structures.
func (p *prepared) dependency(ev *lotEval) *float64 {
	p.turnoverStats(ev)
	if ev.median == nil || *ev.median <= 0 {
		return nil
	}
	d := ev.annual / float64(*ev.median)
	return &d
}

// reservation applies the rule of thumb of DOMAIN.md (after Le Marché de l'inclusion) within the legal conditions:
// never reserve a lot nobody eligible can bid for; L2113-15 only for reservable social services, ≤ 36 months, by a
// pouvoir adjudicateur.
func (p *prepared) reservation(ev *lotEval) ReservationAdvice {
	n := len(ev.eligible)
	if n == 0 {
		return ReservationAdvice{Kind: AdviceNone,
			Reason: "Aucune structure de l'ESS ne peut répondre seule à ce lot : ni réservation ni clause spécifique conseillée."}
	}
	maxMonths := int(p.fig.essMaxMonths.Value)
	if ev.reservable && p.need.BuyerKind != BuyerUtility && n > 10 {
		if p.need.DurationMonths <= maxMonths {
			return ReservationAdvice{Kind: AdviceReserve15, Articles: []string{"L2113-15", "L2113-16"},
				Reason: frf("%d structures de l'ESS peuvent répondre à ces services sociaux ou spécifiques : le lot peut être réservé aux entreprises de l'ESS (L2113-15), pour %d mois au plus ; le titulaire ne pourra obtenir un autre marché réservé sur ce fondement pendant 3 ans (L2113-16).", n, maxMonths)}
		}
	}
	inclusive := ev.inclusive
	reserve := inclusive > 10
	switch {
	case reserve && ev.eaesat > 0 && ev.siae > 0:
		return ReservationAdvice{Kind: AdviceReserve14, Articles: []string{"L2113-12", "L2113-13", "L2113-14"},
			Reason: frf("%d structures inclusives éligibles (%d EA/ESAT, %d SIAE) : le lot peut être réservé à la fois aux EA/ESAT et aux SIAE (L2113-14).", inclusive, ev.eaesat, ev.siae)}
	case reserve && ev.eaesat > 0:
		return ReservationAdvice{Kind: AdviceReserve12, Articles: []string{"L2113-12"},
			Reason: frf("%d EA/ESAT éligibles : le lot peut leur être réservé (L2113-12, au moins 50 %% de travailleurs handicapés, R2113-7).", ev.eaesat)}
	case reserve:
		return ReservationAdvice{Kind: AdviceReserve13, Articles: []string{"L2113-13"},
			Reason: frf("%d SIAE éligibles : le lot peut leur être réservé (L2113-13, au moins 50 %% de travailleurs défavorisés, R2113-7).", ev.siae)}
	case inclusive > 1:
		return ReservationAdvice{Kind: AdviceSocialClause, Articles: []string{"L2112-2"},
			Reason: frf("%d structures inclusives éligibles, trop peu pour réserver le lot (plus de 10 conseillées) : prévoir une clause sociale d'insertion (L2112-2).", inclusive)}
	}
	return ReservationAdvice{Kind: AdviceNone,
		Reason: frf("%d structure(s) inclusive(s) éligible(s) : ni réservation ni clause sociale conseillée sur ce critère.", inclusive)}
}

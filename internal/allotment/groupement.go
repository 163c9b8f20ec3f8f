package allotment

import (
	"cmp"
	"math/bits"
	"slices"
)

const (
	groupementPool    = 20 // partial coverers considered: the pairs and triples of 20 are 1,330 teams
	groupementOptions = 3
)

type partner struct {
	ci      int
	covered int
}

type team struct {
	members  []partner
	turnover int64
	passes   bool
	first    int
}

// groupements looks, for a lot fewer than 3 structures can take alone, for pairs and triples of structures that
// together cover every (CPV, commune) pair of the lot. Each member must be needed, for coverage or for the summed
// turnover (R2142-25: a groupement's capacities are assessed globally).
func (p *prepared) groupements(ev *lotEval) []Groupement {
	if len(ev.eligible) >= 3 {
		return nil
	}
	if !ev.groupsDone { // the same lot appears in several alternatives
		ev.groups, ev.groupsDone = p.findGroupements(ev), true
	}
	return slices.Clone(ev.groups)
}

func (p *prepared) findGroupements(ev *lotEval) []Groupement {
	better := func(a, b partner) int {
		return cmp.Or(cmp.Compare(b.covered, a.covered), cmp.Compare(p.turnoverOf(b.ci), p.turnoverOf(a.ci)),
			cmp.Compare(a.ci, b.ci))
	}
	pool := make([]partner, 0, groupementPool+1) // the best partial coverers, kept sorted
	for _, ci := range p.coveringSome(ev.lines) {
		n := p.candidates[ci].Covers.countWithin(ev.mask)
		cand := partner{ci, n}
		if len(pool) == groupementPool && better(cand, pool[len(pool)-1]) >= 0 {
			continue
		}
		at, _ := slices.BinarySearchFunc(pool, cand, better)
		pool = slices.Insert(pool, at, cand)
		pool = pool[:min(len(pool), groupementPool)]
	}
	var teams []team
	for a := range pool {
		for b := a + 1; b < len(pool); b++ {
			if t, ok := p.team(ev, pool[a], pool[b]); ok {
				teams = append(teams, t)
			}
			for c := b + 1; c < len(pool); c++ {
				if t, ok := p.team(ev, pool[a], pool[b], pool[c]); ok {
					teams = append(teams, t)
				}
			}
		}
	}
	slices.SortStableFunc(teams, func(x, y team) int {
		return cmp.Or(compareBool(y.passes, x.passes), cmp.Compare(len(x.members), len(y.members)),
			cmp.Compare(y.first, x.first), cmp.Compare(y.turnover, x.turnover))
	})
	var out []Groupement
	for _, t := range teams[:min(len(teams), groupementOptions)] {
		g := Groupement{CombinedTurnoverEUR: t.turnover, PassesMaxTurnover: t.passes, FirstTime: t.first}
		lead := slices.MaxFunc(t.members, func(x, y partner) int {
			return cmp.Or(cmp.Compare(x.covered, y.covered), cmp.Compare(p.turnoverOf(x.ci), p.turnoverOf(y.ci)))
		})
		g.Mandataire = p.candidates[lead.ci].StructureID
		for _, m := range t.members {
			g.StructureIDs = append(g.StructureIDs, p.candidates[m.ci].StructureID)
		}
		slices.Sort(g.StructureIDs)
		out = append(out, g)
	}
	return out
}

// coveringSome lists, once each and in ascending order, the candidates covering part of at least one of the lines.
func (p *prepared) coveringSome(lines []int) []int {
	some := p.scratch
	clear(some)
	for _, i := range lines {
		for w, word := range p.linePartial[i] {
			some[w] |= word
		}
	}
	out := make([]int, 0, some.count())
	for w, word := range some {
		for ; word != 0; word &= word - 1 {
			out = append(out, w*64+bits.TrailingZeros64(word))
		}
	}
	return out
}

// team checks that members cover the lot and that none of them is superfluous.
func (p *prepared) team(ev *lotEval, members ...partner) (team, bool) {
	t := team{members: members}
	if !p.covers(ev, members, -1) {
		return t, false
	}
	t.turnover, t.passes = p.summedTurnover(ev, members, -1)
	for skip := range members {
		_, passesWithout := p.summedTurnover(ev, members, skip)
		if p.covers(ev, members, skip) && (passesWithout || !t.passes) {
			return t, false
		}
	}
	for _, m := range members {
		if p.candidates[m.ci].FirstTime {
			t.first++
		}
	}
	return t, true
}

func (p *prepared) covers(ev *lotEval, members []partner, skip int) bool {
	for w, need := range ev.mask {
		var have uint64
		for k, m := range members {
			if k != skip {
				have |= p.candidates[m.ci].Covers[w]
			}
		}
		if need&^have != 0 {
			return false
		}
	}
	return true
}

func (p *prepared) summedTurnover(ev *lotEval, members []partner, skip int) (int64, bool) {
	var sum int64
	for k, m := range members {
		if k != skip {
			sum += p.turnoverOf(m.ci)
		}
	}
	return sum, float64(sum) >= ev.maxMinTurnover
}

func (p *prepared) turnoverOf(ci int) int64 {
	return max(p.traits[ci].turnover, 0)
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

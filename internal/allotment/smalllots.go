package allotment

// smallLotBenefit is what making a lot a small lot (R2123-1 2°) buys for the ESS: its eligible structures, with
// first-time bidders counted twice since a lighter procedure matters most to them. Capped so that one huge
// supply does not swamp the choice (and the table below stays small).
func smallLotBenefit(ev *lotEval) int {
	return min(len(ev.eligible), 50) + min(ev.firstTime, 50)
}

// smallLotMax is the value a lot must stay under to be a small lot, by its nature.
func (p *prepared) smallLotMax(ev *lotEval) float64 {
	if ev.nature == NatureWorks {
		return p.fig.smallMaxWorks.Value
	}
	return p.fig.smallMaxSS.Value
}

// smallLotCandidate reports whether a lot may be chosen as a small lot: the need is formalised and allotted, the
// lot is under the ceiling for its nature, and it is not already free to use the adapted procedure as social and
// specific services (R2123-1 3°).
func (p *prepared) smallLotCandidate(ev *lotEval, lots int) bool {
	return p.formalised && lots > 1 && !ev.social && float64(ev.cents) < p.smallLotMax(ev)*100
}

// withinSmallLotBudget reports whether small lots worth cents fit in the share of the total R2123-1 2° allows;
// the relative slack absorbs the rounding of share × total only (far below a cent).
func (p *prepared) withinSmallLotBudget(cents int64) bool {
	return float64(cents) <= p.fig.smallShare.Value*float64(p.total)*(1+1e-12)
}

// chooseSmallLots picks the small lots that give the most ESS benefit within the budget: a 0/1 knapsack solved
// exactly by dynamic programming over the benefit (small integers), keeping for each benefit the least value in
// cents that achieves it, so that the budget test is exact.
func (p *prepared) chooseSmallLots(evs []*lotEval) []bool {
	chosen := make([]bool, len(evs))
	var items []int
	total := 0
	for i, ev := range evs {
		if p.smallLotCandidate(ev, len(evs)) && smallLotBenefit(ev) > 0 {
			items = append(items, i)
			total += smallLotBenefit(ev)
		}
	}
	if len(items) == 0 {
		return chosen
	}
	const unreachable = int64(1) << 62
	least := make([]int64, total+1)
	for b := 1; b <= total; b++ {
		least[b] = unreachable
	}
	took := make([][]bool, len(items))
	for k, i := range items {
		took[k] = make([]bool, total+1)
		gain, cost := smallLotBenefit(evs[i]), evs[i].cents
		for b := total; b >= gain; b-- {
			if least[b-gain] != unreachable && least[b-gain]+cost < least[b] {
				least[b] = least[b-gain] + cost
				took[k][b] = true
			}
		}
	}
	best := 0
	for b := total; b > 0; b-- {
		if least[b] != unreachable && p.withinSmallLotBudget(least[b]) {
			best = b
			break
		}
	}
	for k := len(items) - 1; k >= 0 && best > 0; k-- {
		if took[k][best] {
			chosen[items[k]] = true
			best -= smallLotBenefit(evs[items[k]])
		}
	}
	return chosen
}

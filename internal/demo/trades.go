package demo

import (
	"math/rand/v2"
	"slices"

	"github.com/essor-ess/essor/internal/domain"
)

// trade is a line of business typical of the ESS around Nantes, with everything needed to make up a structure that
// practices it: activity codes, name and description templates, offers, and how often it is an inclusion structure.
type trade struct {
	key    string
	weight int
	naf    []string
	names  []string // name templates; see wording for placeholders
	about  []string // sentences on the trade, for the structure description
	offers []offerTemplate
	// inclusionPct is the share (in %) of structures of this trade that are inclusion structures, of the kinds
	// listed; kinds follow the trade (ACI in green spaces, ESAT in laundries, ETTI for staffing…).
	inclusionPct int
	kinds        []weighted[string]
	labels       []string
	// singleOffer marks trades whose structures have exactly one offer (the joinery-only structures that search
	// tests find through CPV labels alone).
	singleOffer bool
	// mutualOK and foundationOK say whether a mutuelle or a fondation plausibly runs this trade.
	mutualOK, foundationOK bool
}

// offerTemplate is one kind of offer a trade sells. cpv[0] is always used; the others are drawn at random.
type offerTemplate struct {
	title string
	kind  domain.OfferKind
	cpv   []string
	text  []string
	// wide offers (software, training, supplies that ship) may cover the whole country.
	wide bool
}

type weighted[T any] struct {
	v T
	w int
}

func pick[T any](r *rand.Rand, ws []weighted[T]) T {
	total := 0
	for _, x := range ws {
		total += x.w
	}
	n := r.IntN(total)
	for _, x := range ws {
		if n < x.w {
			return x.v
		}
		n -= x.w
	}
	return ws[len(ws)-1].v
}

// trades lists every trade; its order is part of the generator's determinism.
var trades = slices.Concat(environmentTrades, buildingTrades, foodAndCareTrades, businessServiceTrades)

var tradeWeights = func() []int {
	w := make([]int, len(trades))
	for i, t := range trades {
		w[i] = t.weight
	}
	return w
}()

// tradeByKey finds a trade the generator places on purpose (cafés, joinery-only structures).
func tradeByKey(key string) *trade {
	for i := range trades {
		if trades[i].key == key {
			return &trades[i]
		}
	}
	panic("demo: no trade " + key)
}

// pickIndex draws an index with probability proportional to its weight.
func pickIndex(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := r.IntN(total)
	for i, w := range weights {
		if n < w {
			return i
		}
		n -= w
	}
	return len(weights) - 1
}

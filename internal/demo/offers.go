package demo

import (
	"strconv"

	"github.com/essor-ess/essor/internal/domain"
)

// offerCounts gives 2.3 offers per structure on average (before trades with fewer templates cap it).
var offerCounts = []weighted[int]{{1, 18}, {2, 40}, {3, 28}, {4, 14}}

// buyers are the kinds of public buyers named in offers' references, never a real buyer.
var buyers = []string{
	"une commune de la métropole", "un bailleur social", "un centre hospitalier", "un collège du département",
	"une université", "un syndicat mixte", "un centre communal d'action sociale", "un établissement public régional",
}

// offers draws the structure's offers among its trade's templates, without repeating one.
func (g *generator) offers(t *trade, c commune, w *wording, s *domain.Structure) []domain.Offer {
	r := g.r
	n := 1
	if !t.singleOffer {
		n = min(pick(r, offerCounts), len(t.offers))
	}
	order := r.Perm(len(t.offers))
	offers := make([]domain.Offer, 0, n)
	for _, k := range order[:n] {
		tpl := &t.offers[k]
		o := domain.Offer{
			Title:       tpl.title,
			Description: sentences(r, w, tpl.text, 2),
			CPVCodes:    cpvSubset(g, tpl.cpv),
			Kind:        tpl.kind,
			Area:        area(r, c, tpl.wide),
			CreatedAt:   s.CreatedAt,
			UpdatedAt:   s.UpdatedAt,
		}
		if r.IntN(100) < 45 {
			o.CapacityEUR = capacity(g, s.AnnualTurnoverEUR)
		}
		if s.PublicAwardsCount > 0 && r.IntN(10) < 4 {
			o.References = g.references(tpl.title)
		}
		offers = append(offers, o)
	}
	return offers
}

// cpvSubset keeps the template's main code and each other code with even odds, in the template's order.
func cpvSubset(g *generator, codes []string) []string {
	out := make([]string, 1, len(codes))
	out[0] = codes[0]
	for _, c := range codes[1:] {
		if g.r.IntN(2) == 0 {
			out = append(out, c)
		}
	}
	return out
}

// capacity is the yearly volume an offer can take on: a share of the structure's turnover, rounded to 1,000 €.
func capacity(g *generator, turnover *int64) *int64 {
	var v int64
	if turnover != nil && *turnover > 20_000 {
		v = *turnover * int64(10+g.r.IntN(50)) / 100
	} else {
		v = 20_000 + g.r.Int64N(380_000)
	}
	v = max(v/1000*1000, 5_000)
	return &v
}

func (g *generator) references(title string) []string {
	n := 1 + g.r.IntN(2)
	refs := make([]string, n)
	for i := range refs {
		year := g.now.Year() - 1 - g.r.IntN(4)
		refs[i] = title + " pour " + buyers[g.r.IntN(len(buyers))] + " (" + strconv.Itoa(year) + ")"
	}
	return refs
}

package allotment

import (
	"cmp"
	"math"
	"slices"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// Engine splits needs into lots. Its fields are the reference data and the ESS supply it judges lots against.
type Engine struct {
	CPV    CPVInfo
	Places CommunePlaces
	Supply Supply
	// Now gives today's date for needs without a reference date; time.Now when nil.
	Now func() time.Time
	// MinLotAnnualValueEUR is the annual value under which a lot is deemed too small to attract any bidder and is
	// merged into a neighbour by the repairs; 10,000 € when zero.
	MinLotAnnualValueEUR float64
	// MaxAlternatives caps how many ranked alternatives are returned; 8 when zero.
	MaxAlternatives int
}

// Result is the engine's answer: the rules that applied and the ranked alternatives, best first.
type Result struct {
	ReferenceDate     time.Time
	TotalValueEUR     float64
	Nature            Nature
	EUThresholdEUR    float64
	Formalised        bool
	TurnoverCapRatio  float64
	SmallLotsShareMax float64
	Alternatives      []Alternative
}

// Alternative is one way of splitting the need.
type Alternative struct {
	Strategy     string
	Rank         int
	Metrics      Metrics
	Explanations []string
	Lots         []Lot
}

// Lot is one lot of an alternative with its legal flags and the ESS supply that can bid for it.
type Lot struct {
	Number         int
	LineIndexes    []int
	CPVCodes       []string
	Communes       []string
	ValueEUR       float64
	AnnualValueEUR float64
	Nature         Nature
	// Procedure is "formalised", "adapted" (need under the EU threshold), "adapted_small_lot" (R2123-1 2°) or
	// "adapted_social_specific" (R2123-1 3°).
	Procedure      string
	SmallLot       bool
	SocialSpecific bool
	// MaxMinTurnoverEUR is the highest minimum annual turnover the buyer may require for this lot (R2142-7).
	MaxMinTurnoverEUR float64
	ESSSupply         ESSSupply
	// EconomicDependency is the lot's annual value over the median turnover of the eligible structures (nil when no
	// turnover is known).
	EconomicDependency  *float64
	ReservationAdvice   ReservationAdvice
	GroupementPotential []Groupement
	Explanations        []string
}

// ESSSupply counts the ESS structures that can bid alone for a lot: an offer related to each of its CPV codes
// reaching each of its communes, and a declared capacity (if any) at least its annual value.
type ESSSupply struct {
	Structures int
	FirstTime  int
	EAESAT     int
	SIAE       int
	// MedianTurnoverEUR is the median over the eligible structures whose turnover is known.
	MedianTurnoverEUR *int64
	// PassingMaxTurnover counts eligible structures whose known turnover reaches MaxMinTurnoverEUR.
	PassingMaxTurnover int
	UnknownTurnover    int
	// CapacityShort counts structures that cover the lot but declare a capacity below its annual value.
	CapacityShort int
}

// Reservation advice kinds.
const (
	AdviceNone         = "none"
	AdviceSocialClause = "social_clause"
	AdviceReserve12    = "reserve_L2113-12"
	AdviceReserve13    = "reserve_L2113-13"
	AdviceReserve14    = "reserve_L2113-14"
	AdviceReserve15    = "reserve_L2113-15"
)

// ReservationAdvice says whether to reserve a lot, on which article, and why (in French).
type ReservationAdvice struct {
	Kind     string
	Articles []string
	Reason   string
}

// Groupement is a team of ESS structures that together cover a lot (R2142-25: capacities are assessed globally).
type Groupement struct {
	StructureIDs []string
	// Mandataire is the suggested lead: the member covering most of the lot, then the one with the largest turnover.
	Mandataire          string
	CombinedTurnoverEUR int64
	// PassesMaxTurnover reports whether the members' known turnovers add up to the lot's MaxMinTurnoverEUR.
	PassesMaxTurnover bool
	FirstTime         int
}

// Suggest validates the need and returns ranked lot splits.
func (e Engine) Suggest(n Need) (Result, error) {
	if n.ReferenceDate.IsZero() {
		now := time.Now
		if e.Now != nil {
			now = e.Now
		}
		n.ReferenceDate = now()
	}
	y, m, d := n.ReferenceDate.Date()
	n.ReferenceDate = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if err := n.Validate(e.CPV, func(c string) bool { _, ok := e.Places(c); return ok }); err != nil {
		return Result{}, err
	}
	p, err := e.prepare(n)
	if err != nil {
		return Result{}, err
	}
	alts := p.alternatives()
	limit := cmp.Or(e.MaxAlternatives, 8)
	if len(alts) > limit {
		alts = alts[:limit]
	}
	return Result{ReferenceDate: n.ReferenceDate, TotalValueEUR: euros(p.total), Nature: p.nature,
		EUThresholdEUR: p.fig.euThreshold.Value, Formalised: p.formalised, TurnoverCapRatio: p.fig.capRatio.Value,
		SmallLotsShareMax: p.fig.smallShare.Value, Alternatives: alts}, nil
}

// figures are the legal rules in force on the need's reference date.
type figures struct {
	euThreshold, noPublicity, smallMaxSS, smallMaxWorks, smallShare, capRatio, essMaxMonths domain.LegalRule
}

// prepared is a validated need with everything the splits and evaluations share.
type prepared struct {
	need        Need
	fig         figures
	facts       []CPVFacts
	cents       []int64
	total       int64
	nature      Nature
	formalised  bool
	cpvs        []string // distinct CPV codes of the need
	communes    []string // distinct communes of the need
	lineMask    []Coverage
	lineCentre  []domain.GeoPoint
	places      map[string]CommunePlace
	candidates  []Candidate
	traits      []traits // per candidate
	stamp       []uint32 // per candidate: the last build that counted it
	stampNow    uint32
	lineFull    []candidateSet // per line, the candidates covering all of it
	linePartial []candidateSet // per line, the candidates covering part of it
	scratch     candidateSet   // working set of coveringAll and coveringSome
	byTurnover  []int32        // candidates of known turnover by ascending turnover, built on first use
	minAnnual   float64
	evaluations map[string]*lotEval
}

func (e Engine) prepare(n Need) (*prepared, error) {
	p := &prepared{need: n, places: map[string]CommunePlace{}, evaluations: map[string]*lotEval{},
		minAnnual: cmp.Or(e.MinLotAnnualValueEUR, 10_000)}
	cpvIndex, communeIndex := map[string]int{}, map[string]int{}
	for _, l := range n.Lines {
		f, _ := e.CPV.CPVFacts(l.CPV)
		p.facts = append(p.facts, f)
		c := int64(math.Round(l.EstimatedValueEUR * 100))
		p.cents = append(p.cents, c)
		p.total += c
		if _, ok := cpvIndex[l.CPV]; !ok {
			cpvIndex[l.CPV] = len(p.cpvs)
			p.cpvs = append(p.cpvs, l.CPV)
		}
		for _, insee := range l.Communes {
			if _, ok := communeIndex[insee]; !ok {
				communeIndex[insee] = len(p.communes)
				p.communes = append(p.communes, insee)
				p.places[insee], _ = e.Places(insee)
			}
		}
	}
	pairs := len(p.cpvs) * len(p.communes)
	for _, l := range n.Lines {
		mask := NewCoverage(pairs)
		var lat, lon float64
		for _, insee := range l.Communes {
			mask.Set(cpvIndex[l.CPV]*len(p.communes) + communeIndex[insee])
			lat += p.places[insee].Centre.Lat
			lon += p.places[insee].Centre.Lon
		}
		p.lineMask = append(p.lineMask, mask)
		k := float64(len(l.Communes))
		p.lineCentre = append(p.lineCentre, domain.GeoPoint{Lat: lat / k, Lon: lon / k})
	}
	p.nature, _ = p.mainNature(allLines(len(n.Lines)))
	if err := p.loadFigures(n); err != nil {
		return nil, err
	}
	p.formalised = float64(p.total) >= p.fig.euThreshold.Value*100
	p.candidates = e.Supply.Candidates(p.cpvs, p.communes)
	byID := func(a, b Candidate) int { return cmp.Compare(a.StructureID, b.StructureID) }
	if !slices.IsSortedFunc(p.candidates, byID) { // MemorySupply answers in ID order already
		slices.SortFunc(p.candidates, byID)
	}
	p.traits = make([]traits, len(p.candidates))
	for ci := range p.candidates {
		p.traits[ci] = traitsOf(&p.candidates[ci])
	}
	p.stamp = make([]uint32, len(p.candidates))
	p.lineFull = candidateSets(len(n.Lines), len(p.candidates))
	p.linePartial = candidateSets(len(n.Lines), len(p.candidates))
	p.scratch = candidateSets(1, len(p.candidates))[0]
	for ci := range p.candidates {
		covers := p.candidates[ci].Covers
		for i, mask := range p.lineMask {
			if covers.Intersects(mask) {
				p.linePartial[i].add(ci)
				if covers.Contains(mask) {
					p.lineFull[i].add(ci)
				}
			}
		}
	}
	return p, nil
}

func (p *prepared) loadFigures(n Need) error {
	on := n.ReferenceDate
	allSocial := true
	for _, f := range p.facts {
		allSocial = allSocial && f.SocialSpecific
	}
	eu := domain.RuleEUThresholdSuppliesLocal
	switch {
	case p.nature == NatureWorks:
		eu = domain.RuleEUThresholdWorks
	case allSocial && n.BuyerKind == BuyerUtility:
		eu = domain.RuleEUThresholdSocialSpecificUtility
	case allSocial:
		eu = domain.RuleEUThresholdSocialSpecific
	case n.BuyerKind == BuyerState:
		eu = domain.RuleEUThresholdSuppliesState
	case n.BuyerKind == BuyerUtility:
		eu = domain.RuleEUThresholdSuppliesUtility
	}
	noPub := domain.RuleNoPublicitySuppliesServices
	if p.nature == NatureWorks {
		noPub = domain.RuleNoPublicityWorks
	}
	targets := []struct {
		dst *domain.LegalRule
		id  string
	}{
		{&p.fig.euThreshold, eu}, {&p.fig.noPublicity, noPub},
		{&p.fig.smallMaxSS, domain.RuleSmallLotMaxSuppliesServices}, {&p.fig.smallMaxWorks, domain.RuleSmallLotMaxWorks},
		{&p.fig.smallShare, domain.RuleSmallLotsShareMax}, {&p.fig.capRatio, domain.RuleTurnoverCapRatio},
		{&p.fig.essMaxMonths, domain.RuleReservedESSMaxMonths},
	}
	for _, t := range targets {
		r, err := domain.LegalFigure(t.id, on)
		if err != nil {
			return err
		}
		*t.dst = r
	}
	return nil
}

// mainNature returns the nature holding the largest share of the lines' value (the main object of a mixed
// contract) and whether all lines are social and specific services.
func (p *prepared) mainNature(lines []int) (Nature, bool) {
	byNature := map[Nature]int64{}
	social := true
	for _, i := range lines {
		byNature[p.facts[i].Nature] += p.cents[i]
		social = social && p.facts[i].SocialSpecific
	}
	best := NatureServices
	for _, nat := range []Nature{NatureWorks, NatureSupplies, NatureServices} {
		if byNature[nat] > byNature[best] {
			best = nat
		}
	}
	return best, social
}

func allLines(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func euros(cents int64) float64 { return float64(cents) / 100 }

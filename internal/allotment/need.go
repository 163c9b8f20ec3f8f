// Package allotment proposes lot splits of a purchase need, checked against the Code de la commande publique and
// against the ESS structures that could really bid for each lot.
package allotment

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// BuyerKind is the kind of buyer, which sets the EU threshold of supplies and services.
type BuyerKind string

// Buyer kinds: central government, local authorities and other pouvoirs adjudicateurs, entités adjudicatrices.
const (
	BuyerState   BuyerKind = "state"
	BuyerLocal   BuyerKind = "local"
	BuyerUtility BuyerKind = "utility"
)

// Nature is what public procurement law calls the object of a contract.
type Nature string

// Natures of a contract.
const (
	NatureSupplies Nature = "supplies"
	NatureServices Nature = "services"
	NatureWorks    Nature = "works"
)

// Limits of a need.
const (
	MaxLines          = 200
	MaxDurationMonths = 600
	maxLineValueEUR   = 1e12
)

// Need is a purchase need to split into lots.
type Need struct {
	Title          string
	BuyerKind      BuyerKind
	DurationMonths int
	// ReferenceDate is the day whose rules apply; the zero time means today.
	ReferenceDate time.Time
	Lines         []Line
}

// Line is one part of a need: a CPV code, its estimated value over the whole duration and where it is performed.
type Line struct {
	Label             string
	CPV               string
	EstimatedValueEUR float64
	Communes          []string
}

// CPVFacts is what the engine needs to know of a CPV code.
type CPVFacts struct {
	Nature Nature
	// SocialSpecific marks the social and other specific services (R2123-1 3°, Annex XIV of directive 2014/24).
	SocialSpecific bool
	// ReservableL2113_15 marks the services a buyer may reserve to ESS companies (Art. 77 of directive 2014/24).
	ReservableL2113_15 bool
}

// CPVInfo answers questions about CPV codes; internal/refdata implements it from the embedded CPV table.
type CPVInfo interface {
	CPVFacts(code string) (CPVFacts, bool)
}

// CPVInfoFunc adapts a plain function to CPVInfo.
type CPVInfoFunc func(code string) (CPVFacts, bool)

// CPVFacts calls f.
func (f CPVInfoFunc) CPVFacts(code string) (CPVFacts, bool) { return f(code) }

// rulesUsed are the legal figures the engine reads; a need is only judged on a day all of them are known.
var rulesUsed = []string{
	domain.RuleNoPublicitySuppliesServices, domain.RuleNoPublicityWorks, domain.RuleEUThresholdWorks,
	domain.RuleEUThresholdSuppliesState, domain.RuleEUThresholdSuppliesLocal, domain.RuleEUThresholdSuppliesUtility,
	domain.RuleEUThresholdSocialSpecific, domain.RuleEUThresholdSocialSpecificUtility,
	domain.RuleSmallLotMaxSuppliesServices, domain.RuleSmallLotMaxWorks, domain.RuleSmallLotsShareMax,
	domain.RuleTurnoverCapRatio, domain.RuleReservedESSMaxMonths,
}

// Validate checks the need against the CPV table and the commune list; a zero reference date is accepted (the
// engine uses today). Errors are domain.Problems with JSON locations such as "lines[3].cpv".
func (n Need) Validate(cpv CPVInfo, communeExists func(string) bool) error {
	var p domain.Problems
	if strings.TrimSpace(n.Title) == "" {
		p.Add("title", "is required")
	}
	switch n.BuyerKind {
	case BuyerState, BuyerLocal, BuyerUtility:
	default:
		p.Add("buyer_kind", "must be one of state, local, utility")
	}
	if n.DurationMonths < 1 || n.DurationMonths > MaxDurationMonths {
		p.Add("duration_months", "must be between 1 and %d", MaxDurationMonths)
	}
	if !n.ReferenceDate.IsZero() {
		for _, id := range rulesUsed {
			if _, err := domain.LegalFigure(id, n.ReferenceDate); err != nil {
				p.Add("reference_date", "no legal figures are known on %s (%s)",
					n.ReferenceDate.Format(time.DateOnly), id)
				break
			}
		}
	}
	switch {
	case len(n.Lines) == 0:
		p.Add("lines", "must hold at least one line")
	case len(n.Lines) > MaxLines:
		p.Add("lines", "must hold at most %d lines", MaxLines)
	default:
		for i, l := range n.Lines {
			p.AddFrom(indexed("lines", i), l.validate(cpv, communeExists))
		}
	}
	return p.Err()
}

func (l Line) validate(cpv CPVInfo, communeExists func(string) bool) error {
	var p domain.Problems
	if strings.TrimSpace(l.Label) == "" {
		p.Add("label", "is required")
	}
	if _, ok := cpv.CPVFacts(l.CPV); !ok {
		p.Add("cpv", "unknown CPV code %q", l.CPV)
	}
	v := l.EstimatedValueEUR
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		p.Add("estimated_value_eur", "must be a number")
	case v <= 0:
		p.Add("estimated_value_eur", "must be positive")
	case v > maxLineValueEUR:
		p.Add("estimated_value_eur", "must be at most %.0f", maxLineValueEUR)
	}
	if len(l.Communes) == 0 {
		p.Add("communes", "must hold at least one commune")
	}
	for j, c := range l.Communes {
		if !communeExists(c) {
			p.Add(indexed("communes", j), "unknown commune %q", c)
		}
	}
	return p.Err()
}

func indexed(name string, i int) string {
	return name + "[" + strconv.Itoa(i) + "]"
}

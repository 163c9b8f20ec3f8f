package domain

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Limits of a tender's fields.
const (
	MaxTenderTitleRunes       = 300
	MaxTenderDescriptionRunes = 20_000
	MaxTenderCPVCodes         = 20
	MaxTenderCommunes         = 200
	MaxTenderLots             = 100
	MaxTenderDurationMonths   = 240
	MaxTenderValueEUR         = 100_000_000_000
	MaxInsertionHours         = 10_000_000
)

// ESSReservable reports whether a CPV code is one of the health, social and cultural services of Art. 77 of
// Directive 2014/24 that L2113-15 lets a buyer reserve to ESS companies.
type ESSReservable func(cpv string) bool

// Normalize trims what people type and fills the defaults: a lot with no reservation is "none".
func (t *Tender) Normalize() {
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(t.Description)
	t.ExternalReference = strings.TrimSpace(t.ExternalReference)
	t.ExternalURL = strings.TrimSpace(t.ExternalURL)
	t.CPVCodes = trimAll(t.CPVCodes)
	t.Communes = trimAll(t.Communes)
	for i := range t.Lots {
		l := &t.Lots[i]
		l.Title = strings.TrimSpace(l.Title)
		l.Description = strings.TrimSpace(l.Description)
		l.CPVCodes = trimAll(l.CPVCodes)
		l.Communes = trimAll(l.Communes)
		if l.Reservation == "" {
			l.Reservation = ReservationNone
		}
	}
}

func trimAll(ss []string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// Validate checks a tender against the rules of the Code de la commande publique in force on its LegalDate, with
// every figure read from LegalRules: the minimum turnover of a lot (R2142-7), ESS reservations (L2113-15: only the
// services of Art. 77, at most 36 months), the order of the dates, lot values against the total, and that CPV
// codes and communes exist. Locations are JSON paths such as "lots[1].min_turnover_eur".
func (t *Tender) Validate(ref Reference, reservable ESSReservable) error {
	var p Problems
	t.validateText(&p)
	validateCodes(&p, "cpv_codes", t.CPVCodes, true, ref)
	validateCommunes(&p, "communes", t.Communes, ref)
	positive(&p, "estimated_total_eur", t.EstimatedTotalEUR, MaxTenderValueEUR)
	if t.DurationMonths != nil && (*t.DurationMonths < 1 || *t.DurationMonths > MaxTenderDurationMonths) {
		p.Add("duration_months", "must be between 1 and %d", MaxTenderDurationMonths)
	}
	t.validateDates(&p)
	t.validateLots(&p, ref, reservable)
	return p.Err()
}

func (t *Tender) validateText(p *Problems) {
	if t.Title == "" || utf8.RuneCountInString(t.Title) > MaxTenderTitleRunes {
		p.Add("title", "is required, at most %d characters", MaxTenderTitleRunes)
	}
	if utf8.RuneCountInString(t.Description) > MaxTenderDescriptionRunes {
		p.Add("description", "must be at most %d characters", MaxTenderDescriptionRunes)
	}
	switch t.Kind {
	case TenderSourcing, TenderConsultation:
	default:
		p.Add("kind", "must be %s or %s", TenderSourcing, TenderConsultation)
	}
	if utf8.RuneCountInString(t.ExternalReference) > MaxNameRunes {
		p.Add("external_reference", "must be at most %d characters", MaxNameRunes)
	}
	if t.ExternalURL != "" {
		if u, err := url.Parse(t.ExternalURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
			len(t.ExternalURL) > MaxWebsiteBytes {
			p.Add("external_url", "must be an http(s) address")
		}
	}
}

// validateDates requires the sourcing deadline, the planned publication and the response deadline in this order,
// and the deadline of the tender's kind.
func (t *Tender) validateDates(p *Problems) {
	if t.Kind == TenderSourcing && t.SourcingDeadline == nil {
		p.Add("sourcing_deadline", "is required for a sourcing")
	}
	if t.Kind == TenderConsultation && t.ResponseDeadline == nil {
		p.Add("response_deadline", "is required for a consultation")
	}
	if t.SourcingDeadline != nil && t.PlannedPublication != nil && t.PlannedPublication.Before(*t.SourcingDeadline) {
		p.Add("planned_publication", "must not be before the sourcing deadline")
	}
	if t.ResponseDeadline != nil {
		if t.PlannedPublication != nil && t.ResponseDeadline.Before(*t.PlannedPublication) {
			p.Add("response_deadline", "must not be before the planned publication")
		} else if t.SourcingDeadline != nil && t.ResponseDeadline.Before(*t.SourcingDeadline) {
			p.Add("response_deadline", "must not be before the sourcing deadline")
		}
	}
}

func (t *Tender) validateLots(p *Problems, ref Reference, reservable ESSReservable) {
	if len(t.Lots) == 0 || len(t.Lots) > MaxTenderLots {
		p.Add("lots", "must hold between 1 and %d lots (a tender that is not split has one lot)", MaxTenderLots)
	}
	seen := make(map[int]int, len(t.Lots))
	var sum int64
	allValued := true
	for i := range t.Lots {
		l := &t.Lots[i]
		loc := fmt.Sprintf("lots[%d]", i)
		if first, dup := seen[l.Number]; dup {
			p.Add(loc+".number", "repeats lots[%d].number", first)
		}
		seen[l.Number] = i
		if l.EstimatedValueEUR != nil {
			sum += *l.EstimatedValueEUR
		} else {
			allValued = false
		}
		t.validateLot(p, loc, l, ref, reservable)
	}
	if t.EstimatedTotalEUR == nil || len(t.Lots) == 0 {
		return
	}
	total := *t.EstimatedTotalEUR
	switch {
	case allValued && sum != total:
		p.Add("lots", "the estimated values of the lots add up to %d €, not the estimated total of %d €", sum, total)
	case sum > total:
		p.Add("lots", "the estimated values of the lots add up to %d €, more than the estimated total of %d €", sum, total)
	}
}

func (t *Tender) validateLot(p *Problems, loc string, l *Lot, ref Reference, reservable ESSReservable) {
	if l.Number < 1 || l.Number > MaxTenderLots {
		p.Add(loc+".number", "must be between 1 and %d", MaxTenderLots)
	}
	if l.Title == "" || utf8.RuneCountInString(l.Title) > MaxTenderTitleRunes {
		p.Add(loc+".title", "is required, at most %d characters", MaxTenderTitleRunes)
	}
	if utf8.RuneCountInString(l.Description) > MaxTenderDescriptionRunes {
		p.Add(loc+".description", "must be at most %d characters", MaxTenderDescriptionRunes)
	}
	validateCodes(p, loc+".cpv_codes", l.CPVCodes, false, ref)
	validateCommunes(p, loc+".communes", l.Communes, ref)
	if len(t.LotCommunes(*l)) == 0 {
		p.Add(loc+".communes", "is required when the tender names no commune: where is the lot carried out?")
	}
	positive(p, loc+".estimated_value_eur", l.EstimatedValueEUR, MaxTenderValueEUR)
	positive(p, loc+".min_turnover_eur", l.MinTurnoverEUR, MaxTenderValueEUR)
	if l.InsertionHours != nil {
		if !l.SocialClause {
			p.Add(loc+".insertion_hours", "needs social_clause: insertion hours are a social clause")
		} else if *l.InsertionHours < 0 || *l.InsertionHours > MaxInsertionHours {
			p.Add(loc+".insertion_hours", "must be between 0 and %d", MaxInsertionHours)
		}
	}
	t.validateTurnoverCap(p, loc, l)
	t.validateReservation(p, loc, l, reservable)
}

// validateTurnoverCap applies R2142-7: the minimum annual turnover required of candidates for a lot is at most
// the ratio in force times the lot's estimated value.
func (t *Tender) validateTurnoverCap(p *Problems, loc string, l *Lot) {
	if l.MinTurnoverEUR == nil || *l.MinTurnoverEUR <= 0 {
		return
	}
	rule, err := LegalFigure(RuleTurnoverCapRatio, t.LegalDate())
	if err != nil {
		p.Add(loc+".min_turnover_eur", "%s", err)
		return
	}
	if l.EstimatedValueEUR == nil {
		p.Add(loc+".min_turnover_eur", "needs estimated_value_eur: the minimum turnover is capped by the lot's value (%s)",
			rule.Article)
		return
	}
	limit := rule.Value * float64(*l.EstimatedValueEUR)
	if float64(*l.MinTurnoverEUR) > limit {
		p.Add(loc+".min_turnover_eur", "must be at most %g × the lot's estimated value, %.0f € (%s)",
			rule.Value, limit, rule.Article)
	}
}

// validateReservation checks the reservation name and, for L2113-15, that every CPV code of the lot is a service
// of Art. 77 and that the contract lasts at most the figure in force.
func (t *Tender) validateReservation(p *Problems, loc string, l *Lot, reservable ESSReservable) {
	switch l.Reservation {
	case ReservationNone, ReservationDisabled, ReservationSIAE, ReservationBoth:
		return
	case ReservationESS:
	default:
		p.Add(loc+".reservation", "must be one of none, L2113-12, L2113-13, L2113-14, L2113-15")
		return
	}
	for j, code := range t.LotCPVCodes(*l) {
		if reservable == nil || !reservable(code) {
			p.Add(fmt.Sprintf("%s.cpv_codes[%d]", loc, j), "%s is not a health, social or cultural service of "+
				"Art. 77 of Directive 2014/24: the lot cannot be reserved to ESS companies (L2113-15)", code)
		}
	}
	rule, err := LegalFigure(RuleReservedESSMaxMonths, t.LegalDate())
	if err != nil {
		p.Add(loc+".reservation", "%s", err)
		return
	}
	switch {
	case t.DurationMonths == nil:
		p.Add("duration_months", "is required for a lot reserved to ESS companies: it lasts at most %g months (%s)",
			rule.Value, rule.Article)
	case float64(*t.DurationMonths) > rule.Value:
		p.Add("duration_months", "must be at most %g months for a lot reserved to ESS companies (%s)",
			rule.Value, rule.Article)
	}
}

func validateCodes(p *Problems, loc string, codes []string, required bool, ref Reference) {
	if (required && len(codes) == 0) || len(codes) > MaxTenderCPVCodes {
		p.Add(loc, "must list between %d and %d CPV codes", map[bool]int{true: 1}[required], MaxTenderCPVCodes)
	}
	seen := make(map[string]int, len(codes))
	for i, c := range codes {
		at := fmt.Sprintf("%s[%d]", loc, i)
		code8, err := ParseCPVCode(c)
		switch {
		case err != nil:
			p.Add(at, "%s", err)
		case !ref.CPVExists(c):
			p.Add(at, "%s is not a CPV 2008 code", c)
		default:
			if first, dup := seen[code8]; dup {
				p.Add(at, "repeats %s[%d]", loc, first)
			}
			seen[code8] = i
		}
	}
}

func validateCommunes(p *Problems, loc string, communes []string, ref Reference) {
	if len(communes) > MaxTenderCommunes {
		p.Add(loc, "must list at most %d communes", MaxTenderCommunes)
	}
	seen := make(map[string]int, len(communes))
	for i, c := range communes {
		at := fmt.Sprintf("%s[%d]", loc, i)
		if !ref.CommuneExists(c) {
			p.Add(at, "%q is not the INSEE code of a commune", c)
			continue
		}
		if first, dup := seen[c]; dup {
			p.Add(at, "repeats %s[%d]", loc, first)
		}
		seen[c] = i
	}
}

func positive(p *Problems, loc string, v *int64, limit int64) {
	if v != nil && (*v < 0 || *v > limit) {
		p.Add(loc, "must be between 0 and %d €", limit)
	}
}

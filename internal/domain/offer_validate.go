package domain

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Limits of an offer's fields.
const (
	MaxTitleRunes       = 200
	MaxDescriptionRunes = 5000
	MaxOfferCPVCodes    = 20
	MaxOfferReferences  = 20
	MaxReferenceRunes   = 500
)

// Normalize trims the offer's strings, drops empty references and rewrites zones in their canonical form
// ("departement:2a" → "departement:2A"); malformed zones are kept as given so that Validate reports them.
func (o *Offer) Normalize() {
	o.Title = strings.TrimSpace(o.Title)
	o.Description = strings.TrimSpace(o.Description)
	for i, c := range o.CPVCodes {
		o.CPVCodes[i] = strings.TrimSpace(c)
	}
	o.References = trimAndDropEmpty(o.References)
	for i, s := range o.Area.Zones {
		if z, err := ParseZone(s); err == nil {
			o.Area.Zones[i] = z.String()
		} else {
			o.Area.Zones[i] = strings.TrimSpace(s)
		}
	}
}

// Validate checks every field of the offer and returns all problems at once as a *Error of kind invalid, with
// locations such as "cpv_codes[1]" or "area.zones[0]".
func (o *Offer) Validate(ref Reference) error {
	var p Problems
	requireText(&p, "title", o.Title, MaxTitleRunes)
	maxRunes(&p, "description", o.Description, MaxDescriptionRunes)
	validateCPVCodes(&p, o.CPVCodes, ref)
	switch o.Kind {
	case OfferSupply, OfferService, OfferWorks, OfferStaffing:
	default:
		p.Add("kind", "must be one of %s, %s, %s, %s", OfferSupply, OfferService, OfferWorks, OfferStaffing)
	}
	if o.Area.Scope == "" && o.Area.RadiusKM == 0 && len(o.Area.Zones) == 0 {
		p.Add("area", "is required")
	} else {
		p.AddFrom("area", o.Area.Validate(ref))
	}
	if o.CapacityEUR != nil && *o.CapacityEUR <= 0 {
		p.Add("capacity_eur", "must be greater than 0 when given")
	}
	if len(o.References) > MaxOfferReferences {
		p.Add("references", "must hold at most %d references", MaxOfferReferences)
	}
	for i, r := range o.References {
		loc := fmt.Sprintf("references[%d]", i)
		requireText(&p, loc, r, MaxReferenceRunes)
	}
	return p.Err()
}

func validateCPVCodes(p *Problems, codes []string, ref Reference) {
	if len(codes) == 0 || len(codes) > MaxOfferCPVCodes {
		p.Add("cpv_codes", "must hold between 1 and %d CPV codes", MaxOfferCPVCodes)
	}
	seen := make(map[string]int, len(codes))
	for i, c := range codes {
		loc := fmt.Sprintf("cpv_codes[%d]", i)
		code8, err := ParseCPVCode(c)
		if err != nil {
			p.Add(loc, "%s", err)
			continue
		}
		if first, dup := seen[code8]; dup {
			p.Add(loc, "repeats cpv_codes[%d]", first)
			continue
		}
		seen[code8] = i
		if !ref.CPVExists(strings.TrimSpace(c)) {
			p.Add(loc, "%s is not a CPV 2008 code (or its check digit is wrong)", strings.TrimSpace(c))
		}
	}
}

// requireText records a missing or too long text field.
func requireText(p *Problems, loc, s string, limit int) {
	if strings.TrimSpace(s) == "" {
		p.Add(loc, "is required")
		return
	}
	maxRunes(p, loc, s, limit)
}

// maxRunes counts characters, not bytes, so that accented French text gets the limit users read.
func maxRunes(p *Problems, loc, s string, limit int) {
	if utf8.RuneCountInString(s) > limit {
		p.Add(loc, "must be at most %d characters", limit)
	}
}

func trimAndDropEmpty(ss []string) []string {
	out := ss[:0]
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

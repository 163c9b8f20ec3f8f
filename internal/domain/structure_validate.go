package domain

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Limits of a structure's fields.
const (
	MaxNameRunes          = 200
	MaxAddressRunes       = 500
	MaxWebsiteBytes       = 2000
	MaxLabels             = 20
	MaxLabelRunes         = 100
	MaxRepresentatives    = 20
	MaxStructureOffers    = 100
	MaxAnnualTurnoverEUR  = 100_000_000_000
	MinTurnoverYear       = 1990
	maxEmailBytes         = 254 // RFC 5321 path limit
	minInternationalPhone = 8
	maxInternationalPhone = 15 // E.164
)

// Normalize cleans what people type before validation: it trims strings, removes spaces inside the SIRET and the
// postcode, writes NAF codes as "88.99B", upper-cases codes, lower-cases e-mails, and sorts inclusion kinds and labels
// without duplicates or empty entries. Offers are normalised too.
func (s *Structure) Normalize() {
	s.SIRET = withoutSpaces(s.SIRET)
	s.SIREN = withoutSpaces(s.SIREN)
	s.Name = strings.TrimSpace(s.Name)
	s.Brand = strings.TrimSpace(s.Brand)
	s.LegalCategory = strings.TrimSpace(s.LegalCategory)
	s.ESSBasis = ESSBasis(strings.TrimSpace(string(s.ESSBasis)))
	s.InclusionKinds = sortedSet(s.InclusionKinds, strings.ToUpper)
	s.NAFCode = normalNAF(s.NAFCode)
	s.HeadcountBand = strings.ToUpper(strings.TrimSpace(s.HeadcountBand))
	s.Address = strings.TrimSpace(s.Address)
	s.Postcode = withoutSpaces(s.Postcode)
	s.Commune = strings.ToUpper(strings.TrimSpace(s.Commune))
	s.Website = strings.TrimSpace(s.Website)
	s.Description = strings.TrimSpace(s.Description)
	s.Labels = sortedSet(s.Labels, nil)
	s.Contact.Email = strings.ToLower(strings.TrimSpace(s.Contact.Email))
	s.Contact.Phone = strings.TrimSpace(s.Contact.Phone)
	for i := range s.Representatives {
		r := &s.Representatives[i]
		r.Name = strings.TrimSpace(r.Name)
		r.Role = strings.TrimSpace(r.Role)
		r.Email = strings.ToLower(strings.TrimSpace(r.Email))
		r.Phone = strings.TrimSpace(r.Phone)
	}
	s.Status = StructureStatus(strings.TrimSpace(string(s.Status)))
	s.VerifiedBy = strings.TrimSpace(s.VerifiedBy)
	for i := range s.Offers {
		s.Offers[i].Normalize()
	}
}

// Derive computes the fields that follow from others: the SIREN from the SIRET; the ESS family from the legal
// category, or FamilyESSCompany for a commercial company that is ESS by ESUS agreement or ESS quality; and the
// location, which defaults to the commune centre when none is given.
func (s *Structure) Derive(ref Reference) {
	s.SIREN = SIRENOf(s.SIRET)
	s.ESSFamily = ""
	if family, ok := ref.LegalCategoryFamily(s.LegalCategory); ok {
		switch {
		case family != "":
			s.ESSFamily = family
		case s.ESSBasis == BasisESUSAgreement || s.ESSBasis == BasisESSQuality:
			s.ESSFamily = FamilyESSCompany
		}
	}
	if s.Location == nil {
		if centre, ok := ref.CommuneCentre(s.Commune); ok {
			s.Location = &centre
		}
	}
}

// Validate checks every field of the structure and of its offers and returns all problems at once as a *Error of
// kind invalid, located by JSON names: "siret", "legal_category", "offers[0].cpv_codes[1]", "location.lat"…
func (s *Structure) Validate(ref Reference) error {
	var p Problems
	requireText(&p, "name", s.Name, MaxNameRunes)
	maxRunes(&p, "brand", s.Brand, MaxNameRunes)
	s.validateIdentity(&p)
	s.validateESS(&p, ref)
	s.validateActivity(&p, ref)
	s.validatePlace(&p, ref)
	s.validatePresentation(&p)
	validateContact(&p, "contact", s.Contact.Email, s.Contact.Phone)
	s.validateRepresentatives(&p)
	switch s.Status {
	case StatusDraft, StatusPublished, StatusSuspended:
	default:
		p.Add("status", "must be one of %s, %s, %s", StatusDraft, StatusPublished, StatusSuspended)
	}
	if len(s.Offers) > MaxStructureOffers {
		p.Add("offers", "must hold at most %d offers", MaxStructureOffers)
	}
	for i := range s.Offers {
		p.AddFrom(fmt.Sprintf("offers[%d]", i), s.Offers[i].Validate(ref))
	}
	return p.Err()
}

func (s *Structure) validateIdentity(p *Problems) {
	if s.SIRET == "" {
		p.Add("siret", "is required")
	} else if err := ValidateSIRET(s.SIRET); err != nil {
		p.Add("siret", "%s", err)
	} else if s.SIREN != "" && s.SIREN != SIRENOf(s.SIRET) {
		p.Add("siren", "must be the first 9 digits of the SIRET")
	}
}

func (s *Structure) validateESS(p *Problems, ref Reference) {
	family, categoryExists := ref.LegalCategoryFamily(s.LegalCategory)
	switch {
	case s.LegalCategory == "":
		p.Add("legal_category", "is required")
	case !categoryExists:
		p.Add("legal_category", "%s is not a legal category (catégorie juridique)", s.LegalCategory)
	}
	switch s.ESSBasis {
	case BasisLegalForm, BasisESUSAgreement, BasisESSQuality:
		if categoryExists && family == "" && s.ESSBasis == BasisLegalForm {
			p.Add("ess_basis", "a commercial company belongs to the ESS only through the ESUS agreement (%s) or the ESS quality (%s), not through its legal form",
				BasisESUSAgreement, BasisESSQuality)
		}
	case "":
		p.Add("ess_basis", "is required: one of %s, %s, %s", BasisLegalForm, BasisESUSAgreement, BasisESSQuality)
	default:
		p.Add("ess_basis", "must be one of %s, %s, %s", BasisLegalForm, BasisESUSAgreement, BasisESSQuality)
	}
	switch {
	case s.ESSBasis == BasisESUSAgreement && s.ESUSExpiresOn == nil:
		p.Add("esus_expires_on", "is required with the ESUS agreement")
	case s.ESSBasis != BasisESUSAgreement && s.ESUSExpiresOn != nil:
		p.Add("esus_expires_on", "is allowed only with the ESUS agreement (ess_basis %s)", BasisESUSAgreement)
	}
}

func (s *Structure) validateActivity(p *Problems, ref Reference) {
	for i, k := range s.InclusionKinds {
		if !ref.InclusionKindExists(k) {
			p.Add(fmt.Sprintf("inclusion_kinds[%d]", i), "%s is not an inclusion kind (SIAE, EA, ESAT, GEIQ…)", k)
		}
	}
	if s.NAFCode != "" && !ref.NAFExists(s.NAFCode) {
		p.Add("naf_code", "%s is not a NAF code", s.NAFCode)
	}
	if s.HeadcountBand != "" && !ref.HeadcountBandExists(s.HeadcountBand) {
		p.Add("headcount_band", "%s is not a headcount band (tranche d'effectifs)", s.HeadcountBand)
	}
	if t := s.AnnualTurnoverEUR; t != nil {
		if *t < 0 || *t > MaxAnnualTurnoverEUR {
			p.Add("annual_turnover_eur", "must be between 0 and %d", int64(MaxAnnualTurnoverEUR))
		}
		if s.TurnoverYear == nil {
			p.Add("turnover_year", "is required with annual_turnover_eur")
		}
	}
	if y := s.TurnoverYear; y != nil {
		if last := time.Now().Year() + 1; *y < MinTurnoverYear || *y > last {
			p.Add("turnover_year", "must be between %d and %d", MinTurnoverYear, last)
		}
	}
}

func (s *Structure) validatePlace(p *Problems, ref Reference) {
	maxRunes(p, "address", s.Address, MaxAddressRunes)
	if s.Postcode != "" && (len(s.Postcode) != 5 || !allDigits(s.Postcode)) {
		p.Add("postcode", "must be 5 digits")
	}
	switch {
	case s.Commune == "":
		p.Add("commune", "is required (INSEE code)")
	case !ref.CommuneExists(s.Commune):
		p.Add("commune", "%s is not an INSEE commune code", s.Commune)
	}
	if l := s.Location; l != nil {
		if !(l.Lat >= -90 && l.Lat <= 90) {
			p.Add("location.lat", "must be between -90 and 90")
		}
		if !(l.Lon >= -180 && l.Lon <= 180) {
			p.Add("location.lon", "must be between -180 and 180")
		}
	}
}

func (s *Structure) validatePresentation(p *Problems) {
	if s.Website != "" {
		if err := validateWebsite(s.Website); err != nil {
			p.Add("website", "%s", err)
		}
	}
	maxRunes(p, "description", s.Description, MaxDescriptionRunes)
	if len(s.Labels) > MaxLabels {
		p.Add("labels", "must hold at most %d labels", MaxLabels)
	}
	for i, l := range s.Labels {
		requireText(p, fmt.Sprintf("labels[%d]", i), l, MaxLabelRunes)
	}
}

func (s *Structure) validateRepresentatives(p *Problems) {
	if len(s.Representatives) > MaxRepresentatives {
		p.Add("representatives", "must hold at most %d representatives", MaxRepresentatives)
	}
	for i, r := range s.Representatives {
		loc := fmt.Sprintf("representatives[%d]", i)
		requireText(p, loc+".name", r.Name, MaxNameRunes)
		maxRunes(p, loc+".role", r.Role, MaxNameRunes)
		validateContact(p, loc, r.Email, r.Phone)
	}
}

func validateContact(p *Problems, loc, email, phone string) {
	if email != "" {
		if err := ValidateEmail(email); err != nil {
			p.Add(loc+".email", "%s", err)
		}
	}
	if phone != "" {
		if err := ValidatePhone(phone); err != nil {
			p.Add(loc+".phone", "%s", err)
		}
	}
}

func validateWebsite(s string) error {
	u, err := url.Parse(s)
	switch {
	case len(s) > MaxWebsiteBytes:
		return fmt.Errorf("must be at most %d characters", MaxWebsiteBytes)
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "":
		return errors.New(`must be a web address starting with "https://" or "http://"`)
	}
	return nil
}

// ValidateEmail checks that s is a bare e-mail address ("contact@example.fr", no display name) whose domain has a
// dot. Its error reads as a field message.
func ValidateEmail(s string) error {
	bad := errors.New("must be an e-mail address such as contact@example.fr")
	if len(s) > maxEmailBytes {
		return bad
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return bad
	}
	_, domain, _ := strings.Cut(a.Address, "@")
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") {
		return bad
	}
	return nil
}

// ValidatePhone checks that s is a plausible phone number: digits with spaces, dots or dashes as separators; a
// French number has 10 digits starting with 0 or is +33 (or 0033) followed by 9 digits; another international
// number is + (or 00) and 8 to 15 digits. Its error reads as a field message.
func ValidatePhone(s string) error {
	bad := errors.New(`must be a phone number such as "02 40 00 00 00" or "+33 2 40 00 00 00"`)
	international := strings.HasPrefix(s, "+")
	var digits strings.Builder
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r == ' ' || r == '.' || r == '-' || (r == '+' && i == 0):
		default:
			return bad
		}
	}
	d := digits.String()
	if !international && strings.HasPrefix(d, "00") {
		international, d = true, d[2:]
	}
	switch {
	case international && strings.HasPrefix(d, "33"):
		if len(d) != 11 || d[2] == '0' {
			return bad
		}
	case international:
		if len(d) < minInternationalPhone || len(d) > maxInternationalPhone {
			return bad
		}
	case len(d) != 10 || d[0] != '0':
		return bad
	}
	return nil
}

// sortedSet trims entries, applies fold when given, and returns them sorted without duplicates or empty strings.
func sortedSet(ss []string, fold func(string) string) []string {
	out := make([]string, 0, len(ss))
	for _, s := range ss {
		s = strings.TrimSpace(s)
		if fold != nil {
			s = fold(s)
		}
		if s != "" {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	out = slices.Compact(out)
	if len(out) == 0 && ss == nil {
		return nil
	}
	return out
}

func withoutSpaces(s string) string { return strings.Join(strings.Fields(s), "") }

// normalNAF writes a NAF sub-class as SIRENE does, "88.99B", also when typed "8899b".
func normalNAF(s string) string {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) == 5 && allDigits(s[:4]) && s[4] >= 'A' && s[4] <= 'Z' {
		return s[:2] + "." + s[2:]
	}
	return s
}

package domain

import (
	"fmt"
	"strings"
	"time"
)

// RoleSought is the place in a groupement a partnership call offers to its respondents.
type RoleSought string

// Roles sought: a co-contractor (member of the groupement), a subcontractor of the holder, or a mandataire to lead
// the groupement.
const (
	RoleCoContractor  RoleSought = "co_contractor"
	RoleSubcontractor RoleSought = "subcontractor"
	RoleMandataire    RoleSought = "mandataire"
)

// CallStatus is the state of a partnership call: open, then closed (given up) or filled (partners found).
type CallStatus string

// Call statuses.
const (
	CallOpen   CallStatus = "open"
	CallClosed CallStatus = "closed"
	CallFilled CallStatus = "filled"
)

// ApplicationStatus is where an application to a call stands.
type ApplicationStatus string

// Application statuses: a caller accepts or declines a pending application, once.
const (
	ApplicationPending  ApplicationStatus = "pending"
	ApplicationAccepted ApplicationStatus = "accepted"
	ApplicationDeclined ApplicationStatus = "declined"
)

// Limits of a partnership call and of an application.
const (
	MaxCallCPVCodes    = 50
	MaxCallCommunes    = 200
	MaxCallSkills      = 20
	MaxCallMessageLen  = 4000
	MaxExternalTextLen = 300
)

// ExternalConsultation is a consultation published outside Essor (on a buyer profile, BOAMP…) that a call answers:
// the lot facts Essor cannot read from a tender of its own.
type ExternalConsultation struct {
	Reference      string
	Buyer          string
	URL            string
	Deadline       *time.Time
	LotValueEUR    *int64
	CPVCodes       []string
	Communes       []string
	MinTurnoverEUR *int64
}

// PartnershipCall is a structure's call for partners to bid for one lot together: a lot of a tender on Essor
// (TenderID and LotNumber) or of an outside consultation (External).
type PartnershipCall struct {
	ID                string
	StructureID       string
	TenderID          string
	LotNumber         int
	External          *ExternalConsultation
	RoleSought        RoleSought
	CPVCodes          []string
	Skills            []string
	Communes          []string
	CapacitySoughtEUR *int64
	Deadline          time.Time
	Message           string
	Status            CallStatus
	CreatedBy         string
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// LotKey identifies the lot a call answers, the same for every call on it: R2142-23 is checked per lot key.
func (c *PartnershipCall) LotKey() string {
	if c.External != nil {
		return fmt.Sprintf("external:%s#%d", strings.ToLower(strings.Join(strings.Fields(c.External.Reference), " ")), c.LotNumber)
	}
	return fmt.Sprintf("tender:%s#%d", c.TenderID, c.LotNumber)
}

// Normalize trims free text and drops empty list entries, so validation and storage see the canonical form.
func (c *PartnershipCall) Normalize() {
	c.Message = strings.TrimSpace(c.Message)
	c.Skills = partnershipTrimmed(c.Skills)
	c.CPVCodes = partnershipTrimmed(c.CPVCodes)
	c.Communes = partnershipTrimmed(c.Communes)
	if e := c.External; e != nil {
		e.Reference, e.Buyer, e.URL = strings.TrimSpace(e.Reference), strings.TrimSpace(e.Buyer), strings.TrimSpace(e.URL)
		e.CPVCodes, e.Communes = partnershipTrimmed(e.CPVCodes), partnershipTrimmed(e.Communes)
	}
}

// Validate checks a new call on the day now: exactly one lot (a tender lot or an outside consultation), a known
// role, existing CPV codes and communes, a deadline not past, and the size limits. Locations are JSON paths.
func (c *PartnershipCall) Validate(ref Reference, now time.Time) error {
	var p Problems
	switch {
	case c.External == nil && c.TenderID == "":
		p.Add("tender_id", "is required unless external describes an outside consultation")
	case c.External != nil && c.TenderID != "":
		p.Add("external", "must be empty when tender_id is given: a call answers one lot")
	case c.External == nil && c.LotNumber < 1:
		p.Add("lot_number", "must be 1 or more for a lot of a tender")
	case c.External != nil:
		c.External.validate(&p, ref)
	}
	if c.LotNumber < 0 {
		p.Add("lot_number", "must be 0 (outside consultation without lots) or more")
	}
	switch c.RoleSought {
	case RoleCoContractor, RoleSubcontractor, RoleMandataire:
	default:
		p.Add("role_sought", "must be one of %s, %s, %s", RoleCoContractor, RoleSubcontractor, RoleMandataire)
	}
	validatePartnershipCPVs(&p, "cpv_codes", c.CPVCodes, ref, MaxCallCPVCodes)
	validatePartnershipCommunes(&p, "communes", c.Communes, ref)
	if len(c.Skills) > MaxCallSkills {
		p.Add("skills", "must list at most %d skills", MaxCallSkills)
	}
	if c.CapacitySoughtEUR != nil && *c.CapacitySoughtEUR < 0 {
		p.Add("capacity_sought_eur", "must not be negative")
	}
	if c.Deadline.IsZero() {
		p.Add("deadline", "is required")
	} else if c.Deadline.Before(now) {
		p.Add("deadline", "must not be in the past")
	}
	if len(c.Message) > MaxCallMessageLen {
		p.Add("message", "must be at most %d characters", MaxCallMessageLen)
	}
	return p.Err()
}

func (e *ExternalConsultation) validate(p *Problems, ref Reference) {
	if e.Reference == "" || len(e.Reference) > MaxExternalTextLen {
		p.Add("external.reference", "is required, at most %d characters", MaxExternalTextLen)
	}
	if e.Buyer == "" || len(e.Buyer) > MaxExternalTextLen {
		p.Add("external.buyer", "is required, at most %d characters", MaxExternalTextLen)
	}
	if e.URL != "" && !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
		p.Add("external.url", "must be an http(s) address")
	}
	if e.LotValueEUR != nil && *e.LotValueEUR <= 0 {
		p.Add("external.lot_value_eur", "must be positive")
	}
	if e.MinTurnoverEUR != nil && *e.MinTurnoverEUR < 0 {
		p.Add("external.min_turnover_eur", "must not be negative")
	}
	validatePartnershipCPVs(p, "external.cpv_codes", e.CPVCodes, ref, MaxCallCPVCodes)
	validatePartnershipCommunes(p, "external.communes", e.Communes, ref)
}

// Application is a structure's answer to a partnership call: its message and the CPV codes it brings.
type Application struct {
	ID          string
	CallID      string
	StructureID string
	Message     string
	CPVCodes    []string
	Status      ApplicationStatus
	CreatedBy   string
	CreatedAt   time.Time
	DecidedAt   *time.Time
}

// Validate checks an application's message and codes.
func (a *Application) Validate(ref Reference) error {
	var p Problems
	a.Message = strings.TrimSpace(a.Message)
	a.CPVCodes = partnershipTrimmed(a.CPVCodes)
	if len(a.Message) > MaxCallMessageLen {
		p.Add("message", "must be at most %d characters", MaxCallMessageLen)
	}
	validatePartnershipCPVs(&p, "cpv_codes", a.CPVCodes, ref, MaxCallCPVCodes)
	return p.Err()
}

// PartnershipCallFilter selects partnership calls; empty fields do not filter.
type PartnershipCallFilter struct {
	// CPV matches calls needing one of these codes or a code below it in the CPV hierarchy.
	CPV         []string
	Commune     string
	TenderID    string
	Role        RoleSought
	Status      CallStatus
	StructureID string
	// Text matches words of the message, the skills and the outside consultation's reference and buyer.
	Text string
}

// CallLot is what a call needs to know of the lot it answers, whether the lot is on Essor or outside.
type CallLot struct {
	TenderID            string
	LotNumber           int
	Title               string
	BuyerOrganisationID string
	BuyerName           string
	ValueEUR            *int64
	MinTurnoverEUR      *int64
	CPVCodes            []string
	Communes            []string
	// Reservation is the article a reserved lot is reserved under (L2113-12, L2113-13, L2113-14, L2113-15), "" when
	// the lot is open to all.
	Reservation string
	Deadline    *time.Time
	// On is the day the lot's legal figures are read for (its publication), zero for today.
	On time.Time
}

// Reservation articles of a lot.
const (
	ReservedDisability = "L2113-12"
	ReservedInsertion  = "L2113-13"
	ReservedBoth       = "L2113-14"
	ReservedESS        = "L2113-15"
)

var (
	reservedDisabilityKinds = []string{"EA", "EATT", "ESAT"}
	reservedInsertionKinds  = []string{"EI", "AI", "ACI", "ETTI", "EITI"}
)

// EligibleForReservation reports whether a structure with these inclusion kinds may bid for a lot reserved under the
// article: EA/ESAT for L2113-12, SIAE for L2113-13, either for L2113-14; every ESS structure for L2113-15; anyone
// for an unreserved lot. An unknown article admits nobody, so a typo never opens a reserved lot.
func EligibleForReservation(article string, inclusionKinds []string) bool {
	has := func(kinds []string) bool {
		for _, k := range inclusionKinds {
			for _, want := range kinds {
				if strings.EqualFold(k, want) {
					return true
				}
			}
		}
		return false
	}
	switch article {
	case "", ReservedESS:
		return true
	case ReservedDisability:
		return has(reservedDisabilityKinds)
	case ReservedInsertion:
		return has(reservedInsertionKinds)
	case ReservedBoth:
		return has(reservedDisabilityKinds) || has(reservedInsertionKinds)
	}
	return false
}

func validatePartnershipCPVs(p *Problems, field string, codes []string, ref Reference, maxCodes int) {
	if len(codes) > maxCodes {
		p.Add(field, "must list at most %d codes", maxCodes)
	}
	for i, code := range codes {
		if _, err := ParseCPVCode(code); err != nil {
			p.Add(fmt.Sprintf("%s[%d]", field, i), "%s", err)
		} else if !ref.CPVExists(code) {
			p.Add(fmt.Sprintf("%s[%d]", field, i), "%s is not a CPV 2008 code", code)
		}
	}
}

func validatePartnershipCommunes(p *Problems, field string, communes []string, ref Reference) {
	if len(communes) > MaxCallCommunes {
		p.Add(field, "must list at most %d communes", MaxCallCommunes)
	}
	for i, c := range communes {
		if !ref.CommuneExists(c) {
			p.Add(fmt.Sprintf("%s[%d]", field, i), "%s is not the INSEE code of a commune", c)
		}
	}
}

func partnershipTrimmed(in []string) []string {
	var out []string
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

package domain

import (
	"slices"
	"time"
)

// TenderKind says where a tender stands in the buyer's purchase: sourcing before writing the consultation, or a
// consultation already published elsewhere (with its reference and URL).
type TenderKind string

// Tender kinds.
const (
	TenderSourcing     TenderKind = "sourcing"
	TenderConsultation TenderKind = "consultation"
)

// TenderStatus is the state of a tender in its life.
type TenderStatus string

// Tender statuses: a draft only its buyer organisation sees, published (matching structures are told), closed
// (answers are no longer expected), then awarded or cancelled.
const (
	TenderDraft     TenderStatus = "draft"
	TenderPublished TenderStatus = "published"
	TenderClosed    TenderStatus = "closed"
	TenderAwarded   TenderStatus = "awarded"
	TenderCancelled TenderStatus = "cancelled"
)

// tenderTransitions lists the statuses each status may move to.
var tenderTransitions = map[TenderStatus][]TenderStatus{
	TenderDraft:     {TenderPublished, TenderCancelled},
	TenderPublished: {TenderClosed, TenderCancelled},
	TenderClosed:    {TenderAwarded, TenderCancelled},
}

// CanBecome reports whether a tender in status s may move to next.
func (s TenderStatus) CanBecome(next TenderStatus) bool {
	return slices.Contains(tenderTransitions[s], next)
}

// Reservation is the legal basis on which a lot is reserved to some operators, or none.
type Reservation string

// Reservations of the Code de la commande publique.
const (
	ReservationNone     Reservation = "none"
	ReservationDisabled Reservation = "L2113-12" // EA, EATT, ESAT
	ReservationSIAE     Reservation = "L2113-13" // structures d'insertion par l'activité économique
	ReservationBoth     Reservation = "L2113-14" // either of the two above
	ReservationESS      Reservation = "L2113-15" // ESS companies, for the services of Art. 77 of Directive 2014/24
)

// Inclusion kinds a reservation admits.
var (
	DisabilityEmployerKinds = []string{"EA", "EATT", "ESAT"}
	SIAEKinds               = []string{"AI", "ACI", "EI", "EITI", "ETTI"}
)

// Tender is a purchase need a buyer organisation posts for sourcing or consultation.
type Tender struct {
	ID                 string
	OrganisationID     string
	CreatedBy          string
	Title              string
	Description        string
	Kind               TenderKind
	ExternalReference  string
	ExternalURL        string
	CPVCodes           []string
	EstimatedTotalEUR  *int64
	DurationMonths     *int
	Communes           []string
	SourcingDeadline   *time.Time
	PlannedPublication *time.Time
	ResponseDeadline   *time.Time
	Status             TenderStatus
	Lots               []Lot
	PublishedAt        *time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
	Version            int
}

// Lot is a separately awarded part of a tender. Empty CPV codes or communes mean the tender's.
type Lot struct {
	Number            int
	Title             string
	Description       string
	CPVCodes          []string
	EstimatedValueEUR *int64
	Communes          []string
	Reservation       Reservation
	SocialClause      bool
	InsertionHours    *int
	MinTurnoverEUR    *int64
	OpenToGroupement  bool
}

// Lot returns the lot with a number.
func (t *Tender) Lot(number int) (Lot, bool) {
	for _, l := range t.Lots {
		if l.Number == number {
			return l, true
		}
	}
	return Lot{}, false
}

// LotCPVCodes returns the CPV codes of a lot, the tender's when the lot names none.
func (t *Tender) LotCPVCodes(l Lot) []string {
	if len(l.CPVCodes) > 0 {
		return l.CPVCodes
	}
	return t.CPVCodes
}

// LotCommunes returns the execution communes of a lot, the tender's when the lot names none.
func (t *Tender) LotCommunes(l Lot) []string {
	if len(l.Communes) > 0 {
		return l.Communes
	}
	return t.Communes
}

// Deadline is the last day structures are expected to answer: the sourcing deadline of a sourcing, the response
// deadline of a consultation (nil when not given). Nothing is sent after it.
func (t *Tender) Deadline() *time.Time {
	if t.Kind == TenderSourcing && t.SourcingDeadline != nil {
		return t.SourcingDeadline
	}
	if t.ResponseDeadline != nil {
		return t.ResponseDeadline
	}
	return t.SourcingDeadline
}

// Open reports whether the tender still expects answers at instant now: published and before its deadline (the
// whole deadline day counts).
func (t *Tender) Open(now time.Time) bool {
	d := t.Deadline()
	return t.Status == TenderPublished && (d == nil || now.Before(dayOf(*d).AddDate(0, 0, 1)))
}

// LegalDate is the day whose legal figures judge the tender: its planned publication, else the day it was created.
func (t *Tender) LegalDate() time.Time {
	if t.PlannedPublication != nil {
		return *t.PlannedPublication
	}
	return t.CreatedAt
}

// AnnualValueEUR is the lot's estimated value per year of the contract, nil when unknown: the whole value for a
// contract of a year or less.
func (t *Tender) AnnualValueEUR(l Lot) *int64 {
	if l.EstimatedValueEUR == nil {
		return nil
	}
	v := *l.EstimatedValueEUR
	if t.DurationMonths != nil && *t.DurationMonths > 12 {
		v = v * 12 / int64(*t.DurationMonths)
	}
	return &v
}

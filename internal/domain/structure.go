package domain

import "time"

// ESSFamily is the family of the social and solidarity economy a structure belongs to.
type ESSFamily string

// ESS families: the four "de droit" families given by the legal form, and commercial companies that are ESS by
// agreement (ESUS) or by declared quality.
const (
	FamilyAssociation ESSFamily = "association"
	FamilyCooperative ESSFamily = "cooperative"
	FamilyMutual      ESSFamily = "mutuelle"
	FamilyFoundation  ESSFamily = "fondation"
	FamilyESSCompany  ESSFamily = "ess_company"
)

// ESSBasis says why a structure belongs to the ESS.
type ESSBasis string

// ESS bases: a legal form of the ESS, the ESUS agreement (with an expiry date), or the ESS quality of a commercial
// company (SIRENE flag economieSocialeSolidaireUniteLegale = O).
const (
	BasisLegalForm     ESSBasis = "legal_form"
	BasisESUSAgreement ESSBasis = "esus_agreement"
	BasisESSQuality    ESSBasis = "ess_quality"
)

// StructureStatus is the publication state of a structure.
type StructureStatus string

// Structure statuses.
const (
	StatusDraft     StructureStatus = "draft"
	StatusPublished StructureStatus = "published"
	StatusSuspended StructureStatus = "suspended"
)

// Contact is a structure's generic contact (contact@…, a switchboard): not personal data.
type Contact struct {
	Email string
	Phone string
}

// Representative is a person who represents a structure. Every field is personal data: it is stored apart,
// never indexed and shown only to authenticated buyers.
type Representative struct {
	Name  string
	Role  string
	Email string
	Phone string
}

// Structure is an ESS organisation (one establishment, identified by its SIRET).
type Structure struct {
	ID                string
	SIRET             string
	SIREN             string
	Name              string
	Brand             string
	LegalCategory     string
	ESSFamily         ESSFamily
	ESSBasis          ESSBasis
	ESUSExpiresOn     *time.Time
	InclusionKinds    []string
	NAFCode           string
	HeadcountBand     string
	AnnualTurnoverEUR *int64
	TurnoverYear      *int
	Address           string
	Postcode          string
	Commune           string
	Location          *GeoPoint
	Website           string
	Description       string
	Labels            []string
	Contact           Contact
	Representatives   []Representative
	OpenToCotraitance bool
	Status            StructureStatus
	VerifiedAt        *time.Time
	VerifiedBy        string
	PublicAwardsCount int
	LastAwardOn       *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
	Version           int
	Offers            []Offer
}

// FirstTime reports whether the structure has no known public contract award (a "primo-accédant").
func (s *Structure) FirstTime() bool { return s.PublicAwardsCount == 0 }

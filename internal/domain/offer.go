package domain

import "time"

// OfferKind is the nature of what an offer sells, as public procurement distinguishes it.
type OfferKind string

// Offer kinds.
const (
	OfferSupply   OfferKind = "supply"
	OfferService  OfferKind = "service"
	OfferWorks    OfferKind = "works"
	OfferStaffing OfferKind = "staffing"
)

// AreaScope is how an offer's intervention area is described.
type AreaScope string

// Area scopes: the whole country, a radius around the structure, or a list of zones.
const (
	ScopeCountry AreaScope = "country"
	ScopeRadius  AreaScope = "radius"
	ScopeZones   AreaScope = "zones"
)

// Area is where an offer can be delivered. Zones are typed codes: "commune:44109", "departement:44", "region:52",
// "epci:244400404".
type Area struct {
	Scope    AreaScope
	RadiusKM float64
	Zones    []string
}

// Offer is one thing a structure sells; matching runs on offers, not on whole structures.
type Offer struct {
	ID          string
	StructureID string
	Title       string
	Description string
	CPVCodes    []string
	Kind        OfferKind
	Area        Area
	CapacityEUR *int64
	References  []string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

package domain

// StructureFilter selects structures of the directory. Empty fields do not filter.
type StructureFilter struct {
	// CPV matches structures with an offer coded with one of these codes or a descendant in the CPV hierarchy.
	CPV []string
	// Commune (INSEE code) matches structures with an offer whose area covers the commune.
	Commune           string
	LegalFamilies     []ESSFamily
	InclusionKinds    []string
	OfferKinds        []OfferKind
	FirstTime         *bool
	OpenToCotraitance *bool
	Verified          *bool
	HeadcountBands    []string
	TurnoverMinEUR    *int64
	TurnoverMaxEUR    *int64
	// Statuses limits the visible statuses; empty means published only.
	Statuses []StructureStatus
}

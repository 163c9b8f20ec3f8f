package domain

// GeoPoint is a WGS84 position.
type GeoPoint struct {
	Lat float64
	Lon float64
}

// Reference answers the reference-data questions validation needs (CPV, communes, legal categories…).
// internal/refdata implements it from the data embedded in the binary.
type Reference interface {
	CPVExists(code string) bool
	CommuneExists(insee string) bool
	CommuneCentre(insee string) (GeoPoint, bool)
	DepartmentExists(code string) bool
	RegionExists(code string) bool
	EPCIExists(siren string) bool
	// LegalCategoryFamily returns the ESS family of a legal category ("" for a commercial form) and whether the
	// category exists.
	LegalCategoryFamily(code string) (ESSFamily, bool)
	NAFExists(code string) bool
	HeadcountBandExists(code string) bool
	InclusionKindExists(code string) bool
}

package domain

// GeoPoint is a WGS84 position.
type GeoPoint struct {
	Lat float64
	Lon float64
}

// Reference answers the reference-data questions validation needs (CPV, communes, legal categories…).
// internal/refdata implements it from the data embedded in the binary.
type Reference interface {
	// CPVExists reports whether code is a CPV 2008 code. Offer.Validate passes the code as the user wrote it, 8 digits
	// with or without "-" and the check digit ("45421000-4" or "45421000"): look up the 8-digit root and, when a check
	// digit is given, require it to match the published one (it follows no formula).
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

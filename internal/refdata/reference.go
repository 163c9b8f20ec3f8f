package refdata

import (
	"slices"

	"github.com/essor-ess/essor/internal/domain"
)

// CPVExists reports whether code is a CPV 2008 code, written with or without its check digit.
func (c *Catalog) CPVExists(code string) bool {
	_, ok := c.cpvIndex(code)
	return ok
}

// CommuneExists reports whether insee is the code of a current commune.
func (c *Catalog) CommuneExists(insee string) bool {
	_, ok := c.Commune(insee)
	return ok
}

// CommuneCentre returns the centre of a commune; false for an unknown commune or one without coordinates.
func (c *Catalog) CommuneCentre(insee string) (domain.GeoPoint, bool) {
	cm, ok := c.Commune(insee)
	if !ok || (cm.Lat == 0 && cm.Lon == 0) {
		return domain.GeoPoint{}, false
	}
	return domain.GeoPoint{Lat: cm.Lat, Lon: cm.Lon}, true
}

// CommunePlace returns what area coverage needs to know of a commune: its department, region, EPCI and centre.
func (c *Catalog) CommunePlace(insee string) (domain.CommunePlace, bool) {
	cm, ok := c.Commune(insee)
	if !ok {
		return domain.CommunePlace{}, false
	}
	return domain.CommunePlace{INSEE: cm.INSEE, Department: cm.Department, Region: cm.Region, EPCI: cm.EPCI,
		Centre: domain.GeoPoint{Lat: cm.Lat, Lon: cm.Lon}}, true
}

// DepartmentExists reports whether code is a département code.
func (c *Catalog) DepartmentExists(code string) bool {
	_, ok := c.Department(code)
	return ok
}

// RegionExists reports whether code is a région code.
func (c *Catalog) RegionExists(code string) bool {
	_, ok := c.Region(code)
	return ok
}

// EPCIExists reports whether siren is the SIREN of an EPCI.
func (c *Catalog) EPCIExists(siren string) bool {
	_, ok := c.EPCI(siren)
	return ok
}

// LegalCategoryFamily returns the ESS family of a legal category ("" for a commercial or other form) and whether
// the category exists.
func (c *Catalog) LegalCategoryFamily(code string) (domain.ESSFamily, bool) {
	l, ok := c.LegalCategory(code)
	return l.Family, ok
}

// NAFExists reports whether code is a NAF rév. 2 code of any level, with or without its dot.
func (c *Catalog) NAFExists(code string) bool {
	_, ok := c.NAF(code)
	return ok
}

// HeadcountBandExists reports whether code is a SIRENE headcount band code.
func (c *Catalog) HeadcountBandExists(code string) bool {
	return slices.ContainsFunc(c.bands, func(b HeadcountBand) bool { return b.Code == code })
}

// InclusionKindExists reports whether code is an inclusion structure kind.
func (c *Catalog) InclusionKindExists(code string) bool {
	_, ok := c.InclusionKind(code)
	return ok
}

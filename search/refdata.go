package search

import "github.com/essor-ess/essor/internal/refdata"

// CatalogCPV adapts the embedded reference data to CPVLookup.
func CatalogCPV(c *refdata.Catalog) CPVLookup {
	return CPVConceptsFunc(func() []CPVConcept {
		all := c.AllCPV()
		out := make([]CPVConcept, len(all))
		for i, k := range all {
			out[i] = CPVConcept{Code: k.Code, Label: k.Label, Parent: k.Parent}
		}
		return out
	})
}

// CatalogPlaces adapts the embedded reference data to CommunePlaces.
func CatalogPlaces(c *refdata.Catalog) CommunePlaces {
	return CommunePlacesFunc(func(insee string) (Place, bool) {
		k, ok := c.Commune(insee)
		if !ok {
			return Place{}, false
		}
		return Place{INSEE: k.INSEE, Department: k.Department, Region: k.Region, EPCI: k.EPCI,
			Centre: domainPoint(k.Lat, k.Lon), HasCentre: k.Lat != 0 || k.Lon != 0}, true
	})
}

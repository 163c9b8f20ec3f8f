package search

import (
	"strings"

	"github.com/essor-ess/essor/internal/refdata"
)

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

// CatalogPlaces adapts the embedded reference data to CommunePlaces and CommuneNames.
func CatalogPlaces(c *refdata.Catalog) CommunePlaces { return catalogPlaces{c} }

type catalogPlaces struct{ c *refdata.Catalog }

func (p catalogPlaces) CommunePlace(insee string) (Place, bool) {
	k, ok := p.c.Commune(insee)
	if !ok {
		return Place{}, false
	}
	return Place{INSEE: k.INSEE, Department: k.Department, Region: k.Region, EPCI: k.EPCI,
		Centre: domainPoint(k.Lat, k.Lon), HasCentre: k.Lat != 0 || k.Lon != 0}, true
}

// communeNameCandidates bounds the autocomplete hits examined for one name: exact names come first.
const communeNameCandidates = 50

func (p catalogPlaces) CommunesNamed(name string) []string {
	var exact, short []string
	for _, k := range p.c.SearchCommunes(name, communeNameCandidates) {
		switch f := refdata.Fold(k.Name); {
		case f == name:
			exact = append(exact, k.INSEE)
		case strings.HasPrefix(f, name+" sur "):
			short = append(short, k.INSEE)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return short
}

package searchbench

import (
	"math"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// CoveredCommunes lists the communes among candidates that an offer covers (the rule of docs/search.md: the whole
// country, a zone holding the commune, its département, region or EPCI, or a radius reaching its centre). The
// baselines index this list, computed once, where Essor resolves coverage at query time.
func CoveredCommunes(o domain.Offer, location *domain.GeoPoint, candidates []refdata.Commune) []string {
	var out []string
	for _, c := range candidates {
		if covers(o, location, c) {
			out = append(out, c.INSEE)
		}
	}
	return out
}

func covers(o domain.Offer, location *domain.GeoPoint, c refdata.Commune) bool {
	switch o.Area.Scope {
	case domain.ScopeCountry:
		return true
	case domain.ScopeRadius:
		return location != nil && haversineKM(location.Lat, location.Lon, c.Lat, c.Lon) <= o.Area.RadiusKM
	}
	for _, z := range o.Area.Zones {
		if z == "commune:"+c.INSEE || z == "departement:"+c.Department || z == "region:"+c.Region || z == "epci:"+c.EPCI {
			return true
		}
	}
	return false
}

func haversineKM(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 6371 * 2 * math.Atan2(math.Sqrt(a), math.Sqrt(1-a))
}

package domain

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// ZoneKind is the administrative level of a zone.
type ZoneKind string

// Zone kinds, spelled as in zone strings ("departement:44").
const (
	ZoneCommune    ZoneKind = "commune"
	ZoneDepartment ZoneKind = "departement"
	ZoneRegion     ZoneKind = "region"
	ZoneEPCI       ZoneKind = "epci"
)

// Zone is one administrative area of an offer's intervention area: a commune (INSEE code), a department, a region
// or an EPCI (its SIREN).
type Zone struct {
	Kind ZoneKind
	Code string
}

// String returns the zone in its typed-string form, "departement:44".
func (z Zone) String() string { return string(z.Kind) + ":" + z.Code }

var errZoneSyntax = errors.New(`must be a zone such as "commune:44109", "departement:44", "region:52" or "epci:244400404"`)

// ParseZone reads a typed zone string such as "commune:44109", "departement:2A", "region:52" or "epci:244400404".
// It checks the shape of the code (Corsica's 2A/2B and the overseas 97x/98x included, lower-case letters accepted),
// not that the zone exists.
func ParseZone(s string) (Zone, error) {
	kind, code, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok {
		return Zone{}, errZoneSyntax
	}
	z := Zone{Kind: ZoneKind(kind), Code: strings.ToUpper(code)}
	var valid bool
	switch z.Kind {
	case ZoneCommune:
		valid = len(z.Code) == 5 && isDepartmentPrefix(z.Code[:2]) && allDigits(z.Code[2:])
	case ZoneDepartment:
		valid = isDepartmentCode(z.Code)
	case ZoneRegion:
		valid = len(z.Code) == 2 && allDigits(z.Code)
	case ZoneEPCI:
		if ValidateSIREN(z.Code) != nil {
			return Zone{}, fmt.Errorf("%q: an EPCI is given by its SIREN, 9 digits with a valid check digit", s)
		}
		valid = true
	default:
		return Zone{}, errZoneSyntax
	}
	if !valid {
		return Zone{}, fmt.Errorf("%q: malformed %s code", s, z.Kind)
	}
	return z, nil
}

// isDepartmentPrefix reports whether p can start an INSEE commune code: two digits, or 2A/2B for Corsica.
func isDepartmentPrefix(p string) bool {
	return p == "2A" || p == "2B" || allDigits(p)
}

// isDepartmentCode accepts 01..95 with 2A/2B, and the three-digit overseas codes 97x and 98x.
func isDepartmentCode(c string) bool {
	switch len(c) {
	case 2:
		return isDepartmentPrefix(c)
	case 3:
		return c[0] == '9' && (c[1] == '7' || c[1] == '8') && allDigits(c[2:])
	}
	return false
}

// ValidLatLon reports whether the point is a WGS84 position (NaN and infinities are not).
func (g GeoPoint) ValidLatLon() bool {
	return g.Lat >= -90 && g.Lat <= 90 && g.Lon >= -180 && g.Lon <= 180
}

const earthRadiusKM = 6371.0088 // IUGG mean radius

// DistanceKM returns the great-circle (haversine) distance between two points in kilometres.
func DistanceKM(a, b GeoPoint) float64 {
	lat1, lat2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dLat := lat2 - lat1
	dLon := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1)*math.Cos(lat2)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Sqrt(min(1, h)))
}

// CommunePlace is what coverage needs to know of a commune: its INSEE code, the codes of its department, region and
// EPCI, and its centre.
type CommunePlace struct {
	INSEE, Department, Region, EPCI string
	Centre                          GeoPoint
}

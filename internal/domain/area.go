package domain

import "fmt"

// Limits of an intervention area.
const (
	MinRadiusKM  = 1
	MaxRadiusKM  = 1000
	MaxAreaZones = 200
)

// Validate checks the area: the whole country carries neither radius nor zones; a radius is 1 to 1000 km with no
// zones; a zone list holds 1 to 200 distinct zones that exist. Locations are "scope", "radius_km" and "zones[i]".
func (a Area) Validate(ref Reference) error {
	var p Problems
	switch a.Scope {
	case ScopeCountry:
		if a.RadiusKM != 0 {
			p.Add("radius_km", "must be empty when the scope is %s", ScopeCountry)
		}
		if len(a.Zones) > 0 {
			p.Add("zones", "must be empty when the scope is %s", ScopeCountry)
		}
	case ScopeRadius:
		if !(a.RadiusKM >= MinRadiusKM && a.RadiusKM <= MaxRadiusKM) {
			p.Add("radius_km", "must be between %d and %d km", MinRadiusKM, MaxRadiusKM)
		}
		if len(a.Zones) > 0 {
			p.Add("zones", "must be empty when the scope is %s", ScopeRadius)
		}
	case ScopeZones:
		if a.RadiusKM != 0 {
			p.Add("radius_km", "must be empty when the scope is %s", ScopeZones)
		}
		validateZones(&p, a.Zones, ref)
	case "":
		p.Add("scope", "is required: one of %s, %s, %s", ScopeCountry, ScopeRadius, ScopeZones)
	default:
		p.Add("scope", "must be one of %s, %s, %s", ScopeCountry, ScopeRadius, ScopeZones)
	}
	return p.Err()
}

func validateZones(p *Problems, zones []string, ref Reference) {
	if len(zones) == 0 || len(zones) > MaxAreaZones {
		p.Add("zones", "must list between 1 and %d zones", MaxAreaZones)
		if len(zones) == 0 {
			return
		}
	}
	seen := make(map[Zone]int, len(zones))
	for i, s := range zones {
		loc := fmt.Sprintf("zones[%d]", i)
		z, err := ParseZone(s)
		if err != nil {
			p.Add(loc, "%s", err)
			continue
		}
		if first, dup := seen[z]; dup {
			p.Add(loc, "repeats zones[%d]", first)
			continue
		}
		seen[z] = i
		if !zoneExists(z, ref) {
			p.Add(loc, "%s does not exist", z)
		}
	}
}

func zoneExists(z Zone, ref Reference) bool {
	switch z.Kind {
	case ZoneCommune:
		return ref.CommuneExists(z.Code)
	case ZoneDepartment:
		return ref.DepartmentExists(z.Code)
	case ZoneRegion:
		return ref.RegionExists(z.Code)
	case ZoneEPCI:
		return ref.EPCIExists(z.Code)
	}
	return false
}

// Covers reports whether an offer with this area can be delivered in commune c: always for the whole country; when
// one zone contains the commune; for a radius, when the commune centre lies within the radius of the structure's
// location (never without a location). Malformed zones cover nothing.
func (a Area) Covers(structureLocation *GeoPoint, c CommunePlace) bool {
	switch a.Scope {
	case ScopeCountry:
		return true
	case ScopeRadius:
		return structureLocation != nil && DistanceKM(*structureLocation, c.Centre) <= a.RadiusKM
	case ScopeZones:
		for _, s := range a.Zones {
			if z, err := ParseZone(s); err == nil && z.contains(c) {
				return true
			}
		}
	}
	return false
}

func (z Zone) contains(c CommunePlace) bool {
	var code string
	switch z.Kind {
	case ZoneCommune:
		code = c.INSEE
	case ZoneDepartment:
		code = c.Department
	case ZoneRegion:
		code = c.Region
	case ZoneEPCI:
		code = c.EPCI
	}
	return code != "" && code == z.Code
}

package refdata

import (
	"fmt"
	"strconv"
	"strings"
)

// NantesMetropoleEPCI is the SIREN of Nantes Métropole, the EPCI of the 24 communes of the pilot territory.
const NantesMetropoleEPCI = "244400404"

// Commune is a current commune (COG 2026), including those of the overseas collectivities.
type Commune struct {
	INSEE      string // e.g. "44109", "2A004", "97411"
	Name       string
	Department string // e.g. "44", "2A", "974"
	Region     string // e.g. "52"
	EPCI       string // SIREN of the EPCI the commune belongs to, "" for the few outside any
	Postcodes  []string
	// Lat and Lon are the commune's geometric centre as given by La Poste, both 0 for the 6 communes without one.
	Lat, Lon   float64
	Population int
}

// Department is a département, or an overseas collectivity coded like one (975, 977…).
type Department struct{ Code, Name, Region string }

// Region is a région, or an overseas collectivity whose pseudo-region code equals its own code.
type Region struct{ Code, Name string }

// EPCI is an établissement public de coopération intercommunale with its own tax system; Kind is CC, CA, CU,
// METRO or MET69.
type EPCI struct{ SIREN, Name, Kind string }

func (c *Catalog) loadCommunes() error {
	rows, err := readRows("communes.csv.gz", "insee", "name", "department", "region", "epci", "population",
		"postcodes", "lat", "lon")
	if err != nil {
		return err
	}
	c.communes = make([]Commune, len(rows))
	c.communeByID = make(map[string]int, len(rows))
	c.epciMembers = map[string][]int{}
	for i, r := range rows {
		cm := Commune{INSEE: r[0], Name: r[1], Department: r[2], Region: r[3], EPCI: r[4]}
		if r[6] != "" {
			cm.Postcodes = strings.Split(r[6], ";")
		}
		if err := parseOptional(r[5], &cm.Population, strconv.Atoi); err != nil {
			return fmt.Errorf("commune %s: population: %w", cm.INSEE, err)
		}
		parseFloat := func(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
		if err := parseOptional(r[7], &cm.Lat, parseFloat); err != nil {
			return fmt.Errorf("commune %s: latitude: %w", cm.INSEE, err)
		}
		if err := parseOptional(r[8], &cm.Lon, parseFloat); err != nil {
			return fmt.Errorf("commune %s: longitude: %w", cm.INSEE, err)
		}
		c.communes[i] = cm
		c.communeByID[cm.INSEE] = i
		if cm.EPCI != "" {
			c.epciMembers[cm.EPCI] = append(c.epciMembers[cm.EPCI], i)
		}
	}
	return nil
}

func parseOptional[T any](s string, dst *T, parse func(string) (T, error)) error {
	if s == "" {
		return nil
	}
	v, err := parse(s)
	*dst = v
	return err
}

func (c *Catalog) loadDepartments() error {
	rows, err := readRows("departments.csv", "code", "name", "region")
	if err != nil {
		return err
	}
	c.departments = make(map[string]Department, len(rows))
	for _, r := range rows {
		c.departments[r[0]] = Department{Code: r[0], Name: r[1], Region: r[2]}
	}
	return nil
}

func (c *Catalog) loadRegions() error {
	rows, err := readRows("regions.csv", "code", "name")
	if err != nil {
		return err
	}
	c.regions = make(map[string]Region, len(rows))
	for _, r := range rows {
		c.regions[r[0]] = Region{Code: r[0], Name: r[1]}
	}
	return nil
}

func (c *Catalog) loadEPCIs() error {
	rows, err := readRows("epcis.csv", "siren", "name", "kind")
	if err != nil {
		return err
	}
	c.epcis = make(map[string]EPCI, len(rows))
	for _, r := range rows {
		c.epcis[r[0]] = EPCI{SIREN: r[0], Name: r[1], Kind: r[2]}
	}
	return nil
}

// Commune returns the commune with this INSEE code ("44109"; Corsica "2A004" in either case).
func (c *Catalog) Commune(insee string) (Commune, bool) {
	i, ok := c.communeByID[strings.ToUpper(strings.TrimSpace(insee))]
	if !ok {
		return Commune{}, false
	}
	return c.communes[i], true
}

// CommunesOfEPCI returns the member communes of an EPCI in INSEE code order; nil for an unknown SIREN.
func (c *Catalog) CommunesOfEPCI(siren string) []Commune {
	members := c.epciMembers[strings.TrimSpace(siren)]
	if len(members) == 0 {
		return nil
	}
	out := make([]Commune, len(members))
	for k, i := range members {
		out[k] = c.communes[i]
	}
	return out
}

// NantesMetropole returns the 24 communes of Nantes Métropole in INSEE code order.
func (c *Catalog) NantesMetropole() []Commune { return c.CommunesOfEPCI(NantesMetropoleEPCI) }

// Department returns the département with this code ("44", "2A", "974").
func (c *Catalog) Department(code string) (Department, bool) {
	d, ok := c.departments[strings.ToUpper(strings.TrimSpace(code))]
	return d, ok
}

// Region returns the région with this INSEE code ("52").
func (c *Catalog) Region(code string) (Region, bool) {
	r, ok := c.regions[strings.TrimSpace(code)]
	return r, ok
}

// EPCI returns the EPCI with this SIREN.
func (c *Catalog) EPCI(siren string) (EPCI, bool) {
	e, ok := c.epcis[strings.TrimSpace(siren)]
	return e, ok
}

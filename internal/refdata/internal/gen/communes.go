package main

import (
	"fmt"
	"slices"
	"strconv"
)

// nantesMetropole is the SIREN of the EPCI whose membership is cross-checked against the separate 24-row file.
const nantesMetropole = "244400404"

func buildCommunes(src string) (output, error) {
	t, err := readTable(src, "communes-france.csv")
	if err != nil {
		return output{}, err
	}
	refs, err := referenceSets(src)
	if err != nil {
		return output{}, err
	}
	o := output{name: "communes.csv.gz", header: []string{"insee", "name", "department", "region", "epci",
		"population", "postcodes", "lat", "lon"}}
	var nantes []string
	for _, r := range t.rows {
		insee, dept, region, epci := t.get(r, "code_insee"), t.get(r, "departement"), t.get(r, "region"), t.get(r, "epci_siren")
		if !refs["departements.csv"][dept] || !refs["regions.csv"][region] || (epci != "" && !refs["epci.csv"][epci]) {
			return o, fmt.Errorf("commune %s: unknown department %q, region %q or EPCI %q", insee, dept, region, epci)
		}
		lat, lon := t.get(r, "latitude"), t.get(r, "longitude")
		if err := checkCoordinates(lat, lon); err != nil {
			return o, fmt.Errorf("commune %s: %w", insee, err)
		}
		if epci == nantesMetropole {
			nantes = append(nantes, insee)
		}
		o.rows = append(o.rows, []string{insee, t.get(r, "nom"), dept, region, epci, t.get(r, "population"),
			t.get(r, "codes_postaux"), lat, lon})
	}
	return o, checkNantesMetropole(src, nantes)
}

// referenceSets returns, for each administrative file, the set of its codes.
func referenceSets(src string) (map[string]map[string]bool, error) {
	sets := map[string]map[string]bool{}
	for file, col := range map[string]string{"departements.csv": "code", "regions.csv": "code", "epci.csv": "siren"} {
		t, err := readTable(src, file)
		if err != nil {
			return nil, err
		}
		sets[file] = map[string]bool{}
		for _, r := range t.rows {
			sets[file][t.get(r, col)] = true
		}
	}
	return sets, nil
}

func checkCoordinates(lat, lon string) error {
	if lat == "" && lon == "" {
		return nil // a handful of uninhabited communes have no point (SOURCES.md)
	}
	la, err1 := strconv.ParseFloat(lat, 64)
	lo, err2 := strconv.ParseFloat(lon, 64)
	if err1 != nil || err2 != nil || la < -90 || la > 90 || lo < -180 || lo > 180 || (la == 0 && lo == 0) {
		return fmt.Errorf("bad coordinates %q,%q", lat, lon)
	}
	return nil
}

// checkNantesMetropole verifies that the members derived from epci_siren are exactly the 24 communes of the
// dedicated file, which comes from the EPCI's own member list.
func checkNantesMetropole(src string, derived []string) error {
	t, err := readTable(src, "nantes-metropole-communes.csv")
	if err != nil {
		return err
	}
	var listed []string
	for _, r := range t.rows {
		listed = append(listed, t.get(r, "code_insee"))
	}
	slices.Sort(listed)
	slices.Sort(derived)
	if len(listed) != 24 || !slices.Equal(listed, derived) {
		return fmt.Errorf("nantes métropole: members %v from epci_siren, %v listed", derived, listed)
	}
	return nil
}

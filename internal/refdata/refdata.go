// Package refdata embeds the public reference data Essor needs (CPV, NAF, legal categories, communes…) and answers
// lookups and autocomplete searches on it, with no download at run time.
package refdata

//go:generate go run ./internal/gen -src ../../../shared/data -out data

import (
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/essor-ess/essor/internal/domain"
)

//go:embed data/*.csv data/*.csv.gz
var files embed.FS

var _ domain.Reference = (*Catalog)(nil)

// Catalog holds the embedded reference data. It is immutable once loaded and safe for concurrent use; slices in
// the values it returns (such as Commune.Postcodes) are shared and must not be modified.
type Catalog struct {
	cpvs        []CPV // sorted by code
	cpvByCode8  map[string]int
	cpvSearch   func() *cpvSearchIndex
	communes    []Commune // sorted by INSEE code
	communeByID map[string]int
	epciMembers map[string][]int
	commSearch  func() *communeSearchIndex
	departments map[string]Department
	regions     map[string]Region
	epcis       map[string]EPCI
	legal       map[string]LegalCategory
	naf         map[string]NAF // by dotted and dotless code
	bands       []HeadcountBand
	inclusion   []InclusionKind
}

// Default returns the catalog built from the embedded data, loading it on first use. It panics if the embedded
// data is corrupt, which the package tests rule out for every build.
func Default() *Catalog { return loadDefault() }

var loadDefault = sync.OnceValue(func() *Catalog {
	c, err := load()
	if err != nil {
		panic("refdata: embedded data is corrupt: " + err.Error())
	}
	return c
})

func load() (*Catalog, error) {
	c := &Catalog{}
	steps := []func() error{c.loadCPV, c.loadSocialServices, c.loadNAF, c.loadLegalCategories,
		c.loadHeadcountBands, c.loadInclusionKinds, c.loadRegions, c.loadDepartments, c.loadEPCIs, c.loadCommunes}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, err
		}
	}
	// Search indexes cost more than the tables and many callers never search, so they are built on first search.
	c.cpvSearch = sync.OnceValue(c.buildCPVSearch)
	c.commSearch = sync.OnceValue(c.buildCommuneSearch)
	return c, nil
}

// readRows returns the rows of an embedded derived file after checking its header, so that a file regenerated
// with other columns fails the tests instead of shifting values.
func readRows(name string, header ...string) ([][]string, error) {
	raw, err := files.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	var r io.Reader = bytes.NewReader(raw)
	if strings.HasSuffix(name, ".gz") {
		if r, err = gzip.NewReader(r); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != strings.Join(header, ",") {
		return nil, fmt.Errorf("%s: header is not %v", name, header)
	}
	return rows[1:], nil
}

package refdata

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// LegalCategory is an INSEE catégorie juridique of level III (4 digits, as in SIRENE).
type LegalCategory struct {
	Code  string // e.g. "9220"
	Label string
	// Family is the ESS family the legal form belongs to by law (loi 2014-856 art. 1), "" for every other form,
	// commercial companies included: those are ESS only by agreement or declared quality.
	Family domain.ESSFamily
}

// NAF is a code of the NAF rév. 2 activity nomenclature.
type NAF struct {
	Code  string // "Q", "88", "88.9", "88.99", "88.99B"
	Label string
	Level string // section, division, groupe, classe or sous-classe
}

// HeadcountBand is a SIRENE tranche d'effectif salarié.
type HeadcountBand struct {
	Code  string // "NN", "00", "01" … "53"
	Label string
	// Min and Max bound the number of employees; Max is -1 for the open top band.
	Min, Max int
}

// InclusionKind is a kind of inclusion structure (SIAE, disability employer or GEIQ).
type InclusionKind struct {
	Code  string // EI, ETTI, AI, ACI, EITI, GEIQ, EA, EATT, ESAT
	Label string
	// Family is siae, handicap or geiq.
	Family string
	// ReservedArticle is the CCP article under which a contract may be reserved to this kind (L2113-12 or
	// L2113-13), "" when there is none (GEIQ).
	ReservedArticle string
}

var essFamilies = map[string]domain.ESSFamily{"": "", "association": domain.FamilyAssociation,
	"cooperative": domain.FamilyCooperative, "mutuelle": domain.FamilyMutual, "fondation": domain.FamilyFoundation}

func (c *Catalog) loadLegalCategories() error {
	rows, err := readRows("legal-categories.csv", "code", "label", "ess_family")
	if err != nil {
		return err
	}
	c.legal = make(map[string]LegalCategory, len(rows))
	for _, r := range rows {
		family, ok := essFamilies[r[2]]
		if !ok {
			return fmt.Errorf("legal category %s: unknown family %q", r[0], r[2])
		}
		c.legal[r[0]] = LegalCategory{Code: r[0], Label: r[1], Family: family}
	}
	return nil
}

func (c *Catalog) loadNAF() error {
	rows, err := readRows("naf.csv.gz", "code", "level", "label")
	if err != nil {
		return err
	}
	c.naf = make(map[string]NAF, 2*len(rows))
	for _, r := range rows {
		n := NAF{Code: r[0], Level: r[1], Label: r[2]}
		c.naf[n.Code] = n
		c.naf[strings.ReplaceAll(n.Code, ".", "")] = n
	}
	return nil
}

func (c *Catalog) loadHeadcountBands() error {
	rows, err := readRows("headcount-bands.csv", "code", "label", "min", "max")
	if err != nil {
		return err
	}
	for _, r := range rows {
		b := HeadcountBand{Code: r[0], Label: r[1]}
		var errMin, errMax error
		b.Min, errMin = strconv.Atoi(r[2])
		b.Max, errMax = strconv.Atoi(r[3])
		if errMin != nil || errMax != nil {
			return fmt.Errorf("headcount band %s: bad bounds %q, %q", b.Code, r[2], r[3])
		}
		c.bands = append(c.bands, b)
	}
	return nil
}

func (c *Catalog) loadInclusionKinds() error {
	rows, err := readRows("inclusion-kinds.csv", "code", "label", "family", "reserved_article")
	if err != nil {
		return err
	}
	for _, r := range rows {
		c.inclusion = append(c.inclusion, InclusionKind{Code: r[0], Label: r[1], Family: r[2], ReservedArticle: r[3]})
	}
	return nil
}

// LegalCategory returns the level-III legal category with this 4-digit code.
func (c *Catalog) LegalCategory(code string) (LegalCategory, bool) {
	l, ok := c.legal[strings.TrimSpace(code)]
	return l, ok
}

// NAF returns the NAF rév. 2 code written with or without its dot ("88.99B", "8899B"), in either case.
func (c *Catalog) NAF(code string) (NAF, bool) {
	n, ok := c.naf[strings.ToUpper(strings.TrimSpace(code))]
	return n, ok
}

// HeadcountBands returns the SIRENE headcount bands in code order, as a fresh slice.
func (c *Catalog) HeadcountBands() []HeadcountBand {
	return append([]HeadcountBand(nil), c.bands...)
}

// InclusionKinds returns the inclusion structure kinds, as a fresh slice.
func (c *Catalog) InclusionKinds() []InclusionKind {
	return append([]InclusionKind(nil), c.inclusion...)
}

// InclusionKind returns the inclusion structure kind with this code ("EI", "ESAT"…; either case).
func (c *Catalog) InclusionKind(code string) (InclusionKind, bool) {
	code = strings.ToUpper(strings.TrimSpace(code))
	for _, k := range c.inclusion {
		if k.Code == code {
			return k, true
		}
	}
	return InclusionKind{}, false
}

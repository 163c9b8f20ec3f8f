package refdata

import (
	"fmt"
	"strings"
)

// CPV is one code of the Common Procurement Vocabulary 2008.
type CPV struct {
	Code  string // with check digit, e.g. "45421000-4"
	Code8 string // e.g. "45421000"
	// Label is the official French label; LabelEN the English one.
	Label   string
	LabelEN string
	Parent  string // full code of the parent, "" for a division
	// Level is division, groupe, classe, categorie or sous-categorie.
	Level string
	// Nature is supplies, services or works.
	Nature string
	// SocialSpecific marks the social and other specific services of Annex XIV of Directive 2014/24/EU, which
	// may be bought by procédure adaptée whatever their value (CCP R2123-1 3°).
	SocialSpecific bool
	// ReservableL2113_15 marks the health, social and cultural services that a buyer may reserve to ESS
	// companies (CCP L2113-15, Art. 77 of the directive, eForms list social-service-cpv).
	ReservableL2113_15 bool

	alias string // a second French wording from the source, searched but not shown
}

func (c *Catalog) loadCPV() error {
	rows, err := readRows("cpv.csv.gz", "code", "parent", "level", "nature", "label_fr", "label_en", "label_fr_alias")
	if err != nil {
		return err
	}
	c.cpvs = make([]CPV, len(rows))
	c.cpvByCode8 = make(map[string]int, len(rows))
	for i, r := range rows {
		c.cpvs[i] = CPV{Code: r[0], Code8: r[0][:8], Parent: r[1], Level: r[2], Nature: r[3], Label: r[4],
			LabelEN: r[5], alias: r[6]}
		c.cpvByCode8[r[0][:8]] = i
	}
	return nil
}

func (c *Catalog) loadSocialServices() error {
	rows, err := readRows("cpv-social-specific.csv", "code", "group_no", "reservable_l2113_15")
	if err != nil {
		return err
	}
	for _, r := range rows {
		i, ok := c.cpvIndex(r[0])
		if !ok {
			return fmt.Errorf("cpv-social-specific.csv: unknown code %s", r[0])
		}
		c.cpvs[i].SocialSpecific = true
		c.cpvs[i].ReservableL2113_15 = r[2] == "yes"
	}
	return nil
}

// cpvIndex finds a code written "45421000-4" or "45421000". A check digit, when given, must be the right one: it
// cannot be recomputed (see shared/reference/data-formats.md), so a wrong one means a mistyped code.
func (c *Catalog) cpvIndex(code string) (int, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 8 && (len(code) != 10 || code[8] != '-') {
		return 0, false
	}
	i, ok := c.cpvByCode8[code[:8]]
	if !ok || (len(code) == 10 && c.cpvs[i].Code != code) {
		return 0, false
	}
	return i, true
}

// CPV returns the code written "45421000-4" or "45421000" (no check digit). A code with a wrong check digit is
// not found. Callers holding 7-digit codes from old DECP files must left-pad them with a zero first.
func (c *Catalog) CPV(code string) (CPV, bool) {
	i, ok := c.cpvIndex(code)
	if !ok {
		return CPV{}, false
	}
	return c.cpvs[i], true
}

// CPVParents returns the ancestors of a code, nearest first and the division last; nil for a division or an
// unknown code.
func (c *Catalog) CPVParents(code string) []CPV {
	i, ok := c.cpvIndex(code)
	if !ok {
		return nil
	}
	var parents []CPV
	for p := c.cpvs[i].Parent; p != ""; {
		j := c.cpvByCode8[p[:8]]
		parents = append(parents, c.cpvs[j])
		p = c.cpvs[j].Parent
	}
	return parents
}

// CPVDescendantsPrefixOf returns the significant digits of a code: every code that starts with them is the code
// itself or one of its descendants ("45000000-7" → "45", "45421000-4" → "45421"). Only the syntax is checked, so
// codes missing from the list still work. It returns "" for a malformed code: callers must treat "" as "no
// match", never as a prefix of everything.
func CPVDescendantsPrefixOf(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 10 && code[8] == '-' && isDigits(code[9:]) {
		code = code[:8]
	}
	if len(code) != 8 || !isDigits(code) {
		return ""
	}
	p := strings.TrimRight(code, "0")
	if len(p) < 2 {
		p = code[:2] // divisions such as 90000000 end in a significant zero
	}
	return p
}

// CPVDescendantsPrefix returns the significant digits of a code, as CPVDescendantsPrefixOf does: "45000000-7" →
// "45", "45421000-4" → "45421", "" for a malformed code.
func (c *Catalog) CPVDescendantsPrefix(code string) string { return CPVDescendantsPrefixOf(code) }

// AllCPV returns every CPV 2008 code in code order, as a fresh slice.
func (c *Catalog) AllCPV() []CPV {
	out := make([]CPV, len(c.cpvs))
	copy(out, c.cpvs)
	return out
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

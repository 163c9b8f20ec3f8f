// Package decp reads the DECP (données essentielles de la commande publique) awarded-contract files in all their
// published shapes: 2024 JSON (wrapped and flat), 2019–2023 JSON, and the CSV exports of the consolidated data.
package decp

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Award is one awarded contract (a marché, or a concession) as the files describe it. Unknown values are
// empty or nil: the placeholders CDL, INX and MQ NC of the consolidated exports read as unknown.
type Award struct {
	ID         string // the buyer's own id: unique per buyer only, see Key
	BuyerSIRET string
	BuyerName  string // only in the 2019–2023 format and some exports
	Holders    []Holder
	// CPV is the 8-digit root of the code (check digit dropped, lost leading zero restored): check digits are
	// unreliable in the data and the root is what the CPV tables are keyed by.
	CPV            string
	AmountEUR      *float64 // HT; zero and negative amounts read as unknown (the schema requires ≥ 1)
	NotifiedOn     *time.Time
	PublishedOn    *time.Time
	DurationMonths *int
	Procedure      string
	Nature         string
	Form           string // formePrix: Unitaire, Forfaitaire, Mixte, or 2019 values such as Révisable
	// SocialConsiderations lists clauses and criteria ("Clause sociale", "Critère social", "Marché réservé");
	// "Pas de considération sociale" leaves it empty, as does the 2019–2023 format, which had no such field.
	SocialConsiderations []string
	Reserved             bool   // "marché réservé" among the social considerations or the techniques
	GroupementType       string // GroupementConjoint, GroupementSolidaire, GroupementNone, or empty when unknown
	Subcontracting       *bool
	Source               string // the record's own source (v1 "source", export "source" or "sourceDataset")
}

// Holder is one titulaire (or concessionnaire): its identifier, the identifier's type (SIRET, TVA, …) and,
// in the formats that carry it, its name.
type Holder struct {
	ID              string
	TypeIdentifiant string
	Name            string
}

// The values of Award.GroupementType.
const (
	GroupementConjoint  = "conjoint"
	GroupementSolidaire = "solidaire"
	GroupementNone      = "none"
)

// Key identifies an award across files: DECP ids are unique per buyer only, so the key is the buyer's SIRET and
// the id (the uid of the 2019 format and of decp-rama). The notification year is deliberately left out: a
// buyer may republish a record without its date, and that must update the award, not create a second one.
func (a *Award) Key() string { return a.BuyerSIRET + "/" + a.ID }

// RejectKind tells why a record was not passed on as read.
type RejectKind string

// The kinds of Rejected.
const (
	// RejectMalformed: the record could not be read or lacks its id or buyer; it was skipped.
	RejectMalformed RejectKind = "malformed"
	// RejectDuplicate: the record repeats an earlier one of the file with the same key and content; skipped.
	RejectDuplicate RejectKind = "duplicate"
	// RejectConflict: same key as an earlier record but different content; both were passed on, in file order.
	RejectConflict RejectKind = "conflict"
)

// Rejected reports a record: Index is its 0-based position among the file's records (JSON) or its 1-based
// data row (CSV), Location a readable path such as marches.marche[12] or row 45.
type Rejected struct {
	Index    int
	Location string
	Key      string
	Kind     RejectKind
	Reason   string
}

// Stats counts what Read saw. Records counts records (JSON) or data rows (CSV) read.
type Stats struct {
	Format     string
	Records    int
	Awards     int
	Malformed  int
	Duplicates int
	Conflicts  int
}

// placeholders are the sentinel strings of the data.economie.gouv.fr export for missing values.
var placeholders = map[string]bool{"CDL": true, "INX": true, "MQ NC": true}

// clean trims a value and maps placeholders, "null" and "None" to the empty string.
func clean(s string) string {
	s = strings.TrimSpace(s)
	if placeholders[strings.ToUpper(s)] || s == "null" || s == "None" {
		return ""
	}
	return s
}

// identifier removes the spaces people type inside SIRET numbers.
func identifier(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, clean(s))
}

// cpvRoot returns the 8-digit root of a CPV code, or "" when it is not one.
func cpvRoot(s string) string {
	s = clean(s)
	if i := strings.IndexByte(s, '-'); i >= 0 {
		s = s[:i]
	}
	if len(s) == 7 {
		s = "0" + s
	}
	if len(s) != 8 || strings.Trim(s, "0123456789") != "" {
		return ""
	}
	return s
}

// amount reads a money value; zero, negative and unreadable ones are unknown.
func amount(s string) *float64 {
	v, ok := number(s)
	if !ok || v <= 0 {
		return nil
	}
	return &v
}

// number reads 42130.0, "42130.0" and the French "42 130,5".
func number(s string) (float64, bool) {
	s = strings.ReplaceAll(clean(s), " ", "")
	s = strings.ReplaceAll(s, "\u00a0", "")
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	return v, true
}

// months reads a duration; it must be a whole number of months between 1 and 100 years.
func months(s string) *int {
	v, ok := number(s)
	if !ok || v < 1 || v > 1200 || v != math.Trunc(v) {
		return nil
	}
	m := int(v)
	return &m
}

// date reads 2024-01-03, 2018-11-22+01:00, 2019-03-14T00:00:00 and 03/01/2024 as a calendar date in UTC.
// Years outside 1990–2100 (typos such as 0218-10-29) read as unknown.
func date(s string) *time.Time {
	s = clean(s)
	var t time.Time
	var err error
	switch {
	case len(s) >= 10 && s[4] == '-':
		t, err = time.Parse("2006-01-02", s[:10])
	case len(s) >= 10 && s[2] == '/':
		t, err = time.Parse("02/01/2006", s[:10])
	default:
		return nil
	}
	if err != nil || t.Year() < 1990 || t.Year() > 2100 {
		return nil
	}
	return &t
}

// boolean reads true/false, oui/non, 1/0; anything else is unknown.
func boolean(s string) *bool {
	var v bool
	switch strings.ToLower(clean(s)) {
	case "true", "oui", "1", "o", "yes":
		v = true
	case "false", "non", "0", "n", "no":
		v = false
	default:
		return nil
	}
	return &v
}

// accents maps the accented letters of French to their base letter, so that "Marché réservé" and
// "MARCHE RESERVE" compare equal after fold.
var accents = strings.NewReplacer("é", "e", "è", "e", "ê", "e", "ë", "e", "à", "a", "â", "a", "î", "i", "ï", "i",
	"ô", "o", "ù", "u", "û", "u", "ü", "u", "ç", "c", "œ", "oe")

func fold(s string) string { return accents.Replace(strings.ToLower(s)) }

func groupement(s string) string {
	switch f := fold(clean(s)); {
	case strings.Contains(f, "conjoint"):
		return GroupementConjoint
	case strings.Contains(f, "solidaire"):
		return GroupementSolidaire
	case strings.Contains(f, "pas de groupement"), f == "aucun", f == "non":
		return GroupementNone
	}
	return ""
}

// socialConsiderations keeps the real considerations, dropping "Pas de considération sociale" and placeholders.
func socialConsiderations(values []string) []string {
	var out []string
	for _, v := range values {
		v = clean(v)
		if v == "" || strings.HasPrefix(fold(v), "pas de") {
			continue
		}
		out = append(out, v)
	}
	return out
}

func reserved(lists ...[]string) bool {
	for _, l := range lists {
		for _, v := range l {
			if strings.Contains(fold(v), "reserve") {
				return true
			}
		}
	}
	return false
}

// splitList reads the lists the CSV exports join with commas ("Clause sociale, Critère social").
func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = clean(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// addHolder appends a holder unless its id is unknown or already listed.
func addHolder(holders []Holder, h Holder) []Holder {
	h.ID, h.TypeIdentifiant, h.Name = identifier(h.ID), clean(h.TypeIdentifiant), clean(h.Name)
	if h.ID == "" {
		return holders
	}
	for _, o := range holders {
		if o.ID == h.ID && o.TypeIdentifiant == h.TypeIdentifiant {
			return holders
		}
	}
	return append(holders, h)
}

package search

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// Place is where a commune sits in the administrative map, as commune coverage needs it.
type Place struct {
	INSEE      string
	Department string
	Region     string
	EPCI       string
	// Centre is the commune's centre; HasCentre is false for the few communes without one.
	Centre    domain.GeoPoint
	HasCentre bool
}

// CommunePlaces finds a commune's department, region, EPCI and centre by INSEE code.
type CommunePlaces interface {
	CommunePlace(insee string) (Place, bool)
}

// CommunePlacesFunc adapts a function to CommunePlaces.
type CommunePlacesFunc func(insee string) (Place, bool)

// CommunePlace calls f.
func (f CommunePlacesFunc) CommunePlace(insee string) (Place, bool) { return f(insee) }

// Document is what the index holds for one structure: text to search, terms to filter and the compact record
// the in-memory table is rebuilt from. It never holds representatives (personal data) nor contact details.
type Document struct {
	Name        string      `json:"name"`
	Brand       string      `json:"brand,omitempty"`
	Description string      `json:"description,omitempty"`
	Labels      []string    `json:"labels,omitempty"`
	Offers      []OfferText `json:"offers,omitempty"`
	CPVLabels   []string    `json:"cpv_labels,omitempty"`
	CPV         []string    `json:"cpv,omitempty"`
	Area        []string    `json:"area,omitempty"`
	LegalFamily string      `json:"legal_family,omitempty"`
	Inclusion   []string    `json:"inclusion,omitempty"`
	Kind        []string    `json:"kind,omitempty"`
	Commune     string      `json:"commune,omitempty"`
	FirstTime   bool        `json:"first_time"`
	Cotraitance bool        `json:"open_to_cotraitance"`
	Verified    bool        `json:"verified"`
	Headcount   string      `json:"headcount,omitempty"`
	Status      string      `json:"status"`
	Row         string      `json:"row"`
	Record      string      `json:"rec"`
	record      record      `json:"-"`
}

// OfferText is the searchable text of one offer; its position in Document.Offers is the offer's position in the
// structure, which is how a hit's reasons name the offer.
type OfferText struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
}

// record is everything filtering, faceting, sorting and explaining need, stored with each document and held in
// memory (see table.go). Codes are kept as given; the table interns them.
type record struct {
	ID          string        `json:"id"`
	Row         int32         `json:"row"`
	Name        string        `json:"n"`
	Family      string        `json:"f,omitempty"`
	Inclusion   []string      `json:"i,omitempty"`
	Commune     string        `json:"c,omitempty"`
	Location    *[2]float64   `json:"l,omitempty"` // lat, lon
	FirstTime   bool          `json:"ft,omitempty"`
	Cotraitance bool          `json:"co,omitempty"`
	Verified    bool          `json:"v,omitempty"`
	Headcount   string        `json:"h,omitempty"`
	TurnoverEUR *int64        `json:"t,omitempty"`
	Status      string        `json:"s"`
	UpdatedAt   int64         `json:"u"`
	Offers      []offerRecord `json:"o,omitempty"`
}

type offerRecord struct {
	ID       string   `json:"id"`
	Kind     string   `json:"k,omitempty"`
	CPV      []string `json:"c,omitempty"` // 8-digit roots
	Country  bool     `json:"w,omitempty"`
	RadiusKM float64  `json:"r,omitempty"`
	Zones    []string `json:"z,omitempty"`
}

// Inclusion families derived from the inclusion kinds, so that a filter or a query on "siae" or "handicap"
// is one term.
var inclusionFamilies = map[string]string{
	"ei": "siae", "ai": "siae", "aci": "siae", "etti": "siae", "eiti": "siae",
	"ea": "handicap", "eatt": "handicap", "esat": "handicap",
	"geiq": "geiq",
}

// NewDocument builds the index document of a structure and its offers. places may be nil; with it, the
// structure's own commune is also indexed with its department and region. cpv gives the French labels of the
// offers' codes and their ancestors (nil indexes no label).
func NewDocument(s domain.Structure, places CommunePlaces) Document {
	d := newDocument(s, places, nil)
	d.setRow(0)
	return d
}

// setRow stores the document's table row in the document and in its record.
func (d *Document) setRow(n int32) {
	d.Row = strconv.Itoa(int(n))
	d.record.Row = n
	rec, _ := json.Marshal(d.record)
	d.Record = string(rec)
}

func newDocument(s domain.Structure, places CommunePlaces, cpv *cpvCatalog) Document {
	d := Document{
		Name:        s.Name,
		Brand:       s.Brand,
		Description: s.Description,
		Labels:      s.Labels,
		LegalFamily: string(s.ESSFamily),
		Commune:     s.Commune,
		FirstTime:   s.FirstTime(),
		Cotraitance: s.OpenToCotraitance,
		Verified:    s.VerifiedAt != nil,
		Headcount:   s.HeadcountBand,
		Status:      string(s.Status),
	}
	r := record{
		ID: s.ID, Name: sortKey(s.Name), Family: d.LegalFamily, Commune: s.Commune, FirstTime: d.FirstTime,
		Cotraitance: d.Cotraitance, Verified: d.Verified, Headcount: d.Headcount, TurnoverEUR: s.AnnualTurnoverEUR,
		Status: d.Status, UpdatedAt: s.UpdatedAt.UTC().UnixNano(),
	}
	if s.Location != nil {
		r.Location = &[2]float64{s.Location.Lat, s.Location.Lon}
	}
	if places != nil && s.Commune != "" {
		if p, ok := places.CommunePlace(s.Commune); ok {
			d.Area = append(d.Area, "home:departement:"+p.Department, "home:region:"+p.Region)
		}
	}
	for _, k := range s.InclusionKinds {
		k = strings.ToLower(strings.TrimSpace(k))
		d.Inclusion = appendUnique(d.Inclusion, k)
		if f, ok := inclusionFamilies[k]; ok {
			d.Inclusion = appendUnique(d.Inclusion, f)
		}
	}
	r.Inclusion = d.Inclusion
	for _, o := range s.Offers {
		d.Offers = append(d.Offers, OfferText{Title: o.Title, Description: o.Description})
		d.Kind = appendUnique(d.Kind, string(o.Kind))
		or := offerRecord{ID: o.ID, Kind: string(o.Kind)}
		for _, c := range o.CPVCodes {
			code8 := cpvRoot(c)
			if code8 == "" {
				continue
			}
			or.CPV = append(or.CPV, code8)
			for _, p := range cpvPrefixes(code8) {
				d.CPV = appendUnique(d.CPV, p)
			}
			for _, label := range cpv.labelsWithAncestors(code8) {
				d.CPVLabels = appendUnique(d.CPVLabels, label)
			}
		}
		switch o.Area.Scope {
		case domain.ScopeCountry:
			or.Country = true
			d.Area = appendUnique(d.Area, "country")
		case domain.ScopeRadius:
			or.RadiusKM = o.Area.RadiusKM
			d.Area = appendUnique(d.Area, "radius")
		case domain.ScopeZones:
			for _, z := range o.Area.Zones {
				z = strings.ToLower(strings.TrimSpace(z))
				or.Zones = append(or.Zones, z)
				d.Area = appendUnique(d.Area, z)
			}
		}
		r.Offers = append(r.Offers, or)
	}
	d.record = r
	return d
}

// sortKey orders names the way a French reader expects: case and accents ignored, leading spaces dropped.
func sortKey(name string) string { return strings.TrimSpace(foldString(name)) }

// cpvRoot returns the 8-digit root of "45421000-4" or "45421000", "" for anything else.
func cpvRoot(code string) string {
	code = strings.TrimSpace(code)
	if len(code) == 10 && code[8] == '-' {
		code = code[:8]
	}
	if len(code) != 8 || strings.Trim(code, "0123456789") != "" {
		return ""
	}
	return code
}

// cpvPrefix returns the significant digits of a CPV root: every code starting with them is the code or one of its
// descendants ("45000000" → "45", "45421000" → "45421"); at least the two digits of the division.
func cpvPrefix(code8 string) string {
	p := strings.TrimRight(code8, "0")
	if len(p) < 2 {
		p = code8[:2]
	}
	return p
}

// cpvPrefixes returns the prefixes of every level from the division down to the code itself, so that a
// hierarchical CPV filter is a single term: 45421000 → 45, 454, 4542, 45421.
func cpvPrefixes(code8 string) []string {
	own := cpvPrefix(code8)
	out := make([]string, 0, len(own)-1)
	for n := 2; n <= len(own); n++ {
		out = append(out, own[:n])
	}
	return out
}

func appendUnique(s []string, v string) []string {
	if v == "" || slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func domainPoint(lat, lon float64) domain.GeoPoint { return domain.GeoPoint{Lat: lat, Lon: lon} }

package search

import (
	"fmt"
	"math"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// MaxRadiusKM bounds a "near" search.
const MaxRadiusKM = 200

// filter is a Query's filters compiled against the table's symbols. Offer-level conditions (CPV, offer kind,
// commune coverage) must hold for one same offer: a structure whose green-spaces offer covers Orvault and whose
// catering offer covers Rezé does not match "green spaces in Rezé".
type filter struct {
	statuses    map[uint32]bool
	families    map[uint32]bool
	inclusion   map[uint32]bool
	headcounts  map[uint32]bool
	firstTime   *bool
	cotraitance *bool
	verified    *bool
	turnoverMin *int64
	turnoverMax *int64

	near     *domain.GeoPoint
	radiusKM float64

	syms       *symbols
	offerLevel bool
	cpv        []string
	kinds      map[uint32]bool
	commune    *coverage
	impossible bool
}

// coverage is a commune filter resolved at query time: the zone terms that contain the commune and its centre
// for radius offers. Resolving at query time keeps the index independent of the commune table and exact.
type coverage struct {
	insee     string
	zones     map[uint32]string
	centre    domain.GeoPoint
	hasCentre bool
}

func symbolSet[T ~string](t *table, values []T, fold func(string) string) (map[uint32]bool, bool) {
	if len(values) == 0 {
		return nil, false
	}
	set := map[uint32]bool{}
	for _, v := range values {
		if id, ok := t.syms.lookup(fold(string(v))); ok {
			set[id] = true
		}
	}
	return set, len(set) == 0
}

func same(s string) string  { return strings.TrimSpace(s) }
func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// compileFilter prepares q's filters; the caller holds the table's read lock.
func (ix *Index) compileFilter(q Query) (*filter, error) {
	t := ix.table
	f := &filter{syms: t.syms, firstTime: q.FirstTime, cotraitance: q.OpenToCotraitance, verified: q.Verified,
		turnoverMin: q.TurnoverMinEUR, turnoverMax: q.TurnoverMaxEUR}
	var none bool
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []domain.StructureStatus{domain.StatusPublished}
	}
	var imp [6]bool
	f.statuses, imp[0] = symbolSet(t, statuses, same)
	f.families, imp[1] = symbolSet(t, q.LegalFamilies, same)
	f.inclusion, imp[2] = symbolSet(t, q.InclusionKinds, lower)
	f.headcounts, imp[3] = symbolSet(t, q.HeadcountBands, same)
	f.kinds, imp[4] = symbolSet(t, q.OfferKinds, same)
	for _, b := range imp {
		none = none || b
	}
	for _, c := range q.CPV {
		root := cpvRoot(c)
		if root == "" {
			return nil, invalid("cpv", fmt.Sprintf("%q is not a CPV code", c))
		}
		f.cpv = append(f.cpv, cpvPrefix(root))
	}
	if q.Commune != "" {
		cov, err := ix.resolveCommune(q.Commune)
		if err != nil {
			return nil, err
		}
		f.commune = cov
	}
	if q.RadiusKM != 0 {
		if q.Near == nil {
			return nil, invalid("radius_km", "needs near")
		}
		if q.RadiusKM < 0 || q.RadiusKM > MaxRadiusKM || math.IsNaN(q.RadiusKM) {
			return nil, invalid("radius_km", fmt.Sprintf("must be between 0 and %d", MaxRadiusKM))
		}
	}
	if q.Near != nil {
		if !(q.Near.Lat >= -90 && q.Near.Lat <= 90 && q.Near.Lon >= -180 && q.Near.Lon <= 180) {
			return nil, invalid("near", "must be a latitude and a longitude")
		}
		f.near, f.radiusKM = q.Near, q.RadiusKM
	}
	f.offerLevel = len(f.cpv) > 0 || f.kinds != nil || f.commune != nil
	f.impossible = none
	return f, nil
}

func (ix *Index) resolveCommune(insee string) (*coverage, error) {
	insee = strings.ToUpper(strings.TrimSpace(insee))
	cov := &coverage{insee: insee, zones: map[uint32]string{}}
	zones := []string{"commune:" + strings.ToLower(insee)}
	if ix.places != nil {
		p, ok := ix.places.CommunePlace(insee)
		if !ok {
			return nil, invalid("commune", fmt.Sprintf("%q is not a commune", insee))
		}
		zones = append(zones, "departement:"+strings.ToLower(p.Department), "region:"+p.Region, "epci:"+p.EPCI)
		cov.centre, cov.hasCentre = p.Centre, p.HasCentre
	}
	for _, z := range zones {
		if id, ok := ix.table.syms.lookup(z); ok {
			cov.zones[id] = z
		}
	}
	return cov, nil
}

// pass reports whether a live row satisfies the filter.
func (f *filter) pass(r *row) bool {
	if !r.live || f.impossible || !f.statuses[r.status] {
		return false
	}
	if f.families != nil && !f.families[r.family] {
		return false
	}
	if f.inclusion != nil && !anyIn(r.inclusion, f.inclusion) {
		return false
	}
	if f.headcounts != nil && !f.headcounts[r.headcount] {
		return false
	}
	if (f.firstTime != nil && *f.firstTime != r.firstTime) || (f.cotraitance != nil && *f.cotraitance != r.cotraitance) ||
		(f.verified != nil && *f.verified != r.verified) {
		return false
	}
	if (f.turnoverMin != nil || f.turnoverMax != nil) && !r.hasTurnover {
		return false
	}
	if (f.turnoverMin != nil && r.turnover < *f.turnoverMin) || (f.turnoverMax != nil && r.turnover > *f.turnoverMax) {
		return false
	}
	if f.near != nil && f.radiusKM > 0 && (!r.hasLoc || distanceKM(f.near.Lat, f.near.Lon, r.lat, r.lon) > f.radiusKM) {
		return false
	}
	if !f.offerLevel {
		return true
	}
	for i := range r.offers {
		if f.offerMatches(r, &r.offers[i], nil) {
			return true
		}
	}
	return false
}

func anyIn(ids []uint32, set map[uint32]bool) bool {
	for _, id := range ids {
		if set[id] {
			return true
		}
	}
	return false
}

// offerMatches reports whether one offer satisfies the offer-level filters; with syms it also says why.
func (f *filter) offerMatches(r *row, o *offerRow, why *offerWhy) bool {
	if f.kinds != nil && !f.kinds[o.kind] {
		return false
	}
	if len(f.cpv) > 0 && !f.cpvMatch(o, why) {
		return false
	}
	if f.commune != nil && !f.commune.covers(r, o, why) {
		return false
	}
	return true
}

// offerWhy collects the reasons an offer matched, for the page's hits only.
type offerWhy struct {
	cpv  string
	area string
}

func (f *filter) cpvMatch(o *offerRow, why *offerWhy) bool {
	for _, c := range o.cpv {
		code := f.syms.strs[c]
		for _, p := range f.cpv {
			if strings.HasPrefix(code, p) {
				if why != nil {
					why.cpv = code
				}
				return true
			}
		}
	}
	return false
}

// covers applies the commune rule: the offer covers the whole country, lists a zone containing the commune
// (itself, its department, region or EPCI), or has a radius around the structure reaching the commune centre.
func (c *coverage) covers(r *row, o *offerRow, why *offerWhy) bool {
	if o.country {
		if why != nil {
			why.area = "country"
		}
		return true
	}
	for _, z := range o.zones {
		if name, ok := c.zones[z]; ok {
			if why != nil {
				why.area = name
			}
			return true
		}
	}
	if o.radiusKM > 0 && c.hasCentre && r.hasLoc {
		d := distanceKM(r.lat, r.lon, c.centre.Lat, c.centre.Lon)
		if d <= o.radiusKM {
			if why != nil {
				why.area = fmt.Sprintf("radius:%gkm (commune centre at %.1f km)", o.radiusKM, d)
			}
			return true
		}
	}
	return false
}

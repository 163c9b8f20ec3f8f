package search

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/essor-ess/essor/internal/domain"
)

// MaxRadiusKM bounds a "near" search.
const MaxRadiusKM = domain.MaxSearchRadiusKM

// filter is a Query's filters compiled against the table. allow is the set of rows passing every structure-level
// condition and each offer-level condition on its own; exact is set when some rows of allow must still be checked
// one by one (pass): offer-level conditions (CPV, offer kind, commune coverage) that must hold for one same offer
// — a structure whose green-spaces offer covers Orvault and whose catering offer covers Rezé does not match
// "green spaces in Rezé" —, a radius around a point, a turnover range.
type filter struct {
	allow *roaring.Bitmap
	exact bool
	// rowLevel is set when rows need a check of their own (radius, turnover); sameOffer holds rows of allow known
	// to satisfy the offer-level conditions on one same offer.
	rowLevel  bool
	sameOffer *roaring.Bitmap

	turnoverMin *int64
	turnoverMax *int64
	near        *domain.GeoPoint
	nearCos     float64
	radiusKM    float64

	syms       *symbols
	offerLevel bool
	cpv        []string
	cpvCodes   []uint64 // bit set of the symbols of the codes under cpv
	kinds      map[uint32]bool
	commune    *coverage
}

// coverage is a commune filter resolved at query time: the zone terms that contain the commune and its centre
// for radius offers. Resolving at query time keeps the index independent of the commune table and exact.
type coverage struct {
	insee     string
	zones     []string
	centre    domain.GeoPoint
	centreCos float64
	hasCentre bool
}

func stringsOf[T ~string](values []T, fold func(string) string) []string {
	out := make([]string, len(values))
	for i, v := range values {
		out[i] = fold(string(v))
	}
	return out
}

func same(s string) string  { return strings.TrimSpace(s) }
func lower(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// compileFilter prepares q's filters; the caller holds the table's read lock.
func (ix *Index) compileFilter(q Query) (*filter, error) {
	t := ix.table
	b := &t.bits
	f := &filter{syms: t.syms, turnoverMin: q.TurnoverMinEUR, turnoverMax: q.TurnoverMaxEUR}
	statuses := q.Statuses
	if len(statuses) == 0 {
		statuses = []domain.StructureStatus{domain.StatusPublished}
	}
	st, _ := union(b.status, stringsOf(statuses, same))
	sets := []*roaring.Bitmap{b.live, st}
	for _, c := range []struct {
		m      map[string]*roaring.Bitmap
		values []string
	}{
		{b.family, stringsOf(q.LegalFamilies, same)},
		{b.inclusion, stringsOf(q.InclusionKinds, lower)},
		{b.headcount, stringsOf(q.HeadcountBands, same)},
		{b.kind, stringsOf(q.OfferKinds, same)},
	} {
		if len(c.values) > 0 {
			u, _ := union(c.m, c.values)
			sets = append(sets, u)
		}
	}
	var excluded []*roaring.Bitmap
	var covered *communeCoverage
	for _, c := range []struct {
		want *bool
		set  *roaring.Bitmap
	}{{q.FirstTime, b.firstTime}, {q.OpenToCotraitance, b.cotraitance}, {q.Verified, b.verified}} {
		switch {
		case c.want == nil:
		case *c.want:
			sets = append(sets, c.set)
		default:
			excluded = append(excluded, c.set)
		}
	}
	if len(q.OfferKinds) > 0 {
		f.kinds = map[uint32]bool{}
		for _, k := range q.OfferKinds {
			if id, ok := t.syms.lookup(same(string(k))); ok {
				f.kinds[id] = true
			}
		}
	}
	for _, c := range q.CPV {
		root := cpvRoot(c)
		if root == "" {
			return nil, invalid("cpv", fmt.Sprintf("%q is not a CPV code", c))
		}
		f.cpv = append(f.cpv, cpvPrefix(root))
	}
	if len(f.cpv) > 0 {
		u, _ := union(b.cpv, f.cpv)
		sets = append(sets, u)
		f.cpvCodes = make([]uint64, (len(t.syms.strs)+63)/64)
		for _, id := range t.cpvCodes {
			code := t.syms.strs[id]
			for _, p := range f.cpv {
				if strings.HasPrefix(code, p) {
					f.cpvCodes[id/64] |= 1 << (id % 64)
					break
				}
			}
		}
	}
	if q.Commune != "" {
		cov, err := ix.resolveCommune(q.Commune)
		if err != nil {
			return nil, err
		}
		f.commune = cov
		covered = t.coverageOf(cov)
		sets = append(sets, covered.rows)
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
		f.nearCos = cosDeg(q.Near.Lat)
	}
	offerConditions := 0
	for _, on := range []bool{len(f.cpv) > 0, f.kinds != nil, f.commune != nil} {
		if on {
			offerConditions++
		}
	}
	f.offerLevel = offerConditions > 0
	f.rowLevel = (f.near != nil && f.radiusKM > 0) || f.turnoverMin != nil || f.turnoverMax != nil
	f.exact = offerConditions > 1 || f.rowLevel
	f.allow = roaring.FastAnd(sets...)
	for _, e := range excluded {
		f.allow.AndNot(e)
	}
	if offerConditions > 1 && shortcuts {
		// A row with one offer, or (for two conditions, one of them the commune) whose every offer covers the
		// commune, satisfies the offer-level conditions on one same offer as soon as it is in allow.
		f.sameOffer = roaring.AndNot(f.allow, b.multiOffer)
		if covered != nil && offerConditions == 2 {
			f.sameOffer.Or(roaring.And(f.allow, covered.all))
		}
	}
	return f, nil
}

func (ix *Index) resolveCommune(insee string) (*coverage, error) {
	insee = strings.ToUpper(strings.TrimSpace(insee))
	cov := &coverage{insee: insee}
	zones := []string{"commune:" + strings.ToLower(insee)}
	if ix.places != nil {
		p, ok := ix.places.CommunePlace(insee)
		if !ok {
			return nil, invalid("commune", fmt.Sprintf("%q is not a commune", insee))
		}
		zones = append(zones, "departement:"+strings.ToLower(p.Department), "region:"+p.Region, "epci:"+p.EPCI)
		cov.centre, cov.hasCentre = p.Centre, p.HasCentre
		cov.centreCos = cosDeg(p.Centre.Lat)
	}
	cov.zones = zones
	return cov, nil
}

// pass reports whether a row of allow satisfies the conditions bitmaps cannot decide.
func (f *filter) pass(t *table, n uint32) bool {
	if f.near != nil && f.radiusKM > 0 {
		if g := &t.geo[n]; !g.ok || !withinKM(f.near.Lat, f.near.Lon, f.nearCos, g, f.radiusKM) {
			return false
		}
	}
	r := &t.rows[n]
	if (f.turnoverMin != nil || f.turnoverMax != nil) && !r.hasTurnover {
		return false
	}
	if (f.turnoverMin != nil && r.turnover < *f.turnoverMin) || (f.turnoverMax != nil && r.turnover > *f.turnoverMax) {
		return false
	}
	if !f.offerLevel {
		return true
	}
	for i := range r.offers {
		if f.offerMatches(&t.geo[n], &r.offers[i], nil) {
			return true
		}
	}
	return false
}

// offerMatches reports whether one offer satisfies the offer-level filters; with why it also says why.
func (f *filter) offerMatches(g *geoPoint, o *offerRow, why *offerWhy) bool {
	if f.kinds != nil && !f.kinds[o.kind] {
		return false
	}
	if len(f.cpv) > 0 && !f.cpvMatch(o, why) {
		return false
	}
	if f.commune != nil && !f.commune.covers(g, o, f.syms, why) {
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
	for _, c := range o.cpv() {
		if f.cpvCodes[c/64]&(1<<(c%64)) != 0 {
			if why != nil {
				why.cpv = f.syms.strs[c]
			}
			return true
		}
	}
	return false
}

// covers applies the commune rule: the offer covers the whole country, lists a zone containing the commune
// (itself, its department, region or EPCI), or has a radius around the structure reaching the commune centre.
func (c *coverage) covers(g *geoPoint, o *offerRow, syms *symbols, why *offerWhy) bool {
	if o.country {
		if why != nil {
			why.area = "country"
		}
		return true
	}
	for _, z := range o.zones() {
		if name := syms.strs[z]; slices.Contains(c.zones, name) {
			if why != nil {
				why.area = name
			}
			return true
		}
	}
	if o.radiusKM > 0 && c.hasCentre && g.ok && withinKM(c.centre.Lat, c.centre.Lon, c.centreCos, g, o.radiusKM) {
		if why != nil {
			d := distanceKM(g.lat, g.lon, c.centre.Lat, c.centre.Lon)
			why.area = fmt.Sprintf("radius:%gkm (commune centre at %.1f km)", o.radiusKM, d)
		}
		return true
	}
	return false
}

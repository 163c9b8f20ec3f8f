package search

import (
	"math"

	"github.com/RoaringBitmap/roaring/v2"
)

// bitmaps index the table by value: for each filter or facet value, the compressed set of live rows that have
// it. A filter is then a few bitmap unions and intersections, and a facet value's count is the cardinality of
// its bitmap intersected with the result (microseconds for a whole-directory result), whatever the number of
// hits.
type bitmaps struct {
	live      *roaring.Bitmap
	status    map[string]*roaring.Bitmap
	family    map[string]*roaring.Bitmap
	headcount map[string]*roaring.Bitmap
	inclusion map[string]*roaring.Bitmap // kinds and families
	kind      map[string]*roaring.Bitmap // offer kinds
	cpv       map[string]*roaring.Bitmap // every prefix (2 to 8 digits) of every offer's code
	division  map[string]*roaring.Bitmap // the 2-digit divisions alone, for the facet
	zone      map[string]*roaring.Bitmap // listed zones of the offers

	firstTime, cotraitance, verified *roaring.Bitmap
	country                          *roaring.Bitmap // an offer covers the whole country
	multiOffer                       *roaring.Bitmap // two offers or more: offer-level filters may need a check
	radius                           *roaring.Bitmap // an offer covers a radius around the structure
}

func newBitmaps() bitmaps {
	return bitmaps{
		live: roaring.New(), status: map[string]*roaring.Bitmap{}, family: map[string]*roaring.Bitmap{},
		headcount: map[string]*roaring.Bitmap{}, inclusion: map[string]*roaring.Bitmap{},
		kind: map[string]*roaring.Bitmap{}, cpv: map[string]*roaring.Bitmap{},
		division: map[string]*roaring.Bitmap{}, zone: map[string]*roaring.Bitmap{},
		firstTime: roaring.New(), cotraitance: roaring.New(), verified: roaring.New(), country: roaring.New(),
		radius: roaring.New(), multiOffer: roaring.New(),
	}
}

// each calls fn with every (value map, value) pair of a row, then with every flag bitmap the row belongs to.
func (b *bitmaps) each(r *row, syms *symbols, fn func(m map[string]*roaring.Bitmap, v string), flag func(*roaring.Bitmap)) {
	s := syms.strs
	flag(b.live)
	fn(b.status, s[r.status])
	fn(b.family, s[r.family])
	fn(b.headcount, s[r.headcount])
	for _, v := range r.inclusion {
		fn(b.inclusion, s[v])
	}
	if len(r.offers) > 1 {
		flag(b.multiOffer)
	}
	for i := range r.offers {
		o := &r.offers[i]
		fn(b.kind, s[o.kind])
		for _, c := range o.cpv() {
			code := s[c]
			fn(b.division, code[:2])
			for n := 2; n <= len(code); n++ {
				fn(b.cpv, code[:n])
			}
		}
		for _, z := range o.zones() {
			fn(b.zone, s[z])
		}
		if o.country {
			flag(b.country)
		}
		if o.radiusKM > 0 {
			flag(b.radius)
		}
	}
	for _, f := range []struct {
		on bool
		b  *roaring.Bitmap
	}{{r.firstTime, b.firstTime}, {r.cotraitance, b.cotraitance}, {r.verified, b.verified}} {
		if f.on {
			flag(f.b)
		}
	}
}

func (b *bitmaps) add(n uint32, r *row, syms *symbols) {
	b.each(r, syms, func(m map[string]*roaring.Bitmap, v string) {
		bm, ok := m[v]
		if !ok {
			bm = roaring.New()
			m[v] = bm
		}
		bm.Add(n)
	}, func(bm *roaring.Bitmap) { bm.Add(n) })
}

func (b *bitmaps) remove(n uint32, r *row, syms *symbols) {
	b.each(r, syms, func(m map[string]*roaring.Bitmap, v string) {
		if bm, ok := m[v]; ok {
			bm.Remove(n)
		}
	}, func(bm *roaring.Bitmap) { bm.Remove(n) })
}

// union returns the rows having any of values in m; found is false when none of the values is known.
func union(m map[string]*roaring.Bitmap, values []string) (*roaring.Bitmap, bool) {
	var parts []*roaring.Bitmap
	for _, v := range values {
		if bm, ok := m[v]; ok {
			parts = append(parts, bm)
		}
	}
	switch len(parts) {
	case 0:
		return roaring.New(), false
	case 1:
		return parts[0], true
	}
	return roaring.FastOr(parts...), true
}

// communeCoverage is the set of rows with an offer covering a commune, computed on first use and then kept
// exact by the table's put and clear (see coverRow), so that a commune filter is one bitmap once warm. all holds
// the rows whose every offer covers it: for them a CPV or kind filter combined with the commune needs no check
// that both hold on the same offer.
type communeCoverage struct {
	cov  *coverage
	rows *roaring.Bitmap
	all  *roaring.Bitmap
}

// maxCachedCommunes bounds the coverage cache; past it the cache starts afresh.
const maxCachedCommunes = 512

// coverageOf returns the coverage of the commune of cov. The caller holds the table's read lock.
func (t *table) coverageOf(cov *coverage) *communeCoverage {
	t.coverageMu.Lock()
	defer t.coverageMu.Unlock()
	if c, ok := t.coverage[cov.insee]; ok {
		return c
	}
	var zones []*roaring.Bitmap
	zones = append(zones, t.bits.country)
	for _, z := range cov.zones {
		if bm, ok := t.bits.zone[z]; ok {
			zones = append(zones, bm)
		}
	}
	rows := roaring.FastOr(zones...)
	if cov.hasCentre {
		// A degree of latitude is at least 110.5 km: rows farther in latitude than the largest radius are skipped
		// before the haversine distance.
		cosLat := math.Cos(cov.centre.Lat * math.Pi / 180)
		it := t.bits.radius.Iterator()
		for it.HasNext() {
			n := it.Next()
			r := &t.rows[n]
			g := &t.geo[n]
			if !g.ok || rows.Contains(n) {
				continue
			}
			reach := 0.0
			for i := range r.offers {
				reach = max(reach, r.offers[i].radiusKM)
			}
			if math.Abs(g.lat-cov.centre.Lat)*110.5 > reach || math.Abs(g.lon-cov.centre.Lon)*111.4*cosLat > reach+1 {
				continue
			}
			if t.rowCovers(n, cov) {
				rows.Add(n)
			}
		}
	}
	rows.RunOptimize()
	all := roaring.AndNot(rows, t.bits.multiOffer)
	it := roaring.And(rows, t.bits.multiOffer).Iterator()
	for it.HasNext() {
		n := it.Next()
		if t.rowCoversAll(n, cov) {
			all.Add(n)
		}
	}
	if len(t.coverage) >= maxCachedCommunes {
		t.coverage = map[string]*communeCoverage{}
	}
	c := &communeCoverage{cov: cov, rows: rows, all: all}
	t.coverage[cov.insee] = c
	return c
}

// coverRow adds row n to the cached coverages it belongs to; the caller holds the write lock.
func (t *table) coverRow(n int32) {
	for _, c := range t.coverage {
		if t.rowCovers(uint32(n), c.cov) {
			c.rows.Add(uint32(n))
		}
		if t.rowCoversAll(uint32(n), c.cov) {
			c.all.Add(uint32(n))
		}
	}
}

func (t *table) rowCoversAll(n uint32, cov *coverage) bool {
	r := &t.rows[n]
	for i := range r.offers {
		if !cov.covers(&t.geo[n], &r.offers[i], t.syms, nil) {
			return false
		}
	}
	return len(r.offers) > 0
}

func (t *table) rowCovers(n uint32, cov *coverage) bool {
	r := &t.rows[n]
	for i := range r.offers {
		if cov.covers(&t.geo[n], &r.offers[i], t.syms, nil) {
			return true
		}
	}
	return false
}

// facetBitmaps returns the values of a facet and their bitmaps, nil for facets counted otherwise.
func (b *bitmaps) facetBitmaps(name string) (map[string]*roaring.Bitmap, func(string) (string, bool)) {
	switch name {
	case FacetLegalFamily:
		return b.family, keep
	case FacetKind:
		return b.kind, keep
	case FacetInclusion:
		return b.inclusion, inclusionFacetValue
	case FacetCPVDivision:
		return b.division, func(p string) (string, bool) { return p + "000000", true }
	}
	return nil, nil
}

func keep(v string) (string, bool) { return v, v != "" }

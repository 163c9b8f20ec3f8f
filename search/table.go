package search

import (
	"math"
	"strings"
	"sync"
)

// The table is the in-memory columnar copy of every indexed structure's record, addressed by a row number that is
// stored in the document itself (field "row", the only doc value a search reads). Bleve only finds and scores
// text matches; filters, facets, sorting, paging and reasons run on the table, which makes whole-result facets a
// few array increments per hit instead of Bleve's per-hit doc-value decoding and map updates.
//
// Rows are never reused while the process runs, so a search running on an older Bleve snapshot cannot mistake a
// new structure for a deleted one; deleted rows become holes until the next rebuild or restart compacts them.

// symbols interns the codes of the table (families, kinds, zones, CPV roots, communes) as small integers.
type symbols struct {
	ids  map[string]uint32
	strs []string
}

func newSymbols() *symbols { return &symbols{ids: map[string]uint32{}} }

func (s *symbols) intern(v string) uint32 {
	if id, ok := s.ids[v]; ok {
		return id
	}
	id := uint32(len(s.strs))
	s.ids[v] = id
	s.strs = append(s.strs, v)
	return id
}

func (s *symbols) lookup(v string) (uint32, bool) {
	id, ok := s.ids[v]
	return id, ok
}

// row is one structure's record in compact form: what the exact per-offer checks, the sort keys and the
// reasons need. Everything a filter or a facet reads is also in the table's bitmaps.
type row struct {
	id          string
	name        string
	nameKey     uint64 // the first 8 bytes of name, big-endian: most comparisons end here
	live        bool
	firstTime   bool
	cotraitance bool
	verified    bool
	hasTurnover bool
	family      uint32
	commune     uint32
	headcount   uint32
	status      uint32
	turnover    int64
	updated     int64 // microseconds since the epoch
	inclusion   []uint32
	offers      []offerRow
}

type offerRow struct {
	id       string
	radiusKM float64
	codes    []uint32 // interned 8-digit CPV roots, then listed zones
	kind     uint32
	nCPV     uint16
	country  bool
}

func (o *offerRow) cpv() []uint32   { return o.codes[:o.nCPV] }
func (o *offerRow) zones() []uint32 { return o.codes[o.nCPV:] }

// table holds the rows and, for every filter or facet value, the bitmap of the live rows that have it; mu guards
// all of it. Searches hold the read lock for their whole run.
type table struct {
	mu         sync.RWMutex
	rows       []row
	geo        []geoPoint // the rows' locations, by row
	byID       map[string]int32
	syms       *symbols
	live       int
	bits       bitmaps
	offerArena arena[offerRow]
	codeArena  arena[uint32]
	// cpvCodes lists the symbols of the 8-digit CPV codes, so that a query resolves its CPV prefixes to a set of
	// symbols once instead of comparing strings per offer.
	cpvCodes []uint32
	// coverage caches the rows covering a commune, kept exact by put and remove.
	coverage   map[string]*communeCoverage
	coverageMu sync.Mutex
	// byName is the name order (name_order.go), nil until first used.
	byName   []int32
	nameRank []int32
	orderMu  sync.Mutex
}

func newTable() *table {
	return &table{byID: map[string]int32{}, syms: newSymbols(), bits: newBitmaps(), coverage: map[string]*communeCoverage{}}
}

// rowFor returns the row number of an id, allocating a new one for an unknown id. Callers serialise Apply.
func (t *table) rowFor(id string, next *int32) int32 {
	t.mu.RLock()
	r, ok := t.byID[id]
	t.mu.RUnlock()
	if ok {
		return r
	}
	r = *next
	*next++
	return r
}

// put stores a record at a row; the caller holds the write lock.
func (t *table) put(n int32, r record) {
	for int(n) >= len(t.rows) {
		t.rows = append(t.rows, row{})
		t.geo = append(t.geo, geoPoint{})
	}
	if old, ok := t.byID[r.ID]; ok && old != n {
		t.clear(old)
	}
	t.clear(n)
	t.live++
	t.byID[r.ID] = n
	t.rows[n] = t.compact(r)
	if r.Location != nil {
		t.geo[n] = geoPoint{lat: r.Location[0], lon: r.Location[1], cos: cosDeg(r.Location[0]), ok: true}
	}
	t.bits.add(uint32(n), &t.rows[n], t.syms)
	t.coverRow(n)
}

// remove drops an id; the caller holds the write lock.
func (t *table) remove(id string) {
	n, ok := t.byID[id]
	if !ok {
		return
	}
	delete(t.byID, id)
	t.clear(n)
}

// clear empties a row and takes it out of every bitmap.
func (t *table) clear(n int32) {
	r := &t.rows[n]
	if !r.live {
		return
	}
	t.bits.remove(uint32(n), r, t.syms)
	for _, c := range t.coverage {
		c.rows.Remove(uint32(n))
		c.all.Remove(uint32(n))
	}
	t.live--
	t.rows[n] = row{}
	t.geo[n] = geoPoint{}
}

func (t *table) compact(r record) row {
	s := t.syms
	out := row{
		id: r.ID, name: r.Name, nameKey: nameKey(r.Name), live: true, firstTime: r.FirstTime,
		cotraitance: r.Cotraitance, verified: r.Verified,
		family: s.intern(r.Family), commune: s.intern(r.Commune), headcount: s.intern(r.Headcount),
		status: s.intern(r.Status), updated: r.UpdatedAt / 1000,
	}
	if r.TurnoverEUR != nil {
		out.hasTurnover, out.turnover = true, *r.TurnoverEUR
	}
	codes := len(r.Inclusion)
	for _, o := range r.Offers {
		codes += len(o.CPV) + len(o.Zones)
	}
	ids := t.codeArena.alloc(codes)
	next := func(n int) []uint32 {
		part := ids[:n:n]
		ids = ids[n:]
		return part
	}
	out.inclusion = next(len(r.Inclusion))
	for i, k := range r.Inclusion {
		out.inclusion[i] = s.intern(k)
	}
	out.offers = t.offerArena.alloc(len(r.Offers))
	for i, o := range r.Offers {
		or := offerRow{id: o.ID, kind: s.intern(o.Kind), country: o.Country, radiusKM: o.RadiusKM,
			codes: next(len(o.CPV) + len(o.Zones)), nCPV: uint16(len(o.CPV))}
		for k, c := range o.CPV {
			n := len(s.strs)
			id := s.intern(c)
			if len(s.strs) > n {
				t.cpvCodes = append(t.cpvCodes, id)
			}
			or.codes[k] = id
		}
		for k, z := range o.Zones {
			or.codes[len(o.CPV)+k] = s.intern(z)
		}
		out.offers[i] = or
	}
	return out
}

// arena hands out slices cut from large chunks, so that the table's many small per-row slices (offers, their
// codes, inclusion kinds) cost neither an allocation nor a size-class rounding each. A chunk is freed when no row
// uses it any more; the slices of updated or deleted rows stay in their chunk until then, a few hundred bytes a
// write, and a restart packs them again.
type arena[T any] struct{ chunk []T }

const arenaChunk = 16384

func (a *arena[T]) alloc(n int) []T {
	if n == 0 {
		return nil
	}
	if cap(a.chunk)-len(a.chunk) < n {
		a.chunk = make([]T, 0, max(arenaChunk, n))
	}
	start := len(a.chunk)
	a.chunk = a.chunk[:start+n]
	return a.chunk[start : start+n : start+n]
}

// nameKey packs the first 8 bytes of a sort key so that most name comparisons are one integer comparison.
func nameKey(name string) uint64 {
	var k uint64
	for i := range 8 {
		k <<= 8
		if i < len(name) {
			k |= uint64(name[i])
		}
	}
	return k
}

// earthRadiusKM is the mean Earth radius used by the haversine distance.
const earthRadiusKM = 6371.0088

// distanceKM is the great-circle distance between two WGS84 points.
func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	return distanceKMCos(lat1, lon1, cosDeg(lat1), lat2, lon2, cosDeg(lat2))
}

// cosDeg is the cosine of an angle in degrees.
func cosDeg(deg float64) float64 { return math.Cos(deg * math.Pi / 180) }

// distanceKMCos is the haversine distance with the cosines of both latitudes given (rows keep theirs).
func distanceKMCos(lat1, lon1, cos1, lat2, lon2, cos2 float64) float64 {
	const rad = math.Pi / 180
	sLat := math.Sin((lat2 - lat1) * rad / 2)
	sLon := math.Sin((lon2 - lon1) * rad / 2)
	a := sLat*sLat + cos1*cos2*sLon*sLon
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// kmPerDegree is the length of a degree of a great circle.
const kmPerDegree = earthRadiusKM * math.Pi / 180

// certainlyFarther reports whether a row is, by the flat-earth distance and a margin larger than its error,
// strictly farther than d km from a point whose latitude cosine is cosLat. A false answer proves nothing.
func certainlyFarther(lat, lon, cosLat float64, g *geoPoint, d float64) bool {
	dLat := math.Abs(g.lat - lat)
	dLon := math.Abs(g.lon - lon)
	if dLat >= 10 || dLon >= 10 {
		return false
	}
	y := dLat * kmPerDegree
	x := dLon * kmPerDegree * (cosLat + g.cos) / 2
	return x*x+y*y > d*d*1.04+0.01
}

// withinKM reports whether a point lies within radius km of a point whose latitude cosine is cosLat. The flat-earth
// distance decides when it is clearly inside or outside (it is within a fraction of a percent of the great-circle
// distance at these ranges); the haversine distance decides the rest, so the answer is the exact one.
func withinKM(lat, lon, cosLat float64, g *geoPoint, radius float64) bool {
	dLat := math.Abs(g.lat - lat)
	dLon := math.Abs(g.lon - lon)
	if dLat < 10 && dLon < 10 {
		y := dLat * kmPerDegree
		x := dLon * kmPerDegree * (cosLat + g.cos) / 2
		d2 := x*x + y*y
		if d2 < radius*radius*0.96 {
			return true
		}
		if d2 > radius*radius*1.04+0.01 {
			return false
		}
	}
	return distanceKMCos(lat, lon, cosLat, g.lat, g.lon, g.cos) <= radius
}

// geoPoint is a row's location in the table's location column: radius filters and distance sorts scan it
// without touching the rows.
type geoPoint struct {
	lat, lon, cos float64
	ok            bool
}

// inclusionFacetValue tells whether an inclusion term is a kind (counted in the inclusion facet) rather than a
// derived family, and returns it as the reference data spells it.
func inclusionFacetValue(term string) (string, bool) {
	if _, ok := inclusionFamilies[term]; ok {
		return strings.ToUpper(term), true
	}
	return "", false
}

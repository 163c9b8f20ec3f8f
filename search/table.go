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

const noSymbol = math.MaxUint32

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
	hasLoc      bool
	hasTurnover bool
	family      uint32
	commune     uint32
	headcount   uint32
	status      uint32
	lat, lon    float64
	turnover    int64
	updated     int64 // microseconds since the epoch
	inclusion   []uint32
	offers      []offerRow
}

type offerRow struct {
	id       string
	kind     uint32
	cpv      []uint32 // interned 8-digit roots
	country  bool
	radiusKM float64
	zones    []uint32
}

// table holds the rows and, for every filter or facet value, the bitmap of the live rows that have it; mu guards
// all of it. Searches hold the read lock for their whole run.
type table struct {
	mu   sync.RWMutex
	rows []row
	byID map[string]int32
	syms *symbols
	live int
	bits bitmaps
	// coverage caches the rows covering a commune, kept exact by put and remove.
	coverage   map[string]*communeCoverage
	coverageMu sync.Mutex
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
	}
	if old, ok := t.byID[r.ID]; ok && old != n {
		t.clear(old)
	}
	t.clear(n)
	t.live++
	t.byID[r.ID] = n
	t.rows[n] = t.compact(r)
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
	}
	t.live--
	t.rows[n] = row{}
}

func (t *table) compact(r record) row {
	s := t.syms
	out := row{
		id: r.ID, name: r.Name, nameKey: nameKey(r.Name), live: true, firstTime: r.FirstTime,
		cotraitance: r.Cotraitance, verified: r.Verified,
		family: s.intern(r.Family), commune: s.intern(r.Commune), headcount: s.intern(r.Headcount),
		status: s.intern(r.Status), updated: r.UpdatedAt / 1000,
	}
	if r.Location != nil {
		out.hasLoc, out.lat, out.lon = true, r.Location[0], r.Location[1]
	}
	if r.TurnoverEUR != nil {
		out.hasTurnover, out.turnover = true, *r.TurnoverEUR
	}
	for _, k := range r.Inclusion {
		out.inclusion = append(out.inclusion, s.intern(k))
	}
	for _, o := range r.Offers {
		or := offerRow{id: o.ID, kind: s.intern(o.Kind), country: o.Country, radiusKM: o.RadiusKM}
		for _, c := range o.CPV {
			or.cpv = append(or.cpv, s.intern(c))
		}
		for _, z := range o.Zones {
			or.zones = append(or.zones, s.intern(z))
		}
		out.offers = append(out.offers, or)
	}
	return out
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

func appendUniqueID(s []uint32, v uint32) []uint32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// earthRadiusKM is the mean Earth radius used by the haversine distance.
const earthRadiusKM = 6371.0088

// distanceKM is the great-circle distance between two WGS84 points.
func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLon := (lon2 - lon1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Min(1, math.Sqrt(a)))
}

// inclusionFacetValue tells whether an inclusion term is a kind (counted in the inclusion facet) rather than a
// derived family, and returns it as the reference data spells it.
func inclusionFacetValue(term string) (string, bool) {
	if _, ok := inclusionFamilies[term]; ok {
		return strings.ToUpper(term), true
	}
	return "", false
}

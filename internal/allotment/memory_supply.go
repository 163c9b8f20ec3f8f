package allotment

import (
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/essor-ess/essor/internal/domain"
)

// MemorySupply is an in-memory Supply. Offers are indexed by where they reach (country-wide, by zone, or on a
// grid of 0.25° cells for radii), so that a query only looks at offers near the need's communes, then filtered by
// CPV prefix. It is read-only once built and safe for concurrent use.
type MemorySupply struct {
	structures []SupplyStructure
	offers     []indexedOffer
	// Every list is split by CPV division: related codes always share their first two digits, so a query only
	// reads the lists of its own divisions.
	country map[string][]int32   // division → offers reaching the whole country
	byZone  map[zoneKey][]int32  // ("departement:44", stem id) → offers listing that zone with that stem
	grid    map[gridCell][]int32 // (0.25° cell, division) → offers with a radius from a structure in the cell
	wide    map[string][]int32   // division → radius offers wider than gridRadiusKM or without a location
	gridKM  map[string]float64   // division → largest radius in the grid, which bounds the cells a query reads
	stems   []string             // distinct CPV stems of the offers, by id
	// offerStems[offerStemAt[oi]:offerStemAt[oi+1]] are the stem ids of offer oi, kept flat so that the hot test
	// "is this offer related to the need" reads two small arrays instead of the offer itself.
	offerStems  []int32
	offerStemAt []int32
	// offerStructure and offerCapacity are the structure index and the capacity of each offer, kept apart so
	// that listing the candidates walks 12 bytes per offer instead of a whole indexed offer.
	offerStructure []int32
	offerCapacity  []*int64
	stemID         map[string]int32
	places         CommunePlaces
	// scratch recycles the per-offer slot array of queries (megabytes on a large directory), handed back all
	// zero, and the lists of reached offers, handed back empty.
	scratch sync.Pool
}

type queryScratch struct {
	offerSlot []int32
	reached   []reachedOffer
	slab      []uint64
}

type indexedOffer struct {
	// from is the structure's location as a unit vector and maxChord2 the squared chord (on the unit sphere) of
	// the offer's radius, so that the radius test costs three multiplications instead of a haversine.
	from      unitVector
	located   bool
	maxChord2 float64
}

type gridCell struct {
	lat, lon int32
	division string
}

// zoneKey keys the zone lists by CPV stem, not division: a query then reads only the lists of stems related to
// its codes and never tests an offer's codes, which matters where zones such as an EPCI list most offers.
type zoneKey struct {
	zone string
	stem int32
}

const (
	gridDegrees  = 0.25
	gridRadiusKM = 100.0
)

func cellOf(p domain.GeoPoint, division string) gridCell {
	return gridCell{int32(math.Floor(p.Lat / gridDegrees)), int32(math.Floor(p.Lon / gridDegrees)), division}
}

type unitVector [3]float64

func unitVectorOf(p domain.GeoPoint) unitVector {
	lat, lon := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return unitVector{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
}

func chord2(a, b unitVector) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return dx*dx + dy*dy + dz*dz
}

// chord2OfKM is the squared chord of a great-circle distance on the unit sphere.
func chord2OfKM(km float64) float64 {
	c := 2 * math.Sin(math.Min(km/earthRadiusKM, math.Pi)/2)
	return c * c
}

// NewMemorySupply indexes the structures; places gives the centre and the administrative zones of a commune.
func NewMemorySupply(structures []SupplyStructure, places CommunePlaces) *MemorySupply {
	// Structures in ID order let a query list its candidates in ID order by sorting integers, not strings.
	structures = slices.Clone(structures)
	slices.SortFunc(structures, func(a, b SupplyStructure) int { return strings.Compare(a.ID, b.ID) })
	m := &MemorySupply{structures: structures, country: map[string][]int32{}, byZone: map[zoneKey][]int32{},
		grid: map[gridCell][]int32{}, wide: map[string][]int32{}, stemID: map[string]int32{}, gridKM: map[string]float64{}, places: places}
	for si, s := range structures {
		for _, o := range s.Offers {
			io := indexedOffer{maxChord2: chord2OfKM(o.Area.RadiusKM) * (1 + 1e-12)}
			var stems []string
			var stemIDs []int32
			for _, code := range o.CPVCodes {
				if stem := cpvStem(code); stem != "" && !slices.Contains(stems, stem) {
					stems = append(stems, stem)
					stemIDs = append(stemIDs, m.idOf(stem))
				}
			}
			if len(stems) == 0 {
				continue
			}
			if s.Location != nil {
				io.from, io.located = unitVectorOf(*s.Location), true
			}
			oi := int32(len(m.offers))
			m.offers = append(m.offers, io)
			m.offerStemAt = append(m.offerStemAt, int32(len(m.offerStems)))
			m.offerStems = append(m.offerStems, stemIDs...)
			m.offerStructure = append(m.offerStructure, int32(si))
			m.offerCapacity = append(m.offerCapacity, o.CapacityEUR)
			for _, div := range divisionsOf(stems) {
				m.indexOffer(oi, o.Area, s.Location, div)
			}
			if o.Area.Scope == domain.ScopeZones {
				for _, z := range o.Area.Zones {
					for _, id := range stemIDs {
						k := zoneKey{z, id}
						m.byZone[k] = appendOnce(m.byZone[k], oi)
					}
				}
			}
		}
	}
	m.offerStemAt = append(m.offerStemAt, int32(len(m.offerStems)))
	return m
}

func (m *MemorySupply) idOf(stem string) int32 {
	id, ok := m.stemID[stem]
	if !ok {
		id = int32(len(m.stems))
		m.stemID[stem] = id
		m.stems = append(m.stems, stem)
	}
	return id
}

func (m *MemorySupply) indexOffer(oi int32, area domain.Area, at *domain.GeoPoint, div string) {
	switch area.Scope {
	case domain.ScopeCountry:
		m.country[div] = append(m.country[div], oi)
	case domain.ScopeRadius:
		if at == nil || area.RadiusKM > gridRadiusKM {
			m.wide[div] = append(m.wide[div], oi)
			return
		}
		c := cellOf(*at, div)
		m.grid[c] = append(m.grid[c], oi)
		m.gridKM[div] = max(m.gridKM[div], area.RadiusKM)
	}
}

func divisionsOf(stems []string) []string {
	var out []string
	for _, s := range stems {
		if !slices.Contains(out, s[:2]) {
			out = append(out, s[:2])
		}
	}
	return out
}

func appendOnce(list []int32, v int32) []int32 {
	if len(list) > 0 && list[len(list)-1] == v {
		return list
	}
	return append(list, v)
}

type communeZones struct {
	known  bool
	point  domain.GeoPoint
	centre unitVector
	tags   [4]string
}

// Candidates implements Supply: it finds the offers reaching each commune, keeps those related to a CPV code of
// the need, and groups them by structure.
func (m *MemorySupply) Candidates(cpvs, communes []string) []Candidate {
	q := m.newQuery(cpvs, communes)
	defer q.release()
	divisions := divisionsOf(q.related.stems())
	// The communes of a need share most of their zones (one EPCI, one department, one region): each zone's list
	// is read once and its offers marked for every commune in the zone at once, not once per commune.
	var tags []string
	inZone := map[string]Coverage{}
	for j, z := range q.zones {
		if !z.known {
			continue
		}
		for _, tag := range z.tags {
			mask, ok := inZone[tag]
			if !ok {
				mask = NewCoverage(q.communes)
				inZone[tag] = mask
				tags = append(tags, tag)
			}
			mask.Set(j)
		}
	}
	for id, related := range q.stemRelated {
		if !related {
			continue
		}
		for _, tag := range tags {
			mask := inZone[tag]
			for _, oi := range m.byZone[zoneKey{tag, int32(id)}] {
				q.reaches(q.reach(oi)).or(mask)
			}
		}
	}
	for _, div := range divisions {
		for _, oi := range m.wide[div] {
			o := &m.offers[oi]
			if !o.located || !q.isRelated(oi) {
				continue
			}
			for j, z := range q.zones {
				if z.known && chord2(o.from, z.centre) <= o.maxChord2 {
					q.reaches(q.reach(oi)).Set(j)
				}
			}
		}
	}
	for _, div := range divisions {
		m.markNearby(q, div)
	}
	for _, div := range divisions {
		for _, oi := range m.country[div] {
			if q.isRelated(oi) {
				r := q.reaches(q.reach(oi))
				for j, z := range q.zones {
					if z.known {
						r.Set(j)
					}
				}
			}
		}
	}
	return q.candidates()
}

// query is the state of one Candidates call; dense per-offer slices avoid map lookups in the hot loops.
type query struct {
	m           *MemorySupply
	communes    int
	pairs       int
	zones       []communeZones
	related     cpvRelations
	stemRelated []bool  // per stem id, whether it relates to a need code
	codesOf     [][]int // per stem id, the need codes it relates to
	slot        []int32 // per offer: 1 + its index in reached, 0 when it reaches nothing yet
	reached     []reachedOffer
	slab        []uint64
	words       int
	scratch     *queryScratch
}

// reachedOffer is an offer reaching some of the need's communes; its bits are words [at, at+q.words) of q.slab.
type reachedOffer struct {
	offer int32
	at    int32
}

func (q *query) reaches(r reachedOffer) Coverage { return q.slab[int(r.at) : int(r.at)+q.words] }

func (q *query) reach(oi int32) reachedOffer {
	if q.slot[oi] == 0 {
		q.reached = append(q.reached, reachedOffer{oi, int32(len(q.slab))})
		q.slab = append(q.slab, make([]uint64, q.words)...)
		q.slot[oi] = int32(len(q.reached))
	}
	return q.reached[q.slot[oi]-1]
}

func (m *MemorySupply) newQuery(cpvs, communes []string) *query {
	q := &query{m: m, communes: len(communes), words: (len(communes) + 63) / 64, pairs: len(cpvs) * len(communes), related: cpvRelationsOf(cpvs),
		zones: make([]communeZones, len(communes)), stemRelated: make([]bool, len(m.stems)),
		codesOf: make([][]int, len(m.stems))}
	q.scratch, _ = m.scratch.Get().(*queryScratch)
	if q.scratch == nil {
		q.scratch = &queryScratch{offerSlot: make([]int32, len(m.offers))}
	}
	q.slot, q.reached, q.slab = q.scratch.offerSlot, q.scratch.reached[:0], q.scratch.slab[:0]
	for id, stem := range m.stems {
		q.codesOf[id] = q.related.of(stem, nil)
		q.stemRelated[id] = len(q.codesOf[id]) > 0
	}
	for j, c := range communes {
		if p, ok := m.places(c); ok {
			q.zones[j] = communeZones{known: true, point: p.Centre, centre: unitVectorOf(p.Centre),
				tags: [4]string{"commune:" + c, "departement:" + p.Department, "region:" + p.Region, "epci:" + p.EPCI}}
		}
	}
	return q
}

// release zeroes the slots the query used and hands them back for the next query.
func (q *query) release() {
	for _, r := range q.reached {
		q.slot[r.offer] = 0
	}
	q.scratch.reached, q.scratch.slab = q.reached[:0], q.slab[:0]
	q.m.scratch.Put(q.scratch)
	q.scratch, q.slot, q.reached, q.slab = nil, nil, nil, nil
}

func (q *query) isRelated(oi int32) bool {
	for _, id := range q.m.offerStems[q.m.offerStemAt[oi]:q.m.offerStemAt[oi+1]] {
		if q.stemRelated[id] {
			return true
		}
	}
	return false
}

func (q *query) candidates() []Candidate {
	// Offers are indexed structure by structure, in structure ID order: walking the offer slots in index order
	// reads the offers sequentially and meets each structure's reached offers together, already in ID order.
	structures, last := 0, int32(-1)
	for oi, at := range q.slot {
		if at != 0 {
			if si := q.m.offerStructure[oi]; si != last {
				structures, last = structures+1, si
			}
		}
	}
	words := (q.pairs + 63) / 64
	covers := make([]uint64, structures*words)
	out := make([]Candidate, 0, structures)
	var codes []int
	last = -1
	for oi, at := range q.slot {
		if at == 0 {
			continue
		}
		si, capacity := q.m.offerStructure[oi], q.m.offerCapacity[oi]
		if si != last {
			last = si
			s := &q.m.structures[si]
			k := len(out)
			out = append(out, Candidate{StructureID: s.ID, TurnoverEUR: s.TurnoverEUR, FirstTime: s.FirstTime,
				InclusionKinds: s.InclusionKinds, CapacityEUR: capacity,
				Covers: Coverage(covers[k*words : (k+1)*words : (k+1)*words])})
		} else {
			c := &out[len(out)-1]
			c.CapacityEUR = largerCapacity(c.CapacityEUR, capacity)
		}
		c := &out[len(out)-1]
		codes = codes[:0]
		for _, id := range q.m.offerStems[q.m.offerStemAt[oi]:q.m.offerStemAt[oi+1]] {
			for _, i := range q.codesOf[id] {
				if !slices.Contains(codes, i) {
					codes = append(codes, i)
				}
			}
		}
		for w, word := range q.reaches(q.reached[at-1]) {
			for ; word != 0; word &= word - 1 {
				j := w*64 + bits.TrailingZeros64(word)
				for _, i := range codes {
					c.Covers.Set(i*q.communes + j)
				}
			}
		}
	}
	return out
}

// markNearby marks the grid offers of a division whose radius reaches a commune of the need. It walks each cell
// near some commune once and tests the offers of the cell against every commune, so that an offer's CPV is
// checked once however many communes the need has.
func (m *MemorySupply) markNearby(q *query, div string) {
	km := m.gridKM[div]
	cells := map[gridCell]bool{}
	for _, z := range q.zones {
		if !z.known {
			continue
		}
		latCells := int32(math.Ceil(km/111.0/gridDegrees)) + 1
		cosLat := math.Max(math.Cos(z.point.Lat*math.Pi/180), 0.05)
		lonCells := int32(math.Ceil(km/(111.0*cosLat)/gridDegrees)) + 1
		home := cellOf(z.point, div)
		for dl := -latCells; dl <= latCells; dl++ {
			for dn := -lonCells; dn <= lonCells; dn++ {
				cells[gridCell{home.lat + dl, home.lon + dn, div}] = true
			}
		}
	}
	for cell := range cells {
		for _, oi := range m.grid[cell] {
			if !q.isRelated(oi) {
				continue
			}
			o := &m.offers[oi]
			for j := range q.zones {
				if z := &q.zones[j]; z.known && chord2(o.from, z.centre) <= o.maxChord2 {
					q.reaches(q.reach(oi)).Set(j)
				}
			}
		}
	}
}

// cpvRelations finds, for an offer's CPV stems, the need's codes they relate to (same, ancestor or descendant).
type cpvRelations struct {
	exact  map[string][]int // a need code's stem → its indexes: offer stems at or below it
	within map[string][]int // every proper prefix of a need code's stem → indexes: offer stems above it
}

func cpvRelationsOf(cpvs []string) cpvRelations {
	r := cpvRelations{exact: map[string][]int{}, within: map[string][]int{}}
	for i, code := range cpvs {
		stem := cpvStem(code)
		if stem == "" {
			continue
		}
		r.exact[stem] = append(r.exact[stem], i)
		for n := 2; n < len(stem); n++ {
			r.within[stem[:n]] = append(r.within[stem[:n]], i)
		}
	}
	return r
}

// stems lists the need's codes' stems.
func (r cpvRelations) stems() []string {
	out := make([]string, 0, len(r.exact))
	for s := range r.exact {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

// of appends to dst the indexes of the need's codes related to stem, without duplicates.
func (r cpvRelations) of(stem string, dst []int) []int {
	add := func(list []int) {
		for _, i := range list {
			if !slices.Contains(dst, i) {
				dst = append(dst, i)
			}
		}
	}
	for n := 2; n <= len(stem); n++ { // the need's code is the offer's or one of its ancestors
		add(r.exact[stem[:n]])
	}
	add(r.within[stem]) // the need's code is below the offer's
	return dst
}

func largerCapacity(a, b *int64) *int64 {
	if a == nil || b == nil {
		return nil
	}
	if *b > *a {
		return b
	}
	return a
}

package service

import (
	"math"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
)

// matchExtra is what tender matching needs of a published structure beyond the allotment supply's view of it.
type matchExtra struct {
	name string
	// esusExpires is the end of the ESUS agreement when the structure's ESS standing rests on it.
	esusExpires *time.Time
}

func matchExtraFrom(s *domain.Structure) matchExtra {
	e := matchExtra{name: s.Name}
	if s.ESSBasis == domain.BasisESUSAgreement {
		e.esusExpires = s.ESUSExpiresOn
	}
	return e
}

// Inclusion classes of a structure, as reservations ask for them.
const (
	kindDisability uint8 = 1 << iota // EA, EATT, ESAT: L2113-12
	kindSIAE                         // AI, ACI, EI, EITI, ETTI: L2113-13
)

const unknownAmount = math.MinInt64

// matchIndex holds published structures for tender matching, ranked in the order the SQL matcher lists them
// (name, then id, in byte order), with their offers listed under each CPV prefix they carry. It is immutable once
// built and safe for concurrent use.
type matchIndex struct {
	ids, names []string // by rank
	byID       []int32  // ranks in id order, to find a structure by binary search
	firstTime  bitSet
	turnover   []int64 // unknownAmount when not declared
	kinds      []uint8
	esus       []*time.Time
	location   []*domain.GeoPoint
	unit       []unitVector // location on the unit sphere, for the radius test
	offers     []matchOffer
	offerZones []int32               // zone ids of the zone-scoped offers, offers[i].zoneFrom:zoneTo
	zoneID     map[domain.Zone]int32 // the distinct zones of the offers
	stems      []string              // sorted distinct CPV prefixes of the offers' codes
	byStem     map[string][]int32    // offers carrying a code of that prefix
}

type matchOffer struct {
	structure        int32
	scope            domain.AreaScope
	zoneFrom, zoneTo int32
	radiusKM         float64
	// reach is the haversine term of radiusKM, sin²(radius / 2R): a commune lies within the radius when the
	// same term of its distance, a quarter of the squared chord between unit vectors, is at most reach.
	reach    float64
	capacity int64 // unknownAmount when not declared
}

type unitVector [3]float64

func unitVectorOf(p domain.GeoPoint) unitVector {
	lat, lon := p.Lat*math.Pi/180, p.Lon*math.Pi/180
	return unitVector{math.Cos(lat) * math.Cos(lon), math.Cos(lat) * math.Sin(lon), math.Sin(lat)}
}

// haversineTerm is sin²(d / 2R) for the great-circle distance d between two points, computed from their unit
// vectors with three multiplications instead of trigonometry.
func haversineTerm(a, b *unitVector) float64 {
	dx, dy, dz := a[0]-b[0], a[1]-b[1], a[2]-b[2]
	return (dx*dx + dy*dy + dz*dz) / 4
}

// earthRadiusKM is the radius domain.DistanceKM works with, read from it so that both radius tests agree.
var earthRadiusKM = domain.DistanceKM(domain.GeoPoint{}, domain.GeoPoint{Lon: 90}) / (math.Pi / 2)

// reachMargin is far above the rounding of both computations (about 1e-12 relative for distances of a kilometre
// or more) and far below any real difference: inside it, domain.DistanceKM decides.
const reachMargin = 1e-7

// newMatchIndex indexes the structures; extras gives each one's name and ESUS agreement.
func newMatchIndex(structures []allotment.SupplyStructure, extras map[string]matchExtra) *matchIndex {
	order := make([]int, len(structures))
	names := make([]string, len(structures))
	for i := range order {
		order[i], names[i] = i, extras[structures[i].ID].name
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := strings.Compare(names[a], names[b]); c != 0 {
			return c
		}
		return strings.Compare(structures[a].ID, structures[b].ID)
	})
	n := len(structures)
	ix := &matchIndex{ids: make([]string, n), names: make([]string, n), byID: make([]int32, n),
		firstTime: newBitSet(n), turnover: make([]int64, n), kinds: make([]uint8, n), esus: make([]*time.Time, n),
		location: make([]*domain.GeoPoint, n), unit: make([]unitVector, n), zoneID: map[domain.Zone]int32{}, byStem: map[string][]int32{}}
	for rank, i := range order {
		s := &structures[i]
		r := int32(rank)
		ix.ids[r], ix.names[r], ix.byID[r], ix.esus[r], ix.location[r] = s.ID, names[i], r, extras[s.ID].esusExpires, s.Location
		if s.FirstTime {
			ix.firstTime.set(r)
		}
		if s.Location != nil {
			ix.unit[r] = unitVectorOf(*s.Location)
		}
		ix.turnover[r] = amountOf(s.TurnoverEUR)
		ix.kinds[r] = inclusionClasses(s.InclusionKinds)
		for _, o := range s.Offers {
			ix.addOffer(r, o)
		}
	}
	slices.SortFunc(ix.byID, func(a, b int32) int { return strings.Compare(ix.ids[a], ix.ids[b]) })
	for stem := range ix.byStem {
		ix.stems = append(ix.stems, stem)
	}
	slices.Sort(ix.stems)
	return ix
}

func (ix *matchIndex) addOffer(r int32, o allotment.SupplyOffer) {
	oi := int32(len(ix.offers))
	mo := matchOffer{structure: r, scope: o.Area.Scope, radiusKM: o.Area.RadiusKM, capacity: amountOf(o.CapacityEUR),
		zoneFrom: int32(len(ix.offerZones))}
	if half := o.Area.RadiusKM / (2 * earthRadiusKM); half < math.Pi/2 {
		mo.reach = math.Sin(half) * math.Sin(half)
	} else {
		mo.reach = 1
	}
	if o.Area.Scope == domain.ScopeZones {
		for _, s := range o.Area.Zones {
			// A malformed zone covers nothing (domain.Area.Covers), so it is left out.
			if z, err := domain.ParseZone(s); err == nil {
				id, ok := ix.zoneID[z]
				if !ok {
					id = int32(len(ix.zoneID))
					ix.zoneID[z] = id
				}
				ix.offerZones = append(ix.offerZones, id)
			}
		}
	}
	mo.zoneTo = int32(len(ix.offerZones))
	ix.offers = append(ix.offers, mo)
	var seen []string
	for _, code := range o.CPVCodes {
		if stem := domain.CPVPrefix(code); stem != "" && !slices.Contains(seen, stem) {
			seen = append(seen, stem)
			ix.byStem[stem] = append(ix.byStem[stem], oi)
		}
	}
}

func amountOf(v *int64) int64 {
	if v == nil {
		return unknownAmount
	}
	return *v
}

func inclusionClasses(kinds []string) uint8 {
	var c uint8
	for _, k := range kinds {
		if slices.Contains(domain.DisabilityEmployerKinds, k) {
			c |= kindDisability
		}
		if slices.Contains(domain.SIAEKinds, k) {
			c |= kindSIAE
		}
	}
	return c
}

// rankOf finds a structure by id.
func (ix *matchIndex) rankOf(id string) (int32, bool) {
	i := sort.Search(len(ix.byID), func(i int) bool { return ix.ids[ix.byID[i]] >= id })
	if i < len(ix.byID) && ix.ids[ix.byID[i]] == id {
		return ix.byID[i], true
	}
	return 0, false
}

// lotQuery is a lot's need as the index tests it, the same criteria as domain.MatchLot.
type lotQuery struct {
	prefixes    []string
	places      []domain.CommunePlace
	minTurnover int64 // 0: no minimum
	annual      int64 // unknownAmount: unknown annual value
	reservation domain.Reservation
	today       time.Time
}

func lotQueryOf(n domain.LotNeed, today time.Time) lotQuery {
	q := lotQuery{places: n.Places, annual: amountOf(n.AnnualValueEUR), reservation: n.Reservation, today: today}
	if n.MinTurnoverEUR != nil && *n.MinTurnoverEUR > 0 {
		q.minTurnover = *n.MinTurnoverEUR
	}
	for _, code := range n.CPVCodes {
		if p := domain.CPVPrefix(code); p != "" && !slices.Contains(q.prefixes, p) {
			q.prefixes = append(q.prefixes, p)
		}
	}
	return q
}

// match returns the ranks of the structures that can answer the lot, leaving out those in skip (nil: none).
func (ix *matchIndex) match(q *lotQuery, skip bitSet) bitSet {
	matched := newBitSet(len(ix.ids))
	refused := newBitSet(len(ix.ids))
	if skip != nil {
		copy(refused, skip)
	}
	// placeZones[j] are the ids of the zones that contain commune j (at most one per zone kind).
	placeZones := make([][4]int32, len(q.places))
	placeUnits := make([]unitVector, len(q.places))
	for j, p := range q.places {
		placeUnits[j] = unitVectorOf(p.Centre)
		for k, z := range [4]domain.Zone{{Kind: domain.ZoneCommune, Code: p.INSEE}, {Kind: domain.ZoneDepartment, Code: p.Department},
			{Kind: domain.ZoneRegion, Code: p.Region}, {Kind: domain.ZoneEPCI, Code: p.EPCI}} {
			placeZones[j][k] = -1
			if id, ok := ix.zoneID[z]; ok && z.Code != "" {
				placeZones[j][k] = id
			}
		}
	}
	visit := func(offers []int32) {
		for _, oi := range offers {
			o := &ix.offers[oi]
			r := o.structure
			if matched.has(r) || refused.has(r) {
				continue
			}
			if !ix.eligible(r, q) {
				refused.set(r)
				continue
			}
			if o.capacity != unknownAmount && q.annual != unknownAmount && o.capacity < q.annual {
				continue
			}
			if ix.coversAll(o, placeZones, placeUnits, q.places) {
				matched.set(r)
			}
		}
	}
	for _, p := range q.prefixes {
		// Offers under the lot's code…
		for i := sort.SearchStrings(ix.stems, p); i < len(ix.stems) && strings.HasPrefix(ix.stems[i], p); i++ {
			visit(ix.byStem[ix.stems[i]])
		}
		// …and above it, down from the group (a division-wide offer says too little).
		for n := 3; n < len(p); n++ {
			visit(ix.byStem[p[:n]])
		}
	}
	return matched
}

// eligible applies the structure's criteria: turnover and reservation (domain.MatchLot, domain.ReservationEligible).
func (ix *matchIndex) eligible(r int32, q *lotQuery) bool {
	if q.minTurnover > 0 && ix.turnover[r] < q.minTurnover {
		return false
	}
	switch q.reservation {
	case domain.ReservationNone, "":
		return true
	case domain.ReservationDisabled:
		return ix.kinds[r]&kindDisability != 0
	case domain.ReservationSIAE:
		return ix.kinds[r]&kindSIAE != 0
	case domain.ReservationBoth:
		return ix.kinds[r] != 0
	case domain.ReservationESS:
		return !domain.ESUSAgreementExpired(ix.esus[r], q.today)
	}
	return false
}

func (ix *matchIndex) coversAll(o *matchOffer, placeZones [][4]int32, placeUnits []unitVector, places []domain.CommunePlace) bool {
	switch o.scope {
	case domain.ScopeCountry:
		return true
	case domain.ScopeRadius:
		r := o.structure
		if ix.location[r] == nil {
			return len(places) == 0
		}
		for j := range places {
			switch h := haversineTerm(&ix.unit[r], &placeUnits[j]); {
			case h <= o.reach*(1-reachMargin):
				continue
			case h > o.reach*(1+reachMargin):
				return false
			}
			if domain.DistanceKM(*ix.location[r], places[j].Centre) > o.radiusKM {
				return false
			}
		}
		return true
	case domain.ScopeZones:
		zones := ix.offerZones[o.zoneFrom:o.zoneTo]
		for j := range places {
			if !containsAny(zones, placeZones[j]) {
				return false
			}
		}
		return true
	}
	return len(places) == 0
}

func containsAny(zones []int32, wanted [4]int32) bool {
	for _, z := range zones {
		if z == wanted[0] || z == wanted[1] || z == wanted[2] || z == wanted[3] {
			return true
		}
	}
	return false
}

// matchView is what a lot match reads: the base index built at load, less the structures changed since, plus a
// small index of those changed structures that are still published.
type matchView struct {
	base    *matchIndex
	removed bitSet // base ranks of the changed structures
	layer   *matchIndex
}

func newMatchView(base *matchIndex, changed map[string]bool, current []allotment.SupplyStructure, extras map[string]matchExtra) *matchView {
	v := &matchView{base: base, removed: newBitSet(len(base.ids)), layer: newMatchIndex(current, extras)}
	for id := range changed {
		if r, ok := base.rankOf(id); ok {
			v.removed.set(r)
		}
	}
	return v
}

// candidates lists the structures that can answer the lot in the SQL matcher's order: first-time bidders first
// when asked, then by name and id.
func (v *matchView) candidates(n domain.LotNeed, today time.Time, firstTimeFirst bool) []MatchCandidate {
	q := lotQueryOf(n, today)
	base := v.base.match(&q, v.removed)
	var layer bitSet
	if v.layer != nil {
		layer = v.layer.match(&q, nil)
	}
	out := make([]MatchCandidate, 0, base.count()+layer.count())
	if !firstTimeFirst {
		return v.merge(out, base, layer, nil)
	}
	out = v.merge(out, base, layer, func(ix *matchIndex, r int32) bool { return ix.firstTime.has(r) })
	return v.merge(out, base, layer, func(ix *matchIndex, r int32) bool { return !ix.firstTime.has(r) })
}

// merge appends the base and layer structures that pass keep, in (name, id) order.
func (v *matchView) merge(out []MatchCandidate, base, layer bitSet, keep func(*matchIndex, int32) bool) []MatchCandidate {
	var fromLayer []int32
	layer.each(func(r int32) {
		if keep == nil || keep(v.layer, r) {
			fromLayer = append(fromLayer, r)
		}
	})
	// at[k] is the base rank before which the layer's k-th structure goes.
	at := make([]int32, len(fromLayer))
	for k, r := range fromLayer {
		name, id := v.layer.names[r], v.layer.ids[r]
		at[k] = int32(sort.Search(len(v.base.ids), func(i int) bool {
			if c := strings.Compare(v.base.names[i], name); c != 0 {
				return c > 0
			}
			return v.base.ids[i] > id
		}))
	}
	k := 0
	base.each(func(r int32) {
		if keep != nil && !keep(v.base, r) {
			return
		}
		for ; k < len(fromLayer) && at[k] <= r; k++ {
			out = append(out, v.layer.candidate(fromLayer[k]))
		}
		out = append(out, v.base.candidate(r))
	})
	for ; k < len(fromLayer); k++ {
		out = append(out, v.layer.candidate(fromLayer[k]))
	}
	return out
}

func (ix *matchIndex) candidate(r int32) MatchCandidate {
	return MatchCandidate{StructureID: ix.ids[r], FirstTime: ix.firstTime.has(r)}
}

// bitSet is a set of small non-negative integers.
type bitSet []uint64

func newBitSet(n int) bitSet { return make(bitSet, (n+63)/64) }

func (b bitSet) set(i int32)      { b[i>>6] |= 1 << (uint(i) & 63) }
func (b bitSet) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

func (b bitSet) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

// each calls f on every member in increasing order.
func (b bitSet) each(f func(int32)) {
	for wi, w := range b {
		for w != 0 {
			f(int32(wi<<6 + bits.TrailingZeros64(w)))
			w &= w - 1
		}
	}
}

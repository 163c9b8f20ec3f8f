package allotment

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// Supply answers which ESS structures could perform parts of a need. The engine asks it once per need, with every
// distinct CPV code and commune of the need, and works out each lot from the answer.
type Supply interface {
	// Candidates returns every structure with an offer related to one of cpvs (same code, an ancestor or a
	// descendant in the CPV tree) whose area reaches one of communes. Candidate.Covers has bit
	// i*len(communes)+j set when some offer related to cpvs[i] reaches communes[j].
	Candidates(cpvs, communes []string) []Candidate
}

// Candidate is one structure that can perform at least one (CPV code, commune) pair of a need.
type Candidate struct {
	StructureID    string
	TurnoverEUR    *int64
	FirstTime      bool
	InclusionKinds []string
	// CapacityEUR is the largest annual capacity declared by the matching offers; nil when one of them declares none.
	CapacityEUR *int64
	Covers      Coverage
}

// Coverage is a bit set over the (CPV code, commune) pairs of a need.
type Coverage []uint64

// NewCoverage returns an empty coverage of n pairs.
func NewCoverage(n int) Coverage { return make(Coverage, (n+63)/64) }

// Set marks pair i as covered.
func (c Coverage) Set(i int) { c[i/64] |= 1 << (uint(i) % 64) }

// Has reports whether pair i is covered.
func (c Coverage) Has(i int) bool { return c[i/64]&(1<<(uint(i)%64)) != 0 }

// Contains reports whether every pair of other is covered by c.
func (c Coverage) Contains(other Coverage) bool {
	for w, bitsOf := range other {
		if bitsOf&^c[w] != 0 {
			return false
		}
	}
	return true
}

// Intersects reports whether c and other share a pair.
func (c Coverage) Intersects(other Coverage) bool {
	for w, bitsOf := range other {
		if bitsOf&c[w] != 0 {
			return true
		}
	}
	return false
}

func (c Coverage) countWithin(mask Coverage) int {
	n := 0
	for w, bitsOf := range mask {
		n += bits.OnesCount64(bitsOf & c[w])
	}
	return n
}

// CommunePlace is what the engine and the memory supply need to know of a commune.
type CommunePlace struct {
	Name       string
	Centre     domain.GeoPoint
	Department string
	Region     string
	EPCI       string
}

// CommunePlaces looks a commune up by its INSEE code.
type CommunePlaces func(insee string) (CommunePlace, bool)

// SupplyStructure is a structure as the memory supply indexes it.
type SupplyStructure struct {
	ID             string
	Location       *domain.GeoPoint
	TurnoverEUR    *int64
	FirstTime      bool
	InclusionKinds []string
	Offers         []SupplyOffer
}

// SupplyOffer is one offer of a structure: its CPV codes, its area and its annual capacity (nil: not declared).
type SupplyOffer struct {
	CPVCodes    []string
	Area        domain.Area
	CapacityEUR *int64
}

// SupplyStructureFrom keeps from a directory structure what the memory supply needs.
func SupplyStructureFrom(s domain.Structure) SupplyStructure {
	out := SupplyStructure{ID: s.ID, Location: s.Location, TurnoverEUR: s.AnnualTurnoverEUR,
		FirstTime: s.FirstTime(), InclusionKinds: s.InclusionKinds}
	for _, o := range s.Offers {
		out.Offers = append(out.Offers, SupplyOffer{CPVCodes: o.CPVCodes, Area: o.Area, CapacityEUR: o.CapacityEUR})
	}
	return out
}

// MemorySupply is an in-memory Supply indexed by CPV prefix; it is read-only once built and safe for concurrent use.
type MemorySupply struct {
	structures []SupplyStructure
	offers     []indexedOffer
	// under lists the offers with a code at or below each CPV prefix ("7731" → offers coded 77310000, 77311000…).
	under map[string][]int32
	// exact lists the offers with exactly that CPV prefix, to find offers broader than the code asked for.
	exact  map[string][]int32
	places CommunePlaces
}

type indexedOffer struct {
	structure int32
	area      domain.Area
	capacity  *int64
}

// NewMemorySupply indexes the structures; places gives the centre and the administrative zones of a commune.
func NewMemorySupply(structures []SupplyStructure, places CommunePlaces) *MemorySupply {
	m := &MemorySupply{structures: structures, under: map[string][]int32{}, exact: map[string][]int32{},
		places: places}
	for si, s := range structures {
		for _, o := range s.Offers {
			oi := int32(len(m.offers))
			m.offers = append(m.offers, indexedOffer{structure: int32(si), area: o.Area, capacity: o.CapacityEUR})
			for _, code := range o.CPVCodes {
				stem := cpvStem(code)
				if stem == "" {
					continue
				}
				m.exact[stem] = appendOnce(m.exact[stem], oi)
				for n := 2; n <= len(stem); n++ {
					m.under[stem[:n]] = appendOnce(m.under[stem[:n]], oi)
				}
			}
		}
	}
	return m
}

func appendOnce(list []int32, v int32) []int32 {
	if len(list) > 0 && list[len(list)-1] == v {
		return list
	}
	return append(list, v)
}

type communeZones struct {
	known  bool
	centre domain.GeoPoint
	tags   [4]string
}

// Candidates implements Supply.
func (m *MemorySupply) Candidates(cpvs, communes []string) []Candidate {
	zones := make([]communeZones, len(communes))
	for j, c := range communes {
		if p, ok := m.places(c); ok {
			zones[j] = communeZones{known: true, centre: p.Centre,
				tags: [4]string{"commune:" + c, "departement:" + p.Department, "region:" + p.Region, "epci:" + p.EPCI}}
		}
	}
	reach := map[int32]Coverage{} // offer → communes it reaches, computed once per query
	byStructure := map[int32]int{}
	var out []Candidate
	pairs := len(cpvs) * len(communes)
	for i, code := range cpvs {
		for _, oi := range m.relatedOffers(cpvStem(code)) {
			r, seen := reach[oi]
			if !seen {
				r = m.reachOf(oi, zones)
				reach[oi] = r
			}
			if r == nil {
				continue
			}
			o := m.offers[oi]
			ci, ok := byStructure[o.structure]
			if !ok {
				s := m.structures[o.structure]
				ci = len(out)
				byStructure[o.structure] = ci
				out = append(out, Candidate{StructureID: s.ID, TurnoverEUR: s.TurnoverEUR, FirstTime: s.FirstTime,
					InclusionKinds: s.InclusionKinds, CapacityEUR: o.capacity, Covers: NewCoverage(pairs)})
			} else {
				out[ci].CapacityEUR = largerCapacity(out[ci].CapacityEUR, o.capacity)
			}
			for j := range communes {
				if r.Has(j) {
					out[ci].Covers.Set(i*len(communes) + j)
				}
			}
		}
	}
	return out
}

// relatedOffers lists offers coded at or below stem, then those coded at one of its ancestors.
func (m *MemorySupply) relatedOffers(stem string) []int32 {
	if stem == "" {
		return nil
	}
	out := m.under[stem]
	for n := 2; n < len(stem); n++ {
		if broader := m.exact[stem[:n]]; len(broader) > 0 {
			out = append(slices.Clip(out), broader...)
		}
	}
	return out
}

// reachOf returns the communes offer oi reaches, nil when it reaches none.
func (m *MemorySupply) reachOf(oi int32, zones []communeZones) Coverage {
	o := m.offers[oi]
	var r Coverage
	for j, z := range zones {
		if !z.known || !reaches(o.area, m.structures[o.structure].Location, z) {
			continue
		}
		if r == nil {
			r = NewCoverage(len(zones))
		}
		r.Set(j)
	}
	return r
}

func reaches(a domain.Area, from *domain.GeoPoint, z communeZones) bool {
	switch a.Scope {
	case domain.ScopeCountry:
		return true
	case domain.ScopeRadius:
		return from != nil && distanceKM(*from, z.centre) <= a.RadiusKM
	case domain.ScopeZones:
		for _, zone := range a.Zones {
			if slices.Contains(z.tags[:], zone) {
				return true
			}
		}
	}
	return false
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

// cpvStem returns the significant digits of a CPV code ("77310000-6" → "7731"), at least the two of the division;
// "" when the code is not eight digits.
func cpvStem(code string) string {
	digits, _, _ := strings.Cut(code, "-")
	if len(digits) != 8 {
		return ""
	}
	for _, r := range digits {
		if r < '0' || r > '9' {
			return ""
		}
	}
	stem := strings.TrimRight(digits, "0")
	if len(stem) < 2 {
		stem = digits[:2]
	}
	return stem
}

// cpvLevelKey returns the first n digits of a code: 2 for its division, 3 its group, 4 its class.
func cpvLevelKey(code string, n int) string {
	if len(code) < n {
		return code
	}
	return code[:n]
}

const earthRadiusKM = 6371.0

func distanceKM(a, b domain.GeoPoint) float64 {
	la1, la2 := a.Lat*math.Pi/180, b.Lat*math.Pi/180
	dLat := la2 - la1
	dLon := (b.Lon - a.Lon) * math.Pi / 180
	h := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(la1)*math.Cos(la2)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthRadiusKM * math.Asin(math.Sqrt(math.Min(1, h)))
}

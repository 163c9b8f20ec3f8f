package allotment

import (
	"math"
	"math/bits"
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

// or adds every pair of other to c.
func (c Coverage) or(other Coverage) {
	for w, bitsOf := range other {
		c[w] |= bitsOf
	}
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

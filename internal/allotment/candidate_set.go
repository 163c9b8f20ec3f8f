package allotment

import (
	"math/bits"
	"slices"
)

// candidateSet is a bit set over the candidates of a need (bit ci for p.candidates[ci]). Lots are evaluated by
// AND-ing the sets of their lines: on a dense directory a line has tens of thousands of coverers, and a word of
// the set stands for 64 of them where merging sorted lists touched each one.
type candidateSet []uint64

func candidateSets(n, candidates int) []candidateSet {
	words := (candidates + 63) / 64
	slab := make([]uint64, n*words)
	out := make([]candidateSet, n)
	for i := range out {
		out[i] = slab[i*words : (i+1)*words : (i+1)*words]
	}
	return out
}

func (s candidateSet) add(ci int) { s[ci/64] |= 1 << (uint(ci) % 64) }

func (s candidateSet) has(ci int) bool { return s[ci/64]&(1<<(uint(ci)%64)) != 0 }

func (s candidateSet) count() int {
	n := 0
	for _, word := range s {
		n += bits.OnesCount64(word)
	}
	return n
}

// appendMembers appends the members of s to dst in ascending order.
func (s candidateSet) appendMembers(dst []int32) []int32 {
	dst = slices.Grow(dst, s.count())
	for w, word := range s {
		for ; word != 0; word &= word - 1 {
			dst = append(dst, int32(w*64+bits.TrailingZeros64(word)))
		}
	}
	return dst
}

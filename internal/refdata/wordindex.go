package refdata

import (
	"math/bits"
	"slices"
	"strings"
)

// bitset marks items of a catalog table by index. Matches of each query word are collected in one so that
// intersecting words costs the table size / 64, whatever the number of matches.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

func (s bitset) set(i int)      { s[i/64] |= 1 << (uint(i) % 64) }
func (s bitset) has(i int) bool { return s[i/64]&(1<<(uint(i)%64)) != 0 }

func (s bitset) and(o bitset) {
	for i := range s {
		s[i] &= o[i]
	}
}

func (s bitset) each(f func(i int)) {
	for w, word := range s {
		for word != 0 {
			f(w*64 + bits.TrailingZeros64(word))
			word &= word - 1
		}
	}
}

// wordIndex maps the folded words of a text column to the items holding them. Words are kept sorted so that a
// prefix is a contiguous range, and grouped by a light stem so that "creche" also finds "creches". Postings are
// item lists rather than bitsets: most words occur in few items, and bitsets per word would cost megabytes.
type wordIndex struct {
	size     int
	words    []string
	postings [][]int32
	stems    map[string][]int32 // stem → indexes into words
}

func newWordIndex(texts [][]string) *wordIndex {
	byWord := map[string][]int32{}
	for item, words := range texts {
		for _, w := range words {
			if l := byWord[w]; len(l) == 0 || l[len(l)-1] != int32(item) {
				byWord[w] = append(l, int32(item))
			}
		}
	}
	ix := &wordIndex{size: len(texts), words: make([]string, 0, len(byWord)), stems: map[string][]int32{}}
	for w := range byWord {
		ix.words = append(ix.words, w)
	}
	slices.Sort(ix.words)
	ix.postings = make([][]int32, len(ix.words))
	for i, w := range ix.words {
		ix.postings[i] = slices.Clip(byWord[w])
		ix.stems[stem(w)] = append(ix.stems[stem(w)], int32(i))
	}
	return ix
}

// stem strips a French plural mark so that singular and plural forms meet; it is deliberately crude, as the
// search only needs "crèche" and "crèches" to match, not linguistic accuracy.
func stem(w string) string {
	if len(w) > 3 && (w[len(w)-1] == 's' || w[len(w)-1] == 'x') {
		return w[:len(w)-1]
	}
	return w
}

func (ix *wordIndex) mark(m bitset, word int) {
	for _, item := range ix.postings[word] {
		m.set(int(item))
	}
}

// markWhole marks the items holding the word w or another form of it with the same stem.
func (ix *wordIndex) markWhole(m bitset, w string) {
	for _, i := range ix.stems[stem(w)] {
		ix.mark(m, int(i))
	}
}

// markPrefixed marks the items holding a word that starts with p, or a form of p with the same stem.
func (ix *wordIndex) markPrefixed(m bitset, p string) {
	ix.markWhole(m, p)
	i, _ := slices.BinarySearch(ix.words, p)
	for ; i < len(ix.words) && strings.HasPrefix(ix.words[i], p); i++ {
		ix.mark(m, i)
	}
}

// whole returns the items holding the word w or another form of it.
func (ix *wordIndex) whole(w string) bitset {
	m := newBitset(ix.size)
	ix.markWhole(m, w)
	return m
}

// match marks the items holding every query word: whole words, except the last one which may be a prefix since
// the user is still typing it. Words in skip are ignored unless last, so "travaux de menuiserie" finds
// "Travaux en menuiserie" as well. A word with an entry in aliases also matches its alias as a whole word
// ("st" → "saint").
func (ix *wordIndex) match(query []string, skip map[string]bool, aliases map[string]string) bitset {
	var m bitset
	for i, w := range query {
		last := i == len(query)-1
		if !last && skip[w] {
			continue
		}
		words := newBitset(ix.size)
		if last {
			ix.markPrefixed(words, w)
		} else {
			ix.markWhole(words, w)
		}
		if alias, ok := aliases[w]; ok {
			ix.markWhole(words, alias)
		}
		if m == nil {
			m = words
		} else {
			m.and(words)
		}
	}
	if m == nil {
		m = newBitset(ix.size)
	}
	return m
}

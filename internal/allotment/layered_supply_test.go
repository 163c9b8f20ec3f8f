package allotment

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestLayeredSupplyMatchesRebuiltSupply changes, removes and adds structures over a base and checks that the
// layered supply answers exactly what a supply rebuilt from the final directory answers.
func TestLayeredSupplyMatchesRebuiltSupply(t *testing.T) {
	f := loadFixtures(t)
	before := syntheticDirectory(f, 1200, 7)
	base := NewMemorySupply(before, f.lookup)
	others := syntheticDirectory(f, 300, 8) // new offers for changed structures and new structures
	changed := map[string]bool{}
	var current, final []SupplyStructure
	for i, s := range before {
		switch i % 10 {
		case 0: // removed (deleted, unpublished or suspended)
			changed[s.ID] = true
		case 1: // rewritten with another structure's offers and place
			n := others[i%len(others)]
			n.ID = s.ID
			changed[s.ID] = true
			current = append(current, n)
			final = append(final, n)
		default:
			final = append(final, s)
		}
	}
	for i, s := range others[:50] {
		s.ID = "new-" + s.ID + "-" + string(rune('a'+i%26))
		changed[s.ID] = true
		current = append(current, s)
		final = append(final, s)
	}
	layered := NewLayeredSupply(base, changed, current, f.lookup)
	rebuilt := NewMemorySupply(final, f.lookup)
	rng := rand.New(rand.NewPCG(4, 4))
	for range 30 {
		cpvs, communes := needKeys(syntheticNeed(f, rng, 1+rng.IntN(15)))
		got, want := layered.Candidates(cpvs, communes), rebuilt.Candidates(cpvs, communes)
		byID := func(a, b Candidate) int { return strings.Compare(a.StructureID, b.StructureID) }
		slices.SortFunc(got, byID)
		if len(got) != len(want) {
			t.Fatalf("%d candidates, want %d", len(got), len(want))
		}
		for k := range got {
			if got[k].StructureID != want[k].StructureID || !slices.Equal(got[k].Covers, want[k].Covers) {
				t.Fatalf("candidate %d: %s %v, want %s %v", k, got[k].StructureID, got[k].Covers,
					want[k].StructureID, want[k].Covers)
			}
		}
	}
}

func needKeys(n Need) (cpvs, communes []string) {
	for _, l := range n.Lines {
		if !slices.Contains(cpvs, l.CPV) {
			cpvs = append(cpvs, l.CPV)
		}
		for _, c := range l.Communes {
			if !slices.Contains(communes, c) {
				communes = append(communes, c)
			}
		}
	}
	return cpvs, communes
}

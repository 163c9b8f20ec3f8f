package allotment

// LayeredSupply is a Supply made of a large base built once and a small layer of the structures that changed
// since: the base's answers for changed structures are dropped and the layer's answers added. A directory that
// changes a few structures at a time stays exact without re-indexing every structure; rebuilding the layer costs
// only the changed structures. It is read-only once built and safe for concurrent use.
type LayeredSupply struct {
	base    *MemorySupply
	changed map[string]bool
	layer   *MemorySupply
}

// NewLayeredSupply layers over base the current state of the changed structures: changed holds the IDs of every
// structure written or removed since base was built, current the ones that still belong to the supply (a subset).
func NewLayeredSupply(base *MemorySupply, changed map[string]bool, current []SupplyStructure, places CommunePlaces) *LayeredSupply {
	return &LayeredSupply{base: base, changed: changed, layer: NewMemorySupply(current, places)}
}

// Candidates implements Supply.
func (l *LayeredSupply) Candidates(cpvs, communes []string) []Candidate {
	out := l.base.Candidates(cpvs, communes)
	if len(l.changed) == 0 {
		return out
	}
	kept := out[:0]
	for _, c := range out {
		if !l.changed[c.StructureID] {
			kept = append(kept, c)
		}
	}
	return append(kept, l.layer.Candidates(cpvs, communes)...)
}

// Len returns how many structures the supply holds.
func (m *MemorySupply) Len() int { return len(m.structures) }

package allotment

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

func TestCPVStem(t *testing.T) {
	for code, want := range map[string]string{
		"77310000-6": "7731", "45000000-7": "45", "60000000-8": "60", "03110000-5": "0311", "15894200-3": "158942",
		"7731000-6": "", "7731000a-6": "", "": "",
	} {
		if got := cpvStem(code); got != want {
			t.Errorf("cpvStem(%q) = %q, want %q", code, got, want)
		}
	}
}

// naiveCandidates is the definition MemorySupply must match: every structure, every offer, every pair.
func naiveCandidates(structures []SupplyStructure, places CommunePlaces, cpvs, communes []string) map[string]Coverage {
	related := func(a, b string) bool {
		sa, sb := cpvStem(a), cpvStem(b)
		return sa != "" && sb != "" && (strings.HasPrefix(sa, sb) || strings.HasPrefix(sb, sa))
	}
	out := map[string]Coverage{}
	for _, s := range structures {
		for _, o := range s.Offers {
			for i, need := range cpvs {
				if !slices.ContainsFunc(o.CPVCodes, func(c string) bool { return related(c, need) }) {
					continue
				}
				for j, c := range communes {
					p, ok := places(c)
					if !ok {
						continue
					}
					reach := false
					switch o.Area.Scope {
					case domain.ScopeCountry:
						reach = true
					case domain.ScopeRadius:
						reach = s.Location != nil && distanceKM(*s.Location, p.Centre) <= o.Area.RadiusKM
					case domain.ScopeZones:
						for _, z := range o.Area.Zones {
							reach = reach || z == "commune:"+c || z == "departement:"+p.Department ||
								z == "region:"+p.Region || z == "epci:"+p.EPCI
						}
					}
					if reach {
						if out[s.ID] == nil {
							out[s.ID] = NewCoverage(len(cpvs) * len(communes))
						}
						out[s.ID].Set(i*len(communes) + j)
					}
				}
			}
		}
	}
	return out
}

func TestMemorySupplyMatchesNaiveDefinition(t *testing.T) {
	f := loadFixtures(t)
	structures := syntheticDirectory(f, 1500, 99)
	// Radii beyond the grid and structures without a location take the slow paths.
	structures[0].Offers[0].Area = domain.Area{Scope: domain.ScopeRadius, RadiusKM: 400}
	structures[1].Location = nil
	supply := NewMemorySupply(structures, f.lookup)
	rng := rand.New(rand.NewPCG(1, 2))
	for range 40 {
		need := syntheticNeed(f, rng, 1+rng.IntN(12))
		var cpvs, communes []string
		for _, l := range need.Lines {
			if !slices.Contains(cpvs, l.CPV) {
				cpvs = append(cpvs, l.CPV)
			}
			for _, c := range l.Communes {
				if !slices.Contains(communes, c) {
					communes = append(communes, c)
				}
			}
		}
		want := naiveCandidates(structures, f.lookup, cpvs, communes)
		got := supply.Candidates(cpvs, communes)
		if len(got) != len(want) {
			t.Fatalf("%d candidates, want %d", len(got), len(want))
		}
		for _, c := range got {
			if !slices.Equal(c.Covers, want[c.StructureID]) {
				t.Fatalf("%s covers %v, want %v", c.StructureID, c.Covers, want[c.StructureID])
			}
		}
	}
}

// Queries recycle their scratch arrays: concurrent queries must still answer exactly what a lone query does.
func TestMemorySupplyConcurrentQueriesAgree(t *testing.T) {
	f := loadFixtures(t)
	supply := NewMemorySupply(syntheticDirectory(f, 1500, 7), f.lookup)
	rng := rand.New(rand.NewPCG(3, 4))
	type query struct{ cpvs, communes []string }
	var queries []query
	var want [][]Candidate
	for range 12 {
		cpvs, communes := needKeys(syntheticNeed(f, rng, 1+rng.IntN(12)))
		queries = append(queries, query{cpvs, communes})
		want = append(want, supply.Candidates(cpvs, communes))
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(queries))
	for g := range 4 {
		wg.Go(func() {
			for k := range queries {
				q := (k + g) % len(queries)
				if got := supply.Candidates(queries[q].cpvs, queries[q].communes); !reflect.DeepEqual(got, want[q]) {
					errs <- fmt.Sprintf("goroutine %d, query %d: %d candidates differ from the lone answer (%d)", g, q, len(got), len(want[q]))
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

package allotment

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/essor-ess/essor/internal/domain"
)

// partition is one candidate split: each lot lists line indexes, every line is in exactly one lot.
type partition struct {
	strategy string
	lots     [][]int
}

// Strategy names, as returned in Alternative.Strategy; repaired variants end in "+repaired".
const (
	StrategySingle      = "single"
	StrategyCPVDivision = "cpv_division"
	StrategyCPVGroup    = "cpv_group"
	StrategyCPVClass    = "cpv_class"
	strategySectors     = "sectors_"
	repairedSuffix      = "+repaired"
	maxSectors          = 5
)

var cpvLevels = []struct {
	strategy string
	digits   int
}{{StrategyCPVDivision, 2}, {StrategyCPVGroup, 3}, {StrategyCPVClass, 4}}

// partitions lists every distinct candidate split: single, by CPV level, by sector, CPV × sector, and repairs.
func (p *prepared) partitions() []partition {
	n := len(p.need.Lines)
	out := []partition{{StrategySingle, [][]int{allLines(n)}}}
	for _, lvl := range cpvLevels {
		out = append(out, partition{lvl.strategy, groupLines(n, func(i int) string {
			return cpvLevelKey(p.need.Lines[i].CPV, lvl.digits)
		})})
	}
	sectors := p.sectors(maxSectors)
	for k := 2; k <= maxSectors; k++ {
		if sector, ok := sectors[k]; ok {
			out = append(out, partition{strategySectors + strconv.Itoa(k), groupLines(n, func(i int) string {
				return strconv.Itoa(sector[i])
			})})
		}
	}
	for _, lvl := range []int{0, 2} {
		for k := 2; k <= 3; k++ {
			sector, ok := sectors[k]
			if !ok {
				continue
			}
			out = append(out, partition{cpvLevels[lvl].strategy + "_x_" + strategySectors + strconv.Itoa(k),
				groupLines(n, func(i int) string {
					return cpvLevelKey(p.need.Lines[i].CPV, cpvLevels[lvl].digits) + "/" + strconv.Itoa(sector[i])
				})})
		}
	}
	for _, part := range slices.Clone(out[1:]) {
		out = append(out, partition{part.strategy + repairedSuffix, p.repair(part.lots)})
	}
	return distinctPartitions(out)
}

// groupLines puts lines with the same key in one lot, lots in the order of their first line.
func groupLines(n int, key func(int) string) [][]int {
	index := map[string]int{}
	var lots [][]int
	for i := range n {
		k := key(i)
		li, ok := index[k]
		if !ok {
			li = len(lots)
			index[k] = li
			lots = append(lots, nil)
		}
		lots[li] = append(lots[li], i)
	}
	return lots
}

func distinctPartitions(parts []partition) []partition {
	seen := map[string]bool{}
	var out []partition
	for _, part := range parts {
		normalise(part.lots)
		var sig []byte
		for _, lot := range part.lots {
			sig = append(sig, lotKey(lot)...)
			sig = append(sig, '|')
		}
		if seen[string(sig)] {
			continue
		}
		seen[string(sig)] = true
		out = append(out, part)
	}
	return out
}

func normalise(lots [][]int) {
	for _, lot := range lots {
		slices.Sort(lot)
	}
	slices.SortFunc(lots, func(a, b []int) int { return cmp.Compare(a[0], b[0]) })
}

// sectors clusters the need's communes by average-linkage agglomeration (deterministic, unlike k-means) and
// returns, for each number of sectors k ≥ 2 the communes allow, the sector of every line; a line whose communes
// fall in several sectors is "transversal" (sector -1) and is never cut up or forced into one sector. Needs with
// more than maxClusterPoints communes are clustered on line centres instead, to bound the cubic cost.
func (p *prepared) sectors(maxK int) map[int][]int {
	pointsOfLine := make([][]int, len(p.need.Lines))
	var points []domain.GeoPoint
	if len(p.communes) <= maxClusterPoints {
		index := map[string]int{}
		for i, l := range p.need.Lines {
			for _, c := range l.Communes {
				pi, ok := index[c]
				if !ok {
					pi = len(points)
					index[c] = pi
					points = append(points, p.places[c].Centre)
				}
				pointsOfLine[i] = append(pointsOfLine[i], pi)
			}
		}
	} else {
		for i, c := range p.lineCentre {
			pointsOfLine[i] = []int{len(points)}
			points = append(points, c)
		}
	}
	out := map[int][]int{}
	for k, cluster := range agglomerate(points, maxK) {
		sector := make([]int, len(pointsOfLine))
		for i, pts := range pointsOfLine {
			sector[i] = cluster[pts[0]]
			for _, pi := range pts[1:] {
				if cluster[pi] != sector[i] {
					sector[i] = -1
					break
				}
			}
		}
		out[k] = sector
	}
	return out
}

const maxClusterPoints = 300

// agglomerate merges the closest clusters (average linkage) until one is left and returns, for each k from 2 to
// maxK, the cluster of every point (the lowest point index in it).
func agglomerate(points []domain.GeoPoint, maxK int) map[int][]int {
	n := len(points)
	dist := make([][]float64, n)
	for a := range n {
		dist[a] = make([]float64, n)
		for b := range a {
			dist[a][b] = distanceKM(points[a], points[b])
			dist[b][a] = dist[a][b]
		}
	}
	cluster := allLines(n)
	size := make([]int, n)
	alive := make([]bool, n)
	for i := range n {
		size[i], alive[i] = 1, true
	}
	out := map[int][]int{}
	for clusters := n; clusters > 1; clusters-- {
		if clusters <= maxK {
			out[clusters] = slices.Clone(cluster)
		}
		a, b := closestPair(dist, alive)
		for k := range n { // Lance-Williams update for average linkage
			if alive[k] && k != a && k != b {
				d := (float64(size[a])*dist[a][k] + float64(size[b])*dist[b][k]) / float64(size[a]+size[b])
				dist[a][k], dist[k][a] = d, d
			}
		}
		size[a] += size[b]
		alive[b] = false
		for i := range cluster {
			if cluster[i] == b {
				cluster[i] = a
			}
		}
	}
	return out
}

func closestPair(dist [][]float64, alive []bool) (int, int) {
	best, ba, bb := math.Inf(1), -1, -1
	for a := range dist {
		if !alive[a] {
			continue
		}
		for b := a + 1; b < len(dist); b++ {
			if alive[b] && dist[a][b] < best {
				best, ba, bb = dist[a][b], a, b
			}
		}
	}
	return ba, bb
}

// repair splits lots no ESS structure can reach, then merges lots too small to attract anyone.
func (p *prepared) repair(lots [][]int) [][]int {
	var out [][]int
	for _, lot := range lots {
		if len(lot) > 1 && len(p.evaluate(lot).eligible) == 0 {
			out = append(out, p.splitUnreachable(lot)...)
			continue
		}
		out = append(out, slices.Clone(lot))
	}
	return p.mergeSmall(out)
}

// splitUnreachable regroups a lot's lines, largest first, into sub-lots that each keep at least one eligible
// structure; lines nobody can perform even alone stay together in one remainder lot.
func (p *prepared) splitUnreachable(lot []int) [][]int {
	order := slices.Clone(lot)
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(p.cents[b], p.cents[a]) })
	var groups [][]int
	var remainder []int
	for _, line := range order {
		best, bestN := -1, 0
		for g, group := range groups {
			trial := sortedWith(group, line)
			if n := len(p.evaluate(trial).eligible); n > bestN {
				best, bestN = g, n
			}
		}
		switch {
		case best >= 0:
			groups[best] = sortedWith(groups[best], line)
		case len(p.evaluate([]int{line}).eligible) > 0:
			groups = append(groups, []int{line})
		default:
			remainder = append(remainder, line)
		}
	}
	if len(remainder) > 0 {
		slices.Sort(remainder)
		groups = append(groups, remainder)
	}
	return groups
}

func sortedWith(group []int, line int) []int {
	out := append(slices.Clone(group), line)
	slices.Sort(out)
	return out
}

// mergeSmall merges, smallest first, every lot whose annual value is under the floor into the lot that keeps the
// most eligible structures once merged (the nearest one on a tie).
func (p *prepared) mergeSmall(lots [][]int) [][]int {
	for len(lots) > 1 {
		small := -1
		for i, lot := range lots {
			if p.evaluate(sortedCopy(lot)).annual < p.minAnnual &&
				(small < 0 || p.evaluate(sortedCopy(lot)).cents < p.evaluate(sortedCopy(lots[small])).cents) {
				small = i
			}
		}
		if small < 0 {
			break
		}
		target, bestN, bestD := -1, -1, math.Inf(1)
		for j, lot := range lots {
			if j == small {
				continue
			}
			merged := sortedCopy(append(slices.Clone(lot), lots[small]...))
			n := len(p.evaluate(merged).eligible)
			d := distanceKM(p.centreOf(lot), p.centreOf(lots[small]))
			if n > bestN || (n == bestN && d < bestD) {
				target, bestN, bestD = j, n, d
			}
		}
		lots[target] = sortedCopy(append(lots[target], lots[small]...))
		lots = slices.Delete(lots, small, small+1)
	}
	return lots
}

func sortedCopy(lot []int) []int {
	out := slices.Clone(lot)
	slices.Sort(out)
	return out
}

func (p *prepared) centreOf(lot []int) domain.GeoPoint {
	var c domain.GeoPoint
	for _, i := range lot {
		c.Lat += p.lineCentre[i].Lat
		c.Lon += p.lineCentre[i].Lon
	}
	c.Lat /= float64(len(lot))
	c.Lon /= float64(len(lot))
	return c
}

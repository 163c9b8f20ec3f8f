// Command gen writes the quality fixture directory and judges the queries of search/testdata/quality from the
// structures' own facts (their offers' CPV codes, inclusion kinds and coverage), never from any engine's ranking:
//
//	go run ./search/testdata/quality/gen -dir search/testdata/quality
//
// Its output is frozen and reviewed by hand; run it again only to change the fixture on purpose.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// need is what a buyer typing a query expects: structures with an offer coded under one of the CPV prefixes
// (grade by prefix, the best one counts), or whose title says it, optionally of given inclusion kinds and covering
// a commune.
type need struct {
	ID        string   `json:"id"`
	Text      string   `json:"text"`
	Commune   string   `json:"commune,omitempty"` // explicit filter
	CPV       []string `json:"cpv,omitempty"`     // explicit filter
	Why       string   `json:"why"`
	prefixes  map[string]int
	titles    map[string]int // folded words of an offer title → grade
	names     map[string]int // folded words of the structure name → grade
	kinds     []string       // required inclusion kinds (any)
	covers    string         // required coverage (named in the text or filtered)
	kindGrade int            // grade given by the inclusion kind alone (no trade asked)
}

type judged struct {
	need
	Relevant map[string]int `json:"relevant"`
}

func main() {
	dir := flag.String("dir", "search/testdata/quality", "output directory")
	flag.Parse()
	var all []domain.Structure
	next := 0
	err := demo.Generate(demo.Options{Count: 240, Seed: 2026}, 240, func(b []domain.Structure) error {
		for i := range b {
			s := &b[i]
			s.ID = fmt.Sprintf("q%03d", next)
			s.Representatives, s.Contact = nil, domain.Contact{}
			for k := range s.Offers {
				s.Offers[k].ID = fmt.Sprintf("q%03d-%d", next, k)
				s.Offers[k].StructureID = s.ID
			}
			narrowAreas(next, s)
			next++
		}
		all = append(all, b...)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	write(filepath.Join(*dir, "directory.json"), all)
	var out []judged
	for _, n := range needs() {
		j := judged{need: n, Relevant: map[string]int{}}
		for _, s := range all {
			if g := grade(n, s); g > 0 {
				j.Relevant[s.ID] = g
			}
		}
		if len(j.Relevant) == 0 {
			log.Printf("query %s %q has no relevant structure", n.ID, n.Text)
		}
		out = append(out, j)
	}
	write(filepath.Join(*dir, "judgments.json"), out)
}

func write(path string, v any) {
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
}

func grade(n need, s domain.Structure) int {
	if len(n.kinds) > 0 && !slices.ContainsFunc(s.InclusionKinds, func(k string) bool { return slices.Contains(n.kinds, k) }) {
		return 0
	}
	best := 0
	for _, o := range s.Offers {
		if n.covers != "" && !covers(o, s, n.covers) {
			continue
		}
		if len(n.CPV) > 0 && !slices.ContainsFunc(o.CPVCodes, func(c string) bool {
			return slices.ContainsFunc(n.CPV, func(p string) bool { return strings.HasPrefix(c, strings.TrimRight(p[:8], "0")) })
		}) {
			continue
		}
		g := n.kindGrade
		for i, c := range o.CPVCodes {
			for p, pg := range n.prefixes {
				if !strings.HasPrefix(c, p) {
					continue
				}
				if i > 0 {
					pg = max(pg-1, 1) // a secondary code: the offer does this too, it is not what it is about
				}
				g = max(g, pg)
			}
		}
		title := refdata.Fold(o.Title)
		for w, tg := range n.titles {
			if strings.Contains(" "+title+" ", " "+w) {
				g = max(g, tg)
			}
		}
		best = max(best, g)
	}
	if len(n.names) == 0 || (n.covers != "" && !slices.ContainsFunc(s.Offers, func(o domain.Offer) bool { return covers(o, s, n.covers) })) {
		return best
	}
	name := refdata.Fold(s.Name)
	for w, g := range n.names {
		if strings.Contains(" "+name+" ", " "+w) {
			best = max(best, g)
		}
	}
	return best
}

var cat = refdata.Default()

func covers(o domain.Offer, s domain.Structure, insee string) bool {
	c, _ := cat.Commune(insee)
	switch o.Area.Scope {
	case domain.ScopeCountry:
		return true
	case domain.ScopeRadius:
		if s.Location == nil {
			return false
		}
		return haversine(s.Location.Lat, s.Location.Lon, c.Lat, c.Lon) <= o.Area.RadiusKM
	}
	for _, z := range o.Area.Zones {
		if z == "commune:"+insee || z == "departement:"+c.Department || z == "region:"+c.Region || z == "epci:"+c.EPCI {
			return true
		}
	}
	return false
}

func haversine(lat1, lon1, lat2, lon2 float64) float64 {
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 6371 * 2 * math.Atan2(math.Sqrt(a), math.Sqrt(1-a))
}

// narrowAreas is the one hand edit of the demo output: demo offers mostly reach the whole métropole (radii of 10 to
// 60 km, EPCI or département zones), which would make a commune named in a query say nothing. Every second
// structure's radius shrinks to 5 km and every third structure's métropole-wide zone becomes its own commune, so
// that about a third of the offers of a trade do not cover a given commune.
func narrowAreas(i int, s *domain.Structure) {
	for k := range s.Offers {
		a := &s.Offers[k].Area
		switch {
		case a.Scope == domain.ScopeRadius && i%2 == 0:
			a.RadiusKM = 5
		case a.Scope == domain.ScopeZones && i%3 == 1 && slices.Equal(a.Zones, []string{"epci:244400404"}):
			a.Zones = []string{"commune:" + s.Commune}
		}
	}
}

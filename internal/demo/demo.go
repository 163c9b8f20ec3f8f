// Package demo makes up a realistic but fictitious directory of ESS structures of Nantes Métropole, deterministic
// for a seed, for demonstrations, tests and benchmarks.
package demo

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// DefaultCount is the number of structures of a demo directory when Options.Count is zero.
const DefaultCount = 300

// VerifiedBy is the network recorded as having verified demo structures.
const VerifiedBy = "Réseau démo"

// defaultNow anchors dates when Options.Now is zero, so that output depends only on Count and Seed.
var defaultNow = time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)

// Options sets what Generate makes up.
type Options struct {
	// Count is the number of structures (DefaultCount when zero).
	Count int
	// Seed selects the directory; the same seed gives the same structures (1 when zero).
	Seed uint64
	// Now dates creation, verification, awards and ESUS expiry; zero means a fixed date, 2026-11-26.
	Now time.Time
}

// Generate calls emit with successive batches of at most batchSize valid structures, each with 1 to 4 offers (2.3
// on average), published, with empty IDs for the caller to assign. The output depends only on opts. Memory stays
// constant whatever the count: Generate keeps nothing of a batch once emit returns, and hands emit a new slice each
// time, so emit may keep it. An error from emit stops the generation and is returned.
func Generate(opts Options, batchSize int, emit func(batch []domain.Structure) error) error {
	if batchSize < 1 {
		return errors.New("demo: batch size must be at least 1")
	}
	if opts.Count < 0 {
		return errors.New("demo: count must not be negative")
	}
	count := opts.Count
	if count == 0 {
		count = DefaultCount
	}
	g := newGenerator(opts)
	batch := make([]domain.Structure, 0, min(batchSize, count))
	for i := range count {
		batch = append(batch, g.structure(i))
		if len(batch) == batchSize || i == count-1 {
			if err := emit(batch); err != nil {
				return fmt.Errorf("demo: batch ending at structure %d: %w", i, err)
			}
			batch = make([]domain.Structure, 0, min(batchSize, count-i-1))
		}
	}
	return nil
}

// generator holds the state that spans structures: the random stream, the SIREN sequence and how often each name
// was used (bounded by the number of distinct names the templates can make, not by the count).
type generator struct {
	r            *rand.Rand
	now          time.Time
	sirens       sirenSequence
	communeOrder []int
	nameUses     map[string]int
}

func newGenerator(opts Options) *generator {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	now := opts.Now
	if now.IsZero() {
		now = defaultNow
	}
	r := rand.New(rand.NewPCG(seed, 0x5eed_e550_de30))
	return &generator{
		r:            r,
		now:          now.UTC().Truncate(time.Second),
		sirens:       newSirenSequence(r),
		communeOrder: r.Perm(len(communes)),
		nameUses:     make(map[string]int, 2048),
	}
}

// tradeFor places associative cafés and joinery-only structures at fixed positions, so every demo of 100
// structures or more has some for the search scenarios that look for them; the rest is drawn by weight.
func (g *generator) tradeFor(i int) *trade {
	switch {
	case i%50 == 3:
		return tradeByKey(cafeTrade)
	case i%100 == 17:
		return tradeByKey("agencement")
	}
	return &trades[pickIndex(g.r, tradeWeights)]
}

// communeFor visits every commune once in the first 24 structures, then draws by population.
func (g *generator) communeFor(i int) commune {
	if i < len(communes) {
		return communes[g.communeOrder[i]]
	}
	return communes[pickIndex(g.r, communeWeights)]
}

func (g *generator) structure(i int) domain.Structure {
	r := g.r
	t := g.tradeFor(i)
	c := g.communeFor(i)
	kind := ""
	if r.IntN(100) < t.inclusionPct {
		kind = pick(r, t.kinds)
	}
	form, basis := legalFormFor(r, t, kind)
	founded := g.now.Year() - 1 - r.IntN(35)
	w := &wording{at: c.at, of: c.of, commune: c.name, year: strconv.Itoa(founded)}
	w.name = g.name(t, form, kind, w, c)
	siren, siret := g.sirens.identifiers(r, i)
	band, turnover := sizeFor(r, kind)
	domainSlug := slug(w.name)

	s := domain.Structure{
		SIRET:             siret,
		SIREN:             siren,
		Name:              w.name,
		Brand:             brand(r, w.name),
		LegalCategory:     form.code,
		ESSFamily:         familyOf(form),
		ESSBasis:          basis,
		NAFCode:           t.naf[r.IntN(len(t.naf))],
		HeadcountBand:     band,
		AnnualTurnoverEUR: turnover,
		Address:           address(r),
		Postcode:          c.postcodes[r.IntN(len(c.postcodes))],
		Commune:           c.insee,
		Location:          jitteredLocation(r, c),
		Description:       structureDescription(r, t, form, basis, kind, w),
		Contact:           domain.Contact{Email: "contact@" + domainSlug + ".example", Phone: fictionalPhone(r, landlineBlock)},
		Representatives:   representatives(r, domainSlug),
		OpenToCotraitance: r.IntN(4) == 0,
		Status:            domain.StatusPublished,
		Version:           1,
	}
	if kind != "" {
		s.InclusionKinds = []string{kind}
	}
	if basis == domain.BasisESUSAgreement {
		// The agreement lasts five years (two for a young company): an expiry within the next five years.
		expires := g.day(30 + r.IntN(5*365))
		s.ESUSExpiresOn = &expires
	}
	if turnover != nil {
		year := g.now.Year() - 1 - r.IntN(2)
		s.TurnoverYear = &year
	}
	if r.IntN(3) != 0 {
		s.Website = "https://www." + domainSlug + ".example"
	}
	if len(t.labels) > 0 && r.IntN(10) < 3 {
		s.Labels = []string{t.labels[r.IntN(len(t.labels))]}
	}
	g.dates(&s)
	s.Offers = g.offers(t, c, w, &s)
	return s
}

func familyOf(f legalForm) domain.ESSFamily {
	if f.family == "" {
		return domain.FamilyESSCompany
	}
	return f.family
}

// dates sets creation, update, verification and award dates in the past of g.now.
func (g *generator) dates(s *domain.Structure) {
	r := g.r
	s.CreatedAt = g.now.Add(-time.Duration(30*24+r.IntN(1500*24)) * time.Hour).Add(-time.Duration(r.IntN(3600)) * time.Second)
	s.UpdatedAt = s.CreatedAt.Add(time.Duration(r.Int64N(int64(g.now.Sub(s.CreatedAt)))).Truncate(time.Second))
	if r.IntN(10) < 4 {
		verified := s.UpdatedAt.Add(-time.Duration(r.IntN(48)) * time.Hour)
		if verified.Before(s.CreatedAt) {
			verified = s.CreatedAt
		}
		s.VerifiedAt = &verified
		s.VerifiedBy = VerifiedBy
	}
	if r.IntN(100) >= 35 {
		u := r.Float64()
		s.PublicAwardsCount = 1 + int(39*u*u*u)
		last := g.day(-(15 + r.IntN(3*365)))
		s.LastAwardOn = &last
	}
}

// day returns midnight UTC, days after g.now (before it when negative).
func (g *generator) day(days int) time.Time {
	y, m, d := g.now.Date()
	return time.Date(y, m, d+days, 0, 0, 0, 0, time.UTC)
}

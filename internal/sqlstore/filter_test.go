package sqlstore_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// nearReze is 0.5 km from Rezé's centre and 5.7 km from Nantes' centre.
var nearReze = &domain.GeoPoint{Lat: 47.1800, Lon: -1.5450}

func offerOf(kind domain.OfferKind, cpv string, area domain.Area) domain.Offer {
	return domain.Offer{Title: string(kind) + " " + cpv, Kind: kind, CPVCodes: []string{cpv}, Area: area}
}

func zones(z ...string) domain.Area { return domain.Area{Scope: domain.ScopeZones, Zones: z} }

// filterFixture writes ten structures whose names say what they offer and where, and returns the store.
func filterFixture(t *testing.T) *sqlstore.Store {
	t.Helper()
	store := newStore(t)
	n := 0
	add := func(name string, edit func(s *domain.Structure), offers ...domain.Offer) {
		n++
		s := minimalStructure(t, n)
		s.Name = name
		s.ESSFamily = domain.FamilyAssociation
		for _, o := range offers {
			o.ID = newID(t)
			s.Offers = append(s.Offers, o)
		}
		if edit != nil {
			edit(&s)
		}
		mustCreate(t, store, s)
	}
	add("painter-nantes", func(s *domain.Structure) {
		s.InclusionKinds, s.HeadcountBand, s.AnnualTurnoverEUR = []string{"ACI"}, "12", ptr(int64(500_000))
		s.OpenToCotraitance, s.VerifiedAt = true, ptr(at(5))
	}, offerOf(domain.OfferWorks, "45442100-8", zones("commune:44109")))
	add("plumber-dept44", func(s *domain.Structure) {
		s.ESSFamily, s.InclusionKinds, s.HeadcountBand = domain.FamilyCooperative, []string{"EA"}, "21"
		s.AnnualTurnoverEUR, s.PublicAwardsCount = ptr(int64(2_000_000)), 2
	}, offerOf(domain.OfferWorks, "45330000-9", zones("departement:44")))
	add("gardener-reze-10km", func(s *domain.Structure) {
		s.Location, s.HeadcountBand, s.AnnualTurnoverEUR = nearReze, "12", ptr(int64(800_000))
		s.PublicAwardsCount, s.OpenToCotraitance = 1, true
	}, offerOf(domain.OfferService, "77310000-6", domain.Area{Scope: domain.ScopeRadius, RadiusKM: 10}))
	add("gardener-reze-3km", func(s *domain.Structure) { s.Location = nearReze },
		offerOf(domain.OfferService, "77310000-6", domain.Area{Scope: domain.ScopeRadius, RadiusKM: 3}))
	add("supplier-country", func(s *domain.Structure) {
		s.ESSFamily, s.VerifiedAt = domain.FamilyESSCompany, ptr(at(6))
	}, offerOf(domain.OfferSupply, "30192000-1", domain.Area{Scope: domain.ScopeCountry}))
	add("joiner-region53", func(s *domain.Structure) {
		s.ESSFamily, s.AnnualTurnoverEUR = domain.FamilyCooperative, ptr(int64(150_000))
	}, offerOf(domain.OfferWorks, "45421000-4", zones("region:53")))
	add("cleaner-epci-nantes", func(s *domain.Structure) {
		s.InclusionKinds, s.PublicAwardsCount = []string{"ACI", "EI"}, 5
	}, offerOf(domain.OfferService, "90910000-9", zones("epci:244400404")))
	add("draft-builder", func(s *domain.Structure) { s.Status = domain.StatusDraft },
		offerOf(domain.OfferWorks, "45000000-7", domain.Area{Scope: domain.ScopeCountry}))
	add("painter-brest-cleaner-nantes", func(s *domain.Structure) { s.ESSFamily = domain.FamilyMutual },
		offerOf(domain.OfferWorks, "45442100-8", zones("commune:29019")),
		offerOf(domain.OfferService, "90910000-9", zones("commune:44109")))
	add("suspended", func(s *domain.Structure) { s.Status = domain.StatusSuspended })
	return store
}

func TestFindStructuresFilters(t *testing.T) {
	store := filterFixture(t)
	published := []string{"painter-nantes", "plumber-dept44", "gardener-reze-10km", "gardener-reze-3km",
		"supplier-country", "joiner-region53", "cleaner-epci-nantes", "painter-brest-cleaner-nantes"}
	tests := []struct {
		name   string
		filter domain.StructureFilter
		want   []string
	}{
		{"no filter shows the published", domain.StructureFilter{}, published},
		{"drafts on request", domain.StructureFilter{Statuses: []domain.StructureStatus{domain.StatusDraft}}, []string{"draft-builder"}},
		{"several statuses", domain.StructureFilter{Statuses: []domain.StructureStatus{domain.StatusSuspended, domain.StatusDraft}}, []string{"draft-builder", "suspended"}},
		{"CPV division matches descendants", domain.StructureFilter{CPV: []string{"45000000-7"}}, []string{"painter-nantes", "plumber-dept44", "joiner-region53", "painter-brest-cleaner-nantes"}},
		{"CPV group", domain.StructureFilter{CPV: []string{"45400000-1"}}, []string{"painter-nantes", "joiner-region53", "painter-brest-cleaner-nantes"}},
		{"CPV exact code without check digit", domain.StructureFilter{CPV: []string{"45421000"}}, []string{"joiner-region53"}},
		{"CPV parent class", domain.StructureFilter{CPV: []string{"45420000-7"}}, []string{"joiner-region53"}},
		{"CPV sibling class does not match", domain.StructureFilter{CPV: []string{"45422000-1"}}, nil},
		{"CPV any of several", domain.StructureFilter{CPV: []string{"77310000-6", "30192000-1"}}, []string{"gardener-reze-10km", "gardener-reze-3km", "supplier-country"}},
		{"CPV without match", domain.StructureFilter{CPV: []string{"33000000-0"}}, nil},
		{"Nantes by commune, department, radius, country, EPCI", domain.StructureFilter{Commune: "44109"}, []string{"painter-nantes", "plumber-dept44", "gardener-reze-10km", "supplier-country", "cleaner-epci-nantes", "painter-brest-cleaner-nantes"}},
		{"Rezé", domain.StructureFilter{Commune: "44143"}, []string{"plumber-dept44", "gardener-reze-10km", "gardener-reze-3km", "supplier-country", "cleaner-epci-nantes"}},
		{"Saint-Nazaire: same department, other EPCI, 50 km away", domain.StructureFilter{Commune: "44184"}, []string{"plumber-dept44", "supplier-country"}},
		{"Brest by region and commune", domain.StructureFilter{Commune: "29019"}, []string{"supplier-country", "joiner-region53", "painter-brest-cleaner-nantes"}},
		{"unknown commune: nationwide only", domain.StructureFilter{Commune: "99999"}, []string{"supplier-country"}},
		{"CPV and commune hold for the same offer", domain.StructureFilter{CPV: []string{"45442100-8"}, Commune: "44109"}, []string{"painter-nantes"}},
		{"cleaning in Nantes", domain.StructureFilter{CPV: []string{"90900000-6"}, Commune: "44109"}, []string{"cleaner-epci-nantes", "painter-brest-cleaner-nantes"}},
		{"offer kind", domain.StructureFilter{OfferKinds: []domain.OfferKind{domain.OfferSupply}}, []string{"supplier-country"}},
		{"offer kind and commune", domain.StructureFilter{OfferKinds: []domain.OfferKind{domain.OfferWorks}, Commune: "44109"}, []string{"painter-nantes", "plumber-dept44"}},
		{"legal family", domain.StructureFilter{LegalFamilies: []domain.ESSFamily{domain.FamilyCooperative}}, []string{"plumber-dept44", "joiner-region53"}},
		{"legal families", domain.StructureFilter{LegalFamilies: []domain.ESSFamily{domain.FamilyESSCompany, domain.FamilyMutual}}, []string{"supplier-country", "painter-brest-cleaner-nantes"}},
		{"inclusion kind", domain.StructureFilter{InclusionKinds: []string{"EA"}}, []string{"plumber-dept44"}},
		{"inclusion kinds", domain.StructureFilter{InclusionKinds: []string{"EI", "EA"}}, []string{"plumber-dept44", "cleaner-epci-nantes"}},
		{"first time", domain.StructureFilter{FirstTime: ptr(true)}, []string{"painter-nantes", "gardener-reze-3km", "supplier-country", "joiner-region53", "painter-brest-cleaner-nantes"}},
		{"not first time", domain.StructureFilter{FirstTime: ptr(false)}, []string{"plumber-dept44", "gardener-reze-10km", "cleaner-epci-nantes"}},
		{"open to co-contracting", domain.StructureFilter{OpenToCotraitance: ptr(true)}, []string{"painter-nantes", "gardener-reze-10km"}},
		{"closed to co-contracting", domain.StructureFilter{OpenToCotraitance: ptr(false)}, []string{"plumber-dept44", "gardener-reze-3km", "supplier-country", "joiner-region53", "cleaner-epci-nantes", "painter-brest-cleaner-nantes"}},
		{"verified", domain.StructureFilter{Verified: ptr(true)}, []string{"painter-nantes", "supplier-country"}},
		{"not verified", domain.StructureFilter{Verified: ptr(false)}, []string{"plumber-dept44", "gardener-reze-10km", "gardener-reze-3km", "joiner-region53", "cleaner-epci-nantes", "painter-brest-cleaner-nantes"}},
		{"headcount band", domain.StructureFilter{HeadcountBands: []string{"12"}}, []string{"painter-nantes", "gardener-reze-10km"}},
		{"headcount bands", domain.StructureFilter{HeadcountBands: []string{"12", "21"}}, []string{"painter-nantes", "plumber-dept44", "gardener-reze-10km"}},
		{"turnover floor (inclusive)", domain.StructureFilter{TurnoverMinEUR: ptr(int64(500_000))}, []string{"painter-nantes", "plumber-dept44", "gardener-reze-10km"}},
		{"turnover ceiling (inclusive)", domain.StructureFilter{TurnoverMaxEUR: ptr(int64(500_000))}, []string{"painter-nantes", "joiner-region53"}},
		{"turnover range", domain.StructureFilter{TurnoverMinEUR: ptr(int64(600_000)), TurnoverMaxEUR: ptr(int64(1_000_000))}, []string{"gardener-reze-10km"}},
		{"criteria combine", domain.StructureFilter{Commune: "44109", InclusionKinds: []string{"ACI"}, Verified: ptr(true)}, []string{"painter-nantes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := store.FindStructures(context.Background(), tt.filter, domain.PageRequest{Size: domain.MaxPageSize})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range page.Items {
				got = append(got, s.Name)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tt.want))
			if !slices.Equal(got, want) {
				t.Errorf("got  %v\nwant %v", got, want)
			}
			if page.Total != len(want) || page.NextCursor != "" {
				t.Errorf("total %d, next cursor %q; want %d and none", page.Total, page.NextCursor, len(want))
			}
		})
	}
}

func TestFindStructuresRejectsMalformedCPV(t *testing.T) {
	store := newStore(t)
	_, err := store.FindStructures(context.Background(), domain.StructureFilter{CPV: []string{"45000000-7", "45x"}}, domain.PageRequest{})
	wantKind(t, err, domain.KindInvalid)
}

func TestFindStructuresPagination(t *testing.T) {
	ctx := context.Background()
	store := newStore(t)
	var want, open []string
	for i := range 23 {
		s := fullStructure(t, i)
		s.OpenToCotraitance = i%3 == 0
		want = append(want, mustCreate(t, store, s).ID)
		if s.OpenToCotraitance {
			open = append(open, s.ID)
		}
	}
	for i := range 2 {
		s := minimalStructure(t, 100+i)
		s.Status = domain.StatusDraft
		mustCreate(t, store, s)
	}
	slices.Sort(want)
	slices.Sort(open)

	for _, tt := range []struct {
		filter domain.StructureFilter
		size   int
		want   []string
	}{
		{domain.StructureFilter{}, 5, want},
		{domain.StructureFilter{}, 23, want},
		{domain.StructureFilter{}, 1, want},
		{domain.StructureFilter{OpenToCotraitance: ptr(true)}, 3, open},
	} {
		t.Run(fmt.Sprintf("size %d of %d", tt.size, len(tt.want)), func(t *testing.T) {
			var got []string
			req := domain.PageRequest{Size: tt.size}
			for pages := 1; ; pages++ {
				if pages > len(tt.want)+1 {
					t.Fatal("pagination does not end")
				}
				page, err := store.FindStructures(ctx, tt.filter, req)
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != len(tt.want) || len(page.Items) > tt.size {
					t.Fatalf("page %d: total %d, %d items", pages, page.Total, len(page.Items))
				}
				for _, s := range page.Items {
					got = append(got, s.ID)
					if len(s.Offers) != 2 || s.Representatives != nil {
						t.Errorf("listed structure has %d offers and %d representatives, want 2 and none", len(s.Offers), len(s.Representatives))
					}
				}
				if page.NextCursor == "" {
					break
				}
				c, err := domain.DecodeCursor(page.NextCursor)
				if err != nil {
					t.Fatal(err)
				}
				req.Cursor = c
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("walked %d ids, want %d in id order without duplicates or gaps", len(got), len(tt.want))
			}
		})
	}
}

// A page costs the same number of queries whatever its size: no query per structure or per offer.
func TestFindStructuresQueriesDoNotGrowWithThePage(t *testing.T) {
	ctx := context.Background()
	db := dbtest.Open(t)
	store := sqlstore.New(db)
	for i := range 12 {
		mustCreate(t, store, fullStructure(t, i))
	}
	queries := 0
	if err := db.Callback().Query().After("gorm:query").Register("test:count", func(*gorm.DB) { queries++ }); err != nil {
		t.Fatal(err)
	}
	count := func(size int) int {
		queries = 0
		if _, err := store.FindStructures(ctx, domain.StructureFilter{}, domain.PageRequest{Size: size}); err != nil {
			t.Fatal(err)
		}
		return queries
	}
	if small, large := count(2), count(12); small != large {
		t.Errorf("a page of 2 took %d queries, a page of 12 took %d", small, large)
	}
}

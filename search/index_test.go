package search

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

func yes() *bool { b := true; return &b }
func no() *bool  { b := false; return &b }

func TestSearchContract(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	tests := []struct {
		name    string
		q       Query
		want    []string // exact set, any order, unless ordered
		ordered bool
		first   string // when set, only the first hit is checked and want must be contained
	}{
		{name: "accents left out", q: Query{Text: "cafe"}, want: []string{"cafe"}},
		{name: "upper case with accent", q: Query{Text: "CAFÉ "}, want: []string{"cafe"}},
		{name: "accent folded in long words", q: Query{Text: "ecologique"}, want: []string{"coop-eco"}},
		{name: "plural (and the CPV concept it names)", q: Query{Text: "menuiseries "}, want: []string{"chene", "menuiserie"}},
		// The typo is corrected toward the CPV vocabulary (menuiserie), whose concept finds the joinery-only offer too.
		{name: "typo on a long word", q: Query{Text: "menusierie "}, want: []string{"menuiserie", "chene"}},
		{name: "short words are not fuzzy", q: Query{Text: "cafo "}, want: []string{}},
		{name: "prefix of the last word", q: Query{Text: "caf"}, want: []string{"cafe"}},
		{name: "prefix only on the last word", q: Query{Text: "caf "}, want: []string{}},
		{name: "CPV concept finds a structure whose only evidence is its code", q: Query{Text: "menuisier "},
			want: []string{"chene", "menuiserie"}},
		{name: "CPV label words", q: Query{Text: "travaux de menuiserie "}, want: []string{"chene", "menuiserie"}},
		{name: "synonym: paysagiste", q: Query{Text: "paysagiste "}, want: []string{"jardins-reze", "vert-orvault"}},
		{name: "synonym: traiteur", q: Query{Text: "traiteur "}, want: []string{"cafe"}},
		{name: "synonym: nettoyage (propreté, entretien des locaux, ménage)", q: Query{Text: "nettoyage "}, want: []string{"esat", "ea", "coop-eco"}},
		{name: "handicap finds EA and ESAT", q: Query{Text: "handicap "}, want: []string{"esat", "ea"}},
		{name: "chantier d'insertion ranks the ACI first", q: Query{Text: "chantier d'insertion "}, first: "jardins-reze"},
		{name: "insertion finds every SIAE", q: Query{Text: "insertion "}, want: []string{"jardins-reze", "vert-orvault"}},
		{name: "espaces verts covering Rezé", q: Query{Text: "espaces verts", Commune: "44143"}, want: []string{"jardins-reze"}},
		{name: "espaces verts covering Orvault", q: Query{Text: "espaces verts", Commune: "44114"}, want: []string{"vert-orvault"}},
		{name: "commune coverage: zone, department, EPCI, radius, country", q: Query{Commune: "44143"},
			want: []string{"cafe", "chene", "jardins-reze", "esat", "ea", "coop-eco", "menuiserie"}},
		{name: "commune coverage far away: country only", q: Query{Commune: "75056"}, want: []string{"ea", "coop-eco"}},
		{name: "cpv hierarchical", q: Query{CPV: []string{"45000000"}}, want: []string{"chene", "menuiserie"}},
		{name: "cpv exact leaf", q: Query{CPV: []string{"45421000-4"}}, want: []string{"chene"}},
		{name: "cpv and commune on the same offer", q: Query{CPV: []string{"77310000"}, Commune: "44114"}, want: []string{"vert-orvault"}},
		{name: "inclusion family", q: Query{InclusionKinds: []string{"handicap"}}, want: []string{"esat", "ea"}},
		{name: "inclusion kind any case", q: Query{InclusionKinds: []string{"aci"}}, want: []string{"jardins-reze"}},
		{name: "legal family", q: Query{LegalFamilies: []domain.ESSFamily{domain.FamilyCooperative}}, want: []string{"chene", "coop-eco", "menuiserie"}},
		{name: "offer kind", q: Query{OfferKinds: []domain.OfferKind{domain.OfferWorks}}, want: []string{"chene", "menuiserie"}},
		{name: "first time", q: Query{FirstTime: yes()}, want: []string{"cafe", "jardins-reze", "vert-orvault", "esat", "coop-eco"}},
		{name: "not first time", q: Query{FirstTime: no()}, want: []string{"chene", "ea", "menuiserie"}},
		{name: "open to co-contracting", q: Query{OpenToCotraitance: yes()}, want: []string{"chene"}},
		{name: "verified", q: Query{Verified: yes()}, want: []string{"ea"}},
		{name: "headcount", q: Query{HeadcountBands: []string{"22"}}, want: []string{"esat"}},
		{name: "turnover range", q: Query{TurnoverMinEUR: i64(100_000), TurnoverMaxEUR: i64(1_000_000)}, want: []string{"cafe"}},
		{name: "near with radius", q: Query{Near: orvault, RadiusKM: 3}, want: []string{"vert-orvault"}},
		{name: "drafts hidden by default", q: Query{Text: "brouillon"}, want: []string{}},
		{name: "drafts on demand", q: Query{Text: "brouillon", Statuses: []domain.StructureStatus{domain.StatusDraft}}, want: []string{"brouillon"}},
		{name: "unknown filter value matches nothing", q: Query{LegalFamilies: []domain.ESSFamily{"nope"}}, want: []string{}},
		{name: "query syntax is plain text", q: Query{Text: `+(cafe*)^~`}, want: []string{"cafe"}},
		{name: "sort by name", q: Query{Sort: SortName, LegalFamilies: []domain.ESSFamily{domain.FamilyCooperative}},
			want: []string{"chene", "coop-eco", "menuiserie"}, ordered: true},
		{name: "sort by updated", q: Query{Sort: SortUpdated, InclusionKinds: []string{"siae", "handicap"}},
			want: []string{"esat", "jardins-reze", "ea", "vert-orvault"}, ordered: true},
		{name: "sort by distance", q: Query{Sort: SortDistance, Near: orvault, InclusionKinds: []string{"siae", "handicap"}},
			want: []string{"vert-orvault", "esat", "ea", "jardins-reze"}, ordered: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := ix.Search(context.Background(), tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := ids(res)
			if tt.first != "" {
				if len(got) == 0 || got[0] != tt.first {
					t.Fatalf("first hit: got %v, want %s first", got, tt.first)
				}
				if tt.want == nil {
					return
				}
			}
			if !tt.ordered {
				sort.Strings(got)
				want := slices.Clone(tt.want)
				sort.Strings(want)
				tt.want = want
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if res.Total != len(tt.want) {
				t.Fatalf("total %d, want %d", res.Total, len(tt.want))
			}
		})
	}
}

func TestCPVConceptNeedsTheCatalogue(t *testing.T) {
	ix := openFixture(t, Options{Places: fakePlaces})
	res, err := ix.Search(context.Background(), Query{Text: "menuisier "})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(ids(res), "chene") {
		t.Fatalf("without CPV labels the joinery code alone should not match: %v", ids(res))
	}
}

func TestFirstTimeBoostChangesOrder(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	plain, err := ix.Search(context.Background(), Query{Text: "entretien "})
	if err != nil {
		t.Fatal(err)
	}
	boosted, err := ix.Search(context.Background(), Query{Text: "entretien ", BoostFirstTime: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range boosted.Hits {
		for _, p := range plain.Hits {
			if h.ID == p.ID && h.ID != "" {
				first := slices.Contains([]string{"cafe", "jardins-reze", "vert-orvault", "esat", "coop-eco"}, h.ID)
				if first && h.Score != p.Score*FirstTimeBoost {
					t.Errorf("%s: boosted %v, plain %v", h.ID, h.Score, p.Score)
				}
				if !first && h.Score != p.Score {
					t.Errorf("%s is not first-time but its score changed", h.ID)
				}
			}
		}
	}
}

func TestFacetsCountTheWholeResultSet(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	res, err := ix.Search(context.Background(), Query{Size: 2, Facets: FacetNames})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Total != 8 {
		t.Fatalf("page %d total %d, want 2 of 8", len(res.Hits), res.Total)
	}
	want := map[string][]FacetValue{
		FacetLegalFamily: {{"association", 3}, {"cooperative", 3}, {"ess_company", 2}},
		FacetInclusion:   {{"ACI", 1}, {"EA", 1}, {"EI", 1}, {"ESAT", 1}},
		FacetFirstTime:   {{"true", 5}, {"false", 3}},
		FacetKind:        {{"service", 5}, {"works", 2}, {"supply", 1}},
		FacetCPVDivision: {{"45000000", 2}, {"77000000", 2}, {"90000000", 2}, {"55000000", 1}},
		FacetCommune:     {{"44109", 4}, {"44143", 2}, {"44114", 1}, {"44162", 1}},
	}
	for name, w := range want {
		if !slices.Equal(res.Facets[name], w) {
			t.Errorf("%s: got %v, want %v", name, res.Facets[name], w)
		}
	}
}

func TestCursorWalksEveryHitOnce(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	for _, order := range []string{SortRelevance, SortName, SortUpdated, SortDistance} {
		q := Query{Text: "entretien ", Sort: order, Size: 2, Near: nantes}
		if order == SortRelevance {
			q.Text = ""
		}
		var seen []string
		total := -1
		for page := 0; page < 10; page++ {
			res, err := ix.Search(context.Background(), q)
			if err != nil {
				t.Fatal(err)
			}
			total = res.Total
			seen = append(seen, ids(res)...)
			if res.Next.IsZero() {
				break
			}
			q.Cursor, err = domain.DecodeCursor(res.Next.Encode())
			if err != nil {
				t.Fatal(err)
			}
		}
		uniq := slices.Clone(seen)
		slices.Sort(uniq)
		uniq = slices.Compact(uniq)
		if len(seen) != total || len(uniq) != total {
			t.Errorf("%s: walked %v, total %d", order, seen, total)
		}
	}
}

func TestReasonsAndSnippets(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	res, err := ix.Search(context.Background(), Query{Text: "nettoyage", Commune: "44143"})
	if err != nil {
		t.Fatal(err)
	}
	var esat *Hit
	for i := range res.Hits {
		if res.Hits[i].ID == "esat" {
			esat = &res.Hits[i]
		}
	}
	if esat == nil {
		t.Fatalf("esat missing: %v", ids(res))
	}
	var area, concept bool
	for _, r := range esat.Reasons {
		if r.Kind == ReasonOffer && r.OfferID == "esat-1" && strings.HasPrefix(r.Area, "radius:20km") {
			area = true
		}
		if r.Kind == ReasonCPVConcept && r.OfferID == "esat-1" && r.CPV == "90910000" {
			concept = true
		}
	}
	if !area || !concept {
		t.Errorf("reasons %+v: want the radius rule and the CPV concept", esat.Reasons)
	}

	res, err = ix.Search(context.Background(), Query{Text: "cafe"})
	if err != nil {
		t.Fatal(err)
	}
	h := res.Hits[0]
	if got := strings.Join(h.Snippets["name"], ""); !strings.Contains(got, "<mark>Café</mark>") {
		t.Errorf("snippet %q", got)
	}
	var text bool
	for _, r := range h.Reasons {
		text = text || (r.Kind == ReasonText && r.Field == "name")
	}
	if !text {
		t.Errorf("reasons %+v: want a text reason on name", h.Reasons)
	}

	res, err = ix.Search(context.Background(), Query{Text: "<b>menuiserie</b> "})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range res.Hits {
		for _, f := range h.Snippets {
			for _, s := range f {
				if strings.Contains(strings.ReplaceAll(strings.ReplaceAll(s, "<mark>", ""), "</mark>", ""), "<") {
					t.Errorf("unescaped snippet %q", s)
				}
			}
		}
		for _, r := range h.Reasons {
			if r.Kind == ReasonText && r.Field == "offers.title" && r.OfferID != "m-1" {
				t.Errorf("offer reason names %q", r.OfferID)
			}
		}
	}
}

func TestPersonalDataIsNeverIndexed(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, Options{CPV: fakeCPV, Places: fakePlaces})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if err := ix.Apply(context.Background(), fixtures(), nil, 1); err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"Jeanne", "Dupontmartel", "jeanne.dupontmartel", "perso.example", "Gérante", "33612345678"} {
		res, err := ix.Search(context.Background(), Query{Text: text})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 0 {
			t.Errorf("%q found %v", text, ids(res))
		}
	}
	adv, _ := ix.bleve.Advanced()
	r, _ := adv.Reader()
	defer r.Close()
	doc, err := r.Document("coop-eco")
	if err != nil || doc == nil {
		t.Fatalf("document: %v", err)
	}
	var stored strings.Builder
	doc.VisitFields(func(f indexField) { stored.Write(f.Value()) })
	if stored.Len() == 0 || !strings.Contains(stored.String(), "Coopérative") {
		t.Fatalf("the check reads nothing: %q", stored.String())
	}
	for _, secret := range []string{"Jeanne", "Dupontmartel", "perso.example", "33612345678", "Gérante"} {
		if strings.Contains(stored.String(), secret) {
			t.Errorf("stored fields contain %q", secret)
		}
	}
}

func TestDeletesAndUpdates(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	ctx := context.Background()
	if err := ix.Apply(ctx, nil, []string{"cafe", "unknown"}, 43); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(ctx, Query{Text: "cafe"}); res.Total != 0 {
		t.Fatalf("deleted structure found: %v", ids(res))
	}
	if res, _ := ix.Search(ctx, Query{}); res.Total != 7 {
		t.Fatalf("listing after delete: %d", res.Total)
	}
	s := fixtures()[3]
	s.Name = "Paysages d'Orvault"
	s.Offers[0].Area = zones("commune:44143")
	if err := ix.Apply(ctx, []domain.Structure{s}, nil, 44); err != nil {
		t.Fatal(err)
	}
	res, _ := ix.Search(ctx, Query{Text: "vert", Commune: "44143"})
	if !slices.Contains(ids(res), "vert-orvault") {
		t.Fatalf("updated area not applied: %v", ids(res))
	}
	if res, _ := ix.Search(ctx, Query{Text: "paysages"}); !slices.Equal(ids(res), []string{"vert-orvault"}) {
		t.Fatalf("updated name not searchable: %v", ids(res))
	}
	if n, _ := ix.DocCount(); n != 8 {
		t.Fatalf("doc count %d", n)
	}
	if ix.Position() != 44 {
		t.Fatalf("position %d", ix.Position())
	}
}

func TestReopenKeepsRecordsAndPosition(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, Options{CPV: fakeCPV, Places: fakePlaces})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.Apply(context.Background(), fixtures(), []string{"brouillon"}, 7); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	ix, err = Open(dir, Options{CPV: fakeCPV, Places: fakePlaces})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if ix.Position() != 7 {
		t.Fatalf("position %d", ix.Position())
	}
	res, err := ix.Search(context.Background(), Query{Text: "espaces verts", Commune: "44143", Facets: []string{FacetCommune}})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(res), []string{"jardins-reze"}) || len(res.Facets[FacetCommune]) != 1 {
		t.Fatalf("after reopen: %v %v", ids(res), res.Facets)
	}
	if err := ix.Apply(context.Background(), []domain.Structure{{ID: "new", Name: "Nouvelle Recyclerie", Status: domain.StatusPublished}}, nil, 8); err != nil {
		t.Fatal(err)
	}
	if res, _ := ix.Search(context.Background(), Query{Text: "ressourcerie"}); !slices.Equal(ids(res), []string{"new"}) {
		t.Fatalf("new row after reopen: %v", ids(res))
	}
	if res, _ := ix.Search(context.Background(), Query{}); res.Total != 9 {
		t.Fatalf("rows after reopen: %d", res.Total)
	}
}

func TestOpenWithHeldLockFailsWithinTimeout(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	start := time.Now()
	second, err := Open(dir, Options{LockTimeout: 300 * time.Millisecond})
	if err == nil {
		second.Close()
		t.Fatal("second open succeeded")
	}
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("error %v, want ErrLocked", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("took %v", d)
	}
}

func TestMappingMismatchAndCorruption(t *testing.T) {
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := ix.bleve.SetInternal(keyMappingVersion, []byte("0")); err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if _, err := Open(dir, Options{}); !errors.Is(err, ErrMappingMismatch) {
		t.Fatalf("error %v, want ErrMappingMismatch", err)
	}

	broken := t.TempDir() + "/broken"
	ix, err = Open(broken, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
	if err := writeFile(broken+"/index_meta.json", "{not json"); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(broken, Options{}); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("error %v, want ErrCorrupt", err)
	}
}

func TestQueryValidation(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	for _, q := range []Query{
		{Text: strings.Repeat("a", MaxQueryText+1)},
		{Near: nantes, RadiusKM: MaxRadiusKM + 1},
		{RadiusKM: 5},
		{Sort: "random"},
		{Sort: SortDistance},
		{Facets: []string{"siret"}},
		{Size: domain.MaxPageSize + 1},
		{CPV: []string{"4542"}},
		{Commune: "99999"},
	} {
		if _, err := ix.Search(context.Background(), q); domain.KindOf(err) != domain.KindInvalid {
			t.Errorf("%+v: error %v, want invalid", q, err)
		}
	}
}

func TestCachedMatchesFollowFiltersAndWrites(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	ctx := context.Background()
	all, _ := ix.Search(ctx, Query{Text: "entretien "})
	reze, _ := ix.Search(ctx, Query{Text: "entretien ", Commune: "44143"})
	if all.Total <= reze.Total || reze.Total == 0 {
		t.Fatalf("filters on a cached text: %d then %d", all.Total, reze.Total)
	}
	if err := ix.Apply(ctx, nil, []string{"jardins-reze"}, 50); err != nil {
		t.Fatal(err)
	}
	after, _ := ix.Search(ctx, Query{Text: "entretien ", Commune: "44143"})
	if after.Total != reze.Total-1 || slices.Contains(ids(after), "jardins-reze") {
		t.Fatalf("after delete: %v", ids(after))
	}
}

func TestSearchWhileApplying(t *testing.T) {
	ix := openFixture(t, Options{CPV: fakeCPV, Places: fakePlaces})
	ctx := context.Background()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 20 {
			s := fixtures()[i%len(fixtures())]
			s.ID = "copy-" + s.ID
			if err := ix.Apply(ctx, []domain.Structure{s}, []string{"copy-cafe"}, int64(100+i)); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
			return
		default:
		}
		if _, err := ix.Search(ctx, Query{Text: []string{"entretien", "cafe", ""}[i%3], Commune: "44143", Facets: FacetNames}); err != nil {
			t.Fatal(err)
		}
	}
}

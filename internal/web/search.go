package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// searchState is a search as the URL holds it, so that a search can be bookmarked and shared. The names are the
// API's query parameters.
type searchState struct {
	Text          string
	Commune       string
	CPV           []string
	Families      []string
	Inclusion     []string
	Kinds         []string
	FirstTime     bool
	Verified      bool
	Cotraitance   bool
	Sort          string
	Cursor        string
	values        url.Values
	invalidCursor bool
}

func searchStateFrom(q url.Values) searchState {
	st := searchState{
		Text:        strings.TrimSpace(q.Get("q")),
		Commune:     strings.TrimSpace(q.Get("commune")),
		CPV:         nonEmpty(q["cpv"]),
		Families:    nonEmpty(q["legal_family"]),
		Inclusion:   nonEmpty(q["inclusion"]),
		Kinds:       nonEmpty(q["kind"]),
		FirstTime:   q.Get("first_time") == "true",
		Verified:    q.Get("verified") == "true",
		Cotraitance: q.Get("open_to_cotraitance") == "true",
		Sort:        q.Get("sort"),
		Cursor:      q.Get("cursor"),
		values:      q,
	}
	return st
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}

// query turns the state into the directory search the API would run for the same parameters.
func (st *searchState) query(pageSize int) domain.SearchQuery {
	f := domain.StructureFilter{CPV: st.CPV, Commune: st.Commune, InclusionKinds: st.Inclusion}
	for _, v := range st.Families {
		f.LegalFamilies = append(f.LegalFamilies, domain.ESSFamily(v))
	}
	for _, v := range st.Kinds {
		f.OfferKinds = append(f.OfferKinds, domain.OfferKind(v))
	}
	yes := true
	if st.FirstTime {
		f.FirstTime = &yes
	}
	if st.Verified {
		f.Verified = &yes
	}
	if st.Cotraitance {
		f.OpenToCotraitance = &yes
	}
	q := domain.SearchQuery{Text: st.Text, Filter: f, Sort: st.Sort, Page: domain.PageRequest{Size: pageSize},
		Facets: []string{domain.FacetCPVDivision, domain.FacetLegalFamily, domain.FacetInclusion, domain.FacetKind, domain.FacetFirstTime}}
	if st.Cursor != "" {
		c, err := domain.DecodeCursor(st.Cursor)
		if err != nil || strings.ContainsRune(c.After+c.Key, 0) {
			st.invalidCursor = true
		} else {
			q.Page.Cursor = c
		}
	}
	return q
}

// Has reports whether a multi-valued parameter holds a value: for checked boxes.
func (st searchState) Has(param, value string) bool {
	return slices.Contains(st.values[param], value)
}

// Active reports whether any filter beyond the words is set.
func (st searchState) Active() bool {
	return st.Commune != "" || len(st.CPV)+len(st.Families)+len(st.Inclusion)+len(st.Kinds) > 0 || st.FirstTime ||
		st.Verified || st.Cotraitance
}

// URL is the address of this search with the given parameter set (or removed when value is ""), back to the first
// page.
func (st searchState) URL(path, param, value string) string {
	v := url.Values{}
	for k, vals := range st.values {
		if k != "cursor" && k != param {
			v[k] = vals
		}
	}
	if value != "" {
		v.Set(param, value)
	}
	if enc := v.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// facetOption is one checkbox of a facet: its parameter value, label, count and state.
type facetOption struct {
	Param, Value, Label string
	Count               int
	Checked             bool
}

type searchData struct {
	State    searchState
	Page     service.SearchPage
	Communes []refdata.Commune
	Facets   map[string][]facetOption
	NextURL  string
	FirstURL string
	CSVURL   string
	Problem  string
}

const searchPageSize = 20

func (s *Site) search(w http.ResponseWriter, r *http.Request) {
	st := searchStateFrom(r.URL.Query())
	q := st.query(searchPageSize)
	data := searchData{State: st, Communes: s.communeChoices(st.Commune)}
	var errs formErrors
	if st.invalidCursor {
		errs.add("cursor", "ce lien de page n'est plus valable : reprenez la recherche depuis la première page")
	} else {
		page, err := s.deps.Directory.SearchStructures(r.Context(), q)
		switch {
		case err == nil:
			data.Page = page
		case domain.KindOf(err) == domain.KindInvalid:
			errs = newFormErrors(err)
		case domain.KindOf(err) == domain.KindUnavailable:
			data.Problem = "La recherche par mots est en cours de préparation : réessayez dans quelques instants, ou utilisez seulement les filtres."
		default:
			s.fail(w, r, err)
			return
		}
	}
	data.Facets = s.facetOptions(st, data.Page.Facets)
	if data.Page.NextCursor != "" {
		data.NextURL = st.URL("/recherche", "cursor", data.Page.NextCursor)
	}
	if st.Cursor != "" {
		data.FirstURL = st.URL("/recherche", "cursor", "")
	}
	data.CSVURL = st.URL("/recherche.csv", "cursor", "")
	status := http.StatusOK
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "search", view{Title: searchTitle(st, data.Page.Total), Section: "recherche", Errors: errs, Data: data})
}

func searchTitle(st searchState, total int) string {
	if st.Text == "" && !st.Active() {
		return "Rechercher une structure de l'ESS"
	}
	t := "Résultats de recherche"
	if st.Text != "" {
		t += " pour « " + st.Text + " »"
	}
	return t
}

// communeChoices are the communes offered in the search: those of Nantes Métropole, and the chosen one.
func (s *Site) communeChoices(chosen string) []refdata.Commune {
	communes := slices.Clone(s.deps.Ref.NantesMetropole())
	slices.SortFunc(communes, func(a, b refdata.Commune) int { return strings.Compare(foldFR(a.Name), foldFR(b.Name)) })
	if c, ok := s.deps.Ref.Commune(chosen); ok && !slices.ContainsFunc(communes, func(x refdata.Commune) bool { return x.INSEE == chosen }) {
		communes = append([]refdata.Commune{c}, communes...)
	}
	return communes
}

func foldFR(s string) string { return refdata.Fold(s) }

// facetOptions turns the counts of the search into checkboxes; chosen values stay listed even at zero.
func (s *Site) facetOptions(st searchState, facets map[string][]domain.FacetCount) map[string][]facetOption {
	out := map[string][]facetOption{}
	for _, fc := range facets[domain.FacetCPVDivision] {
		division := fc.Value
		if len(division) == 2 {
			division += "000000"
		}
		c, ok := s.deps.Ref.CPV(division)
		if !ok {
			continue
		}
		out["cpv"] = append(out["cpv"], facetOption{Param: "cpv", Value: c.Code, Label: c.Label, Count: fc.Count, Checked: st.Has("cpv", c.Code)})
	}
	for _, code := range st.CPV {
		if !slices.ContainsFunc(out["cpv"], func(o facetOption) bool { return o.Value == code }) {
			out["cpv"] = append(out["cpv"], facetOption{Param: "cpv", Value: code, Label: cpvLabel(code), Checked: true})
		}
	}
	counts := func(name string) map[string]int {
		m := map[string]int{}
		for _, fc := range facets[name] {
			m[fc.Value] = fc.Count
		}
		return m
	}
	fam := counts(domain.FacetLegalFamily)
	for _, f := range familyOrder {
		out["legal_family"] = append(out["legal_family"], facetOption{Param: "legal_family", Value: string(f),
			Label: familyLabels[f], Count: fam[string(f)], Checked: st.Has("legal_family", string(f))})
	}
	inc := counts(domain.FacetInclusion)
	for _, k := range s.deps.Ref.InclusionKinds() {
		out["inclusion"] = append(out["inclusion"], facetOption{Param: "inclusion", Value: k.Code, Label: k.Label,
			Count: inc[k.Code], Checked: st.Has("inclusion", k.Code)})
	}
	kinds := counts(domain.FacetKind)
	for _, k := range offerKindOrder {
		out["kind"] = append(out["kind"], facetOption{Param: "kind", Value: string(k), Label: offerKindLabels[k],
			Count: kinds[string(k)], Checked: st.Has("kind", string(k))})
	}
	first := counts(domain.FacetFirstTime)
	out["first_time"] = []facetOption{{Param: "first_time", Value: "true", Label: "Primo-accédants (aucun marché public connu)",
		Count: first["true"], Checked: st.FirstTime}}
	return out
}

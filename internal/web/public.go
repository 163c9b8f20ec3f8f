package web

import (
	"net/http"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/frcsv"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

type homeData struct {
	Communes   []refdata.Commune
	Structures int
	FirstTime  int
	Inclusion  int
	Families   []familyCount
	Ready      bool
}

type familyCount struct {
	Label string
	Count int
	URL   string
}

func (s *Site) home(w http.ResponseWriter, r *http.Request) {
	data := homeData{Communes: s.communeChoices("")}
	q := domain.SearchQuery{Page: domain.PageRequest{Size: 1},
		Facets: []string{domain.FacetFirstTime, domain.FacetLegalFamily, domain.FacetInclusion}}
	page, err := s.deps.Directory.SearchStructures(r.Context(), q)
	switch {
	case err == nil:
		data.Ready, data.Structures = true, page.Total
		for _, fc := range page.Facets[domain.FacetFirstTime] {
			if fc.Value == "true" {
				data.FirstTime = fc.Count
			}
		}
		for _, fc := range page.Facets[domain.FacetInclusion] {
			data.Inclusion += fc.Count // a structure of two kinds counts twice: rare, and said on the page
		}
		counts := map[string]int{}
		for _, fc := range page.Facets[domain.FacetLegalFamily] {
			counts[fc.Value] = fc.Count
		}
		for _, f := range familyOrder {
			data.Families = append(data.Families, familyCount{Label: familyLabels[f], Count: counts[string(f)],
				URL: "/recherche?legal_family=" + string(f)})
		}
	case domain.KindOf(err) == domain.KindUnavailable:
	default:
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "home", view{Title: "Trouver une structure de l'ESS pour vos achats", Section: "accueil", Data: data})
}

type structureData struct {
	S         *domain.Structure
	CanEdit   bool
	CanVet    bool
	Legal     string
	NAF       string
	Headcount string
}

func (s *Site) structurePage(w http.ResponseWriter, r *http.Request) {
	st, err := s.deps.Directory.FindStructureByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	actor := service.ActorFrom(r.Context())
	data := structureData{S: st, CanEdit: actor.IsAdmin() || actor.MemberOf(st.ID),
		CanVet: actor.IsAdmin() || actor.Role == service.RoleNetwork}
	if c, ok := s.deps.Ref.LegalCategory(st.LegalCategory); ok {
		data.Legal = c.Label
	}
	if n, ok := s.deps.Ref.NAF(st.NAFCode); ok {
		data.NAF = n.Label
	}
	for _, b := range s.deps.Ref.HeadcountBands() {
		if b.Code == st.HeadcountBand {
			data.Headcount = b.Label
		}
	}
	s.render(w, r, http.StatusOK, "structure", view{Title: st.Name, Section: "recherche", Data: data})
}

// maxCSVRows bounds an export: a buyer's shortlist, not a copy of the directory.
const maxCSVRows = 2000

// searchCSV exports the structures of a search for a spreadsheet (semicolons, UTF-8 with a byte order mark, as
// French spreadsheets expect). Signed-in users only, as on the platform buyers know; generic contacts only, never
// representatives.
func (s *Site) searchCSV(w http.ResponseWriter, r *http.Request) {
	if service.ActorFrom(r.Context()).Anonymous() {
		s.fail(w, r, domain.Unauthenticated("sign in to export"))
		return
	}
	st := searchStateFrom(r.URL.Query())
	q := st.query(domain.MaxPageSize)
	q.Facets = nil
	var rows []service.FoundStructure
	for len(rows) < maxCSVRows {
		page, err := s.deps.Directory.SearchStructures(r.Context(), q)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		rows = append(rows, page.Items...)
		if page.NextCursor == "" {
			break
		}
		c, err := domain.DecodeCursor(page.NextCursor)
		if err != nil {
			s.internalError(w, r, err)
			return
		}
		q.Page.Cursor = c
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="essor-structures.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw, err := frcsv.NewWriter(w)
	if err != nil {
		return // the client went away
	}
	_ = cw.Write([]string{"SIRET", "Nom", "Commune", "Famille de l'ESS", "Inclusion", "Primo-accédant", "Vérifiée",
		"Offres", "Codes CPV", "E-mail de contact", "Téléphone de contact", "Site web", "Fiche Essor"})
	for _, f := range rows[:min(len(rows), maxCSVRows)] {
		_ = cw.Write(csvRow(&f.Structure))
	}
	_ = cw.Flush()
}

func csvRow(st *domain.Structure) []string {
	var titles, codes []string
	for _, o := range st.Offers {
		titles = append(titles, o.Title)
		codes = append(codes, o.CPVCodes...)
	}
	yesNo := func(b bool) string {
		if b {
			return "oui"
		}
		return "non"
	}
	return []string{st.SIRET, st.Name, communeName(st.Commune), familyLabels[st.ESSFamily], strings.Join(st.InclusionKinds, ", "),
		yesNo(st.FirstTime()), yesNo(st.VerifiedAt != nil), strings.Join(titles, " | "), strings.Join(codes, ", "),
		st.Contact.Email, st.Contact.Phone, st.Website, "/structures/" + st.ID}
}

func (s *Site) accessibility(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "accessibility", view{Title: "Accessibilité"})
}

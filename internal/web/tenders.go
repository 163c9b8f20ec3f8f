package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/frcsv"
	"github.com/essor-ess/essor/internal/service"
)

// buyerOnly lets through buyers and administrators: the pages of purchases are theirs. The use cases check the
// organisation of each tender again.
func (s *Site) buyerOnly(w http.ResponseWriter, r *http.Request) bool {
	a := service.ActorFrom(r.Context())
	switch {
	case s.deps.Tenders == nil:
		s.notFound(w, r)
	case a.Anonymous():
		s.fail(w, r, domain.Unauthenticated("sign in"))
	case a.Role != service.RoleBuyer && !a.IsAdmin():
		s.fail(w, r, domain.Forbidden("buyers only"))
	default:
		return true
	}
	return false
}

type tenderList struct {
	Tenders []domain.Tender
	Next    string
}

func (s *Site) myTenders(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	cursor, err := domain.DecodeCursor(r.URL.Query().Get("cursor"))
	if err != nil {
		s.staleLink(w, r)
		return
	}
	page, err := s.deps.Tenders.ListTenders(r.Context(), service.TenderFilter{}, domain.PageRequest{Size: 50, Cursor: cursor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "tenders", view{Title: "Mes achats", Section: "achats",
		Data: tenderList{Tenders: page.Items, Next: page.NextCursor}})
}

func (s *Site) newTenderForm(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t := domain.Tender{Kind: domain.TenderSourcing}
	s.render(w, r, http.StatusOK, "tender-form", view{Title: "Nouveau besoin d'achat", Section: "achats",
		Data: s.tenderFormData(t, true, 1)})
}

func (s *Site) editTenderForm(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if t.Status != domain.TenderDraft {
		redirect(w, r, "/achats/"+t.ID)
		return
	}
	s.render(w, r, http.StatusOK, "tender-form", view{Title: "Modifier « " + t.Title + " »", Section: "achats",
		Data: s.tenderFormData(*t, false, 1)})
}

func (s *Site) createTender(w http.ResponseWriter, r *http.Request) { s.saveTender(w, r, "") }

func (s *Site) updateTender(w http.ResponseWriter, r *http.Request) {
	s.saveTender(w, r, r.PathValue("id"))
}

// saveTender creates (id "") or updates a draft tender. The "search CPV" and "add a lot" buttons post the form
// too: it comes back with the suggestions or one more empty lot, so that the editor works without JavaScript.
func (s *Site) saveTender(w http.ResponseWriter, r *http.Request, id string) {
	if !s.buyerOnly(w, r) {
		return
	}
	var t domain.Tender
	title := "Nouveau besoin d'achat"
	if id != "" {
		cur, err := s.deps.Tenders.FindTenderByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		t, title = *cur, "Modifier « "+cur.Title+" »"
	}
	errs, cpvQuery := s.readTenderForm(r, &t)
	switch r.PostFormValue("action") {
	case "cpv", "lot":
		blank := 1
		if r.PostFormValue("action") == "lot" {
			blank = 2
		}
		f := s.tenderFormData(t, id == "", blank)
		if r.PostFormValue("action") == "cpv" {
			f.CPVQuery, f.Suggestions = cpvQuery, s.cpvMatches(cpvQuery, t.CPVCodes)
		}
		s.render(w, r, http.StatusOK, "tender-form", view{Title: title, Section: "achats", Data: f})
		return
	}
	if !errs.Any() {
		var saved *domain.Tender
		var err error
		if id == "" {
			saved, err = s.deps.Tenders.CreateTender(r.Context(), t)
		} else {
			version := t.Version
			saved, err = s.deps.Tenders.UpdateTender(r.Context(), id, &version, func(cur *domain.Tender) {
				keep := *cur
				*cur = t
				cur.ID, cur.OrganisationID, cur.CreatedBy, cur.Status = keep.ID, keep.OrganisationID, keep.CreatedBy, keep.Status
				cur.PublishedAt, cur.CreatedAt, cur.UpdatedAt, cur.Version = keep.PublishedAt, keep.CreatedAt, keep.UpdatedAt, keep.Version
			})
		}
		if err == nil {
			redirect(w, r, "/achats/"+saved.ID+"?ok=achat")
			return
		}
		if domain.KindOf(err) != domain.KindInvalid {
			s.fail(w, r, err)
			return
		}
		errs = newFormErrors(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "tender-form", view{Title: title + " (erreur)", Section: "achats",
		Errors: errs, Data: s.tenderFormData(t, id == "", 0)})
}

type tenderPage struct {
	T      *domain.Tender
	Supply map[int]service.LotSupply
	Owner  bool
}

// tenderView shows a tender to its buyer: the lots with how many structures could answer each, and the actions
// its status allows.
func (s *Site) tenderView(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	supply, err := s.deps.Tenders.Supply(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := tenderPage{T: t, Supply: map[int]service.LotSupply{}, Owner: true}
	for _, l := range supply {
		p.Supply[l.LotNumber] = l
	}
	s.render(w, r, http.StatusOK, "tender", view{Title: t.Title, Section: "achats", Data: p})
}

// changeTenderStatus publishes, closes, awards or cancels a tender.
func (s *Site) changeTenderStatus(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	to := domain.TenderStatus(r.PostFormValue("status"))
	if _, ok := tenderStatusLabels[to]; !ok || to == domain.TenderDraft {
		s.notFound(w, r)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	t, err := s.deps.Tenders.Transition(r.Context(), r.PathValue("id"), to, &version)
	if domain.KindOf(err) == domain.KindInvalid {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Publication impossible",
			"Le besoin ne peut pas être publié tel quel : "+strings.Join(newFormErrors(err).Messages(), " ; ")+
				". Modifiez-le puis recommencez.")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/achats/"+t.ID+"?ok=statut")
}

type matchesPage struct {
	T              *domain.Tender
	Lot            domain.Lot
	Matches        []domain.LotMatch
	Total          int
	Next           string
	FirstTimeFirst bool
}

// lotMatchesPage lists the structures matching a lot, with the reasons, first-time bidders first when asked.
func (s *Site) lotMatchesPage(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t, l, ok := s.tenderLot(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	cursor, err := domain.DecodeCursor(q.Get("cursor"))
	if err != nil {
		s.staleLink(w, r)
		return
	}
	first := q.Get("primo") == "1"
	page, err := s.deps.Tenders.LotMatches(r.Context(), t.ID, l.Number, service.MatchQuery{FirstTimeFirst: first,
		Page: domain.PageRequest{Size: 20, Cursor: cursor}})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "lot-matches", view{Title: "Structures pour le lot " + strconv.Itoa(l.Number) + " : " + l.Title,
		Section: "achats", Data: matchesPage{T: t, Lot: l, Matches: page.Items, Total: page.Total, Next: page.NextCursor, FirstTimeFirst: first}})
}

func (s *Site) tenderLot(w http.ResponseWriter, r *http.Request) (*domain.Tender, domain.Lot, bool) {
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil, domain.Lot{}, false
	}
	n, _ := strconv.Atoi(r.PathValue("lot"))
	l, ok := t.Lot(n)
	if !ok {
		s.notFound(w, r)
		return nil, domain.Lot{}, false
	}
	return t, l, true
}

// maxMatchesCSV bounds the rows of a matches export.
const maxMatchesCSV = 5000

// lotMatchesCSV exports every match of a lot for a spreadsheet: the structures' public facts, no representative.
func (s *Site) lotMatchesCSV(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t, l, ok := s.tenderLot(w, r)
	if !ok {
		return
	}
	var all []domain.LotMatch
	cursor := domain.Cursor{}
	for len(all) < maxMatchesCSV {
		page, err := s.deps.Tenders.LotMatches(r.Context(), t.ID, l.Number, service.MatchQuery{FirstTimeFirst: r.URL.Query().Get("primo") == "1",
			Page: domain.PageRequest{Size: domain.MaxPageSize, Cursor: cursor}})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		all = append(all, page.Items...)
		if page.NextCursor == "" {
			break
		}
		if cursor, err = domain.DecodeCursor(page.NextCursor); err != nil {
			s.internalError(w, r, err)
			return
		}
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="essor-lot-`+strconv.Itoa(l.Number)+`.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	cw, err := frcsv.NewWriter(w)
	if err != nil {
		return // the client went away
	}
	_ = cw.Write([]string{"Structure", "SIRET", "Commune", "Primo-accédant", "Structure d'inclusion", "Vérifiée", "E-mail", "Téléphone", "Pourquoi"})
	for _, m := range all {
		st := m.Structure
		var reasons, kinds []string
		for _, re := range m.Reasons {
			reasons = append(reasons, matchReason(re.Message))
		}
		for _, k := range st.InclusionKinds {
			kinds = append(kinds, inclusionLabel(k))
		}
		_ = cw.Write([]string{st.Name, st.SIRET, communeName(st.Commune), yesNo(m.FirstTime), strings.Join(kinds, ", "),
			yesNo(st.VerifiedAt != nil), st.Contact.Email, st.Contact.Phone, strings.Join(reasons, " ; ")})
	}
	_ = cw.Flush()
}

// staleLink answers a page link (cursor) that can no longer be read.
func (s *Site) staleLink(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusUnprocessableEntity, "Lien plus valable",
		"Ce lien de page n'est plus valable : reprenez depuis la première page.")
}

func yesNo(b bool) string {
	if b {
		return "oui"
	}
	return "non"
}

type funnelPage struct {
	T     *domain.Tender
	Lots  []funnelLot
	Max   int
	Total service.LotFunnel
}

type funnelLot struct {
	service.LotFunnel
	Lot     domain.Lot
	Reasons []reasonCount
}

type reasonCount struct {
	Label string
	Count int
}

// tenderFunnel shows, lot by lot, how the structures told about a tender answered.
func (s *Site) tenderFunnel(w http.ResponseWriter, r *http.Request) {
	if !s.buyerOnly(w, r) {
		return
	}
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	funnel, err := s.deps.Tenders.Funnel(r.Context(), t.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := funnelPage{T: t}
	for _, f := range funnel {
		l, _ := t.Lot(f.LotNumber)
		fl := funnelLot{LotFunnel: f, Lot: l}
		for _, code := range service.DeclineReasons {
			if n := f.DeclineReasons[code]; n > 0 {
				fl.Reasons = append(fl.Reasons, reasonCount{Label: declineReasonLabels[code], Count: n})
			}
		}
		p.Max = max(p.Max, f.Notified, f.Interested+f.NotInterested)
		p.Lots = append(p.Lots, fl)
	}
	s.render(w, r, http.StatusOK, "tender-funnel", view{Title: "Réponses : " + t.Title, Section: "achats", Data: p})
}

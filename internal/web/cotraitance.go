package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/partners"
	"github.com/essor-ess/essor/internal/service"
)

var roleSoughtLabels = map[domain.RoleSought]string{
	domain.RoleCoContractor:  "Un co-traitant, qui répond avec nous",
	domain.RoleSubcontractor: "Un sous-traitant, qui travaille pour nous",
	domain.RoleMandataire:    "Un mandataire, qui mène le groupement",
}

// roleSoughtShort name the partner sought in a heading: "X cherche un co-traitant".
var roleSoughtShort = map[domain.RoleSought]string{domain.RoleCoContractor: "un co-traitant",
	domain.RoleSubcontractor: "un sous-traitant", domain.RoleMandataire: "un mandataire"}

var roleSoughtOrder = []domain.RoleSought{domain.RoleCoContractor, domain.RoleSubcontractor, domain.RoleMandataire}

var callStatusLabels = map[domain.CallStatus]string{domain.CallOpen: "Ouvert", domain.CallClosed: "Clos", domain.CallFilled: "Pourvu"}

var applicationStatusLabels = map[domain.ApplicationStatus]string{domain.ApplicationPending: "En attente",
	domain.ApplicationAccepted: "Acceptée", domain.ApplicationDeclined: "Refusée"}

var noticeLabels = map[string]string{service.NoticeApplicationReceived: "Candidature reçue sur votre appel",
	service.NoticeApplicationAccepted: "Votre candidature est acceptée", service.NoticeApplicationDeclined: "Votre candidature est refusée"}

// myStructureChoices are the structures the user acts for, by name.
func (s *Site) myStructureChoices(r *http.Request, except string) []choice {
	var out []choice
	for _, id := range service.ActorFrom(r.Context()).StructureIDs {
		if id == except {
			continue
		}
		if st, err := s.deps.Directory.FindStructureByID(r.Context(), id); err == nil {
			out = append(out, choice{Value: st.ID, Label: st.Name})
		}
	}
	return out
}

// actingFor is the structure a form is posted for: the one chosen, or the user's only one.
func (s *Site) actingFor(r *http.Request) string {
	if id := strings.TrimSpace(r.PostFormValue("structure_id")); id != "" {
		return id
	}
	if mine := service.ActorFrom(r.Context()).StructureIDs; len(mine) == 1 {
		return mine[0]
	}
	return ""
}

type exchangePage struct {
	Calls   []domain.PartnershipCall
	Names   map[string]string
	Notices []service.PartnershipNotice
	Next    string
	Q       string
	Commune string
	CPV     string
	Mine    bool
}

// exchange lists the open partnership calls, searchable by words, activity and commune, and the user's notices.
func (s *Site) exchange(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	q := r.URL.Query()
	p := exchangePage{Q: strings.TrimSpace(q.Get("q")), CPV: strings.TrimSpace(q.Get("cpv")), Mine: q.Get("miens") == "1", Names: map[string]string{}}
	var errs formErrors
	f := domain.PartnershipCallFilter{Text: p.Q, Status: domain.CallOpen}
	if p.CPV != "" {
		f.CPV = []string{p.CPV}
	}
	if c := strings.TrimSpace(q.Get("commune")); c != "" {
		p.Commune = c
		if code, ok := s.resolveCommune(c); ok {
			f.Commune = code
		} else {
			errs.add("commune", "commune introuvable : vérifiez l'orthographe ou indiquez son code INSEE")
		}
	}
	cursor, err := domain.DecodeCursor(q.Get("cursor"))
	if err != nil {
		s.staleLink(w, r)
		return
	}
	status := http.StatusOK
	if !errs.Any() {
		mine := service.ActorFrom(r.Context()).StructureIDs
		if p.Mine && len(mine) > 0 {
			f.StructureID, f.Status = mine[0], ""
		}
		page, err := s.deps.Partnerships.FindCalls(r.Context(), f, domain.PageRequest{Size: 30, Cursor: cursor})
		switch {
		case domain.KindOf(err) == domain.KindInvalid:
			errs, status = newFormErrors(err), http.StatusUnprocessableEntity
		case err != nil:
			s.fail(w, r, err)
			return
		default:
			p.Calls, p.Next = page.Items, page.NextCursor
		}
	} else {
		status = http.StatusUnprocessableEntity
	}
	for _, c := range p.Calls {
		if _, ok := p.Names[c.StructureID]; !ok {
			if st, err := s.deps.Directory.FindStructureByID(r.Context(), c.StructureID); err == nil {
				p.Names[c.StructureID] = st.Name
			}
		}
	}
	if p.Notices, err = s.deps.Partnerships.Notices(r.Context(), 10); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "exchange", view{Title: "Co-traitance : appels à partenaires", Section: "cotraitance", Errors: errs, Data: p})
}

type callForm struct {
	C            domain.PartnershipCall
	Structures   []choice
	Roles        []choice
	Lot          *domain.Tender
	LotTitle     string
	CPV          string
	Communes     string
	Capacity     string
	Deadline     string
	ExtDeadline  string
	ExtValue     string
	ExtCommunes  string
	ExtCPV       string
	External     domain.ExternalConsultation
	FromTenderID string
}

func (s *Site) callFormData(r *http.Request, c domain.PartnershipCall) callForm {
	f := callForm{C: c, Structures: s.myStructureChoices(r, ""), CPV: strings.Join(c.CPVCodes, ", "), Communes: communeList(c.Communes)}
	for _, role := range roleSoughtOrder {
		f.Roles = append(f.Roles, choice{Value: string(role), Label: roleSoughtLabels[role]})
	}
	if c.CapacitySoughtEUR != nil {
		f.Capacity = strconv.FormatInt(*c.CapacitySoughtEUR, 10)
	}
	if !c.Deadline.IsZero() {
		f.Deadline = c.Deadline.Format("2006-01-02")
	}
	if c.External != nil {
		f.External = *c.External
		f.ExtDeadline = dateInput(c.External.Deadline)
		f.ExtCPV, f.ExtCommunes = strings.Join(c.External.CPVCodes, ", "), communeList(c.External.Communes)
		if c.External.LotValueEUR != nil {
			f.ExtValue = strconv.FormatInt(*c.External.LotValueEUR, 10)
		}
	}
	if c.TenderID != "" && s.deps.Tenders != nil {
		if t, err := s.deps.Tenders.FindTenderByID(r.Context(), c.TenderID); err == nil {
			if l, ok := t.Lot(c.LotNumber); ok {
				f.Lot, f.LotTitle = t, l.Title
			}
		}
	}
	return f
}

func communeList(codes []string) string {
	names := make([]string, len(codes))
	for i, c := range codes {
		names[i] = communeName(c)
	}
	return strings.Join(names, ", ")
}

func (s *Site) newCallForm(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	c := domain.PartnershipCall{RoleSought: domain.RoleCoContractor}
	q := r.URL.Query()
	if id := q.Get("achat"); id != "" {
		c.TenderID = id
		c.LotNumber, _ = strconv.Atoi(q.Get("lot"))
	}
	if st := s.myStructureChoices(r, ""); len(st) > 0 {
		c.StructureID = st[0].Value
	}
	s.render(w, r, http.StatusOK, "call-form", view{Title: "Chercher des partenaires", Section: "cotraitance", Data: s.callFormData(r, c)})
}

// createCall posts a partnership call, on a lot of a tender or on an outside consultation.
func (s *Site) createCall(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	var errs formErrors
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	c := domain.PartnershipCall{StructureID: s.actingFor(r), TenderID: v("tender_id"), RoleSought: domain.RoleSought(v("role_sought")),
		CPVCodes: splitList(v("cpv_codes")), Message: v("message")}
	c.LotNumber, _ = strconv.Atoi(v("lot_number"))
	c.Communes = s.readCommunes(&errs, "communes", v("communes"))
	c.CapacitySoughtEUR = readAmount(&errs, "capacity_sought_eur", v("capacity_sought_eur"))
	if d := readDate(&errs, "deadline", v("deadline")); d != nil {
		c.Deadline = *d
	}
	if c.TenderID == "" {
		ext := domain.ExternalConsultation{Reference: v("external.reference"), Buyer: v("external.buyer"), URL: v("external.url"),
			CPVCodes: splitList(v("external.cpv_codes"))}
		ext.Deadline = readDate(&errs, "external.deadline", v("external.deadline"))
		ext.LotValueEUR = readAmount(&errs, "external.lot_value_eur", v("external.lot_value_eur"))
		ext.Communes = s.readCommunes(&errs, "external.communes", v("external.communes"))
		c.External = &ext
	}
	if !errs.Any() {
		view, err := s.deps.Partnerships.CreateCall(r.Context(), c)
		if err == nil {
			redirect(w, r, "/cotraitance/appels/"+view.ID+"?ok=appel")
			return
		}
		if domain.KindOf(err) != domain.KindInvalid {
			s.fail(w, r, err)
			return
		}
		errs = newFormErrors(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "call-form", view{Title: "Chercher des partenaires (erreur)", Section: "cotraitance",
		Errors: errs, Data: s.callFormData(r, c)})
}

type callPageData struct {
	V           *service.CallView
	Suggestions []partners.Suggestion
	Applicants  []choice // structures the user may apply with
	Group       []choice // the caller and the accepted partners, for a groupement
	Applied     bool
}

// callPage shows a call: to its structure the applications, the suggested partners and the groupement form; to
// other structures the form to apply.
func (s *Site) callPage(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	s.renderCall(w, r, http.StatusOK, formErrors{})
}

func (s *Site) renderCall(w http.ResponseWriter, r *http.Request, status int, errs formErrors) {
	v, err := s.deps.Partnerships.FindCall(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d := callPageData{V: v}
	if v.Mine {
		if v.Status == domain.CallOpen {
			if d.Suggestions, err = s.deps.Partnerships.SuggestPartners(r.Context(), v.ID, 8); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		d.Group = []choice{{Value: v.StructureID, Label: v.StructureName}}
		for _, a := range v.Applications {
			if a.Status == domain.ApplicationAccepted {
				d.Group = append(d.Group, choice{Value: a.StructureID, Label: a.StructureName})
			}
		}
	} else {
		d.Applicants = s.myStructureChoices(r, v.StructureID)
		d.Applied = len(v.Applications) > 0
	}
	s.render(w, r, status, "call", view{Title: "Appel à partenaires de " + v.StructureName, Section: "cotraitance", Errors: errs, Data: d})
}

func (s *Site) applyToCall(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	_, err := s.deps.Partnerships.Apply(r.Context(), r.PathValue("id"), domain.Application{StructureID: s.actingFor(r),
		Message: v("message"), CPVCodes: splitList(v("cpv_codes"))})
	if err == nil {
		redirect(w, r, "/cotraitance/appels/"+r.PathValue("id")+"?ok=candidature")
		return
	}
	if domain.KindOf(err) != domain.KindInvalid {
		s.fail(w, r, err)
		return
	}
	s.renderCall(w, r, http.StatusUnprocessableEntity, newFormErrors(err))
}

func (s *Site) decideApplication(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	a, err := s.deps.Partnerships.DecideApplication(r.Context(), r.PathValue("id"), r.PostFormValue("decision") == "accept")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/cotraitance/appels/"+a.CallID+"?ok=decision")
}

func (s *Site) closeCall(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	status := domain.CallClosed
	if r.PostFormValue("status") == string(domain.CallFilled) {
		status = domain.CallFilled
	}
	if _, err := s.deps.Partnerships.CloseCall(r.Context(), r.PathValue("id"), status); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/cotraitance/appels/"+r.PathValue("id")+"?ok=appel-clos")
}

// formGroupement forms a groupement from a call with the caller's structure and the partners it accepted.
func (s *Site) formGroupement(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	members := nonEmpty(r.PostForm["member_ids"])
	mandataire := r.PostFormValue("mandataire_id")
	if mandataire != "" && !slices.Contains(members, mandataire) {
		members = append(members, mandataire)
	}
	g, err := s.deps.Partnerships.CreateGroupement(r.Context(), service.GroupementRequest{CallID: r.PathValue("id"),
		Form: domain.GroupementForm(r.PostFormValue("form")), MandataireID: mandataire, MemberIDs: members})
	if err == nil {
		redirect(w, r, "/cotraitance/groupements/"+g.ID+"?ok=groupement")
		return
	}
	if domain.KindOf(err) != domain.KindInvalid {
		s.fail(w, r, err)
		return
	}
	s.renderCall(w, r, http.StatusUnprocessableEntity, newFormErrors(err))
}

type groupementPage struct {
	G        *service.GroupementView
	Members  []choice
	CanAct   bool
	FormText string
}

func (s *Site) groupementPage(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	g, err := s.deps.Partnerships.FindGroupement(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := groupementPage{G: g, FormText: "conjoint : chaque membre s'engage pour sa part (R2142-20)"}
	if g.Form == domain.FormSeveral {
		p.FormText = "solidaire : chaque membre s'engage pour l'ensemble du marché (R2142-20)"
	}
	a := service.ActorFrom(r.Context())
	for _, id := range g.MemberIDs {
		p.Members = append(p.Members, choice{Value: id, Label: g.MemberNames[id]})
		p.CanAct = p.CanAct || a.MemberOf(id)
	}
	s.render(w, r, http.StatusOK, "groupement", view{Title: "Groupement pour « " + g.Lot.Title + " »", Section: "cotraitance", Data: p})
}

func (s *Site) submitGroupement(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Partnerships != nil) {
		return
	}
	if _, err := s.deps.Partnerships.SubmitGroupement(r.Context(), r.PathValue("id")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/cotraitance/groupements/"+r.PathValue("id")+"?ok=depot")
}

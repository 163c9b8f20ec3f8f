package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

// structureOnly lets through the members of structures (and administrators, who see every notification).
func (s *Site) structureOnly(w http.ResponseWriter, r *http.Request, needed bool) bool {
	a := service.ActorFrom(r.Context())
	switch {
	case !needed:
		s.notFound(w, r)
	case a.Anonymous():
		s.fail(w, r, domain.Unauthenticated("sign in"))
	case a.Role != service.RoleStructure && !a.IsAdmin():
		s.fail(w, r, domain.Forbidden("structure members only"))
	default:
		return true
	}
	return false
}

type notificationList struct {
	Items      []service.Notification
	Next       string
	UnreadOnly bool
}

// notifications lists the lots the user's structures were told about, newest first.
func (s *Site) notifications(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Tenders != nil) {
		return
	}
	q := r.URL.Query()
	cursor, err := domain.DecodeCursor(q.Get("cursor"))
	if err != nil {
		s.staleLink(w, r)
		return
	}
	unread := q.Get("non-lus") == "1"
	page, err := s.deps.Tenders.ListNotifications(r.Context(), unread, domain.PageRequest{Size: 30, Cursor: cursor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "notifications", view{Title: "Besoins des acheteurs", Section: "besoins",
		Data: notificationList{Items: page.Items, Next: page.NextCursor, UnreadOnly: unread}})
}

type needForm struct {
	T            *domain.Tender
	Lot          domain.Lot
	Open         bool
	Structures   []choice
	StructureID  string
	Answer       string
	Reason       string
	Message      string
	Reasons      []choice
	Partnerships bool
}

func (s *Site) needData(r *http.Request, t *domain.Tender, l domain.Lot) needForm {
	f := needForm{T: t, Lot: l, Open: t.Open(s.deps.Now()), Reasons: declineChoices(), Partnerships: s.deps.Partnerships != nil}
	for _, id := range service.ActorFrom(r.Context()).StructureIDs {
		if st, err := s.deps.Directory.FindStructureByID(r.Context(), id); err == nil {
			f.Structures = append(f.Structures, choice{Value: st.ID, Label: st.Name})
		}
	}
	if len(f.Structures) > 0 {
		f.StructureID = f.Structures[0].Value
	}
	return f
}

// needPage shows a lot to a structure with the form to answer it; coming from a notification marks it read.
func (s *Site) needPage(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Tenders != nil) {
		return
	}
	t, l, ok := s.tenderLot(w, r)
	if !ok {
		return
	}
	if id := r.URL.Query().Get("avis"); id != "" {
		if _, err := s.deps.Tenders.MarkNotificationRead(r.Context(), id); err != nil && domain.KindOf(err) != domain.KindNotFound {
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusOK, "need", view{Title: "Lot " + strconv.Itoa(l.Number) + " : " + l.Title, Section: "besoins",
		Data: s.needData(r, t, l)})
}

// answerNeed records a structure's answer to a lot: interested, or not with a reason.
func (s *Site) answerNeed(w http.ResponseWriter, r *http.Request) {
	if !s.structureOnly(w, r, s.deps.Tenders != nil) {
		return
	}
	t, l, ok := s.tenderLot(w, r)
	if !ok {
		return
	}
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	i := service.Interest{StructureID: s.actingFor(r), Answer: service.InterestAnswer(v("answer")), Message: v("message")}
	if i.Answer == service.NotInterested {
		i.Reason = v("reason")
	}
	_, err := s.deps.Tenders.Answer(r.Context(), t.ID, l.Number, i)
	if err == nil {
		redirect(w, r, "/besoins?ok=reponse")
		return
	}
	if domain.KindOf(err) == domain.KindConflict {
		s.errorPage(w, r, http.StatusConflict, "Réponses closes", "Ce besoin ne prend plus de réponses : sa date limite est passée ou l'acheteur l'a clos.")
		return
	}
	if domain.KindOf(err) != domain.KindInvalid {
		s.fail(w, r, err)
		return
	}
	f := s.needData(r, t, l)
	f.StructureID, f.Answer, f.Reason, f.Message = i.StructureID, string(i.Answer), i.Reason, i.Message
	s.render(w, r, http.StatusUnprocessableEntity, "need", view{Title: "Lot " + strconv.Itoa(l.Number) + " (erreur)",
		Section: "besoins", Errors: newFormErrors(err), Data: f})
}

package web

import (
	"net/http"
	"net/url"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

// accountsPageSize is the number of accounts a page of /admin/comptes lists.
const accountsPageSize = 50

type accountsPage struct {
	Users  []service.UserSummary
	Total  int
	Next   string // address of the next page, "" on the last
	Filter accountsFilter
	Self   string // the administrator's own account, which offers no action
	Failed string // the account whose form was refused, to mark its reason field
}

// accountsFilter is the filter form as submitted, kept as text to show it back.
type accountsFilter struct{ Role, Status, Email string }

func (f accountsFilter) query() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"role": f.Role, "statut": f.Status, "email": f.Email} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

// Active reports whether any filter is set.
func (f accountsFilter) Active() bool { return f != accountsFilter{} }

// adminAccounts lists the accounts for administrators, with filters; the service refuses everybody else
// (sign-in page for visitors, 403 for other roles).
func (s *Site) adminAccounts(w http.ResponseWriter, r *http.Request) {
	s.renderAccounts(w, r, http.StatusOK, formErrors{}, "")
}

func (s *Site) renderAccounts(w http.ResponseWriter, r *http.Request, status int, errs formErrors, failed string) {
	q := r.URL.Query()
	f := accountsFilter{Role: q.Get("role"), Status: q.Get("statut"), Email: q.Get("email")}
	cursor, err := domain.DecodeCursor(q.Get("cursor"))
	if err != nil {
		s.staleLink(w, r)
		return
	}
	page, err := s.deps.Accounts.ListUsers(r.Context(), service.UserFilter{Role: service.Role(f.Role),
		Status: service.UserStatus(f.Status), Email: f.Email}, domain.PageRequest{Size: accountsPageSize, Cursor: cursor})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := accountsPage{Users: page.Items, Total: page.Total, Filter: f, Self: service.ActorFrom(r.Context()).UserID, Failed: failed}
	if page.NextCursor != "" {
		next := f.query()
		next.Set("cursor", page.NextCursor)
		data.Next = "/admin/comptes?" + next.Encode()
	}
	s.render(w, r, status, "accounts", view{Title: "Comptes", Section: "comptes", Errors: errs, Data: data})
}

// setAccountStatus suspends or reactivates an account from the list; a refused reason shows the list again
// with the error next to that account's field.
func (s *Site) setAccountStatus(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	status := service.UserStatus(r.PostFormValue("status"))
	_, err := s.deps.Accounts.SetUserStatus(r.Context(), id, status, r.PostFormValue("reason"))
	if err != nil {
		if domain.KindOf(err) == domain.KindInvalid {
			s.renderAccounts(w, r, http.StatusUnprocessableEntity, newFormErrors(err), id)
			return
		}
		s.fail(w, r, err)
		return
	}
	done := "compte-reactive"
	if status == service.UserDisabled {
		done = "compte-suspendu"
	}
	redirect(w, r, "/admin/comptes?ok="+done)
}

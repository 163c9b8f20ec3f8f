package web

import (
	"net/http"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type loginData struct {
	Email  string
	Return string
}

// localPath keeps a return address on this site: a path, never another host ("//evil.example" or "/\evil").
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") || len(p) > 2000 {
		return "/"
	}
	return p
}

func (s *Site) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", view{Title: "Se connecter",
		Data: loginData{Return: localPath(r.URL.Query().Get("retour"))}})
}

func (s *Site) login(w http.ResponseWriter, r *http.Request) {
	email, password := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	data := loginData{Email: email, Return: localPath(r.PostFormValue("retour"))}
	var errs formErrors
	if email == "" {
		errs.add("email", "indiquez votre adresse e-mail")
	}
	if password == "" {
		errs.add("password", "indiquez votre mot de passe")
	}
	if !errs.Any() {
		tok, err := s.deps.Accounts.Login(r.Context(), email, password, s.clientIP(r))
		if err == nil {
			s.startSession(w, r, tok.Token, tok.ExpiresAt)
			sep := "?"
			if strings.Contains(data.Return, "?") {
				sep = "&"
			}
			redirect(w, r, data.Return+sep+"ok=connecte")
			return
		}
		switch domain.KindOf(err) {
		case domain.KindUnauthenticated, domain.KindForbidden, domain.KindTooManyRequests:
			errs.general = append(errs.general, frenchMessage(domainDetail(err)))
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "login", view{Title: "Se connecter (erreur)", Errors: errs, Data: data})
}

func domainDetail(err error) string {
	if de, ok := err.(*domain.Error); ok { //nolint:errorlint // the service returns *domain.Error as is
		return de.Detail
	}
	return err.Error()
}

func (s *Site) logout(w http.ResponseWriter, r *http.Request) {
	if !service.ActorFrom(r.Context()).Anonymous() {
		if err := s.deps.Accounts.RevokeCurrentToken(r.Context()); err != nil && domain.KindOf(err) != domain.KindNotFound {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, r, sessionCookie)
	redirect(w, r, "/?ok=deconnecte")
}

type signupData struct {
	Role, Email, SIRET, OrganisationName, OrganisationKind string
	HasSPASER                                              bool
	OrganisationKinds                                      []choice
}

type choice struct{ Value, Label string }

var organisationKindLabels = map[string]string{
	"commune": "Commune", "epci": "Intercommunalité (EPCI)", "departement": "Département", "region": "Région",
	"hospital": "Établissement de santé", "state": "Service de l'État", "other": "Autre acheteur public",
}

func organisationKinds() []choice {
	out := make([]choice, 0, len(service.OrganisationKinds))
	for _, k := range service.OrganisationKinds {
		out = append(out, choice{Value: k, Label: organisationKindLabels[k]})
	}
	return out
}

func (s *Site) signupForm(w http.ResponseWriter, r *http.Request) {
	role := r.URL.Query().Get("role")
	if role != string(service.RoleBuyer) {
		role = string(service.RoleStructure)
	}
	s.render(w, r, http.StatusOK, "signup", view{Title: "Créer un compte",
		Data: signupData{Role: role, OrganisationKinds: organisationKinds()}})
}

func (s *Site) signup(w http.ResponseWriter, r *http.Request) {
	data := signupData{Role: r.PostFormValue("role"), Email: strings.TrimSpace(r.PostFormValue("email")),
		SIRET: strings.ReplaceAll(strings.TrimSpace(r.PostFormValue("siret")), " ", ""), OrganisationName: r.PostFormValue("organisation_name"),
		OrganisationKind: r.PostFormValue("organisation_kind"), HasSPASER: r.PostFormValue("has_spaser") == "true",
		OrganisationKinds: organisationKinds()}
	var errs formErrors
	if r.PostFormValue("password") != r.PostFormValue("password_confirm") {
		errs.add("password_confirm", "les deux mots de passe ne sont pas identiques")
	}
	if !errs.Any() {
		_, _, err := s.deps.Accounts.Register(r.Context(), service.SignUp{Email: data.Email, Password: r.PostFormValue("password"),
			Role: service.Role(data.Role), SIRET: data.SIRET, OrganisationName: data.OrganisationName,
			OrganisationKind: data.OrganisationKind, HasSPASER: data.HasSPASER})
		switch {
		case err == nil:
			redirect(w, r, "/connexion?ok=inscrit")
			return
		case domain.KindOf(err) == domain.KindInvalid:
			errs = newFormErrors(err)
		case domain.KindOf(err) == domain.KindConflict:
			// The same answer as a success would leak which e-mails have accounts; saying it helps the many honest
			// users more than it costs, since sign-in already rate-limits guessing.
			errs.add("email", "un compte existe déjà avec cette adresse : connectez-vous")
		default:
			s.fail(w, r, err)
			return
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "signup", view{Title: "Créer un compte (erreur)", Errors: errs, Data: data})
}

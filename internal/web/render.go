package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

//go:embed templates
var templateFiles embed.FS

// pageSet holds one template per page, each made of the layout, the shared partials and the page's own file.
type pageSet struct {
	byName map[string]*template.Template
}

func loadPages() (*pageSet, error) {
	base, err := template.New("layout").Funcs(templateFuncs).ParseFS(templateFiles, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/pages/*.html")
	if err != nil {
		return nil, err
	}
	set := &pageSet{byName: map[string]*template.Template{}}
	for _, file := range names {
		t, err := template.Must(base.Clone()).ParseFS(templateFiles, file)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		set.byName[strings.TrimSuffix(path.Base(file), ".html")] = t
	}
	return set, nil
}

// view is what every page template receives.
type view struct {
	Title   string
	Section string // the navigation entry to mark as current
	Actor   service.Actor
	CSRF    string
	Path    string
	Message string
	Errors  formErrors
	Data    any
	// Has tells the layout which optional parts of the site are served, so that it links only to those.
	Has features
}

// features are the optional parts of the site, present when their use cases are wired.
type features struct{ Tenders, Allotment, Partnerships bool }

// render writes a whole page; htmx requests pick the part they need with hx-select, so that every URL also works
// without JavaScript.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	t, ok := s.pages.byName[name]
	if !ok {
		s.internalError(w, r, fmt.Errorf("no page template %q", name))
		return
	}
	sess := sessionFrom(r.Context())
	v.Actor, v.CSRF, v.Path = sess.actor, sess.token(), r.URL.Path
	v.Has = features{Tenders: s.deps.Tenders != nil, Allotment: s.deps.Allotment != nil && s.deps.Tenders != nil,
		Partnerships: s.deps.Partnerships != nil}
	if v.Message == "" {
		v.Message = flashMessages[r.URL.Query().Get("ok")]
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", v); err != nil {
		s.internalError(w, r, fmt.Errorf("render %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Vary", "Cookie, HX-Request")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// flashMessages are the confirmations a redirect after a form may ask for (?ok=code): fixed texts, so that a
// link cannot make the site display words of an outsider's choosing.
var flashMessages = map[string]string{
	"connecte":        "Vous êtes connecté.",
	"deconnecte":      "Vous êtes déconnecté.",
	"inscrit":         "Votre demande d'inscription est enregistrée. Vous pourrez vous connecter dès qu'un réseau ou un administrateur l'aura validée.",
	"profil":          "Le profil de la structure est enregistré.",
	"structure":       "La structure est créée. Ajoutez maintenant ses offres.",
	"offre":           "L'offre est enregistrée.",
	"offre-supprimee": "L'offre est supprimée.",
	"demande":         "La décision sur la demande est enregistrée.",
	"verification":    "La vérification de la structure est enregistrée.",
	"achat":           "Le besoin d'achat est enregistré.",
	"statut":          "L'état du besoin d'achat est changé.",
	"allotissement":   "Les lots de l'alternative choisie sont enregistrés dans ce brouillon : vérifiez-les puis publiez le besoin.",
	"reponse":         "Votre réponse est envoyée à l'acheteur.",
	"appel":           "Votre appel à partenaires est publié.",
	"candidature":     "Votre candidature est envoyée.",
	"decision":        "Votre décision sur la candidature est enregistrée.",
	"appel-clos":      "L'appel à partenaires est clos.",
	"groupement":      "Le groupement est formé.",
	"depot":           "Le groupement est déposé : sa composition ne peut plus changer (R2142-26).",
	"compte-suspendu": "Le compte est suspendu : il ne peut plus se connecter et ses sessions et clés d'API sont révoquées.",
	"compte-reactive": "Le compte est réactivé : son titulaire peut de nouveau se connecter.",
}

// redirect sends the browser to a page after a form (303, so that reloading does not post again).
func redirect(w http.ResponseWriter, r *http.Request, to string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", to)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// fail answers a use-case error with the page that fits its kind; invalid input is the caller's to show in its
// form, so it only reaches here when there is no form to show it in.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	switch domain.KindOf(err) {
	case domain.KindUnauthenticated:
		redirect(w, r, "/connexion?retour="+url.QueryEscape(r.URL.RequestURI()))
	case domain.KindNotFound:
		s.errorPage(w, r, http.StatusNotFound, "Page introuvable", "Cette page n'existe pas, ou vous n'avez pas le droit de la voir.")
	case domain.KindForbidden:
		s.errorPage(w, r, http.StatusForbidden, "Accès refusé", "Votre compte ne permet pas de faire cela.")
	case domain.KindInvalid:
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Demande incorrecte", strings.Join(newFormErrors(err).Messages(), " "))
	case domain.KindConflict, domain.KindPreconditionFailed:
		s.errorPage(w, r, http.StatusConflict, "Conflit", "Les données ont changé entre-temps : rechargez la page et recommencez.")
	case domain.KindTooManyRequests:
		var ra service.RetryAfter
		wait := time.Minute
		if errors.As(err, &ra) {
			wait = ra.Wait
		}
		s.tooMany(w, r, wait)
	case domain.KindUnavailable:
		s.errorPage(w, r, http.StatusServiceUnavailable, "Service momentanément indisponible",
			"La recherche est en cours de préparation. Réessayez dans quelques instants.")
	default:
		s.internalError(w, r, err)
	}
}

func (s *Site) internalError(w http.ResponseWriter, r *http.Request, err error) {
	sess := sessionFrom(r.Context())
	s.deps.Logger.Error("web page failed", "path", r.URL.Path, "request_id", sess.actor.RequestID, "error", err)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	// A plain page: rendering the layout may be what failed.
	_, _ = fmt.Fprintf(w, `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Erreur - Essor</title></head>`+
		`<body><main><h1>Une erreur est survenue</h1><p>Réessayez dans un instant. Si l'erreur persiste, donnez ce code à l'équipe : %s</p>`+
		`<p><a href="/">Retour à l'accueil</a></p></main></body></html>`, template.HTMLEscapeString(sess.actor.RequestID))
}

type errorData struct{ Heading, Text string }

func (s *Site) errorPage(w http.ResponseWriter, r *http.Request, status int, heading, text string) {
	s.render(w, r, status, "error", view{Title: heading, Data: errorData{Heading: heading, Text: text}})
}

func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Page introuvable", "Cette page n'existe pas, ou vous n'avez pas le droit de la voir.")
}

func (s *Site) tooMany(w http.ResponseWriter, r *http.Request, wait time.Duration) {
	secs := max(1, int(wait.Seconds()+0.999))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	s.errorPage(w, r, http.StatusTooManyRequests, "Trop de demandes",
		fmt.Sprintf("Vous avez fait beaucoup de demandes en peu de temps. Patientez %d secondes puis réessayez.", secs))
}

func (s *Site) forbiddenForm(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusForbidden, "Formulaire expiré",
		"Ce formulaire a expiré ou ne vient pas de ce site. Revenez à la page précédente, rechargez-la et recommencez.")
}

package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"time"

	"github.com/essor-ess/essor/internal/service"
)

// Cookie names. The session cookie holds the bearer token of service.Accounts (opaque, 256 bits, stored hashed):
// the site reuses the API's sessions, their expiry and their revocation.
const (
	sessionCookie = "essor_session"
	csrfCookie    = "essor_csrf"
	csrfField     = "csrf"
)

type sessionKey struct{}

// session is what the site knows of the browser: who is signed in (anonymous if nobody), with which token, and
// the browser's CSRF secret.
type session struct {
	actor  service.Actor
	secret string // the bearer token of the signed-in user, "" when anonymous
	csrf   string // random value of the CSRF cookie
}

func sessionFrom(ctx context.Context) *session {
	if s, ok := ctx.Value(sessionKey{}).(*session); ok {
		return s
	}
	return &session{}
}

// loadSession authenticates the session cookie (a stale one is cleared) and makes sure the browser has a CSRF
// secret.
func (s *Site) loadSession(w http.ResponseWriter, r *http.Request) *session {
	sess := &session{actor: service.Actor{RequestID: newRequestID()}}
	if c, err := r.Cookie(sessionCookie); err == nil && c.Value != "" && s.deps.Accounts != nil {
		actor, err := s.deps.Accounts.Authenticate(r.Context(), c.Value)
		if err == nil {
			actor.RequestID = sess.actor.RequestID
			sess.actor, sess.secret = actor, c.Value
		} else {
			s.clearCookie(w, r, sessionCookie)
		}
	}
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 64 {
		sess.csrf = c.Value
	} else {
		sess.csrf = randomText(32)
		http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: sess.csrf, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)})
	}
	return sess
}

// token is the form token of the session: an HMAC keyed by the browser's CSRF secret over the session token, so
// it changes at sign-in and sign-out and cannot be forged without reading the site's cookies (signed double
// submit, bound to the session).
func (sess *session) token() string {
	mac := hmac.New(sha256.New, []byte(sess.csrf))
	mac.Write([]byte("essor-form|" + sess.secret))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func (sess *session) validToken(got string) bool {
	return got != "" && sess.csrf != "" && hmac.Equal([]byte(got), []byte(sess.token()))
}

// startSession stores a new token in the session cookie, valid as long as the token.
func (s *Site) startSession(w http.ResponseWriter, r *http.Request, token string, expires time.Time) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		MaxAge: int(time.Until(expires).Seconds()), HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)})
}

func (s *Site) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.overTLS(r)})
}

func randomText(n int) string {
	b := make([]byte, n*3/4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func newRequestID() string { return randomText(16) }

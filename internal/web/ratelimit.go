package web

import (
	"net/http"
	"time"

	"github.com/essor-ess/essor/internal/ratelimit"
)

// Rate is a token-bucket limit: PerMinute requests a minute on average, Burst at once.
type Rate = ratelimit.Rate

// RateLimits are the site's request limits, the API's own (see internal/ratelimit): per client IP for visitors,
// per session for signed-in users, and per IP again, more strictly, for sign-in and sign-up forms.
type RateLimits = ratelimit.Limits

// DefaultRateLimits are the API's defaults.
var DefaultRateLimits = ratelimit.Defaults

type limiters struct {
	anonymous, authed, login *ratelimit.Store
}

func newLimiters(l RateLimits) *limiters {
	return &limiters{anonymous: ratelimit.NewStore(l.Anonymous), authed: ratelimit.NewStore(l.Authenticated),
		login: ratelimit.NewStore(l.Login)}
}

// loginPaths are the forms guessing and spam target.
var loginPaths = map[string]bool{"/connexion": true, "/inscription": true}

// take applies the limits to a request; limited requests get the wait before the next allowed one.
func (l *limiters) take(r *http.Request, sess *session, ip string) (time.Duration, bool) {
	now := time.Now()
	var (
		ok   bool
		wait time.Duration
	)
	if sess.actor.Anonymous() {
		ok, wait = l.anonymous.Allow("ip:"+ip, now)
	} else {
		ok, wait = l.authed.Allow("token:"+sess.actor.TokenID, now)
	}
	if ok && r.Method == http.MethodPost && loginPaths[r.URL.Path] {
		ok, wait = l.login.Allow("ip:"+ip, now)
	}
	return wait, !ok
}

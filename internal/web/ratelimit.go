package web

import (
	"net/http"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a token-bucket limit: PerMinute requests a minute on average, Burst at once.
type Rate struct {
	PerMinute int
	Burst     int
}

// RateLimits are the site's request limits, set from the API's: per client IP for visitors, per session for
// signed-in users, and per IP again, more strictly, for sign-in and sign-up forms.
type RateLimits struct {
	Anonymous     Rate
	Authenticated Rate
	Login         Rate
}

// DefaultRateLimits are the API's defaults.
var DefaultRateLimits = RateLimits{
	Anonymous:     Rate{PerMinute: 60, Burst: 30},
	Authenticated: Rate{PerMinute: 600, Burst: 100},
	Login:         Rate{PerMinute: 10, Burst: 5},
}

// maxBuckets bounds the memory of one limiter; idle buckets are forgotten before it is reached.
const maxBuckets = 100_000

type limiter struct {
	limit   rate.Limit
	burst   int
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(r Rate) *limiter {
	return &limiter{limit: rate.Limit(float64(r.PerMinute) / 60), burst: max(r.Burst, 1), buckets: map[string]*bucket{}}
}

// allow takes a token from key's bucket, or says how long to wait for one.
func (l *limiter) allow(key string, now time.Time) (time.Duration, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute || len(l.buckets) >= maxBuckets {
		l.sweep(now)
	}
	b, ok := l.buckets[key]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	res := b.lim.ReserveN(now, 1)
	if !res.OK() {
		return time.Minute, false
	}
	if wait := res.DelayFrom(now); wait > 0 {
		res.CancelAt(now)
		return wait, false
	}
	return 0, true
}

// sweep forgets buckets idle long enough to be full again, which changes nothing, then any if still too many.
func (l *limiter) sweep(now time.Time) {
	l.swept = now
	refill := time.Duration(float64(l.burst) / float64(l.limit) * float64(time.Second))
	for k, b := range l.buckets {
		if now.Sub(b.seen) > refill || len(l.buckets) >= maxBuckets {
			delete(l.buckets, k)
		}
	}
}

type limiters struct {
	anonymous, authed, login *limiter
}

func newLimiters(l RateLimits) *limiters {
	return &limiters{anonymous: newLimiter(l.Anonymous), authed: newLimiter(l.Authenticated), login: newLimiter(l.Login)}
}

// loginPaths are the forms guessing and spam target.
var loginPaths = map[string]bool{"/connexion": true, "/inscription": true}

// take applies the limits to a request; limited requests get the wait before the next allowed one.
func (l *limiters) take(r *http.Request, sess *session, ip string) (time.Duration, bool) {
	now := time.Now()
	var wait time.Duration
	ok := true
	if sess.actor.Anonymous() {
		wait, ok = l.anonymous.allow("ip:"+ip, now)
	} else {
		wait, ok = l.authed.allow("token:"+sess.actor.TokenID, now)
	}
	if ok && r.Method == http.MethodPost && loginPaths[r.URL.Path] {
		wait, ok = l.login.allow("ip:"+ip, now)
	}
	return wait, !ok
}

// Package ratelimit keeps in-memory token buckets per key (client IP, token) for the API and the web pages, so
// both apply the same limits the same way.
package ratelimit

import (
	"math"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Rate is a token-bucket limit: PerMinute requests a minute on average, Burst at once.
type Rate struct {
	PerMinute int
	Burst     int
}

// Limits are the request limits of one instance. Anonymous callers are limited per client IP, signed-in ones per
// token; sign-in and sign-up are limited again per client IP, more strictly, since guessing and spam target them.
type Limits struct {
	Anonymous     Rate
	Authenticated Rate
	Login         Rate
}

// Defaults are 60 requests a minute (burst 30) per anonymous IP, 600 (burst 100) per token, 10 sign-in or sign-up
// attempts a minute (burst 5) per IP.
var Defaults = Limits{
	Anonymous:     Rate{PerMinute: 60, Burst: 30},
	Authenticated: Rate{PerMinute: 600, Burst: 100},
	Login:         Rate{PerMinute: 10, Burst: 5},
}

// maxKeys bounds the memory of one store; idle keys are swept before it is reached.
const maxKeys = 100_000

// Store holds one token bucket (golang.org/x/time/rate) per key, in memory: limits are per instance.
type Store struct {
	limit     rate.Limit
	burst     int
	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	limiter *rate.Limiter
	seen    time.Time
}

// NewStore returns an empty store applying r to every key.
func NewStore(r Rate) *Store {
	return &Store{limit: rate.Limit(float64(r.PerMinute) / 60), burst: max(r.Burst, 1), buckets: map[string]*bucket{}}
}

// Allow takes one token from key's bucket; when it is empty it returns false and how long until a token is back.
func (s *Store) Allow(key string, now time.Time) (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) > time.Minute || len(s.buckets) >= maxKeys {
		s.sweep(now)
	}
	b, ok := s.buckets[key]
	if !ok {
		b = &bucket{limiter: rate.NewLimiter(s.limit, s.burst)}
		s.buckets[key] = b
	}
	b.seen = now
	r := b.limiter.ReserveN(now, 1)
	if !r.OK() {
		return false, time.Minute
	}
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return false, wait
	}
	return true, 0
}

// sweep forgets buckets idle long enough to have refilled (forgetting them changes nothing), then any while the
// store is still full of active keys, rather than grow without bound.
func (s *Store) sweep(now time.Time) {
	s.lastSweep = now
	refill := time.Duration(float64(s.burst) / float64(s.limit) * float64(time.Second))
	for k, b := range s.buckets {
		if now.Sub(b.seen) > refill {
			delete(s.buckets, k)
		}
	}
	for k := range s.buckets {
		if len(s.buckets) < maxKeys {
			break
		}
		delete(s.buckets, k)
	}
}

// RetryAfter is a wait as the Retry-After header gives it: whole seconds, rounded up, at least 1.
func RetryAfter(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

package httpapi

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

// RateLimits are the request limits of the API. Anonymous callers are limited per client IP, signed-in ones per
// token; sign-in and sign-up are limited again per client IP, more strictly, since they are what guessing and
// spamming target.
type RateLimits struct {
	Anonymous     Rate
	Authenticated Rate
	Login         Rate
}

// DefaultRateLimits: 60 requests a minute (burst 30) per anonymous IP, 600 (burst 100) per token, 10 sign-in or
// sign-up attempts a minute (burst 5) per IP.
var DefaultRateLimits = RateLimits{
	Anonymous:     Rate{PerMinute: 60, Burst: 30},
	Authenticated: Rate{PerMinute: 600, Burst: 100},
	Login:         Rate{PerMinute: 10, Burst: 5},
}

// maxLimiterKeys bounds the memory of one limiter store; idle keys are swept before it is reached.
const maxLimiterKeys = 100_000

// limiterStore holds one token bucket (golang.org/x/time/rate) per key, in memory: limits are per instance.
type limiterStore struct {
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

func newLimiterStore(r Rate) *limiterStore {
	return &limiterStore{limit: rate.Limit(float64(r.PerMinute) / 60), burst: max(r.Burst, 1), buckets: map[string]*bucket{}}
}

// allow takes one token from key's bucket; when empty it returns false and how long until a token is back.
func (s *limiterStore) allow(key string, now time.Time) (bool, time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) > time.Minute || len(s.buckets) >= maxLimiterKeys {
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

// sweep forgets buckets idle long enough to have refilled: forgetting them changes nothing.
func (s *limiterStore) sweep(now time.Time) {
	s.lastSweep = now
	refill := time.Duration(float64(s.burst) / float64(s.limit) * float64(time.Second))
	for k, b := range s.buckets {
		if now.Sub(b.seen) > refill {
			delete(s.buckets, k)
		}
	}
	for k := range s.buckets { // still full of active keys: drop some rather than grow without bound
		if len(s.buckets) < maxLimiterKeys {
			break
		}
		delete(s.buckets, k)
	}
}

// retryAfterSeconds is a wait as the Retry-After header gives it: whole seconds, rounded up, at least 1.
func retryAfterSeconds(wait time.Duration) string {
	return strconv.Itoa(max(1, int(math.Ceil(wait.Seconds()))))
}

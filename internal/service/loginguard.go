package service

import (
	"sync"
	"time"
)

// LoginPolicy bounds password guessing. After FreeFailures consecutive failures for one e-mail (or IPFreeFailures
// for one client IP) every further attempt waits a lockout that starts at BaseLockout and doubles with each
// failure up to MaxLockout. A success for the e-mail clears its count. State is in memory, per instance.
type LoginPolicy struct {
	FreeFailures   int
	IPFreeFailures int
	BaseLockout    time.Duration
	MaxLockout     time.Duration
	// Forget drops the count of a key whose last failure is older than this.
	Forget time.Duration
}

// DefaultLoginPolicy allows 5 failures per e-mail and 20 per IP before a lockout of 1 minute doubling to 15.
var DefaultLoginPolicy = LoginPolicy{FreeFailures: 5, IPFreeFailures: 20, BaseLockout: time.Minute,
	MaxLockout: 15 * time.Minute, Forget: time.Hour}

// maxGuardKeys caps the memory the guard uses; past it, stale keys are swept and then the oldest dropped.
const maxGuardKeys = 100_000

type failureCount struct {
	failures    int
	lastFailure time.Time
	lockedUntil time.Time
}

// loginGuard counts login failures per e-mail and per client IP.
type loginGuard struct {
	policy LoginPolicy
	mu     sync.Mutex
	keys   map[string]*failureCount
}

func newLoginGuard(p LoginPolicy) *loginGuard {
	return &loginGuard{policy: p, keys: map[string]*failureCount{}}
}

// wait returns how long the caller must wait before trying again with these keys, 0 when it may try now.
func (g *loginGuard) wait(now time.Time, keys ...string) time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	var longest time.Duration
	for _, k := range keys {
		if c, ok := g.keys[k]; ok && c.lockedUntil.After(now) {
			longest = max(longest, c.lockedUntil.Sub(now))
		}
	}
	return longest
}

// fail records a failure for each key, with the number of free failures its kind allows.
func (g *loginGuard) fail(now time.Time, emailKey, ipKey string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.keys) >= maxGuardKeys {
		g.sweep(now)
	}
	g.failOne(now, emailKey, g.policy.FreeFailures)
	if ipKey != "" {
		g.failOne(now, ipKey, g.policy.IPFreeFailures)
	}
}

func (g *loginGuard) failOne(now time.Time, key string, free int) {
	c, ok := g.keys[key]
	if !ok || now.Sub(c.lastFailure) > g.policy.Forget {
		c = &failureCount{}
		g.keys[key] = c
	}
	c.failures++
	c.lastFailure = now
	if over := c.failures - free + 1; over > 0 {
		lock := g.policy.BaseLockout << min(over-1, 20)
		c.lockedUntil = now.Add(min(lock, g.policy.MaxLockout))
	}
}

func (g *loginGuard) succeed(emailKey string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.keys, emailKey)
}

func (g *loginGuard) sweep(now time.Time) {
	for k, c := range g.keys {
		if now.Sub(c.lastFailure) > g.policy.Forget && !c.lockedUntil.After(now) {
			delete(g.keys, k)
		}
	}
	for k := range g.keys { // still full: forget arbitrary keys rather than grow without bound
		if len(g.keys) < maxGuardKeys {
			break
		}
		delete(g.keys, k)
	}
}

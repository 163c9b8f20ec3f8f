package ratelimit

import (
	"testing"
	"time"
)

func TestStoreAllowsTheBurstThenTheRate(t *testing.T) {
	s := NewStore(Rate{PerMinute: 60, Burst: 3})
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := s.Allow("ip:1", now); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := s.Allow("ip:1", now)
	if ok || wait <= 0 || wait > time.Second {
		t.Fatalf("4th request: ok=%v wait=%v, want refused with a wait of at most 1 s (60/min)", ok, wait)
	}
	if ok, _ := s.Allow("ip:2", now); !ok {
		t.Fatal("another key shares the first key's bucket")
	}
	if ok, _ := s.Allow("ip:1", now.Add(time.Second)); !ok {
		t.Fatal("a token did not come back after a second")
	}
}

func TestSweepForgetsOnlyRefilledBuckets(t *testing.T) {
	s := NewStore(Rate{PerMinute: 60, Burst: 2})
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	s.Allow("idle", now)
	s.Allow("busy", now.Add(2*time.Minute))
	s.sweep(now.Add(2 * time.Minute))
	if _, ok := s.buckets["idle"]; ok {
		t.Error("an idle, refilled bucket was kept")
	}
	if _, ok := s.buckets["busy"]; !ok {
		t.Error("an active bucket was forgotten")
	}
}

func TestRetryAfterRoundsUpToWholeSeconds(t *testing.T) {
	for _, tc := range []struct {
		wait time.Duration
		want string
	}{{0, "1"}, {time.Millisecond, "1"}, {time.Second, "1"}, {1500 * time.Millisecond, "2"}, {time.Minute, "60"}} {
		if got := RetryAfter(tc.wait); got != tc.want {
			t.Errorf("RetryAfter(%v) = %s, want %s", tc.wait, got, tc.want)
		}
	}
}

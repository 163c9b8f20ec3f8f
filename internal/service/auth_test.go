package service

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHashRoundTrip(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q", h)
	}
	for pw, want := range map[string]bool{"correct horse battery staple": true, "correct horse battery stapl": false, "": false} {
		if ok, err := VerifyPassword(h, pw); ok != want || err != nil {
			t.Errorf("VerifyPassword(%q) = %v, %v; want %v", pw, ok, err, want)
		}
	}
	if _, err := VerifyPassword("$argon2id$v=19$m=99999999,t=2,p=1$AA$AA", "x"); err == nil {
		t.Error("absurd parameters accepted")
	}
}

func FuzzVerifyPassword(f *testing.F) {
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$a2V5", "x")
	f.Add("$$$$$", "")
	f.Fuzz(func(t *testing.T, hash, pw string) {
		if strings.Contains(hash, "m=") && len(hash) > 200 {
			t.Skip()
		}
		_, _ = VerifyPassword(hash, pw) // must not panic
	})
}

func TestLoginGuardLockoutDoublesAndExpires(t *testing.T) {
	g := newLoginGuard(DefaultLoginPolicy)
	now := time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		failures int
		wantWait time.Duration
	}{{4, 0}, {5, time.Minute}, {6, 2 * time.Minute}, {7, 4 * time.Minute}, {12, 15 * time.Minute}}
	done := 0
	for _, tt := range tests {
		for ; done < tt.failures; done++ {
			g.fail(now, "email:a@b.fr", "")
		}
		if got := g.wait(now, "email:a@b.fr"); got != tt.wantWait {
			t.Errorf("after %d failures wait %s, want %s", tt.failures, got, tt.wantWait)
		}
	}
	if got := g.wait(now.Add(16*time.Minute), "email:a@b.fr"); got != 0 {
		t.Errorf("lockout did not expire: %s", got)
	}
	if got := g.wait(now, "email:other@b.fr"); got != 0 {
		t.Errorf("another e-mail waits %s", got)
	}
}

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{"ESSFamily": "ess_family", "AnnualTurnoverEUR": "annual_turnover_eur",
		"SIRET": "siret", "NAFCode": "naf_code", "OpenToCotraitance": "open_to_cotraitance", "CPVCodes": "cpv_codes"} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%s) = %s, want %s", in, got, want)
		}
	}
}

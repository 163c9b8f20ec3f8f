package main

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/httpapi"
)

// loadSecurity reads the HTTP protections from the environment:
//
//	ESSOR_TRUSTED_PROXIES           CIDR list (comma-separated) whose X-Forwarded-For is believed; empty: none
//	ESSOR_CORS_ORIGINS              origins (https://achats.example.fr,…) browsers may call the API from; empty: none
//	ESSOR_RATE_LIMIT_ANONYMOUS      requests a minute per anonymous client IP, optionally /burst (default 60/30)
//	ESSOR_RATE_LIMIT_AUTHENTICATED  requests a minute per token (default 600/100)
//	ESSOR_RATE_LIMIT_LOGIN          sign-in and sign-up attempts a minute per client IP (default 10/5)
//	ESSOR_REQUEST_TIMEOUT           deadline of one request (default 10s)
func loadSecurity(getenv func(string) string) (httpapi.Security, error) {
	var sec httpapi.Security
	var errs []error
	for _, cidr := range splitList(getenv("ESSOR_TRUSTED_PROXIES")) {
		_, n, err := net.ParseCIDR(cidr)
		if err != nil {
			errs = append(errs, fmt.Errorf("ESSOR_TRUSTED_PROXIES: %q is not a CIDR (such as 10.0.0.0/8)", cidr))
			continue
		}
		sec.TrustedProxies = append(sec.TrustedProxies, n)
	}
	for _, origin := range splitList(getenv("ESSOR_CORS_ORIGINS")) {
		u, err := url.Parse(origin)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || origin == "*" {
			errs = append(errs, fmt.Errorf("ESSOR_CORS_ORIGINS: %q is not an origin (such as https://achats.example.fr)", origin))
			continue
		}
		sec.CORSOrigins = append(sec.CORSOrigins, strings.TrimSuffix(origin, "/"))
	}
	sec.Limits = httpapi.DefaultRateLimits
	for _, l := range []struct {
		env  string
		rate *httpapi.Rate
	}{
		{"ESSOR_RATE_LIMIT_ANONYMOUS", &sec.Limits.Anonymous},
		{"ESSOR_RATE_LIMIT_AUTHENTICATED", &sec.Limits.Authenticated},
		{"ESSOR_RATE_LIMIT_LOGIN", &sec.Limits.Login},
	} {
		if v := getenv(l.env); v != "" {
			r, err := parseRate(v)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", l.env, err))
				continue
			}
			*l.rate = r
		}
	}
	sec.RequestTimeout = httpapi.DefaultRequestTimeout
	if v := getenv("ESSOR_REQUEST_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 100*time.Millisecond || d > 10*time.Minute {
			errs = append(errs, fmt.Errorf("ESSOR_REQUEST_TIMEOUT %q: must be a duration from 100ms to 10m", v))
		} else {
			sec.RequestTimeout = d
		}
	}
	return sec, errors.Join(errs...)
}

// parseRate reads "60" (burst half of it) or "60/30" (per minute / burst).
func parseRate(v string) (httpapi.Rate, error) {
	perMinute, burst, hasBurst := strings.Cut(v, "/")
	pm, err := strconv.Atoi(strings.TrimSpace(perMinute))
	if err != nil || pm < 1 || pm > 1_000_000 {
		return httpapi.Rate{}, fmt.Errorf("%q: want requests a minute (1 to 1000000), optionally /burst", v)
	}
	b := max(1, pm/2)
	if hasBurst {
		b, err = strconv.Atoi(strings.TrimSpace(burst))
		if err != nil || b < 1 || b > 1_000_000 {
			return httpapi.Rate{}, fmt.Errorf("%q: the burst must be a number from 1 to 1000000", v)
		}
	}
	return httpapi.Rate{PerMinute: pm, Burst: b}, nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Package web serves Essor's site: French, server-rendered pages over the same use cases as the API, usable
// without JavaScript and enhanced with htmx.
package web

import (
	"context"
	"embed"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

//go:embed static
var staticFiles embed.FS

// Deps are what the site needs from the rest of the program: the same use cases the API calls.
type Deps struct {
	Directory *service.Directory
	Accounts  *service.Accounts
	// Indicators computes the indicators page; nil hides it.
	Indicators *service.IndicatorService
	// Tenders serves the buyers' tenders, their matches and answers, and the structures' notifications; nil
	// hides those pages.
	Tenders *service.Tenders
	// Allotment serves the lot-splitting assistant (it also needs Tenders to apply an alternative); nil hides it.
	Allotment *service.AllotmentService
	// Partnerships serves the co-contracting exchange; nil hides it.
	Partnerships *service.Partnerships
	Ref          *refdata.Catalog
	// Limits are the request limits, the API's own (DefaultRateLimits when zero).
	Limits RateLimits
	// TrustedProxies are the networks whose X-Forwarded-For and X-Forwarded-Proto are believed.
	TrustedProxies []*net.IPNet
	// RequestTimeout bounds the work of one request (10 s when zero).
	RequestTimeout time.Duration
	Logger         *slog.Logger
	// Now is the clock (time.Now when nil): the levers page reads the legal figures in force today.
	Now func() time.Time
}

// Site is the handler of the web pages.
type Site struct {
	deps   Deps
	mux    *http.ServeMux
	limits *limiters
	pages  *pageSet
	static http.Handler
}

// New returns the site's handler. It panics if the embedded templates do not parse, which the package tests rule
// out.
func New(deps Deps) *Site {
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Ref == nil {
		deps.Ref = refdata.Default()
	}
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.RequestTimeout <= 0 {
		deps.RequestTimeout = 10 * time.Second
	}
	if deps.Limits == (RateLimits{}) {
		deps.Limits = DefaultRateLimits
	}
	pages, err := loadPages()
	if err != nil {
		panic("web: " + err.Error())
	}
	sub, _ := fs.Sub(staticFiles, "static")
	s := &Site{deps: deps, mux: http.NewServeMux(), limits: newLimiters(deps.Limits), pages: pages,
		static: http.StripPrefix("/static/", http.FileServerFS(sub))}
	s.routes()
	return s
}

// ServeHTTP runs a request through the site's protections: security headers, static files (not rate limited),
// the session, the rate limits, the cross-origin and CSRF checks and a deadline, then the page.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if strings.HasPrefix(r.URL.Path, "/static/") {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			http.Error(w, "méthode non permise", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		s.static.ServeHTTP(w, r)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.deps.RequestTimeout)
	defer cancel()
	r = r.WithContext(ctx)
	sess := s.loadSession(w, r)
	r = r.WithContext(context.WithValue(service.WithActor(r.Context(), sess.actor), sessionKey{}, sess))
	if wait, limited := s.limits.take(r, sess, s.clientIP(r)); limited {
		s.tooMany(w, r, wait)
		return
	}
	if r.Method == http.MethodPost {
		if err := crossOrigin.Check(r); err != nil {
			s.forbiddenForm(w, r)
			return
		}
		if !sess.validToken(r.PostFormValue(csrfField)) && !sess.validToken(r.Header.Get("X-CSRF-Token")) {
			s.forbiddenForm(w, r)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

// crossOrigin refuses state-changing requests that browsers mark as coming from another site (Sec-Fetch-Site,
// Origin): a first line before the form token.
var crossOrigin = http.NewCrossOriginProtection()

// webCSP lets pages load only the site's own files: no inline script or style, forms posted to the site only.
const webCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", webCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
}

// clientIP is the peer's address, or the last address X-Forwarded-For adds before a trusted proxy.
func (s *Site) clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if !s.trusted(host) {
		return host
	}
	hops := strings.Split(r.Header.Get("X-Forwarded-For"), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		if hop == "" {
			continue
		}
		if !s.trusted(hop) {
			return hop
		}
		host = hop
	}
	return host
}

func (s *Site) trusted(ip string) bool {
	addr := net.ParseIP(ip)
	for _, n := range s.deps.TrustedProxies {
		if addr != nil && n.Contains(addr) {
			return true
		}
	}
	return false
}

// overTLS reports whether the browser reached the site over HTTPS, directly or through a trusted proxy: session
// cookies are then marked Secure.
func (s *Site) overTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, _ := net.SplitHostPort(r.RemoteAddr)
	return s.trusted(host) && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

// apiPrefixes are the paths the API answers when the site and the API share one server.
var apiPrefixes = []string{"/v1/", "/docs", "/openapi.yaml", "/healthz", "/readyz"}

// Mount serves the API's paths (/v1/…, /docs, /openapi.yaml, /healthz, /readyz) with api and every other path with
// site.
func Mount(api, site http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		for _, prefix := range apiPrefixes {
			if p == strings.TrimSuffix(prefix, "/") || strings.HasPrefix(p, prefix) {
				api.ServeHTTP(w, r)
				return
			}
		}
		site.ServeHTTP(w, r)
	})
}

package httpapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/ratelimit"
	"github.com/essor-ess/essor/internal/service"
)

// Security configures the protections of the HTTP layer; the zero value gets the defaults.
type Security struct {
	// TrustedProxies are the networks whose X-Forwarded-For is believed; empty means the client IP is the peer's.
	TrustedProxies []*net.IPNet
	// CORSOrigins are the browser origins allowed to call the API; empty means no cross-origin access.
	CORSOrigins []string
	// RequestTimeout bounds the work of one request (10 s when zero).
	RequestTimeout time.Duration
	// Limits are the rate limits (DefaultRateLimits when zero).
	Limits RateLimits
}

// DefaultRequestTimeout is the deadline of a request's context.
const DefaultRequestTimeout = 10 * time.Second

// Content-Security-Policy values: the API serves JSON, which needs nothing; /docs runs Swagger UI from its own
// files, which sets inline styles and uses data: images.
const (
	apiCSP  = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	docsCSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

// ipExtractor returns how Echo finds the client IP: from X-Forwarded-For only behind a trusted proxy.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// securityHeaders sets nosniff, frame denial, no referrer, and the CSP fitting the path.
func securityHeaders() echo.MiddlewareFunc {
	secure := middleware.SecureWithConfig(middleware.SecureConfig{
		XSSProtection:      "0", // the legacy XSS auditor causes more harm than good; CSP replaces it
		ContentTypeNosniff: "nosniff",
		XFrameOptions:      "DENY",
		ReferrerPolicy:     "no-referrer",
	})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return secure(func(c echo.Context) error {
			csp := apiCSP
			if strings.HasPrefix(c.Request().URL.Path, "/docs") {
				csp = docsCSP
			}
			c.Response().Header().Set("Content-Security-Policy", csp)
			return next(c)
		})
	}
}

// cors allows the configured origins, with the headers the API reads and those clients need to see.
func cors(origins []string) echo.MiddlewareFunc {
	return middleware.CORSWithConfig(middleware.CORSConfig{
		AllowOrigins:  origins,
		AllowMethods:  []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPatch, http.MethodDelete},
		AllowHeaders:  []string{echo.HeaderAuthorization, echo.HeaderContentType, "If-Match"},
		ExposeHeaders: []string{"ETag", echo.HeaderLocation, echo.HeaderXRequestID, echo.HeaderRetryAfter},
		MaxAge:        600,
	})
}

type clientIPKey struct{}

func clientIPFrom(ctx context.Context) string {
	ip, _ := ctx.Value(clientIPKey{}).(string)
	return ip
}

// guard authenticates the bearer token if any, puts the actor and client IP in the request context and applies
// the rate limits: per token for signed-in callers, per client IP for the others and for failed credentials,
// and per IP again, more strictly, on sign-in and sign-up.
type guard struct {
	accounts                  *service.Accounts
	anonymous, authed, logins *ratelimit.Store
	// secured are the operations ("POST /v1/structures") whose contract requires a bearer token: anonymous calls
	// get 401 before their input is even validated.
	secured map[string]bool
}

func newGuard(accounts *service.Accounts, limits RateLimits, spec *openapi3.T) *guard {
	if limits == (RateLimits{}) {
		limits = DefaultRateLimits
	}
	g := &guard{accounts: accounts, anonymous: ratelimit.NewStore(limits.Anonymous),
		authed: ratelimit.NewStore(limits.Authenticated), logins: ratelimit.NewStore(limits.Login), secured: map[string]bool{}}
	for path, item := range spec.Paths.Map() {
		route := strings.NewReplacer("{", ":", "}", "").Replace(path)
		for method, op := range item.Operations() {
			if op.Security != nil && len(*op.Security) > 0 {
				g.secured[method+" "+route] = true
			}
		}
	}
	return g
}

func (g *guard) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		ip := c.RealIP()
		now := time.Now()
		actor := service.Actor{RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
		if secret, ok := bearerToken(req); ok {
			a, err := g.authenticate(req.Context(), secret)
			if err != nil {
				if limited := g.limit(g.anonymous, "ip:"+ip, now); limited != nil {
					return limited
				}
				return err
			}
			a.RequestID = actor.RequestID
			actor = a
		} else if req.Header.Get(echo.HeaderAuthorization) != "" {
			return domain.Unauthenticated("the Authorization header must be Bearer <token>")
		}
		if actor.Anonymous() {
			if err := g.limit(g.anonymous, "ip:"+ip, now); err != nil {
				return err
			}
		} else if err := g.limit(g.authed, "token:"+actor.TokenID, now); err != nil {
			return err
		}
		if req.Method == http.MethodPost && (c.Path() == "/v1/auth/token" || c.Path() == "/v1/accounts") {
			if err := g.limit(g.logins, "ip:"+ip, now); err != nil {
				return err
			}
		}
		if actor.Anonymous() && g.secured[req.Method+" "+c.Path()] {
			return domain.Unauthenticated("sign in first: send Authorization: Bearer <token>")
		}
		ctx := service.WithActor(context.WithValue(req.Context(), clientIPKey{}, ip), actor)
		c.SetRequest(req.WithContext(ctx))
		return next(c)
	}
}

func (g *guard) authenticate(ctx context.Context, secret string) (service.Actor, error) {
	if g.accounts == nil {
		return service.Actor{}, domain.Unauthenticated("this server has no accounts")
	}
	return g.accounts.Authenticate(ctx, secret)
}

func (g *guard) limit(store *ratelimit.Store, key string, now time.Time) error {
	ok, wait := store.Allow(key, now)
	if ok {
		return nil
	}
	return service.TooManyRequests("too many requests; slow down", wait)
}

func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// challengeHeaders adds what RFC 9110 and RFC 6585 ask of some error responses: WWW-Authenticate on 401 and
// Retry-After on 429.
func challengeHeaders(c echo.Context, err error, status int) {
	h := c.Response().Header()
	switch status {
	case http.StatusUnauthorized:
		challenge := `Bearer realm="essor"`
		if _, sent := bearerToken(c.Request()); sent {
			challenge += `, error="invalid_token"`
		}
		h.Set(echo.HeaderWWWAuthenticate, challenge)
	case http.StatusTooManyRequests:
		wait := time.Minute
		var ra service.RetryAfter
		if errors.As(err, &ra) {
			wait = ra.Wait
		}
		h.Set(echo.HeaderRetryAfter, ratelimit.RetryAfter(wait))
	}
}

// requestDeadline gives every request's context a deadline, so that a slow query is cancelled rather than left
// to pile up.
func requestDeadline(timeout time.Duration) echo.MiddlewareFunc {
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: timeout,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Path(), "/docs") },
	})
}

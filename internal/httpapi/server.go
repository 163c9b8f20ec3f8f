// Package httpapi serves Essor's REST API: the handlers generated from api/openapi.yaml, request validation
// against that contract, RFC 9457 problem responses and the embedded documentation.
package httpapi

import (
	"context"
	"embed"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/essor-ess/essor/api"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// Deps are what the HTTP layer needs from the rest of the program.
type Deps struct {
	Directory *service.Directory
	// Indicators computes GET /v1/indicators; nil answers 500 there.
	Indicators *service.IndicatorService
	// Partnerships serves the co-contracting exchange (/v1/partnership-calls, /v1/groupements…); nil answers 500 there.
	Partnerships *service.Partnerships
	// Allotment suggests lot splits (POST /v1/allotment/suggestions); nil answers 500 there.
	Allotment *service.AllotmentService
	// Tenders serves tenders, matches, answers and notifications (/v1/tenders…, /v1/notifications); nil answers 500 there.
	Tenders *service.Tenders
	// Accounts authenticates bearer tokens and serves the account endpoints; nil means every caller is anonymous.
	Accounts *service.Accounts
	// Security holds the rate limits, trusted proxies, CORS origins and request deadline.
	Security Security
	Ref      *refdata.Catalog
	// Ready reports whether the service can serve requests (database reachable, migrations applied); nil means
	// always ready.
	Ready   func(ctx context.Context) error
	Logger  *slog.Logger
	Version string
}

//go:embed docsui
var docsFiles embed.FS

// loadSpec parses the embedded contract once; a test proves it loads and validates, so failing here is a build
// defect.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	spec, err := loader.LoadFromData(api.Spec)
	if err != nil {
		return nil, fmt.Errorf("load api/openapi.yaml: %w", err)
	}
	if err := spec.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("validate api/openapi.yaml: %w", err)
	}
	return spec, nil
})

// New returns the HTTP handler of the API with its middleware: request id, request log, panic recovery, body
// rules (JSON, 1 MiB), validation against api/openapi.yaml and problem responses for every error. It panics if the
// embedded contract does not load, which the package tests rule out.
func New(deps Deps) *echo.Echo {
	spec, err := loadSpec()
	if err != nil {
		panic("httpapi: " + err.Error())
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	if deps.Ref == nil {
		deps.Ref = refdata.Default()
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.Logger.SetOutput(io.Discard)
	e.JSONSerializer = strictJSON{}
	e.HTTPErrorHandler = errorHandler(deps.Logger)
	e.IPExtractor = ipExtractor(deps.Security.TrustedProxies)
	e.Use(middleware.RequestID(), requestLogger(deps.Logger), recoverPanics(), securityHeaders())
	if len(deps.Security.CORSOrigins) > 0 {
		e.Use(cors(deps.Security.CORSOrigins))
	}
	e.Use(newGuard(deps.Accounts, deps.Security.Limits, spec).middleware, requestDeadline(deps.Security.RequestTimeout),
		newRequestValidator(spec).middleware)

	gen.RegisterHandlers(e, gen.NewStrictHandler(&handlers{deps: deps}, nil))
	e.GET("/openapi.yaml", serveSpec)
	e.GET("/docs", serveDocs)
	e.GET("/docs/", serveDocs)
	e.GET("/docs/:file", serveDocs)
	return e
}

// handlers implements the generated strict server interface; its methods live in one file per resource.
type handlers struct {
	deps Deps
}

var _ gen.StrictServerInterface = (*handlers)(nil)

func serveSpec(c echo.Context) error {
	return c.Blob(http.StatusOK, "application/yaml", api.Spec)
}

// docsAssets are the files /docs serves, with their media types; anything else is not found.
var docsAssets = map[string]string{
	"index.html":           echo.MIMETextHTMLCharsetUTF8,
	"start.js":             echo.MIMEApplicationJavaScriptCharsetUTF8,
	"swagger-ui-bundle.js": echo.MIMEApplicationJavaScriptCharsetUTF8,
	"swagger-ui.css":       "text/css; charset=utf-8",
}

func serveDocs(c echo.Context) error {
	name := c.Param("file")
	if name == "" {
		name = "index.html"
	}
	contentType, ok := docsAssets[name]
	if !ok {
		return echo.ErrNotFound
	}
	data, err := docsFiles.ReadFile("docsui/" + name)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, contentType, data)
}

package httpapi

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
)

// problemTypeBase prefixes a problem's code to form its type URI (RFC 9457 §3.1.1). The URIs identify problem
// kinds; docs/errors.md describes them, nothing needs to be served there.
const problemTypeBase = "https://essor.example/problems/"

// contentTypeProblem is the media type of every error body.
const contentTypeProblem = "application/problem+json"

// hiddenDetail replaces the detail of server errors, by whether the server is merely unavailable.
var hiddenDetail = map[bool]string{
	false: "the server could not answer; quote the request id when reporting it",
	true:  "the service is not ready to answer; retry later",
}

// statusOfKind is the one table from error kinds to HTTP statuses.
var statusOfKind = map[domain.Kind]int{
	domain.KindInvalid:            http.StatusUnprocessableEntity,
	domain.KindMalformed:          http.StatusBadRequest,
	domain.KindNotFound:           http.StatusNotFound,
	domain.KindConflict:           http.StatusConflict,
	domain.KindUnauthenticated:    http.StatusUnauthorized,
	domain.KindForbidden:          http.StatusForbidden,
	domain.KindPreconditionFailed: http.StatusPreconditionFailed,
	domain.KindTooManyRequests:    http.StatusTooManyRequests,
	domain.KindUnavailable:        http.StatusServiceUnavailable,
	domain.KindInternal:           http.StatusInternalServerError,
}

// codeOfStatus names the problems Echo itself raises (unknown route, wrong method, body too large…).
var codeOfStatus = map[int]string{
	http.StatusBadRequest:            "bad_request",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: "payload_too_large",
	http.StatusUnsupportedMediaType:  "unsupported_media_type",
	http.StatusTooManyRequests:       "too_many_requests",
	http.StatusServiceUnavailable:    "unavailable",
}

// detailOfStatus explains Echo's own errors better than their bare status text.
var detailOfStatus = map[int]string{
	http.StatusNotFound:         "nothing is served at this path",
	http.StatusMethodNotAllowed: "this path does not accept this method",
}

// errorHandler returns Echo's HTTPErrorHandler: every error a handler or middleware returns becomes an
// application/problem+json response here, and only here. Server errors hide their detail from the client and are
// logged once, with the request id.
// retryAfterUnavailable is how long clients should wait after a 503 (seconds).
const retryAfterUnavailable = "5"

func errorHandler(logger *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		p := problemOf(err)
		challengeHeaders(c, err, p.Status)
		requestID := c.Response().Header().Get(echo.HeaderXRequestID)
		p.Instance = ptr(c.Request().URL.Path)
		if p.Status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", retryAfterUnavailable)
		}
		switch {
		case p.Status >= http.StatusInternalServerError && domain.KindOf(err) == domain.KindUnavailable:
			// A known temporary state (the search index being built, the database down) keeps its own
			// detail, which never carries the cause; the cause goes to the log.
			logger.WarnContext(c.Request().Context(), "request answered unavailable",
				"request_id", requestID, "method", c.Request().Method, "route", c.Path(), "error", err.Error())
		case p.Status >= http.StatusInternalServerError:
			logger.ErrorContext(c.Request().Context(), "request failed",
				"request_id", requestID, "method", c.Request().Method, "route", c.Path(),
				"status", p.Status, "error", err.Error())
			p.Detail = ptr(hiddenDetail[p.Status == http.StatusServiceUnavailable])
		}
		if requestID != "" {
			p.RequestID = ptr(requestID)
		}
		if err := writeProblem(c, p); err != nil {
			logger.WarnContext(c.Request().Context(), "writing a problem failed", "request_id", requestID, "error", err)
		}
	}
}

func writeProblem(c echo.Context, p gen.Problem) error {
	c.Response().Header().Set(echo.HeaderContentType, contentTypeProblem)
	if c.Request().Method == http.MethodHead {
		return c.NoContent(p.Status)
	}
	return c.JSON(p.Status, p)
}

// problemOf describes any error as a problem: a *domain.Error by its kind, an *echo.HTTPError by its status,
// anything else as an internal error.
func problemOf(err error) gen.Problem {
	var de *domain.Error
	if errors.As(err, &de) {
		status, ok := statusOfKind[de.Kind]
		if !ok {
			status = http.StatusInternalServerError
		}
		code := de.Code
		if code == "" {
			code = string(de.Kind)
		}
		p := newProblem(status, code, de.Detail)
		if len(de.Fields) > 0 {
			fields := make([]gen.FieldError, len(de.Fields))
			for i, f := range de.Fields {
				fields[i] = gen.FieldError{Location: f.Location, Message: f.Message}
			}
			p.Errors = &fields
		}
		return p
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code >= 400 && he.Code < 500 {
		code, ok := codeOfStatus[he.Code]
		if !ok {
			code = "client_error"
		}
		detail, _ := he.Message.(string)
		if better, ok := detailOfStatus[he.Code]; ok && detail == http.StatusText(he.Code) {
			detail = better
		}
		return newProblem(he.Code, code, detail)
	}
	if errors.As(err, &he) && he.Code == http.StatusServiceUnavailable {
		return newProblem(he.Code, codeOfStatus[he.Code], "")
	}
	return newProblem(http.StatusInternalServerError, "internal", "")
}

func newProblem(status int, code, detail string) gen.Problem {
	p := gen.Problem{Type: problemTypeBase + code, Title: http.StatusText(status), Status: status, Code: code}
	if detail != "" {
		p.Detail = &detail
	}
	return p
}

// withLocationPrefix places the field locations of a validation error in the request: "siret" becomes
// "body.siret", "page_size" becomes "query.page_size".
func withLocationPrefix(err error, prefix string) error {
	var de *domain.Error
	if !errors.As(err, &de) || len(de.Fields) == 0 {
		return err
	}
	out := *de
	out.Fields = make([]domain.FieldError, len(de.Fields))
	for i, f := range de.Fields {
		loc := prefix
		switch {
		case f.Location == "":
		case f.Location[0] == '[':
			loc += f.Location
		default:
			loc += "." + f.Location
		}
		out.Fields[i] = domain.FieldError{Location: loc, Message: f.Message}
	}
	return &out
}

func ptr[T any](v T) *T { return &v }

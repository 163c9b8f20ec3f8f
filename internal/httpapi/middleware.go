package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/essor-ess/essor/internal/domain"
)

// MaxBodyBytes is the largest request body the API reads (1 MiB); larger ones get 413.
const MaxBodyBytes = 1 << 20

var errBodyTooLarge = echo.NewHTTPError(http.StatusRequestEntityTooLarge,
	fmt.Sprintf("the body weighs more than %d bytes (1 MiB)", MaxBodyBytes))

// requestLogger logs one line per request once its error, if any, has become a response.
func requestLogger(logger *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		HandleError:  true,
		LogRequestID: true,
		LogMethod:    true,
		LogURIPath:   true,
		LogRoutePath: true,
		LogStatus:    true,
		LogLatency:   true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("path", v.URIPath), slog.String("route", v.RoutePath),
				slog.Int("status", v.Status), slog.Duration("latency", v.Latency))
			return nil
		},
	})
}

// recoverPanics turns a panic into an internal error, which the error handler logs once with the stack.
func recoverPanics() echo.MiddlewareFunc {
	return middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableErrorHandler: true,
		LogErrorFunc: func(_ echo.Context, err error, stack []byte) error {
			return domain.Internal(fmt.Errorf("panic: %w\n%s", err, stack))
		},
	})
}

// readBody enforces the body rules shared by every operation: a body must be JSON (415 otherwise), weigh at most
// MaxBodyBytes (413) and parse (400). It returns the decoded body (nil if none) and leaves the bytes read in place
// for the next readers.
func readBody(c echo.Context) (any, error) {
	req := c.Request()
	if req.ContentLength > MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	data, err := io.ReadAll(io.LimitReader(req.Body, MaxBodyBytes+1))
	if err != nil {
		return nil, domain.Malformed("the body could not be read")
	}
	if len(data) > MaxBodyBytes {
		return nil, errBodyTooLarge
	}
	req.Body = io.NopCloser(bytes.NewReader(data))
	if len(data) == 0 {
		return nil, nil
	}
	if !isJSON(req.Header.Get(echo.HeaderContentType)) {
		return nil, echo.NewHTTPError(http.StatusUnsupportedMediaType, "the body must be sent as application/json")
	}
	return decodeJSON(data)
}

func isJSON(contentType string) bool {
	media, _, err := mime.ParseMediaType(contentType)
	return err == nil && media == echo.MIMEApplicationJSON
}

// decodeJSON reports malformed JSON with the byte offset of the fault, so clients can find it.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	err := dec.Decode(&v)
	if err == nil {
		if _, extra := dec.Token(); extra != io.EOF {
			return nil, malformedJSON("the body is not valid JSON: it holds more than one value")
		}
		return v, nil
	}
	var syntax *json.SyntaxError
	switch {
	case errors.As(err, &syntax):
		return nil, malformedJSON(fmt.Sprintf("the body is not valid JSON: %s (at byte %d)", syntax.Error(), syntax.Offset))
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, malformedJSON("the body is not valid JSON: it ends too early")
	default:
		return nil, malformedJSON("the body is not valid JSON")
	}
}

func malformedJSON(detail string) error {
	return &domain.Error{Kind: domain.KindMalformed, Code: "malformed_json", Detail: detail}
}

// strictJSON decodes request bodies refusing unknown fields, as a second guard behind request validation, and
// encodes responses as Echo does.
type strictJSON struct{ echo.DefaultJSONSerializer }

func (strictJSON) Deserialize(c echo.Context, i any) error {
	dec := json.NewDecoder(c.Request().Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(i); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			var p domain.Problems
			p.Add("body."+typeErr.Field, "must be a %s", typeErr.Type.Kind())
			return p.Err()
		}
		return malformedJSON("the body could not be decoded: " + err.Error())
	}
	return nil
}

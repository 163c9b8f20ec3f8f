package httpapi

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/labstack/echo/v4"

	"github.com/essor-ess/essor/internal/domain"
)

// requestValidator checks every request of an operation of the spec against it before the handler runs: body
// shape, parameters and headers. Routing is Echo's: the validator looks the operation up by the route Echo matched,
// so it needs no router of its own.
type requestValidator struct {
	spec     *openapi3.T
	items    map[string]specPath // by Echo route ("/v1/structures/:id")
	readOnly map[string]bool     // property names marked readOnly anywhere in the spec
	options  *openapi3filter.Options
}

type specPath struct {
	path string // OpenAPI form ("/v1/structures/{id}")
	item *openapi3.PathItem
}

func newRequestValidator(spec *openapi3.T) *requestValidator {
	v := &requestValidator{
		spec:     spec,
		items:    map[string]specPath{},
		readOnly: readOnlyProperties(spec),
		options: &openapi3filter.Options{
			MultiError:          true,
			SkipSettingDefaults: true, // defaults are the service's business, not the validator's
			AuthenticationFunc:  openapi3filter.NoopAuthenticationFunc,
		},
	}
	for path, item := range spec.Paths.Map() {
		route := strings.NewReplacer("{", ":", "}", "").Replace(path)
		v.items[route] = specPath{path: path, item: item}
	}
	return v
}

func readOnlyProperties(spec *openapi3.T) map[string]bool {
	names := map[string]bool{}
	for _, ref := range spec.Components.Schemas {
		for name, prop := range ref.Value.Properties {
			if prop.Value != nil && prop.Value.ReadOnly {
				names[name] = true
			}
		}
	}
	return names
}

// middleware reads and checks the body (see readBody), then validates the request against its operation.
// Requests outside the spec (unknown routes, wrong methods, /docs) pass through to Echo's own handling.
func (v *requestValidator) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		sp, ok := v.items[c.Path()]
		if !ok {
			return next(c)
		}
		op := sp.item.GetOperation(c.Request().Method)
		if op == nil {
			return next(c)
		}
		body, err := readBody(c)
		if err != nil {
			return err
		}
		params := make(map[string]string, len(c.ParamNames()))
		for i, name := range c.ParamNames() {
			params[name] = c.ParamValues()[i]
		}
		if err := rejectNUL(params, c.QueryParams(), body); err != nil {
			return err
		}
		input := &openapi3filter.RequestValidationInput{
			Request:    c.Request(),
			PathParams: params,
			Route:      &routers.Route{Spec: v.spec, Path: sp.path, PathItem: sp.item, Method: c.Request().Method, Operation: op},
			Options:    v.options,
		}
		if err := openapi3filter.ValidateRequest(c.Request().Context(), input); err != nil {
			return v.problem(err)
		}
		return next(c)
	}
}

// rejectNUL refuses the NUL character anywhere in a request's values: no text of the directory holds one, and
// PostgreSQL cannot store it in text, so letting it through would turn a client's input into a server error.
func rejectNUL(path map[string]string, query url.Values, body any) error {
	var p fieldList
	for name, v := range path {
		if strings.ContainsRune(v, 0) {
			p.Add("path."+name, nulMessage)
		}
	}
	for name, vs := range query {
		if strings.ContainsRune(name, 0) || slices.ContainsFunc(vs, func(v string) bool { return strings.ContainsRune(v, 0) }) {
			p.Add("query."+strings.ReplaceAll(name, "\x00", ""), nulMessage)
		}
	}
	walkStrings(body, "body", func(loc, s string) {
		if strings.ContainsRune(s, 0) {
			p.Add(loc, nulMessage)
		}
	})
	return p.Err()
}

const nulMessage = "must not contain the NUL character"

// walkStrings calls visit with every string of a decoded JSON value, member names included, and its location.
func walkStrings(v any, loc string, visit func(loc, s string)) {
	switch v := v.(type) {
	case string:
		visit(loc, v)
	case []any:
		for i, e := range v {
			walkStrings(e, fmt.Sprintf("%s[%d]", loc, i), visit)
		}
	case map[string]any:
		for name, e := range v {
			visit(loc, name)
			walkStrings(e, loc+"."+name, visit)
		}
	}
}

// problem turns kin-openapi's errors into one invalid-kind error whose fields name the place in the request
// (body.siret, query.page_size, header.If-Match) and say what is wrong in a sentence.
func (v *requestValidator) problem(err error) error {
	var p fieldList
	for _, e := range flatten(err) {
		var re *openapi3filter.RequestError
		if !errors.As(e, &re) {
			return domain.Internal(fmt.Errorf("request validation: %w", e))
		}
		switch {
		case re.Parameter != nil:
			v.addParameterError(&p, re)
		case re.RequestBody != nil:
			v.addBodyError(&p, re)
		default:
			p.Add("request", "%s", re.Reason)
		}
	}
	return p.Err()
}

func (v *requestValidator) addParameterError(p *fieldList, re *openapi3filter.RequestError) {
	loc := re.Parameter.In + "." + re.Parameter.Name
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		p.Add(loc, "is required")
	case errors.Is(re.Err, openapi3filter.ErrInvalidEmptyValue):
		p.Add(loc, "must not be empty")
	case errors.As(re.Err, &pe):
		p.Add(loc, "must be %s", expectedType(re.Parameter.Schema))
	case re.Err != nil:
		v.addSchemaErrors(p, loc, nil, re.Err)
	default:
		p.Add(loc, "%s", re.Reason)
	}
}

func (v *requestValidator) addBodyError(p *fieldList, re *openapi3filter.RequestError) {
	var pe *openapi3filter.ParseError
	switch {
	case errors.Is(re.Err, openapi3filter.ErrInvalidRequired):
		p.Add("body", "is required")
	case errors.As(re.Err, &pe):
		p.Add("body", "could not be read as JSON")
	case re.Err != nil:
		v.addSchemaErrors(p, "body", nil, re.Err)
	default:
		p.Add("body", "%s", re.Reason)
	}
}

// addSchemaErrors walks schema errors, nested ones (allOf) included, joining their JSON paths under loc. A nested
// error's path may repeat its parent's (kin-openapi marks both) or continue it: within is the parent's path.
func (v *requestValidator) addSchemaErrors(p *fieldList, loc string, within []string, err error) {
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if !errors.As(e, &se) {
			p.Add(joinPath(loc, within), "%s", e.Error())
			continue
		}
		pointer := se.JSONPointer()
		if !slices.Equal(within, pointer[:min(len(within), len(pointer))]) {
			pointer = append(slices.Clip(within), pointer...)
		}
		at := joinPath(loc, pointer)
		if se.Origin != nil && hasSchemaError(se.Origin) {
			v.addSchemaErrors(p, loc, pointer, se.Origin)
			continue
		}
		switch se.SchemaField {
		case "properties", "additionalProperties":
			for _, name := range unknownProperties(se) {
				if v.readOnly[name] {
					p.Add(at+"."+name, "is read-only")
				} else {
					p.Add(at+"."+name, "unknown field")
				}
			}
		case "required":
			p.Add(at, "is required")
		case "nullable":
			p.Add(at, "must not be null")
		case "minProperties":
			p.Add(at, "must not be empty")
		case "pattern":
			if se.Schema != nil && se.Schema.Description != "" {
				p.Add(at, "does not have the expected form: %s", se.Schema.Description)
			} else {
				p.Add(at, "does not have the expected form")
			}
		default:
			p.Add(at, "%s", strings.TrimPrefix(se.Reason, "value "))
		}
	}
}

// unknownProperties lists the members of the object at fault that its schema does not declare. kin-openapi
// raises one error per unknown member, each holding the whole object, so the caller deduplicates.
func unknownProperties(se *openapi3.SchemaError) []string {
	obj, ok := se.Value.(map[string]any)
	if !ok || se.Schema == nil {
		return nil
	}
	var names []string
	for name := range obj {
		if _, known := se.Schema.Properties[name]; !known {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return names
}

// fieldList collects field errors once each, in the order found.
type fieldList struct {
	fields []domain.FieldError
}

func (l *fieldList) Add(location, format string, args ...any) {
	f := domain.FieldError{Location: location, Message: fmt.Sprintf(format, args...)}
	if !slices.Contains(l.fields, f) {
		l.fields = append(l.fields, f)
	}
}

func (l *fieldList) Err() error {
	if len(l.fields) == 0 {
		return nil
	}
	// kin-openapi visits object members in map order: sort for stable answers.
	slices.SortStableFunc(l.fields, func(a, b domain.FieldError) int { return strings.Compare(a.Location, b.Location) })
	return &domain.Error{Kind: domain.KindInvalid, Code: "validation_failed", Detail: "the request has invalid fields", Fields: l.fields}
}

func hasSchemaError(err error) bool {
	for _, e := range flatten(err) {
		var se *openapi3.SchemaError
		if errors.As(e, &se) {
			return true
		}
	}
	return false
}

// flatten expands kin-openapi's MultiError lists into a flat list; it does not look inside other errors, so a
// RequestError stays whole with the schema errors it holds.
func flatten(err error) []error {
	me, ok := err.(openapi3.MultiError) //nolint:errorlint // only a top-level list: a wrapped one belongs to its RequestError
	if !ok {
		return []error{err}
	}
	var out []error
	for _, e := range me {
		out = append(out, flatten(e)...)
	}
	return out
}

// joinPath writes a JSON pointer as the API names fields: body, ["offers","0","cpv_codes","1"] →
// body.offers[0].cpv_codes[1].
func joinPath(loc string, pointer []string) string {
	var b strings.Builder
	b.WriteString(loc)
	for _, part := range pointer {
		if isIndex(part) {
			b.WriteString("[" + part + "]")
		} else {
			b.WriteString("." + part)
		}
	}
	return b.String()
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func expectedType(ref *openapi3.SchemaRef) string {
	if ref == nil || ref.Value == nil || ref.Value.Type == nil {
		return "a valid value"
	}
	switch {
	case ref.Value.Type.Is(openapi3.TypeInteger):
		return "an integer"
	case ref.Value.Type.Is(openapi3.TypeNumber):
		return "a number"
	case ref.Value.Type.Is(openapi3.TypeBoolean):
		return "true or false"
	case ref.Value.Type.Is(openapi3.TypeArray):
		return "a list of " + strings.TrimPrefix(strings.TrimPrefix(expectedType(ref.Value.Items), "an "), "a ") + " values"
	}
	return "a valid value"
}

// Package domain holds Essor's vocabulary, its invariants and its error kinds; it depends on the standard library only.
package domain

import (
	"errors"
	"fmt"
	"strings"
)

// Kind classifies an error by what the caller can do about it; the HTTP layer maps it to a status.
type Kind string

// The error kinds of the product. Only the HTTP layer knows their status codes.
const (
	KindInvalid            Kind = "invalid"
	KindMalformed          Kind = "malformed"
	KindNotFound           Kind = "not_found"
	KindConflict           Kind = "conflict"
	KindUnauthenticated    Kind = "unauthenticated"
	KindForbidden          Kind = "forbidden"
	KindPreconditionFailed Kind = "precondition_failed"
	KindTooManyRequests    Kind = "too_many_requests"
	KindUnavailable        Kind = "unavailable"
	KindInternal           Kind = "internal"
)

// FieldError names one invalid field (as a JSON path such as "offers[0].cpv_codes[1]") and why it is invalid.
type FieldError struct {
	Location string
	Message  string
}

// Error is the error type every layer returns to the HTTP layer: a kind, a stable machine code, a human detail and,
// for invalid input, the fields at fault.
type Error struct {
	Kind   Kind
	Code   string
	Detail string
	Fields []FieldError
	Err    error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	for _, f := range e.Fields {
		fmt.Fprintf(&b, "; %s: %s", f.Location, f.Message)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of err, KindInternal for errors that carry none.
func KindOf(err error) Kind {
	var de *Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return KindInternal
}

// NotFound reports that the named thing does not exist (or is not visible to the caller).
func NotFound(what string) *Error {
	return &Error{Kind: KindNotFound, Code: "not_found", Detail: what + " not found"}
}

// Conflict reports a state conflict such as a duplicate key, with a stable code.
func Conflict(code, detail string) *Error {
	return &Error{Kind: KindConflict, Code: code, Detail: detail}
}

// PreconditionFailed reports a stale version (If-Match) or another unmet precondition.
func PreconditionFailed(detail string) *Error {
	return &Error{Kind: KindPreconditionFailed, Code: "precondition_failed", Detail: detail}
}

// Forbidden reports an authenticated caller acting outside its rights.
func Forbidden(detail string) *Error {
	return &Error{Kind: KindForbidden, Code: "forbidden", Detail: detail}
}

// Unauthenticated reports a missing or invalid credential.
func Unauthenticated(detail string) *Error {
	return &Error{Kind: KindUnauthenticated, Code: "unauthenticated", Detail: detail}
}

// Malformed reports input that could not be read at all (bad JSON, bad cursor encoding).
func Malformed(detail string) *Error {
	return &Error{Kind: KindMalformed, Code: "malformed", Detail: detail}
}

// Internal wraps an unexpected error; its detail is never shown to clients.
func Internal(err error) *Error {
	return &Error{Kind: KindInternal, Code: "internal", Detail: "internal error", Err: err}
}

// Problems collects field errors during validation.
type Problems struct {
	fields []FieldError
}

// Add records that the field at location is invalid for the given reason.
func (p *Problems) Add(location, format string, args ...any) {
	p.fields = append(p.fields, FieldError{Location: location, Message: fmt.Sprintf(format, args...)})
}

// AddFrom copies another validation's field errors under a location prefix ("offers[0]").
func (p *Problems) AddFrom(prefix string, err error) {
	var de *Error
	if !errors.As(err, &de) {
		if err != nil {
			p.Add(prefix, "%s", err.Error())
		}
		return
	}
	for _, f := range de.Fields {
		loc := prefix
		switch {
		case f.Location == "":
		case prefix == "":
			loc = f.Location
		case strings.HasPrefix(f.Location, "["):
			loc = prefix + f.Location
		default:
			loc = prefix + "." + f.Location
		}
		p.fields = append(p.fields, FieldError{Location: loc, Message: f.Message})
	}
}

// Empty reports whether no problem was recorded.
func (p *Problems) Empty() bool { return len(p.fields) == 0 }

// Err returns nil when no problem was recorded, else an invalid-kind *Error listing every field.
func (p *Problems) Err() error {
	if len(p.fields) == 0 {
		return nil
	}
	return &Error{Kind: KindInvalid, Code: "validation_failed", Detail: "the request has invalid fields", Fields: p.fields}
}

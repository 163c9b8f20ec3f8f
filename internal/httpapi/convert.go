package httpapi

import (
	"time"

	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
)

// nullableOf gives a value or an explicit null: a required nullable member must never be left unspecified, or
// it would be encoded as its zero value.
func nullableOf[T any](p *T) nullable.Nullable[T] {
	if p == nil {
		return nullable.NewNullNullable[T]()
	}
	return nullable.NewNullableWithValue(*p)
}

// valueOf reads an optional nullable member: nil when absent or null.
func valueOf[T any](n nullable.Nullable[T]) *T {
	v, err := n.Get()
	if err != nil {
		return nil
	}
	return &v
}

// set overwrites dst with the member of a PATCH body when the client sent it.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// nonNil keeps empty lists as [] rather than null in responses.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func convertAll[A, B any](in []A, f func(A) B) []B {
	if len(in) == 0 {
		return nil
	}
	out := make([]B, len(in))
	for i, a := range in {
		out[i] = f(a)
	}
	return out
}

// cursorOf gives the next_cursor member: null on the last page.
func cursorOf(next string) nullable.Nullable[string] { return nullableOf(nonEmpty(next)) }

func dateOf(t *time.Time) *openapi_types.Date {
	if t == nil {
		return nil
	}
	return &openapi_types.Date{Time: *t}
}

func timeOfDate(d *openapi_types.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	return &t
}

func geoPointOf(p *domain.GeoPoint) *gen.GeoPoint {
	if p == nil {
		return nil
	}
	return &gen.GeoPoint{Lat: p.Lat, Lon: p.Lon}
}

func domainPointOf(p *gen.GeoPoint) *domain.GeoPoint {
	if p == nil {
		return nil
	}
	return &domain.GeoPoint{Lat: p.Lat, Lon: p.Lon}
}

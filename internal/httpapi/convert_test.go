package httpapi

import (
	"errors"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

func TestVersionOfIfMatch(t *testing.T) {
	tests := []struct {
		header *string
		want   *int
	}{
		{nil, nil},
		{ptr("*"), nil},
		{ptr(`"3"`), ptr(3)},
		{ptr(` W/"12" `), ptr(12)},
		{ptr("3"), ptr(-1)},
		{ptr(`"abc"`), ptr(-1)},
		{ptr(`"1", "2"`), ptr(-1)},
	}
	for _, tt := range tests {
		got := versionOf(tt.header)
		if (got == nil) != (tt.want == nil) || (got != nil && *got != *tt.want) {
			t.Errorf("versionOf(%v) = %v, want %v", deref(tt.header), deref(got), deref(tt.want))
		}
	}
}

func TestJoinPath(t *testing.T) {
	tests := []struct {
		pointer []string
		want    string
	}{
		{nil, "body"},
		{[]string{"siret"}, "body.siret"},
		{[]string{"offers", "0", "cpv_codes", "1"}, "body.offers[0].cpv_codes[1]"},
		{[]string{"location", "lat"}, "body.location.lat"},
	}
	for _, tt := range tests {
		if got := joinPath("body", tt.pointer); got != tt.want {
			t.Errorf("joinPath(%v) = %q, want %q", tt.pointer, got, tt.want)
		}
	}
}

func TestWithLocationPrefix(t *testing.T) {
	var p domain.Problems
	p.Add("siret", "is required")
	p.Add("offers[0].cpv_codes[1]", "unknown")
	p.Add("", "whole body")
	var de *domain.Error
	if !errors.As(withLocationPrefix(p.Err(), "body"), &de) {
		t.Fatal("not a *domain.Error")
	}
	want := []string{"body.siret", "body.offers[0].cpv_codes[1]", "body"}
	for i, f := range de.Fields {
		if f.Location != want[i] {
			t.Errorf("field %d at %q, want %q", i, f.Location, want[i])
		}
	}
	plain := errors.New("boom")
	if got := withLocationPrefix(plain, "body"); !errors.Is(got, plain) || got.Error() != plain.Error() {
		t.Error("an error without fields must pass unchanged")
	}
}

func TestProblemOfUnknownErrorHidesIt(t *testing.T) {
	p := problemOf(errors.New("pq: password authentication failed"))
	if p.Status != 500 || p.Code != "internal" || p.Detail != nil {
		t.Errorf("problemOf(plain error) = %+v, want a bare 500", p)
	}
}

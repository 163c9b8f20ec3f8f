package domain

import (
	"encoding/base64"
	"math"
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzDecodeCursor(f *testing.F) {
	for _, s := range []string{"", Cursor{After: "s_01", Key: "Chézine", Score: 1.5}.Encode(), "e30", "bnVsbA", "!!", "eyJhIjoxfQ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := DecodeCursor(s)
		if err != nil {
			if KindOf(err) != KindInvalid {
				t.Fatalf("DecodeCursor(%q) error %v has kind %s, want invalid", s, err, KindOf(err))
			}
			return
		}
		if s == "" != c.IsZero() {
			t.Fatalf("DecodeCursor(%q) = %+v: only the empty string is the first page", s, c)
		}
		again, err := DecodeCursor(c.Encode())
		if err != nil || again != c {
			t.Fatalf("DecodeCursor(%q) = %+v, which re-encodes to %q and decodes to %+v, %v", s, c, c.Encode(), again, err)
		}
	})
}

func FuzzCursorRoundTrip(f *testing.F) {
	f.Add("s_01", "Chézine", 1.5)
	f.Add("", "", 0.0)
	f.Add("<&>", "\u2028", math.Copysign(0, -1))
	f.Fuzz(func(t *testing.T, after, key string, score float64) {
		if !utf8.ValidString(after) || !utf8.ValidString(key) || math.IsNaN(score) || math.IsInf(score, 0) {
			t.Skip("JSON cannot carry invalid UTF-8, NaN or infinities")
		}
		c := Cursor{After: after, Key: key, Score: score}
		s := c.Encode()
		got, err := DecodeCursor(s)
		switch {
		case len(s) > 512:
			if err == nil {
				t.Fatalf("DecodeCursor accepted a %d-character cursor", len(s))
			}
		case err != nil || got != c:
			t.Fatalf("Cursor %+v encodes to %q, which decodes to %+v, %v", c, s, got, err)
		}
	})
}

func TestDecodeCursor(t *testing.T) {
	own := Cursor{After: "s_01", Key: "Chézine <bois>", Score: 2.25}
	tests := []struct {
		name  string
		in    string
		want  Cursor
		valid bool
	}{
		{"first page", "", Cursor{}, true},
		{"own cursor", own.Encode(), own, true},
		{"other key order", base64.RawURLEncoding.EncodeToString([]byte(`{"k":"x","a":"y"}`)), Cursor{}, false},
		{"unescaped HTML", base64.RawURLEncoding.EncodeToString([]byte(`{"a":"<"}`)), Cursor{}, false},
		{"padded base64", base64.URLEncoding.EncodeToString([]byte(`{"a":"ab"}`)), Cursor{}, false},
		{"empty object", base64.RawURLEncoding.EncodeToString([]byte(`{}`)), Cursor{}, false},
		{"not base64", "!!", Cursor{}, false},
		{"too long", strings.Repeat("A", 513), Cursor{}, false},
	}
	for _, tt := range tests {
		got, err := DecodeCursor(tt.in)
		if (err == nil) != tt.valid || got != tt.want {
			t.Errorf("%s: DecodeCursor(%q) = %+v, %v; want %+v, valid=%v", tt.name, tt.in, got, err, tt.want, tt.valid)
		}
	}
}

package domain

import (
	"strings"
	"testing"
)

func TestParseCPVCode(t *testing.T) {
	tests := []struct {
		in, want string
		valid    bool
	}{
		{"45421000-4", "45421000", true},
		{"45421000", "45421000", true},
		{" 09100000-0 ", "09100000", true},
		{"9111400", "", false}, // DECP lost its leading zero: importers pad, the API does not guess
		{"45421000-", "", false},
		{"45421000-45", "", false},
		{"45421000_4", "", false},
		{"4542100A-4", "", false},
		{"45421000-X", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := ParseCPVCode(tt.in)
		if (err == nil) != tt.valid || got != tt.want {
			t.Errorf("ParseCPVCode(%q) = %q, %v; want %q, valid=%v", tt.in, got, err, tt.want, tt.valid)
		}
	}
}

func TestCPVPrefix(t *testing.T) {
	tests := map[string]string{
		"45000000-7": "45",
		"45200000-9": "452",
		"45210000-2": "4521",
		"45421000-4": "45421",
		"45421000":   "45421",
		"03000000-1": "03",
		"00000000":   "00",
		"45212110-4": "4521211",
		"45421":      "45421",
	}
	for in, want := range tests {
		if got := CPVPrefix(in); got != want {
			t.Errorf("CPVPrefix(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCPVRange(t *testing.T) {
	tests := []struct{ in, lo, hi string }{
		{"45421", "45421000", "45422000"},
		{"45421000-4", "45421000", "45422000"},
		{"45000000-7", "45000000", "46000000"},
		{"45290000", "45290000", "45300000"},
		{"09000000", "09000000", "10000000"},
		{"99", "99000000", "999999990"},
		{"12345678", "12345678", "12345679"},
	}
	for _, tt := range tests {
		lo, hi := CPVRange(tt.in)
		if lo != tt.lo || hi != tt.hi {
			t.Errorf("CPVRange(%q) = %q, %q; want %q, %q", tt.in, lo, hi, tt.lo, tt.hi)
		}
	}
}

func TestCPVCovers(t *testing.T) {
	tests := []struct {
		parent, child string
		want          bool
	}{
		{"45000000-7", "45421000-4", true},
		{"45200000-9", "45210000-2", true},
		{"45200000-9", "45421000-4", false},
		{"45421000-4", "45421000", true},
		{"45421000-4", "45000000-7", false},
		{"45210000", "45212110-4", true},
		{"45210000", "45220000-5", false},
		{"", "45000000-7", false},
	}
	for _, tt := range tests {
		if got := CPVCovers(tt.parent, tt.child); got != tt.want {
			t.Errorf("CPVCovers(%q, %q) = %v, want %v", tt.parent, tt.child, got, tt.want)
		}
	}
}

// TestCPVRangeMatchesCovers checks the SQL range and the in-memory hierarchy test agree on every code near a border.
func TestCPVRangeMatchesCovers(t *testing.T) {
	parents := []string{"45000000-7", "45200000-9", "45421000-4", "45290000", "09000000", "99000000"}
	children := []string{"44999999", "45000000", "45289999", "45290000", "45299999", "45300000", "45420999",
		"45421000", "45421999", "45422000", "46000000", "08999999", "09999999", "99999999"}
	for _, p := range parents {
		lo, hi := CPVRange(p)
		for _, c := range children {
			inRange := c >= lo && c < hi
			if inRange != CPVCovers(p, c) {
				t.Errorf("parent %s child %s: range [%s,%s) says %v, CPVCovers says %v", p, c, lo, hi, inRange, !inRange)
			}
		}
	}
}

func FuzzParseCPVCode(f *testing.F) {
	for _, s := range []string{"45421000-4", "45421000", "9111400", "-", "45421000-45", "٤٥٤٢١٠٠٠"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code8, err := ParseCPVCode(s)
		if err != nil {
			return
		}
		if len(code8) != 8 || !allDigits(code8) {
			t.Fatalf("ParseCPVCode(%q) = %q, not 8 digits", s, code8)
		}
		if !strings.HasPrefix(strings.TrimSpace(s), code8) {
			t.Fatalf("ParseCPVCode(%q) = %q, not the root of the input", s, code8)
		}
		if again, err := ParseCPVCode(code8); err != nil || again != code8 {
			t.Fatalf("ParseCPVCode(%q) = %q, %v: the root does not parse to itself", code8, again, err)
		}
		lo, hi := CPVRange(code8)
		if lo > code8 || code8 >= hi || !CPVCovers(code8, code8) {
			t.Fatalf("%q is outside its own range [%s,%s)", code8, lo, hi)
		}
	})
}

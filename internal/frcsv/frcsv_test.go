package frcsv

import (
	"bytes"
	"testing"
)

func TestWriterForFrenchSpreadsheets(t *testing.T) {
	var buf bytes.Buffer
	w, err := NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"Structure", "Chiffre d'affaires (€)"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Write([]string{"Café; associatif", "=HYPERLINK(\"http://x\")"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "\uFEFFStructure;Chiffre d'affaires (€)\r\n\"Café; associatif\";\"'=HYPERLINK(\"\"http://x\"\")\"\r\n"
	if got := buf.String(); got != want {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
}

func TestSafeCell(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"Atelier", "Atelier"}, {"=1+1", "'=1+1"}, {"+33 2 40 00 00 00", "'+33 2 40 00 00 00"},
		{"-5", "'-5"}, {"@SUM(A1)", "'@SUM(A1)"}, {"\tx", "'\tx"}, {"a=b", "a=b"},
	} {
		if got := SafeCell(tc.in); got != tc.want {
			t.Errorf("SafeCell(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzSafeCellIsNeverAFormula(f *testing.F) {
	for _, s := range []string{"", "=", "+1", "texte", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := SafeCell(s)
		if out != "" && (out[0] == '=' || out[0] == '+' || out[0] == '-' || out[0] == '@') {
			t.Fatalf("SafeCell(%q) = %q starts like a formula", s, out)
		}
	})
}

package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCommittedDataIsCurrent regenerates the derived files and compares them with the committed ones, so that a
// change of the sources or of this generator cannot silently leave stale embedded data.
func TestCommittedDataIsCurrent(t *testing.T) {
	src := "../../../../../shared/data"
	if _, err := os.Stat(src); err != nil {
		t.Skipf("sources not available: %v", err)
	}
	out := t.TempDir()
	if err := run(src, out); err != nil {
		t.Fatal(err)
	}
	generated, err := filepath.Glob(filepath.Join(out, "*"))
	if err != nil || len(generated) == 0 {
		t.Fatalf("nothing generated: %v", err)
	}
	for _, path := range generated {
		name := filepath.Base(path)
		if got, want := content(t, path), content(t, filepath.Join("../../data", name)); !bytes.Equal(got, want) {
			t.Errorf("data/%s differs from what the generator writes: run go generate ./internal/refdata", name)
		}
	}
}

func content(t *testing.T, path string) []byte {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(path, ".gz") {
		return raw
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return plain
}

func TestHeadcountBounds(t *testing.T) {
	tests := []struct {
		code, label string
		min, max    int
		fails       bool
	}{
		{"01", "1 ou 2 salariés", 1, 2, false},
		{"42", "1 000 à 1 999 salariés", 1000, 1999, false},
		{"53", "10 000 salariés et plus", 10000, -1, false},
		{"NN", "Unité non employeuse", 0, 0, false},
		{"99", "beaucoup de salariés", 0, 0, true},
	}
	for _, tt := range tests {
		minimum, maximum, err := headcountBounds(tt.code, tt.label)
		if (err != nil) != tt.fails || minimum != tt.min || maximum != tt.max {
			t.Errorf("headcountBounds(%q) = %d, %d, %v", tt.label, minimum, maximum, err)
		}
	}
}

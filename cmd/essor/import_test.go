package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/opendata/sirene/sirenetest"
)

func TestImportCommands(t *testing.T) {
	databaseURL, dataDir := dbtest.URL(t)
	env := map[string]string{"ESSOR_DATA_DIR": dataDir, "DATABASE_URL": databaseURL, "ESSOR_LOG_LEVEL": "warn"}
	getenv := func(k string) string { return env[k] }
	dir := t.TempDir()
	units, etabs := filepath.Join(dir, "ul.csv"), filepath.Join(dir, "etab.csv")
	writeGenerated(t, units, func(b *bytes.Buffer) error {
		return sirenetest.GenerateUnitesLegalesFile(b, sirenetest.UnitsFor(20000), 3)
	})
	writeGenerated(t, etabs, func(b *bytes.Buffer) error { return sirenetest.GenerateEtablissementsFile(b, 20000, 3) })
	report := filepath.Join(dir, "rejets.csv")

	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"import", "sirene", "--unites-legales", units, "--etablissements", etabs,
		"--report", report}, getenv, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("import sirene: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), "kept in epci:244400404") || !strings.Contains(stdout.String(), " created,") {
		t.Errorf("summary:\n%s", stdout.String())
	}
	if !strings.Contains(stderr.String(), "établissements") {
		t.Errorf("no progress bar on stderr:\n%s", stderr.String())
	}
	rows := readCSV(t, report)
	if len(rows) < 2 || strings.Join(rows[0], ",") != "file,row,where,key,kind,reason,text" {
		t.Errorf("report: %v", rows)
	}

	stdout.Reset()
	if err := run(context.Background(), []string{"import", "sirene", "--unites-legales", units, "--etablissements", etabs},
		getenv, strings.NewReader(""), &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), " 0 created, 0 updated,") {
		t.Errorf("second run changed something:\n%s", stdout.String())
	}

	sample := filepath.Join("..", "..", "..", "shared", "data", "decp-v2-sample-gip-maximilien-2024.json")
	if _, err := os.Stat(sample); err != nil {
		t.Skipf("real samples absent: %v", err)
	}
	stdout.Reset()
	if err := run(context.Background(), []string{"import", "decp", sample}, getenv, strings.NewReader(""), &stdout, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stdout.String(), "decp: 1 files, 17 records") {
		t.Errorf("decp summary:\n%s", stdout.String())
	}
}

func TestImportUsage(t *testing.T) {
	for _, args := range [][]string{
		{"import"},
		{"import", "bodacc"},
		{"import", "sirene", "--etablissements", "x.csv"},
		{"import", "sirene", "--unites-legales", "a", "--etablissements", "b", "--departement", "44", "--epci", "244400404"},
		{"import", "sirene", "--unites-legales", "a", "--etablissements", "b", "--communes", "99999"},
		{"import", "decp"},
	} {
		err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: err = %v, want a usage error", args, err)
		}
	}
}

func writeGenerated(t *testing.T, path string, gen func(*bytes.Buffer) error) {
	t.Helper()
	var b bytes.Buffer
	if err := gen(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

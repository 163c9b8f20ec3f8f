package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// TestTwoInstancesOnOnePostgreSQL proves how Essor grows past one machine: two servers share one PostgreSQL, each
// with its own index directory following the outbox; a write through one is searchable through the other.
func TestTwoInstancesOnOnePostgreSQL(t *testing.T) {
	if dbtest.Engine() != sqlstore.DialectPostgres {
		t.Skip("several instances share a PostgreSQL database; run with TEST_DB=postgres (CI does)")
	}
	databaseURL, _ := dbtest.URL(t)
	token := adminToken(t, databaseURL)
	first, stopFirst := startServeOn(t, databaseURL, t.TempDir())
	second, stopSecond := startServeOn(t, databaseURL, t.TempDir())

	body := `{"siret":"73282932000074","name":"Brasserie Coopérative Quixotique","legal_category":"5458",
		"ess_basis":"legal_form","commune":"44109","status":"published",
		"offers":[{"title":"Repas de quartier","kind":"service","cpv_codes":["55520000-1"],"area":{"scope":"country"}}]}`
	code, resp := send(t, http.MethodPost, first+"/v1/structures", token, body)
	if code != http.StatusCreated {
		t.Fatalf("create through the first instance: %d %s", code, resp)
	}
	var created struct{ ID string }
	if err := json.Unmarshal(resp, &created); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	waitFor(t, 5*time.Second, "the write is searchable through the second instance", func() bool {
		return searchFinds(t, second, "quixotique", created.ID)
	})
	t.Logf("searchable through the other instance after %v", time.Since(start).Round(time.Millisecond))

	if code, resp := send(t, http.MethodDelete, second+"/v1/structures/"+created.ID, token, ""); code != http.StatusNoContent {
		t.Fatalf("delete through the second instance: %d %s", code, resp)
	}
	waitFor(t, 5*time.Second, "the delete reaches the first instance's index", func() bool {
		return !searchFinds(t, first, "quixotique", created.ID)
	})
	for _, stop := range []func() error{stopFirst, stopSecond} {
		if err := stop(); err != nil {
			t.Fatalf("graceful stop: %v", err)
		}
	}
}

// adminToken creates an admin account and an API key with the real commands.
func adminToken(t *testing.T, databaseURL string) string {
	t.Helper()
	env := map[string]string{"DATABASE_URL": databaseURL, "ESSOR_DATA_DIR": t.TempDir(), "ESSOR_LOG_LEVEL": "warn"}
	getenv := func(k string) string { return env[k] }
	var out bytes.Buffer
	err := run(context.Background(), []string{"users", "create", "--email", "admin@essor.example", "--role", "admin"}, getenv,
		strings.NewReader("correct-horse-battery-staple\n"), &out, io.Discard)
	if err != nil {
		t.Fatalf("users create: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"tokens", "create", "--email", "admin@essor.example"}, getenv,
		strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("tokens create: %v", err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

func send(t *testing.T, method, url, token, body string) (int, []byte) {
	t.Helper()
	var reader io.Reader
	if body != "" {
		reader = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, reader)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

func searchFinds(t *testing.T, base, q, id string) bool {
	t.Helper()
	code, body, _ := get(t, base+"/v1/structures?q="+q)
	if code == http.StatusServiceUnavailable {
		return false
	}
	if code != http.StatusOK {
		t.Fatalf("search on %s: %d %s", base, code, body)
	}
	return bytes.Contains(body, []byte(`"id":"`+id+`"`))
}

func waitFor(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

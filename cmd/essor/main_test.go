package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
)

// lockedBuffer is an io.Writer the test can read while run() writes to it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var servingRE = regexp.MustCompile(`serving on (http://\S+)`)

// startServe runs the real program (`essor serve`) on a free port, on a fresh test database, and returns its
// base URL.
func startServe(t *testing.T, args ...string) (string, func() error) {
	t.Helper()
	databaseURL, dataDir := dbtest.URL(t)
	return startServeOn(t, databaseURL, dataDir, args...)
}

// startServeOn runs `essor serve` on a given database and data directory.
func startServeOn(t *testing.T, databaseURL, dataDir string, args ...string) (string, func() error) {
	t.Helper()
	env := map[string]string{
		"ESSOR_ADDR":      "127.0.0.1:0",
		"ESSOR_DATA_DIR":  dataDir,
		"DATABASE_URL":    databaseURL,
		"ESSOR_LOG_LEVEL": "warn",
		// Tests walk many pages from one address; the limiter itself is tested in internal/httpapi.
		"ESSOR_RATE_LIMIT_ANONYMOUS": "100000/10000",
	}
	ctx, cancel := context.WithCancel(context.Background())
	stdout, stderr := &lockedBuffer{}, &lockedBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"serve"}, args...), func(k string) string { return env[k] }, strings.NewReader(""), stdout, stderr)
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := servingRE.FindStringSubmatch(stdout.String()); m != nil {
			stop := func() error {
				cancel()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					t.Fatal("serve did not stop within 30 s of cancellation")
					return nil
				}
			}
			return m[1], stop
		}
		select {
		case err := <-done:
			cancel()
			t.Fatalf("serve exited early: %v\nstdout: %s\nstderr: %s", err, stdout, stderr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("serve did not start within 60 s\nstdout: %s\nstderr: %s", stdout, stderr)
		}
	}
}

func get(t *testing.T, url string) (int, []byte, http.Header) {
	t.Helper()
	resp, err := http.Get(url) //nolint:noctx // a test against a local server
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp.StatusCode, body, resp.Header
}

func TestServeDemoEndToEnd(t *testing.T) {
	base, stop := startServe(t, "--demo")

	if code, body, _ := get(t, base+"/healthz"); code != http.StatusOK {
		t.Fatalf("/healthz = %d %s", code, body)
	}
	if code, body, _ := get(t, base+"/readyz"); code != http.StatusOK {
		t.Fatalf("/readyz = %d %s", code, body)
	}
	code, body, _ := get(t, base+"/v1/structures?page_size=5")
	if code != http.StatusOK {
		t.Fatalf("/v1/structures = %d %s", code, body)
	}
	var list struct {
		Items      []map[string]any `json:"items"`
		NextCursor *string          `json:"next_cursor"`
		Total      int              `json:"total"`
	}
	if err := json.Unmarshal(body, &list); err != nil {
		t.Fatalf("decode list: %v\n%s", err, body)
	}
	if len(list.Items) != 5 || list.Total < 300 || list.NextCursor == nil {
		t.Fatalf("want 5 items of at least 300 with a next cursor, got %d of %d (cursor %v)", len(list.Items), list.Total, list.NextCursor)
	}
	for _, it := range list.Items {
		if _, ok := it["representatives"]; ok {
			t.Fatalf("an anonymous listing exposed representatives: %v", it)
		}
	}
	if code, body, hdr := get(t, base+"/docs"); code != http.StatusOK || !strings.Contains(hdr.Get("Content-Type"), "text/html") {
		t.Fatalf("/docs = %d %s %.200s", code, hdr.Get("Content-Type"), body)
	}
	if code, body, _ := get(t, base+"/openapi.yaml"); code != http.StatusOK || !bytes.Contains(body, []byte("openapi: 3.0.3")) {
		t.Fatalf("/openapi.yaml = %d %.200s", code, body)
	}
	// Full-text search once the index is built: a commune named in the text becomes the coverage filter.
	var found struct {
		Total           int     `json:"total"`
		CommuneFromText *string `json:"commune_from_text"`
		Items           []struct {
			Match *struct {
				Reasons []map[string]any `json:"reasons"`
			} `json:"match"`
		} `json:"items"`
	}
	waitFor(t, 30*time.Second, "full-text search answers", func() bool {
		code, body, _ := get(t, base+"/v1/structures?q=entretien+espaces+verts+Rez%C3%A9")
		return code == http.StatusOK && json.Unmarshal(body, &found) == nil
	})
	if found.Total == 0 || found.CommuneFromText == nil || *found.CommuneFromText != "44143" || found.Items[0].Match == nil {
		t.Fatalf("q naming Rezé: total %d, commune_from_text %v, first match %+v", found.Total, found.CommuneFromText, found.Items)
	}
	if err := stop(); err != nil {
		t.Fatalf("serve returned %v after a graceful stop", err)
	}
}

func TestRunRejectsBadUsageAndConfig(t *testing.T) {
	tests := []struct {
		name string
		args []string
		env  map[string]string
		want string
	}{
		{"no command", nil, nil, "a command is required"},
		{"unknown command", []string{"frobnicate"}, nil, `unknown command "frobnicate"`},
		{"bad address", []string{"serve"}, map[string]string{"ESSOR_ADDR": "nonsense"}, "ESSOR_ADDR"},
		{"bad database url", []string{"serve"}, map[string]string{"DATABASE_URL": "mysql://x"}, "DATABASE_URL must be a postgres:// URL"},
		{"bad log level", []string{"serve"}, map[string]string{"ESSOR_LOG_LEVEL": "loud"}, "ESSOR_LOG_LEVEL"},
		{"bad migrate direction", []string{"migrate", "sideways"}, nil, "unknown direction"},
		{"bad seed count", []string{"seed", "demo", "--count", "0"}, map[string]string{"ESSOR_DATA_DIR": t.TempDir()}, "--count"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			err := run(context.Background(), tc.args, func(k string) string { return tc.env[k] }, strings.NewReader(""), &out, &errOut)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("run(%v) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

func TestVersion(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"version"}, func(string) string { return "" }, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "essor ") {
		t.Fatalf("version printed %q", out.String())
	}
}

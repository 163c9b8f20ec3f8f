package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the responses received")

// testServer is the real router over a fresh migrated database of the engine TEST_DB names.
type testServer struct {
	echo     *echo.Echo
	logs     *bytes.Buffer
	db       *sqlstore.DB
	accounts *service.Accounts
	dir      *service.Directory
	// token is sent by every request that sets no Authorization header and is not anonymous: an administrator's,
	// so that tests of other behaviour are not stopped by access control (security_test.go tests that).
	token string
}

type serverOption func(*httpapi.Deps)

func newTestServer(t testing.TB, opts ...serverOption) *testServer {
	t.Helper()
	ref := refdata.Default()
	db := dbtest.Open(t)
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(communeLookup(ref)))
	accountStore := sqlstore.NewAccounts(db)
	logs := &bytes.Buffer{}
	deps := httpapi.Deps{
		Directory: service.NewDirectory(store, ref, nil).WithContactLog(accountStore),
		Accounts:  service.NewAccounts(accountStore, nil, service.DefaultLoginPolicy),
		Security:  httpapi.Security{Limits: testRateLimits},
		Ref:       ref,
		Ready:     func(context.Context) error { return nil },
		Logger:    slog.New(slog.NewJSONHandler(logs, nil)),
		Version:   "test",
	}
	for _, opt := range opts {
		opt(&deps)
	}
	ts := &testServer{echo: httpapi.New(deps), logs: logs, db: db, accounts: deps.Accounts, dir: deps.Directory}
	ts.token = ts.newAccount(t, "admin@essor.test", service.RoleAdmin, "", "").token
	return ts
}

// testRateLimits are high enough that only the rate-limit tests, which set their own, meet them.
var testRateLimits = httpapi.RateLimits{
	Anonymous:     httpapi.Rate{PerMinute: 100_000, Burst: 100_000},
	Authenticated: httpapi.Rate{PerMinute: 100_000, Burst: 100_000},
	Login:         httpapi.Rate{PerMinute: 100_000, Burst: 100_000},
}

func communeLookup(ref *refdata.Catalog) sqlstore.CommuneLookup {
	return func(insee string) (domain.CommunePlace, bool) {
		c, ok := ref.Commune(insee)
		if !ok {
			return domain.CommunePlace{}, false
		}
		return domain.CommunePlace{INSEE: c.INSEE, Department: c.Department, Region: c.Region, EPCI: c.EPCI,
			Centre: domain.GeoPoint{Lat: c.Lat, Lon: c.Lon}}, true
	}
}

// request is one HTTP call; headers are "Name: value" lines.
type request struct {
	method    string
	path      string
	body      string
	headers   []string
	anonymous bool // send no token at all
}

func (ts *testServer) do(r request) *httptest.ResponseRecorder {
	var body io.Reader = http.NoBody
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req := httptest.NewRequest(r.method, r.path, body)
	if r.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for _, h := range r.headers {
		name, value, _ := strings.Cut(h, ":")
		req.Header.Set(name, strings.TrimSpace(value))
	}
	if ts.token != "" && !r.anonymous && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+ts.token)
	}
	rec := httptest.NewRecorder()
	ts.echo.ServeHTTP(rec, req)
	return rec
}

func (ts *testServer) get(path string) *httptest.ResponseRecorder {
	return ts.do(request{method: http.MethodGet, path: path})
}

func (ts *testServer) post(path, body string) *httptest.ResponseRecorder {
	return ts.do(request{method: http.MethodPost, path: path, body: body})
}

// mustStatus fails the test unless the response has the status, showing the body to explain why.
func mustStatus(t testing.TB, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d; body:\n%s", rec.Code, status, rec.Body)
	}
}

func decode[T any](t testing.TB, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil {
		t.Fatalf("decode %s: %v", rec.Body, err)
	}
	return v
}

// goldenHeaders are the response headers a golden file records.
var goldenHeaders = []string{"Content-Type", "ETag", "Location"}

var (
	uuidPattern      = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	timePattern      = regexp.MustCompile(`"\d{4}-\d\d-\d\dT[0-9:.]+(Z|[+-]\d\d:\d\d)"`)
	cursorPattern    = regexp.MustCompile(`"next_cursor": "[^"]+"`)
	requestIDPattern = regexp.MustCompile(`"request_id": "[^"]+"`)
)

// assertGolden compares the status, main headers and indented body of a response with testdata/<name>.golden,
// after replacing what changes from run to run: ids (numbered by first appearance), timestamps, cursors and
// request ids. With -update it writes the file instead.
func assertGolden(t testing.TB, name string, rec *httptest.ResponseRecorder) {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP %d\n", rec.Code)
	for _, h := range goldenHeaders {
		if v := rec.Header().Get(h); v != "" {
			fmt.Fprintf(&b, "%s: %s\n", h, v)
		}
	}
	b.WriteString("\n")
	if rec.Body.Len() > 0 {
		var indented bytes.Buffer
		if err := json.Indent(&indented, rec.Body.Bytes(), "", "  "); err != nil {
			t.Fatalf("response body is not JSON: %v\n%s", err, rec.Body)
		}
		b.Write(indented.Bytes())
		b.WriteString("\n")
	}
	got := normalize(b.String())
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got != string(want) {
		t.Errorf("response differs from %s (run with -update to accept it)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func normalize(s string) string {
	ids := map[string]string{}
	s = uuidPattern.ReplaceAllStringFunc(s, func(id string) string {
		if _, ok := ids[id]; !ok {
			ids[id] = fmt.Sprintf("<id-%d>", len(ids)+1)
		}
		return ids[id]
	})
	s = timePattern.ReplaceAllString(s, `"<time>"`)
	s = cursorPattern.ReplaceAllString(s, `"next_cursor": "<cursor>"`)
	return requestIDPattern.ReplaceAllString(s, `"request_id": "<request-id>"`)
}

func TestNormalizeNumbersIDsByFirstAppearance(t *testing.T) {
	in := `{"id": "0195f3a2-7c41-7d3e-9a55-3f1c2b8e4d10", "s": "0195f3a2-7c41-7d3e-9a55-3f1c2b8e4d11", ` +
		`"again": "0195f3a2-7c41-7d3e-9a55-3f1c2b8e4d10", "at": "2026-03-02T09:15:00.123456Z", "day": "2027-06-30"}`
	want := `{"id": "<id-1>", "s": "<id-2>", "again": "<id-1>", "at": "<time>", "day": "2027-06-30"}`
	if got := normalize(in); got != want {
		t.Errorf("normalize:\n got %s\nwant %s", got, want)
	}
}

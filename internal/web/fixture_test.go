package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/demo"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/indexer"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
	"github.com/essor-ess/essor/internal/web"
	"github.com/essor-ess/essor/search"
)

const testPassword = "correct horse battery staple"

// fixture is a site over a real database with a demo directory and a real search index, served over HTTP.
type fixture struct {
	srv          *httptest.Server
	dir          *service.Directory
	accounts     *service.Accounts
	ix           *indexer.Indexer
	tenders      *service.Tenders
	partnerships *service.Partnerships
	allotment    *service.AllotmentService
	notifier     *service.Notifier
}

var highLimits = web.RateLimits{Anonymous: web.Rate{PerMinute: 100_000, Burst: 100_000},
	Authenticated: web.Rate{PerMinute: 100_000, Burst: 100_000}, Login: web.Rate{PerMinute: 100_000, Burst: 100_000}}

func newFixture(t testing.TB, structures int, limits web.RateLimits) *fixture {
	t.Helper()
	ref := refdata.Default()
	db := dbtest.Open(t)
	store := sqlstore.New(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	accountStore := sqlstore.NewAccounts(db)
	f := &fixture{
		dir:      service.NewDirectory(store, ref, nil).WithContactLog(accountStore),
		accounts: service.NewAccounts(accountStore, nil, service.DefaultLoginPolicy),
	}
	if structures > 0 {
		err := demo.Generate(demo.Options{Count: structures, Seed: 1, Now: time.Now()}, 100, func(batch []domain.Structure) error {
			_, err := f.dir.CreateStructures(context.Background(), batch)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	f.ix = indexer.New(store, store, indexer.Config{Dir: t.TempDir(), PollInterval: 20 * time.Millisecond, PruneEvery: -1,
		Options: search.Options{CPV: search.CatalogCPV(ref), Places: search.CatalogPlaces(ref)}})
	if err := f.ix.Open(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = f.ix.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
	eventually(t, 30*time.Second, "index ready", f.ix.Ready)
	f.dir.UseSearcher(f.ix)
	tenderStore := sqlstore.NewTenders(db, sqlstore.WithCommuneLookup(ref.CommunePlace))
	f.tenders = service.NewTenders(tenderStore, service.TenderDeps{Directory: f.dir, Notifications: tenderStore, Ref: ref,
		Places: ref.CommunePlace, Reservable: func(code string) bool {
			c, ok := ref.CPV(code)
			return ok && c.ReservableL2113_15
		}})
	f.notifier = service.NewNotifier(f.tenders, tenderStore, nil, service.NotifierConfig{BatchSize: 1000}, nil)
	cotraitance := sqlstore.NewCotraitance(db)
	f.partnerships = service.NewPartnerships(service.PartnershipDeps{Calls: cotraitance, Groupements: cotraitance,
		Structures: store, Lots: service.TenderLots{Tenders: f.tenders}, Contacts: accountStore, Ref: ref})
	f.allotment = service.NewAllotmentService(store, service.AllotmentReferenceFrom(ref), service.AllotmentConfig{}, nil)
	if err := f.allotment.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	site := web.New(web.Deps{Directory: f.dir, Accounts: f.accounts, Ref: ref, Limits: limits,
		Indicators: service.NewIndicatorService(store, nil), Tenders: f.tenders, Partnerships: f.partnerships,
		Allotment: f.allotment, Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))})
	f.srv = httptest.NewServer(site)
	t.Cleanup(f.srv.Close)
	return f
}

func eventually(t testing.TB, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not true after %v", what, within)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// provision creates an active account (owner of the structure with that SIRET, buyer of an organisation).
func (f *fixture) provision(t testing.TB, email string, role service.Role, structureSIRET string) {
	t.Helper()
	n := service.NewUser{Email: email, Password: testPassword, Role: role, StructureSIRET: structureSIRET}
	if role == service.RoleBuyer {
		n.OrganisationSIRET, n.OrganisationName, n.OrganisationKind = "21440109300015", "Ville de Nantes (test)", "commune"
	}
	if _, err := f.accounts.ProvisionUser(context.Background(), f.dir, n); err != nil {
		t.Fatalf("provision %s: %v", email, err)
	}
}

// browser is a client with its own cookies, like one person's browser.
type browser struct {
	t      testing.TB
	base   string
	client *http.Client
}

func (f *fixture) browser(t testing.TB) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: f.srv.URL, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type page struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return page{status: resp.StatusCode, body: string(body), location: resp.Header.Get("Location"), header: resp.Header}
}

func (b *browser) get(path string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// token reads the form token from a page of the site, as a browser submitting its form would send it.
func (b *browser) token() string {
	b.t.Helper()
	p := b.get("/connexion")
	m := csrfInput.FindStringSubmatch(p.body)
	if m == nil {
		b.t.Fatal("no form token on /connexion")
	}
	return m[1]
}

// post submits a form with the browser's token.
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	form.Set("csrf", b.token())
	return b.postRaw(path, form, nil)
}

func (b *browser) postRaw(path string, form url.Values, headers map[string]string) page {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return b.do(req)
}

func (b *browser) login(email string) {
	b.t.Helper()
	p := b.post("/connexion", url.Values{"email": {email}, "password": {testPassword}, "retour": {"/"}})
	if p.status != http.StatusSeeOther {
		b.t.Fatalf("login %s: status %d, body %s", email, p.status, p.body)
	}
}

func mustContain(t testing.TB, p page, parts ...string) {
	t.Helper()
	for _, s := range parts {
		if !strings.Contains(p.body, s) {
			t.Errorf("page does not contain %q", s)
		}
	}
}

// firstStructure returns a published structure of the directory.
func (f *fixture) firstStructure(t testing.TB) domain.Structure {
	t.Helper()
	page, err := f.dir.FindStructures(context.Background(), domain.StructureFilter{}, domain.PageRequest{Size: 1})
	if err != nil || len(page.Items) == 0 {
		t.Fatalf("no structure: %v", err)
	}
	return page.Items[0]
}

// firstStructures returns up to n published structures of the directory.
func (f *fixture) firstStructures(t testing.TB, n int) []domain.Structure {
	t.Helper()
	page, err := f.dir.FindStructures(context.Background(), domain.StructureFilter{}, domain.PageRequest{Size: n})
	if err != nil {
		t.Fatal(err)
	}
	return page.Items
}

func regexpQuote(s string) string { return regexp.QuoteMeta(s) }

func regexpFind(t testing.TB, body, pattern string) string {
	t.Helper()
	m := regexp.MustCompile(pattern).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no match for %s", pattern)
	}
	return m[1]
}

func webRate(perMinute, burst int) web.Rate { return web.Rate{PerMinute: perMinute, Burst: burst} }

// luhnSIRET completes an 11-digit prefix into a fictitious SIRET that passes the Luhn check.
func luhnSIRET(prefix string) string {
	for n := range 1000 {
		s := fmt.Sprintf("%s%03d", prefix, n)
		sum := 0
		for i := range len(s) {
			d := int(s[len(s)-1-i] - '0')
			if i%2 == 1 {
				if d *= 2; d > 9 {
					d -= 9
				}
			}
			sum += d
		}
		if sum%10 == 0 {
			return s
		}
	}
	panic("unreachable")
}

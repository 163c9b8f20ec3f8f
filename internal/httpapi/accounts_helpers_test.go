package httpapi_test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"testing"

	"github.com/essor-ess/essor/internal/service"
)

// account is a test user and a live API key of theirs.
type account struct {
	id, email, password, token string
}

const testPassword = "correct horse battery staple"

// newAccount creates an active account (owner of the structure with SIRET structureSIRET, member of the buyer
// organisation orgSIRET, when given) and an API key for it.
func (ts *testServer) newAccount(t testing.TB, email string, role service.Role, orgSIRET, structureSIRET string) account {
	t.Helper()
	ctx := context.Background()
	u, err := ts.accounts.ProvisionUser(ctx, ts.dir, service.NewUser{Email: email, Password: testPassword, Role: role,
		OrganisationSIRET: orgSIRET, OrganisationName: "Ville de Nantes (test)", StructureSIRET: structureSIRET})
	if err != nil {
		t.Fatalf("create account %s: %v", email, err)
	}
	tok, err := ts.accounts.IssueToken(ctx, email, "test", 0)
	if err != nil {
		t.Fatalf("token for %s: %v", email, err)
	}
	return account{id: u.ID, email: email, password: testPassword, token: tok.Token}
}

func bearer(token string) []string { return []string{"Authorization: Bearer " + token} }

// siretN returns the n-th of a series of fictitious SIRETs that pass the Luhn check.
func siretN(n int) string {
	base := fmt.Sprintf("8%08d0001", n)
	for d := 0; d <= 9; d++ {
		s := fmt.Sprintf("%s%d", base, d)
		if luhnValid(s) {
			return s
		}
	}
	panic("unreachable")
}

func luhnValid(s string) bool {
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
	return sum%10 == 0
}

type httptestRecorder = httptest.ResponseRecorder

func netParseCIDR(s string) (net.IP, []*net.IPNet, error) {
	ip, n, err := net.ParseCIDR(s)
	return ip, []*net.IPNet{n}, err
}

package service_test

import (
	"context"
	"errors"
	"testing"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

const userPassword = "correct horse battery staple"

type userWorld struct {
	accounts                     *service.Accounts
	admin, network, buyer, other service.Actor
	pendingID                    string
}

// newUserWorld provisions an administrator, a network user, two buyers and a pending sign-up, and authenticates
// the first four with real tokens.
func newUserWorld(t *testing.T) userWorld {
	t.Helper()
	ctx := context.Background()
	w := userWorld{accounts: service.NewAccounts(sqlstore.NewAccounts(dbtest.Open(t)), nil, service.DefaultLoginPolicy)}
	actor := func(email string, role service.Role, org string) service.Actor {
		if _, err := w.accounts.ProvisionUser(ctx, nil, service.NewUser{Email: email, Password: userPassword, Role: role,
			OrganisationSIRET: org, OrganisationName: "Ville de Nantes"}); err != nil {
			t.Fatal(err)
		}
		tok, err := w.accounts.Login(ctx, email, userPassword, "")
		if err != nil {
			t.Fatal(err)
		}
		a, err := w.accounts.Authenticate(ctx, tok.Token)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	w.admin = actor("admin@essor.example", service.RoleAdmin, "")
	w.network = actor("reseau@cress.example.org", service.RoleNetwork, "")
	w.buyer = actor("acheteur@nantes.example.fr", service.RoleBuyer, "21440109300007")
	w.other = actor("autre@nantes.example.fr", service.RoleBuyer, "21440109300007")
	u, _, err := w.accounts.Register(ctx, service.SignUp{Email: "nouveau@abir.example.org", Password: userPassword,
		Role: service.RoleStructure, SIRET: "73282932000074"})
	if err != nil {
		t.Fatal(err)
	}
	w.pendingID = u.ID
	return w
}

func TestListUsersIsForAdministrators(t *testing.T) {
	w := newUserWorld(t)
	page := domain.PageRequest{Size: 10}
	cases := []struct {
		name   string
		actor  service.Actor
		filter service.UserFilter
		want   domain.Kind
		total  int
	}{
		{"anonymous", service.Actor{}, service.UserFilter{}, domain.KindUnauthenticated, 0},
		{"buyer", w.buyer, service.UserFilter{}, domain.KindForbidden, 0},
		{"network user", w.network, service.UserFilter{}, domain.KindForbidden, 0},
		{"administrator", w.admin, service.UserFilter{}, "", 5},
		{"administrator, buyers of the organisation", w.admin, service.UserFilter{OrganisationID: w.buyer.OrganisationIDs[0]}, "", 2},
		{"administrator, pending", w.admin, service.UserFilter{Status: service.UserPending}, "", 1},
		{"administrator, e-mail in capitals", w.admin, service.UserFilter{Email: " ACHETEUR@ "}, "", 1},
		{"unknown role", w.admin, service.UserFilter{Role: "root"}, domain.KindInvalid, 0},
		{"unknown status", w.admin, service.UserFilter{Status: "suspended"}, domain.KindInvalid, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := w.accounts.ListUsers(service.WithActor(context.Background(), c.actor), c.filter, page)
			if kindOf(err) != c.want || got.Total != c.total {
				t.Errorf("error %v (kind %q), total %d; want kind %q, total %d", err, kindOf(err), got.Total, c.want, c.total)
			}
		})
	}
}

func TestSetUserStatusRules(t *testing.T) {
	w := newUserWorld(t)
	cases := []struct {
		name   string
		actor  service.Actor
		id     string
		status service.UserStatus
		reason string
		want   domain.Kind
	}{
		{"anonymous", service.Actor{}, w.buyer.UserID, service.UserDisabled, "abus", domain.KindUnauthenticated},
		{"network user", w.network, w.buyer.UserID, service.UserDisabled, "abus", domain.KindForbidden},
		{"own account", w.admin, w.admin.UserID, service.UserDisabled, "essai", domain.KindForbidden},
		{"suspension without a reason", w.admin, w.buyer.UserID, service.UserDisabled, "  ", domain.KindInvalid},
		{"reason too long", w.admin, w.buyer.UserID, service.UserDisabled, string(make([]rune, 501)), domain.KindInvalid},
		{"pending is no target", w.admin, w.buyer.UserID, service.UserPending, "x", domain.KindInvalid},
		{"unknown account", w.admin, "nope", service.UserDisabled, "abus", domain.KindNotFound},
		{"pending account activated here", w.admin, w.pendingID, service.UserActive, "", domain.KindConflict},
		{"active account reactivated: nothing to do", w.admin, w.other.UserID, service.UserActive, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := w.accounts.SetUserStatus(service.WithActor(context.Background(), c.actor), c.id, c.status, c.reason)
			if kindOf(err) != c.want {
				t.Errorf("error %v (kind %q), want kind %q", err, kindOf(err), c.want)
			}
		})
	}
	audit, err := w.accounts.FindAudit(service.WithActor(context.Background(), w.admin), service.LogFilter{Entity: "user", Action: "suspend"})
	if err != nil || len(audit) != 0 {
		t.Errorf("refused changes wrote audit entries: %+v %v", audit, err)
	}
}

func TestSuspendedAccountCannotSignInNorUseItsTokens(t *testing.T) {
	w := newUserWorld(t)
	ctx := context.Background()
	admin := service.WithActor(ctx, w.admin)
	key, err := w.accounts.CreateAPIKey(service.WithActor(ctx, w.buyer), "synchronisation", 0)
	if err != nil {
		t.Fatal(err)
	}
	u, err := w.accounts.SetUserStatus(admin, w.buyer.UserID, service.UserDisabled, "  compte compromis ")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != service.UserDisabled || u.LastChange == nil || u.LastChange.Reason != "compte compromis" || u.LastChange.ActorID != w.admin.UserID {
		t.Errorf("suspended account %+v, last change %+v", u, u.LastChange)
	}
	if _, err := w.accounts.Authenticate(ctx, key.Token); domain.KindOf(err) != domain.KindUnauthenticated {
		t.Errorf("API key of a suspended account: %v, want unauthenticated", err)
	}
	_, err = w.accounts.Login(ctx, "acheteur@nantes.example.fr", userPassword, "")
	var de *domain.Error
	if domain.KindOf(err) != domain.KindForbidden || !errors.As(err, &de) || de.Code != "account_disabled" {
		t.Errorf("sign-in of a suspended account: %v, want forbidden account_disabled", err)
	}
	if _, err := w.accounts.SetUserStatus(admin, w.buyer.UserID, service.UserDisabled, "encore"); err != nil {
		t.Errorf("suspending again: %v, want nothing done", err)
	}

	if _, err := w.accounts.SetUserStatus(admin, w.buyer.UserID, service.UserActive, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.accounts.Authenticate(ctx, key.Token); domain.KindOf(err) != domain.KindUnauthenticated {
		t.Errorf("API key revoked by the suspension works again after reactivation: %v", err)
	}
	if _, err := w.accounts.Login(ctx, "acheteur@nantes.example.fr", userPassword, ""); err != nil {
		t.Errorf("sign-in after reactivation: %v", err)
	}
	audit, err := w.accounts.FindAudit(admin, service.LogFilter{Entity: "user", EntityID: w.buyer.UserID})
	if len(audit) > 2 {
		audit = audit[:2] // the creation came before
	}
	if err != nil || len(audit) != 2 || audit[0].Action != "reactivate" || audit[1].Action != "suspend" || audit[1].ActorID != w.admin.UserID {
		t.Errorf("audit %+v %v; want suspend then reactivate by the administrator, once each", audit, err)
	}
}

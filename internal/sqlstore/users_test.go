package sqlstore_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/dbtest"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
	"github.com/essor-ess/essor/internal/sqlstore"
)

// userFixture stores five accounts (created in this order, so listed newest first in reverse) and returns the
// store, the ids by e-mail and the organisation the two buyers belong to.
func userFixture(t *testing.T) (*sqlstore.Accounts, map[string]string, string) {
	t.Helper()
	ctx := context.Background()
	store := sqlstore.NewAccounts(dbtest.Open(t))
	org := &service.Organisation{ID: newID(t), SIRET: "21440109300007", Name: "Ville de Nantes", Kind: "commune", CreatedAt: at(1)}
	if err := store.CreateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, u := range []struct {
		email  string
		role   service.Role
		status service.UserStatus
		org    string
	}{
		{"admin@essor.example", service.RoleAdmin, service.UserActive, ""},
		{"a.durand@nantes.example.fr", service.RoleBuyer, service.UserActive, org.ID},
		{"b_martin@nantes.example.fr", service.RoleBuyer, service.UserPending, org.ID},
		{"contact@abir.example.org", service.RoleStructure, service.UserActive, ""},
		{"reseau%ess@cress.example.org", service.RoleNetwork, service.UserDisabled, ""},
	} {
		id := newID(t)
		ids[u.email] = id
		err := store.CreateUser(ctx, &service.User{ID: id, Email: u.email, PasswordHash: "$argon2id$secret-hash", Role: u.role,
			Status: u.status, CreatedAt: at(2), UpdatedAt: at(2)}, u.org, nil)
		if err != nil {
			t.Fatal(err)
		}
	}
	return store, ids, org.ID
}

func TestFindUsersFilters(t *testing.T) {
	store, ids, orgID := userFixture(t)
	cases := []struct {
		name   string
		filter service.UserFilter
		want   []string
	}{
		{"everybody, newest first", service.UserFilter{}, []string{"reseau%ess@cress.example.org", "contact@abir.example.org",
			"b_martin@nantes.example.fr", "a.durand@nantes.example.fr", "admin@essor.example"}},
		{"role", service.UserFilter{Role: service.RoleBuyer}, []string{"b_martin@nantes.example.fr", "a.durand@nantes.example.fr"}},
		{"status", service.UserFilter{Status: service.UserActive}, []string{"contact@abir.example.org", "a.durand@nantes.example.fr", "admin@essor.example"}},
		{"e-mail part, any case", service.UserFilter{Email: "NANTES"}, []string{"b_martin@nantes.example.fr", "a.durand@nantes.example.fr"}},
		{"underscore is literal", service.UserFilter{Email: "b_m"}, []string{"b_martin@nantes.example.fr"}},
		{"underscore matches no other character", service.UserFilter{Email: "a_d"}, nil},
		{"percent is literal", service.UserFilter{Email: "%ess"}, []string{"reseau%ess@cress.example.org"}},
		{"organisation", service.UserFilter{OrganisationID: orgID}, []string{"b_martin@nantes.example.fr", "a.durand@nantes.example.fr"}},
		{"organisation and status", service.UserFilter{OrganisationID: orgID, Status: service.UserPending}, []string{"b_martin@nantes.example.fr"}},
		{"unknown organisation", service.UserFilter{OrganisationID: "nope"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page, err := store.FindUsers(context.Background(), c.filter, domain.PageRequest{Size: 10})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, u := range page.Items {
				got = append(got, u.Email)
				if u.ID != ids[u.Email] {
					t.Errorf("%s: id %s, want %s", u.Email, u.ID, ids[u.Email])
				}
			}
			if !slices.Equal(got, c.want) || page.Total != len(c.want) || page.NextCursor != "" {
				t.Errorf("got %v (total %d, next %q), want %v", got, page.Total, page.NextCursor, c.want)
			}
		})
	}
}

func TestFindUsersPagesAndMemberships(t *testing.T) {
	store, ids, orgID := userFixture(t)
	var seen []string
	req := domain.PageRequest{Size: 2}
	for pages := 0; ; pages++ {
		if pages > 3 {
			t.Fatal("paging does not end")
		}
		page, err := store.FindUsers(context.Background(), service.UserFilter{}, req)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 5 {
			t.Errorf("total %d, want 5", page.Total)
		}
		for _, u := range page.Items {
			seen = append(seen, u.Email)
			wantOrgs := []string{}
			if u.Role == service.RoleBuyer {
				wantOrgs = []string{orgID}
			}
			if !slices.Equal(u.OrganisationIDs, wantOrgs) || len(u.StructureIDs) != 0 || u.LastChange != nil {
				t.Errorf("%s: organisations %v, structures %v, last change %v", u.Email, u.OrganisationIDs, u.StructureIDs, u.LastChange)
			}
		}
		if page.NextCursor == "" {
			break
		}
		c, err := domain.DecodeCursor(page.NextCursor)
		if err != nil {
			t.Fatal(err)
		}
		req.Cursor = c
	}
	if len(seen) != len(ids) || len(slices.Compact(slices.Sorted(slices.Values(seen)))) != len(ids) {
		t.Errorf("pages gave %v, want each of the %d accounts once", seen, len(ids))
	}
}

func TestChangeUserStatusRevokesTokensAndKeepsTheReason(t *testing.T) {
	store, ids, _ := userFixture(t)
	ctx := context.Background()
	buyer, admin := ids["a.durand@nantes.example.fr"], ids["admin@essor.example"]
	for i, kind := range []service.TokenKind{service.TokenSession, service.TokenAPIKey} {
		err := store.CreateToken(ctx, &service.Token{ID: newID(t), UserID: buyer, Hash: string(rune('a' + i)), Kind: kind,
			CreatedAt: at(3), ExpiresAt: at(3).Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
	}
	actx := service.WithTxRecords(ctx, &service.TxRecords{Audit: []service.AuditEntry{{At: at(4), ActorID: admin,
		ActorRole: service.RoleAdmin, Action: "suspend", Entity: "user", EntityID: buyer, Fields: []string{"status"}}}})
	if err := store.ChangeUserStatus(actx, service.UserStatusChange{UserID: buyer, Status: service.UserDisabled,
		Reason: "compte compromis", ActorID: admin, At: at(4)}); err != nil {
		t.Fatal(err)
	}
	u, err := store.FindUserSummary(ctx, buyer)
	if err != nil {
		t.Fatal(err)
	}
	want := service.UserStatusChange{UserID: buyer, Status: service.UserDisabled, Reason: "compte compromis", ActorID: admin, At: at(4)}
	if u.Status != service.UserDisabled || !u.UpdatedAt.Equal(at(4)) || u.LastChange == nil || *u.LastChange != want {
		t.Errorf("after suspension: status %s, updated %s, last change %+v", u.Status, u.UpdatedAt, u.LastChange)
	}
	for _, kind := range []service.TokenKind{service.TokenSession, service.TokenAPIKey} {
		tokens, err := store.ListTokens(ctx, buyer, kind)
		if err != nil || len(tokens) != 1 || tokens[0].RevokedAt == nil || !tokens[0].RevokedAt.Equal(at(4)) {
			t.Errorf("%s tokens after suspension: %+v %v; want one revoked at %s", kind, tokens, err, at(4))
		}
	}
	audit, err := store.FindAudit(ctx, service.LogFilter{EntityID: buyer, Limit: 10})
	if err != nil || len(audit) != 1 || audit[0].Action != "suspend" {
		t.Errorf("audit %+v %v, want one suspend entry", audit, err)
	}

	if err := store.ChangeUserStatus(ctx, service.UserStatusChange{UserID: buyer, Status: service.UserActive, ActorID: admin, At: at(5)}); err != nil {
		t.Fatal(err)
	}
	u, _ = store.FindUserSummary(ctx, buyer)
	if u.Status != service.UserActive || u.LastChange == nil || u.LastChange.Status != service.UserActive || u.LastChange.Reason != "" {
		t.Errorf("after reactivation: status %s, last change %+v", u.Status, u.LastChange)
	}
	if err := store.ChangeUserStatus(ctx, service.UserStatusChange{UserID: "nope", Status: service.UserActive, At: at(5)}); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown account: %v, want not found", err)
	}
	if _, err := store.FindUserSummary(ctx, "nope"); domain.KindOf(err) != domain.KindNotFound {
		t.Errorf("unknown account summary: %v, want not found", err)
	}
}

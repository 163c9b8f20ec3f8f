package service

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// NewUser is an account to create from the command line (trusted: no approval needed).
type NewUser struct {
	Email    string
	Password string
	Role     Role
	// OrganisationSIRET makes a buyer a member of this organisation, which must exist or come with a name.
	OrganisationSIRET string
	OrganisationName  string
	OrganisationKind  string
	// StructureSIRET makes a structure user the owner of this structure, which must exist.
	StructureSIRET string
}

// ProvisionUser creates an active account: for the command line and the demo, which are trusted callers.
func (a *Accounts) ProvisionUser(ctx context.Context, dir *Directory, n NewUser) (*User, error) {
	u, err := a.newUser(n.Email, n.Password, n.Role, UserActive)
	if err != nil {
		return nil, err
	}
	var orgID string
	if n.OrganisationSIRET != "" {
		org, err := a.findOrCreateOrganisation(ctx, n.OrganisationSIRET, n.OrganisationName, cmp.Or(n.OrganisationKind, "other"))
		if err != nil {
			return nil, err
		}
		orgID = org.ID
	}
	var members []StructureMembership
	if n.StructureSIRET != "" {
		s, err := dir.store.FindStructureBySIRET(ctx, n.StructureSIRET)
		if err != nil {
			return nil, fmt.Errorf("structure %s: %w", n.StructureSIRET, err)
		}
		members = append(members, StructureMembership{UserID: u.ID, StructureID: s.ID, Role: MemberOwner, CreatedAt: u.CreatedAt})
	}
	ctx = a.withAudit(ctx, "create", "user", u.ID, []string{"email", "role", "status"})
	if err := a.store.CreateUser(ctx, u, orgID, members); err != nil {
		return nil, err
	}
	return u, nil
}

func (a *Accounts) findOrCreateOrganisation(ctx context.Context, siret, name, kind string) (*Organisation, error) {
	org, err := a.store.FindOrganisationBySIRET(ctx, siret)
	if domain.KindOf(err) != domain.KindNotFound {
		return org, err
	}
	if err := domain.ValidateSIRET(siret); err != nil {
		return nil, fieldError("organisation_siret", err.Error())
	}
	if strings.TrimSpace(name) == "" {
		return nil, fieldError("organisation_name", "is required for an organisation not registered yet")
	}
	org = &Organisation{ID: NewID(), SIRET: siret, Name: strings.TrimSpace(name), Kind: kind, CreatedAt: a.timestamp()}
	ctx = a.withAudit(ctx, "create", "organisation", org.ID, []string{"siret", "name", "kind"})
	return org, a.store.CreateOrganisation(ctx, org)
}

func (a *Accounts) newUser(email, password string, role Role, status UserStatus) (*User, error) {
	var p domain.Problems
	email = normalizeEmail(email)
	if !validEmail(email) {
		p.Add("email", "is not an e-mail address")
	}
	if n := len([]rune(password)); n < MinPasswordLength || len(password) > MaxPasswordLength {
		p.Add("password", "must hold %d to %d characters", MinPasswordLength, MaxPasswordLength)
	}
	if !role.Valid() {
		p.Add("role", "must be admin, network, buyer or structure")
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := a.timestamp()
	return &User{ID: NewID(), Email: email, PasswordHash: hash, Role: role, Status: status, CreatedAt: now, UpdatedAt: now}, nil
}

// SignUp is a self-registration: a structure's representative claiming a structure by SIRET, or a buyer joining
// a buyer organisation by SIRET (with the organisation's name and kind when it is not registered yet).
type SignUp struct {
	Email            string
	Password         string
	Role             Role
	SIRET            string
	OrganisationName string
	OrganisationKind string
	HasSPASER        bool
}

// Register creates a pending account and its claim; the account may sign in once the claim is approved.
func (a *Accounts) Register(ctx context.Context, s SignUp) (*User, *Claim, error) {
	if s.Role != RoleBuyer && s.Role != RoleStructure {
		return nil, nil, fieldError("role", "must be buyer or structure; other roles are given by an administrator")
	}
	if err := domain.ValidateSIRET(s.SIRET); err != nil {
		return nil, nil, fieldError("siret", err.Error())
	}
	kind := ClaimStructure
	if s.Role == RoleBuyer {
		kind = ClaimOrganisation
		if _, err := a.store.FindOrganisationBySIRET(ctx, s.SIRET); domain.KindOf(err) == domain.KindNotFound {
			var p domain.Problems
			if strings.TrimSpace(s.OrganisationName) == "" {
				p.Add("organisation_name", "is required for an organisation not registered yet")
			}
			if !slices.Contains(OrganisationKinds, s.OrganisationKind) {
				p.Add("organisation_kind", "must be one of %s", strings.Join(OrganisationKinds, ", "))
			}
			if err := p.Err(); err != nil {
				return nil, nil, err
			}
		}
	}
	u, err := a.newUser(s.Email, s.Password, s.Role, UserPending)
	if err != nil {
		return nil, nil, err
	}
	c := &Claim{ID: NewID(), UserID: u.ID, Kind: kind, SIRET: s.SIRET, OrganisationName: strings.TrimSpace(s.OrganisationName),
		OrganisationKind: s.OrganisationKind, HasSPASER: s.HasSPASER, Status: ClaimPending, CreatedAt: u.CreatedAt}
	ctx = WithActor(ctx, Actor{UserID: u.ID, Role: u.Role, RequestID: ActorFrom(ctx).RequestID})
	if err := a.store.CreateUser(a.withAudit(ctx, "create", "user", u.ID, []string{"email", "role", "status"}), u, "", nil); err != nil {
		return nil, nil, err
	}
	if err := a.store.CreateClaim(a.withAudit(ctx, "create", "claim", c.ID, []string{"kind", "siret"}), c); err != nil {
		return nil, nil, err
	}
	return u, c, nil
}

// claimKindsFor is what a role may decide: network users decide structure claims, administrators all of them.
func claimKindsFor(a Actor) ([]ClaimKind, error) {
	switch {
	case a.Anonymous():
		return nil, domain.Unauthenticated("sign in first: send Authorization: Bearer <token>")
	case a.Role == RoleAdmin:
		return []ClaimKind{ClaimStructure, ClaimOrganisation}, nil
	case a.Role == RoleNetwork:
		return []ClaimKind{ClaimStructure}, nil
	}
	return nil, domain.Forbidden("only network users and administrators handle claims")
}

// ListClaims lists the claims with a status (pending when empty) that the caller may decide.
func (a *Accounts) ListClaims(ctx context.Context, status ClaimStatus) ([]Claim, error) {
	kinds, err := claimKindsFor(ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	if status == "" {
		status = ClaimPending
	}
	return a.store.ListClaims(ctx, status, kinds)
}

// DecideClaim approves or rejects a pending claim the caller may decide.
func (a *Accounts) DecideClaim(ctx context.Context, id string, approve bool) (*Claim, error) {
	actor := ActorFrom(ctx)
	kinds, err := claimKindsFor(actor)
	if err != nil {
		return nil, err
	}
	c, err := a.store.FindClaim(ctx, id)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(kinds, c.Kind) {
		return nil, domain.Forbidden("only an administrator decides the claims of buyers")
	}
	if c.Status != ClaimPending {
		return nil, domain.Conflict("claim_decided", "the claim was already "+string(c.Status))
	}
	at := a.timestamp()
	c.Status, c.DecidedBy, c.DecidedAt = ClaimRejected, actor.UserID, &at
	action := "reject"
	if approve {
		c.Status, action = ClaimApproved, "approve"
	}
	if err := a.store.DecideClaim(a.withAudit(ctx, action, "claim", c.ID, []string{"status"}), c); err != nil {
		return nil, err
	}
	return c, nil
}

// FindAudit returns audit entries, newest first: administrators only.
func (a *Accounts) FindAudit(ctx context.Context, f LogFilter) ([]AuditEntry, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return a.store.FindAudit(ctx, boundedFilter(f))
}

// FindContactReads returns contact-read entries, newest first: administrators only.
func (a *Accounts) FindContactReads(ctx context.Context, f LogFilter) ([]ContactRead, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	return a.store.FindContactReads(ctx, boundedFilter(f))
}

func boundedFilter(f LogFilter) LogFilter {
	if f.Limit <= 0 || f.Limit > 100 {
		f.Limit = 100
	}
	return f
}

func requireAdmin(ctx context.Context) error {
	a, err := signedIn(ctx)
	if err != nil {
		return err
	}
	if !a.IsAdmin() {
		return domain.Forbidden("only administrators may do this")
	}
	return nil
}

func fieldError(location, message string) error {
	var p domain.Problems
	p.Add(location, "%s", message)
	return p.Err()
}

// LogPageSize is the number of entries a page of a log read with f holds at most.
func LogPageSize(f LogFilter) int { return boundedFilter(f).Limit }

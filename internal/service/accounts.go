package service

import (
	"context"
	"time"
)

// UserStatus says whether an account may sign in.
type UserStatus string

// User statuses: a self-registered account stays pending until its claim is approved.
const (
	UserActive   UserStatus = "active"
	UserPending  UserStatus = "pending"
	UserDisabled UserStatus = "disabled"
)

// User is an account. Its e-mail is personal data; logs refer to users by id only.
type User struct {
	ID           string
	Email        string
	PasswordHash string
	Role         Role
	Status       UserStatus
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// OrganisationKinds are the kinds of contracting authority a buyer organisation may be.
var OrganisationKinds = []string{"commune", "epci", "departement", "region", "hospital", "state", "other"}

// Organisation is a buyer organisation (a contracting authority).
type Organisation struct {
	ID        string
	SIRET     string
	Name      string
	Kind      string
	HasSPASER bool
	CreatedAt time.Time
}

// TokenKind distinguishes short-lived session tokens from long-lived named API keys.
type TokenKind string

// Token kinds.
const (
	TokenSession TokenKind = "session"
	TokenAPIKey  TokenKind = "api_key"
)

// Token is a stored bearer credential: only the SHA-256 of the secret is kept.
type Token struct {
	ID        string
	UserID    string
	Hash      string
	Kind      TokenKind
	Name      string
	CreatedAt time.Time
	ExpiresAt time.Time
	RevokedAt *time.Time
}

// ClaimKind says what a sign-up asks for.
type ClaimKind string

// Claim kinds: represent a structure, or buy for an organisation.
const (
	ClaimStructure    ClaimKind = "structure"
	ClaimOrganisation ClaimKind = "organisation"
)

// ClaimStatus is where a claim stands.
type ClaimStatus string

// Claim statuses.
const (
	ClaimPending  ClaimStatus = "pending"
	ClaimApproved ClaimStatus = "approved"
	ClaimRejected ClaimStatus = "rejected"
)

// Claim is a new account's request to represent a structure or to buy for an organisation; a network user or an
// administrator (structures) or an administrator (organisations) decides it.
type Claim struct {
	ID               string
	UserID           string
	Kind             ClaimKind
	SIRET            string
	OrganisationName string
	OrganisationKind string
	HasSPASER        bool
	Status           ClaimStatus
	DecidedBy        string
	DecidedAt        *time.Time
	CreatedAt        time.Time
}

// AccountStore persists accounts, tokens, claims and the two logs. Every write also writes the TxRecords of its
// context (audit entries) in its own transaction. Not-found and duplicate cases come back as *domain.Error.
type AccountStore interface {
	UserStore
	// CreateUser inserts a user, with its memberships when given; a taken e-mail is a conflict.
	CreateUser(ctx context.Context, u *User, organisationID string, structures []StructureMembership) error
	FindUserByEmail(ctx context.Context, email string) (*User, error)
	FindUserByID(ctx context.Context, id string) (*User, error)
	// CreateOrganisation inserts a buyer organisation; a taken SIRET is a conflict.
	CreateOrganisation(ctx context.Context, o *Organisation) error
	FindOrganisationBySIRET(ctx context.Context, siret string) (*Organisation, error)
	// Memberships returns the organisations and structures a user belongs to.
	Memberships(ctx context.Context, userID string) (organisationIDs []string, structures []StructureMembership, err error)
	CreateToken(ctx context.Context, t *Token) error
	FindTokenByHash(ctx context.Context, hash string) (*Token, error)
	// RevokeToken marks a token of the user revoked; not-found when it is not theirs or already revoked.
	RevokeToken(ctx context.Context, userID, tokenID string, at time.Time) error
	ListTokens(ctx context.Context, userID string, kind TokenKind) ([]Token, error)
	CreateClaim(ctx context.Context, c *Claim) error
	FindClaim(ctx context.Context, id string) (*Claim, error)
	ListClaims(ctx context.Context, status ClaimStatus, kinds []ClaimKind) ([]Claim, error)
	// DecideClaim stores a decided claim (still pending in the store, else a conflict) and its effects in one
	// transaction: approved, the user becomes active and gets the membership (the organisation is created if
	// needed; a structure that does not exist yet gives no membership); rejected, the user is disabled.
	DecideClaim(ctx context.Context, c *Claim) error
	AppendContactRead(ctx context.Context, r ContactRead) error
	FindAudit(ctx context.Context, f LogFilter) ([]AuditEntry, error)
	FindContactReads(ctx context.Context, f LogFilter) ([]ContactRead, error)
}

// ContactReadLog records reads of representatives; the directory refuses to show them without one.
type ContactReadLog interface {
	AppendContactRead(ctx context.Context, r ContactRead) error
}

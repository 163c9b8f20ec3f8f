package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"sync"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// Token lifetimes: sessions from a password last a working day; API keys default to a year and never exceed two.
const (
	SessionTTL       = 12 * time.Hour
	DefaultAPIKeyTTL = 365 * 24 * time.Hour
	MaxAPIKeyTTL     = 2 * 365 * 24 * time.Hour
	tokenPrefix      = "essor_"
	tokenBytes       = 32 // 256 bits of entropy
)

// RetryAfter is the cause of a too_many_requests error: how long the caller must wait.
type RetryAfter struct{ Wait time.Duration }

func (r RetryAfter) Error() string { return fmt.Sprintf("retry after %s", r.Wait.Round(time.Second)) }

// TooManyRequests reports that the caller must wait before trying again.
func TooManyRequests(detail string, wait time.Duration) *domain.Error {
	return &domain.Error{Kind: domain.KindTooManyRequests, Code: "too_many_requests", Detail: detail, Err: RetryAfter{Wait: wait}}
}

// Accounts is the use-case layer of accounts: sign-in, tokens, sign-up claims, and the logs admins read.
type Accounts struct {
	store AccountStore
	now   func() time.Time
	guard *loginGuard
	// dummyHash is verified against for unknown e-mails, so that they take as long as known ones.
	dummyHash func() string
}

// NewAccounts returns the account use cases over a store; clock may be nil (time.Now).
func NewAccounts(store AccountStore, clock func() time.Time, policy LoginPolicy) *Accounts {
	if clock == nil {
		clock = time.Now
	}
	return &Accounts{store: store, now: clock, guard: newLoginGuard(policy), dummyHash: sync.OnceValue(func() string {
		h, _ := HashPassword(GeneratePassword())
		return h
	})}
}

// IssuedToken is a new bearer token: the secret is shown once and only its hash is stored.
type IssuedToken struct {
	Token     string
	ID        string
	Kind      TokenKind
	Name      string
	ExpiresAt time.Time
}

// Login checks an e-mail and a password and returns a session token. Failures are counted per e-mail and per
// client IP; past the policy's free failures the caller must wait (too_many_requests with RetryAfter). Unknown
// e-mails cost the same password verification as known ones and get the same answer.
func (a *Accounts) Login(ctx context.Context, email, password, clientIP string) (*IssuedToken, error) {
	now := a.now()
	emailKey, ipKey := "email:"+normalizeEmail(email), ""
	if clientIP != "" {
		ipKey = "ip:" + clientIP
	}
	if wait := a.guard.wait(now, emailKey, ipKey); wait > 0 {
		return nil, TooManyRequests("too many failed sign-ins; wait before trying again", wait)
	}
	u, err := a.store.FindUserByEmail(ctx, normalizeEmail(email))
	if err != nil && domain.KindOf(err) != domain.KindNotFound {
		return nil, err
	}
	hash := a.dummyHash()
	if u != nil {
		hash = u.PasswordHash
	}
	ok, verr := VerifyPassword(hash, password)
	if u == nil || verr != nil || !ok {
		a.guard.fail(now, emailKey, ipKey)
		return nil, domain.Unauthenticated("the e-mail or the password is wrong")
	}
	a.guard.succeed(emailKey)
	if u.Status != UserActive {
		return nil, &domain.Error{Kind: domain.KindForbidden, Code: "account_" + string(u.Status),
			Detail: "the account is " + string(u.Status) + "; a pending account waits for its claim to be approved"}
	}
	ctx = WithActor(ctx, Actor{UserID: u.ID, Role: u.Role, RequestID: ActorFrom(ctx).RequestID})
	return a.issue(ctx, u.ID, TokenSession, "", SessionTTL)
}

func (a *Accounts) issue(ctx context.Context, userID string, kind TokenKind, name string, ttl time.Duration) (*IssuedToken, error) {
	secret, err := newTokenSecret()
	if err != nil {
		return nil, domain.Internal(err)
	}
	now := a.timestamp()
	t := Token{ID: NewID(), UserID: userID, Hash: HashToken(secret), Kind: kind, Name: name, CreatedAt: now,
		ExpiresAt: now.Add(ttl)}
	ctx = a.withAudit(ctx, "create", "token", t.ID, []string{"kind", "name", "expires_at"})
	if err := a.store.CreateToken(ctx, &t); err != nil {
		return nil, err
	}
	return &IssuedToken{Token: secret, ID: t.ID, Kind: kind, Name: name, ExpiresAt: t.ExpiresAt}, nil
}

func newTokenSecret() (string, error) {
	b := make([]byte, tokenBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return tokenPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// HashToken is what the store keeps of a token: its SHA-256, hex-encoded. Tokens carry 256 random bits, so a
// fast hash suffices (no salt, no stretching: there is nothing to guess).
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// Authenticate returns the actor a bearer token stands for: unauthenticated when the token is unknown, revoked,
// expired or its account is not active.
func (a *Accounts) Authenticate(ctx context.Context, secret string) (Actor, error) {
	invalid := domain.Unauthenticated("the bearer token is invalid, expired or revoked")
	if !strings.HasPrefix(secret, tokenPrefix) || len(secret) > 128 {
		return Actor{}, invalid
	}
	t, err := a.store.FindTokenByHash(ctx, HashToken(secret))
	if domain.KindOf(err) == domain.KindNotFound {
		return Actor{}, invalid
	}
	if err != nil {
		return Actor{}, err
	}
	if t.RevokedAt != nil || !a.now().Before(t.ExpiresAt) {
		return Actor{}, invalid
	}
	u, err := a.store.FindUserByID(ctx, t.UserID)
	if err != nil || u.Status != UserActive {
		return Actor{}, invalid
	}
	orgs, members, err := a.store.Memberships(ctx, u.ID)
	if err != nil {
		return Actor{}, err
	}
	actor := Actor{UserID: u.ID, Role: u.Role, TokenID: t.ID, OrganisationIDs: orgs}
	for _, m := range members {
		actor.StructureIDs = append(actor.StructureIDs, m.StructureID)
		if m.Role == MemberOwner {
			actor.OwnedIDs = append(actor.OwnedIDs, m.StructureID)
		}
	}
	return actor, nil
}

// RevokeCurrentToken revokes the token the caller authenticated with (sign-out).
func (a *Accounts) RevokeCurrentToken(ctx context.Context) error {
	actor, err := signedIn(ctx)
	if err != nil {
		return err
	}
	ctx = a.withAudit(ctx, "revoke", "token", actor.TokenID, nil)
	return a.store.RevokeToken(ctx, actor.UserID, actor.TokenID, a.timestamp())
}

// CreateAPIKey issues a named long-lived token for a machine client of the caller; ttl 0 means a year.
func (a *Accounts) CreateAPIKey(ctx context.Context, name string, ttl time.Duration) (*IssuedToken, error) {
	actor, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	if err := validateKey(name, ttl); err != nil {
		return nil, err
	}
	return a.issue(ctx, actor.UserID, TokenAPIKey, strings.TrimSpace(name), cmpOr(ttl, DefaultAPIKeyTTL))
}

func validateKey(name string, ttl time.Duration) error {
	var p domain.Problems
	if n := len(strings.TrimSpace(name)); n == 0 || n > 100 {
		p.Add("name", "must hold 1 to 100 characters")
	}
	if ttl < 0 || ttl > MaxAPIKeyTTL {
		p.Add("ttl_hours", "must be between 1 hour and %d hours", int(MaxAPIKeyTTL.Hours()))
	}
	return p.Err()
}

// ListAPIKeys lists the caller's API keys (never their secrets).
func (a *Accounts) ListAPIKeys(ctx context.Context) ([]Token, error) {
	actor, err := signedIn(ctx)
	if err != nil {
		return nil, err
	}
	return a.store.ListTokens(ctx, actor.UserID, TokenAPIKey)
}

// RevokeAPIKey revokes one of the caller's API keys.
func (a *Accounts) RevokeAPIKey(ctx context.Context, id string) error {
	actor, err := signedIn(ctx)
	if err != nil {
		return err
	}
	ctx = a.withAudit(ctx, "revoke", "token", id, nil)
	return a.store.RevokeToken(ctx, actor.UserID, id, a.timestamp())
}

// IssueToken creates an API key for the account with this e-mail: for the command line, which is trusted.
func (a *Accounts) IssueToken(ctx context.Context, email, name string, ttl time.Duration) (*IssuedToken, error) {
	u, err := a.store.FindUserByEmail(ctx, normalizeEmail(email))
	if err != nil {
		return nil, err
	}
	if err := validateKey(name, ttl); err != nil {
		return nil, err
	}
	return a.issue(ctx, u.ID, TokenAPIKey, name, cmpOr(ttl, DefaultAPIKeyTTL))
}

// Me returns the caller's account.
func (a *Accounts) Me(ctx context.Context) (*User, Actor, error) {
	actor, err := signedIn(ctx)
	if err != nil {
		return nil, actor, err
	}
	u, err := a.store.FindUserByID(ctx, actor.UserID)
	return u, actor, err
}

func signedIn(ctx context.Context) (Actor, error) {
	a := ActorFrom(ctx)
	if a.Anonymous() {
		return a, domain.Unauthenticated("sign in first: send Authorization: Bearer <token>")
	}
	return a, nil
}

func (a *Accounts) withAudit(ctx context.Context, action, entity, id string, fields []string) context.Context {
	actor := ActorFrom(ctx)
	return WithTxRecords(ctx, &TxRecords{Audit: []AuditEntry{{At: a.timestamp(), ActorID: actor.UserID,
		ActorRole: actor.Role, Action: action, Entity: entity, EntityID: id, Fields: fields, RequestID: actor.RequestID}}})
}

func (a *Accounts) timestamp() time.Time { return a.now().UTC().Truncate(time.Microsecond) }

func normalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

func validEmail(email string) bool {
	addr, err := mail.ParseAddress(email)
	return err == nil && addr.Address == email && len(email) <= 254 && !strings.ContainsAny(email, "\x00<> ")
}

func cmpOr(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

package service

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// MaxStatusReasonLength bounds the reason an administrator gives for suspending or reactivating an account.
const MaxStatusReasonLength = 500

// UserFilter selects the accounts administrators list; empty fields do not filter.
type UserFilter struct {
	Role   Role
	Status UserStatus
	// Email is a part of the e-mail, in any case.
	Email          string
	OrganisationID string
}

// UserSummary is an account as administrators see it: its memberships and its last status change, never its
// password hash nor its tokens.
type UserSummary struct {
	ID              string
	Email           string
	Role            Role
	Status          UserStatus
	CreatedAt       time.Time
	UpdatedAt       time.Time
	OrganisationIDs []string
	StructureIDs    []string
	LastChange      *UserStatusChange
}

// UserStatusChange is an administrator suspending (status disabled) or reactivating (status active) an account.
type UserStatusChange struct {
	UserID  string
	Status  UserStatus
	Reason  string
	ActorID string
	At      time.Time
}

// UserStore is what administrators' account management needs from the store.
type UserStore interface {
	// FindUsers lists the accounts matching f, newest first, one page at a time.
	FindUsers(ctx context.Context, f UserFilter, page domain.PageRequest) (domain.Page[UserSummary], error)
	// FindUserSummary loads one account as FindUsers lists it; not-found when it does not exist.
	FindUserSummary(ctx context.Context, id string) (*UserSummary, error)
	// ChangeUserStatus sets the account's status and records the change in one transaction with the audit
	// entries of ctx; a suspension also revokes every live token of the account, so that a later
	// reactivation does not bring old credentials back.
	ChangeUserStatus(ctx context.Context, c UserStatusChange) error
}

// ListUsers lists accounts for administrators (forbidden to everybody else), newest first.
func (a *Accounts) ListUsers(ctx context.Context, f UserFilter, page domain.PageRequest) (domain.Page[UserSummary], error) {
	if err := requireAdmin(ctx); err != nil {
		return domain.Page[UserSummary]{}, err
	}
	var p domain.Problems
	if f.Role != "" && !f.Role.Valid() {
		p.Add("role", "must be admin, network, buyer or structure")
	}
	switch f.Status {
	case "", UserActive, UserPending, UserDisabled:
	default:
		p.Add("status", "must be active, pending or disabled")
	}
	f.Email = normalizeEmail(f.Email)
	if len(f.Email) > 254 {
		p.Add("email", "must hold at most 254 characters")
	}
	if err := p.Err(); err != nil {
		return domain.Page[UserSummary]{}, err
	}
	return a.store.FindUsers(ctx, f, page)
}

// SetUserStatus suspends (UserDisabled) or reactivates (UserActive) an account: administrators only, never
// their own account. A suspended account cannot sign in and its tokens stop working at once; a suspension needs
// a reason. A pending account waits for its claim to be decided instead of being activated here. Setting the
// status an account already has changes nothing and writes nothing.
func (a *Accounts) SetUserStatus(ctx context.Context, id string, status UserStatus, reason string) (*UserSummary, error) {
	if err := requireAdmin(ctx); err != nil {
		return nil, err
	}
	actor := ActorFrom(ctx)
	reason = strings.TrimSpace(reason)
	var p domain.Problems
	if status != UserActive && status != UserDisabled {
		p.Add("status", "must be active or disabled")
	}
	if status == UserDisabled && reason == "" {
		p.Add("reason", "is required to suspend an account")
	}
	if utf8.RuneCountInString(reason) > MaxStatusReasonLength || !utf8.ValidString(reason) {
		p.Add("reason", "must hold at most %d characters", MaxStatusReasonLength)
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	if id == actor.UserID {
		return nil, &domain.Error{Kind: domain.KindForbidden, Code: "own_account",
			Detail: "administrators cannot change the status of their own account"}
	}
	u, err := a.store.FindUserSummary(ctx, id)
	if err != nil {
		return nil, err
	}
	if u.Status == status {
		return u, nil
	}
	if u.Status == UserPending && status == UserActive {
		return nil, domain.Conflict("account_pending", "the account waits for its claim to be decided: approve the claim instead")
	}
	action := "reactivate"
	if status == UserDisabled {
		action = "suspend"
	}
	change := UserStatusChange{UserID: id, Status: status, Reason: reason, ActorID: actor.UserID, At: a.timestamp()}
	if err := a.store.ChangeUserStatus(a.withAudit(ctx, action, "user", id, []string{"status"}), change); err != nil {
		return nil, err
	}
	return a.store.FindUserSummary(ctx, id)
}

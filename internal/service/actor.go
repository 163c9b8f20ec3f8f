package service

import (
	"context"
	"slices"
)

// Role is what an account may do on the platform.
type Role string

// Roles. A network user is a network head (a PTCE, the regional CRESS) who vouches for structures.
const (
	RoleAdmin     Role = "admin"
	RoleNetwork   Role = "network"
	RoleBuyer     Role = "buyer"
	RoleStructure Role = "structure"
)

// Valid reports whether r is one of the four roles.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleNetwork, RoleBuyer, RoleStructure:
		return true
	}
	return false
}

// MemberRole is what a structure member may do on that structure: owners may also delete it.
type MemberRole string

// Member roles.
const (
	MemberOwner  MemberRole = "owner"
	MemberEditor MemberRole = "editor"
)

// Actor is who performs a use case: a signed-in user with their memberships, or nobody (the zero value).
type Actor struct {
	UserID          string
	Role            Role
	TokenID         string
	OrganisationIDs []string
	StructureIDs    []string // structures the user is a member of, owner or editor
	OwnedIDs        []string // the subset the user owns
	RequestID       string
}

// Anonymous reports whether no user is signed in.
func (a Actor) Anonymous() bool { return a.UserID == "" }

// IsAdmin reports whether the actor is an administrator.
func (a Actor) IsAdmin() bool { return a.Role == RoleAdmin }

// MemberOf reports whether the actor is a member (owner or editor) of the structure.
func (a Actor) MemberOf(structureID string) bool {
	return a.Role == RoleStructure && slices.Contains(a.StructureIDs, structureID)
}

// Owns reports whether the actor owns the structure.
func (a Actor) Owns(structureID string) bool {
	return a.Role == RoleStructure && slices.Contains(a.OwnedIDs, structureID)
}

type actorKey struct{}

// WithActor returns a context carrying the actor every use case called with it acts for.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor of ctx, anonymous when none was set.
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

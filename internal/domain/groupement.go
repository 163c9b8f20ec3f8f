package domain

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// GroupementForm is how the members of a groupement commit (R2142-20).
type GroupementForm string

// Groupement forms: joint (conjoint: each member commits to its own part) or several (solidaire: each member is
// liable for the whole contract).
const (
	FormJoint   GroupementForm = "joint"
	FormSeveral GroupementForm = "several"
)

// GroupementStatus is where a groupement stands: forming, or submitted (its bid is in and its composition frozen).
type GroupementStatus string

// Groupement statuses.
const (
	GroupementForming   GroupementStatus = "forming"
	GroupementSubmitted GroupementStatus = "submitted"
)

// Articles the groupement rules cite in their errors.
const (
	ArticleGroupementForm   = "R2142-20"
	ArticleOneMandataire    = "R2142-23"
	ArticleCapacitiesSummed = "R2142-25"
	ArticleFrozenGroupement = "R2142-26"
)

// MinChangeReasonLen is the shortest reason accepted for changing the composition of a submitted groupement.
const MinChangeReasonLen = 10

// Groupement is a consortium formed from a partnership call to bid for its lot, led by one mandataire.
type Groupement struct {
	ID           string
	CallID       string
	LotKey       string
	TenderID     string
	LotNumber    int
	Form         GroupementForm
	MandataireID string
	MemberIDs    []string
	Status       GroupementStatus
	SubmittedAt  *time.Time
	CreatedBy    string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
	Changes      []CompositionChange
}

// CompositionChange is one logged change of a groupement's members or mandataire, with its reason.
type CompositionChange struct {
	At               time.Time
	ActorID          string
	Reason           string
	Added            []string
	Removed          []string
	MandataireBefore string
	MandataireAfter  string
	// AfterSubmission marks a change to a frozen composition (R2142-26: restructuring or force majeure, with the
	// buyer's consent).
	AfterSubmission bool
}

// CompositionUpdate is a requested change: members to add and remove, and a new mandataire ("" keeps it).
type CompositionUpdate struct {
	Reason       string
	Add          []string
	Remove       []string
	MandataireID string
}

// Validate checks the form (R2142-20), that the members are two or more and distinct, and that exactly one of them
// is the mandataire.
func (g *Groupement) Validate() error {
	var p Problems
	switch g.Form {
	case FormJoint, FormSeveral:
	default:
		p.Add("form", "must be %s (conjoint) or %s (solidaire) (%s)", FormJoint, FormSeveral, ArticleGroupementForm)
	}
	if len(g.MemberIDs) < 2 {
		p.Add("member_ids", "must list at least two structures: a groupement has several members")
	}
	seen := map[string]int{}
	for i, id := range g.MemberIDs {
		if first, dup := seen[id]; dup {
			p.Add("member_ids["+strconv.Itoa(i)+"]", "repeats member_ids[%d]", first)
		}
		seen[id] = i
	}
	switch {
	case g.MandataireID == "":
		p.Add("mandataire_id", "is required: a groupement has exactly one mandataire")
	case !slices.Contains(g.MemberIDs, g.MandataireID):
		p.Add("mandataire_id", "must be one of member_ids: the mandataire is a member of the groupement")
	}
	return p.Err()
}

// Apply returns the groupement after the update, and the change to log. A submitted groupement's composition is
// frozen (R2142-26): the update is refused with a conflict unless it gives a reason of at least
// MinChangeReasonLen characters. The result is validated like a new groupement.
func (g *Groupement) Apply(u CompositionUpdate, actorID string, at time.Time) (Groupement, CompositionChange, error) {
	u.Reason = strings.TrimSpace(u.Reason)
	frozen := g.Status == GroupementSubmitted
	if frozen && len([]rune(u.Reason)) < MinChangeReasonLen {
		return Groupement{}, CompositionChange{}, &Error{Kind: KindConflict, Code: ArticleFrozenGroupement,
			Detail: "the composition of a submitted groupement is frozen until signature (R2142-26): only a " +
				"restructuring or force majeure change, with the buyer's consent, may alter it; give its reason"}
	}
	next := *g
	var members []string
	for _, id := range g.MemberIDs {
		if !slices.Contains(u.Remove, id) {
			members = append(members, id)
		}
	}
	var added []string
	for _, id := range u.Add {
		if !slices.Contains(members, id) {
			members = append(members, id)
			added = append(added, id)
		}
	}
	var removed []string
	for _, id := range u.Remove {
		if slices.Contains(g.MemberIDs, id) {
			removed = append(removed, id)
		}
	}
	next.MemberIDs = members
	if u.MandataireID != "" {
		next.MandataireID = u.MandataireID
	}
	if len(added) == 0 && len(removed) == 0 && next.MandataireID == g.MandataireID {
		var p Problems
		p.Add("", "changes nothing: give members to add or remove, or a new mandataire")
		return Groupement{}, CompositionChange{}, p.Err()
	}
	if err := next.Validate(); err != nil {
		return Groupement{}, CompositionChange{}, err
	}
	next.Version, next.UpdatedAt = g.Version+1, at
	change := CompositionChange{At: at, ActorID: actorID, Reason: u.Reason, Added: added, Removed: removed,
		MandataireBefore: g.MandataireID, MandataireAfter: next.MandataireID, AfterSubmission: frozen}
	next.Changes = append(slices.Clone(g.Changes), change)
	return next, change, nil
}

// MandataireConflict is the error of a structure already mandataire of another groupement for the same lot.
func MandataireConflict() *Error {
	return &Error{Kind: KindConflict, Code: ArticleOneMandataire,
		Detail: "this structure is already the mandataire of another groupement for the same lot: an operator " +
			"cannot lead more than one groupement for one contract (R2142-23)"}
}

package service

import (
	"context"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/essor-ess/essor/internal/domain"
)

// AuditEntry records one write: who did it, what and when, and the NAMES of the fields it changed. It never holds
// a value, so erasing personal data leaves no copy in the log.
type AuditEntry struct {
	ID        int64
	At        time.Time
	ActorID   string
	ActorRole Role
	Action    string // create, update, delete, verify, suspend, erase_representative, approve, …
	Entity    string // structure, offer, user, token, claim, organisation
	EntityID  string
	Fields    []string
	RequestID string
}

// ContactRead records that a response carried representatives: who read them, when, for which structure and
// which fields.
type ContactRead struct {
	ID          int64
	At          time.Time
	ReaderID    string
	ReaderRole  Role
	StructureID string
	Fields      []string
	RequestID   string
}

// LogFilter selects log entries; empty fields do not filter. Entries come newest first, BeforeID pages.
type LogFilter struct {
	ActorID  string
	Entity   string
	EntityID string
	Action   string
	Since    *time.Time
	Until    *time.Time
	BeforeID int64
	Limit    int
}

// TxRecords are rows the service attaches to one directory write (through the context) so that the store writes
// them in that write's own transaction: the audit entry, and for a structure created by a structure member, the
// owner membership. Attach them only to a write that runs in a single transaction.
type TxRecords struct {
	Audit []AuditEntry
	Owner *StructureMembership
}

// StructureMembership links a user to a structure with a member role.
type StructureMembership struct {
	UserID      string
	StructureID string
	Role        MemberRole
	CreatedAt   time.Time
}

type txRecordsKey struct{}

// WithTxRecords returns a context carrying records for the store to write with the next write.
func WithTxRecords(ctx context.Context, r *TxRecords) context.Context {
	return context.WithValue(ctx, txRecordsKey{}, r)
}

// TxRecordsFrom returns the records attached to ctx, nil when there are none.
func TxRecordsFrom(ctx context.Context) *TxRecords {
	r, _ := ctx.Value(txRecordsKey{}).(*TxRecords)
	return r
}

// auditEntry describes a write by the actor of ctx.
func (d *Directory) auditEntry(ctx context.Context, action, entity, id string, fields []string) AuditEntry {
	a := ActorFrom(ctx)
	return AuditEntry{At: d.timestamp(), ActorID: a.UserID, ActorRole: a.Role, Action: action, Entity: entity,
		EntityID: id, Fields: fields, RequestID: a.RequestID}
}

// withAudit attaches one audit entry to the write ctx will carry.
func (d *Directory) withAudit(ctx context.Context, action, entity, id string, fields []string) context.Context {
	return WithTxRecords(ctx, &TxRecords{Audit: []AuditEntry{d.auditEntry(ctx, action, entity, id, fields)}})
}

// bookkeepingFields change on every write and say nothing about what the caller changed.
var bookkeepingFields = map[string]bool{"UpdatedAt": true, "Version": true, "CreatedAt": true}

// changedFields names (in snake_case, as the API does) the exported fields that differ between two values of the
// same struct type.
func changedFields[T any](before, after *T) []string {
	bv, av := reflect.ValueOf(before).Elem(), reflect.ValueOf(after).Elem()
	var out []string
	for i := range bv.NumField() {
		f := bv.Type().Field(i)
		if !f.IsExported() || bookkeepingFields[f.Name] {
			continue
		}
		if !reflect.DeepEqual(bv.Field(i).Interface(), av.Field(i).Interface()) {
			out = append(out, snakeCase(f.Name))
		}
	}
	return out
}

// snakeCase turns a Go field name into the API's name: ESSFamily → ess_family, AnnualTurnoverEUR →
// annual_turnover_eur.
func snakeCase(name string) string {
	rs := []rune(name)
	var b strings.Builder
	for i, r := range rs {
		if i > 0 && unicode.IsUpper(r) &&
			(unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// structureFieldNames lists every field of a new structure, for the audit entry of its creation.
func structureFieldNames(s *domain.Structure) []string {
	var zero domain.Structure
	return changedFields(&zero, s)
}

// representativeFields names the representative fields a response carries, for the contact-read log.
func representativeFields(reps []domain.Representative) []string {
	seen := map[string]bool{}
	var out []string
	add := func(name, v string) {
		if v != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	for _, r := range reps {
		add("name", r.Name)
		add("role", r.Role)
		add("email", r.Email)
		add("phone", r.Phone)
	}
	return out
}

package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/service"
)

type auditRow struct {
	ID        int64     `gorm:"column:id;primaryKey;autoIncrement"`
	At        time.Time `gorm:"column:at"`
	ActorID   string    `gorm:"column:actor_id"`
	ActorRole string    `gorm:"column:actor_role"`
	Action    string    `gorm:"column:action"`
	Entity    string    `gorm:"column:entity"`
	EntityID  string    `gorm:"column:entity_id"`
	Fields    string    `gorm:"column:fields"`
	RequestID string    `gorm:"column:request_id"`
}

func (auditRow) TableName() string { return "audit_log" }

type contactReadRow struct {
	ID          int64     `gorm:"column:id;primaryKey;autoIncrement"`
	At          time.Time `gorm:"column:at"`
	ReaderID    string    `gorm:"column:reader_id"`
	ReaderRole  string    `gorm:"column:reader_role"`
	StructureID string    `gorm:"column:structure_id"`
	Fields      string    `gorm:"column:fields"`
	RequestID   string    `gorm:"column:request_id"`
}

func (contactReadRow) TableName() string { return "contact_reads" }

// writeTxRecords writes the records the service attached to the transaction's context: audit entries and the
// owner membership of a structure a structure user creates. Every write transaction of this package calls it,
// so a change and its audit entry commit or roll back together.
func writeTxRecords(tx *gorm.DB) error {
	rec := service.TxRecordsFrom(tx.Statement.Context)
	if rec == nil {
		return nil
	}
	if rec.Owner != nil {
		if err := tx.Create(ptrTo(structureMemberRowFrom(*rec.Owner))).Error; err != nil {
			return err
		}
	}
	for _, e := range rec.Audit {
		row := auditRow{At: e.At, ActorID: e.ActorID, ActorRole: string(e.ActorRole), Action: e.Action,
			Entity: e.Entity, EntityID: e.EntityID, Fields: strings.Join(e.Fields, ","), RequestID: e.RequestID}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// AppendContactRead logs a read of representatives.
func (a *Accounts) AppendContactRead(ctx context.Context, r service.ContactRead) error {
	return a.db.WithContext(ctx).Create(&contactReadRow{At: r.At, ReaderID: r.ReaderID, ReaderRole: string(r.ReaderRole),
		StructureID: r.StructureID, Fields: strings.Join(r.Fields, ","), RequestID: r.RequestID}).Error
}

// FindAudit returns audit entries matching f, newest first.
func (a *Accounts) FindAudit(ctx context.Context, f service.LogFilter) ([]service.AuditEntry, error) {
	q := logQuery(a.db.WithContext(ctx), f, "actor_id")
	if f.Entity != "" {
		q = q.Where("entity = ?", f.Entity)
	}
	if f.EntityID != "" {
		q = q.Where("entity_id = ?", f.EntityID)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	var rows []auditRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]service.AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = service.AuditEntry{ID: r.ID, At: utc(r.At), ActorID: r.ActorID, ActorRole: service.Role(r.ActorRole),
			Action: r.Action, Entity: r.Entity, EntityID: r.EntityID, Fields: splitFields(r.Fields), RequestID: r.RequestID}
	}
	return out, nil
}

// FindContactReads returns contact-read entries matching f (EntityID is the structure), newest first.
func (a *Accounts) FindContactReads(ctx context.Context, f service.LogFilter) ([]service.ContactRead, error) {
	q := logQuery(a.db.WithContext(ctx), f, "reader_id")
	if f.EntityID != "" {
		q = q.Where("structure_id = ?", f.EntityID)
	}
	var rows []contactReadRow
	if err := q.Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]service.ContactRead, len(rows))
	for i, r := range rows {
		out[i] = service.ContactRead{ID: r.ID, At: utc(r.At), ReaderID: r.ReaderID, ReaderRole: service.Role(r.ReaderRole),
			StructureID: r.StructureID, Fields: splitFields(r.Fields), RequestID: r.RequestID}
	}
	return out, nil
}

func logQuery(q *gorm.DB, f service.LogFilter, actorColumn string) *gorm.DB {
	if f.ActorID != "" {
		q = q.Where(actorColumn+" = ?", f.ActorID)
	}
	if f.Since != nil {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if f.Until != nil {
		q = q.Where("at < ?", f.Until.UTC())
	}
	if f.BeforeID > 0 {
		q = q.Where("id < ?", f.BeforeID)
	}
	return q.Order("id DESC").Limit(f.Limit)
}

func splitFields(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

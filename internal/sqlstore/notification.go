package sqlstore

import (
	"context"

	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type notificationRow struct {
	ID          string     `gorm:"column:id;primaryKey"`
	TenderID    string     `gorm:"column:tender_id"`
	LotNumber   int        `gorm:"column:lot_number"`
	StructureID string     `gorm:"column:structure_id"`
	Batch       int        `gorm:"column:batch"`
	Deadline    *time.Time `gorm:"column:deadline"`
	EmailTo     string     `gorm:"column:email_to"`
	CreatedAt   time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	LeaseOwner  string     `gorm:"column:lease_owner"`
	LeaseUntil  *time.Time `gorm:"column:lease_until"`
	Attempts    int        `gorm:"column:attempts"`
	SentAt      *time.Time `gorm:"column:sent_at"`
	ReadAt      *time.Time `gorm:"column:read_at"`
}

func (notificationRow) TableName() string { return "notifications" }

// notificationView is a notification with the titles of its tender and lot.
type notificationView struct {
	ID          string     `gorm:"column:id"`
	TenderID    string     `gorm:"column:tender_id"`
	LotNumber   int        `gorm:"column:lot_number"`
	StructureID string     `gorm:"column:structure_id"`
	Batch       int        `gorm:"column:batch"`
	Deadline    *time.Time `gorm:"column:deadline"`
	EmailTo     string     `gorm:"column:email_to"`
	CreatedAt   time.Time  `gorm:"column:created_at"`
	Attempts    int        `gorm:"column:attempts"`
	SentAt      *time.Time `gorm:"column:sent_at"`
	ReadAt      *time.Time `gorm:"column:read_at"`
	TenderTitle string     `gorm:"column:tender_title"`
	LotTitle    string     `gorm:"column:lot_title"`
}

func (v *notificationView) toDomain() service.Notification {
	r := v
	return service.Notification{ID: r.ID, TenderID: r.TenderID, TenderTitle: v.TenderTitle, LotNumber: r.LotNumber,
		LotTitle: v.LotTitle, StructureID: r.StructureID, Batch: r.Batch, Deadline: dayPtr(r.Deadline),
		EmailTo: r.EmailTo, CreatedAt: utc(r.CreatedAt), Attempts: r.Attempts, SentAt: utcPtr(r.SentAt),
		ReadAt: utcPtr(r.ReadAt)}
}

const notificationViewSelect = "n.*, t.title AS tender_title, l.title AS lot_title"

func (s *Tenders) notificationViews(tx *gorm.DB) *gorm.DB {
	return tx.Table("notifications AS n").Select(notificationViewSelect).
		Joins("JOIN tenders AS t ON t.id = n.tender_id").
		Joins("LEFT JOIN tender_lots AS l ON l.tender_id = n.tender_id AND l.number = n.lot_number")
}

// LotsToNotify returns the lots of published tenders whose deadline is not before day, with their queue counts.
func (s *Tenders) LotsToNotify(ctx context.Context, day time.Time) ([]service.LotQueueState, error) {
	type stateRow struct {
		TenderID       string     `gorm:"column:tender_id"`
		Number         int        `gorm:"column:number"`
		BatchesPlanned int        `gorm:"column:batches_planned"`
		LastBatchAt    *time.Time `gorm:"column:last_batch_at"`
		Unsent         int        `gorm:"column:unsent"`
		Interested     int        `gorm:"column:interested"`
	}
	var rows []stateRow
	today := dayPtr(&day)
	err := s.db.WithContext(ctx).Raw(`SELECT l.tender_id, l.number, l.batches_planned, l.last_batch_at,
  (SELECT COUNT(*) FROM notifications AS n WHERE n.tender_id = l.tender_id AND n.lot_number = l.number AND n.sent_at IS NULL) AS unsent,
  (SELECT COUNT(*) FROM tender_interests AS i WHERE i.tender_id = l.tender_id AND i.lot_number = l.number AND i.answer = 'interested') AS interested
FROM tender_lots AS l JOIN tenders AS t ON t.id = l.tender_id
WHERE t.status = 'published' AND (
  (t.kind = 'sourcing' AND COALESCE(t.sourcing_deadline, t.response_deadline) IS NULL) OR
  (t.kind = 'sourcing' AND COALESCE(t.sourcing_deadline, t.response_deadline) >= ?) OR
  (t.kind <> 'sourcing' AND COALESCE(t.response_deadline, t.sourcing_deadline) IS NULL) OR
  (t.kind <> 'sourcing' AND COALESCE(t.response_deadline, t.sourcing_deadline) >= ?))
ORDER BY l.tender_id, l.number`, *today, *today).Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]service.LotQueueState, len(rows))
	for i, r := range rows {
		out[i] = service.LotQueueState{TenderID: r.TenderID, LotNumber: r.Number, BatchesPlanned: r.BatchesPlanned,
			LastBatchAt: utcPtr(r.LastBatchAt), Unsent: r.Unsent, Interested: r.Interested}
	}
	return out, nil
}

// PlanBatch records batch b.Batch of a lot only if the lot is still at batch b.Batch-1, then inserts its
// notifications; the unique (tender, lot, structure) key skips structures already told.
func (s *Tenders) PlanBatch(ctx context.Context, b service.PlannedBatch) (int, error) {
	created := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&lotRow{}).Where("tender_id = ? AND number = ? AND batches_planned = ?", b.TenderID, b.LotNumber, b.Batch-1).
			Updates(map[string]any{"batches_planned": b.Batch, "last_batch_at": utc(b.At)})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		rows := make([]notificationRow, len(b.Recipients))
		for i, r := range b.Recipients {
			rows[i] = notificationRow{ID: service.NewID(), TenderID: b.TenderID, LotNumber: b.LotNumber,
				StructureID: r.StructureID, Batch: b.Batch, Deadline: dayPtr(b.Deadline), EmailTo: r.EmailTo,
				CreatedAt: utc(b.At)}
		}
		res = tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
		created = int(res.RowsAffected)
		return res.Error
	})
	return created, err
}

// NotifiedStructureIDs returns the structures already notified about a lot.
func (s *Tenders) NotifiedStructureIDs(ctx context.Context, tenderID string, lot int) ([]string, error) {
	var ids []string
	err := s.db.WithContext(ctx).Model(&notificationRow{}).Where("tender_id = ? AND lot_number = ?", tenderID, lot).
		Pluck("structure_id", &ids).Error
	return ids, err
}

// ClaimNotifications leases unsent notifications whose deadline is not past and whose lease is free or expired.
// On PostgreSQL, FOR UPDATE SKIP LOCKED lets concurrent senders claim disjoint rows without waiting; SQLite has
// one writer connection, so the UPDATE itself is the lock.
func (s *Tenders) ClaimNotifications(ctx context.Context, owner string, limit int, now, leaseUntil time.Time) ([]service.Notification, error) {
	today := dayPtr(&now)
	pick := "SELECT id FROM notifications WHERE sent_at IS NULL AND (lease_until IS NULL OR lease_until < ?) " +
		"AND (deadline IS NULL OR deadline >= ?) ORDER BY created_at, id LIMIT ?"
	if Dialect(s.db) == DialectPostgres {
		pick += " FOR UPDATE SKIP LOCKED"
	}
	var ids []string
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Raw(pick, utc(now), *today, limit).Scan(&ids).Error; err != nil || len(ids) == 0 {
			return err
		}
		return tx.Model(&notificationRow{}).Where("id IN ?", ids).Updates(map[string]any{
			"lease_owner": owner, "lease_until": utc(leaseUntil), "attempts": gorm.Expr("attempts + 1")}).Error
	})
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var views []notificationView
	if err := s.notificationViews(s.db.WithContext(ctx)).Where("n.id IN ?", ids).Order("n.created_at, n.id").
		Find(&views).Error; err != nil {
		return nil, err
	}
	out := make([]service.Notification, len(views))
	for i := range views {
		out[i] = views[i].toDomain()
	}
	return out, nil
}

// MarkNotificationSent records the sending of a notification whose lease owner still holds.
func (s *Tenders) MarkNotificationSent(ctx context.Context, id, owner string, at time.Time) error {
	return s.db.WithContext(ctx).Model(&notificationRow{}).Where("id = ? AND lease_owner = ? AND sent_at IS NULL", id, owner).
		Update("sent_at", utc(at)).Error
}

// FindNotifications lists the notifications of some structures, newest first, one keyset page at a time.
func (s *Tenders) FindNotifications(ctx context.Context, structureIDs []string, any, unreadOnly bool, page domain.PageRequest) (domain.Page[service.Notification], error) {
	out := domain.Page[service.Notification]{Items: []service.Notification{}}
	if !any && len(structureIDs) == 0 {
		return out, nil
	}
	size := page.Size
	if size <= 0 {
		size = domain.DefaultPageSize
	}
	filter := func(q *gorm.DB) *gorm.DB {
		if !any {
			q = q.Where("n.structure_id IN ?", structureIDs)
		}
		if unreadOnly {
			q = q.Where("n.read_at IS NULL")
		}
		return q
	}
	err := s.dir.readTx(ctx, func(tx *gorm.DB) error {
		var total int64
		if err := filter(tx.Table("notifications AS n")).Count(&total).Error; err != nil {
			return err
		}
		q := filter(s.notificationViews(tx))
		if page.Cursor.After != "" {
			q = q.Where("n.id < ?", page.Cursor.After)
		}
		var views []notificationView
		if err := q.Order("n.id DESC").Limit(size + 1).Find(&views).Error; err != nil {
			return err
		}
		if len(views) > size {
			views = views[:size]
			out.NextCursor = domain.Cursor{After: views[size-1].ID}.Encode()
		}
		out.Total = int(total)
		for i := range views {
			out.Items = append(out.Items, views[i].toDomain())
		}
		return nil
	})
	return out, err
}

// MarkNotificationRead sets the read time of a notification of one of the structures (kept if already read).
func (s *Tenders) MarkNotificationRead(ctx context.Context, id string, structureIDs []string, any bool, at time.Time) (*service.Notification, error) {
	if !any && len(structureIDs) == 0 {
		return nil, domain.NotFound("notification")
	}
	var out *service.Notification
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&notificationRow{}).Where("id = ? AND read_at IS NULL", id)
		if !any {
			q = q.Where("structure_id IN ?", structureIDs)
		}
		if err := q.Update("read_at", utc(at)).Error; err != nil {
			return err
		}
		var views []notificationView
		v := s.notificationViews(tx).Where("n.id = ?", id)
		if !any {
			v = v.Where("n.structure_id IN ?", structureIDs)
		}
		if err := v.Find(&views).Error; err != nil {
			return err
		}
		if len(views) == 0 {
			return domain.NotFound("notification")
		}
		n := views[0].toDomain()
		out = &n
		return nil
	})
	return out, err
}

// FindTenderNotifications returns every notification of a tender.
func (s *Tenders) FindTenderNotifications(ctx context.Context, tenderID string) ([]service.Notification, error) {
	var views []notificationView
	if err := s.notificationViews(s.db.WithContext(ctx)).Where("n.tender_id = ?", tenderID).Order("n.lot_number, n.id").
		Find(&views).Error; err != nil {
		return nil, err
	}
	out := make([]service.Notification, len(views))
	for i := range views {
		out[i] = views[i].toDomain()
	}
	return out, nil
}

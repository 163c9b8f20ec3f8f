package sqlstore

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type userStatusChangeRow struct {
	ID      int64     `gorm:"column:id;primaryKey;autoIncrement"`
	UserID  string    `gorm:"column:user_id"`
	Status  string    `gorm:"column:status"`
	Reason  string    `gorm:"column:reason"`
	ActorID string    `gorm:"column:actor_id"`
	At      time.Time `gorm:"column:at"`
}

func (userStatusChangeRow) TableName() string { return "user_status_changes" }

// userColumns leaves the password hash out of every administrators' list: what is not read cannot leak.
const userColumns = "users.id, users.email, users.role, users.status, users.created_at, users.updated_at"

// FindUsers lists the accounts matching f, newest first (ids are UUIDv7, so id order is creation order).
func (a *Accounts) FindUsers(ctx context.Context, f service.UserFilter, page domain.PageRequest) (domain.Page[service.UserSummary], error) {
	out := domain.Page[service.UserSummary]{Items: []service.UserSummary{}}
	size := page.Size
	if size <= 0 {
		size = domain.DefaultPageSize
	}
	filter := func(q *gorm.DB) *gorm.DB {
		if f.Role != "" {
			q = q.Where("users.role = ?", string(f.Role))
		}
		if f.Status != "" {
			q = q.Where("users.status = ?", string(f.Status))
		}
		if f.Email != "" {
			q = q.Where(`users.email LIKE ? ESCAPE '\'`, "%"+escapeLike(strings.ToLower(f.Email))+"%")
		}
		if f.OrganisationID != "" {
			q = q.Where("EXISTS (SELECT 1 FROM organisation_members m WHERE m.user_id = users.id AND m.organisation_id = ?)", f.OrganisationID)
		}
		return q
	}
	err := a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var total int64
		if err := filter(tx.Model(&userRow{})).Count(&total).Error; err != nil {
			return err
		}
		q := filter(tx.Model(&userRow{}).Select(userColumns))
		if page.Cursor.After != "" {
			q = q.Where("users.id < ?", page.Cursor.After)
		}
		var rows []userRow
		if err := q.Order("users.id DESC").Limit(size + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > size {
			rows = rows[:size]
			out.NextCursor = domain.Cursor{After: rows[size-1].ID}.Encode()
		}
		out.Total = int(total)
		items, err := userSummaries(tx, rows)
		out.Items = items
		return err
	})
	return out, err
}

// FindUserSummary loads one account as FindUsers lists it.
func (a *Accounts) FindUserSummary(ctx context.Context, id string) (*service.UserSummary, error) {
	db := a.db.WithContext(ctx)
	var rows []userRow
	if err := db.Model(&userRow{}).Select(userColumns).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("user")
	}
	items, err := userSummaries(db, rows)
	if err != nil {
		return nil, err
	}
	return &items[0], nil
}

// userSummaries adds to the rows their memberships and last status change, with one query each for the page.
func userSummaries(tx *gorm.DB, rows []userRow) ([]service.UserSummary, error) {
	items := make([]service.UserSummary, len(rows))
	ids := make([]string, len(rows))
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		ids[i], at[r.ID] = r.ID, i
		items[i] = service.UserSummary{ID: r.ID, Email: r.Email, Role: service.Role(r.Role), Status: service.UserStatus(r.Status),
			CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt), OrganisationIDs: []string{}, StructureIDs: []string{}}
	}
	if len(rows) == 0 {
		return items, nil
	}
	var orgs []organisationMemberRow
	if err := tx.Where("user_id IN ?", ids).Order("organisation_id").Find(&orgs).Error; err != nil {
		return nil, err
	}
	for _, m := range orgs {
		items[at[m.UserID]].OrganisationIDs = append(items[at[m.UserID]].OrganisationIDs, m.OrganisationID)
	}
	var members []structureMemberRow
	if err := tx.Where("user_id IN ?", ids).Order("structure_id").Find(&members).Error; err != nil {
		return nil, err
	}
	for _, m := range members {
		items[at[m.UserID]].StructureIDs = append(items[at[m.UserID]].StructureIDs, m.StructureID)
	}
	var changes []userStatusChangeRow
	if err := tx.Where("user_id IN ?", ids).Order("id").Find(&changes).Error; err != nil {
		return nil, err
	}
	for _, c := range changes { // in id order, so the last one written wins
		items[at[c.UserID]].LastChange = &service.UserStatusChange{UserID: c.UserID, Status: service.UserStatus(c.Status),
			Reason: c.Reason, ActorID: c.ActorID, At: utc(c.At)}
	}
	return items, nil
}

// ChangeUserStatus sets an account's status, records the change and, for a suspension, revokes the account's
// live tokens: all in one transaction with the audit entries of ctx.
func (a *Accounts) ChangeUserStatus(ctx context.Context, c service.UserStatusChange) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&userRow{}).Where("id = ?", c.UserID).
			Updates(map[string]any{"status": string(c.Status), "updated_at": c.At})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("user")
		}
		if c.Status == service.UserDisabled {
			if err := tx.Model(&tokenRow{}).Where("user_id = ? AND revoked_at IS NULL", c.UserID).
				Update("revoked_at", c.At).Error; err != nil {
				return err
			}
		}
		return tx.Create(&userStatusChangeRow{UserID: c.UserID, Status: string(c.Status), Reason: c.Reason,
			ActorID: c.ActorID, At: c.At}).Error
	})
}

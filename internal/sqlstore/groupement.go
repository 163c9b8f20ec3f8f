package sqlstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type groupementRow struct {
	ID           string     `gorm:"column:id;primaryKey"`
	CallID       string     `gorm:"column:call_id"`
	LotKey       string     `gorm:"column:lot_key"`
	TenderID     string     `gorm:"column:tender_id"`
	LotNumber    int        `gorm:"column:lot_number"`
	Form         string     `gorm:"column:form"`
	MandataireID string     `gorm:"column:mandataire_id"`
	Status       string     `gorm:"column:status"`
	SubmittedAt  *time.Time `gorm:"column:submitted_at"`
	CreatedBy    string     `gorm:"column:created_by"`
	CreatedAt    time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt    time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	Version      int        `gorm:"column:version"`
}

func (groupementRow) TableName() string { return "groupements" }

type groupementMemberRow struct {
	GroupementID string `gorm:"column:groupement_id;primaryKey"`
	StructureID  string `gorm:"column:structure_id;primaryKey"`
	Position     int    `gorm:"column:position"`
}

func (groupementMemberRow) TableName() string { return "groupement_members" }

type groupementChangeRow struct {
	ID               int64     `gorm:"column:id;primaryKey;autoIncrement"`
	GroupementID     string    `gorm:"column:groupement_id"`
	At               time.Time `gorm:"column:at"`
	ActorID          string    `gorm:"column:actor_id"`
	Reason           string    `gorm:"column:reason"`
	AddedJSON        string    `gorm:"column:added_json"`
	RemovedJSON      string    `gorm:"column:removed_json"`
	MandataireBefore string    `gorm:"column:mandataire_before"`
	MandataireAfter  string    `gorm:"column:mandataire_after"`
	AfterSubmission  bool      `gorm:"column:after_submission"`
}

func (groupementChangeRow) TableName() string { return "groupement_changes" }

// mandataireTaken translates the unique key on (lot_key, mandataire_id) into the R2142-23 conflict.
func mandataireTaken(err error) error {
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return domain.MandataireConflict()
	}
	return err
}

// CreateGroupement inserts a groupement with its members and marks its call filled.
func (s *Cotraitance) CreateGroupement(ctx context.Context, g *domain.Groupement) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		row := groupementRow{ID: g.ID, CallID: g.CallID, LotKey: g.LotKey, TenderID: g.TenderID, LotNumber: g.LotNumber,
			Form: string(g.Form), MandataireID: g.MandataireID, Status: string(g.Status), SubmittedAt: utcPtr(g.SubmittedAt),
			CreatedBy: g.CreatedBy, CreatedAt: utc(g.CreatedAt), UpdatedAt: utc(g.UpdatedAt), Version: g.Version}
		if err := tx.Create(&row).Error; err != nil {
			return mandataireTaken(err)
		}
		if err := insertMembers(tx, g.ID, g.MemberIDs); err != nil {
			return err
		}
		return tx.Model(&callRow{}).Where("id = ? AND status = ?", g.CallID, string(domain.CallOpen)).
			Updates(map[string]any{"status": string(domain.CallFilled), "updated_at": utc(g.CreatedAt)}).Error
	})
}

func insertMembers(tx *gorm.DB, id string, members []string) error {
	for i, m := range members {
		if err := tx.Create(&groupementMemberRow{GroupementID: id, StructureID: m, Position: i}).Error; err != nil {
			if errors.Is(err, gorm.ErrForeignKeyViolated) {
				return domain.NotFound("structure " + m)
			}
			return err
		}
	}
	return nil
}

// FindGroupementByID loads a groupement with its members (in order) and its changes (oldest first).
func (s *Cotraitance) FindGroupementByID(ctx context.Context, id string) (*domain.Groupement, error) {
	var rows []groupementRow
	db := s.db.WithContext(ctx)
	if err := db.Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("groupement")
	}
	r := rows[0]
	g := domain.Groupement{ID: r.ID, CallID: r.CallID, LotKey: r.LotKey, TenderID: r.TenderID, LotNumber: r.LotNumber,
		Form: domain.GroupementForm(r.Form), MandataireID: r.MandataireID, Status: domain.GroupementStatus(r.Status),
		SubmittedAt: utcPtr(r.SubmittedAt), CreatedBy: r.CreatedBy, CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
		Version: r.Version}
	var members []groupementMemberRow
	if err := db.Where("groupement_id = ?", id).Order("position").Find(&members).Error; err != nil {
		return nil, err
	}
	for _, m := range members {
		g.MemberIDs = append(g.MemberIDs, m.StructureID)
	}
	var changes []groupementChangeRow
	if err := db.Where("groupement_id = ?", id).Order("id").Find(&changes).Error; err != nil {
		return nil, err
	}
	for _, c := range changes {
		g.Changes = append(g.Changes, domain.CompositionChange{At: utc(c.At), ActorID: c.ActorID, Reason: c.Reason,
			Added: parseJSONList(c.AddedJSON), Removed: parseJSONList(c.RemovedJSON), MandataireBefore: c.MandataireBefore,
			MandataireAfter: c.MandataireAfter, AfterSubmission: c.AfterSubmission})
	}
	return &g, nil
}

// bumpGroupement applies updates to a groupement at expectedVersion, incrementing it; a stale version is a
// precondition failure.
func bumpGroupement(tx *gorm.DB, id string, expectedVersion int, updates map[string]any) error {
	updates["version"] = expectedVersion + 1
	res := tx.Model(&groupementRow{}).Where("id = ? AND version = ?", id, expectedVersion).Updates(updates)
	if res.Error != nil {
		return mandataireTaken(res.Error)
	}
	if res.RowsAffected == 0 {
		return domain.PreconditionFailed("the groupement was changed meanwhile; fetch it again")
	}
	return nil
}

// SubmitGroupement marks a groupement submitted.
func (s *Cotraitance) SubmitGroupement(ctx context.Context, id string, at time.Time, expectedVersion int) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return bumpGroupement(tx, id, expectedVersion, map[string]any{"status": string(domain.GroupementSubmitted),
			"submitted_at": utc(at), "updated_at": utc(at)})
	})
}

// ChangeGroupement replaces the members and mandataire of a groupement and logs the change.
func (s *Cotraitance) ChangeGroupement(ctx context.Context, g *domain.Groupement, change domain.CompositionChange, expectedVersion int) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		if err := bumpGroupement(tx, g.ID, expectedVersion, map[string]any{"mandataire_id": g.MandataireID,
			"updated_at": utc(g.UpdatedAt)}); err != nil {
			return err
		}
		if err := tx.Where("groupement_id = ?", g.ID).Delete(&groupementMemberRow{}).Error; err != nil {
			return err
		}
		if err := insertMembers(tx, g.ID, g.MemberIDs); err != nil {
			return err
		}
		return tx.Create(&groupementChangeRow{GroupementID: g.ID, At: utc(change.At), ActorID: change.ActorID,
			Reason: change.Reason, AddedJSON: jsonList(change.Added), RemovedJSON: jsonList(change.Removed),
			MandataireBefore: change.MandataireBefore, MandataireAfter: change.MandataireAfter,
			AfterSubmission: change.AfterSubmission}).Error
	})
}

// CountGroupements counts the groupements of each lot of a tender by form and status.
func (s *Cotraitance) CountGroupements(ctx context.Context, tenderID string) ([]service.GroupementCount, error) {
	var rows []struct {
		LotNumber int
		Form      string
		Status    string
		N         int
	}
	err := s.db.WithContext(ctx).Table("groupements").Select("lot_number, form, status, COUNT(*) AS n").
		Where("tender_id = ? AND tender_id <> ''", tenderID).Group("lot_number, form, status").Order("lot_number").
		Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	out := []service.GroupementCount{}
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].LotNumber != r.LotNumber {
			out = append(out, service.GroupementCount{LotNumber: r.LotNumber})
		}
		c := &out[len(out)-1]
		if r.Form == string(domain.FormSeveral) {
			c.Several += r.N
		} else {
			c.Joint += r.N
		}
		if r.Status == string(domain.GroupementSubmitted) {
			c.Submitted += r.N
		}
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var (
	_ service.PartnershipStore = (*Cotraitance)(nil)
	_ service.GroupementStore  = (*Cotraitance)(nil)
)

// Cotraitance stores the co-contracting exchange: partnership calls, applications, notices and groupements.
type Cotraitance struct {
	db *gorm.DB
}

// NewCotraitance returns the exchange's store over a migrated database.
func NewCotraitance(db *gorm.DB) *Cotraitance { return &Cotraitance{db: db} }

// write runs fn and the audit entries attached to ctx in one transaction.
func (s *Cotraitance) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return writeTxRecords(tx)
	})
}

type callRow struct {
	ID                string     `gorm:"column:id;primaryKey"`
	StructureID       string     `gorm:"column:structure_id"`
	LotKey            string     `gorm:"column:lot_key"`
	TenderID          string     `gorm:"column:tender_id"`
	LotNumber         int        `gorm:"column:lot_number"`
	ExtReference      string     `gorm:"column:ext_reference"`
	ExtBuyer          string     `gorm:"column:ext_buyer"`
	ExtURL            string     `gorm:"column:ext_url"`
	ExtDeadline       *time.Time `gorm:"column:ext_deadline"`
	ExtLotValueEUR    *int64     `gorm:"column:ext_lot_value_eur"`
	ExtMinTurnoverEUR *int64     `gorm:"column:ext_min_turnover_eur"`
	ExtCPVJSON        string     `gorm:"column:ext_cpv_json"`
	ExtCommunesJSON   string     `gorm:"column:ext_communes_json"`
	IsExternal        bool       `gorm:"column:is_external"`
	RoleSought        string     `gorm:"column:role_sought"`
	CPVJSON           string     `gorm:"column:cpv_json"`
	SkillsJSON        string     `gorm:"column:skills_json"`
	CommunesJSON      string     `gorm:"column:communes_json"`
	CapacitySoughtEUR *int64     `gorm:"column:capacity_sought_eur"`
	Deadline          time.Time  `gorm:"column:deadline"`
	Message           string     `gorm:"column:message"`
	SearchText        string     `gorm:"column:search_text"`
	Status            string     `gorm:"column:status"`
	CreatedBy         string     `gorm:"column:created_by"`
	CreatedAt         time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (callRow) TableName() string { return "partnership_calls" }

type callCPVRow struct {
	CallID string `gorm:"column:call_id;primaryKey"`
	Code8  string `gorm:"column:code8;primaryKey"`
}

func (callCPVRow) TableName() string { return "partnership_call_cpv" }

type callCommuneRow struct {
	CallID string `gorm:"column:call_id;primaryKey"`
	INSEE  string `gorm:"column:insee;primaryKey"`
}

func (callCommuneRow) TableName() string { return "partnership_call_communes" }

type applicationRow struct {
	ID          string     `gorm:"column:id;primaryKey"`
	CallID      string     `gorm:"column:call_id"`
	StructureID string     `gorm:"column:structure_id"`
	Message     string     `gorm:"column:message"`
	CPVJSON     string     `gorm:"column:cpv_json"`
	Status      string     `gorm:"column:status"`
	CreatedBy   string     `gorm:"column:created_by"`
	CreatedAt   time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	DecidedAt   *time.Time `gorm:"column:decided_at"`
}

func (applicationRow) TableName() string { return "partnership_applications" }

type noticeRow struct {
	ID            int64      `gorm:"column:id;primaryKey;autoIncrement"`
	StructureID   string     `gorm:"column:structure_id"`
	Kind          string     `gorm:"column:kind"`
	CallID        string     `gorm:"column:call_id"`
	ApplicationID string     `gorm:"column:application_id"`
	CreatedAt     time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ReadAt        *time.Time `gorm:"column:read_at"`
}

func (noticeRow) TableName() string { return "partnership_notices" }

func callRowFrom(c *domain.PartnershipCall) callRow {
	r := callRow{ID: c.ID, StructureID: c.StructureID, LotKey: c.LotKey(), TenderID: c.TenderID, LotNumber: c.LotNumber,
		ExtCPVJSON: "[]", ExtCommunesJSON: "[]", RoleSought: string(c.RoleSought), CPVJSON: jsonList(c.CPVCodes),
		SkillsJSON: jsonList(c.Skills), CommunesJSON: jsonList(c.Communes), CapacitySoughtEUR: c.CapacitySoughtEUR,
		Deadline: utc(c.Deadline), Message: c.Message, Status: string(c.Status), CreatedBy: c.CreatedBy,
		CreatedAt: utc(c.CreatedAt), UpdatedAt: utc(c.UpdatedAt)}
	text := []string{c.Message, strings.Join(c.Skills, " ")}
	if e := c.External; e != nil {
		r.IsExternal, r.ExtReference, r.ExtBuyer, r.ExtURL = true, e.Reference, e.Buyer, e.URL
		r.ExtDeadline, r.ExtLotValueEUR, r.ExtMinTurnoverEUR = utcPtr(e.Deadline), e.LotValueEUR, e.MinTurnoverEUR
		r.ExtCPVJSON, r.ExtCommunesJSON = jsonList(e.CPVCodes), jsonList(e.Communes)
		text = append(text, e.Reference, e.Buyer)
	}
	r.SearchText = strings.ToLower(strings.Join(text, " "))
	return r
}

func toDomainCall(r *callRow) domain.PartnershipCall {
	c := domain.PartnershipCall{ID: r.ID, StructureID: r.StructureID, TenderID: r.TenderID, LotNumber: r.LotNumber,
		RoleSought: domain.RoleSought(r.RoleSought), CPVCodes: parseJSONList(r.CPVJSON), Skills: parseJSONList(r.SkillsJSON),
		Communes: parseJSONList(r.CommunesJSON), CapacitySoughtEUR: r.CapacitySoughtEUR, Deadline: utc(r.Deadline),
		Message: r.Message, Status: domain.CallStatus(r.Status), CreatedBy: r.CreatedBy, CreatedAt: utc(r.CreatedAt),
		UpdatedAt: utc(r.UpdatedAt)}
	if r.IsExternal {
		c.External = &domain.ExternalConsultation{Reference: r.ExtReference, Buyer: r.ExtBuyer, URL: r.ExtURL,
			Deadline: utcPtr(r.ExtDeadline), LotValueEUR: r.ExtLotValueEUR, MinTurnoverEUR: r.ExtMinTurnoverEUR,
			CPVCodes: parseJSONList(r.ExtCPVJSON), Communes: parseJSONList(r.ExtCommunesJSON)}
	}
	return c
}

// CreateCall inserts a call with the codes and communes it is browsed by.
func (s *Cotraitance) CreateCall(ctx context.Context, c *domain.PartnershipCall, index service.CallIndex) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		row := callRowFrom(c)
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrForeignKeyViolated) {
				return domain.NotFound("structure")
			}
			return err
		}
		for _, code := range index.CPV {
			if err := tx.Create(&callCPVRow{CallID: c.ID, Code8: code}).Error; err != nil {
				return err
			}
		}
		for _, insee := range index.Communes {
			if err := tx.Create(&callCommuneRow{CallID: c.ID, INSEE: insee}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// FindCallByID loads a call.
func (s *Cotraitance) FindCallByID(ctx context.Context, id string) (*domain.PartnershipCall, error) {
	var rows []callRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("partnership call")
	}
	c := toDomainCall(&rows[0])
	return &c, nil
}

// FindCalls lists calls matching f, newest first (ids are time-ordered), one keyset page at a time.
func (s *Cotraitance) FindCalls(ctx context.Context, f domain.PartnershipCallFilter, page domain.PageRequest) (domain.Page[domain.PartnershipCall], error) {
	out := domain.Page[domain.PartnershipCall]{Items: []domain.PartnershipCall{}}
	size := page.Size
	if size <= 0 {
		size = domain.DefaultPageSize
	}
	filter := callConditions(f)
	var total int64
	if err := filter(s.db.WithContext(ctx).Table("partnership_calls AS c")).Count(&total).Error; err != nil {
		return out, err
	}
	q := filter(s.db.WithContext(ctx).Table("partnership_calls AS c").Select("c.*"))
	if page.Cursor.After != "" {
		q = q.Where("c.id < ?", page.Cursor.After)
	}
	var rows []callRow
	if err := q.Order("c.id DESC").Limit(size + 1).Find(&rows).Error; err != nil {
		return out, err
	}
	if len(rows) > size {
		rows = rows[:size]
		out.NextCursor = domain.Cursor{After: rows[size-1].ID}.Encode()
	}
	out.Total = int(total)
	for i := range rows {
		out.Items = append(out.Items, toDomainCall(&rows[i]))
	}
	return out, nil
}

// callConditions turns a filter into WHERE clauses on "partnership_calls AS c". A CPV filter matches calls needing
// a code in the filter code's branch (45200000 finds 45210000) or above it (a call for the division 45000000 is
// found by a search for 45210000): both sides of the hierarchy are a possible partnership.
func callConditions(f domain.PartnershipCallFilter) func(*gorm.DB) *gorm.DB {
	return func(q *gorm.DB) *gorm.DB {
		if len(f.CPV) > 0 {
			var clauses []string
			var args []any
			for _, code := range f.CPV {
				lo, hi := domain.CPVRange(code)
				clauses = append(clauses, "(p.code8 >= ? AND p.code8 < ?)")
				args = append(args, lo, hi)
				if ancestors := cpvAncestors(code); len(ancestors) > 0 {
					clauses = append(clauses, "p.code8 IN ?")
					args = append(args, ancestors)
				}
			}
			q = q.Where("EXISTS (SELECT 1 FROM partnership_call_cpv p WHERE p.call_id = c.id AND ("+
				strings.Join(clauses, " OR ")+"))", args...)
		}
		if f.Commune != "" {
			q = q.Where("EXISTS (SELECT 1 FROM partnership_call_communes m WHERE m.call_id = c.id AND m.insee = ?)", f.Commune)
		}
		if f.TenderID != "" {
			q = q.Where("c.tender_id = ?", f.TenderID)
		}
		if f.Role != "" {
			q = q.Where("c.role_sought = ?", string(f.Role))
		}
		if f.Status != "" {
			q = q.Where("c.status = ?", string(f.Status))
		}
		if f.StructureID != "" {
			q = q.Where("c.structure_id = ?", f.StructureID)
		}
		for _, word := range strings.Fields(strings.ToLower(f.Text)) {
			q = q.Where("c.search_text LIKE ? ESCAPE '\\'", "%"+escapeLike(word)+"%")
		}
		return q
	}
}

// cpvAncestors returns the 8-digit roots above a code in the hierarchy: 45210000 → 45200000, 45000000.
func cpvAncestors(code string) []string {
	p := domain.CPVPrefix(code)
	var out []string
	for n := len(p) - 1; n >= 2; n-- {
		out = append(out, p[:n]+strings.Repeat("0", 8-n))
	}
	return out
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// SetCallStatus changes a call's status.
func (s *Cotraitance) SetCallStatus(ctx context.Context, id string, status domain.CallStatus, at time.Time) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		return tx.Model(&callRow{}).Where("id = ?", id).Updates(map[string]any{"status": string(status), "updated_at": utc(at)}).Error
	})
}

func toDomainApplication(r *applicationRow) domain.Application {
	return domain.Application{ID: r.ID, CallID: r.CallID, StructureID: r.StructureID, Message: r.Message,
		CPVCodes: parseJSONList(r.CPVJSON), Status: domain.ApplicationStatus(r.Status), CreatedBy: r.CreatedBy,
		CreatedAt: utc(r.CreatedAt), DecidedAt: utcPtr(r.DecidedAt)}
}

// CreateApplication inserts an application and its notices; a second application of a structure to a call is a
// conflict.
func (s *Cotraitance) CreateApplication(ctx context.Context, a *domain.Application, notices []service.PartnershipNotice) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		row := applicationRow{ID: a.ID, CallID: a.CallID, StructureID: a.StructureID, Message: a.Message,
			CPVJSON: jsonList(a.CPVCodes), Status: string(a.Status), CreatedBy: a.CreatedBy, CreatedAt: utc(a.CreatedAt)}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return domain.Conflict("already_applied", "this structure already applied to the call")
			}
			return err
		}
		return insertNotices(tx, notices)
	})
}

func insertNotices(tx *gorm.DB, notices []service.PartnershipNotice) error {
	for _, n := range notices {
		row := noticeRow{StructureID: n.StructureID, Kind: n.Kind, CallID: n.CallID, ApplicationID: n.ApplicationID,
			CreatedAt: utc(n.CreatedAt)}
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
	}
	return nil
}

// FindApplicationByID loads an application.
func (s *Cotraitance) FindApplicationByID(ctx context.Context, id string) (*domain.Application, error) {
	var rows []applicationRow
	if err := s.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("application")
	}
	a := toDomainApplication(&rows[0])
	return &a, nil
}

// FindApplications lists the applications to a call, oldest first.
func (s *Cotraitance) FindApplications(ctx context.Context, callID string) ([]domain.Application, error) {
	var rows []applicationRow
	if err := s.db.WithContext(ctx).Where("call_id = ?", callID).Order("id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]domain.Application, len(rows))
	for i := range rows {
		out[i] = toDomainApplication(&rows[i])
	}
	return out, nil
}

// DecideApplication records a decision on a still-pending application, with its notices; a decided one is a
// conflict, so two concurrent decisions cannot both win.
func (s *Cotraitance) DecideApplication(ctx context.Context, a *domain.Application, notices []service.PartnershipNotice) error {
	return s.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&applicationRow{}).Where("id = ? AND status = ?", a.ID, string(domain.ApplicationPending)).
			Updates(map[string]any{"status": string(a.Status), "decided_at": utcPtr(a.DecidedAt)})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Conflict("application_decided", "the application was already decided")
		}
		return insertNotices(tx, notices)
	})
}

// FindNotices lists the notices of structures, newest first.
func (s *Cotraitance) FindNotices(ctx context.Context, structureIDs []string, limit int) ([]service.PartnershipNotice, error) {
	var rows []noticeRow
	if err := s.db.WithContext(ctx).Where("structure_id IN ?", structureIDs).Order("id DESC").Limit(limit).
		Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]service.PartnershipNotice, len(rows))
	for i, r := range rows {
		out[i] = service.PartnershipNotice{ID: r.ID, StructureID: r.StructureID, Kind: r.Kind, CallID: r.CallID,
			ApplicationID: r.ApplicationID, CreatedAt: utc(r.CreatedAt)}
	}
	return out, nil
}

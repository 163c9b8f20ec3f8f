package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var (
	_ service.TenderStore       = (*Tenders)(nil)
	_ service.NotificationStore = (*Tenders)(nil)
)

// Tenders is the GORM implementation of service.TenderStore and service.NotificationStore.
type Tenders struct {
	db  *gorm.DB
	dir *Store
}

// NewTenders returns the tender store over a migrated database; give it the directory's commune lookup so that
// matching sees zones and radii.
func NewTenders(db *gorm.DB, opts ...Option) *Tenders { return &Tenders{db: db, dir: New(db, opts...)} }

type tenderRow struct {
	ID                 string     `gorm:"column:id;primaryKey"`
	OrganisationID     string     `gorm:"column:organisation_id"`
	CreatedBy          string     `gorm:"column:created_by"`
	Title              string     `gorm:"column:title"`
	Description        string     `gorm:"column:description"`
	Kind               string     `gorm:"column:kind"`
	ExternalReference  string     `gorm:"column:external_reference"`
	ExternalURL        string     `gorm:"column:external_url"`
	CPVJSON            string     `gorm:"column:cpv_json"`
	EstimatedTotalEUR  *int64     `gorm:"column:estimated_total_eur"`
	DurationMonths     *int       `gorm:"column:duration_months"`
	CommunesJSON       string     `gorm:"column:communes_json"`
	SourcingDeadline   *time.Time `gorm:"column:sourcing_deadline"`
	PlannedPublication *time.Time `gorm:"column:planned_publication"`
	ResponseDeadline   *time.Time `gorm:"column:response_deadline"`
	Status             string     `gorm:"column:status"`
	PublishedAt        *time.Time `gorm:"column:published_at"`
	CreatedAt          time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt          time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	Version            int        `gorm:"column:version"`
}

func (tenderRow) TableName() string { return "tenders" }

type lotRow struct {
	TenderID          string     `gorm:"column:tender_id;primaryKey"`
	Number            int        `gorm:"column:number;primaryKey"`
	Title             string     `gorm:"column:title"`
	Description       string     `gorm:"column:description"`
	CPVJSON           string     `gorm:"column:cpv_json"`
	EstimatedValueEUR *int64     `gorm:"column:estimated_value_eur"`
	CommunesJSON      string     `gorm:"column:communes_json"`
	Reservation       string     `gorm:"column:reservation"`
	SocialClause      bool       `gorm:"column:social_clause"`
	InsertionHours    *int       `gorm:"column:insertion_hours"`
	MinTurnoverEUR    *int64     `gorm:"column:min_turnover_eur"`
	OpenToGroupement  bool       `gorm:"column:open_to_groupement"`
	BatchesPlanned    int        `gorm:"column:batches_planned"`
	LastBatchAt       *time.Time `gorm:"column:last_batch_at"`
}

func (lotRow) TableName() string { return "tender_lots" }

type interestRow struct {
	TenderID    string    `gorm:"column:tender_id;primaryKey"`
	LotNumber   int       `gorm:"column:lot_number;primaryKey"`
	StructureID string    `gorm:"column:structure_id;primaryKey"`
	Answer      string    `gorm:"column:answer"`
	Reason      string    `gorm:"column:reason"`
	Message     string    `gorm:"column:message"`
	UserID      string    `gorm:"column:user_id"`
	AnsweredAt  time.Time `gorm:"column:answered_at"`
}

func (interestRow) TableName() string { return "tender_interests" }

func tenderRowFrom(t *domain.Tender) (tenderRow, []lotRow) {
	r := tenderRow{ID: t.ID, OrganisationID: t.OrganisationID, CreatedBy: t.CreatedBy, Title: t.Title,
		Description: t.Description, Kind: string(t.Kind), ExternalReference: t.ExternalReference,
		ExternalURL: t.ExternalURL, CPVJSON: jsonList(t.CPVCodes), EstimatedTotalEUR: t.EstimatedTotalEUR,
		DurationMonths: t.DurationMonths, CommunesJSON: jsonList(t.Communes), SourcingDeadline: dayPtr(t.SourcingDeadline),
		PlannedPublication: dayPtr(t.PlannedPublication), ResponseDeadline: dayPtr(t.ResponseDeadline),
		Status: string(t.Status), PublishedAt: utcPtr(t.PublishedAt), CreatedAt: utc(t.CreatedAt),
		UpdatedAt: utc(t.UpdatedAt), Version: t.Version}
	lots := make([]lotRow, len(t.Lots))
	for i, l := range t.Lots {
		lots[i] = lotRow{TenderID: t.ID, Number: l.Number, Title: l.Title, Description: l.Description,
			CPVJSON: jsonList(l.CPVCodes), EstimatedValueEUR: l.EstimatedValueEUR, CommunesJSON: jsonList(l.Communes),
			Reservation: string(l.Reservation), SocialClause: l.SocialClause, InsertionHours: l.InsertionHours,
			MinTurnoverEUR: l.MinTurnoverEUR, OpenToGroupement: l.OpenToGroupement}
	}
	return r, lots
}

func toDomainTender(r *tenderRow, lots []lotRow) domain.Tender {
	t := domain.Tender{ID: r.ID, OrganisationID: r.OrganisationID, CreatedBy: r.CreatedBy, Title: r.Title,
		Description: r.Description, Kind: domain.TenderKind(r.Kind), ExternalReference: r.ExternalReference,
		ExternalURL: r.ExternalURL, CPVCodes: parseJSONList(r.CPVJSON), EstimatedTotalEUR: r.EstimatedTotalEUR,
		DurationMonths: r.DurationMonths, Communes: parseJSONList(r.CommunesJSON),
		SourcingDeadline: dayPtr(r.SourcingDeadline), PlannedPublication: dayPtr(r.PlannedPublication),
		ResponseDeadline: dayPtr(r.ResponseDeadline), Status: domain.TenderStatus(r.Status),
		PublishedAt: utcPtr(r.PublishedAt), CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt), Version: r.Version}
	for _, l := range lots {
		t.Lots = append(t.Lots, domain.Lot{Number: l.Number, Title: l.Title, Description: l.Description,
			CPVCodes: parseJSONList(l.CPVJSON), EstimatedValueEUR: l.EstimatedValueEUR,
			Communes: parseJSONList(l.CommunesJSON), Reservation: domain.Reservation(l.Reservation),
			SocialClause: l.SocialClause, InsertionHours: l.InsertionHours, MinTurnoverEUR: l.MinTurnoverEUR,
			OpenToGroupement: l.OpenToGroupement})
	}
	return t
}

// dayPtr keeps the calendar day of a date at midnight UTC, the form a DATE column gives back.
func dayPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	y, m, d := t.Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &day
}

// CreateTender inserts a tender with its lots.
func (s *Tenders) CreateTender(ctx context.Context, t *domain.Tender) error {
	r, lots := tenderRowFrom(t)
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		return insertRows(tx, lots)
	})
}

// FindTenderByID loads a tender with its lots in number order.
func (s *Tenders) FindTenderByID(ctx context.Context, id string) (*domain.Tender, error) {
	var out []domain.Tender
	err := s.dir.readTx(ctx, func(tx *gorm.DB) error {
		var rows []tenderRow
		if err := tx.Where("id = ?", id).Find(&rows).Error; err != nil {
			return err
		}
		var err error
		out, err = loadLots(tx, rows)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.NotFound("tender")
	}
	return &out[0], nil
}

func loadLots(tx *gorm.DB, rows []tenderRow) ([]domain.Tender, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	var lots []lotRow
	if err := tx.Where("tender_id IN ?", ids).Order("tender_id, number").Find(&lots).Error; err != nil {
		return nil, err
	}
	byTender := map[string][]lotRow{}
	for _, l := range lots {
		byTender[l.TenderID] = append(byTender[l.TenderID], l)
	}
	out := make([]domain.Tender, len(rows))
	for i := range rows {
		out[i] = toDomainTender(&rows[i], byTender[rows[i].ID])
	}
	return out, nil
}

var updatableTenderColumns = []string{"title", "description", "kind", "external_reference", "external_url",
	"cpv_json", "estimated_total_eur", "duration_months", "communes_json", "sourcing_deadline",
	"planned_publication", "response_deadline", "status", "published_at", "updated_at", "version"}

// UpdateTender replaces the tender's fields and lots when its version is expectedVersion. Lots that keep their
// number keep their notification progress.
func (s *Tenders) UpdateTender(ctx context.Context, t *domain.Tender, expectedVersion int) error {
	next := *t
	next.Version = expectedVersion + 1
	r, lots := tenderRowFrom(&next)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&r).Where("version = ?", expectedVersion).Select(updatableTenderColumns).Updates(&r)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			var versions []int
			if err := tx.Model(&tenderRow{}).Where("id = ?", t.ID).Pluck("version", &versions).Error; err != nil {
				return err
			}
			if len(versions) == 0 {
				return domain.NotFound("tender")
			}
			return domain.PreconditionFailed(fmt.Sprintf("the tender is at version %d, not %d", versions[0], expectedVersion))
		}
		numbers := make([]int, len(lots))
		for i, l := range lots {
			numbers[i] = l.Number
		}
		if err := tx.Where("tender_id = ? AND number NOT IN ?", t.ID, append(numbers, -1)).Delete(&lotRow{}).Error; err != nil {
			return err
		}
		lotColumns := []string{"title", "description", "cpv_json", "estimated_value_eur", "communes_json",
			"reservation", "social_clause", "insertion_hours", "min_turnover_eur", "open_to_groupement"}
		return tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "tender_id"}, {Name: "number"}},
			DoUpdates: clause.AssignmentColumns(lotColumns)}).Create(&lots).Error
	})
	if err != nil {
		return err
	}
	t.Version = next.Version
	return nil
}

// DeleteTender removes a tender; the schema cascades to its lots, answers and notifications.
func (s *Tenders) DeleteTender(ctx context.Context, id string) error {
	res := s.db.WithContext(ctx).Where("id = ?", id).Delete(&tenderRow{})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return domain.NotFound("tender")
	}
	return nil
}

// FindTenders lists tenders newest first (ids are time-ordered), one keyset page at a time.
func (s *Tenders) FindTenders(ctx context.Context, f service.TenderFilter, page domain.PageRequest) (domain.Page[domain.Tender], error) {
	out := domain.Page[domain.Tender]{Items: []domain.Tender{}}
	size := page.Size
	if size <= 0 {
		size = domain.DefaultPageSize
	}
	filter := func(q *gorm.DB) *gorm.DB {
		if !f.AnyOrganisation {
			q = q.Where("organisation_id IN ?", append(append([]string{}, f.OrganisationIDs...), ""))
		}
		if len(f.Statuses) > 0 {
			q = q.Where("status IN ?", stringsOf(f.Statuses))
		}
		if f.Kind != "" {
			q = q.Where("kind = ?", string(f.Kind))
		}
		return q
	}
	err := s.dir.readTx(ctx, func(tx *gorm.DB) error {
		var total int64
		if err := filter(tx.Model(&tenderRow{})).Count(&total).Error; err != nil {
			return err
		}
		q := filter(tx.Model(&tenderRow{}))
		if page.Cursor.After != "" {
			q = q.Where("id < ?", page.Cursor.After)
		}
		var rows []tenderRow
		if err := q.Order("id DESC").Limit(size + 1).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) > size {
			rows = rows[:size]
			out.NextCursor = domain.Cursor{After: rows[size-1].ID}.Encode()
		}
		out.Total = int(total)
		items, err := loadLots(tx, rows)
		if items != nil {
			out.Items = items
		}
		return err
	})
	return out, err
}

// MatchCandidates finds, with the indexes of the directory filter (CPV code8 ranges, zones by primary key), the
// published structures with one offer in the lot's CPV branch whose area covers every commune of the lot and
// whose capacity, when known, reaches the lot's annual value; with the minimum turnover and the eligibility of the
// reservation. Only ids come back, in match order, so that a page loads only its own structures.
func (s *Tenders) MatchCandidates(ctx context.Context, n domain.LotNeed, today time.Time, firstTimeFirst bool) ([]service.MatchCandidate, error) {
	var ors []string
	var offerArgs []any
	for _, code := range n.CPVCodes {
		if _, err := domain.ParseCPVCode(code); err != nil {
			continue
		}
		lo, hi := domain.CPVRange(code)
		ors = append(ors, "(c.code8 >= ? AND c.code8 < ?)")
		offerArgs = append(offerArgs, lo, hi)
		if up := domain.CPVAncestorRoots(code); len(up) > 0 {
			ors = append(ors, "c.code8 IN ?")
			offerArgs = append(offerArgs, up)
		}
	}
	if len(ors) == 0 {
		return nil, nil
	}
	offers := "SELECT o.structure_id FROM offer_cpv AS c JOIN offers AS o ON o.id = c.offer_id " +
		"JOIN structures AS os ON os.id = o.structure_id WHERE (" + strings.Join(ors, " OR ") + ")"
	for _, p := range n.Places {
		if c := s.dir.communeCondition(p.INSEE, "os"); c != nil {
			offers += " AND " + c.sql
			offerArgs = append(offerArgs, c.args...)
		}
	}
	if n.AnnualValueEUR != nil {
		offers += " AND (o.capacity_eur IS NULL OR o.capacity_eur >= ?)"
		offerArgs = append(offerArgs, *n.AnnualValueEUR)
	}
	q := "SELECT s.id, s.public_awards_count FROM structures AS s WHERE s.status = ?"
	args := []any{string(domain.StatusPublished)}
	if n.MinTurnoverEUR != nil && *n.MinTurnoverEUR > 0 {
		q += " AND s.annual_turnover_eur >= ?"
		args = append(args, *n.MinTurnoverEUR)
	}
	if kinds := reservationKinds(n.Reservation); kinds != nil {
		q += " AND s.id IN (SELECT structure_id FROM structure_inclusion_kinds WHERE kind IN ?)"
		args = append(args, kinds)
	}
	if n.Reservation == domain.ReservationESS {
		q += " AND NOT (s.ess_basis = ? AND s.esus_expires_on IS NOT NULL AND s.esus_expires_on < ?)"
		args = append(args, string(domain.BasisESUSAgreement), *dayPtr(&today))
	}
	q += " AND s.id IN (" + offers + ") ORDER BY "
	args = append(args, offerArgs...)
	if firstTimeFirst {
		q += "CASE WHEN s.public_awards_count = 0 THEN 0 ELSE 1 END, "
	}
	// Byte order on both engines, whatever the database's collation: the in-memory matcher
	// (service.WithMemoryMatching) lists matches in the same order.
	if Dialect(s.db) == DialectPostgres {
		q += `s.name COLLATE "C", s.id COLLATE "C"`
	} else {
		q += "s.name, s.id"
	}
	var rows []struct {
		ID                string `gorm:"column:id"`
		PublicAwardsCount int    `gorm:"column:public_awards_count"`
	}
	if err := s.db.WithContext(ctx).Raw(q, args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("match candidates: %w", err)
	}
	out := make([]service.MatchCandidate, len(rows))
	for i, r := range rows {
		out[i] = service.MatchCandidate{StructureID: r.ID, FirstTime: r.PublicAwardsCount == 0}
	}
	return out, nil
}

// FindStructuresByIDs loads structures (with offers, without representatives) in the order of ids.
func (s *Tenders) FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error) {
	return s.dir.FindStructuresByIDs(ctx, ids)
}

func reservationKinds(r domain.Reservation) []string {
	switch r {
	case domain.ReservationDisabled:
		return domain.DisabilityEmployerKinds
	case domain.ReservationSIAE:
		return domain.SIAEKinds
	case domain.ReservationBoth:
		return append(append([]string{}, domain.DisabilityEmployerKinds...), domain.SIAEKinds...)
	}
	return nil
}

// SaveInterest records or replaces a structure's answer to a lot.
func (s *Tenders) SaveInterest(ctx context.Context, i service.Interest) error {
	r := interestRow{TenderID: i.TenderID, LotNumber: i.LotNumber, StructureID: i.StructureID, Answer: string(i.Answer),
		Reason: i.Reason, Message: i.Message, UserID: i.UserID, AnsweredAt: utc(i.AnsweredAt)}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "tender_id"}, {Name: "lot_number"}, {Name: "structure_id"}},
		DoUpdates: clause.AssignmentColumns([]string{"answer", "reason", "message", "user_id", "answered_at"}),
	}).Create(&r).Error
	if errors.Is(err, gorm.ErrForeignKeyViolated) {
		return domain.NotFound("structure")
	}
	return err
}

// FindInterests returns every answer to a tender, by lot then time.
func (s *Tenders) FindInterests(ctx context.Context, tenderID string) ([]service.Interest, error) {
	var rows []interestRow
	if err := s.db.WithContext(ctx).Where("tender_id = ?", tenderID).Order("lot_number, answered_at, structure_id").
		Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]service.Interest, len(rows))
	for i, r := range rows {
		out[i] = service.Interest{TenderID: r.TenderID, LotNumber: r.LotNumber, StructureID: r.StructureID,
			Answer: service.InterestAnswer(r.Answer), Reason: r.Reason, Message: r.Message, UserID: r.UserID,
			AnsweredAt: utc(r.AnsweredAt)}
	}
	return out, nil
}

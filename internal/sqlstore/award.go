package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/service"
)

// awardRow mirrors the awards table.
type awardRow struct {
	Key            string     `gorm:"column:award_key;primaryKey"`
	ID             string     `gorm:"column:award_id"`
	BuyerSIRET     string     `gorm:"column:buyer_siret"`
	BuyerName      string     `gorm:"column:buyer_name"`
	CPV8           string     `gorm:"column:cpv8"`
	AmountEUR      *int64     `gorm:"column:amount_eur"`
	NotifiedOn     *time.Time `gorm:"column:notified_on"`
	PublishedOn    *time.Time `gorm:"column:published_on"`
	AwardedOn      *time.Time `gorm:"column:awarded_on"`
	DurationMonths *int       `gorm:"column:duration_months"`
	Procedure      string     `gorm:"column:procedure_kind"`
	Nature         string     `gorm:"column:nature"`
	PriceForm      string     `gorm:"column:price_form"`
	SocialJSON     string     `gorm:"column:social_json"`
	HasSocial      bool       `gorm:"column:has_social"`
	Reserved       bool       `gorm:"column:reserved"`
	GroupementType string     `gorm:"column:groupement_type"`
	Subcontracting *bool      `gorm:"column:subcontracting"`
	HoldersCount   int        `gorm:"column:holders_count"`
	Source         string     `gorm:"column:source"`
	ContentHash    string     `gorm:"column:content_hash"`
	CreatedAt      time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (awardRow) TableName() string { return "awards" }

type awardHolderRow struct {
	AwardKey string `gorm:"column:award_key;primaryKey"`
	Position int    `gorm:"column:position;primaryKey;autoIncrement:false"`
	HolderID string `gorm:"column:holder_id"`
	IDType   string `gorm:"column:id_type"`
	Name     string `gorm:"column:name"`
	SIREN    string `gorm:"column:holder_siren"`
}

func (awardHolderRow) TableName() string { return "award_holders" }

// awardColumnsOnUpdate are the columns a changed award replaces: all but the key and created_at.
var awardColumnsOnUpdate = []string{"award_id", "buyer_siret", "buyer_name", "cpv8", "amount_eur", "notified_on",
	"published_on", "awarded_on", "duration_months", "procedure_kind", "nature", "price_form", "social_json",
	"has_social", "reserved", "groupement_type", "subcontracting", "holders_count", "source", "content_hash", "updated_at"}

func awardRowsFrom(a *service.Award, at time.Time) (awardRow, []awardHolderRow) {
	r := awardRow{
		Key: a.Key, ID: a.ID, BuyerSIRET: a.BuyerSIRET, BuyerName: a.BuyerName, CPV8: a.CPV, AmountEUR: a.AmountEUR,
		NotifiedOn: utcPtr(a.NotifiedOn), PublishedOn: utcPtr(a.PublishedOn), AwardedOn: utcPtr(a.AwardedOn()),
		DurationMonths: a.DurationMonths, Procedure: a.Procedure, Nature: a.Nature, PriceForm: a.PriceForm,
		SocialJSON: jsonList(a.SocialConsiderations), HasSocial: len(a.SocialConsiderations) > 0 || a.Reserved,
		Reserved: a.Reserved, GroupementType: a.GroupementType, Subcontracting: a.Subcontracting,
		HoldersCount: len(a.Holders), Source: a.Source, CreatedAt: at, UpdatedAt: at,
	}
	holders := make([]awardHolderRow, len(a.Holders))
	for i, h := range a.Holders {
		holders[i] = awardHolderRow{AwardKey: a.Key, Position: i, HolderID: h.ID, IDType: h.IDType, Name: h.Name, SIREN: h.SIREN}
	}
	r.ContentHash = awardHash(r, holders)
	return r, holders
}

// awardHash fingerprints what an award says, so that importing the same record again writes nothing.
func awardHash(r awardRow, holders []awardHolderRow) string {
	r.CreatedAt, r.UpdatedAt, r.ContentHash = time.Time{}, time.Time{}, ""
	b, _ := json.Marshal(struct { // plain values always marshal
		A awardRow
		H []awardHolderRow
	}{r, holders})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}

// UpsertAwards inserts new awards and replaces changed ones by key, in one transaction; within the batch the last
// record of a key wins, as it would in file order.
func (s *Store) UpsertAwards(ctx context.Context, awards []service.Award) (service.AwardWrites, error) {
	var w service.AwardWrites
	at := now()
	last := make(map[string]int, len(awards))
	for i := range awards {
		last[awards[i].Key] = i
	}
	keys := make([]string, 0, len(last))
	for k := range last {
		keys = append(keys, k)
	}
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var stored []awardRow
		if err := tx.Select("award_key", "content_hash").Where("award_key IN ?", keys).Find(&stored).Error; err != nil {
			return err
		}
		hashes := make(map[string]string, len(stored))
		for _, r := range stored {
			hashes[r.Key] = r.ContentHash
		}
		var inserts []awardRow
		var holders []awardHolderRow
		for i := range awards {
			if last[awards[i].Key] != i {
				continue
			}
			row, hs := awardRowsFrom(&awards[i], at)
			hash, exists := hashes[row.Key]
			switch {
			case !exists:
				inserts = append(inserts, row)
				holders = append(holders, hs...)
				w.Created++
			case hash == row.ContentHash:
				w.Unchanged++
			default:
				if err := tx.Model(&row).Select(awardColumnsOnUpdate).Updates(&row).Error; err != nil {
					return err
				}
				if err := tx.Where("award_key = ?", row.Key).Delete(&awardHolderRow{}).Error; err != nil {
					return err
				}
				holders = append(holders, hs...)
				w.Updated++
			}
		}
		if err := insertRows(tx, inserts); err != nil {
			return err
		}
		return insertRows(tx, holders)
	})
	if err != nil {
		return service.AwardWrites{}, err
	}
	return w, nil
}

// awardCountRow is what RecomputeAwardCounts reads of a structure.
type awardCountRow struct {
	ID                string     `gorm:"column:id"`
	SIREN             string     `gorm:"column:siren"`
	PublicAwardsCount int        `gorm:"column:public_awards_count"`
	LastAwardOn       *time.Time `gorm:"column:last_award_on"`
}

type sirenAwards struct {
	SIREN string         `gorm:"column:siren"`
	Count int            `gorm:"column:n"`
	Last  sql.NullString `gorm:"column:last_on"`
}

// RecomputeAwardCounts sets public_awards_count and last_award_on of every structure from the awards held by its
// legal unit, one page of structures per transaction; see service.ImportStore.
func (s *Store) RecomputeAwardCounts(ctx context.Context) (int, error) {
	const page = 1000
	changed := 0
	after := ""
	for {
		var rows []awardCountRow
		err := s.db.WithContext(ctx).Model(&structureRow{}).Select("id", "siren", "public_awards_count", "last_award_on").
			Where("id > ?", after).Order("id").Limit(page).Find(&rows).Error
		if err != nil {
			return changed, err
		}
		if len(rows) == 0 {
			return changed, nil
		}
		after = rows[len(rows)-1].ID
		n, err := s.recomputePage(ctx, rows)
		changed += n
		if err != nil {
			return changed, err
		}
	}
}

func (s *Store) recomputePage(ctx context.Context, rows []awardCountRow) (int, error) {
	sirens := make([]string, 0, len(rows))
	for _, r := range rows {
		sirens = append(sirens, r.SIREN)
	}
	changed := 0
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var aggs []sirenAwards
		err := tx.Table("award_holders AS h").Joins("JOIN awards a ON a.award_key = h.award_key").
			Select("h.holder_siren AS siren, COUNT(DISTINCT h.award_key) AS n, MAX(a.awarded_on) AS last_on").
			Where("h.holder_siren IN ?", sirens).Group("h.holder_siren").Scan(&aggs).Error
		if err != nil {
			return err
		}
		bySIREN := make(map[string]sirenAwards, len(aggs))
		for _, a := range aggs {
			bySIREN[a.SIREN] = a
		}
		at := now()
		var ids []string
		for _, r := range rows {
			a := bySIREN[r.SIREN]
			last := dateOf(a.Last)
			if a.Count == r.PublicAwardsCount && sameDate(last, r.LastAwardOn) {
				continue
			}
			err := tx.Model(&structureRow{}).Where("id = ?", r.ID).Updates(map[string]any{
				"public_awards_count": a.Count, "last_award_on": last, "updated_at": at,
				"version": gorm.Expr("version + 1"),
			}).Error
			if err != nil {
				return err
			}
			ids = append(ids, r.ID)
		}
		changed = len(ids)
		return appendOutbox(tx, outboxUpsert, ids...)
	})
	return changed, err
}

// dateOf reads a date the engines return as text from an aggregate: "2019-03-14…" (PostgreSQL dates scanned as
// RFC 3339, SQLite's stored text).
func dateOf(s sql.NullString) *time.Time {
	if !s.Valid || len(s.String) < 10 {
		return nil
	}
	t, err := time.Parse("2006-01-02", s.String[:10])
	if err != nil {
		return nil
	}
	return &t
}

func sameDate(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}

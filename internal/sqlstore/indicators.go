package sqlstore

import (
	"context"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/service"
)

var _ service.IndicatorStore = (*Store)(nil)

// essAwardSQL is 1 when a holder of award a is the legal unit of a published structure.
const essAwardSQL = `CASE WHEN EXISTS (SELECT 1 FROM award_holders h JOIN structures s ON s.siren = h.holder_siren
	WHERE h.award_key = a.award_key AND h.holder_siren <> '' AND s.status = 'published') THEN 1 ELSE 0 END`

// groupementSQL is true for an award made to several economic operators together.
const groupementSQL = `(t.groupement_type IN ('conjoint', 'solidaire') OR t.holders_count > 1)`

type awardTotals struct {
	Contracts               int   `gorm:"column:contracts"`
	ContractsWithoutAmount  int   `gorm:"column:without_amount"`
	ValueEUR                int64 `gorm:"column:value_eur"`
	ESSContracts            int   `gorm:"column:ess_contracts"`
	ESSValueEUR             int64 `gorm:"column:ess_value_eur"`
	SocialContracts         int   `gorm:"column:social"`
	ReservedContracts       int   `gorm:"column:reserved"`
	ESSSocialContracts      int   `gorm:"column:ess_social"`
	GroupementContracts     int   `gorm:"column:groupements"`
	ESSGroupementContracts  int   `gorm:"column:ess_groupements"`
	SubcontractingContracts int   `gorm:"column:subcontracting"`
	DistinctBuyers          int   `gorm:"column:buyers"`
}

// AwardIndicators computes the award figures of a period; see service.IndicatorStore.
func (s *Store) AwardIndicators(ctx context.Context, q service.IndicatorQuery) (service.AwardIndicators, error) {
	var out service.AwardIndicators
	from, until := utc(q.From), utc(q.To.AddDate(0, 0, 1))
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		period := tx.Table("awards AS a").Select("a.*, "+essAwardSQL+" AS ess").
			Where("a.awarded_on >= ? AND a.awarded_on < ?", from, until)
		if q.BuyerSIRET != "" {
			period = period.Where("a.buyer_siret = ?", q.BuyerSIRET)
		}
		var t awardTotals
		err := tx.Table("(?) AS t", period).Select(`COUNT(*) AS contracts,
			COALESCE(SUM(CASE WHEN t.amount_eur IS NULL THEN 1 ELSE 0 END), 0) AS without_amount,
			COALESCE(SUM(t.amount_eur), 0) AS value_eur,
			COALESCE(SUM(t.ess), 0) AS ess_contracts,
			COALESCE(SUM(CASE WHEN t.ess = 1 THEN t.amount_eur ELSE 0 END), 0) AS ess_value_eur,
			COALESCE(SUM(CASE WHEN t.has_social THEN 1 ELSE 0 END), 0) AS social,
			COALESCE(SUM(CASE WHEN t.reserved THEN 1 ELSE 0 END), 0) AS reserved,
			COALESCE(SUM(CASE WHEN t.has_social AND t.ess = 1 THEN 1 ELSE 0 END), 0) AS ess_social,
			COALESCE(SUM(CASE WHEN ` + groupementSQL + ` THEN 1 ELSE 0 END), 0) AS groupements,
			COALESCE(SUM(CASE WHEN ` + groupementSQL + ` AND t.ess = 1 THEN 1 ELSE 0 END), 0) AS ess_groupements,
			COALESCE(SUM(CASE WHEN t.subcontracting THEN 1 ELSE 0 END), 0) AS subcontracting,
			COUNT(DISTINCT t.buyer_siret) AS buyers`).Scan(&t).Error
		if err != nil {
			return err
		}
		out = service.AwardIndicators{
			Contracts: t.Contracts, ContractsWithoutAmount: t.ContractsWithoutAmount, ValueEUR: t.ValueEUR,
			ESSContracts: t.ESSContracts, ESSValueEUR: t.ESSValueEUR, SocialContracts: t.SocialContracts,
			ReservedContracts: t.ReservedContracts, ESSSocialContracts: t.ESSSocialContracts,
			GroupementContracts: t.GroupementContracts, ESSGroupementContracts: t.ESSGroupementContracts,
			SubcontractingContracts: t.SubcontractingContracts, DistinctBuyers: t.DistinctBuyers,
		}
		if out.DistinctESSWinners, err = distinctESSWinners(tx, q, from, until); err != nil {
			return err
		}
		if out.FirstTimeESSWinners, err = firstTimeESSWinners(tx, q, from, until); err != nil {
			return err
		}
		undated := tx.Table("awards").Where("awarded_on IS NULL")
		if q.BuyerSIRET != "" {
			undated = undated.Where("buyer_siret = ?", q.BuyerSIRET)
		}
		var n int64
		err = undated.Count(&n).Error
		out.UndatedAwards = int(n)
		return err
	})
	return out, err
}

// publishedSIRENs are the legal units of the published directory.
const publishedSIRENs = "SELECT siren FROM structures WHERE status = 'published'"

func distinctESSWinners(tx *gorm.DB, q service.IndicatorQuery, from, until any) (int, error) {
	query := tx.Table("award_holders AS h").Joins("JOIN awards a ON a.award_key = h.award_key").
		Where("h.holder_siren IN ("+publishedSIRENs+")").
		Where("a.awarded_on >= ? AND a.awarded_on < ?", from, until)
	if q.BuyerSIRET != "" {
		query = query.Where("a.buyer_siret = ?", q.BuyerSIRET)
	}
	var n int
	err := query.Select("COUNT(DISTINCT h.holder_siren)").Scan(&n).Error
	return n, err
}

// firstTimeESSWinners counts the ESS legal units whose first dated award in all the data lies in the period;
// with a buyer, that first award must be one of the buyer's.
func firstTimeESSWinners(tx *gorm.DB, q service.IndicatorQuery, from, until any) (int, error) {
	firsts := tx.Table("award_holders AS h").Joins("JOIN awards a ON a.award_key = h.award_key").
		Select("h.holder_siren AS siren, MIN(a.awarded_on) AS first_on").
		Where("a.awarded_on IS NOT NULL AND h.holder_siren IN (" + publishedSIRENs + ")").
		Group("h.holder_siren")
	query := tx.Table("(?) AS f", firsts).Where("f.first_on >= ? AND f.first_on < ?", from, until)
	if q.BuyerSIRET != "" {
		query = query.Where(`EXISTS (SELECT 1 FROM award_holders h2 JOIN awards a2 ON a2.award_key = h2.award_key
			WHERE h2.holder_siren = f.siren AND a2.buyer_siret = ? AND a2.awarded_on = f.first_on)`, q.BuyerSIRET)
	}
	var n int64
	err := query.Count(&n).Error
	return int(n), err
}

type directoryTotals struct {
	Structures       int `gorm:"column:structures"`
	FirstTimeBidders int `gorm:"column:first_time"`
	Verified         int `gorm:"column:verified"`
}

// DirectoryIndicators counts the published directory; see service.IndicatorStore.
func (s *Store) DirectoryIndicators(ctx context.Context) (service.DirectoryIndicators, error) {
	var out service.DirectoryIndicators
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		var t directoryTotals
		err := tx.Table("structures").Where("status = 'published'").Select(`COUNT(*) AS structures,
			COALESCE(SUM(CASE WHEN public_awards_count = 0 THEN 1 ELSE 0 END), 0) AS first_time,
			COALESCE(SUM(CASE WHEN verified_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS verified`).Scan(&t).Error
		if err != nil {
			return err
		}
		out.Structures, out.FirstTimeBidders, out.Verified = t.Structures, t.FirstTimeBidders, t.Verified
		breakdowns := []struct {
			dst   *[]service.Count
			query *gorm.DB
		}{
			{&out.ByFamily, tx.Table("structures").Where("status = 'published'").
				Select("ess_family AS k, COUNT(*) AS n").Group("ess_family")},
			{&out.ByInclusionKind, tx.Table("structure_inclusion_kinds AS i").
				Joins("JOIN structures s ON s.id = i.structure_id AND s.status = 'published'").
				Select("i.kind AS k, COUNT(DISTINCT i.structure_id) AS n").Group("i.kind")},
			{&out.ByCommune, tx.Table("structures").Where("status = 'published'").
				Select("commune AS k, COUNT(*) AS n").Group("commune")},
			{&out.ByCPVDivision, tx.Table("offer_cpv AS c").Joins("JOIN offers o ON o.id = c.offer_id").
				Joins("JOIN structures s ON s.id = o.structure_id AND s.status = 'published'").
				Select("SUBSTR(c.code8, 1, 2) AS k, COUNT(DISTINCT o.structure_id) AS n").Group("SUBSTR(c.code8, 1, 2)")},
		}
		for _, b := range breakdowns {
			if *b.dst, err = counts(b.query); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

type countRow struct {
	K string `gorm:"column:k"`
	N int    `gorm:"column:n"`
}

// counts reads a breakdown, largest first, then by key.
func counts(query *gorm.DB) ([]service.Count, error) {
	var rows []countRow
	if err := query.Order("n DESC, k").Scan(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]service.Count, len(rows))
	for i, r := range rows {
		out[i] = service.Count{Key: r.K, Count: r.N}
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type claimRow struct {
	ID               string     `gorm:"column:id;primaryKey"`
	UserID           string     `gorm:"column:user_id"`
	Kind             string     `gorm:"column:kind"`
	SIRET            string     `gorm:"column:siret"`
	OrganisationName string     `gorm:"column:organisation_name"`
	OrganisationKind string     `gorm:"column:organisation_kind"`
	HasSPASER        bool       `gorm:"column:has_spaser"`
	Status           string     `gorm:"column:status"`
	DecidedBy        string     `gorm:"column:decided_by"`
	DecidedAt        *time.Time `gorm:"column:decided_at"`
	CreatedAt        time.Time  `gorm:"column:created_at;autoCreateTime:false"`
}

func (claimRow) TableName() string { return "claims" }

func toDomainClaim(r *claimRow) service.Claim {
	return service.Claim{ID: r.ID, UserID: r.UserID, Kind: service.ClaimKind(r.Kind), SIRET: r.SIRET,
		OrganisationName: r.OrganisationName, OrganisationKind: r.OrganisationKind, HasSPASER: r.HasSPASER,
		Status: service.ClaimStatus(r.Status), DecidedBy: r.DecidedBy, DecidedAt: utcPtr(r.DecidedAt), CreatedAt: utc(r.CreatedAt)}
}

// CreateClaim stores a new claim.
func (a *Accounts) CreateClaim(ctx context.Context, c *service.Claim) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		return tx.Create(&claimRow{ID: c.ID, UserID: c.UserID, Kind: string(c.Kind), SIRET: c.SIRET,
			OrganisationName: c.OrganisationName, OrganisationKind: c.OrganisationKind, HasSPASER: c.HasSPASER,
			Status: string(c.Status), CreatedAt: c.CreatedAt}).Error
	})
}

// FindClaim loads a claim.
func (a *Accounts) FindClaim(ctx context.Context, id string) (*service.Claim, error) {
	var rows []claimRow
	if err := a.db.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("claim")
	}
	c := toDomainClaim(&rows[0])
	return &c, nil
}

// ListClaims lists claims with a status and one of the kinds, oldest first (at most 1,000).
func (a *Accounts) ListClaims(ctx context.Context, status service.ClaimStatus, kinds []service.ClaimKind) ([]service.Claim, error) {
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = string(k)
	}
	var rows []claimRow
	err := a.db.WithContext(ctx).Where("status = ? AND kind IN ?", string(status), names).Order("id").Limit(1000).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]service.Claim, len(rows))
	for i := range rows {
		out[i] = toDomainClaim(&rows[i])
	}
	return out, nil
}

// DecideClaim stores the decision and its effects in one transaction.
func (a *Accounts) DecideClaim(ctx context.Context, c *service.Claim) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&claimRow{}).Where("id = ? AND status = ?", c.ID, string(service.ClaimPending)).
			Updates(map[string]any{"status": string(c.Status), "decided_by": c.DecidedBy, "decided_at": c.DecidedAt})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Conflict("claim_decided", "the claim was already decided")
		}
		userStatus := service.UserDisabled
		if c.Status == service.ClaimApproved {
			userStatus = service.UserActive
			if err := grantClaim(tx, c); err != nil {
				return err
			}
		}
		return tx.Model(&userRow{}).Where("id = ?", c.UserID).
			Updates(map[string]any{"status": string(userStatus), "updated_at": *c.DecidedAt}).Error
	})
}

func grantClaim(tx *gorm.DB, c *service.Claim) error {
	if c.Kind == service.ClaimStructure {
		var ids []string
		if err := tx.Model(&structureRow{}).Where("siret = ?", c.SIRET).Limit(1).Pluck("id", &ids).Error; err != nil {
			return err
		}
		if len(ids) == 0 { // the structure is not registered yet: its representative will create it and own it
			return nil
		}
		return tx.Create(&structureMemberRow{UserID: c.UserID, StructureID: ids[0], Role: string(service.MemberOwner), CreatedAt: *c.DecidedAt}).Error
	}
	org, err := findOrganisation(tx, c.SIRET)
	if domain.KindOf(err) == domain.KindNotFound {
		org = &service.Organisation{ID: service.NewID(), SIRET: c.SIRET, Name: c.OrganisationName, Kind: c.OrganisationKind,
			HasSPASER: c.HasSPASER, CreatedAt: *c.DecidedAt}
		err = createOrganisation(tx, org)
	}
	if err != nil {
		return err
	}
	return tx.Create(&organisationMemberRow{UserID: c.UserID, OrganisationID: org.ID, CreatedAt: *c.DecidedAt}).Error
}

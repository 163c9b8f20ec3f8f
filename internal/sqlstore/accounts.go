package sqlstore

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var _ service.AccountStore = (*Accounts)(nil)

// Accounts is the GORM implementation of service.AccountStore.
type Accounts struct {
	db *gorm.DB
}

// NewAccounts returns the account store over a migrated database opened by Open.
func NewAccounts(db *gorm.DB) *Accounts { return &Accounts{db: db} }

type userRow struct {
	ID           string    `gorm:"column:id;primaryKey"`
	Email        string    `gorm:"column:email"`
	PasswordHash string    `gorm:"column:password_hash"`
	Role         string    `gorm:"column:role"`
	Status       string    `gorm:"column:status"`
	CreatedAt    time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt    time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (userRow) TableName() string { return "users" }

type organisationRow struct {
	ID        string    `gorm:"column:id;primaryKey"`
	SIRET     string    `gorm:"column:siret"`
	Name      string    `gorm:"column:name"`
	Kind      string    `gorm:"column:kind"`
	HasSPASER bool      `gorm:"column:has_spaser"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (organisationRow) TableName() string { return "organisations" }

type organisationMemberRow struct {
	UserID         string    `gorm:"column:user_id;primaryKey"`
	OrganisationID string    `gorm:"column:organisation_id;primaryKey"`
	CreatedAt      time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (organisationMemberRow) TableName() string { return "organisation_members" }

type structureMemberRow struct {
	UserID      string    `gorm:"column:user_id;primaryKey"`
	StructureID string    `gorm:"column:structure_id;primaryKey"`
	Role        string    `gorm:"column:role"`
	CreatedAt   time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (structureMemberRow) TableName() string { return "structure_members" }

func toDomainUser(r *userRow) *service.User {
	return &service.User{ID: r.ID, Email: r.Email, PasswordHash: r.PasswordHash, Role: service.Role(r.Role),
		Status: service.UserStatus(r.Status), CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt)}
}

func structureMemberRowFrom(m service.StructureMembership) structureMemberRow {
	return structureMemberRow{UserID: m.UserID, StructureID: m.StructureID, Role: string(m.Role), CreatedAt: m.CreatedAt}
}

// write runs fn in a transaction that also writes the audit entries attached to ctx.
func (a *Accounts) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return a.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := fn(tx); err != nil {
			return err
		}
		return writeTxRecords(tx)
	})
}

// CreateUser inserts a user with its memberships; a taken e-mail is a conflict.
func (a *Accounts) CreateUser(ctx context.Context, u *service.User, organisationID string, structures []service.StructureMembership) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		row := userRow{ID: u.ID, Email: u.Email, PasswordHash: u.PasswordHash, Role: string(u.Role),
			Status: string(u.Status), CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}
		if err := tx.Create(&row).Error; err != nil {
			if errors.Is(err, gorm.ErrDuplicatedKey) {
				return domain.Conflict("duplicate_email", "an account with this e-mail already exists")
			}
			return err
		}
		if organisationID != "" {
			if err := tx.Create(&organisationMemberRow{UserID: u.ID, OrganisationID: organisationID, CreatedAt: u.CreatedAt}).Error; err != nil {
				return err
			}
		}
		for _, m := range structures {
			if err := tx.Create(ptrTo(structureMemberRowFrom(m))).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// FindUserByEmail loads a user by (normalised) e-mail.
func (a *Accounts) FindUserByEmail(ctx context.Context, email string) (*service.User, error) {
	return a.findUser(ctx, "email = ?", email)
}

// FindUserByID loads a user by id.
func (a *Accounts) FindUserByID(ctx context.Context, id string) (*service.User, error) {
	return a.findUser(ctx, "id = ?", id)
}

func (a *Accounts) findUser(ctx context.Context, where, arg string) (*service.User, error) {
	var rows []userRow
	if err := a.db.WithContext(ctx).Where(where, arg).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("user")
	}
	return toDomainUser(&rows[0]), nil
}

// CreateOrganisation inserts a buyer organisation; a taken SIRET is a conflict.
func (a *Accounts) CreateOrganisation(ctx context.Context, o *service.Organisation) error {
	return a.write(ctx, func(tx *gorm.DB) error { return createOrganisation(tx, o) })
}

func createOrganisation(tx *gorm.DB, o *service.Organisation) error {
	row := organisationRow{ID: o.ID, SIRET: o.SIRET, Name: o.Name, Kind: o.Kind, HasSPASER: o.HasSPASER, CreatedAt: o.CreatedAt}
	if err := tx.Create(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return domain.Conflict("duplicate_siret", "an organisation with this SIRET already exists")
		}
		return err
	}
	return nil
}

// FindOrganisationBySIRET loads a buyer organisation.
func (a *Accounts) FindOrganisationBySIRET(ctx context.Context, siret string) (*service.Organisation, error) {
	return findOrganisation(a.db.WithContext(ctx), siret)
}

func findOrganisation(tx *gorm.DB, siret string) (*service.Organisation, error) {
	var rows []organisationRow
	if err := tx.Where("siret = ?", siret).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("organisation")
	}
	r := rows[0]
	return &service.Organisation{ID: r.ID, SIRET: r.SIRET, Name: r.Name, Kind: r.Kind, HasSPASER: r.HasSPASER, CreatedAt: utc(r.CreatedAt)}, nil
}

// Memberships returns the organisations and structures a user belongs to.
func (a *Accounts) Memberships(ctx context.Context, userID string) ([]string, []service.StructureMembership, error) {
	db := a.db.WithContext(ctx)
	var orgs []string
	if err := db.Model(&organisationMemberRow{}).Where("user_id = ?", userID).Order("organisation_id").Pluck("organisation_id", &orgs).Error; err != nil {
		return nil, nil, err
	}
	var rows []structureMemberRow
	if err := db.Where("user_id = ?", userID).Order("structure_id").Find(&rows).Error; err != nil {
		return nil, nil, err
	}
	members := make([]service.StructureMembership, len(rows))
	for i, r := range rows {
		members[i] = service.StructureMembership{UserID: r.UserID, StructureID: r.StructureID, Role: service.MemberRole(r.Role), CreatedAt: utc(r.CreatedAt)}
	}
	return orgs, members, nil
}

func ptrTo[T any](v T) *T { return &v }

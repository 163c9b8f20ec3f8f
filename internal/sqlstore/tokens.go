package sqlstore

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type tokenRow struct {
	ID        string     `gorm:"column:id;primaryKey"`
	UserID    string     `gorm:"column:user_id"`
	Hash      string     `gorm:"column:hash"`
	Kind      string     `gorm:"column:kind"`
	Name      string     `gorm:"column:name"`
	CreatedAt time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	ExpiresAt time.Time  `gorm:"column:expires_at"`
	RevokedAt *time.Time `gorm:"column:revoked_at"`
}

func (tokenRow) TableName() string { return "tokens" }

func toDomainToken(r *tokenRow) service.Token {
	return service.Token{ID: r.ID, UserID: r.UserID, Hash: r.Hash, Kind: service.TokenKind(r.Kind), Name: r.Name,
		CreatedAt: utc(r.CreatedAt), ExpiresAt: utc(r.ExpiresAt), RevokedAt: utcPtr(r.RevokedAt)}
}

// CreateToken stores a token (its hash only).
func (a *Accounts) CreateToken(ctx context.Context, t *service.Token) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		return tx.Create(&tokenRow{ID: t.ID, UserID: t.UserID, Hash: t.Hash, Kind: string(t.Kind), Name: t.Name,
			CreatedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt}).Error
	})
}

// FindTokenByHash loads the token with this SHA-256.
func (a *Accounts) FindTokenByHash(ctx context.Context, hash string) (*service.Token, error) {
	var rows []tokenRow
	if err := a.db.WithContext(ctx).Where("hash = ?", hash).Limit(1).Find(&rows).Error; err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, domain.NotFound("token")
	}
	t := toDomainToken(&rows[0])
	return &t, nil
}

// RevokeToken marks one of the user's live tokens revoked.
func (a *Accounts) RevokeToken(ctx context.Context, userID, tokenID string, at time.Time) error {
	return a.write(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&tokenRow{}).Where("id = ? AND user_id = ? AND revoked_at IS NULL", tokenID, userID).
			Update("revoked_at", at)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("token")
		}
		return nil
	})
}

// ListTokens lists the user's tokens of a kind, newest first, revoked ones included.
func (a *Accounts) ListTokens(ctx context.Context, userID string, kind service.TokenKind) ([]service.Token, error) {
	var rows []tokenRow
	err := a.db.WithContext(ctx).Where("user_id = ? AND kind = ?", userID, string(kind)).Order("id DESC").Limit(1000).Find(&rows).Error
	if err != nil {
		return nil, err
	}
	out := make([]service.Token, len(rows))
	for i := range rows {
		out[i] = toDomainToken(&rows[i])
	}
	return out, nil
}

package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"time"

	"gorm.io/gorm"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var _ service.StructureStore = (*Store)(nil)

// CommuneLookup returns where a commune (INSEE code) lies: its department, region, EPCI and centre.
// FindStructures needs it to know which zones and radii cover the commune of a filter.
type CommuneLookup func(insee string) (domain.CommunePlace, bool)

// Option configures a Store.
type Option func(*Store)

// WithCommuneLookup lets the commune filter match offers by department, region, EPCI and radius, not only by
// commune zone and nationwide scope.
func WithCommuneLookup(lookup CommuneLookup) Option {
	return func(s *Store) { s.communes = lookup }
}

// Store is the GORM implementation of service.StructureStore, plus the outbox API the search indexer follows.
type Store struct {
	db       *gorm.DB
	communes CommuneLookup
}

// New returns a Store over a migrated database opened by Open.
func New(db *gorm.DB, opts ...Option) *Store {
	s := &Store{db: db}
	for _, opt := range opts {
		opt(s)
	}
	return s
}

// Bound parameters per multi-row INSERT. The SQLite driver matches each parameter to its argument with a linear
// search, so a statement with p parameters costs p²: with 16,000 parameters per statement binding took 85% of
// seeding time; around 300 balances it against per-statement parsing (measured with BenchmarkCreateStructures).
// PostgreSQL binds in linear time and accepts 65,535 parameters; fewer, larger statements save round trips.
const (
	sqliteParamsPerInsert   = 300
	postgresParamsPerInsert = 30000
)

// CreateStructure inserts a structure with its representatives and offers, and an outbox entry. Zero timestamps
// and version are set (to now and 1) on s.
func (s *Store) CreateStructure(ctx context.Context, st *domain.Structure) error {
	prepareNewStructure(st, now())
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := insertStructures(tx, []domain.Structure{*st}); err != nil {
			return err
		}
		return appendOutbox(tx, outboxUpsert, st.ID)
	})
}

// CreateStructures inserts structures in transactions of up to 1,000, each with its outbox entries, and returns
// how many were committed. A failing batch is rolled back whole; earlier batches stay.
func (s *Store) CreateStructures(ctx context.Context, ss []domain.Structure) (int, error) {
	const perTransaction = 1000
	at := now()
	written := 0
	for start := 0; start < len(ss); start += perTransaction {
		batch := ss[start:min(start+perTransaction, len(ss))]
		ids := make([]string, len(batch))
		for i := range batch {
			prepareNewStructure(&batch[i], at)
			ids[i] = batch[i].ID
		}
		err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			if err := insertStructures(tx, batch); err != nil {
				return err
			}
			return appendOutbox(tx, outboxUpsert, ids...)
		})
		if err != nil {
			return written, err
		}
		written += len(batch)
	}
	return written, nil
}

func prepareNewStructure(st *domain.Structure, at time.Time) {
	if st.CreatedAt.IsZero() {
		st.CreatedAt = at
	}
	if st.UpdatedAt.IsZero() {
		st.UpdatedAt = st.CreatedAt
	}
	if st.Version == 0 {
		st.Version = 1
	}
	for i := range st.Offers {
		o := &st.Offers[i]
		o.StructureID = st.ID
		if o.CreatedAt.IsZero() {
			o.CreatedAt = st.CreatedAt
		}
		if o.UpdatedAt.IsZero() {
			o.UpdatedAt = o.CreatedAt
		}
	}
}

// insertStructures writes the rows of structures and their offers with multi-row INSERTs, one per table and
// chunk, which is what makes seeding hundreds of thousands of structures fast.
func insertStructures(tx *gorm.DB, ss []domain.Structure) error {
	structures := make([]structureRow, 0, len(ss))
	var kinds []inclusionKindRow
	var reps []representativeRow
	var offers []offerRows
	for i := range ss {
		r := structureRowFrom(&ss[i])
		structures = append(structures, r.structure)
		kinds = append(kinds, r.inclusionKinds...)
		reps = append(reps, r.representatives...)
		for j := range ss[i].Offers {
			offers = append(offers, offerRowFrom(&ss[i].Offers[j]))
		}
	}
	if err := insertRows(tx, structures); err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			// The id is a fresh UUIDv7, so the unique key that can collide is the SIRET.
			return domain.Conflict("duplicate_siret", "a structure with this SIRET already exists")
		}
		return err
	}
	if err := insertRows(tx, kinds); err != nil {
		return err
	}
	if err := insertRows(tx, reps); err != nil {
		return err
	}
	return insertOffers(tx, offers)
}

// insertRows inserts rows with multi-row INSERTs; duplicate keys come back as gorm.ErrDuplicatedKey.
func insertRows[T any](tx *gorm.DB, rows []T) error {
	if len(rows) == 0 {
		return nil
	}
	params := sqliteParamsPerInsert
	if Dialect(tx) == DialectPostgres {
		params = postgresParamsPerInsert
	}
	columns := reflect.TypeFor[T]().NumField() // row structs hold one field per column
	return tx.CreateInBatches(rows, max(1, params/columns)).Error
}

// FindStructureByID loads a structure with its representatives and offers.
func (s *Store) FindStructureByID(ctx context.Context, id string) (*domain.Structure, error) {
	return s.findOne(ctx, "id = ?", id)
}

// FindStructureBySIRET loads a structure by SIRET with its representatives and offers.
func (s *Store) FindStructureBySIRET(ctx context.Context, siret string) (*domain.Structure, error) {
	return s.findOne(ctx, "siret = ?", siret)
}

func (s *Store) findOne(ctx context.Context, where string, arg string) (*domain.Structure, error) {
	var out []domain.Structure
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		var rows []structureRow
		if err := tx.Where(where, arg).Limit(1).Find(&rows).Error; err != nil {
			return err
		}
		var err error
		out, err = loadDetails(tx, rows, true)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, domain.NotFound("structure")
	}
	return &out[0], nil
}

// FindStructuresByIDs loads structures (with offers, without representatives) in the order of ids, skipping
// missing ones.
func (s *Store) FindStructuresByIDs(ctx context.Context, ids []string) ([]domain.Structure, error) {
	const perQuery = 500
	byID := make(map[string]domain.Structure, len(ids))
	err := s.readTx(ctx, func(tx *gorm.DB) error {
		for start := 0; start < len(ids); start += perQuery {
			var rows []structureRow
			if err := tx.Where("id IN ?", ids[start:min(start+perQuery, len(ids))]).Find(&rows).Error; err != nil {
				return err
			}
			found, err := loadDetails(tx, rows, false)
			if err != nil {
				return err
			}
			for _, st := range found {
				byID[st.ID] = st
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.Structure, 0, len(byID))
	for _, id := range ids {
		if st, ok := byID[id]; ok {
			out = append(out, st)
		}
	}
	return out, nil
}

// updatableStructureColumns are the columns UpdateStructure replaces: all but id and created_at.
var updatableStructureColumns = []string{
	"siret", "siren", "name", "brand", "legal_category", "ess_family", "ess_basis", "esus_expires_on",
	"naf_code", "headcount_band", "annual_turnover_eur", "turnover_year", "address", "postcode", "commune",
	"lat", "lon", "website", "description", "labels_json", "contact_email", "contact_phone",
	"open_to_cotraitance", "status", "verified_at", "verified_by", "public_awards_count", "last_award_on",
	"updated_at", "version",
}

// UpdateStructure replaces the structure's own fields but id and created_at, its inclusion kinds and
// representatives (not its offers) when its stored version equals expectedVersion. The store stamps updated_at
// with the time of the write; on success st.Version and st.UpdatedAt hold the stored values.
func (s *Store) UpdateStructure(ctx context.Context, st *domain.Structure, expectedVersion int) error {
	updated := *st
	updated.Version = expectedVersion + 1
	updated.UpdatedAt = now()
	rows := structureRowFrom(&updated)
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&rows.structure).Where("version = ?", expectedVersion).
			Select(updatableStructureColumns).Updates(&rows.structure)
		if errors.Is(res.Error, gorm.ErrDuplicatedKey) {
			return domain.Conflict("duplicate_siret", "a structure with this SIRET already exists")
		}
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return staleOrMissing(tx, st.ID, expectedVersion)
		}
		if err := replaceChildren(tx, st.ID, rows); err != nil {
			return err
		}
		return appendOutbox(tx, outboxUpsert, st.ID)
	})
	if err != nil {
		return err
	}
	st.Version, st.UpdatedAt = updated.Version, rows.structure.UpdatedAt
	return nil
}

func replaceChildren(tx *gorm.DB, id string, rows structureRows) error {
	if err := tx.Where("structure_id = ?", id).Delete(&inclusionKindRow{}).Error; err != nil {
		return err
	}
	if err := tx.Where("structure_id = ?", id).Delete(&representativeRow{}).Error; err != nil {
		return err
	}
	if err := insertRows(tx, rows.inclusionKinds); err != nil {
		return err
	}
	return insertRows(tx, rows.representatives)
}

// staleOrMissing explains why a versioned update matched no row.
func staleOrMissing(tx *gorm.DB, id string, expectedVersion int) error {
	var versions []int
	if err := tx.Model(&structureRow{}).Where("id = ?", id).Pluck("version", &versions).Error; err != nil {
		return err
	}
	if len(versions) == 0 {
		return domain.NotFound("structure")
	}
	return domain.PreconditionFailed(fmt.Sprintf("the structure is at version %d, not %d", versions[0], expectedVersion))
}

// DeleteStructure removes a structure; the schema cascades to its offers, inclusion kinds and representatives.
func (s *Store) DeleteStructure(ctx context.Context, id string) error {
	return s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Where("id = ?", id).Delete(&structureRow{})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.NotFound("structure")
		}
		return appendOutbox(tx, outboxDelete, id)
	})
}

// readTx runs reads that must agree with each other (a page and its total, a structure and its offers) in one
// snapshot: REPEATABLE READ on PostgreSQL; on SQLite any transaction reads a snapshot.
func (s *Store) readTx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	var opts *sql.TxOptions
	if Dialect(s.db) == DialectPostgres {
		opts = &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return s.db.WithContext(ctx).Transaction(fn, opts)
}

// loadDetails turns structure rows into domain structures with their inclusion kinds and offers and, when asked,
// representatives: one query per table whatever the number of rows.
func loadDetails(tx *gorm.DB, rows []structureRow, withRepresentatives bool) ([]domain.Structure, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	ids := make([]string, len(rows))
	index := make(map[string]int, len(rows))
	out := make([]domain.Structure, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
		index[rows[i].ID] = i
		out[i] = toDomainStructure(&rows[i])
	}
	var kinds []inclusionKindRow
	if err := tx.Where("structure_id IN ?", ids).Order("structure_id, position").Find(&kinds).Error; err != nil {
		return nil, err
	}
	for _, k := range kinds {
		st := &out[index[k.StructureID]]
		st.InclusionKinds = append(st.InclusionKinds, k.Kind)
	}
	if withRepresentatives {
		var reps []representativeRow
		if err := tx.Where("structure_id IN ?", ids).Order("structure_id, position").Find(&reps).Error; err != nil {
			return nil, err
		}
		for i := range reps {
			st := &out[index[reps[i].StructureID]]
			st.Representatives = append(st.Representatives, toDomainRepresentative(&reps[i]))
		}
	}
	offers, err := loadOffers(tx, "structure_id IN ?", ids)
	if err != nil {
		return nil, err
	}
	for _, o := range offers {
		st := &out[index[o.StructureID]]
		st.Offers = append(st.Offers, o)
	}
	return out, nil
}

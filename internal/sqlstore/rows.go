package sqlstore

import (
	"encoding/json"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// structureRow mirrors the structures table. Columns are named explicitly so that a renamed Go field cannot
// silently point at a column that does not exist; the round-trip tests catch any drift from the migrations.
type structureRow struct {
	ID                string     `gorm:"column:id;primaryKey"`
	SIRET             string     `gorm:"column:siret"`
	SIREN             string     `gorm:"column:siren"`
	Name              string     `gorm:"column:name"`
	Brand             string     `gorm:"column:brand"`
	LegalCategory     string     `gorm:"column:legal_category"`
	ESSFamily         string     `gorm:"column:ess_family"`
	ESSBasis          string     `gorm:"column:ess_basis"`
	ESUSExpiresOn     *time.Time `gorm:"column:esus_expires_on"`
	NAFCode           string     `gorm:"column:naf_code"`
	HeadcountBand     string     `gorm:"column:headcount_band"`
	AnnualTurnoverEUR *int64     `gorm:"column:annual_turnover_eur"`
	TurnoverYear      *int       `gorm:"column:turnover_year"`
	Address           string     `gorm:"column:address"`
	Postcode          string     `gorm:"column:postcode"`
	Commune           string     `gorm:"column:commune"`
	Lat               *float64   `gorm:"column:lat"`
	Lon               *float64   `gorm:"column:lon"`
	Website           string     `gorm:"column:website"`
	Description       string     `gorm:"column:description"`
	LabelsJSON        string     `gorm:"column:labels_json"`
	ContactEmail      string     `gorm:"column:contact_email"`
	ContactPhone      string     `gorm:"column:contact_phone"`
	OpenToCotraitance bool       `gorm:"column:open_to_cotraitance"`
	Status            string     `gorm:"column:status"`
	VerifiedAt        *time.Time `gorm:"column:verified_at"`
	VerifiedBy        string     `gorm:"column:verified_by"`
	PublicAwardsCount int        `gorm:"column:public_awards_count"`
	LastAwardOn       *time.Time `gorm:"column:last_award_on"`
	CreatedAt         time.Time  `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt         time.Time  `gorm:"column:updated_at;autoUpdateTime:false"`
	Version           int        `gorm:"column:version"`
}

func (structureRow) TableName() string { return "structures" }

type inclusionKindRow struct {
	StructureID string `gorm:"column:structure_id;primaryKey"`
	Position    int    `gorm:"column:position"`
	Kind        string `gorm:"column:kind;primaryKey"`
}

func (inclusionKindRow) TableName() string { return "structure_inclusion_kinds" }

type representativeRow struct {
	StructureID string `gorm:"column:structure_id;primaryKey"`
	Position    int    `gorm:"column:position;primaryKey;autoIncrement:false"`
	Name        string `gorm:"column:name"`
	Role        string `gorm:"column:role"`
	Email       string `gorm:"column:email"`
	Phone       string `gorm:"column:phone"`
}

func (representativeRow) TableName() string { return "representatives" }

type offerRow struct {
	ID             string    `gorm:"column:id;primaryKey"`
	StructureID    string    `gorm:"column:structure_id"`
	Title          string    `gorm:"column:title"`
	Description    string    `gorm:"column:description"`
	Kind           string    `gorm:"column:kind"`
	AreaScope      string    `gorm:"column:area_scope"`
	AreaRadiusKM   float64   `gorm:"column:area_radius_km"`
	CapacityEUR    *int64    `gorm:"column:capacity_eur"`
	ReferencesJSON string    `gorm:"column:references_json"`
	CreatedAt      time.Time `gorm:"column:created_at;autoCreateTime:false"`
	UpdatedAt      time.Time `gorm:"column:updated_at;autoUpdateTime:false"`
}

func (offerRow) TableName() string { return "offers" }

type offerCPVRow struct {
	OfferID  string `gorm:"column:offer_id;primaryKey"`
	Position int    `gorm:"column:position"`
	Code8    string `gorm:"column:code8;primaryKey"`
	Code     string `gorm:"column:code"`
}

func (offerCPVRow) TableName() string { return "offer_cpv" }

type offerZoneRow struct {
	OfferID  string `gorm:"column:offer_id;primaryKey"`
	Position int    `gorm:"column:position"`
	Zone     string `gorm:"column:zone;primaryKey"`
}

func (offerZoneRow) TableName() string { return "offer_zones" }

type outboxRow struct {
	Position  int64     `gorm:"column:position;primaryKey;autoIncrement"`
	Entity    string    `gorm:"column:entity"`
	EntityID  string    `gorm:"column:entity_id"`
	Op        string    `gorm:"column:op"`
	CreatedAt time.Time `gorm:"column:created_at;autoCreateTime:false"`
}

func (outboxRow) TableName() string { return "outbox" }

// structureRows is everything one structure writes besides its offers.
type structureRows struct {
	structure       structureRow
	inclusionKinds  []inclusionKindRow
	representatives []representativeRow
}

func structureRowFrom(s *domain.Structure) structureRows {
	r := structureRow{
		ID: s.ID, SIRET: s.SIRET, SIREN: s.SIREN, Name: s.Name, Brand: s.Brand,
		LegalCategory: s.LegalCategory, ESSFamily: string(s.ESSFamily), ESSBasis: string(s.ESSBasis),
		ESUSExpiresOn: utcPtr(s.ESUSExpiresOn), NAFCode: s.NAFCode, HeadcountBand: s.HeadcountBand,
		AnnualTurnoverEUR: s.AnnualTurnoverEUR, TurnoverYear: s.TurnoverYear,
		Address: s.Address, Postcode: s.Postcode, Commune: s.Commune,
		Website: s.Website, Description: s.Description, LabelsJSON: jsonList(s.Labels),
		ContactEmail: s.Contact.Email, ContactPhone: s.Contact.Phone,
		OpenToCotraitance: s.OpenToCotraitance, Status: string(s.Status),
		VerifiedAt: utcPtr(s.VerifiedAt), VerifiedBy: s.VerifiedBy,
		PublicAwardsCount: s.PublicAwardsCount, LastAwardOn: utcPtr(s.LastAwardOn),
		CreatedAt: utc(s.CreatedAt), UpdatedAt: utc(s.UpdatedAt), Version: s.Version,
	}
	if s.Location != nil {
		lat, lon := s.Location.Lat, s.Location.Lon
		r.Lat, r.Lon = &lat, &lon
	}
	out := structureRows{structure: r}
	for i, k := range s.InclusionKinds {
		out.inclusionKinds = append(out.inclusionKinds, inclusionKindRow{StructureID: s.ID, Position: i, Kind: k})
	}
	for i, p := range s.Representatives {
		out.representatives = append(out.representatives, representativeRow{
			StructureID: s.ID, Position: i, Name: p.Name, Role: p.Role, Email: p.Email, Phone: p.Phone,
		})
	}
	return out
}

func toDomainStructure(r *structureRow) domain.Structure {
	s := domain.Structure{
		ID: r.ID, SIRET: r.SIRET, SIREN: r.SIREN, Name: r.Name, Brand: r.Brand,
		LegalCategory: r.LegalCategory, ESSFamily: domain.ESSFamily(r.ESSFamily), ESSBasis: domain.ESSBasis(r.ESSBasis),
		ESUSExpiresOn: utcPtr(r.ESUSExpiresOn), NAFCode: r.NAFCode, HeadcountBand: r.HeadcountBand,
		AnnualTurnoverEUR: r.AnnualTurnoverEUR, TurnoverYear: r.TurnoverYear,
		Address: r.Address, Postcode: r.Postcode, Commune: r.Commune,
		Website: r.Website, Description: r.Description, Labels: parseJSONList(r.LabelsJSON),
		Contact:           domain.Contact{Email: r.ContactEmail, Phone: r.ContactPhone},
		OpenToCotraitance: r.OpenToCotraitance, Status: domain.StructureStatus(r.Status),
		VerifiedAt: utcPtr(r.VerifiedAt), VerifiedBy: r.VerifiedBy,
		PublicAwardsCount: r.PublicAwardsCount, LastAwardOn: utcPtr(r.LastAwardOn),
		CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt), Version: r.Version,
	}
	if r.Lat != nil && r.Lon != nil {
		s.Location = &domain.GeoPoint{Lat: *r.Lat, Lon: *r.Lon}
	}
	return s
}

func toDomainRepresentative(r *representativeRow) domain.Representative {
	return domain.Representative{Name: r.Name, Role: r.Role, Email: r.Email, Phone: r.Phone}
}

// offerRows is everything one offer writes.
type offerRows struct {
	offer offerRow
	cpv   []offerCPVRow
	zones []offerZoneRow
}

func offerRowFrom(o *domain.Offer) offerRows {
	out := offerRows{offer: offerRow{
		ID: o.ID, StructureID: o.StructureID, Title: o.Title, Description: o.Description, Kind: string(o.Kind),
		AreaScope: string(o.Area.Scope), AreaRadiusKM: o.Area.RadiusKM, CapacityEUR: o.CapacityEUR,
		ReferencesJSON: jsonList(o.References), CreatedAt: utc(o.CreatedAt), UpdatedAt: utc(o.UpdatedAt),
	}}
	for i, c := range o.CPVCodes {
		out.cpv = append(out.cpv, offerCPVRow{OfferID: o.ID, Position: i, Code8: cpvCode8(c), Code: c})
	}
	for i, z := range o.Area.Zones {
		out.zones = append(out.zones, offerZoneRow{OfferID: o.ID, Position: i, Zone: z})
	}
	return out
}

func toDomainOffer(r *offerRow) domain.Offer {
	return domain.Offer{
		ID: r.ID, StructureID: r.StructureID, Title: r.Title, Description: r.Description,
		Kind:        domain.OfferKind(r.Kind),
		Area:        domain.Area{Scope: domain.AreaScope(r.AreaScope), RadiusKM: r.AreaRadiusKM},
		CapacityEUR: r.CapacityEUR, References: parseJSONList(r.ReferencesJSON),
		CreatedAt: utc(r.CreatedAt), UpdatedAt: utc(r.UpdatedAt),
	}
}

// utc brings a time to the form both engines store: UTC, microseconds.
func utc(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := utc(*t)
	return &u
}

func jsonList(xs []string) string {
	if len(xs) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(xs) // a []string always marshals
	return string(b)
}

// parseJSONList reads a list this package wrote; an empty list reads back as nil, like an unset domain field.
func parseJSONList(s string) []string {
	var xs []string
	if err := json.Unmarshal([]byte(s), &xs); err != nil || len(xs) == 0 {
		return nil
	}
	return xs
}

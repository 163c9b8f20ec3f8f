package httpapi

import (
	"context"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/httpapi/gen"
)

func (h *handlers) ListStructures(ctx context.Context, req gen.ListStructuresRequestObject) (gen.ListStructuresResponseObject, error) {
	q := req.Params
	page, err := domain.NewPageRequest(deref(q.PageSize), deref(q.Cursor))
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	// A cursor is opaque to clients but decodes to text that reaches SQL; PostgreSQL refuses NUL in text.
	if strings.ContainsRune(page.Cursor.After+page.Cursor.Key, 0) {
		return nil, &domain.Error{Kind: domain.KindInvalid, Code: "validation_failed", Detail: "the request has invalid fields",
			Fields: []domain.FieldError{{Location: "query.cursor", Message: "is not a cursor returned by this API"}}}
	}
	filter := domain.StructureFilter{
		CPV:               deref(q.CPV),
		Commune:           deref(q.Commune),
		LegalFamilies:     convertAll(deref(q.LegalFamily), func(f gen.ESSFamily) domain.ESSFamily { return domain.ESSFamily(f) }),
		InclusionKinds:    deref(q.Inclusion),
		OfferKinds:        convertAll(deref(q.Kind), func(k gen.OfferKind) domain.OfferKind { return domain.OfferKind(k) }),
		FirstTime:         q.FirstTime,
		OpenToCotraitance: q.OpenToCotraitance,
		Verified:          q.Verified,
		HeadcountBands:    deref(q.HeadcountBand),
		TurnoverMinEUR:    q.TurnoverMinEUR,
		TurnoverMaxEUR:    q.TurnoverMaxEUR,
	}
	sq, err := searchQueryFrom(q, filter, page)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	found, err := h.deps.Directory.SearchStructures(ctx, sq)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	return gen.ListStructures200JSONResponse(toAPIStructureList(found)), nil
}

func (h *handlers) CreateStructure(ctx context.Context, req gen.CreateStructureRequestObject) (gen.CreateStructureResponseObject, error) {
	s, err := h.deps.Directory.CreateStructure(ctx, structureFromCreate(req.Body))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.CreateStructure201JSONResponse{
		Body:    toAPIStructure(s, true),
		Headers: gen.CreateStructure201ResponseHeaders{ETag: ptr(etagOf(s)), Location: ptr("/v1/structures/" + s.ID)},
	}, nil
}

func (h *handlers) GetStructure(ctx context.Context, req gen.GetStructureRequestObject) (gen.GetStructureResponseObject, error) {
	s, err := h.deps.Directory.FindStructureByID(ctx, req.ID)
	if err != nil {
		return nil, err
	}
	return gen.GetStructure200JSONResponse{Body: toAPIStructure(s, s.Representatives != nil), Headers: gen.GetStructure200ResponseHeaders{ETag: ptr(etagOf(s))}}, nil
}

func (h *handlers) GetStructureBySIRET(ctx context.Context, req gen.GetStructureBySIRETRequestObject) (gen.GetStructureBySIRETResponseObject, error) {
	s, err := h.deps.Directory.FindStructureBySIRET(ctx, req.SIRET)
	if err != nil {
		return nil, withLocationPrefix(err, "path")
	}
	return gen.GetStructureBySIRET200JSONResponse{Body: toAPIStructure(s, s.Representatives != nil), Headers: gen.GetStructureBySIRET200ResponseHeaders{ETag: ptr(etagOf(s))}}, nil
}

func (h *handlers) UpdateStructure(ctx context.Context, req gen.UpdateStructureRequestObject) (gen.UpdateStructureResponseObject, error) {
	s, err := h.deps.Directory.UpdateStructure(ctx, req.ID, versionOf(req.Params.IfMatch), structurePatch(req.Body))
	if err != nil {
		return nil, withLocationPrefix(err, "body")
	}
	return gen.UpdateStructure200JSONResponse{Body: toAPIStructure(s, s.Representatives != nil), Headers: gen.UpdateStructure200ResponseHeaders{ETag: ptr(etagOf(s))}}, nil
}

func (h *handlers) DeleteStructure(ctx context.Context, req gen.DeleteStructureRequestObject) (gen.DeleteStructureResponseObject, error) {
	if err := h.deps.Directory.DeleteStructure(ctx, req.ID); err != nil {
		return nil, err
	}
	return gen.DeleteStructure204Response{}, nil
}

// etagOf is the strong validator of a structure: its version, which every change of the structure or of one of
// its offers increments.
func etagOf(s *domain.Structure) string { return `"` + strconv.Itoa(s.Version) + `"` }

// versionOf reads an If-Match header: nil when absent or "*", else the version it names. A value that names no
// version cannot match any structure, so it becomes -1 and the update fails its precondition (RFC 9110 §13.1.1).
func versionOf(ifMatch *string) *int {
	if ifMatch == nil {
		return nil
	}
	tag := strings.TrimSpace(*ifMatch)
	if tag == "*" || tag == "" {
		return nil
	}
	tag = strings.TrimPrefix(tag, "W/")
	v, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(tag, `"`), `"`))
	if err != nil || !strings.HasPrefix(tag, `"`) {
		v = -1
	}
	return &v
}

func toAPIStructure(s *domain.Structure, withRepresentatives bool) gen.Structure {
	out := gen.Structure{
		ID:                s.ID,
		SIRET:             s.SIRET,
		SIREN:             s.SIREN,
		Name:              s.Name,
		Brand:             s.Brand,
		LegalCategory:     s.LegalCategory,
		ESSFamily:         gen.ESSFamily(s.ESSFamily),
		ESSBasis:          gen.ESSBasis(s.ESSBasis),
		ESUSExpiresOn:     nullableOf(dateOf(s.ESUSExpiresOn)),
		InclusionKinds:    nonNil(s.InclusionKinds),
		NAFCode:           s.NAFCode,
		HeadcountBand:     s.HeadcountBand,
		AnnualTurnoverEUR: nullableOf(s.AnnualTurnoverEUR),
		TurnoverYear:      nullableOf(s.TurnoverYear),
		Address:           s.Address,
		Postcode:          s.Postcode,
		Commune:           s.Commune,
		Location:          nullableOf(geoPointOf(s.Location)),
		Website:           s.Website,
		Description:       s.Description,
		Labels:            nonNil(s.Labels),
		Contact:           gen.Contact{Email: s.Contact.Email, Phone: s.Contact.Phone},
		OpenToCotraitance: s.OpenToCotraitance,
		Status:            gen.StructureStatus(s.Status),
		VerifiedAt:        nullableOf(s.VerifiedAt),
		PublicAwardsCount: s.PublicAwardsCount,
		FirstTime:         s.FirstTime(),
		CreatedAt:         s.CreatedAt,
		UpdatedAt:         s.UpdatedAt,
		Version:           s.Version,
		Offers:            make([]gen.Offer, len(s.Offers)),
	}
	for i := range s.Offers {
		out.Offers[i] = toAPIOffer(&s.Offers[i])
	}
	if withRepresentatives {
		reps := make([]gen.Representative, len(s.Representatives))
		for i, r := range s.Representatives {
			reps[i] = gen.Representative{Name: r.Name, Role: r.Role, Email: r.Email, Phone: r.Phone}
		}
		out.Representatives = &reps
	}
	return out
}

func structureFromCreate(b *gen.StructureCreate) domain.Structure {
	s := domain.Structure{
		SIRET:             b.SIRET,
		Name:              b.Name,
		Brand:             deref(b.Brand),
		LegalCategory:     b.LegalCategory,
		ESSBasis:          domain.ESSBasis(b.ESSBasis),
		ESUSExpiresOn:     timeOfDate(valueOf(b.ESUSExpiresOn)),
		InclusionKinds:    deref(b.InclusionKinds),
		NAFCode:           deref(b.NAFCode),
		HeadcountBand:     deref(b.HeadcountBand),
		AnnualTurnoverEUR: valueOf(b.AnnualTurnoverEUR),
		TurnoverYear:      valueOf(b.TurnoverYear),
		Address:           deref(b.Address),
		Postcode:          deref(b.Postcode),
		Commune:           b.Commune,
		Location:          domainPointOf(valueOf(b.Location)),
		Website:           deref(b.Website),
		Description:       deref(b.Description),
		Labels:            deref(b.Labels),
		Representatives:   representativesOf(deref(b.Representatives)),
		OpenToCotraitance: deref(b.OpenToCotraitance),
		Status:            domain.StructureStatus(deref(b.Status)),
	}
	if b.Contact != nil {
		s.Contact = domain.Contact{Email: b.Contact.Email, Phone: b.Contact.Phone}
	}
	for _, o := range deref(b.Offers) {
		s.Offers = append(s.Offers, offerFromCreate(&o))
	}
	return s
}

// structurePatch returns the change a PATCH body asks for: absent members leave fields alone, null clears the
// nullable ones. The service restores read-only fields afterwards.
func structurePatch(b *gen.StructurePatch) func(*domain.Structure) {
	return func(s *domain.Structure) {
		set(&s.SIRET, b.SIRET)
		set(&s.Name, b.Name)
		set(&s.Brand, b.Brand)
		set(&s.LegalCategory, b.LegalCategory)
		if b.ESSBasis != nil {
			s.ESSBasis = domain.ESSBasis(*b.ESSBasis)
		}
		if b.ESUSExpiresOn.IsSpecified() {
			s.ESUSExpiresOn = timeOfDate(valueOf(b.ESUSExpiresOn))
		}
		set(&s.InclusionKinds, b.InclusionKinds)
		set(&s.NAFCode, b.NAFCode)
		set(&s.HeadcountBand, b.HeadcountBand)
		if b.AnnualTurnoverEUR.IsSpecified() {
			s.AnnualTurnoverEUR = valueOf(b.AnnualTurnoverEUR)
		}
		if b.TurnoverYear.IsSpecified() {
			s.TurnoverYear = valueOf(b.TurnoverYear)
		}
		set(&s.Address, b.Address)
		set(&s.Postcode, b.Postcode)
		set(&s.Commune, b.Commune)
		if b.Location.IsSpecified() {
			s.Location = domainPointOf(valueOf(b.Location))
		}
		set(&s.Website, b.Website)
		set(&s.Description, b.Description)
		set(&s.Labels, b.Labels)
		if b.Contact != nil {
			s.Contact = domain.Contact{Email: b.Contact.Email, Phone: b.Contact.Phone}
		}
		if b.Representatives != nil {
			s.Representatives = representativesOf(*b.Representatives)
		}
		set(&s.OpenToCotraitance, b.OpenToCotraitance)
		if b.Status != nil {
			s.Status = domain.StructureStatus(*b.Status)
		}
	}
}

func representativesOf(in []gen.Representative) []domain.Representative {
	if len(in) == 0 {
		return nil
	}
	out := make([]domain.Representative, len(in))
	for i, r := range in {
		out[i] = domain.Representative{Name: r.Name, Role: r.Role, Email: r.Email, Phone: r.Phone}
	}
	return out
}

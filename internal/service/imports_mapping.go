package service

import (
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/sirene"
)

// structureFrom maps an establishment and its legal unit to a structure. The ESS basis is the legal form when the
// form is of the ESS "de droit", else the ESS quality the SIRENE flag records. NAF codes are kept only when they
// are NAF rév. 2 sub-classes of the reference: the second result is false when a code was dropped (older NAF
// rév. 1 codes, or NAF 2025 only). Non-diffusible establishments keep their commune and lose address, postcode
// and position; Derive then places them at the commune centre, which is public.
func (im *Importer) structureFrom(e *keptEtablissement, u *sirene.UniteLegale) (domain.Structure, bool) {
	s := domain.Structure{
		SIRET:         e.SIRET,
		Name:          unitName(u, &e.Etablissement),
		LegalCategory: u.CategorieJuridique,
		ESSBasis:      domain.BasisESSQuality,
		Commune:       e.CodeCommune,
		Status:        domain.StatusPublished,
	}
	if family, ok := im.ref.LegalCategoryFamily(u.CategorieJuridique); ok && family != "" {
		s.ESSBasis = domain.BasisLegalForm
	}
	s.Brand = brandOf(u, &e.Etablissement, s.Name)
	naf, nafMapped := im.nafOf(e.ActivitePrincipale, e.NomenclatureActivite)
	if naf == "" && e.ActivitePrincipale == "" {
		naf, nafMapped = im.nafOf(u.ActivitePrincipale, u.NomenclatureActivite)
	}
	s.NAFCode = naf
	if im.ref.HeadcountBandExists(e.TrancheEffectifs) {
		s.HeadcountBand = e.TrancheEffectifs
	}
	if !e.masked {
		s.Address = addressOf(&e.Etablissement)
		if len(e.CodePostal) == 5 {
			s.Postcode = e.CodePostal
		}
		if lat, lon, ok := e.Position(); ok {
			s.Location = &domain.GeoPoint{Lat: round6(lat), Lon: round6(lon)}
		}
	}
	return s, nafMapped
}

// nafOf returns the code when it is a NAF rév. 2 sub-class of the reference; a missing code is not a miss.
func (im *Importer) nafOf(code, nomenclature string) (string, bool) {
	if code == "" {
		return "", true
	}
	if (nomenclature == "" || nomenclature == "NAFRev2") && im.ref.NAFExists(code) {
		return code, true
	}
	return "", false
}

func unitName(u *sirene.UniteLegale, e *sirene.Etablissement) string {
	switch {
	case u.Denomination != "":
		return u.Denomination
	case len(u.DenominationsUsuelles) > 0:
		return u.DenominationsUsuelles[0]
	case e.DenominationUsuelle != "":
		return e.DenominationUsuelle
	case len(e.Enseignes) > 0:
		return e.Enseignes[0]
	}
	return ""
}

// brandOf is the name the establishment trades under, else the unit's acronym, when it differs from the name.
func brandOf(u *sirene.UniteLegale, e *sirene.Etablissement, name string) string {
	for _, b := range append(append([]string{}, e.Enseignes...), e.DenominationUsuelle, u.Sigle) {
		if b != "" && !strings.EqualFold(b, name) {
			return b
		}
	}
	return ""
}

// addressOf writes the postal address lines SIRENE splits into fields: "12 B RUE DE LA LOIRE, BATIMENT A".
func addressOf(e *sirene.Etablissement) string {
	street := strings.Join(nonEmpty(e.NumeroVoie+e.IndiceRepetition, streetType(e.TypeVoie), e.LibelleVoie), " ")
	return strings.Join(nonEmpty(street, e.ComplementAdresse, e.DistributionSpeciale), ", ")
}

// streetTypes expands the SIRENE abbreviations of street types people read most.
var streetTypes = map[string]string{"AV": "AVENUE", "BD": "BOULEVARD", "CHE": "CHEMIN", "PL": "PLACE", "IMP": "IMPASSE",
	"ALL": "ALLEE", "RTE": "ROUTE", "SQ": "SQUARE", "CRS": "COURS", "PROM": "PROMENADE", "FG": "FAUBOURG", "QUA": "QUARTIER"}

func streetType(t string) string {
	if full, ok := streetTypes[t]; ok {
		return full
	}
	return t
}

func nonEmpty(parts ...string) []string {
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func round6(v float64) float64 {
	const scale = 1e6
	if v < 0 {
		return -float64(int64(-v*scale+0.5)) / scale
	}
	return float64(int64(v*scale+0.5)) / scale
}

package demo

import (
	"math/rand/v2"

	"github.com/essor-ess/essor/internal/domain"
)

// legalForm is a legal category (categories-juridiques.csv) with the ESS family ess-familles-categories-juridiques.csv
// gives it; commercial forms (family "") are ESS only through the ESUS agreement or the ESS quality.
type legalForm struct {
	code   string
	family domain.ESSFamily // "" for commercial companies
	label  string           // reads after "une": "association loi 1901"
	suffix string           // sometimes appended to names: "Scop", "SCIC"
}

var (
	formAssociation = legalForm{"9220", domain.FamilyAssociation, "association loi 1901", ""}
	formInsertion   = legalForm{"9221", domain.FamilyAssociation, "association d'insertion par l'activité économique", ""}
	formAI          = legalForm{"9222", domain.FamilyAssociation, "association intermédiaire", ""}
	formEmployers   = legalForm{"9223", domain.FamilyAssociation, "association constituée en groupement d'employeurs", ""}
	formRUP         = legalForm{"9230", domain.FamilyAssociation, "association reconnue d'utilité publique", ""}
	formScopSARL    = legalForm{"5458", domain.FamilyCooperative, "société coopérative et participative (Scop) à responsabilité limitée", "Scop"}
	formScopSA      = legalForm{"5558", domain.FamilyCooperative, "société coopérative et participative (Scop) sous forme de société anonyme", "Scop"}
	formSCICSARL    = legalForm{"5460", domain.FamilyCooperative, "société coopérative d'intérêt collectif (SCIC) à responsabilité limitée", "SCIC"}
	formSCICSA      = legalForm{"5560", domain.FamilyCooperative, "société coopérative d'intérêt collectif (SCIC) sous forme de société anonyme", "SCIC"}
	formMutual      = legalForm{"8210", domain.FamilyMutual, "mutuelle régie par le code de la mutualité", ""}
	formFoundation  = legalForm{"9300", domain.FamilyFoundation, "fondation reconnue d'utilité publique", ""}
	formSAS         = legalForm{"5710", "", "société par actions simplifiée", ""}
	formSARL        = legalForm{"5499", "", "société à responsabilité limitée", ""}
)

// allLegalForms lists every form the generator uses, for the tests.
var allLegalForms = []legalForm{
	formAssociation, formInsertion, formAI, formEmployers, formRUP, formScopSARL, formScopSA, formSCICSARL,
	formSCICSA, formMutual, formFoundation, formSAS, formSARL,
}

// formsByKind follows how inclusion structures are usually incorporated: an AI is an association by law, ACI are
// carried by associations, ESAT by associations or foundations, EI/EA/ETTI by associations or companies.
var formsByKind = map[string][]weighted[legalForm]{
	"AI":   {{formAI, 1}},
	"GEIQ": {{formEmployers, 1}},
	"ACI":  {{formInsertion, 13}, {formAssociation, 7}},
	"ESAT": {{formAssociation, 11}, {formRUP, 4}, {formFoundation, 5}},
	"EA":   {{formAssociation, 8}, {formSAS, 7}, {formSARL, 3}, {formScopSARL, 2}},
	"EI":   {{formInsertion, 8}, {formSAS, 7}, {formSARL, 3}, {formScopSARL, 2}},
	"ETTI": {{formSAS, 5}, {formInsertion, 3}, {formSARL, 2}},
	"EATT": {{formSAS, 7}, {formAssociation, 3}},
	"EITI": {{formSAS, 1}, {formAssociation, 1}},
}

// legalFormFor draws a legal form consistent with the inclusion kind (if any) and the trade, and the ESS basis that
// goes with it.
func legalFormFor(r *rand.Rand, t *trade, kind string) (legalForm, domain.ESSBasis) {
	var form legalForm
	if forms, ok := formsByKind[kind]; ok {
		form = pick(r, forms)
	} else {
		form = ordinaryForm(r, t)
	}
	switch {
	case form.family != "":
		return form, domain.BasisLegalForm
	case kind != "":
		// Inclusion structures hold the ESUS agreement by law (code du travail L3332-17-1 II).
		return form, domain.BasisESUSAgreement
	case r.IntN(10) < 6:
		return form, domain.BasisESUSAgreement
	default:
		return form, domain.BasisESSQuality
	}
}

// ordinaryForm draws the form of a structure that is not an inclusion structure: mostly associations, then
// cooperatives and commercial companies of the ESS, a few mutuelles and foundations where they are plausible.
func ordinaryForm(r *rand.Rand, t *trade) legalForm {
	roll := r.IntN(100)
	switch {
	case t.mutualOK && roll < 6:
		return formMutual
	case t.foundationOK && roll < 12:
		return formFoundation
	}
	return pick(r, ordinaryForms)
}

var ordinaryForms = []weighted[legalForm]{
	{formAssociation, 46}, {formRUP, 3}, {formScopSARL, 13}, {formScopSA, 2}, {formSCICSARL, 7}, {formSCICSA, 2},
	{formSAS, 19}, {formSARL, 8},
}

// description returns how the structure's description names its form: "société par actions simplifiée agréée
// ESUS" for a commercial company, the form's own label otherwise.
func (f legalForm) description(basis domain.ESSBasis) string {
	switch basis {
	case domain.BasisESUSAgreement:
		return f.label + " agréée ESUS"
	case domain.BasisESSQuality:
		return f.label + " de l'économie sociale et solidaire"
	}
	return f.label
}

// headcountBand is a SIRENE tranche d'effectifs (tranches-effectifs.csv) with the headcount range it stands for.
type headcountBand struct {
	code     string
	min, max int
}

var (
	ordinaryBands = []weighted[headcountBand]{
		{headcountBand{"NN", 0, 0}, 4}, {headcountBand{"00", 0, 0}, 5}, {headcountBand{"01", 1, 2}, 14},
		{headcountBand{"02", 3, 5}, 16}, {headcountBand{"03", 6, 9}, 16}, {headcountBand{"11", 10, 19}, 18},
		{headcountBand{"12", 20, 49}, 16}, {headcountBand{"21", 50, 99}, 7}, {headcountBand{"22", 100, 199}, 3},
		{headcountBand{"31", 200, 249}, 1},
	}
	// Inclusion structures employ more people for their turnover: supported jobs are their purpose.
	inclusionBands = []weighted[headcountBand]{
		{headcountBand{"02", 3, 5}, 4}, {headcountBand{"03", 6, 9}, 10}, {headcountBand{"11", 10, 19}, 25},
		{headcountBand{"12", 20, 49}, 30}, {headcountBand{"21", 50, 99}, 18}, {headcountBand{"22", 100, 199}, 8},
		{headcountBand{"31", 200, 249}, 2}, {headcountBand{"32", 250, 499}, 1},
	}
)

// sizeFor draws a headcount band and an annual turnover consistent with it (nil for about one structure in twelve,
// which has not published its accounts).
func sizeFor(r *rand.Rand, kind string) (string, *int64) {
	bands := ordinaryBands
	if kind != "" {
		bands = inclusionBands
	}
	band := pick(r, bands)
	if r.IntN(12) == 0 {
		return band.code, nil
	}
	var turnover int64
	if band.max == 0 {
		turnover = 3_000 + r.Int64N(87_000)
	} else {
		staff := band.min + r.IntN(band.max-band.min+1)
		perHead := 32_000 + r.Int64N(58_000)
		if kind != "" {
			perHead = perHead * 2 / 3
		}
		turnover = int64(staff) * perHead
	}
	turnover = turnover / 100 * 100
	return band.code, &turnover
}

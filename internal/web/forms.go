package web

import (
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// formErrors are the field errors of a submitted form, by location ("name", "area.zones[2]"), in French.
type formErrors struct {
	fields []domain.FieldError
	// general are errors tied to no field (a wrong password).
	general []string
}

// newFormErrors extracts the field errors of an invalid-kind error; any other error gives a general message.
func newFormErrors(err error) formErrors {
	var de *domain.Error
	if !errors.As(err, &de) {
		return formErrors{general: []string{"Une erreur est survenue."}}
	}
	if len(de.Fields) == 0 {
		return formErrors{general: []string{frenchMessage(de.Detail)}}
	}
	fe := formErrors{}
	for _, f := range de.Fields {
		fe.fields = append(fe.fields, domain.FieldError{Location: f.Location, Message: frenchMessage(f.Message)})
	}
	return fe
}

// Any reports whether the form has errors.
func (fe formErrors) Any() bool { return len(fe.fields) > 0 || len(fe.general) > 0 }

// Messages lists every error as a sentence, for the summary at the top of the form.
func (fe formErrors) Messages() []string {
	out := append([]string(nil), fe.general...)
	for _, f := range fe.fields {
		out = append(out, fieldLabel(f.Location)+" : "+f.Message)
	}
	return out
}

// Summary lists the errors with the id of their field, for links from the summary to the fields.
func (fe formErrors) Summary() []summaryItem {
	var out []summaryItem
	for _, g := range fe.general {
		out = append(out, summaryItem{Text: g})
	}
	for _, f := range fe.fields {
		out = append(out, summaryItem{Text: fieldLabel(f.Location) + " : " + f.Message, FieldID: fieldID(f.Location)})
	}
	return out
}

type summaryItem struct{ Text, FieldID string }

// field is what a template needs to show one input and its error.
type field struct {
	ID, ErrID, Message string
	Invalid            bool
}

// Field returns the field at location: an error whose location is the field itself or lies under it (the zones of
// an area) is shown there.
func (fe formErrors) Field(location string) field {
	f := field{ID: fieldID(location), ErrID: fieldID(location) + "-erreur"}
	var msgs []string
	for _, e := range fe.fields {
		if e.Location == location || strings.HasPrefix(e.Location, location+".") || strings.HasPrefix(e.Location, location+"[") {
			msgs = append(msgs, e.Message)
		}
	}
	f.Invalid, f.Message = len(msgs) > 0, strings.Join(msgs, " ; ")
	return f
}

// Only returns the field at location with the errors of that very location, not of the fields under it: the
// errors of a whole list, shown above its rows, which show their own.
func (fe formErrors) Only(location string) field {
	f := field{ID: fieldID(location), ErrID: fieldID(location) + "-erreur"}
	var msgs []string
	for _, e := range fe.fields {
		if e.Location == location {
			msgs = append(msgs, e.Message)
		}
	}
	f.Invalid, f.Message = len(msgs) > 0, strings.Join(msgs, " ; ")
	return f
}

func (fe *formErrors) add(location, message string) {
	fe.fields = append(fe.fields, domain.FieldError{Location: location, Message: message})
}

var notIDChars = regexp.MustCompile(`[^a-z0-9]+`)

func fieldID(location string) string {
	return "f-" + strings.Trim(notIDChars.ReplaceAllString(strings.ToLower(location), "-"), "-")
}

// fieldLabels name the fields of the forms in the summary of errors.
var fieldLabels = map[string]string{
	"email": "Adresse e-mail", "password": "Mot de passe", "password_confirm": "Confirmation du mot de passe", "siret": "SIRET", "role": "Vous êtes",
	"organisation_name": "Nom de l'organisation", "organisation_kind": "Type d'organisation",
	"name": "Nom", "brand": "Enseigne", "legal_category": "Forme juridique", "ess_basis": "Appartenance à l'ESS",
	"esus_expires_on": "Fin de l'agrément ESUS", "commune": "Commune", "postcode": "Code postal", "address": "Adresse",
	"website": "Site web", "description": "Description", "contact.email": "E-mail de contact",
	"contact.phone": "Téléphone de contact", "headcount_band": "Effectif", "inclusion_kinds": "Structure d'inclusion",
	"title": "Intitulé", "kind": "Nature", "cpv_codes": "Codes CPV", "area": "Zone d'intervention",
	"area.scope": "Zone d'intervention", "area.radius_km": "Rayon", "area.zones": "Communes et zones",
	"capacity_eur": "Capacité", "q": "Recherche", "cpv": "Code CPV", "from": "Début", "to": "Fin",
	"annual_turnover_eur": "Chiffre d'affaires", "turnover_year": "Année du chiffre d'affaires",
	"sourcing_deadline": "Fin du sourçage", "planned_publication": "Publication prévue", "response_deadline": "Date limite de réponse",
	"estimated_total_eur": "Montant estimé total", "duration_months": "Durée", "external_reference": "Référence interne",
	"external_url": "Adresse de l'avis", "lots": "Lots", "communes": "Communes", "estimated_value_eur": "Montant",
	"min_turnover_eur": "Chiffre d'affaires minimal", "reservation": "Réservation", "insertion_hours": "Heures d'insertion",
	"deadline": "Date limite", "answer": "Réponse", "reason": "Raison", "message": "Message", "buyer_kind": "Vous êtes",
	"label": "Prestation", "structure_id": "Structure", "role_sought": "Vous cherchez", "capacity_sought_eur": "Capacité recherchée",
	"tender_id": "Consultation", "lot_number": "Lot", "external": "Consultation", "external.reference": "Référence de la consultation",
	"external.buyer": "Acheteur", "external.url": "Adresse de l'avis", "external.deadline": "Date limite de l'acheteur",
	"external.lot_value_eur": "Montant du lot", "external.cpv_codes": "Codes CPV du lot", "external.communes": "Communes du lot",
	"form": "Forme du groupement", "member_ids": "Membres", "mandataire_id": "Mandataire",
}

// rowLocation reads the row of a repeated part of a form: "lots[2].title" is row 2 of "lots", field "title".
var rowLocation = regexp.MustCompile(`^(lots|lines)\[(\d+)\]\.?(.*)$`)

var rowNames = map[string]string{"lots": "Lot", "lines": "Ligne"}

func fieldLabel(location string) string {
	if m := rowLocation.FindStringSubmatch(location); m != nil {
		n, _ := strconv.Atoi(m[2])
		label := rowNames[m[1]] + " " + strconv.Itoa(n+1)
		if m[3] != "" {
			label += ", " + strings.ToLower(fieldLabel(m[3]))
		}
		return label
	}
	for loc := location; loc != ""; {
		if l, ok := fieldLabels[loc]; ok {
			return l
		}
		i := strings.LastIndexAny(loc, ".[")
		if i < 0 {
			break
		}
		loc = loc[:i]
	}
	return location
}

// frenchTexts translate the service's validation messages (English, for API clients) for the site's users. A
// message no rule knows is shown as is rather than hidden.
var frenchTexts = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^is required.*$`), "ce champ est obligatoire"},
	{regexp.MustCompile(`^must hold (\d+) to (\d+) characters$`), "doit contenir de $1 à $2 caractères"},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "doit contenir au plus $1 caractères"},
	{regexp.MustCompile(`^is not an e-mail address$`), "n'est pas une adresse e-mail valide"},
	{regexp.MustCompile(`^must be 14 digits.*$`), "doit contenir 14 chiffres"},
	{regexp.MustCompile(`(?i)^.*(luhn|check digit|checksum).*$`), "ce numéro n'existe pas (vérifiez les chiffres)"},
	{regexp.MustCompile(`^must be between (\d+) and (\d+) km$`), "doit être compris entre $1 et $2 km"},
	{regexp.MustCompile(`^must hold between 1 and (\d+) CPV codes$`), "choisissez entre 1 et $1 codes CPV"},
	{regexp.MustCompile(`^must list between 1 and (\d+) zones$`), "choisissez entre 1 et $1 communes ou zones"},
	{regexp.MustCompile(`^(\S+) does not exist$`), "$1 n'existe pas"},
	{regexp.MustCompile(`^(\S+) is not a CPV 2008 code.*$`), "$1 n'est pas un code CPV"},
	{regexp.MustCompile(`^(\S+) is not an INSEE commune code$`), "$1 n'est pas une commune connue"},
	{regexp.MustCompile(`^(\S+) is not a legal category.*$`), "$1 n'est pas une forme juridique connue"},
	{regexp.MustCompile(`^must be 5 digits$`), "doit contenir 5 chiffres"},
	{regexp.MustCompile(`^must be greater than 0 when given$`), "doit être supérieur à 0"},
	{regexp.MustCompile(`^a commercial company belongs to the ESS only.*$`),
		"une société commerciale n'appartient à l'ESS que par l'agrément ESUS ou la qualité ESS"},
	{regexp.MustCompile(`^is allowed only with the ESUS agreement.*$`), "ne se remplit qu'avec l'agrément ESUS"},
	{regexp.MustCompile(`^must be empty when the scope is .*$`), "ne se remplit pas avec ce type de zone"},
	{regexp.MustCompile(`^repeats .*$`), "est en double"},
	{regexp.MustCompile(`^unknown commune INSEE code.*$`), "commune inconnue"},
	{regexp.MustCompile(`^unknown CPV code.*$`), "code CPV inconnu"},
	{regexp.MustCompile(`^the e-mail or the password is wrong$`), "L'adresse e-mail ou le mot de passe est incorrect."},
	{regexp.MustCompile(`^the account is pending.*$`), "Votre compte attend encore la validation de votre demande."},
	{regexp.MustCompile(`^the account is disabled.*$`), "Ce compte est désactivé."},
	{regexp.MustCompile(`^too many failed sign-ins.*$`), "Trop d'essais de connexion : patientez quelques minutes."},
	{regexp.MustCompile(`^must not be before from$`), "ne doit pas précéder le début"},
	{regexp.MustCompile(`^the period must not exceed (\d+) years$`), "la période ne doit pas dépasser $1 ans"},
	{regexp.MustCompile(`^must be at most (\d+) characters$`), "doit contenir au plus $1 caractères"},
	{regexp.MustCompile(`^must hold at most (\d+) characters$`), "doit contenir au plus $1 caractères"},
	{regexp.MustCompile(`^must hold at least one line$`), "ajoutez au moins une ligne"},
	{regexp.MustCompile(`^must hold at least one commune$`), "indiquez au moins une commune"},
	{regexp.MustCompile(`^must be positive$`), "doit être supérieur à 0"},
	{regexp.MustCompile(`^must not be negative$`), "ne doit pas être négatif"},
	{regexp.MustCompile(`^must be between (\d+) and (\d+)( €)?$`), "doit être compris entre $1 et $2$3"},
	{regexp.MustCompile(`^must be one of member_ids.*$`), "le mandataire doit être un des membres"},
	{regexp.MustCompile(`^must be one of .*$`), "choisissez une des valeurs proposées"},
	{regexp.MustCompile(`^must be (\S+) or (\S+)$`), "choisissez une des valeurs proposées"},
	{regexp.MustCompile(`^must hold between 1 and (\d+) lots.*$`), "le besoin doit avoir entre 1 et $1 lots (un besoin non alloti a un lot)"},
	{regexp.MustCompile(`^must list between (\d+) and (\d+) CPV codes$`), "indiquez entre $1 et $2 codes CPV"},
	{regexp.MustCompile(`^must list at most (\d+) communes$`), "indiquez au plus $1 communes"},
	{regexp.MustCompile(`^must not be before the (planned publication|sourcing deadline)$`), "ne doit pas précéder la date indiquée plus haut"},
	{regexp.MustCompile(`^must not be in the past$`), "ne doit pas être déjà passée"},
	{regexp.MustCompile(`^the estimated values of the lots add up to (\d+) €, (not|more than) the estimated total of (\d+) €$`),
		"les montants des lots font $1 € au total, et le montant estimé total est de $3 € : corrigez l'un ou l'autre"},
	{regexp.MustCompile(`^must be at most \S+ × the lot's estimated value.*$`), "dépasse le plafond du code de la commande publique (R2142-7)"},
	{regexp.MustCompile(`^needs estimated_value_eur.*$`), "indiquez d'abord le montant du lot : le chiffre d'affaires exigé est plafonné par ce montant"},
	{regexp.MustCompile(`^needs social_clause.*$`), "cochez la clause sociale : les heures d'insertion en font partie"},
	{regexp.MustCompile(`^is past: set a later deadline.*$`), "la date limite est passée : choisissez une date plus tardive"},
	{regexp.MustCompile(`^must be an http\(s\) address$`), "doit être une adresse web commençant par http:// ou https://"},
	{regexp.MustCompile(`^"?(\S+?)"? is not the INSEE code of a commune$`), "$1 n'est pas une commune connue"},
	{regexp.MustCompile(`^unknown commune "?(\S+?)"?$`), "$1 n'est pas une commune connue"},
	{regexp.MustCompile(`^unknown CPV code "?(\S+?)"?$`), "$1 n'est pas un code CPV"},
	{regexp.MustCompile(`^must be a number$`), "indiquez un nombre"},
	{regexp.MustCompile(`^is only for a not_interested answer$`), "ne se choisit que si vous n'êtes pas intéressé"},
	{regexp.MustCompile(`^must be interested or not_interested$`), "choisissez oui ou non"},
	{regexp.MustCompile(`^is required when the reason is other$`), "précisez la raison"},
	{regexp.MustCompile(`^must list at least two structures.*$`), "un groupement a au moins deux membres"},
	{regexp.MustCompile(`^must include the structure that posted the call$`), "votre structure doit faire partie du groupement"},
	{regexp.MustCompile(`^is the structure that posted the call$`), "vous ne pouvez pas candidater à votre propre appel"},
	{regexp.MustCompile(`^is not a lot of a tender you may see$`), "ce lot n'existe pas ou n'est pas visible"},
}

func frenchMessage(msg string) string {
	for _, t := range frenchTexts {
		if t.re.MatchString(msg) {
			return t.re.ReplaceAllString(msg, t.with)
		}
	}
	if msg == "" {
		return "valeur refusée"
	}
	return msg
}

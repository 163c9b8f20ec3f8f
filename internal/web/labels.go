package web

import (
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// familyLabels name the ESS families for the site's users.
var familyLabels = map[domain.ESSFamily]string{
	domain.FamilyAssociation: "Association", domain.FamilyCooperative: "Coopérative",
	domain.FamilyMutual: "Mutuelle", domain.FamilyFoundation: "Fondation",
	domain.FamilyESSCompany: "Entreprise de l'ESS (ESUS ou qualité ESS)",
}

// familyOrder is the order the families are offered in.
var familyOrder = []domain.ESSFamily{domain.FamilyAssociation, domain.FamilyCooperative, domain.FamilyMutual,
	domain.FamilyFoundation, domain.FamilyESSCompany}

var offerKindLabels = map[domain.OfferKind]string{
	domain.OfferSupply: "Fournitures", domain.OfferService: "Services", domain.OfferWorks: "Travaux",
	domain.OfferStaffing: "Mise à disposition de personnel",
}

var offerKindOrder = []domain.OfferKind{domain.OfferService, domain.OfferSupply, domain.OfferWorks, domain.OfferStaffing}

var essBasisLabels = map[domain.ESSBasis]string{
	domain.BasisLegalForm:     "Par sa forme juridique (association, coopérative, mutuelle, fondation)",
	domain.BasisESUSAgreement: "Par l'agrément ESUS (entreprise solidaire d'utilité sociale)",
	domain.BasisESSQuality:    "Par la qualité d'entreprise de l'ESS (société commerciale)",
}

var roleLabels = map[service.Role]string{
	service.RoleAdmin: "Administrateur", service.RoleNetwork: "Réseau", service.RoleBuyer: "Acheteur",
	service.RoleStructure: "Structure de l'ESS",
}

var accountStatusLabels = map[service.UserStatus]string{
	service.UserActive: "Actif", service.UserPending: "En attente de validation", service.UserDisabled: "Désactivé",
}

// templateFuncs are the helpers the templates call. Every one returns plain text that html/template escapes,
// except snippet, which passes on the index's own escaping.
var templateFuncs = template.FuncMap{
	"cpvLabel":        cpvLabel,
	"communeName":     communeName,
	"familyLabel":     func(f domain.ESSFamily) string { return familyLabels[f] },
	"kindLabel":       func(k domain.OfferKind) string { return offerKindLabels[k] },
	"inclusionLabel":  inclusionLabel,
	"roleLabel":       func(r service.Role) string { return roleLabels[r] },
	"areaText":        areaText,
	"euros":           euros,
	"percent":         func(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/10, 'f', -1, 64) + " %" },
	"number":          func(n int) string { return groupDigits(strconv.Itoa(n)) },
	"dateFR":          dateFR,
	"snippet":         snippet,
	"snippets":        snippets,
	"isBuyer":         func(a service.Actor) bool { return a.Role == service.RoleBuyer },
	"canBuy":          func(a service.Actor) bool { return a.Role == service.RoleBuyer || a.IsAdmin() },
	"canVet":          func(a service.Actor) bool { return a.Role == service.RoleNetwork || a.IsAdmin() },
	"isStructure":     func(a service.Actor) bool { return a.Role == service.RoleStructure },
	"isAdmin":         func(a service.Actor) bool { return a.IsAdmin() },
	"accountRoles":    func() map[service.Role]string { return roleLabels },
	"accountStatuses": func() map[service.UserStatus]string { return accountStatusLabels },
	"accountStatus":   func(st service.UserStatus) string { return accountStatusLabels[st] },
	"barWidth":        barWidth,
	"add":             func(a, b int) int { return a + b },
	"input":           input,
	"has":             slices.Contains[[]string],
	"zoneLabel":       zoneLabel,
	"tenderStatus":    func(st domain.TenderStatus) string { return tenderStatusLabels[st] },
	"reservationLabel": func(r domain.Reservation) string {
		if l, ok := reservationLabels[r]; ok {
			return l
		}
		return reservationLabels[domain.ReservationNone]
	},
	"procedureLabel":  func(p string) string { return procedureLabels[p] },
	"roleSought":      func(r domain.RoleSought) string { return roleSoughtLabels[r] },
	"roleSoughtShort": func(r domain.RoleSought) string { return roleSoughtShort[r] },
	"matchReason":     matchReason,
	"callStatus":      func(st domain.CallStatus) string { return callStatusLabels[st] },
	"appStatus":       func(st domain.ApplicationStatus) string { return applicationStatusLabels[st] },
	"noticeLabel":     func(k string) string { return noticeLabels[k] },
	"declineLabel":    func(code string) string { return declineReasonLabels[code] },
	"communeNames": func(codes []string) string {
		names := make([]string, len(codes))
		for i, c := range codes {
			names[i] = communeName(c)
		}
		return strings.Join(names, ", ")
	},
	"percentOf": func(n, of int) int {
		if of <= 0 {
			return 0
		}
		return int(math.Round(float64(n) * 100 / float64(of)))
	},
	"barTable": func(caption string, rows []service.Count, largest int) barTable {
		return barTable{Caption: caption, Rows: rows, Largest: largest}
	},
}

func cpvLabel(code string) string {
	if c, ok := refdata.Default().CPV(code); ok {
		return c.Label
	}
	return code
}

func communeName(insee string) string {
	if c, ok := refdata.Default().Commune(insee); ok {
		return c.Name
	}
	return insee
}

func inclusionLabel(code string) string {
	if k, ok := refdata.Default().InclusionKind(code); ok {
		return k.Label
	}
	return code
}

// zoneLabel names a typed zone code ("commune:44109" → "Nantes").
func zoneLabel(zone string) string {
	z, err := domain.ParseZone(zone)
	if err != nil {
		return zone
	}
	ref := refdata.Default()
	switch z.Kind {
	case domain.ZoneCommune:
		return communeName(z.Code)
	case domain.ZoneDepartment:
		if d, ok := ref.Department(z.Code); ok {
			return d.Name + " (département)"
		}
	case domain.ZoneRegion:
		if r, ok := ref.Region(z.Code); ok {
			return r.Name + " (région)"
		}
	case domain.ZoneEPCI:
		if e, ok := ref.EPCI(z.Code); ok {
			return e.Name
		}
	}
	return zone
}

func areaText(a domain.Area) string {
	switch a.Scope {
	case domain.ScopeCountry:
		return "Toute la France"
	case domain.ScopeRadius:
		return fmt.Sprintf("Dans un rayon de %s km autour de la structure", strconv.FormatFloat(a.RadiusKM, 'f', -1, 64))
	case domain.ScopeZones:
		names := make([]string, len(a.Zones))
		for i, z := range a.Zones {
			names[i] = zoneLabel(z)
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// euros formats whole euros the French way: "1 234 567 €".
func euros(v any) string {
	var n int64
	switch x := v.(type) {
	case int64:
		n = x
	case *int64:
		if x == nil {
			return ""
		}
		n = *x
	case int:
		n = int64(x)
	case float64:
		n = int64(math.Round(x))
	default:
		return ""
	}
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + groupDigits(strconv.FormatInt(n, 10)) + " €"
}

// groupDigits separates thousands with a narrow no-break space, as French typography does.
func groupDigits(digits string) string {
	var b strings.Builder
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteRune('\u202f')
		}
		b.WriteRune(c)
	}
	return b.String()
}

var months = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
	"octobre", "novembre", "décembre"}

func dateFR(v any) string {
	var t time.Time
	switch x := v.(type) {
	case time.Time:
		t = x
	case *time.Time:
		if x == nil {
			return ""
		}
		t = *x
	default:
		return ""
	}
	return fmt.Sprintf("%d %s %d", t.Day(), months[t.Month()-1], t.Year())
}

// snippet marks up a highlighted fragment of the search index. The index HTML-escapes the indexed text and adds
// only <mark> and </mark>; anything else is escaped again here, so a fragment can never carry other markup.
func snippet(fragment string) template.HTML {
	escaped := template.HTMLEscapeString(fragment)
	escaped = strings.ReplaceAll(escaped, "&lt;mark&gt;", "<mark>")
	escaped = strings.ReplaceAll(escaped, "&lt;/mark&gt;", "</mark>")
	// The index escaped the text once; undo only our second escaping of its entities.
	escaped = strings.ReplaceAll(escaped, "&amp;", "&")
	return template.HTML(escaped) //nolint:gosec // only <mark> survives, see above
}

// barWidth is the width class of a bar in a CSS chart: a share of the largest value, in steps of 5 %.
func barWidth(n, largest int) int {
	if largest <= 0 {
		return 0
	}
	return int(math.Round(float64(n)/float64(largest)*20)) * 5
}

// barTable is a breakdown shown as a table with a bar per row.
type barTable struct {
	Caption string
	Rows    []service.Count
	Largest int
}

// snippets are the fragments worth showing for a hit: the name is already the title, empty fragments say nothing,
// and three are enough.
func snippets(h domain.SearchHit) []string {
	var out []string
	fields := make([]string, 0, len(h.Snippets))
	for f := range h.Snippets {
		if f != "name" && f != "brand" {
			fields = append(fields, f)
		}
	}
	slices.Sort(fields)
	for _, f := range fields {
		for _, frag := range h.Snippets[f] {
			if strings.TrimSpace(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(frag)) != "" && len(out) < 3 {
				out = append(out, frag)
			}
		}
	}
	return out
}

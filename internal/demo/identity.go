package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// sirenSpan is the size of the range SIREN bodies are drawn from (30000000–99999999, first digit 3 to 9 as for most
// legal units); striding through it with a step coprime to it gives every structure its own SIREN without a set.
const (
	sirenFloor = 30_000_000
	sirenSpan  = 70_000_000
	// laPosteBody is the body of La Poste's SIREN, whose establishments follow another check rule: never draw it.
	laPosteBody = 35_600_000
	// spareBody lies outside the range, so using it in place of La Poste's keeps SIRENs unique.
	spareBody = 29_999_999
)

// sirenSequence numbers structures with distinct SIRENs in a seed-dependent order.
type sirenSequence struct {
	offset, stride uint64
}

func newSirenSequence(r *rand.Rand) sirenSequence {
	stride := uint64(0)
	for stride%2 == 0 || stride%5 == 0 || stride%7 == 0 { // 70,000,000 = 2^7 · 5^7 · 7
		stride = 1_000_003 + r.Uint64N(sirenSpan-2_000_000)
	}
	return sirenSequence{offset: r.Uint64N(sirenSpan), stride: stride}
}

// identifiers returns the SIREN and a SIRET of the i-th structure; both pass the Luhn check.
func (s sirenSequence) identifiers(r *rand.Rand, i int) (siren, siret string) {
	body := sirenFloor + (s.offset+uint64(i)*s.stride)%sirenSpan
	if body == laPosteBody {
		body = spareBody
	}
	prefix := strconv.FormatUint(body, 10)
	siren = prefix + luhnDigit(prefix)
	// Establishment numbers (NIC) of small structures are low: 00012, 00024, 00038…
	nic := "000" + strconv.Itoa(1+r.IntN(9))
	return siren, siren + nic + luhnDigit(siren+nic)
}

// luhnDigit returns the digit that, appended to digits, makes the whole number pass the Luhn check.
func luhnDigit(digits string) string {
	sum := 0
	for j := range len(digits) {
		n := int(digits[len(digits)-1-j] - '0')
		if j%2 == 0 { // once the check digit is appended, these positions are the doubled ones
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return strconv.Itoa((10 - sum%10) % 10)
}

// Phone numbers come from the blocks ARCEP keeps for fiction (02 61 91 xx xx fixed, 06 39 98 xx xx mobile), so
// that no demo number rings a real subscriber.
func fictionalPhone(r *rand.Rand, block string) string {
	n := r.IntN(10_000)
	return block + " " + twoDigits(n/100) + " " + twoDigits(n%100)
}

const (
	landlineBlock = "02 61 91"
	mobileBlock   = "06 39 98"
)

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

type firstName struct {
	name     string
	feminine bool
}

// firstNames and lastNames are among the most common in France; their pairing is random, so representatives are
// fictitious people.
var firstNames = []firstName{
	{"Camille", true}, {"Léa", true}, {"Manon", true}, {"Chloé", true}, {"Inès", true}, {"Sarah", true},
	{"Julie", true}, {"Émilie", true}, {"Nathalie", true}, {"Sophie", true}, {"Isabelle", true}, {"Claire", true},
	{"Anne", true}, {"Hélène", true}, {"Aurélie", true}, {"Fatima", true}, {"Amina", true}, {"Nadia", true},
	{"Sandrine", true}, {"Valérie", true}, {"Maëlle", true}, {"Gwenaëlle", true}, {"Solène", true}, {"Louise", true},
	{"Thomas", false}, {"Nicolas", false}, {"Julien", false}, {"Maxime", false}, {"Antoine", false},
	{"Pierre", false}, {"Mathieu", false}, {"Sébastien", false}, {"Olivier", false}, {"Philippe", false},
	{"Christophe", false}, {"François", false}, {"Karim", false}, {"Mehdi", false}, {"Yann", false},
	{"Erwan", false}, {"Gaël", false}, {"Loïc", false}, {"Hugo", false}, {"Lucas", false}, {"Jérôme", false},
	{"Benoît", false}, {"Youssef", false}, {"Mamadou", false},
}

var lastNames = []string{
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent",
	"Simon", "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet",
	"Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
	"Chevalier", "Legrand", "Gauthier", "Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Mathieu",
	"Masson", "Marchand", "Duval", "Denis", "Lemaire", "Noël", "Meunier", "Brun", "Blanchard", "Giraud",
	"Le Gall", "Le Goff", "Le Roux", "Guillou", "Le Bihan", "Jaouen", "Tessier", "Bouvier", "Hamon", "Pichon",
	"Benali", "Diallo", "Nguyen", "Da Silva", "Haddad", "Traoré", "Cissé",
}

var roles = []struct{ masculine, feminine string }{
	{"Président", "Présidente"}, {"Directeur", "Directrice"}, {"Co-gérant", "Co-gérante"},
	{"Responsable des marchés publics", "Responsable des marchés publics"},
	{"Chargé de développement", "Chargée de développement"}, {"Encadrant technique", "Encadrante technique"},
	{"Coordinateur", "Coordinatrice"},
}

var representativeCounts = []weighted[int]{{0, 20}, {1, 50}, {2, 30}}

// representatives draws 0 to 2 fictitious people with e-mails on the structure's fictitious domain.
func representatives(r *rand.Rand, domainSlug string) []domain.Representative {
	n := pick(r, representativeCounts)
	if n == 0 {
		return nil
	}
	reps := make([]domain.Representative, 0, n)
	for len(reps) < n {
		first := firstNames[r.IntN(len(firstNames))]
		last := lastNames[r.IntN(len(lastNames))]
		name := first.name + " " + last
		if len(reps) > 0 && reps[0].Name == name {
			continue
		}
		role := roles[r.IntN(len(roles))]
		title := role.masculine
		if first.feminine {
			title = role.feminine
		}
		reps = append(reps, domain.Representative{
			Name:  name,
			Role:  title,
			Email: slug(first.name) + "." + strings.ReplaceAll(slug(last), "-", "") + "@" + domainSlug + ".example",
			Phone: fictionalPhone(r, mobileBlock),
		})
	}
	return reps
}

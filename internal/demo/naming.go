package demo

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// nameRetries is how many other names are tried before a used one gets a discriminator.
const nameRetries = 4

var mutualNames = []string{"Mutuelle {de}", "Mutualité Solidaire {de}", "{place} Mutuelle Services", "Mutuelle Entraide {de}"}

// name draws a name for the structure and records it. A name already used is drawn again a few times; when the
// templates run out (large counts), the commune and an ordinal tell namesakes apart:
// "Les Jardins de la Chézine (Rezé, n° 2)".
func (g *generator) name(t *trade, form legalForm, kind string, w *wording, c commune) string {
	var base string
	for range nameRetries {
		w.place = places[g.r.IntN(len(places))]
		base = g.baseName(t, form, kind, w)
		if g.nameUses[base] == 0 {
			break
		}
	}
	g.nameUses[base]++
	if n := g.nameUses[base]; n > 1 {
		return base + " (" + c.name + ", n° " + strconv.Itoa(n) + ")"
	}
	return base
}

func (g *generator) baseName(t *trade, form legalForm, kind string, w *wording) string {
	r := g.r
	templates := t.names
	if form.family == domain.FamilyMutual {
		templates = mutualNames
	}
	base := w.expand(templates[r.IntN(len(templates))])
	switch {
	case form.family == domain.FamilyFoundation && r.IntN(2) == 0:
		return "Fondation " + w.place.of
	case kind == "ESAT" && r.IntN(10) < 3:
		return "ESAT " + base
	case form.suffix != "" && r.IntN(10) < 4:
		return base + " " + form.suffix
	}
	return base
}

// brand gives about one structure in eight an acronym of its name's main words, as many use ("PSE" for Paysages
// Solidaires de l'Estuaire).
func brand(r *rand.Rand, name string) string {
	if r.IntN(8) != 0 {
		return ""
	}
	var b strings.Builder
	for _, word := range strings.FieldsFunc(name, func(c rune) bool { return c == ' ' || c == '\'' || c == '-' }) {
		first, _ := utf8.DecodeRuneInString(word)
		if utf8.RuneCountInString(word) < 3 || !unicode.IsUpper(first) {
			continue
		}
		b.WriteRune(first)
	}
	if utf8.RuneCountInString(b.String()) < 3 {
		return ""
	}
	return b.String()
}

var inclusionSentences = map[string]string{
	"ACI":  "Atelier et chantier d'insertion conventionné par l'État, elle accompagne chaque année des salariés en parcours vers l'emploi durable.",
	"EI":   "Entreprise d'insertion conventionnée, elle recrute en CDDI des personnes éloignées de l'emploi et les accompagne vers un emploi durable.",
	"ETTI": "Entreprise de travail temporaire d'insertion, elle propose des missions d'intérim accompagnées à des personnes éloignées de l'emploi.",
	"AI":   "Conventionnée par l'État, elle embauche des personnes en difficulté pour les mettre à disposition de particuliers, d'associations, de collectivités et d'entreprises.",
	"EITI": "Entreprise d'insertion par le travail indépendant, elle accompagne des travailleurs indépendants vers une activité pérenne.",
	"EA":   "Entreprise adaptée, elle emploie une majorité de travailleurs en situation de handicap.",
	"EATT": "Entreprise adaptée de travail temporaire, elle propose des missions d'intérim à des travailleurs handicapés, avec un accompagnement vers l'emploi durable.",
	"ESAT": "Son ESAT accueille des travailleurs en situation de handicap orientés par la MDPH et les accompagne dans leur projet professionnel.",
	"GEIQ": "Reconnue GEIQ, elle recrute en alternance des personnes éloignées de l'emploi et les met à disposition de ses entreprises adhérentes.",
}

// aboutCounts is how many sentences on its trade a structure description holds.
var aboutCounts = []weighted[int]{{0, 3}, {1, 5}, {2, 2}}

// structureDescription writes 1 to 3 sentences: what the structure is, what it does, and its inclusion mission.
func structureDescription(r *rand.Rand, t *trade, form legalForm, basis domain.ESSBasis, kind string, w *wording) string {
	var b strings.Builder
	b.Grow(400)
	if r.IntN(2) == 0 {
		b.WriteString(w.name + " est une " + form.description(basis) + " créée en " + w.year + " " + w.at + ".")
	} else {
		b.WriteString("Créée en " + w.year + " " + w.at + ", " + w.name + " est une " + form.description(basis) + ".")
	}
	// Up to two consecutive sentences on the trade, then the inclusion mission: three sentences at most.
	about := pick(r, aboutCounts)
	if kind != "" {
		about = min(about, 1)
	}
	about = min(about, len(t.about))
	start := 0
	if r.IntN(2) == 0 {
		start = r.IntN(len(t.about) - about + 1)
	}
	for _, sentence := range t.about[start : start+about] {
		b.WriteString(" " + w.expand(sentence))
	}
	if kind != "" {
		b.WriteString(" " + inclusionSentences[kind])
	}
	return b.String()
}

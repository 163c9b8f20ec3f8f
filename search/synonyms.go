package search

// Trade synonyms are expanded at query time, not at index time: the index stays stable when the list changes (no
// rebuild), and an expansion scores below the words the buyer typed. Each group lists equivalent phrases; when
// the analysed query contains one phrase of a group (after folding, elision and light stemming, so "Espace vert"
// matches "espaces verts"), each of its words also matches the group's other phrases, with a lower weight
// (synonymBoost). A group may also name inclusion terms, matched on the structure's inclusion kinds and families
// ("handicap" finds EA, EATT and ESAT; "chantier d'insertion" finds ACI; "insertion" finds every SIAE), and
// trade nouns are paired with the activity so that CPV labels name them ("menuisier" → "menuiserie" → CPV
// 45421000 "Travaux de menuiserie").
//
// The list is deliberately short: it holds the words buyers actually type that the directory's texts spell
// otherwise. Add a group when a judged query shows a miss; never add generic words ("services", "travaux").
type synonymGroup struct {
	phrases   []string
	inclusion []string
	// titled marks a trade the CPV catalogue has no code for (recycleries): only the offer titles say what an offer
	// is about, so an expanded phrase counts there too, as a typed word does.
	titled bool
}

var synonymGroups = []synonymGroup{
	{phrases: []string{"nettoyage", "propreté", "entretien des locaux", "ménage", "nettoyage de locaux"}},
	{phrases: []string{"espaces verts", "paysagiste", "jardinier", "jardinage", "entretien des jardins", "élagage"}},
	{phrases: []string{"traiteur", "restauration", "repas", "restauration collective", "plateaux repas"}},
	{phrases: []string{"recyclerie", "ressourcerie", "réemploi", "recyclage"}, titled: true},
	{phrases: []string{"menuisier", "menuiserie"}},
	{phrases: []string{"plombier", "plomberie"}},
	{phrases: []string{"électricien", "électricité"}},
	{phrases: []string{"peintre", "peinture"}},
	{phrases: []string{"maçon", "maçonnerie"}},
	{phrases: []string{"couvreur", "couverture"}},
	{phrases: []string{"imprimeur", "imprimerie", "impression"}},
	{phrases: []string{"blanchisserie", "pressing", "laverie", "linge"}},
	{phrases: []string{"déménagement", "déménageur"}},
	{phrases: []string{"vélo", "cycle", "bicyclette"}},
	{phrases: []string{"informatique", "numérique"}},
	{phrases: []string{"handicap", "handicapé", "entreprise adaptée", "travailleurs handicapés"}, inclusion: []string{"handicap"}},
	{phrases: []string{"esat", "établissement et service d'aide par le travail"}, inclusion: []string{"esat"}},
	{phrases: []string{"chantier d'insertion", "atelier chantier d'insertion"}, inclusion: []string{"aci"}},
	{phrases: []string{"entreprise d'insertion"}, inclusion: []string{"ei"}},
	{phrases: []string{"association intermédiaire"}, inclusion: []string{"ai"}},
	{phrases: []string{"intérim d'insertion", "travail temporaire d'insertion"}, inclusion: []string{"etti"}},
	{phrases: []string{"insertion", "iae", "siae", "inclusion"}, inclusion: []string{"siae"}},
	{phrases: []string{"geiq", "groupement d'employeurs"}, inclusion: []string{"geiq"}},
}

// synonymBoost weighs an expanded phrase against the typed words (1).
const synonymBoost = 0.7

// synonymIndex is synonymGroups analysed once: each phrase as its stems.
type synonymIndex struct {
	groups [][][]string // group → phrase → stems
	incl   [][]string
	titled []bool
	stems  map[string]bool
}

func newSynonymIndex(an analyzers) *synonymIndex {
	ix := &synonymIndex{stems: map[string]bool{}}
	for _, g := range synonymGroups {
		var phrases [][]string
		for _, p := range g.phrases {
			if stems := terms(an.stem, p); len(stems) > 0 {
				phrases = append(phrases, stems)
				for _, s := range stems {
					ix.stems[s] = true
				}
			}
		}
		ix.groups = append(ix.groups, phrases)
		ix.incl = append(ix.incl, g.inclusion)
		ix.titled = append(ix.titled, g.titled)
	}
	return ix
}

// expansion is what synonyms add to one query word.
type expansion struct {
	phrases   [][]string
	inclusion []string
	titled    []bool // per phrase: also looked for in offer titles (synonymGroup.titled)
}

// expand finds the groups whose phrases occur in the query stems and returns, per word position, the other
// phrases and inclusion terms it also matches.
func (s *synonymIndex) expand(stems []string) []expansion {
	out := make([]expansion, len(stems))
	for g, phrases := range s.groups {
		for p, phrase := range phrases {
			for start := 0; start+len(phrase) <= len(stems); start++ {
				if !equalAt(stems, start, phrase) {
					continue
				}
				for pos := start; pos < start+len(phrase); pos++ {
					for q, other := range phrases {
						if q != p {
							out[pos].phrases = append(out[pos].phrases, other)
							out[pos].titled = append(out[pos].titled, s.titled[g])
						}
					}
					out[pos].inclusion = append(out[pos].inclusion, s.incl[g]...)
				}
			}
		}
	}
	return out
}

// has reports whether a stem is a word of some synonym phrase.
func (s *synonymIndex) has(stem string) bool { return s.stems[stem] }

func equalAt(stems []string, start int, phrase []string) bool {
	for i, w := range phrase {
		if stems[start+i] != w {
			return false
		}
	}
	return true
}

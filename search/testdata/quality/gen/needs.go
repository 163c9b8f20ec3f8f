package main

type grades = map[string]int

var (
	greenSpaces = grades{"7731": 3, "7734": 3, "451127": 2, "772113": 1}
	joinery     = grades{"45421": 3, "45422": 2}
	cleaning    = grades{"9091": 3, "9061": 1}
	catering    = grades{"5552": 3, "5532": 2, "55512": 2, "553": 1}
	laundry     = grades{"9831": 3}
	printing    = grades{"7981": 3, "7982": 3, "79521": 2}
	moving      = grades{"98392": 3, "631": 1}
	painting    = grades{"45442": 3, "45443": 3, "454400": 3, "45441": 1, "4543": 1}
	handicap    = []string{"EA", "EATT", "ESAT"}
	siae        = []string{"EI", "AI", "ACI", "ETTI", "EITI"}
	recycling   = grades{"collecte d objets": 3, "vente de mobilier de reemploi": 3, "debarras": 2}
)

func needs() []need {
	return []need{
		// Accents left out, plurals, typos, trade nouns.
		{ID: "cafe", Text: "cafe", Why: "accent left out: Café names", names: grades{"cafe": 3}, titles: grades{"buffets et pauses cafe": 2}},
		{ID: "menuiserie", Text: "menuiserie", Why: "trade word", prefixes: joinery},
		{ID: "menuisier", Text: "menuisier", Why: "trade noun → menuiserie, CPV 45421000 only evidence for some", prefixes: joinery},
		{ID: "menusierie", Text: "menusierie", Why: "typo", prefixes: joinery},
		{ID: "menuiseries-ext", Text: "menuiseries exterieures", Why: "plural, accent left out", prefixes: grades{"45421": 3}},
		{ID: "cpv-menuiserie", Text: "travaux de menuiserie", Why: "CPV label 45421000", prefixes: joinery},
		{ID: "espaces-verts", Text: "espaces verts", Why: "trade phrase", prefixes: greenSpaces},
		{ID: "espace-vert", Text: "espace vert", Why: "singular", prefixes: greenSpaces},
		{ID: "entretien-ev", Text: "entretien des espaces verts", Why: "CPV-like phrase, generic word entretien", prefixes: greenSpaces},
		{ID: "paysagiste", Text: "paysagiste", Why: "synonym of espaces verts", prefixes: grades{"451127": 3, "7731": 3, "7734": 2}},
		{ID: "jardinier", Text: "jardinier", Why: "synonym of espaces verts", prefixes: greenSpaces},
		{ID: "elagage", Text: "elagage", Why: "accent left out", prefixes: grades{"7734": 3, "772114": 3, "7731": 1}},
		{ID: "abattage", Text: "abattage d'arbres", Why: "CPV label 77211400", prefixes: grades{"772114": 3, "7734": 3}},
		{ID: "nettoyage", Text: "nettoyage", Why: "trade word", prefixes: cleaning},
		{ID: "nettoyge", Text: "nettoyge locaux", Why: "typo", prefixes: cleaning},
		{ID: "proprete", Text: "proprete des locaux", Why: "synonym of nettoyage, accent left out", prefixes: cleaning},
		{ID: "menage-bureaux", Text: "menage bureaux", Why: "synonym: office cleaning", prefixes: grades{"909192": 3, "9091": 2}},
		{ID: "nettoyage-ecoles", Text: "nettoyage ecoles", Why: "plural, accent left out", prefixes: grades{"909193": 3, "9091": 2}},
		{ID: "vitres", Text: "lavage de vitres", Why: "specific service", prefixes: grades{"909113": 3, "9091": 1}},
		{ID: "traiteur", Text: "traiteur", Why: "trade word", prefixes: catering},
		{ID: "restauration-collective", Text: "restauration collective", Why: "synonym of traiteur", prefixes: grades{"5532": 3, "55512": 3, "5552": 2, "553": 2}},
		{ID: "plateaux-repas", Text: "plateaux repas", Why: "synonym of traiteur", prefixes: grades{"5552": 3, "553": 1}},
		{ID: "portage-repas", Text: "portage de repas", Why: "specific service", prefixes: grades{"55521": 3, "5552": 1}},
		{ID: "recyclerie", Text: "recyclerie", Why: "trade word", titles: recycling, names: grades{"recyclerie": 3, "ressourcerie": 3}},
		{ID: "ressourcerie", Text: "ressourcerie", Why: "synonym of recyclerie", titles: recycling, names: grades{"recyclerie": 3, "ressourcerie": 3}},
		{ID: "reemploi-mobilier", Text: "mobilier reemploi", Why: "accent left out", titles: grades{"vente de mobilier de reemploi": 3, "collecte d objets": 1}},
		{ID: "dechets", Text: "collecte des dechets", Why: "CPV 90511000", prefixes: grades{"9051": 3, "9061": 1}},
		{ID: "blanchisserie", Text: "blanchisserie", Why: "trade word", prefixes: laundry},
		{ID: "blanchiserie", Text: "blanchiserie", Why: "typo", prefixes: laundry},
		{ID: "linge", Text: "pressing linge", Why: "synonym of blanchisserie", prefixes: laundry},
		{ID: "imprimerie", Text: "imprimerie", Why: "trade word", prefixes: printing},
		{ID: "imprimeur", Text: "imprimeur", Why: "trade noun", prefixes: printing},
		{ID: "demenagement", Text: "demenagement", Why: "accent left out", prefixes: moving},
		{ID: "demenageur", Text: "demenageur bureaux", Why: "trade noun", prefixes: moving},
		{ID: "livraison-velo", Text: "livraison velo", Why: "accent left out", prefixes: grades{"60161": 3, "6412": 2}, titles: grades{"livraison du dernier kilometre a velo": 3}},
		{ID: "informatique", Text: "informatique", Why: "broad trade", prefixes: grades{"302": 3, "50312": 3, "72": 3}},
		{ID: "ordinateurs", Text: "ordinateurs reconditionnes", Why: "plural, accent left out", prefixes: grades{"30213": 3, "302": 2}},
		{ID: "site-web", Text: "site web accessible", Why: "CPV 72413000", prefixes: grades{"72413": 3, "7221": 2}},
		{ID: "peintre", Text: "peintre", Why: "trade noun → peinture", prefixes: painting},
		{ID: "peinture-facade", Text: "ravalement de facades", Why: "CPV 45443000, accent left out", prefixes: grades{"45443": 3, "45442": 1}},
		{ID: "plombier", Text: "plombier", Why: "trade noun → plomberie", prefixes: grades{"4533": 3}},
		{ID: "electricien", Text: "electricien", Why: "trade noun → électricité", prefixes: grades{"4531": 3}},
		{ID: "isolation", Text: "isolation thermique", Why: "CPV 45321000", prefixes: grades{"4532": 3}},
		{ID: "mobilier-bureau", Text: "mobilier de bureau", Why: "CPV 39130000", prefixes: grades{"3913": 3, "391": 1}},
		{ID: "vetements", Text: "vetements de travail", Why: "CPV 18110000, accent left out", prefixes: grades{"181": 3, "9831": 1}},
		{ID: "couture", Text: "retouches couture", Why: "word order", prefixes: grades{"98393": 3, "50830": 3}},
		{ID: "accueil", Text: "accueil telephonique", Why: "accent left out", prefixes: grades{"79992": 3, "7951": 3}},
		{ID: "mise-sous-pli", Text: "mise sous pli", Why: "phrase", prefixes: grades{"79571": 3, "79921": 2, "79821": 2}},
		{ID: "aide-domicile", Text: "aide a domicile", Why: "accent left out", prefixes: grades{"985133": 3, "8531": 1}},
		// Inclusion semantics.
		{ID: "handicap", Text: "handicap", Why: "EA, EATT, ESAT", kinds: handicap, kindGrade: 3},
		{ID: "esat", Text: "ESAT", Why: "kind", kinds: []string{"ESAT"}, kindGrade: 3},
		{ID: "entreprise-adaptee", Text: "entreprise adaptee", Why: "EA, EATT", kinds: []string{"EA", "EATT"}, kindGrade: 3},
		{ID: "chantier-insertion", Text: "chantier d'insertion", Why: "ACI", kinds: []string{"ACI"}, kindGrade: 3},
		{ID: "aci-ev", Text: "chantier insertion espaces verts", Why: "ACI doing green spaces", kinds: []string{"ACI"}, prefixes: greenSpaces},
		{ID: "insertion-nettoyage", Text: "insertion nettoyage", Why: "SIAE cleaning", kinds: siae, prefixes: cleaning},
		{ID: "esat-ev", Text: "esat espaces verts", Why: "ESAT green spaces", kinds: []string{"ESAT"}, prefixes: greenSpaces},
		{ID: "ea-nettoyage", Text: "entreprise adaptee nettoyage", Why: "EA cleaning", kinds: []string{"EA", "EATT"}, prefixes: cleaning},
		{ID: "handicap-ev", Text: "travailleurs handicapes espaces verts", Why: "sheltered green spaces", kinds: handicap, prefixes: greenSpaces},
		{ID: "interim-insertion", Text: "interim d'insertion", Why: "ETTI, EITI", kinds: []string{"ETTI", "EITI"}, kindGrade: 3},
		// A commune named in the text: the offer must cover it.
		{ID: "ev-reze", Text: "entretien espaces verts Rezé", Why: "commune in text", covers: "44143", prefixes: greenSpaces},
		{ID: "ev-reze-noaccent", Text: "espaces verts reze", Why: "commune in text, accent left out", covers: "44143", prefixes: greenSpaces},
		{ID: "nettoyage-sh", Text: "nettoyage de bureaux Saint-Herblain", Why: "commune in text", covers: "44162", prefixes: grades{"909192": 3, "9091": 2}},
		{ID: "traiteur-nantes", Text: "traiteur Nantes", Why: "commune in text", covers: "44109", prefixes: catering},
		{ID: "menuisier-orvault", Text: "menuisier orvault", Why: "commune in text", covers: "44114", prefixes: joinery},
		{ID: "demenagement-luce", Text: "déménagement Sainte-Luce-sur-Loire", Why: "commune in text, hyphenated", covers: "44172", prefixes: moving},
		{ID: "recyclerie-vertou", Text: "recyclerie à Vertou", Why: "commune in text with preposition", covers: "44215", titles: recycling, names: grades{"recyclerie": 3, "ressourcerie": 3}},
		{ID: "blanchisserie-bouguenais", Text: "blanchisserie bouguenais", Why: "commune in text", covers: "44020", prefixes: laundry},
		{ID: "imprimerie-chapelle", Text: "imprimerie la chapelle sur erdre", Why: "commune in text, no hyphens", covers: "44035", prefixes: printing},
		{ID: "esat-carquefou", Text: "esat carquefou", Why: "kind and commune in text", covers: "44026", kinds: []string{"ESAT"}, kindGrade: 3},
		// Commune coverage as a filter.
		{ID: "ev-filter-reze", Text: "espaces verts", Commune: "44143", Why: "commune filter", covers: "44143", prefixes: greenSpaces},
		{ID: "nettoyage-filter-sautron", Text: "nettoyage", Commune: "44194", Why: "commune filter", covers: "44194", prefixes: cleaning},
		{ID: "repas-filter-bouguenais", Text: "repas", Commune: "44020", Why: "commune filter", covers: "44020", prefixes: grades{"5552": 3, "553": 2, "5551": 2}},
	}
}

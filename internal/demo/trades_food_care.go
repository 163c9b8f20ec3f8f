package demo

import "github.com/essor-ess/essor/internal/domain"

// cafeTrade is the key of the associative cafés the generator places on purpose: search tests look for "café".
const cafeTrade = "cafe"

// foodAndCareTrades: catering, associative cafés, home care, culture and events.
var foodAndCareTrades = []trade{
	{
		key: "restauration", weight: 8, naf: []string{"56.21Z", "56.29A", "56.10A"},
		names: []string{
			"Traiteur Solidaire {de}", "La Cuisine {de}", "Les Toques {de}", "Saveurs {de}", "Le Goût {de}",
			"La Marmite {de}", "Cantine {de}", "Cuisine Centrale Solidaire {de}", "Les Petits Plats {de}",
		},
		about: []string{
			"Sa cuisine prépare chaque jour des repas à base de produits bio et locaux, achetés en circuit court.",
			"Elle lutte contre le gaspillage alimentaire en ajustant ses commandes et en redistribuant ses surplus.",
			"Ses menus comptent au moins une option végétarienne quotidienne.",
		},
		offers: []offerTemplate{
			{title: "Traiteur bio et local pour vos événements", kind: domain.OfferService,
				cpv: []string{"55520000-1", "55523000-2", "15894200-3"},
				text: []string{
					"Buffets, cocktails et plateaux-repas cuisinés à partir de produits de saison issus de fermes voisines.",
					"Vaisselle réutilisable et gestion des biodéchets incluses.",
					"De dix à cinq cents convives.",
				}},
			{title: "Restauration scolaire en liaison froide", kind: domain.OfferService,
				cpv: []string{"55523100-3", "55321000-6", "55320000-9", "15894210-6"},
				text: []string{
					"Préparation et livraison de repas pour les écoles et les centres de loisirs, conformes à la loi EGalim.",
					"Menus élaborés avec une diététicienne et présentés aux commissions de restauration.",
				}},
			{title: "Portage de repas à domicile", kind: domain.OfferService,
				cpv: []string{"55521100-9", "55521200-0"},
				text: []string{
					"Livraison de repas équilibrés aux personnes âgées, avec régimes adaptés.",
					"Le livreur est aussi un lien social : il signale toute situation préoccupante.",
				}},
			{title: "Gestion de restaurant collectif", kind: domain.OfferService,
				cpv: []string{"55512000-2", "55300000-3", "55320000-9"},
				text: []string{
					"Gestion complète de restaurants d'entreprise et de restaurants administratifs.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"EI", 3}, {"ACI", 2}, {"ESAT", 2}, {"EA", 1}},
		labels:       []string{"Ecocert En Cuisine", "Agriculture biologique"},
	},
	{
		key: cafeTrade, weight: 2, naf: []string{"56.30Z", "56.10A", "94.99Z"},
		names: []string{
			"Le Café des Possibles", "Le Café des Habitants {de}", "Café Solidaire {de}", "Le Café des Familles {de}",
			"Café Associatif {de}", "Le Café des Bricoleurs {de}", "Café Culturel {de}", "Le Café des Voisins {de}",
			"Café Pirate {de}", "Le Café des Enfants {de}",
		},
		about: []string{
			"Ce tiers-lieu de quartier réunit un café associatif, une salle d'activités et des ateliers ouverts à tous.",
			"Bénévoles et salariés y proposent une cuisine simple, faite maison, à prix accessibles.",
			"On y vient aussi pour réparer un objet, jouer en famille ou assister à un concert.",
		},
		offers: []offerTemplate{
			{title: "Location de salle et accueil d'événements", kind: domain.OfferService,
				cpv: []string{"79952000-2", "55300000-3"},
				text: []string{
					"Salle de quarante places avec équipement de projection, pour réunions, formations et concertations.",
					"Café d'accueil et déjeuner sur place possibles.",
				}},
			{title: "Buffets et pauses café", kind: domain.OfferService,
				cpv: []string{"55520000-1", "55400000-4"},
				text: []string{
					"Pauses café, petits-déjeuners et buffets faits maison, livrés dans les locaux de nos clients.",
				}},
			{title: "Ateliers et animations de quartier", kind: domain.OfferService,
				cpv: []string{"92331210-5", "92000000-1", "85312000-9"},
				text: []string{
					"Animations intergénérationnelles, ateliers parents-enfants et soirées jeux pour les centres sociaux et les bailleurs.",
				}},
			{title: "Ateliers de réparation participatifs", kind: domain.OfferService,
				cpv: []string{"50830000-2", "98390000-3", "90713000-8"},
				text: []string{
					"Des bénévoles aident les habitants à réparer petit électroménager, vêtements et vélos.",
				}},
		},
		inclusionPct: 15,
		kinds:        []weighted[string]{{"ACI", 2}, {"ESAT", 1}},
	},
	{
		key: "services-personne", weight: 4, naf: []string{"88.10A", "88.10B", "88.99B"},
		mutualOK: true, foundationOK: true,
		names: []string{
			"Aide & Présence {de}", "Les Services de Proximité {de}", "Domicile Solidaire {de}", "Bien Chez Soi {de}",
			"Le Fil d'Ariane {de}", "Entraide {de}", "Accompagner {de}",
		},
		about: []string{
			"Elle accompagne à domicile des personnes âgées, des personnes handicapées et des familles fragilisées.",
			"Ses intervenants sont salariés, formés et encadrés par une coordinatrice de secteur.",
		},
		offers: []offerTemplate{
			{title: "Aide à domicile", kind: domain.OfferService,
				cpv: []string{"98513310-8", "85312000-9", "85310000-5"},
				text: []string{
					"Aide aux gestes de la vie quotidienne, aux repas et à l'entretien du logement.",
					"Interventions 7 jours sur 7, y compris les jours fériés.",
				}},
			{title: "Accompagnement des personnes en situation de handicap", kind: domain.OfferService,
				cpv: []string{"85311200-4", "85312000-9"},
				text: []string{
					"Accompagnement à la vie sociale, aux sorties et aux démarches administratives.",
				}},
			{title: "Ménage et repassage chez les particuliers", kind: domain.OfferService,
				cpv: []string{"98513000-2", "98315000-4"},
				text: []string{
					"Ménage, repassage et petits travaux, avec avance immédiate du crédit d'impôt.",
				}},
			{title: "Médiation sociale et accès aux droits", kind: domain.OfferService,
				cpv: []string{"85320000-8", "85312400-3", "85300000-2"},
				text: []string{
					"Médiateurs présents dans les quartiers et les transports pour prévenir les conflits et orienter vers les services publics.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"AI", 2}, {"ACI", 1}},
	},
	{
		key: "culture", weight: 4, naf: []string{"90.01Z", "82.30Z", "90.04Z", "59.11C"},
		foundationOK: true,
		names: []string{
			"La Fabrique {de}", "Compagnie Marée Haute {de}", "Scènes Partagées {de}", "Collectif Tintamarre {de}",
			"Les Tréteaux {de}", "La Guinguette {de}", "Festi'{place}", "Images & Territoires {de}",
		},
		about: []string{
			"Elle crée des spectacles et des événements culturels avec et pour les habitants.",
			"Ses événements sont éco-conçus : vaisselle réutilisable, toilettes sèches, mobilités douces.",
		},
		offers: []offerTemplate{
			{title: "Organisation d'événements éco-conçus", kind: domain.OfferService,
				cpv: []string{"79952000-2", "79952100-3", "79950000-8"},
				text: []string{
					"Conception et régie de fêtes de quartier, de forums et d'inaugurations, de la programmation au démontage.",
					"Bilan carbone de l'événement remis au client.",
				}},
			{title: "Spectacles et médiation culturelle", kind: domain.OfferService,
				cpv: []string{"92312000-1", "92310000-7"},
				text: []string{
					"Spectacles tout public, lectures et ateliers de pratique artistique dans les écoles et les médiathèques.",
				}},
			{title: "Régie son et lumière", kind: domain.OfferService,
				cpv: []string{"92370000-5", "92320000-0"},
				text: []string{
					"Sonorisation, éclairage et régie technique pour les salles de spectacle et les événements en plein air.",
				}},
			{title: "Production de films et de vidéos", kind: domain.OfferService,
				cpv: []string{"92111000-2"},
				text: []string{
					"Films institutionnels, reportages et vidéos participatives tournés avec les habitants.",
				}, wide: true},
		},
		inclusionPct: 5,
		kinds:        []weighted[string]{{"ACI", 1}},
	},
}

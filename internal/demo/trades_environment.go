package demo

import "github.com/essor-ess/essor/internal/domain"

// environmentTrades: green spaces, cleaning, laundry, reuse, waste, market gardening.
var environmentTrades = []trade{
	{
		key: "espaces-verts", weight: 11, naf: []string{"81.30Z"},
		names: []string{
			"Les Jardins {de}", "Jardins & Chantiers {de}", "Les Potagers {de}", "Paysages Solidaires {de}",
			"Les Semeurs {de}", "Vert {place} Insertion", "Le Chantier Nature {de}", "Les Haies Vives {de}",
			"{place} Paysage", "Les Jardiniers {de}", "Brins d'Herbe {de}", "Terre & Sève {de}",
		},
		about: []string{
			"Ses équipes entretiennent parcs, cimetières, pieds d'immeubles et bords de route sans aucun produit phytosanitaire.",
			"Elle pratique la gestion différenciée et la fauche tardive pour laisser de la place à la biodiversité.",
			"Les déchets verts sont broyés et valorisés en paillage sur place.",
		},
		offers: []offerTemplate{
			{title: "Entretien des espaces verts", kind: domain.OfferService,
				cpv: []string{"77310000-6", "77311000-3", "77313000-7", "77314000-4", "77312000-0"},
				text: []string{
					"Tonte, désherbage manuel et mécanique, ramassage des feuilles et entretien des massifs, en contrat annuel ou ponctuel.",
					"Nous intervenons pour des communes, des bailleurs sociaux et des copropriétés.",
					"Zéro phyto, outillage électrique sur batterie pour limiter le bruit près des écoles.",
				}},
			{title: "Taille, élagage et abattage", kind: domain.OfferService,
				cpv: []string{"77340000-5", "77211400-6", "77211500-7"},
				text: []string{
					"Taille douce des haies et des arbres d'alignement, élagage raisonné et abattage d'arbres dangereux.",
					"Nos grimpeurs-élagueurs sont certifiés et les rémanents sont broyés sur place.",
				}},
			{title: "Création d'aménagements paysagers", kind: domain.OfferWorks,
				cpv: []string{"45112710-5", "45112700-2", "45112712-9", "45112711-2"},
				text: []string{
					"Conception et réalisation de massifs, plantations de haies bocagères, engazonnement et petits ouvrages paysagers.",
					"Nous privilégions les essences locales et peu gourmandes en eau.",
					"Chantiers menés par des équipes en parcours d'insertion encadrées par des paysagistes.",
				}},
			{title: "Débroussaillage et entretien de berges", kind: domain.OfferService,
				cpv: []string{"77312000-0", "77314000-4", "77211300-5"},
				text: []string{
					"Débroussaillage de terrains, fauche de prairies et entretien des berges de cours d'eau.",
					"Interventions possibles en zones humides avec du matériel léger.",
				}},
			{title: "Jardins partagés et potagers pédagogiques", kind: domain.OfferService,
				cpv: []string{"77310000-6", "45112712-9", "92331210-5"},
				text: []string{
					"Création et animation de jardins partagés au pied des immeubles et dans les cours d'école.",
					"Ateliers de jardinage au naturel pour les habitants et les enfants.",
				}},
		},
		inclusionPct: 40,
		kinds:        []weighted[string]{{"ACI", 5}, {"ESAT", 3}, {"EA", 2}, {"EI", 2}},
		labels:       []string{"Label EcoJardin", "Charte zéro phyto"},
	},
	{
		key: "proprete", weight: 10, naf: []string{"81.21Z", "81.22Z"},
		names: []string{
			"Propreté Solidaire {de}", "Net'{place}", "Les Ateliers du Propre {de}", "Clair Net {de}",
			"{place} Nettoyage Services", "Éclat {de}", "Brillance {de}", "Lumière & Propreté {de}",
		},
		about: []string{
			"Elle assure le nettoyage de bureaux, d'écoles et de parties communes avec des produits écolabellisés.",
			"Les horaires en journée sont privilégiés pour améliorer les conditions de travail des agents.",
			"Ses agents sont formés aux techniques de nettoyage et aux gestes et postures.",
		},
		offers: []offerTemplate{
			{title: "Nettoyage de bureaux et locaux administratifs", kind: domain.OfferService,
				cpv: []string{"90919200-4", "90911200-8", "90910000-9", "90919000-2"},
				text: []string{
					"Entretien quotidien ou hebdomadaire de bureaux, sanitaires et salles de réunion.",
					"Produits écolabellisés et microfibres pour réduire la consommation d'eau.",
					"Contrôle qualité contradictoire chaque mois avec le client.",
				}},
			{title: "Nettoyage des écoles et équipements sportifs", kind: domain.OfferService,
				cpv: []string{"90919300-5", "90911200-8", "90910000-9"},
				text: []string{
					"Entretien des écoles, gymnases et salles municipales, y compris grands nettoyages pendant les vacances scolaires.",
					"Équipes habituées aux protocoles sanitaires renforcés.",
				}},
			{title: "Lavage de vitres", kind: domain.OfferService,
				cpv: []string{"90911300-9", "90911200-8"},
				text: []string{
					"Lavage de vitres et de façades vitrées jusqu'à huit mètres, à la perche à eau pure.",
				}},
			{title: "Remise en état et nettoyage de fin de chantier", kind: domain.OfferService,
				cpv: []string{"90911200-8", "90910000-9"},
				text: []string{
					"Nettoyage de fin de chantier et remise en état de logements avant relocation.",
					"Évacuation et tri des déchets de chantier vers les filières adaptées.",
				}},
			{title: "Propreté urbaine et enlèvement de graffitis", kind: domain.OfferService,
				cpv: []string{"90610000-6", "90690000-0"},
				text: []string{
					"Balayage manuel, ramassage des dépôts sauvages et enlèvement de graffitis sur le domaine public.",
					"Intervention sous 48 heures sur signalement.",
				}},
		},
		inclusionPct: 30,
		kinds:        []weighted[string]{{"EI", 4}, {"EA", 3}, {"ACI", 2}, {"ESAT", 1}},
		labels:       []string{"Écolabel européen (produits)"},
	},
	{
		key: "blanchisserie", weight: 4, naf: []string{"96.01A"},
		names: []string{
			"Blanchisserie {de}", "La Lingerie Solidaire {de}", "Linge & Services {de}", "Les Lavandières {de}",
			"Blanc de {place}", "Atelier Linge {de}",
		},
		about: []string{
			"Son atelier traite chaque semaine plusieurs tonnes de linge pour des établissements de santé, des crèches et des restaurants.",
			"Les lessives sont sans phosphates et l'eau de rinçage est recyclée.",
		},
		offers: []offerTemplate{
			{title: "Blanchisserie du linge plat et des vêtements de travail", kind: domain.OfferService,
				cpv: []string{"98310000-9", "98315000-4"},
				text: []string{
					"Lavage, séchage, repassage et pliage du linge plat, des tenues de cuisine et des vêtements de travail.",
					"Traçabilité du linge et respect de la méthode RABC pour les établissements de santé.",
				}},
			{title: "Collecte et livraison du linge", kind: domain.OfferService,
				cpv: []string{"98311000-6", "98310000-9"},
				text: []string{
					"Tournées de collecte et de livraison du linge chez nos clients, une à trois fois par semaine.",
				}},
			{title: "Retouches et réparation de textiles", kind: domain.OfferService,
				cpv: []string{"50830000-2", "98393000-4"},
				text: []string{
					"Réparation des vêtements de travail, des rideaux et du linge de collectivité pour prolonger leur durée de vie.",
				}},
		},
		inclusionPct: 60,
		kinds:        []weighted[string]{{"ESAT", 4}, {"EA", 3}, {"ACI", 2}, {"EI", 1}},
	},
	{
		key: "recyclerie", weight: 6, naf: []string{"47.79Z", "38.32Z"},
		names: []string{
			"La Ressourcerie {de}", "Recyclerie {de}", "Le Grenier Solidaire {de}", "Le Troc {de}",
			"La Boîte à Réemploi {de}", "Second Souffle {de}", "Les Ateliers du Réemploi {de}", "Réemploi {place}",
		},
		about: []string{
			"Elle collecte, trie, répare et revend à petits prix les objets, meubles et vêtements dont d'autres n'ont plus l'usage.",
			"Chaque année, plusieurs centaines de tonnes sont ainsi détournées de l'enfouissement.",
			"Sa boutique accueille aussi des ateliers de réparation ouverts aux habitants.",
		},
		offers: []offerTemplate{
			{title: "Collecte d'objets et d'encombrants pour le réemploi", kind: domain.OfferService,
				cpv: []string{"90511000-2", "90512000-9", "90500000-2"},
				text: []string{
					"Collecte sur rendez-vous ou en apport volontaire d'objets, de mobilier et d'équipements réutilisables.",
					"Tenue de points de réemploi dans les déchèteries.",
				}},
			{title: "Vente de mobilier de réemploi", kind: domain.OfferSupply,
				cpv: []string{"39100000-3", "39130000-2", "39150000-8", "39160000-1"},
				text: []string{
					"Mobilier de bureau, scolaire et de collectivité remis en état et garanti, livré et installé.",
					"Une alternative au neuf qui réduit l'empreinte carbone de l'équipement.",
				}},
			{title: "Débarras et vidage de locaux", kind: domain.OfferService,
				cpv: []string{"90511000-2", "90500000-2", "98392000-7"},
				text: []string{
					"Vidage de bureaux, d'écoles ou de logements avec tri pour le réemploi et le recyclage.",
					"Bilan des tonnages réemployés et recyclés remis en fin d'intervention.",
				}},
			{title: "Sensibilisation à la réduction des déchets", kind: domain.OfferService,
				cpv: []string{"90713000-8", "79952000-2", "80500000-9"},
				text: []string{
					"Stands, ateliers de réparation et animations sur le réemploi lors d'événements publics ou en entreprise.",
				}},
		},
		inclusionPct: 45,
		kinds:        []weighted[string]{{"ACI", 5}, {"EI", 2}},
	},
	{
		key: "dechets", weight: 4, naf: []string{"38.11Z", "38.32Z", "38.21Z"},
		names: []string{
			"Tri Solidaire {de}", "Collectif Collecte {de}", "Les Trieurs {de}", "Boucle Verte {de}",
			"Cycle & Tri {de}", "{place} Valorisation",
		},
		about: []string{
			"Elle collecte et trie les déchets des entreprises et des administrations pour les orienter vers les filières de recyclage.",
			"Ses tournées de collecte sont optimisées et réalisées en véhicules électriques ou au gaz naturel.",
		},
		offers: []offerTemplate{
			{title: "Collecte et tri des déchets de bureau", kind: domain.OfferService,
				cpv: []string{"90511000-2", "90514000-3", "90500000-2"},
				text: []string{
					"Collecte séparée du papier, des cartons, des gobelets et des canettes, avec bacs fournis.",
					"Rapport trimestriel des tonnages et des filières de recyclage.",
				}},
			{title: "Collecte des biodéchets et compostage", kind: domain.OfferService,
				cpv: []string{"90511000-2", "90513000-6"},
				text: []string{
					"Collecte des biodéchets des restaurants collectifs et des marchés, compostage en plateforme locale.",
				}},
			{title: "Ramassage des déchets sauvages", kind: domain.OfferService,
				cpv: []string{"90511300-5", "90610000-6", "90680000-7"},
				text: []string{
					"Ramassage des déchets abandonnés sur les espaces publics, les berges et les aires d'accueil.",
				}},
			{title: "Collecte des DEEE et des cartouches d'impression", kind: domain.OfferService,
				cpv: []string{"90514000-3", "90511000-2"},
				text: []string{
					"Collecte des équipements électriques et électroniques usagés et des cartouches, avec certificat de destruction des données.",
				}},
		},
		inclusionPct: 35,
		kinds:        []weighted[string]{{"EI", 3}, {"ACI", 2}, {"EA", 1}},
	},
	{
		key: "maraichage", weight: 2, naf: []string{"01.13Z"},
		names: []string{
			"Les Jardins Maraîchers {de}", "Le Potager Solidaire {de}", "La Ferme {de}", "Paniers {de}",
			"Les Maraîchers {de}",
		},
		about: []string{
			"Sur quelques hectares en agriculture biologique, elle produit des légumes de saison vendus en paniers et aux cantines.",
			"La production suit le calendrier des saisons et les semences paysannes.",
		},
		offers: []offerTemplate{
			{title: "Légumes bio de saison pour la restauration collective", kind: domain.OfferSupply,
				cpv: []string{"03221000-6", "03220000-9", "15300000-1"},
				text: []string{
					"Légumes certifiés bio, cueillis la veille et livrés aux cuisines centrales et aux restaurants scolaires.",
					"Planification des cultures avec les chefs en début de saison.",
				}},
			{title: "Paniers solidaires hebdomadaires", kind: domain.OfferSupply,
				cpv: []string{"03221000-6", "15300000-1"},
				text: []string{
					"Paniers de légumes livrés chaque semaine aux comités d'entreprise et aux administrations.",
				}},
			{title: "Entretien d'espaces naturels", kind: domain.OfferService,
				cpv: []string{"77310000-6", "77312000-0"},
				text: []string{
					"Fauche, entretien de haies et de mares pour les collectivités voisines de l'exploitation.",
				}},
		},
		inclusionPct: 65,
		kinds:        []weighted[string]{{"ACI", 6}, {"ESAT", 1}},
		labels:       []string{"Agriculture biologique"},
	},
}

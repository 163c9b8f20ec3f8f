package demo

import "github.com/essor-ess/essor/internal/domain"

// businessServiceTrades: delivery, printing, digital, training, staffing, advice, textile, reception, packaging.
var businessServiceTrades = []trade{
	{
		key: "livraison-velo", weight: 4, naf: []string{"53.20Z", "49.41B", "52.29A"},
		names: []string{
			"Cycl'Ouest Livraisons", "Les Coursiers {de}", "Triporteurs {de}", "Vélo Cargo {de}", "Roue Libre {de}",
			"Pédale & Colis {de}", "{place} à Vélo",
		},
		about: []string{
			"Ses coursiers livrent colis, courrier et repas en vélo cargo, sans émission ni bruit.",
			"Ses coursiers sont salariés, équipés et formés à la conduite en ville.",
		},
		offers: []offerTemplate{
			{title: "Livraison du dernier kilomètre à vélo cargo", kind: domain.OfferService,
				cpv: []string{"60161000-4", "64120000-3", "60160000-7"},
				text: []string{
					"Livraison de colis jusqu'à 150 kg en centre-ville, le jour même.",
					"Suivi en temps réel et preuve de livraison électronique.",
				}},
			{title: "Distribution de courrier interne et navettes", kind: domain.OfferService,
				cpv: []string{"64121100-1", "64120000-3"},
				text: []string{
					"Tournées de courrier entre les sites d'une administration, plusieurs fois par jour.",
				}},
			{title: "Entretien de flottes de vélos", kind: domain.OfferService,
				cpv: []string{"50000000-5", "34432000-4"},
				text: []string{
					"Entretien préventif et réparation des vélos de service, sur site ou en atelier.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"EI", 2}, {"EITI", 1}},
	},
	{
		key: "imprimerie", weight: 3, naf: []string{"18.12Z", "82.19Z", "18.13Z"},
		names: []string{
			"Imprimerie Solidaire {de}", "L'Atelier Graphique {de}", "Encre Vive {de}", "Papier & Cie {de}",
			"{place} Impressions", "Les Presses {de}",
		},
		about: []string{
			"Elle imprime brochures, affiches et documents administratifs sur papier recyclé avec des encres végétales.",
			"Son atelier assure aussi le façonnage et la mise sous pli.",
		},
		offers: []offerTemplate{
			{title: "Impression offset et numérique", kind: domain.OfferService,
				cpv: []string{"79810000-5", "79800000-2", "79823000-9"},
				text: []string{
					"Impression de brochures, affiches, magazines municipaux et rapports, en petites et moyennes séries.",
					"Papiers recyclés ou certifiés, imprimerie labellisée Imprim'Vert.",
				}, wide: true},
			{title: "Reprographie et photocopie", kind: domain.OfferService,
				cpv: []string{"79521000-2", "79820000-8"},
				text: []string{
					"Reprographie de dossiers, plans et documents de consultation, livrés sous 24 heures.",
				}},
			{title: "Conception graphique", kind: domain.OfferService,
				cpv: []string{"79822500-7"},
				text: []string{
					"Création de chartes graphiques, de supports de communication et de documents accessibles (FALC).",
				}, wide: true},
			{title: "Façonnage, mise sous pli et routage", kind: domain.OfferService,
				cpv: []string{"79821000-5", "79820000-8", "79571000-7"},
				text: []string{
					"Pliage, agrafage, mise sous pli et affranchissement de vos envois en nombre.",
				}},
		},
		inclusionPct: 30,
		kinds:        []weighted[string]{{"ESAT", 3}, {"EA", 2}},
		labels:       []string{"Imprim'Vert"},
	},
	{
		key: "conciergerie", weight: 2, naf: []string{"96.09Z", "81.10Z"},
		names: []string{
			"La Conciergerie {de}", "Conciergerie Solidaire {de}", "Les Clés {de}", "Service Compris {de}",
		},
		about: []string{
			"Elle propose aux salariés des entreprises et des administrations des services du quotidien sur leur lieu de travail.",
			"Elle fait appel en priorité à des prestataires de l'ESS du territoire.",
		},
		offers: []offerTemplate{
			{title: "Conciergerie d'entreprise", kind: domain.OfferService,
				cpv: []string{"98300000-6", "98390000-3"},
				text: []string{
					"Pressing, cordonnerie, paniers de légumes, petites démarches : un concierge sur site deux demi-journées par semaine.",
				}},
			{title: "Gestion technique et accueil de bâtiments", kind: domain.OfferService,
				cpv: []string{"79993000-1", "79993100-2", "98341140-8"},
				text: []string{
					"Gardiennage de jour, ouverture et fermeture des salles, petites interventions techniques.",
				}},
			{title: "Petits travaux et entretien courant", kind: domain.OfferService,
				cpv: []string{"50700000-2"},
				text: []string{
					"Homme ou femme toutes mains pour l'entretien courant des locaux.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"ACI", 1}, {"EI", 1}},
	},
	{
		key: "numerique", weight: 5, naf: []string{"62.01Z", "62.02A", "95.11Z"},
		names: []string{
			"Octets Solidaires {de}", "Le Cyber Atelier {de}", "Numérique Inclusif {de}", "Code & Lien {de}",
			"Les Reconditionneurs {de}", "{place} Numérique", "Bits & Bouts {de}", "Clic Solidaire {de}",
		},
		about: []string{
			"Elle développe des services numériques sobres et accessibles pour les collectivités et les associations.",
			"Elle reconditionne des ordinateurs issus des parcs des entreprises et des administrations.",
			"Ses logiciels sont publiés sous licence libre.",
		},
		offers: []offerTemplate{
			{title: "Développement de sites web accessibles", kind: domain.OfferService,
				cpv: []string{"72413000-8", "72212200-1", "72212000-4", "72267000-4"},
				text: []string{
					"Conception et développement de sites et d'applications conformes au RGAA, éco-conçus et maintenables.",
					"Code publié sous licence libre et documentation remise au client.",
				}, wide: true},
			{title: "Ordinateurs reconditionnés", kind: domain.OfferSupply,
				cpv: []string{"30213000-5", "30213100-6", "30200000-1", "30236000-2"},
				text: []string{
					"Ordinateurs fixes et portables reconditionnés, garantis deux ans, avec effacement certifié des données d'origine.",
					"Reprise de votre ancien parc pour reconditionnement.",
				}, wide: true},
			{title: "Maintenance et réparation de matériel informatique", kind: domain.OfferService,
				cpv: []string{"50312000-5", "72253000-3"},
				text: []string{
					"Maintenance de parcs informatiques, assistance aux utilisateurs et réparation en atelier.",
				}},
			{title: "Numérisation et archivage de documents", kind: domain.OfferService,
				cpv: []string{"79999100-4", "79995100-6"},
				text: []string{
					"Numérisation de dossiers, de registres et de plans, indexation et archivage électronique.",
				}, wide: true},
			{title: "Ateliers d'inclusion numérique", kind: domain.OfferService,
				cpv: []string{"80533100-0", "80420000-4"},
				text: []string{
					"Ateliers collectifs et accompagnement individuel aux démarches en ligne pour les publics éloignés du numérique.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"EA", 3}, {"EI", 2}, {"ESAT", 1}},
		labels:       []string{"Numérique Responsable"},
	},
	{
		key: "formation", weight: 4, naf: []string{"85.59A", "85.59B"},
		foundationOK: true,
		names: []string{
			"Former & Agir {de}", "L'École des Métiers {de}", "Savoirs Partagés {de}", "Tremplin {de}",
			"Passerelles {de}", "{place} Formation",
		},
		about: []string{
			"Organisme de formation certifié Qualiopi, elle forme des demandeurs d'emploi et des salariés aux métiers en tension.",
			"Ses parcours alternent formation en salle et mises en situation sur des chantiers réels.",
		},
		offers: []offerTemplate{
			{title: "Formations qualifiantes aux métiers de la propreté et du bâtiment", kind: domain.OfferService,
				cpv: []string{"80530000-8", "80510000-2"},
				text: []string{
					"Parcours de trois à six mois menant à un titre professionnel, avec stage en entreprise.",
				}},
			{title: "Formation aux outils numériques", kind: domain.OfferService,
				cpv: []string{"80533100-0", "80420000-4"},
				text: []string{
					"Formations bureautiques et sensibilisation à la cybersécurité pour les agents des collectivités.",
				}, wide: true},
			{title: "Accompagnement vers l'emploi", kind: domain.OfferService,
				cpv: []string{"85312300-2", "79611000-0"},
				text: []string{
					"Accompagnement individuel et collectif des bénéficiaires du RSA vers l'emploi durable.",
				}},
			{title: "Sensibilisation aux achats responsables", kind: domain.OfferService,
				cpv: []string{"80500000-9", "80400000-8"},
				text: []string{
					"Formations courtes pour les acheteurs publics sur les clauses sociales et les marchés réservés.",
				}, wide: true},
		},
		inclusionPct: 5,
		kinds:        []weighted[string]{{"GEIQ", 1}},
		labels:       []string{"Qualiopi"},
	},
	{
		key: "mise-a-disposition", weight: 3, naf: []string{"78.20Z", "78.30Z"},
		names: []string{
			"Intérim Solidaire {de}", "Coup de Main {de}", "Tremplin Emploi {de}", "Les Relais de l'Emploi {de}",
			"Atout Emploi {de}", "Passerelle Intérim {de}", "Groupement Emploi Qualification {de}",
		},
		about: []string{
			"Elle met à disposition des entreprises, des collectivités et des particuliers des personnes en parcours d'insertion.",
			"Chaque mission s'accompagne d'un suivi socioprofessionnel et de formations.",
		},
		offers: []offerTemplate{
			{title: "Mise à disposition de personnel en insertion", kind: domain.OfferStaffing,
				cpv: []string{"79620000-6", "79610000-3"},
				text: []string{
					"Agents d'entretien, manutentionnaires, aides de cuisine, ouvriers du bâtiment : des salariés en insertion pour vos besoins ponctuels ou réguliers.",
					"Idéal pour remplir les heures d'insertion d'une clause sociale.",
				}},
			{title: "Intérim d'insertion dans le bâtiment et les travaux publics", kind: domain.OfferStaffing,
				cpv: []string{"79620000-6"},
				text: []string{
					"Manœuvres, aides-maçons et ouvriers polyvalents pour les chantiers soumis à clause sociale.",
				}},
			{title: "Personnel administratif et d'accueil", kind: domain.OfferStaffing,
				cpv: []string{"79621000-3", "79620000-6"},
				text: []string{
					"Agents d'accueil et assistants administratifs pour des remplacements ou des pics d'activité.",
				}},
			{title: "Parcours qualifiants en alternance", kind: domain.OfferStaffing,
				cpv: []string{"79620000-6", "80530000-8"},
				text: []string{
					"Recrutement et mise à disposition de salariés en contrat de professionnalisation, avec tutorat.",
				}},
		},
		inclusionPct: 90,
		kinds:        []weighted[string]{{"ETTI", 4}, {"AI", 4}, {"GEIQ", 2}, {"EATT", 1}},
	},
	{
		key: "conseil", weight: 3, naf: []string{"70.22Z", "74.90B"},
		mutualOK: true,
		names: []string{
			"Coopérative Conseil {de}", "Les Éclaireurs {de}", "Impact {place}", "Boussole {de}", "Ancrage {de}",
		},
		about: []string{
			"Elle accompagne collectivités et structures de l'ESS dans leurs projets de développement et de coopération.",
			"Ses consultants sont associés de la coopérative.",
		},
		offers: []offerTemplate{
			{title: "Accompagnement stratégique des structures de l'ESS", kind: domain.OfferService,
				cpv: []string{"79410000-1", "79411000-8", "79414000-9"},
				text: []string{
					"Diagnostic, plan stratégique et accompagnement au changement d'échelle.",
				}, wide: true},
			{title: "Études et diagnostics territoriaux", kind: domain.OfferService,
				cpv: []string{"79311000-7", "73220000-0"},
				text: []string{
					"Études de besoins sociaux, diagnostics de territoire et concertation des habitants.",
				}, wide: true},
			{title: "Conseil en environnement et transition écologique", kind: domain.OfferService,
				cpv: []string{"90713000-8", "90700000-4"},
				text: []string{
					"Bilans carbone, plans de sobriété et accompagnement des démarches de responsabilité sociétale.",
				}, wide: true},
			{title: "Évaluation d'impact social", kind: domain.OfferService,
				cpv: []string{"79419000-4", "79212000-3"},
				text: []string{
					"Évaluation de politiques publiques et mesure de l'impact social de projets.",
				}, wide: true},
		},
	},
	{
		key: "textile", weight: 2, naf: []string{"14.12Z", "13.92Z"},
		names: []string{
			"L'Atelier Couture {de}", "Fil & Aiguille {de}", "Retouches Solidaires {de}", "Les Couturières {de}",
			"Tissage {de}",
		},
		about: []string{
			"Son atelier de confection fabrique des vêtements de travail et des articles textiles à partir de tissus recyclés.",
			"Elle forme aux métiers de la couture des personnes éloignées de l'emploi.",
		},
		offers: []offerTemplate{
			{title: "Vêtements de travail", kind: domain.OfferSupply,
				cpv: []string{"18110000-3", "18100000-0", "18130000-9"},
				text: []string{
					"Blouses, tabliers et tenues de travail confectionnés à Nantes, marquage compris.",
				}, wide: true},
			{title: "Articles textiles confectionnés", kind: domain.OfferSupply,
				cpv: []string{"39520000-3", "39500000-7", "39518000-6"},
				text: []string{
					"Sacs, trousses, rideaux et linge de collectivité fabriqués à partir de textiles de réemploi.",
				}, wide: true},
			{title: "Couture sur mesure et retouches", kind: domain.OfferService,
				cpv: []string{"98393000-4", "50830000-2"},
				text: []string{
					"Retouches de tenues professionnelles et confection de costumes pour le spectacle.",
				}},
		},
		inclusionPct: 40,
		kinds:        []weighted[string]{{"ACI", 2}, {"EI", 1}, {"ESAT", 1}},
	},
	{
		key: "accueil", weight: 2, naf: []string{"82.99Z", "82.20Z", "82.11Z"},
		names: []string{
			"Accueil Plus {de}", "Allô Solidaire {de}", "Les Voix {de}", "Bureau & Services {de}",
		},
		about: []string{
			"Elle assure l'accueil physique et téléphonique d'administrations et d'entreprises.",
			"Ses chargés d'accueil sont formés à l'accueil des publics en situation de handicap.",
		},
		offers: []offerTemplate{
			{title: "Accueil physique et téléphonique", kind: domain.OfferService,
				cpv: []string{"79992000-4", "79510000-2"},
				text: []string{
					"Hôtes et hôtesses d'accueil en poste fixe ou en renfort, standard téléphonique externalisé.",
				}},
			{title: "Centre d'appels et prise de rendez-vous", kind: domain.OfferService,
				cpv: []string{"79512000-6", "79342300-6"},
				text: []string{
					"Prise de rendez-vous, enquêtes de satisfaction et permanences téléphoniques.",
				}, wide: true},
			{title: "Secrétariat externalisé", kind: domain.OfferService,
				cpv: []string{"79500000-9", "79551000-1"},
				text: []string{
					"Saisie, mise en forme de documents et gestion de courrier pour les petites structures.",
				}, wide: true},
		},
		inclusionPct: 35,
		kinds:        []weighted[string]{{"EA", 3}, {"ESAT", 1}},
	},
	{
		key: "conditionnement", weight: 3, naf: []string{"82.92Z", "52.10B"},
		foundationOK: true,
		names: []string{
			"Atelier Conditionnement {de}", "Les Ateliers {de}", "Logistique Solidaire {de}", "Emballe & Co {de}",
			"Atelier Sous-Traitance {de}",
		},
		about: []string{
			"Ses ateliers réalisent des travaux de conditionnement, d'assemblage et de logistique pour des industriels et des collectivités.",
			"Les postes de travail sont adaptés à chaque travailleur.",
		},
		offers: []offerTemplate{
			{title: "Conditionnement et mise sous pli", kind: domain.OfferService,
				cpv: []string{"79921000-6", "79920000-9", "79571000-7"},
				text: []string{
					"Mise en sachet, étiquetage, colisage et mise sous pli, en petites ou grandes séries.",
				}},
			{title: "Logistique et préparation de commandes", kind: domain.OfferService,
				cpv: []string{"63120000-6", "63100000-0"},
				text: []string{
					"Stockage, préparation de commandes et expédition de fournitures et de documents.",
				}},
			{title: "Assemblage et sous-traitance industrielle", kind: domain.OfferService,
				cpv: []string{"79920000-9", "51500000-7"},
				text: []string{
					"Montage de sous-ensembles, câblage simple et contrôle qualité.",
				}},
		},
		inclusionPct: 70,
		kinds:        []weighted[string]{{"ESAT", 5}, {"EA", 3}},
	},
}

package demo

import "github.com/essor-ess/essor/internal/domain"

// joineryOnlyCPV is the single code of the "agencement" trade's only offer. Its structures never write the word for
// the trade in their own text, so a search for it can only find them through the CPV label ("Travaux de menuiserie").
const joineryOnlyCPV = "45421000-4"

// buildingTrades: joinery and finishing works, painting, energy renovation, moving, furniture.
var buildingTrades = []trade{
	{
		key: "menuiserie", weight: 4, naf: []string{"43.32A", "16.23Z"},
		names: []string{
			"Menuiserie Solidaire {de}", "Les Compagnons du Bois {de}", "Atelier Bois {de}", "{place} Menuiserie",
			"Bois & Bâti {de}", "Les Charpentiers {de}",
		},
		about: []string{
			"Son atelier de menuiserie fabrique et pose portes, fenêtres, cloisons et agencements en bois local.",
			"Elle forme ses salariés aux métiers du bois et du second œuvre, de la découpe à la pose.",
		},
		offers: []offerTemplate{
			{title: "Travaux de menuiserie intérieure et extérieure", kind: domain.OfferWorks,
				cpv: []string{"45421000-4", "45421100-5", "45421150-0", "45421130-4"},
				text: []string{
					"Fabrication et pose de menuiseries bois : portes, fenêtres, volets et habillages.",
					"Bois issus de forêts gérées durablement, finitions sans solvants.",
				}},
			{title: "Pose de cloisons et doublages", kind: domain.OfferWorks,
				cpv: []string{"45421152-4", "45421000-4", "45410000-4"},
				text: []string{
					"Cloisons, doublages et faux plafonds dans les bâtiments publics et les logements.",
				}},
			{title: "Charpente et ossature bois", kind: domain.OfferWorks,
				cpv: []string{"45422000-1", "45421000-4"},
				text: []string{
					"Charpentes traditionnelles, extensions et abris en ossature bois.",
					"Études et plans réalisés en interne.",
				}},
			{title: "Installation de cuisines et agencements", kind: domain.OfferWorks,
				cpv: []string{"45421151-7", "45421000-4"},
				text: []string{
					"Fabrication et installation de cuisines, placards et mobilier intégré pour les logements sociaux.",
				}},
		},
		inclusionPct: 30,
		kinds:        []weighted[string]{{"ACI", 2}, {"EI", 2}, {"ESAT", 1}},
		labels:       []string{"Qualibat"},
	},
	{
		key: "agencement", weight: 2, naf: []string{"43.39Z"}, singleOffer: true,
		names: []string{
			"Atelier Bois & Réemploi", "Copeaux {de}", "L'Atelier du Chêne {de}", "Bois Solidaire {de}",
			"Les Établis {de}", "Rabot & Compagnie {de}", "Sciure {de}",
		},
		about: []string{
			"Son atelier conçoit et pose des agencements sur mesure à partir de bois local et de panneaux de réemploi.",
			"Elle récupère les chutes et les bois de démolition pour leur donner une seconde vie.",
		},
		offers: []offerTemplate{
			{title: "Agencement intérieur et pose de portes", kind: domain.OfferWorks,
				cpv: []string{joineryOnlyCPV},
				text: []string{
					"Fabrication et pose sur mesure de placards, habillages, portes intérieures et escaliers, en bois local ou de réemploi.",
					"Interventions en site occupé dans les écoles, les crèches et les bureaux.",
					"Devis gratuit après visite technique.",
				}},
		},
		inclusionPct: 20,
		kinds:        []weighted[string]{{"EI", 1}, {"ACI", 1}},
	},
	{
		key: "peinture", weight: 4, naf: []string{"43.34Z"},
		names: []string{
			"Peinture & Couleurs {de}", "Les Pinceaux {de}", "Atelier Couleur {de}", "{place} Peinture Solidaire",
			"Nuancier {de}", "Les Peintres {de}",
		},
		about: []string{
			"Elle réalise des travaux de peinture et de revêtements dans les logements sociaux, les écoles et les bâtiments publics.",
			"Elle utilise des peintures biosourcées et à faible émission de composés organiques volatils.",
		},
		offers: []offerTemplate{
			{title: "Travaux de peinture intérieure", kind: domain.OfferWorks,
				cpv: []string{"45442100-8", "45440000-3"},
				text: []string{
					"Préparation des supports et mise en peinture des murs, plafonds et boiseries.",
					"Remise en état de logements entre deux locataires sous dix jours.",
				}},
			{title: "Ravalement et peinture de façades", kind: domain.OfferWorks,
				cpv: []string{"45443000-4", "45442100-8", "45442120-4"},
				text: []string{
					"Nettoyage, traitement et peinture de façades et de pignons.",
				}},
			{title: "Pose de revêtements de sols et de murs", kind: domain.OfferWorks,
				cpv: []string{"45430000-0", "45432000-4", "45431000-7"},
				text: []string{
					"Pose de sols souples, de papiers peints et de carrelage dans les logements et les locaux tertiaires.",
				}},
			{title: "Vitrerie", kind: domain.OfferWorks,
				cpv: []string{"45441000-0"},
				text: []string{
					"Remplacement de vitrages simples et isolants, miroiterie.",
				}},
		},
		inclusionPct: 30,
		kinds:        []weighted[string]{{"ACI", 3}, {"EI", 2}},
	},
	{
		key: "renovation-energetique", weight: 3, naf: []string{"43.29A", "43.22B", "71.12B"},
		names: []string{
			"Rénov'{place}", "Éco-Rénovation {de}", "Les Isolateurs {de}", "Chaleur Partagée {de}",
			"Énergies Citoyennes {de}", "Habitat Sobre {de}",
		},
		about: []string{
			"Elle accompagne la rénovation énergétique des bâtiments, du diagnostic à la réalisation des travaux.",
			"Elle met en œuvre des isolants biosourcés : fibre de bois, ouate de cellulose, chanvre.",
		},
		offers: []offerTemplate{
			{title: "Isolation thermique des bâtiments", kind: domain.OfferWorks,
				cpv: []string{"45321000-3", "45320000-6"},
				text: []string{
					"Isolation des combles, des murs par l'intérieur et des planchers bas, avec des isolants biosourcés.",
					"Entreprise qualifiée RGE.",
				}},
			{title: "Audit et conseil en rénovation énergétique", kind: domain.OfferService,
				cpv: []string{"71314300-5", "71314000-2", "79311000-7"},
				text: []string{
					"Audits énergétiques, plans pluriannuels de travaux et accompagnement des maîtres d'ouvrage.",
					"Restitution pédagogique aux occupants et aux élus.",
				}, wide: true},
			{title: "Chauffage, ventilation et plomberie", kind: domain.OfferWorks,
				cpv: []string{"45331000-6", "45330000-9"},
				text: []string{
					"Installation et remplacement de systèmes de chauffage et de ventilation performants.",
				}},
			{title: "Installation de panneaux solaires", kind: domain.OfferWorks,
				cpv: []string{"45261215-4", "09331000-8"},
				text: []string{
					"Pose de centrales photovoltaïques sur toitures publiques, en lien avec des projets citoyens.",
				}},
		},
		inclusionPct: 15,
		kinds:        []weighted[string]{{"EI", 1}},
		labels:       []string{"RGE", "Qualibat"},
	},
	{
		key: "second-oeuvre", weight: 3, naf: []string{"43.39Z", "43.22A", "43.31Z"},
		names: []string{
			"Bâtiment Solidaire {de}", "Les Bâtisseurs {de}", "Multi'Services Bâtiment {de}", "Rénov & Vous {de}",
			"{place} Habitat", "Chantier École {de}",
		},
		about: []string{
			"Elle réalise les petits travaux d'entretien et la remise en état de logements pour les bailleurs sociaux.",
			"Ses chantiers écoles permettent de découvrir les métiers du bâtiment.",
		},
		offers: []offerTemplate{
			{title: "Remise en état de logements", kind: domain.OfferWorks,
				cpv: []string{"45453100-8", "45453000-7", "45400000-1"},
				text: []string{
					"Remise en état complète de logements vacants : plâtrerie, peinture, sols, petite plomberie.",
					"Coordination de tous les corps d'état pour une relocation rapide.",
				}},
			{title: "Petits travaux et entretien des bâtiments", kind: domain.OfferService,
				cpv: []string{"50700000-2", "45259000-7"},
				text: []string{
					"Entretien courant des bâtiments communaux : serrurerie, plomberie, électricité, petites réparations.",
				}},
			{title: "Travaux de plomberie", kind: domain.OfferWorks,
				cpv: []string{"45330000-9"},
				text: []string{
					"Remplacement d'appareils sanitaires et de réseaux, adaptation de salles de bains pour personnes âgées.",
				}},
			{title: "Électricité et câblage", kind: domain.OfferWorks,
				cpv: []string{"45311000-0", "45310000-3"},
				text: []string{
					"Mise en conformité électrique et remplacement des luminaires par des éclairages à LED.",
				}},
		},
		inclusionPct: 30,
		kinds:        []weighted[string]{{"EI", 2}, {"ACI", 2}},
	},
	{
		key: "demenagement", weight: 3, naf: []string{"49.42Z"},
		names: []string{
			"Déménageurs Solidaires {de}", "Cartons & Compagnie {de}", "{place} Déménagement", "Bras Dessus Bras Dessous {de}",
			"Transferts Solidaires {de}",
		},
		about: []string{
			"Elle réalise les déménagements de particuliers, d'entreprises et d'administrations.",
			"Ses équipes sont formées à la manutention et à la protection des biens.",
		},
		offers: []offerTemplate{
			{title: "Déménagement de bureaux et transferts d'archives", kind: domain.OfferService,
				cpv: []string{"98392000-7", "63100000-0", "60000000-8"},
				text: []string{
					"Transferts de services administratifs, d'archives et de bibliothèques, de nuit ou le week-end si besoin.",
					"Étiquetage, plan de placement et réinstallation du mobilier.",
				}},
			{title: "Manutention et mise en place de mobilier", kind: domain.OfferService,
				cpv: []string{"63100000-0", "98392000-7"},
				text: []string{
					"Réception, montage et mise en place de mobilier neuf ou de réemploi.",
				}},
			{title: "Stockage et garde-meubles", kind: domain.OfferService,
				cpv: []string{"63120000-6"},
				text: []string{
					"Stockage sécurisé de mobilier et d'archives en entrepôt, pour des durées courtes ou longues.",
				}},
		},
		inclusionPct: 35,
		kinds:        []weighted[string]{{"EI", 3}, {"ACI", 1}},
	},
	{
		key: "mobilier", weight: 2, naf: []string{"31.01Z", "31.09B"},
		names: []string{
			"L'Atelier du Meuble {de}", "Mobilier Solidaire {de}", "Bois Debout {de}", "{place} Mobilier",
			"Les Ébénistes {de}",
		},
		about: []string{
			"Son atelier fabrique du mobilier durable, réparable et conçu pour être démonté.",
			"Les chutes de production sont transformées en petits objets ou en bois de chauffage.",
		},
		offers: []offerTemplate{
			{title: "Mobilier de bureau", kind: domain.OfferSupply,
				cpv: []string{"39130000-2", "39100000-3"},
				text: []string{
					"Bureaux, tables de réunion et rangements fabriqués dans notre atelier, garantis dix ans.",
				}, wide: true},
			{title: "Mobilier scolaire", kind: domain.OfferSupply,
				cpv: []string{"39160000-1", "39100000-3"},
				text: []string{
					"Tables, chaises et bibliothèques pour les écoles et les médiathèques, neuves ou rénovées.",
				}, wide: true},
			{title: "Mobilier urbain en bois", kind: domain.OfferSupply,
				cpv: []string{"34928400-2", "45233293-9"},
				text: []string{
					"Bancs, tables de pique-nique, bacs à plantes et abris à vélos en bois local, fournis et posés.",
				}},
		},
		inclusionPct: 40,
		kinds:        []weighted[string]{{"ESAT", 2}, {"EA", 1}, {"EI", 1}},
	},
}

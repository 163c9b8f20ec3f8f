package sirene

// UniteLegaleColumns is the header of StockUniteLegale in INSEE's order (35 columns, 2025 layout); readers
// find columns by name, so older 33-column files read as well.
var UniteLegaleColumns = []string{
	"siren", "statutDiffusionUniteLegale", "unitePurgeeUniteLegale", "dateCreationUniteLegale", "sigleUniteLegale",
	"sexeUniteLegale", "prenom1UniteLegale", "prenom2UniteLegale", "prenom3UniteLegale", "prenom4UniteLegale",
	"prenomUsuelUniteLegale", "pseudonymeUniteLegale", "identifiantAssociationUniteLegale",
	"trancheEffectifsUniteLegale", "anneeEffectifsUniteLegale", "dateDernierTraitementUniteLegale",
	"nombrePeriodesUniteLegale", "categorieEntreprise", "anneeCategorieEntreprise", "dateDebut",
	"etatAdministratifUniteLegale", "nomUniteLegale", "nomUsageUniteLegale", "denominationUniteLegale",
	"denominationUsuelle1UniteLegale", "denominationUsuelle2UniteLegale", "denominationUsuelle3UniteLegale",
	"categorieJuridiqueUniteLegale", "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale",
	"nicSiegeUniteLegale", "economieSocialeSolidaireUniteLegale", "societeMissionUniteLegale",
	"caractereEmployeurUniteLegale", "activitePrincipaleNAF25UniteLegale",
}

// EtablissementColumns is the header of StockEtablissement in INSEE's order (54 columns, 2025 layout).
var EtablissementColumns = []string{
	"siren", "nic", "siret", "statutDiffusionEtablissement", "dateCreationEtablissement",
	"trancheEffectifsEtablissement", "anneeEffectifsEtablissement", "activitePrincipaleRegistreMetiersEtablissement",
	"dateDernierTraitementEtablissement", "etablissementSiege", "nombrePeriodesEtablissement",
	"complementAdresseEtablissement", "numeroVoieEtablissement", "indiceRepetitionEtablissement",
	"dernierNumeroVoieEtablissement", "indiceRepetitionDernierNumeroVoieEtablissement", "typeVoieEtablissement",
	"libelleVoieEtablissement", "codePostalEtablissement", "libelleCommuneEtablissement",
	"libelleCommuneEtrangerEtablissement", "distributionSpecialeEtablissement", "codeCommuneEtablissement",
	"codeCedexEtablissement", "libelleCedexEtablissement", "codePaysEtrangerEtablissement",
	"libellePaysEtrangerEtablissement", "identifiantAdresseEtablissement", "coordonneeLambertAbscisseEtablissement",
	"coordonneeLambertOrdonneeEtablissement", "complementAdresse2Etablissement", "numeroVoie2Etablissement",
	"indiceRepetition2Etablissement", "typeVoie2Etablissement", "libelleVoie2Etablissement",
	"codePostal2Etablissement", "libelleCommune2Etablissement", "libelleCommuneEtranger2Etablissement",
	"distributionSpeciale2Etablissement", "codeCommune2Etablissement", "codeCedex2Etablissement",
	"libelleCedex2Etablissement", "codePaysEtranger2Etablissement", "libellePaysEtranger2Etablissement", "dateDebut",
	"etatAdministratifEtablissement", "enseigne1Etablissement", "enseigne2Etablissement", "enseigne3Etablissement",
	"denominationUsuelleEtablissement", "activitePrincipaleEtablissement",
	"nomenclatureActivitePrincipaleEtablissement", "caractereEmployeurEtablissement",
	"activitePrincipaleNAF25Etablissement",
}

// Package sirenetest writes synthetic SIRENE stock files in the official column layout, for tests and benchmarks.
package sirenetest

import (
	"bufio"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/opendata/sirene"
)

// NantesMetropole lists the INSEE codes of the 24 communes of Nantes Métropole, where about 2% of the generated
// establishments are.
var NantesMetropole = []string{"44009", "44018", "44020", "44024", "44026", "44035", "44047", "44074", "44094",
	"44101", "44109", "44114", "44120", "44143", "44150", "44162", "44166", "44171", "44172", "44190", "44194",
	"44198", "44204", "44215"}

// UnitsFor returns how many legal units GenerateEtablissementsFile draws its establishments from: write the
// matching StockUniteLegale with GenerateUnitesLegalesFile(w, UnitsFor(rows), seed).
func UnitsFor(rows int) int { return rows/2 + 1 }

// UnitSIREN returns the SIREN of the k-th generated legal unit; it passes the Luhn check.
func UnitSIREN(k int) string { return withLuhnDigit(fmt.Sprintf("%08d", 10000000+k*7)) }

// UnitIsESS tells which generated units are ESS: one in ten carries the ESS flag, one in ten is an
// association (catégorie 9220) with an empty flag; ESSUnits keeps the active ones among them.
func UnitIsESS(k int) (flagged, association bool) {
	return k%10 == 0 || k%10 == 2, k%10 == 1 || k%10 == 2
}

// UnitIsActive tells which generated units are active (one in seventeen has ceased).
func UnitIsActive(k int) bool { return k%17 != 0 }

// GenerateUnitesLegalesFile writes a StockUniteLegale file of the given number of units.
func GenerateUnitesLegalesFile(w io.Writer, units int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	bw := bufio.NewWriterSize(w, 1<<20)
	col := index(sirene.UniteLegaleColumns)
	bw.WriteString(strings.Join(sirene.UniteLegaleColumns, ",") + "\n")
	row := make([]string, len(sirene.UniteLegaleColumns))
	for k := range units {
		clear(row)
		flagged, association := UnitIsESS(k)
		row[col["siren"]] = UnitSIREN(k)
		row[col["statutDiffusionUniteLegale"]] = pick(rng, 0.03, "P", "O")
		row[col["dateCreationUniteLegale"]] = fmt.Sprintf("%d-%02d-01", 1950+rng.IntN(75), 1+rng.IntN(12))
		row[col["trancheEffectifsUniteLegale"]] = tranches[rng.IntN(len(tranches))]
		row[col["anneeEffectifsUniteLegale"]] = "2023"
		row[col["etatAdministratifUniteLegale"]] = map[bool]string{true: "A", false: "C"}[UnitIsActive(k)]
		row[col["denominationUniteLegale"]] = quoteIfNeeded(names[rng.IntN(len(names))] + " " + strconv.Itoa(k))
		row[col["categorieJuridiqueUniteLegale"]] = map[bool]string{true: "9220", false: "5710"}[association]
		row[col["activitePrincipaleUniteLegale"]] = activities[rng.IntN(len(activities))]
		row[col["nomenclatureActivitePrincipaleUniteLegale"]] = "NAFRev2"
		row[col["nicSiegeUniteLegale"]] = "00012"
		row[col["economieSocialeSolidaireUniteLegale"]] = map[bool]string{true: "O", false: "N"}[flagged]
		if association && !flagged {
			row[col["economieSocialeSolidaireUniteLegale"]] = ""
		}
		bw.WriteString(strings.Join(row, ",") + "\n")
	}
	return bw.Flush()
}

// GenerateEtablissementsFile writes a StockEtablissement file of the given number of data rows, all 54 official
// columns in their order, with realistic values: about 2% in Nantes Métropole, 35% closed, 3% non-diffusible,
// 5% with quoted values (commas, doubled quotes), 10% without coordinates, and one broken row in 5,000 (a
// missing field or a bare quote).
func GenerateEtablissementsFile(w io.Writer, rows int, seed uint64) error {
	rng := rand.New(rand.NewPCG(seed, 0xe7ab))
	bw := bufio.NewWriterSize(w, 1<<20)
	col := index(sirene.EtablissementColumns)
	bw.WriteString(strings.Join(sirene.EtablissementColumns, ",") + "\n")
	row := make([]string, len(sirene.EtablissementColumns))
	units := UnitsFor(rows)
	for i := range rows {
		clear(row)
		k := rng.IntN(units)
		siren := UnitSIREN(k)
		nic := withLuhnDigitFor(siren, fmt.Sprintf("%04d", 1+i%9999))
		row[col["siren"]], row[col["nic"]], row[col["siret"]] = siren, nic, siren+nic
		row[col["statutDiffusionEtablissement"]] = pick(rng, 0.03, "P", "O")
		row[col["dateCreationEtablissement"]] = fmt.Sprintf("%d-%02d-%02d", 1970+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28))
		row[col["trancheEffectifsEtablissement"]] = tranches[rng.IntN(len(tranches))]
		row[col["anneeEffectifsEtablissement"]] = "2023"
		row[col["dateDernierTraitementEtablissement"]] = "2025-12-06T05:25:38"
		row[col["etablissementSiege"]] = pick(rng, 0.4, "true", "false")
		row[col["nombrePeriodesEtablissement"]] = strconv.Itoa(1 + rng.IntN(6))
		row[col["numeroVoieEtablissement"]] = strconv.Itoa(1 + rng.IntN(150))
		row[col["typeVoieEtablissement"]] = voies[rng.IntN(len(voies))]
		row[col["libelleVoieEtablissement"]] = street(rng)
		commune, x, y := place(rng)
		row[col["codePostalEtablissement"]] = commune[:2] + "000"
		row[col["libelleCommuneEtablissement"]] = "COMMUNE " + commune
		row[col["codeCommuneEtablissement"]] = commune
		row[col["identifiantAdresseEtablissement"]] = commune + "_" + strconv.Itoa(rng.IntN(9999)) + "_00001"
		if rng.Float64() >= 0.1 {
			row[col["coordonneeLambertAbscisseEtablissement"]] = strconv.FormatFloat(x, 'f', 1, 64)
			row[col["coordonneeLambertOrdonneeEtablissement"]] = strconv.FormatFloat(y, 'f', 1, 64)
		}
		row[col["dateDebut"]] = "2020-01-01"
		row[col["etatAdministratifEtablissement"]] = pick(rng, 0.35, "F", "A")
		if rng.Float64() < 0.05 {
			row[col["enseigne1Etablissement"]] = quoteIfNeeded(names[rng.IntN(len(names))])
		}
		row[col["activitePrincipaleEtablissement"]] = activities[rng.IntN(len(activities))]
		row[col["nomenclatureActivitePrincipaleEtablissement"]] = "NAFRev2"
		row[col["caractereEmployeurEtablissement"]] = pick(rng, 0.5, "O", "N")
		row[col["activitePrincipaleNAF25Etablissement"]] = "88.99Y"
		line := strings.Join(row, ",")
		if rng.IntN(5000) == 0 {
			line = breakRow(rng, line)
		}
		bw.WriteString(line + "\n")
	}
	return bw.Flush()
}

var (
	tranches   = []string{"NN", "00", "01", "02", "03", "11", "12", "21", "22", "31", ""}
	activities = []string{"88.99B", "94.99Z", "81.21Z", "81.30Z", "56.29A", "38.11Z", "62.01Z", "47.11F", "85.59A"}
	voies      = []string{"RUE", "AV", "BD", "CHE", "PL", "IMP", "ALL", "QUAI", ""}
	names      = []string{"LES ECOSSOLIES", "ENVIE 44", "ATAO", "TRAJET", "BRIN DE CAUSETTE", "L'ATELIER DU COIN",
		"SCOP \"LE CHANTIER\"", "ESAT DE LA LOIRE", "REGIE DE QUARTIER, NANTES NORD", "ASSOCIATION ÉCLAT"}
	streets = []string{"DE LA LOIRE", "DU GENERAL DE GAULLE", "DES HAUTS PAVES", "JEAN JAURES", "DE STRASBOURG",
		"DU CORPS DE GARDE", "SAINT-FELIX", "DES ÉCOLES"}
)

func street(rng *rand.Rand) string {
	s := streets[rng.IntN(len(streets))]
	if rng.Float64() < 0.03 {
		return quoteIfNeeded(s + ", BATIMENT " + string(rune('A'+rng.IntN(6))))
	}
	return s
}

// place draws a commune and Lambert-93 coordinates near it: 2% in Nantes Métropole, the rest spread over
// metropolitan départements.
func place(rng *rand.Rand) (commune string, x, y float64) {
	if rng.Float64() < 0.02 {
		return NantesMetropole[rng.IntN(len(NantesMetropole))], 355000 + rng.NormFloat64()*6000, 6689000 + rng.NormFloat64()*6000
	}
	dept := 1 + rng.IntN(95)
	if dept == 20 || dept == 44 {
		dept = 35
	}
	return fmt.Sprintf("%02d%03d", dept, 1+rng.IntN(400)), 150000 + rng.Float64()*1000000, 6150000 + rng.Float64()*950000
}

// breakRow damages a row the way real exports get damaged: a lost field, a bare quote, or a quote never closed.
func breakRow(rng *rand.Rand, line string) string {
	switch rng.IntN(3) {
	case 0:
		return line[:strings.LastIndexByte(line, ',')]
	case 1:
		return strings.Replace(line, ",COMMUNE ", `,COMMUNE "`, 1)
	}
	return line + `,"x`
}

func pick(rng *rand.Rand, p float64, yes, no string) string {
	if rng.Float64() < p {
		return yes
	}
	return no
}

func quoteIfNeeded(s string) string {
	if !strings.ContainsAny(s, "\",\n") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

func index(columns []string) map[string]int {
	m := make(map[string]int, len(columns))
	for i, c := range columns {
		m[c] = i
	}
	return m
}

func withLuhnDigit(s string) string { return withLuhnDigitFor("", s) }

// withLuhnDigitFor appends to s the digit that makes prefix+s+digit pass the Luhn check.
func withLuhnDigitFor(prefix, s string) string {
	for d := byte('0'); d <= '9'; d++ {
		if luhn(prefix + s + string(d)) {
			return s + string(d)
		}
	}
	panic("unreachable")
}

func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		n := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

package allotment

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

var natureFR = map[Nature]string{NatureSupplies: "fournitures", NatureServices: "services", NatureWorks: "travaux"}

var buyerFR = map[BuyerKind]string{
	BuyerState: "État", BuyerLocal: "collectivités territoriales et autres pouvoirs adjudicateurs",
	BuyerUtility: "entités adjudicatrices",
}

// lotExplanations says, in French and citing the articles, what the buyer may do with a lot and who can bid.
func (p *prepared) lotExplanations(lot Lot, ev *lotEval, small bool, smallCents int64) []string {
	n := lot.Number
	out := []string{frf("Lot %d : %s, %s HT sur %d mois, soit %s HT par an ; %s%s ; %s.", n, plural(len(ev.lines), "ligne"),
		eur(lot.ValueEUR), p.need.DurationMonths, eur(lot.AnnualValueEUR), natureFR[ev.nature],
		map[bool]string{true: ", services sociaux et autres services spécifiques", false: ""}[ev.social],
		p.communeNames(lot.Communes))}
	switch lot.Procedure {
	case ProcedureSmallLot:
		out = append(out, frf("Lot %d (%s HT) peut être passé selon une procédure adaptée au titre de l'article R2123-1 2° : les petits lots représentent %s de la valeur totale (plafond %s).",
			n, eur(lot.ValueEUR), pct(float64(smallCents)/float64(p.total)), pct(p.fig.smallShare.Value)))
	case ProcedureSocialSpecific:
		out = append(out, frf("Lot %d : services sociaux et autres services spécifiques, procédure adaptée possible quelle que soit sa valeur (R2123-1 3°).", n))
	case ProcedureFormalised:
		msg := frf("Lot %d : procédure formalisée, la valeur cumulée de tous les lots (%s HT) atteignant le seuil européen.", n, eur(euros(p.total)))
		if float64(ev.cents) < p.smallLotMax(ev)*100 {
			msg += frf(" Il reste sous %s HT mais n'a pas été retenu comme petit lot (R2123-1 2°) : l'enveloppe de %s va aux lots qui ouvrent le plus l'accès à l'ESS.",
				eur(p.smallLotMax(ev)), pct(p.fig.smallShare.Value))
		}
		out = append(out, msg)
	}
	s := lot.ESSSupply
	supply := frf("%s de l'ESS %s (offre couvrant les codes CPV et les communes du lot), dont %s, %d EA/ESAT et %d SIAE.",
		plural(s.Structures, "structure"), map[bool]string{true: "peut répondre seule", false: "peuvent répondre seules"}[s.Structures == 1],
		plural(s.FirstTime, "primo-accédante"), s.EAESAT, s.SIAE)
	if s.CapacityShort > 0 {
		supply += frf(" %d autre(s) couvrent le lot mais déclarent une capacité annuelle inférieure à sa valeur annuelle.", s.CapacityShort)
	}
	out = append(out, supply)
	turnover := frf("Chiffre d'affaires annuel minimal exigible : au plus %s × la valeur du lot, soit %s (R2142-7, appliqué lot par lot selon R2142-8) ; %d des %d structures éligibles l'atteignent",
		ratioFR(p.fig.capRatio.Value), eur(lot.MaxMinTurnoverEUR), s.PassingMaxTurnover, s.Structures)
	if s.UnknownTurnover > 0 {
		turnover += frf(", %d sans chiffre d'affaires connu", s.UnknownTurnover)
	}
	turnover += "."
	if s.Structures > 0 && s.PassingMaxTurnover < s.Structures {
		turnover += frf(" Sans exigence de chiffre d'affaires, les %d restent en lice.", s.Structures)
	}
	out = append(out, turnover)
	if d := lot.EconomicDependency; d != nil {
		msg := frf("Dépendance économique : la valeur annuelle du lot représente %s du chiffre d'affaires médian des structures éligibles (%s).",
			pct(*d), eur(float64(*s.MedianTurnoverEUR)))
		if *d > 0.3 {
			msg += " Au-delà de 30 %, le lot pèserait lourd pour elles : un lot plus petit ou un groupement réduit ce risque."
		}
		out = append(out, msg)
	}
	out = append(out, lot.ReservationAdvice.Reason)
	if ev.reservable && p.need.DurationMonths > int(p.fig.essMaxMonths.Value) {
		out = append(out, frf("Réservation aux entreprises de l'ESS (L2113-15) impossible : la durée de %d mois dépasse %d mois.",
			p.need.DurationMonths, int(p.fig.essMaxMonths.Value)))
	}
	if s.Structures < 3 {
		out = append(out, groupementExplanation(lot))
	}
	return out
}

func groupementExplanation(lot Lot) string {
	if len(lot.GroupementPotential) == 0 {
		return "Moins de 3 structures peuvent répondre seules, et aucun groupement de 2 ou 3 structures de l'ESS dont chaque membre serait utile ne couvre ensemble le lot."
	}
	g := lot.GroupementPotential[0]
	passes := "leur chiffre d'affaires cumulé atteint le maximum exigible"
	if !g.PassesMaxTurnover {
		passes = "leur chiffre d'affaires cumulé connu n'atteint pas le maximum exigible : n'exigez pas ce maximum"
	}
	return frf("Moins de 3 structures peuvent répondre seules : %s de l'ESS couvrent ensemble le lot, leurs capacités étant appréciées globalement (R2142-25) ; le meilleur réunit %s (mandataire suggéré %s), %s.",
		plural(len(lot.GroupementPotential), "groupement"), strings.Join(g.StructureIDs, ", "), g.Mandataire, passes)
}

// alternativeExplanations explains the split as a whole: the strategy, the procedure, the small lots, the cap.
func (p *prepared) alternativeExplanations(alt Alternative, evs []*lotEval, small []bool, smallCents int64) []string {
	date := p.need.ReferenceDate.Format(time.DateOnly)
	out := []string{strategyLabel(alt.Strategy) + frf(" : %s.", plural(len(evs), "lot"))}
	total := euros(p.total)
	thr := p.fig.euThreshold
	if p.formalised {
		out = append(out, frf("Valeur totale %s HT ≥ seuil européen de %s HT (%s, %s, en vigueur le %s) : la valeur de tous les lots est cumulée et la procédure est formalisée, sauf pour les lots signalés ci-dessous.",
			eur(total), eur(thr.Value), natureOrSocial(p), buyerFR[p.need.BuyerKind], date))
	} else {
		msg := frf("Valeur totale %s HT < seuil européen de %s HT (%s, %s, en vigueur le %s) : procédure adaptée (R2123-1 1°).",
			eur(total), eur(thr.Value), natureOrSocial(p), buyerFR[p.need.BuyerKind], date)
		if total < p.fig.noPublicity.Value {
			msg += frf(" Sous %s HT, le marché peut même être passé sans publicité ni mise en concurrence (R2122-8).", eur(p.fig.noPublicity.Value))
		}
		out = append(out, msg)
	}
	if p.formalised && len(evs) > 1 {
		var chosen []string
		for i, s := range small {
			if s {
				chosen = append(chosen, strconv.Itoa(i+1))
			}
		}
		if len(chosen) == 0 {
			out = append(out, frf("Petits lots (R2123-1 2°) : aucun lot n'est à la fois sous %s HT (%s HT en travaux) et utile à l'accès des structures de l'ESS.",
				eur(p.fig.smallMaxSS.Value), eur(p.fig.smallMaxWorks.Value)))
		} else {
			out = append(out, frf("Petits lots (R2123-1 2°) : lot(s) %s en procédure adaptée, %s de la valeur totale pour un plafond de %s ; choisis pour maximiser le nombre de structures de l'ESS éligibles, les primo-accédantes comptant double.",
				strings.Join(chosen, ", "), pct(float64(smallCents)/float64(p.total)), pct(p.fig.smallShare.Value)))
		}
	}
	out = append(out, frf("Chiffre d'affaires minimal exigible au plus %s × la valeur de chaque lot à la date de référence %s (R2142-7 ; %s).",
		ratioFR(p.fig.capRatio.Value), date, p.fig.capRatio.Source))
	m := alt.Metrics
	out = append(out, frf("%d lot(s) sur %d ont au moins 3 structures de l'ESS éligibles (%s de la valeur) ; %s et %s peuvent répondre seules à au moins un lot.",
		m.LotsWithThreeEligible, m.Lots, pct(m.ValueShareWithThreeEligible), plural(m.DistinctStructures, "structure distincte"),
		plural(m.DistinctFirstTime, "primo-accédante")))
	if len(evs) == 1 {
		out = append(out, "Ne pas allotir doit être motivé en fait et en droit (L2113-11) ; l'allotissement est la règle (L2113-10).")
	}
	return out
}

// singleContractGrounds gives the L2113-11 grounds a buyer would have to write when a single contract ranks first.
func (p *prepared) singleContractGrounds(alts []Alternative) []string {
	single := alts[0].Metrics
	bestSplit := -1
	for i := 1; i < len(alts); i++ {
		if bestSplit < 0 || alts[i].Metrics.LotsWithThreeEligible > alts[bestSplit].Metrics.LotsWithThreeEligible {
			bestSplit = i
		}
	}
	fact := "le besoin tient en une seule ligne : aucune prestation distincte n'a pu être identifiée (L2113-10)"
	if bestSplit > 0 {
		b := alts[bestSplit].Metrics
		fact = frf("aucun découpage étudié n'ouvre davantage le marché aux structures de l'ESS : le marché unique est accessible à %s seule(s), le meilleur découpage (%s) n'offre au moins 3 structures éligibles que pour %d lot(s) sur %d",
			plural(single.DistinctStructures, "structure"), alts[bestSplit].Strategy, b.LotsWithThreeEligible, b.Lots)
	}
	out := []string{
		"Motifs de non-allotissement à rédiger par l'acheteur, en fait et en droit (L2113-11) :",
		"1° l'acheteur n'est pas en mesure d'assurer lui-même les missions d'organisation, de pilotage et de coordination ;",
		"2° la dévolution en lots séparés risque de restreindre la concurrence, ou de rendre techniquement difficile ou financièrement plus coûteuse l'exécution des prestations — fait établi ici : " + fact + ".",
	}
	if p.need.BuyerKind == BuyerUtility {
		out = append(out, "3° (entité adjudicatrice) la dévolution en lots séparés risque de rendre la procédure infructueuse.")
	}
	return out
}

// communeNames names a lot's communes, the first few only when there are many.
func (p *prepared) communeNames(communes []string) string {
	const shown = 6
	if len(communes) == len(p.communes) && len(communes) > 1 {
		return frf("toutes les communes du besoin (%d)", len(communes))
	}
	var names []string
	for _, c := range communes[:min(len(communes), shown)] {
		names = append(names, cmp.Or(p.places[c].Name, c))
	}
	slices.Sort(names)
	s := strings.Join(names, ", ")
	if len(communes) > shown {
		s += frf(" et %d autres", len(communes)-shown)
	}
	return map[bool]string{true: "commune : ", false: "communes : "}[len(communes) == 1] + s
}

func natureOrSocial(p *prepared) string {
	if _, social := p.mainNature(allLines(len(p.need.Lines))); social {
		return "services sociaux et autres services spécifiques"
	}
	return natureFR[p.nature]
}

func frf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// eur formats an amount the French way: "1 200 000 €", "79 999,99 €".
func eur(v float64) string {
	cents := int64(math.Round(v * 100))
	s := groupThousands(cents / 100)
	if c := cents % 100; c != 0 {
		s += frf(",%02d", c)
	}
	return s + " €"
}

func groupThousands(n int64) string {
	digits := strconv.FormatInt(n, 10)
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// pct formats a share as a French percentage: "12 %", "12,5 %".
func pct(share float64) string {
	return decimalFR(math.Round(share*1000)/10) + " %"
}

func ratioFR(r float64) string { return decimalFR(r) }

func decimalFR(x float64) string {
	return strings.Replace(strconv.FormatFloat(x, 'f', -1, 64), ".", ",", 1)
}

func plural(n int, word string) string {
	if n == 1 || n == 0 {
		return strconv.Itoa(n) + " " + word
	}
	words := strings.Fields(word)
	for i := range words {
		words[i] += "s"
	}
	return strconv.Itoa(n) + " " + strings.Join(words, " ")
}

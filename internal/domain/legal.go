package domain

import (
	"fmt"
	"time"
)

// LegalRule is one figure of the Code de la commande publique (or of the EU regulations it applies), with the
// period it is in force. From is the first day it applies; Until is the first day it no longer applies (zero: still
// in force). Both are dates at midnight UTC.
type LegalRule struct {
	ID          string
	Article     string
	Description string
	Value       float64
	Unit        string
	From, Until time.Time
	Source      string
}

// InForce reports whether the rule applies on the given day.
func (r LegalRule) InForce(on time.Time) bool {
	day := dayOf(on)
	return !day.Before(r.From) && (r.Until.IsZero() || day.Before(r.Until))
}

// Identifiers of the legal figures; every part of Essor reads them through LegalFigure.
const (
	// RuleNoPublicitySuppliesServices is the value under which a supplies or services contract may be awarded
	// without publicity or competition.
	RuleNoPublicitySuppliesServices = "no_publicity_threshold_supplies_services"
	// RuleNoPublicityWorks is the same threshold for works.
	RuleNoPublicityWorks = "no_publicity_threshold_works"
	// RuleEUThresholdWorks is the EU (formalised procedure) threshold for works contracts.
	RuleEUThresholdWorks = "eu_threshold_works"
	// RuleEUThresholdSuppliesState is the EU threshold for supplies and services bought by central government.
	RuleEUThresholdSuppliesState = "eu_threshold_supplies_state"
	// RuleEUThresholdSuppliesLocal is the EU threshold for supplies and services bought by other contracting
	// authorities (local authorities, hospitals…).
	RuleEUThresholdSuppliesLocal = "eu_threshold_supplies_local"
	// RuleEUThresholdSuppliesUtility is the EU threshold for supplies and services bought by entités adjudicatrices.
	RuleEUThresholdSuppliesUtility = "eu_threshold_supplies_utility"
	// RuleEUThresholdSocialSpecific is the EU threshold for social and other specific services (pouvoirs
	// adjudicateurs).
	RuleEUThresholdSocialSpecific = "eu_threshold_social_specific"
	// RuleEUThresholdSocialSpecificUtility is the EU threshold for social and other specific services bought by
	// entités adjudicatrices.
	RuleEUThresholdSocialSpecificUtility = "eu_threshold_social_specific_utility"
	// RuleSmallLotMaxSuppliesServices is the value under which a supplies or services lot may be a "small lot".
	RuleSmallLotMaxSuppliesServices = "small_lot_max_supplies_services"
	// RuleSmallLotMaxWorks is the value under which a works lot may be a "small lot".
	RuleSmallLotMaxWorks = "small_lot_max_works"
	// RuleSmallLotsShareMax is the largest share of the total value of all lots the small lots may add up to.
	RuleSmallLotsShareMax = "small_lots_share_max"
	// RuleTurnoverCapRatio is the largest minimum annual turnover a buyer may require, as a multiple of the
	// estimated value of the contract or lot.
	RuleTurnoverCapRatio = "turnover_cap_ratio"
	// RuleReservedMinWorkersShare is the minimum share of disabled or disadvantaged workers of a structure a
	// contract reserved under L2113-12 or L2113-13 may go to.
	RuleReservedMinWorkersShare = "reserved_min_workers_share"
	// RuleReservedESSMaxMonths is the longest duration of a contract reserved to ESS companies under L2113-15.
	RuleReservedESSMaxMonths = "reserved_ess_max_months"
	// RuleReservedESSCooldownMonths is how long an operator awarded an L2113-15 reserved contract cannot get another
	// from the same buyer on that basis.
	RuleReservedESSCooldownMonths = "reserved_ess_cooldown_months"
	// RuleSPASERThreshold is the annual purchase amount above which a buyer must adopt a SPASER.
	RuleSPASERThreshold = "spaser_annual_purchases_threshold"
)

// Units of the legal figures.
const (
	UnitEUR    = "EUR HT"
	UnitRatio  = "ratio"
	UnitMonths = "months"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return day(y, m, d)
}

// codeInForce is the day the Code de la commande publique took effect: rows that start then carried older
// figures forward unchanged, and Essor does not judge needs dated before it.
var codeInForce = day(2019, time.April, 1)

const (
	srcEU2024 = "Commission delegated regulations (EU) 2023/2495-2497, thresholds 2024-2025"
	srcEU2026 = "Commission delegated regulations (EU) 2025/2150-2152 (OJEU 23 Oct 2025), thresholds 2026-2027"
)

// LegalRules is the one table of legal figures. A figure changes by adding a row with its date, never by editing
// a past row: needs dated in the past are judged by the rules of their date.
var LegalRules = []LegalRule{
	{ID: RuleNoPublicitySuppliesServices, Article: "R2122-8", Value: 40_000, Unit: UnitEUR,
		Description: "Marché de fournitures ou de services sans publicité ni mise en concurrence en dessous de",
		From:        day(2020, time.January, 1), Until: day(2026, time.April, 1), Source: "décret n° 2019-1344"},
	{ID: RuleNoPublicitySuppliesServices, Article: "R2122-8", Value: 60_000, Unit: UnitEUR,
		Description: "Marché de fournitures ou de services sans publicité ni mise en concurrence en dessous de",
		From:        day(2026, time.April, 1), Source: "décret n° 2025-1386"},
	// Assumption (mission-anchors.md only says the figure became permanent): 100,000 € already applied to works
	// from 2023 as a temporary measure (décret 2022-1683, extended to 2025-12-31 by décret 2024-1217).
	{ID: RuleNoPublicityWorks, Article: "R2122-8", Value: 100_000, Unit: UnitEUR,
		Description: "Marché de travaux sans publicité ni mise en concurrence en dessous de (mesure temporaire)",
		From:        day(2023, time.January, 1), Until: day(2026, time.January, 1),
		Source: "décrets n° 2022-1683 et 2024-1217 (hypothèse, non vérifiée dans les références)"},
	{ID: RuleNoPublicityWorks, Article: "R2122-8", Value: 100_000, Unit: UnitEUR,
		Description: "Marché de travaux sans publicité ni mise en concurrence en dessous de",
		From:        day(2026, time.January, 1), Source: "décret n° 2025-1386"},

	{ID: RuleEUThresholdWorks, Article: "R2124-1, avis annexé au code", Value: 5_538_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, travaux",
		From:        day(2024, time.January, 1), Until: day(2026, time.January, 1), Source: srcEU2024},
	{ID: RuleEUThresholdWorks, Article: "R2124-1, avis annexé au code", Value: 5_404_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, travaux",
		From:        day(2026, time.January, 1), Until: day(2028, time.January, 1), Source: srcEU2026},
	{ID: RuleEUThresholdSuppliesState, Article: "R2124-1, avis annexé au code", Value: 143_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services de l'État",
		From:        day(2024, time.January, 1), Until: day(2026, time.January, 1), Source: srcEU2024},
	{ID: RuleEUThresholdSuppliesState, Article: "R2124-1, avis annexé au code", Value: 140_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services de l'État",
		From:        day(2026, time.January, 1), Until: day(2028, time.January, 1), Source: srcEU2026},
	{ID: RuleEUThresholdSuppliesLocal, Article: "R2124-1, avis annexé au code", Value: 221_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services des collectivités territoriales et établissements de santé",
		From:        day(2024, time.January, 1), Until: day(2026, time.January, 1), Source: srcEU2024},
	{ID: RuleEUThresholdSuppliesLocal, Article: "R2124-1, avis annexé au code", Value: 216_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services des collectivités territoriales et établissements de santé",
		From:        day(2026, time.January, 1), Until: day(2028, time.January, 1), Source: srcEU2026},
	{ID: RuleEUThresholdSuppliesUtility, Article: "R2124-1, avis annexé au code", Value: 443_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services des entités adjudicatrices",
		From:        day(2024, time.January, 1), Until: day(2026, time.January, 1), Source: srcEU2024},
	{ID: RuleEUThresholdSuppliesUtility, Article: "R2124-1, avis annexé au code", Value: 432_000, Unit: UnitEUR,
		Description: "Seuil de procédure formalisée, fournitures et services des entités adjudicatrices",
		From:        day(2026, time.January, 1), Until: day(2028, time.January, 1), Source: srcEU2026},
	// The social and specific services thresholds are set in the directives themselves and are not revised every
	// two years (mission-anchors.md marks them as not checked).
	{ID: RuleEUThresholdSocialSpecific, Article: "R2123-1 3°, directive 2014/24/UE art. 4 d)", Value: 750_000,
		Unit: UnitEUR, Description: "Seuil européen des services sociaux et autres services spécifiques",
		From: codeInForce, Source: "directive 2014/24/UE art. 4 d) (non révisé tous les deux ans)"},
	{ID: RuleEUThresholdSocialSpecificUtility, Article: "R2123-1 3°, directive 2014/25/UE art. 15 c)",
		Value: 1_000_000, Unit: UnitEUR,
		Description: "Seuil européen des services sociaux et autres services spécifiques, entités adjudicatrices",
		From:        codeInForce, Source: "directive 2014/25/UE art. 15 c) (non révisé tous les deux ans)"},

	{ID: RuleSmallLotMaxSuppliesServices, Article: "R2123-1 2°", Value: 80_000, Unit: UnitEUR,
		Description: "Petit lot de fournitures ou de services en procédure adaptée : valeur de chaque lot inférieure à",
		From:        codeInForce, Source: "Code de la commande publique, Légifrance"},
	{ID: RuleSmallLotMaxWorks, Article: "R2123-1 2°", Value: 1_000_000, Unit: UnitEUR,
		Description: "Petit lot de travaux en procédure adaptée : valeur de chaque lot inférieure à",
		From:        codeInForce, Source: "Code de la commande publique, Légifrance"},
	{ID: RuleSmallLotsShareMax, Article: "R2123-1 2°", Value: 0.20, Unit: UnitRatio,
		Description: "Part maximale des petits lots dans la valeur totale de tous les lots",
		From:        codeInForce, Source: "Code de la commande publique, Légifrance"},

	{ID: RuleTurnoverCapRatio, Article: "R2142-7", Value: 2, Unit: UnitRatio,
		Description: "Chiffre d'affaires annuel minimal exigible, en multiple de la valeur estimée du marché ou du lot",
		From:        codeInForce, Until: day(2026, time.January, 1), Source: "Code de la commande publique, version 2019"},
	{ID: RuleTurnoverCapRatio, Article: "R2142-7", Value: 1.5, Unit: UnitRatio,
		Description: "Chiffre d'affaires annuel minimal exigible, en multiple de la valeur estimée du marché ou du lot",
		From:        day(2026, time.January, 1), Source: "décret n° 2025-1383 du 29 décembre 2025"},

	{ID: RuleReservedMinWorkersShare, Article: "R2113-7", Value: 0.50, Unit: UnitRatio,
		Description: "Part minimale de travailleurs handicapés ou défavorisés pour un marché réservé (L2113-12, L2113-13)",
		From:        codeInForce, Source: "Code de la commande publique, Légifrance"},
	{ID: RuleReservedESSMaxMonths, Article: "L2113-15, R2113-8", Value: 36, Unit: UnitMonths,
		Description: "Durée maximale d'un marché réservé aux entreprises de l'ESS",
		From:        codeInForce, Source: "Code de la commande publique (répartition entre articles non vérifiée)"},
	{ID: RuleReservedESSCooldownMonths, Article: "L2113-16", Value: 36, Unit: UnitMonths,
		Description: "Délai avant qu'un titulaire d'un marché réservé L2113-15 puisse en obtenir un autre du même acheteur sur ce fondement",
		From:        codeInForce, Source: "Code de la commande publique (répartition entre articles non vérifiée)"},

	{ID: RuleSPASERThreshold, Article: "L2111-3, D2111-3", Value: 100_000_000, Unit: UnitEUR,
		Description: "Montant annuel d'achats au-delà duquel un SPASER est obligatoire",
		From:        codeInForce, Until: day(2023, time.January, 1), Source: "décret n° 2015-90"},
	{ID: RuleSPASERThreshold, Article: "L2111-3, D2111-3", Value: 50_000_000, Unit: UnitEUR,
		Description: "Montant annuel d'achats au-delà duquel un SPASER est obligatoire",
		From:        day(2023, time.January, 1), Source: "décret n° 2022-767"},
}

// LegalFigure returns the rule with the given id in force on the given day. It fails with a not_found error for an
// unknown id and with an invalid error when no figure is known for that day.
func LegalFigure(id string, on time.Time) (LegalRule, error) {
	known := false
	for _, r := range LegalRules {
		if r.ID != id {
			continue
		}
		known = true
		if r.InForce(on) {
			return r, nil
		}
	}
	if !known {
		return LegalRule{}, NotFound("legal rule " + id)
	}
	return LegalRule{}, &Error{Kind: KindInvalid, Code: "no_legal_figure",
		Detail: fmt.Sprintf("no figure of %s is known on %s", id, dayOf(on).Format(time.DateOnly))}
}

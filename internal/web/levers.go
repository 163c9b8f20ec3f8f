package web

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/essor-ess/essor/internal/domain"
)

// figure is a legal figure as the levers page states it: its value in words, its article and its source.
type figure struct {
	Text    string
	Article string
	Source  string
	Since   string
}

type leversData struct {
	Today                   string
	SmallLotSupplies        figure
	SmallLotWorks           figure
	SmallLotsShare          figure
	TurnoverCap             figure
	ReservedShare           figure
	ReservedESSMonths       figure
	ReservedESSCooldown     figure
	NoPublicitySupplies     figure
	NoPublicityWorks        figure
	EUThresholdLocal        figure
	EUThresholdWorks        figure
	EUThresholdSocial       figure
	SPASERThreshold         figure
	SearchReservedInclusion string
	SearchReservedDisabled  string
}

// levers explains to buyers the levers of the Code de la commande publique that open contracts to the ESS, with
// the figures in force today read from the one table of legal figures (domain.LegalRules).
func (s *Site) levers(w http.ResponseWriter, r *http.Request) {
	now := s.deps.Now()
	var firstErr error
	get := func(id string) figure {
		rule, err := domain.LegalFigure(id, now)
		if err != nil {
			firstErr = err
			return figure{}
		}
		f := figure{Article: rule.Article, Source: rule.Source, Since: dateFR(rule.From)}
		switch rule.Unit {
		case domain.UnitEUR:
			f.Text = euros(rule.Value) + " HT"
		case domain.UnitRatio:
			if rule.Value < 1 {
				f.Text = strconv.FormatFloat(rule.Value*100, 'f', -1, 64) + " %"
			} else {
				f.Text = strconv.FormatFloat(rule.Value, 'f', -1, 64) + " fois"
			}
		case domain.UnitMonths:
			f.Text = fmt.Sprintf("%s mois", strconv.FormatFloat(rule.Value, 'f', -1, 64))
		}
		return f
	}
	data := leversData{
		Today:                   dateFR(now),
		SmallLotSupplies:        get(domain.RuleSmallLotMaxSuppliesServices),
		SmallLotWorks:           get(domain.RuleSmallLotMaxWorks),
		SmallLotsShare:          get(domain.RuleSmallLotsShareMax),
		TurnoverCap:             get(domain.RuleTurnoverCapRatio),
		ReservedShare:           get(domain.RuleReservedMinWorkersShare),
		ReservedESSMonths:       get(domain.RuleReservedESSMaxMonths),
		ReservedESSCooldown:     get(domain.RuleReservedESSCooldownMonths),
		NoPublicitySupplies:     get(domain.RuleNoPublicitySuppliesServices),
		NoPublicityWorks:        get(domain.RuleNoPublicityWorks),
		EUThresholdLocal:        get(domain.RuleEUThresholdSuppliesLocal),
		EUThresholdWorks:        get(domain.RuleEUThresholdWorks),
		EUThresholdSocial:       get(domain.RuleEUThresholdSocialSpecific),
		SPASERThreshold:         get(domain.RuleSPASERThreshold),
		SearchReservedInclusion: "/recherche?inclusion=EI&inclusion=AI&inclusion=ACI&inclusion=ETTI&inclusion=EITI",
		SearchReservedDisabled:  "/recherche?inclusion=EA&inclusion=EATT&inclusion=ESAT",
	}
	if firstErr != nil {
		s.internalError(w, r, fmt.Errorf("legal figures on %s: %w", data.Today, firstErr))
		return
	}
	s.render(w, r, http.StatusOK, "levers", view{Title: "Les leviers juridiques pour acheter à l'ESS", Section: "leviers", Data: data})
}

package web

import (
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

var tenderStatusLabels = map[domain.TenderStatus]string{
	domain.TenderDraft: "Brouillon", domain.TenderPublished: "Publié", domain.TenderClosed: "Clos",
	domain.TenderAwarded: "Attribué", domain.TenderCancelled: "Annulé",
}

var tenderKindLabels = map[domain.TenderKind]string{
	domain.TenderSourcing:     "Sourçage : vous cherchez qui peut répondre avant de lancer la consultation",
	domain.TenderConsultation: "Consultation : le marché est lancé, les structures peuvent répondre",
}

var reservationLabels = map[domain.Reservation]string{
	domain.ReservationNone:     "Aucune réservation",
	domain.ReservationDisabled: "Réservé aux entreprises adaptées et ESAT (L2113-12)",
	domain.ReservationSIAE:     "Réservé aux structures d'insertion (L2113-13)",
	domain.ReservationBoth:     "Réservé aux unes ou aux autres (L2113-14)",
	domain.ReservationESS:      "Réservé aux entreprises de l'ESS (L2113-15)",
}

var reservationOrder = []domain.Reservation{domain.ReservationNone, domain.ReservationDisabled, domain.ReservationSIAE,
	domain.ReservationBoth, domain.ReservationESS}

// declineReasonLabels say in French why a structure does not answer a lot (service.DeclineReasons).
var declineReasonLabels = map[string]string{
	"not_our_trade": "Ce n'est pas notre métier", "area_too_far": "Le lieu est trop loin de chez nous",
	"lot_too_large": "Le lot est trop gros pour nous", "lot_too_small": "Le lot est trop petit pour nous",
	"no_capacity_now": "Nous n'avons pas la capacité en ce moment", "deadline_too_short": "Le délai est trop court",
	"requirements_too_high": "Les exigences sont trop élevées", "other": "Autre raison (précisez)",
}

// tenderChoices are the radio and select options of the tender forms.
func reservationChoices() []choice {
	out := make([]choice, 0, len(reservationOrder))
	for _, r := range reservationOrder {
		out = append(out, choice{Value: string(r), Label: reservationLabels[r]})
	}
	return out
}

func declineChoices() []choice {
	out := make([]choice, 0, len(service.DeclineReasons))
	for _, r := range service.DeclineReasons {
		out = append(out, choice{Value: r, Label: declineReasonLabels[r]})
	}
	return out
}

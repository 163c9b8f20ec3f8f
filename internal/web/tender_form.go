package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// tenderForm is what the tender editor shows: the tender, its lots as rows of text fields and the CPV picker.
type tenderForm struct {
	T                              domain.Tender
	New                            bool
	Total, Duration                string
	Sourcing, Planned, Response    string
	OtherCommunes                  string
	CPVQuery                       string
	Suggestions                    []refdata.CPV
	Communes                       []refdata.Commune
	Lots                           []lotRow
	Reservations                   []choice
	SourcingKind, ConsultationKind string
}

// lotRow is one lot of the editor, its numbers and lists as typed.
type lotRow struct {
	Index                              int
	Title, Description, CPV, Value     string
	Communes, Reservation, MinTurnover string
	SocialClause, OpenToGroupement     bool
}

func (s *Site) tenderFormData(t domain.Tender, isNew bool, blankLots int) tenderForm {
	f := tenderForm{T: t, New: isNew, Communes: s.communeChoices(""), Reservations: reservationChoices(),
		SourcingKind: tenderKindLabels[domain.TenderSourcing], ConsultationKind: tenderKindLabels[domain.TenderConsultation]}
	if t.EstimatedTotalEUR != nil {
		f.Total = strconv.FormatInt(*t.EstimatedTotalEUR, 10)
	}
	if t.DurationMonths != nil {
		f.Duration = strconv.Itoa(*t.DurationMonths)
	}
	f.Sourcing, f.Planned, f.Response = dateInput(t.SourcingDeadline), dateInput(t.PlannedPublication), dateInput(t.ResponseDeadline)
	var others []string
	for _, c := range t.Communes {
		if !slices.ContainsFunc(f.Communes, func(x refdata.Commune) bool { return x.INSEE == c }) {
			others = append(others, c)
		}
	}
	f.OtherCommunes = strings.Join(others, ", ")
	for i, l := range t.Lots {
		row := lotRow{Index: i, Title: l.Title, Description: l.Description, CPV: strings.Join(l.CPVCodes, ", "),
			Reservation: string(l.Reservation), SocialClause: l.SocialClause, OpenToGroupement: l.OpenToGroupement}
		if l.EstimatedValueEUR != nil {
			row.Value = strconv.FormatInt(*l.EstimatedValueEUR, 10)
		}
		if l.MinTurnoverEUR != nil {
			row.MinTurnover = strconv.FormatInt(*l.MinTurnoverEUR, 10)
		}
		names := make([]string, len(l.Communes))
		for j, c := range l.Communes {
			names[j] = communeName(c)
		}
		row.Communes = strings.Join(names, ", ")
		f.Lots = append(f.Lots, row)
	}
	for range blankLots {
		f.Lots = append(f.Lots, lotRow{Index: len(f.Lots), Reservation: string(domain.ReservationNone)})
	}
	return f
}

func dateInput(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.Format(time.DateOnly)
}

// splitList splits what a user typed as a list: commas, semicolons and line breaks separate items.
func splitList(s string) []string {
	var out []string
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '\n' }) {
		if item = strings.TrimSpace(item); item != "" && !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	return out
}

// readTenderForm applies the posted tender to t (lots replaced by the non-empty rows, numbered in order). Errors of
// the form itself (a number or a commune that cannot be read) come back; the service judges the rest.
func (s *Site) readTenderForm(r *http.Request, t *domain.Tender) (formErrors, string) {
	var errs formErrors
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	t.Title, t.Description, t.Kind = v("title"), v("description"), domain.TenderKind(v("kind"))
	t.ExternalReference, t.ExternalURL = v("external_reference"), v("external_url")
	codes := nonEmpty(r.PostForm["cpv_codes"])
	for _, c := range splitList(v("cpv_extra")) {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	t.CPVCodes = codes
	t.EstimatedTotalEUR = readAmount(&errs, "estimated_total_eur", v("estimated_total_eur"))
	t.DurationMonths = nil
	if d := v("duration_months"); d != "" {
		if n, err := strconv.Atoi(d); err != nil {
			errs.add("duration_months", "indiquez un nombre de mois")
		} else {
			t.DurationMonths = &n
		}
	}
	communes := nonEmpty(r.PostForm["communes"])
	for _, c := range s.readCommunes(&errs, "communes", v("other_communes")) {
		if !slices.Contains(communes, c) {
			communes = append(communes, c)
		}
	}
	t.Communes = communes
	t.SourcingDeadline = readDate(&errs, "sourcing_deadline", v("sourcing_deadline"))
	t.PlannedPublication = readDate(&errs, "planned_publication", v("planned_publication"))
	t.ResponseDeadline = readDate(&errs, "response_deadline", v("response_deadline"))
	n, _ := strconv.Atoi(v("lot_count"))
	t.Lots = nil
	for i := range min(n, domain.MaxTenderLots+1) {
		p := func(k string) string { return v(fmt.Sprintf("lots[%d].%s", i, k)) }
		if p("title") == "" && p("cpv_codes") == "" && p("estimated_value_eur") == "" && p("communes") == "" && p("description") == "" {
			continue
		}
		loc := fmt.Sprintf("lots[%d]", len(t.Lots))
		l := domain.Lot{Number: len(t.Lots) + 1, Title: p("title"), Description: p("description"), CPVCodes: splitList(p("cpv_codes")),
			Reservation: domain.Reservation(p("reservation")), SocialClause: p("social_clause") == "true",
			OpenToGroupement: p("open_to_groupement") == "true"}
		l.EstimatedValueEUR = readAmount(&errs, loc+".estimated_value_eur", p("estimated_value_eur"))
		l.MinTurnoverEUR = readAmount(&errs, loc+".min_turnover_eur", p("min_turnover_eur"))
		l.Communes = s.readCommunes(&errs, loc+".communes", p("communes"))
		t.Lots = append(t.Lots, l)
	}
	return errs, v("cpv_q")
}

// readCommunes reads communes typed by name or INSEE code, separated by commas.
func (s *Site) readCommunes(errs *formErrors, loc, text string) []string {
	var out []string
	for _, name := range splitList(text) {
		code, ok := s.resolveCommune(name)
		if !ok {
			errs.add(loc, "commune introuvable : « "+name+" » (vérifiez l'orthographe ou indiquez son code INSEE)")
			continue
		}
		if !slices.Contains(out, code) {
			out = append(out, code)
		}
	}
	return out
}

func readAmount(errs *formErrors, loc, text string) *int64 {
	text = strings.NewReplacer(" ", "", "\u202f", "", "\u00a0", "", "€", "").Replace(text)
	if text == "" {
		return nil
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		errs.add(loc, "indiquez un montant en euros, sans décimales")
		return nil
	}
	return &n
}

func readDate(errs *formErrors, loc, text string) *time.Time {
	if text == "" {
		return nil
	}
	d, err := time.Parse(time.DateOnly, text)
	if err != nil {
		errs.add(loc, "indiquez une date (jj/mm/aaaa)")
		return nil
	}
	return &d
}

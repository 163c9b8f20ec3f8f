package web

import (
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/allotment"
	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// assistantForm is the lot-splitting assistant: the need as typed, and the alternatives once compared.
type assistantForm struct {
	Title, BuyerKind, Duration string
	Lines                      []needLine
	Result                     *allotment.Result
	Alternatives               []alternativeView
	Drafts                     []domain.Tender
	BuyerKinds                 []choice
}

// needLine is one line of the need as typed: communes by name, values in euros.
type needLine struct {
	Index                          int
	Label, CPV, Value, CommuneText string
}

// alternativeView is an alternative with its title and its lots named after the need's lines.
type alternativeView struct {
	allotment.Alternative
	Heading string
	Lots    []lotView
}

type lotView struct {
	allotment.Lot
	Lines []string
}

var buyerKindChoices = []choice{{Value: string(allotment.BuyerLocal), Label: "Collectivité territoriale ou autre pouvoir adjudicateur"},
	{Value: string(allotment.BuyerState), Label: "État et ses établissements publics"},
	{Value: string(allotment.BuyerUtility), Label: "Entité adjudicatrice (réseaux : eau, énergie, transports)"}}

// procedureLabels name the procedure of a suggested lot.
var procedureLabels = map[string]string{
	allotment.ProcedureFormalised: "Procédure formalisée", allotment.ProcedureAdapted: "Procédure adaptée",
	allotment.ProcedureSmallLot: "Procédure adaptée (petit lot, R2123-1 2°)", allotment.ProcedureSocialSpecific: "Procédure adaptée (services sociaux et spécifiques, R2123-1 3°)",
}

func (s *Site) assistantOnly(w http.ResponseWriter, r *http.Request) bool {
	if s.deps.Allotment == nil {
		s.notFound(w, r)
		return false
	}
	return s.buyerOnly(w, r)
}

func (s *Site) assistant(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	f := assistantForm{BuyerKind: string(allotment.BuyerLocal), Duration: "12", BuyerKinds: buyerKindChoices}
	for i := range 4 {
		f.Lines = append(f.Lines, needLine{Index: i})
	}
	s.render(w, r, http.StatusOK, "assistant", view{Title: "Allotir un besoin", Section: "allotissement", Data: f})
}

// maxNeedLines bounds the rows the form reads (the engine's own limit).
const maxNeedLines = allotment.MaxLines

var notListIDChars = regexp.MustCompile(`[^a-z0-9-]+`)

var cpvCodeText = regexp.MustCompile(`^\d{8}(-\d)?$`)

// readNeed reads the posted need; lines left empty are dropped, and the form's own errors are returned.
func (s *Site) readNeed(r *http.Request) (assistantForm, allotment.Need, formErrors) {
	var errs formErrors
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	f := assistantForm{Title: v("title"), BuyerKind: v("buyer_kind"), Duration: v("duration_months"), BuyerKinds: buyerKindChoices}
	need := allotment.Need{Title: f.Title, BuyerKind: allotment.BuyerKind(f.BuyerKind)}
	if n, err := strconv.Atoi(f.Duration); err == nil {
		need.DurationMonths = n
	} else {
		errs.add("duration_months", "indiquez un nombre de mois")
	}
	count, _ := strconv.Atoi(v("line_count"))
	for i := range min(count, maxNeedLines) {
		p := func(k string) string { return v(fmt.Sprintf("lines[%d].%s", i, k)) }
		row := needLine{Index: len(f.Lines), Label: p("label"), CPV: p("cpv"), Value: p("estimated_value_eur"), CommuneText: p("communes")}
		if row.Label == "" && row.CPV == "" && row.Value == "" && row.CommuneText == "" {
			continue
		}
		loc := fmt.Sprintf("lines[%d]", row.Index)
		line := allotment.Line{Label: row.Label, Communes: s.readCommunes(&errs, loc+".communes", row.CommuneText)}
		line.CPV = s.readLineCPV(&errs, loc+".cpv", row.CPV)
		if amount := readAmount(&errs, loc+".estimated_value_eur", row.Value); amount != nil {
			line.EstimatedValueEUR = float64(*amount)
		}
		f.Lines = append(f.Lines, row)
		need.Lines = append(need.Lines, line)
	}
	return f, need, errs
}

// readLineCPV takes a CPV code as is; words are looked up, and the codes they match are offered in the error.
func (s *Site) readLineCPV(errs *formErrors, loc, text string) string {
	if text == "" || cpvCodeText.MatchString(text) {
		return text
	}
	if code, _, ok := strings.Cut(text, " "); ok && cpvCodeText.MatchString(code) {
		return code // "90910000-9 Services de nettoyage", as the suggestions show codes
	}
	found := s.deps.Ref.SearchCPV(text, 3)
	if len(found) == 0 {
		errs.add(loc, "aucun code CPV ne correspond à « "+text+" » : essayez un autre mot")
		return ""
	}
	var codes []string
	for _, c := range found {
		codes = append(codes, c.Code+" ("+c.Label+")")
	}
	errs.add(loc, "choisissez un code : "+strings.Join(codes, ", "))
	return ""
}

// assistantCompare runs the engine on the need and shows the alternatives side by side; "add a line" posts the
// form back with one more row.
func (s *Site) assistantCompare(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	f, need, errs := s.readNeed(r)
	if r.PostFormValue("action") == "line" || errs.Any() {
		f.Lines = append(f.Lines, needLine{Index: len(f.Lines)})
		status := http.StatusOK
		if errs.Any() {
			status = http.StatusUnprocessableEntity
		}
		s.render(w, r, status, "assistant", view{Title: "Allotir un besoin", Section: "allotissement", Errors: errs, Data: f})
		return
	}
	res, err := s.deps.Allotment.Suggest(r.Context(), need)
	if err != nil {
		if domain.KindOf(err) != domain.KindInvalid {
			s.fail(w, r, err)
			return
		}
		f.Lines = append(f.Lines, needLine{Index: len(f.Lines)})
		s.render(w, r, http.StatusUnprocessableEntity, "assistant", view{Title: "Allotir un besoin (erreur)", Section: "allotissement",
			Errors: newFormErrors(err), Data: f})
		return
	}
	f.Result = &res
	for _, a := range res.Alternatives {
		f.Alternatives = append(f.Alternatives, alternativeOf(a, need))
	}
	drafts, err := s.deps.Tenders.ListTenders(r.Context(), service.TenderFilter{Statuses: []domain.TenderStatus{domain.TenderDraft}},
		domain.PageRequest{Size: 50})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f.Drafts = drafts.Items
	s.render(w, r, http.StatusOK, "assistant", view{Title: "Allotir un besoin : alternatives", Section: "allotissement", Data: f})
}

func alternativeOf(a allotment.Alternative, need allotment.Need) alternativeView {
	av := alternativeView{Alternative: a, Heading: a.Strategy}
	if len(a.Explanations) > 0 {
		av.Heading = strings.TrimSuffix(a.Explanations[0], ".")
	}
	for _, l := range a.Lots {
		lv := lotView{Lot: l}
		for _, i := range l.LineIndexes {
			if i >= 0 && i < len(need.Lines) {
				lv.Lines = append(lv.Lines, need.Lines[i].Label)
			}
		}
		av.Lots = append(av.Lots, lv)
	}
	return av
}

// assistantApply runs the engine again on the posted need and writes the chosen alternative's lots into a new
// draft tender, or into a draft of the buyer's, through the same tender use cases as the editor.
func (s *Site) assistantApply(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	_, need, errs := s.readNeed(r)
	if errs.Any() {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Besoin incomplet", strings.Join(errs.Messages(), " ; "))
		return
	}
	res, err := s.deps.Allotment.Suggest(r.Context(), need)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	i := slices.IndexFunc(res.Alternatives, func(a allotment.Alternative) bool { return a.Strategy == r.PostFormValue("strategy") })
	if i < 0 {
		s.errorPage(w, r, http.StatusConflict, "Alternative introuvable",
			"Cette alternative n'est plus proposée (l'annuaire a changé entre-temps) : comparez de nouveau.")
		return
	}
	lots, total := tenderLotsOf(res.Alternatives[i], need)
	codes := lotCodes(lots)
	duration := need.DurationMonths
	var saved *domain.Tender
	if target := r.PostFormValue("tender_id"); target != "" {
		saved, err = s.deps.Tenders.UpdateTender(r.Context(), target, nil, func(t *domain.Tender) {
			t.Lots, t.EstimatedTotalEUR = lots, &total
			if len(t.CPVCodes) == 0 {
				t.CPVCodes = codes
			}
			if t.DurationMonths == nil {
				t.DurationMonths = &duration
			}
		})
	} else {
		title := need.Title
		if title == "" {
			title = "Besoin alloti le " + dateFR(s.deps.Now())
		}
		deadline := time.Date(s.deps.Now().Year(), s.deps.Now().Month(), s.deps.Now().Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
		saved, err = s.deps.Tenders.CreateTender(r.Context(), domain.Tender{Title: title, Kind: domain.TenderSourcing,
			SourcingDeadline: &deadline, DurationMonths: &duration, EstimatedTotalEUR: &total, CPVCodes: codes, Lots: lots})
	}
	if domain.KindOf(err) == domain.KindInvalid {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Alternative non applicable",
			"Les lots de cette alternative ne forment pas un besoin valable : "+strings.Join(newFormErrors(err).Messages(), " ; "))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/achats/"+saved.ID+"/modifier?ok=allotissement")
}

// tenderLotsOf turns a suggested split into tender lots named after the need's lines; the reservation advice and
// the explanations go into each lot's description for the buyer to decide on.
func tenderLotsOf(a allotment.Alternative, need allotment.Need) ([]domain.Lot, int64) {
	var lots []domain.Lot
	var total int64
	for _, l := range alternativeOf(a, need).Lots {
		value := int64(math.Round(l.ValueEUR))
		total += value
		title := strings.Join(l.Lines, ", ")
		if title == "" {
			title = "Lot " + strconv.Itoa(l.Number)
		}
		if utf8.RuneCountInString(title) > domain.MaxTenderTitleRunes {
			title = string([]rune(title)[:domain.MaxTenderTitleRunes-1]) + "…"
		}
		desc := strings.Join(l.Explanations, "\n")
		if l.ReservationAdvice.Reason != "" {
			desc = "Conseil : " + l.ReservationAdvice.Reason + "\n" + desc
		}
		lots = append(lots, domain.Lot{Number: l.Number, Title: title, Description: desc, CPVCodes: slices.Clone(l.CPVCodes),
			Communes: slices.Clone(l.Communes), EstimatedValueEUR: &value, Reservation: domain.ReservationNone,
			SocialClause: l.ReservationAdvice.Kind == allotment.AdviceSocialClause, OpenToGroupement: len(l.GroupementPotential) > 0})
	}
	return lots, total
}

// lotCodes are the distinct CPV codes of the lots, as many as a tender may list: the tender's own codes.
func lotCodes(lots []domain.Lot) []string {
	var out []string
	for _, l := range lots {
		for _, c := range l.CPVCodes {
			if !slices.Contains(out, c) && len(out) < domain.MaxTenderCPVCodes {
				out = append(out, c)
			}
		}
	}
	return out
}

// cpvOptions fills the list of suggestions of a CPV field (htmx): the codes matching the words typed.
func (s *Site) cpvOptions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var text string
	for k, vs := range q {
		if k != "liste" && len(vs) > 0 {
			text = vs[0]
		}
	}
	var found []refdata.CPV
	if t := strings.TrimSpace(text); t != "" && !cpvCodeText.MatchString(t) {
		found = s.deps.Ref.SearchCPV(t, 12)
	}
	list := notListIDChars.ReplaceAllString(q.Get("liste"), "")
	s.render(w, r, http.StatusOK, "cpv-options", view{Title: "Codes CPV", Data: struct {
		List    string
		Options []refdata.CPV
	}{list, found}})
}

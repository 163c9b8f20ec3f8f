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

// assistantApply saves the need as a new draft tender, one lot per line, then has the allotment service apply the
// chosen alternative to it, exactly as the API's apply does: the service suggests again from the draft and
// replaces its lots with those of that strategy.
func (s *Site) assistantApply(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	_, need, errs := s.readNeed(r)
	if errs.Any() {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Besoin incomplet", strings.Join(errs.Messages(), " ; "))
		return
	}
	draft, err := s.deps.Tenders.CreateTender(r.Context(), s.draftOfNeed(need))
	if domain.KindOf(err) == domain.KindInvalid {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Besoin non enregistré",
			"Ce besoin ne peut pas devenir un brouillon de besoin d'achat : "+strings.Join(newFormErrors(err).Messages(), " ; "))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.applyAlternative(w, r, draft, r.PostFormValue("strategy"), allotment.BuyerKind(r.PostFormValue("buyer_kind")), nil)
}

// applyAlternative applies an alternative to a draft through service.AllotmentService.ApplyToTender.
func (s *Site) applyAlternative(w http.ResponseWriter, r *http.Request, t *domain.Tender, strategy string, kind allotment.BuyerKind, version *int) {
	_, err := s.deps.Allotment.ApplyToTender(r.Context(), s.deps.Tenders, t.ID, strategy, service.TenderAllotmentOptions{BuyerKind: kind}, version)
	switch {
	case err == nil:
		redirect(w, r, "/achats/"+t.ID+"?ok=allotissement")
	case domain.KindOf(err) == domain.KindInvalid:
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Découpage non appliqué",
			"Le brouillon « "+t.Title+" » est enregistré, mais ce découpage n'a pas pu lui être appliqué : "+
				strings.Join(newFormErrors(err).Messages(), " ; ")+". Ouvrez le brouillon depuis « Mes achats » pour comparer de nouveau.")
	default:
		s.fail(w, r, err)
	}
}

// draftOfNeed is the need as a draft tender to be sourced within a month: one lot per line.
func (s *Site) draftOfNeed(need allotment.Need) domain.Tender {
	now := s.deps.Now()
	title := need.Title
	if title == "" {
		title = "Besoin du " + dateFR(now)
	}
	deadline := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
	duration := need.DurationMonths
	t := domain.Tender{Title: title, Kind: domain.TenderSourcing, SourcingDeadline: &deadline, DurationMonths: &duration}
	var total int64
	for i, l := range need.Lines {
		code := l.CPV
		if c, ok := s.deps.Ref.CPV(code); ok {
			code = c.Code
		}
		value := int64(math.Round(l.EstimatedValueEUR))
		total += value
		t.Lots = append(t.Lots, domain.Lot{Number: i + 1, Title: l.Label, CPVCodes: []string{code}, Communes: slices.Clone(l.Communes),
			EstimatedValueEUR: &value, Reservation: domain.ReservationNone})
		if !slices.Contains(t.CPVCodes, code) && len(t.CPVCodes) < domain.MaxTenderCPVCodes {
			t.CPVCodes = append(t.CPVCodes, code)
		}
	}
	t.EstimatedTotalEUR = &total
	return t
}

type tenderAllotment struct {
	T    *domain.Tender
	Form assistantForm
}

// tenderAllotmentPage compares the splits of a draft tender's own lots (service.AllotmentService.SuggestForTender).
func (s *Site) tenderAllotmentPage(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	res, err := s.deps.Allotment.SuggestForTender(r.Context(), s.deps.Tenders, t.ID, service.TenderAllotmentOptions{})
	if domain.KindOf(err) == domain.KindInvalid {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Découpages impossibles à calculer",
			"Complétez d'abord le brouillon : "+strings.Join(newFormErrors(err).Messages(), " ; ")+".")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	need := needOfLots(t)
	p := tenderAllotment{T: t, Form: assistantForm{Result: &res}}
	for _, a := range res.Alternatives {
		p.Form.Alternatives = append(p.Form.Alternatives, alternativeOf(a, need))
	}
	s.render(w, r, http.StatusOK, "tender-allotment", view{Title: "Découpages possibles de « " + t.Title + " »", Section: "achats", Data: p})
}

// needOfLots names the lines the service builds from a tender (one per lot and CPV code) after their lots, so
// that suggested lots can say which lots they gather.
func needOfLots(t *domain.Tender) allotment.Need {
	var n allotment.Need
	for _, l := range t.Lots {
		for range t.LotCPVCodes(l) {
			n.Lines = append(n.Lines, allotment.Line{Label: l.Title})
		}
	}
	return n
}

// applyToTender applies an alternative to the draft it was suggested for, at the version the buyer saw.
func (s *Site) applyToTender(w http.ResponseWriter, r *http.Request) {
	if !s.assistantOnly(w, r) {
		return
	}
	t, err := s.deps.Tenders.FindTenderByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	version, err := strconv.Atoi(r.PostFormValue("version"))
	if err != nil {
		version = t.Version
	}
	s.applyAlternative(w, r, t, r.PostFormValue("strategy"), "", &version)
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

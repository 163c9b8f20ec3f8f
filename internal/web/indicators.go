package web

import (
	"net/http"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type indicatorsData struct {
	From, To string
	Report   *service.Indicators
	Largest  map[string]int
}

// indicators shows the SPASER indicators of GET /v1/indicators as tables and bar charts that print well.
func (s *Site) indicators(w http.ResponseWriter, r *http.Request) {
	if s.deps.Indicators == nil {
		s.notFound(w, r)
		return
	}
	now := s.deps.Now()
	q := r.URL.Query()
	data := indicatorsData{From: q.Get("from"), To: q.Get("to")}
	if data.From == "" {
		data.From = time.Date(now.Year()-1, time.January, 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	if data.To == "" {
		data.To = now.Format(time.DateOnly)
	}
	var errs formErrors
	from, err1 := time.Parse(time.DateOnly, data.From)
	to, err2 := time.Parse(time.DateOnly, data.To)
	if err1 != nil {
		errs.add("from", "indiquez une date")
	}
	if err2 != nil {
		errs.add("to", "indiquez une date")
	}
	if !errs.Any() {
		report, err := s.deps.Indicators.Indicators(r.Context(), service.IndicatorQuery{From: from, To: to})
		switch {
		case err == nil:
			data.Report = report
			data.Largest = map[string]int{
				"family": largest(report.Directory.ByFamily), "inclusion": largest(report.Directory.ByInclusionKind),
				"commune": largest(report.Directory.ByCommune), "cpv": largest(report.Directory.ByCPVDivision)}
		case domain.KindOf(err) == domain.KindInvalid:
			errs = newFormErrors(err)
		default:
			s.fail(w, r, err)
			return
		}
	}
	status := http.StatusOK
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "indicators", view{Title: "Indicateurs du schéma d'achats responsables", Section: "indicateurs",
		Errors: errs, Data: data})
}

func largest(counts []service.Count) int {
	m := 0
	for _, c := range counts {
		m = max(m, c.Count)
	}
	return m
}

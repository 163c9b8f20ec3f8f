package httpapi

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/frcsv"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

func (h *handlers) GetIndicators(ctx context.Context, req gen.GetIndicatorsRequestObject) (gen.GetIndicatorsResponseObject, error) {
	if h.deps.Indicators == nil {
		return nil, domain.Internal(errors.New("httpapi: Deps.Indicators is not set"))
	}
	q, err := indicatorQuery(req.Params)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	ind, err := h.deps.Indicators.Indicators(ctx, q)
	if err != nil {
		return nil, withLocationPrefix(err, "query")
	}
	if wantsCSV(deref(req.Params.Accept)) {
		return indicatorsCSV{body: indicatorsCSVBody(ind), filename: indicatorsFilename(ind)}, nil
	}
	return gen.GetIndicators200JSONResponse(toAPIIndicators(ind)), nil
}

// indicatorQuery reads the period; the parameters are plain strings in the contract so that a bad date is
// reported here, by name, like every other invalid field.
func indicatorQuery(params gen.GetIndicatorsParams) (service.IndicatorQuery, error) {
	var p domain.Problems
	q := service.IndicatorQuery{BuyerSIRET: strings.TrimSpace(deref(params.Buyer))}
	for _, d := range []struct {
		name  string
		value string
		dst   *time.Time
	}{{"from", params.From, &q.From}, {"to", params.To, &q.To}} {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(d.value))
		if err != nil {
			p.Add(d.name, "must be a date written YYYY-MM-DD, such as 2024-01-31")
			continue
		}
		*d.dst = t
	}
	return q, p.Err()
}

// wantsCSV reports whether an Accept header prefers text/csv to JSON; JSON is the default.
func wantsCSV(accept string) bool {
	csvQ, jsonQ := -1.0, -1.0
	for _, part := range strings.Split(accept, ",") {
		media, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		q := 1.0
		if v, err := strconv.ParseFloat(params["q"], 64); err == nil {
			q = v
		}
		switch media {
		case "text/csv":
			csvQ = max(csvQ, q)
		case "application/json", "*/*", "application/*":
			jsonQ = max(jsonQ, q)
		}
	}
	return csvQ > 0 && csvQ > jsonQ
}

func toAPIIndicators(ind *service.Indicators) gen.Indicators {
	a, d := ind.Awards, ind.Directory
	out := gen.Indicators{
		Period: gen.IndicatorPeriod{From: openapi_types.Date{Time: ind.Query.From}, To: openapi_types.Date{Time: ind.Query.To}},
		Awards: gen.AwardIndicators{
			Contracts: a.Contracts, ContractsWithoutAmount: a.ContractsWithoutAmount, ValueEUR: a.ValueEUR,
			ESSContracts: a.ESSContracts, ESSValueEUR: a.ESSValueEUR, ESSContractShare: a.ESSContractShare,
			ESSValueShare: a.ESSValueShare, FirstTimeESSWinners: a.FirstTimeESSWinners,
			DistinctESSWinners: a.DistinctESSWinners, SocialContracts: a.SocialContracts,
			SocialContractShare: a.SocialContractShare, ReservedContracts: a.ReservedContracts,
			ReservedContractShare: a.ReservedContractShare, ESSSocialContracts: a.ESSSocialContracts,
			GroupementContracts: a.GroupementContracts, ESSGroupementContracts: a.ESSGroupementContracts,
			SubcontractingContracts: a.SubcontractingContracts, DistinctBuyers: a.DistinctBuyers,
			UndatedAwards: a.UndatedAwards,
		},
		Directory: gen.DirectoryIndicators{
			Structures: d.Structures, FirstTimeBidders: d.FirstTimeBidders, FirstTimeShare: d.FirstTimeShare,
			Verified: d.Verified, VerifiedShare: d.VerifiedShare,
			ByFamily: apiCounts(d.ByFamily), ByInclusionKind: apiCounts(d.ByInclusionKind),
			ByCommune: apiCounts(d.ByCommune), ByCPVDivision: apiCounts(d.ByCPVDivision),
		},
	}
	if ind.Query.BuyerSIRET != "" {
		out.Period.Buyer = ptr(ind.Query.BuyerSIRET)
	}
	return out
}

func apiCounts(cs []service.Count) []gen.IndicatorCount {
	out := make([]gen.IndicatorCount, len(cs))
	for i, c := range cs {
		out[i] = gen.IndicatorCount{Key: c.Key, Label: c.Label, Count: c.Count}
	}
	return out
}

// indicatorsCSV is the CSV answer, written for a spreadsheet set to French: UTF-8 with a byte-order mark (without
// it Excel reads UTF-8 as Windows-1252), semicolons, decimal commas, CRLF line ends and French headers.
type indicatorsCSV struct {
	body     []byte
	filename string
}

func (r indicatorsCSV) VisitGetIndicatorsResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": r.filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.body)
	return err
}

func indicatorsFilename(ind *service.Indicators) string {
	name := "indicateurs-spaser_" + ind.Query.From.Format("2006-01-02") + "_" + ind.Query.To.Format("2006-01-02")
	if ind.Query.BuyerSIRET != "" {
		name += "_" + ind.Query.BuyerSIRET
	}
	return name + ".csv"
}

// indicatorsCSVBody writes one indicator per row: section, indicator, code, value.
func indicatorsCSVBody(ind *service.Indicators) []byte {
	var buf bytes.Buffer
	// Writing to a bytes.Buffer never fails, so the errors of the writer are not checked.
	w, _ := frcsv.NewWriter(&buf)
	row := func(section, name, code, value string) { _ = w.Write([]string{section, name, code, value}) }
	row("Rubrique", "Indicateur", "Code", "Valeur")
	q, a, d := ind.Query, ind.Awards, ind.Directory
	const period, awards, dir = "Période", "Marchés attribués", "Annuaire"
	row(period, "Début de la période", "", q.From.Format("02/01/2006"))
	row(period, "Fin de la période (incluse)", "", q.To.Format("02/01/2006"))
	if q.BuyerSIRET != "" {
		row(period, "Acheteur (SIRET)", "", q.BuyerSIRET)
	}
	for _, r := range []struct {
		name  string
		value string
	}{
		{"Marchés attribués", itoa(a.Contracts)},
		{"Marchés sans montant connu", itoa(a.ContractsWithoutAmount)},
		{"Montant attribué (€ HT)", i64(a.ValueEUR)},
		{"Marchés attribués à l'ESS", itoa(a.ESSContracts)},
		{"Montant attribué à l'ESS (€ HT)", i64(a.ESSValueEUR)},
		{"Part des marchés attribués à l'ESS (%)", percent(a.ESSContractShare)},
		{"Part du montant attribué à l'ESS (%)", percent(a.ESSValueShare)},
		{"Structures de l'ESS primo-attributaires", itoa(a.FirstTimeESSWinners)},
		{"Structures de l'ESS attributaires", itoa(a.DistinctESSWinners)},
		{"Marchés avec considération sociale", itoa(a.SocialContracts)},
		{"Part des marchés avec considération sociale (%)", percent(a.SocialContractShare)},
		{"Marchés réservés", itoa(a.ReservedContracts)},
		{"Part des marchés réservés (%)", percent(a.ReservedContractShare)},
		{"Marchés avec considération sociale attribués à l'ESS", itoa(a.ESSSocialContracts)},
		{"Marchés attribués à un groupement", itoa(a.GroupementContracts)},
		{"Groupements comprenant une structure de l'ESS", itoa(a.ESSGroupementContracts)},
		{"Marchés avec sous-traitance déclarée", itoa(a.SubcontractingContracts)},
		{"Acheteurs", itoa(a.DistinctBuyers)},
		{"Marchés sans date (hors période)", itoa(a.UndatedAwards)},
	} {
		row(awards, r.name, "", r.value)
	}
	row(dir, "Structures publiées", "", itoa(d.Structures))
	row(dir, "Primo-accédants (aucun marché connu)", "", itoa(d.FirstTimeBidders))
	row(dir, "Part de primo-accédants (%)", "", percent(d.FirstTimeShare))
	row(dir, "Structures vérifiées", "", itoa(d.Verified))
	row(dir, "Part de structures vérifiées (%)", "", percent(d.VerifiedShare))
	for _, b := range []struct {
		name   string
		counts []service.Count
	}{
		{"Structures par famille de l'ESS", d.ByFamily},
		{"Structures par type d'inclusion", d.ByInclusionKind},
		{"Structures par commune", d.ByCommune},
		{"Structures par division CPV de leurs offres", d.ByCPVDivision},
	} {
		for _, c := range b.counts {
			row(dir, b.name+" : "+c.Label, c.Key, itoa(c.Count))
		}
	}
	_ = w.Flush()
	return buf.Bytes()
}

func itoa(n int) string  { return strconv.Itoa(n) }
func i64(n int64) string { return strconv.FormatInt(n, 10) }
func percent(share float64) string {
	return strings.Replace(strconv.FormatFloat(share*100, 'f', 2, 64), ".", ",", 1)
}

// IndicatorLabels names the codes of the indicator breakdowns from the reference data.
type IndicatorLabels struct{ Ref *refdata.Catalog }

// CommuneName returns the name of a commune, or its code when unknown.
func (l IndicatorLabels) CommuneName(insee string) string {
	if c, ok := l.Ref.Commune(insee); ok {
		return c.Name
	}
	return insee
}

// InclusionKindLabel returns the label of an inclusion kind, or its code when unknown.
func (l IndicatorLabels) InclusionKindLabel(code string) string {
	if k, ok := l.Ref.InclusionKind(code); ok {
		return k.Label
	}
	return code
}

// CPVDivisionLabel returns the label of a CPV division ("45": travaux de construction), or the code.
func (l IndicatorLabels) CPVDivisionLabel(division string) string {
	if c, ok := l.Ref.CPV(fmt.Sprintf("%s000000", division)); ok {
		return c.Label
	}
	return division
}

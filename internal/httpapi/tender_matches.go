package httpapi

import (
	"bytes"
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/frcsv"
	"github.com/essor-ess/essor/internal/httpapi/gen"
	"github.com/essor-ess/essor/internal/service"
)

// matchQuery reads the match parameters; a CSV export holds every match on one page.
func matchQuery(firstTimeFirst *bool, pageSize *int, cursor *string, csvWanted bool) (service.MatchQuery, error) {
	size := deref(pageSize)
	if csvWanted {
		size = 0
	}
	page, err := domain.NewPageRequest(size, deref(cursor))
	if err != nil {
		return service.MatchQuery{}, withLocationPrefix(err, "query")
	}
	if csvWanted {
		page = domain.PageRequest{Size: int(^uint(0) >> 2)}
	}
	return service.MatchQuery{FirstTimeFirst: deref(firstTimeFirst), Page: page}, nil
}

func (h *handlers) lotMatches(ctx context.Context, tenderID string, lot int, all bool, q service.MatchQuery) (domain.Page[domain.LotMatch], error) {
	ts, err := h.tenders()
	if err != nil {
		return domain.Page[domain.LotMatch]{}, err
	}
	if all {
		return ts.TenderMatches(ctx, tenderID, q)
	}
	return ts.LotMatches(ctx, tenderID, lot, q)
}

func (h *handlers) ListLotMatches(ctx context.Context, req gen.ListLotMatchesRequestObject) (gen.ListLotMatchesResponseObject, error) {
	p := req.Params
	csvWanted := wantsCSV(deref(p.Accept))
	q, err := matchQuery(p.FirstTimeFirst, p.PageSize, p.Cursor, csvWanted)
	if err != nil {
		return nil, err
	}
	found, err := h.lotMatches(ctx, req.TenderID, req.Number, false, q)
	if err != nil {
		return nil, err
	}
	if csvWanted {
		return matchesCSV{body: matchesCSVBody(found.Items), filename: matchesFilename(req.TenderID, req.Number)}, nil
	}
	return gen.ListLotMatches200JSONResponse(toAPIMatches(found)), nil
}

func (h *handlers) ExportLotMatches(ctx context.Context, req gen.ExportLotMatchesRequestObject) (gen.ExportLotMatchesResponseObject, error) {
	q, err := matchQuery(req.Params.FirstTimeFirst, nil, nil, true)
	if err != nil {
		return nil, err
	}
	found, err := h.lotMatches(ctx, req.TenderID, req.Number, false, q)
	if err != nil {
		return nil, err
	}
	return matchesCSV{body: matchesCSVBody(found.Items), filename: matchesFilename(req.TenderID, req.Number)}, nil
}

func (h *handlers) ListTenderMatches(ctx context.Context, req gen.ListTenderMatchesRequestObject) (gen.ListTenderMatchesResponseObject, error) {
	p := req.Params
	csvWanted := wantsCSV(deref(p.Accept))
	q, err := matchQuery(p.FirstTimeFirst, p.PageSize, p.Cursor, csvWanted)
	if err != nil {
		return nil, err
	}
	found, err := h.lotMatches(ctx, req.TenderID, 0, true, q)
	if err != nil {
		return nil, err
	}
	if csvWanted {
		return matchesCSV{body: matchesCSVBody(found.Items), filename: matchesFilename(req.TenderID, 0)}, nil
	}
	return gen.ListTenderMatches200JSONResponse(toAPIMatches(found)), nil
}

func (h *handlers) ExportTenderMatches(ctx context.Context, req gen.ExportTenderMatchesRequestObject) (gen.ExportTenderMatchesResponseObject, error) {
	q, err := matchQuery(req.Params.FirstTimeFirst, nil, nil, true)
	if err != nil {
		return nil, err
	}
	found, err := h.lotMatches(ctx, req.TenderID, 0, true, q)
	if err != nil {
		return nil, err
	}
	return matchesCSV{body: matchesCSVBody(found.Items), filename: matchesFilename(req.TenderID, 0)}, nil
}

func toAPIMatches(p domain.Page[domain.LotMatch]) gen.LotMatchList {
	out := gen.LotMatchList{Items: make([]gen.LotMatch, len(p.Items)), NextCursor: cursorOf(p.NextCursor), Total: p.Total}
	for i := range p.Items {
		m := &p.Items[i]
		m.Structure.Representatives = nil
		reasons := make([]gen.LotMatchReason, len(m.Reasons))
		for j, r := range m.Reasons {
			reasons[j] = gen.LotMatchReason{Code: r.Code, Message: r.Message}
		}
		out.Items[i] = gen.LotMatch{LotNumber: m.LotNumber, Structure: toAPIStructure(&m.Structure, false),
			OfferIds: nonNil(m.OfferIDs), FirstTime: m.FirstTime, Reasons: reasons}
	}
	return out
}

// matchesCSV is the CSV of matches for a spreadsheet set to French, like indicatorsCSV: UTF-8 with BOM,
// semicolons, CRLF, French headers.
type matchesCSV struct {
	body     []byte
	filename string
}

func (r matchesCSV) write(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": r.filename}))
	w.Header().Set("Content-Length", strconv.Itoa(len(r.body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.body)
	return err
}

func (r matchesCSV) VisitListLotMatchesResponse(w http.ResponseWriter) error      { return r.write(w) }
func (r matchesCSV) VisitExportLotMatchesResponse(w http.ResponseWriter) error    { return r.write(w) }
func (r matchesCSV) VisitListTenderMatchesResponse(w http.ResponseWriter) error   { return r.write(w) }
func (r matchesCSV) VisitExportTenderMatchesResponse(w http.ResponseWriter) error { return r.write(w) }

func matchesFilename(tenderID string, lot int) string {
	if lot == 0 {
		return "structures-ess_besoin-" + tenderID + ".csv"
	}
	return "structures-ess_besoin-" + tenderID + "_lot-" + strconv.Itoa(lot) + ".csv"
}

func matchesCSVBody(ms []domain.LotMatch) []byte {
	var buf bytes.Buffer
	w, _ := frcsv.NewWriter(&buf) // bytes.Buffer never fails
	_ = w.Write([]string{"Lot", "Structure", "SIRET", "Commune", "Famille ESS", "Types d'insertion",
		"Primo-accédant", "Chiffre d'affaires (€)", "Courriel", "Téléphone", "Offres", "Raisons"}) // bytes.Buffer never fails
	for _, m := range ms {
		s := m.Structure
		turnover := ""
		if s.AnnualTurnoverEUR != nil {
			turnover = strconv.FormatInt(*s.AnnualTurnoverEUR, 10)
		}
		first := "non"
		if m.FirstTime {
			first = "oui"
		}
		var offers, reasons []string
		for _, o := range s.Offers {
			for _, id := range m.OfferIDs {
				if o.ID == id {
					offers = append(offers, o.Title)
				}
			}
		}
		for _, r := range m.Reasons {
			reasons = append(reasons, r.Message)
		}
		_ = w.Write([]string{strconv.Itoa(m.LotNumber), s.Name, s.SIRET, s.Commune, string(s.ESSFamily),
			strings.Join(s.InclusionKinds, ", "), first, turnover, s.Contact.Email, s.Contact.Phone,
			strings.Join(offers, " | "), strings.Join(reasons, " | ")})
	}
	_ = w.Flush()
	return buf.Bytes()
}

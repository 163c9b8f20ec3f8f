package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

type offerForm struct {
	Structure   *domain.Structure
	O           domain.Offer
	New         bool
	Radius      string
	Capacity    string
	CPVQuery    string
	Suggestions []refdata.CPV
	Communes    []refdata.Commune
	OtherZones  string
	Kinds       []choice
}

func (s *Site) offerFormData(st *domain.Structure, o domain.Offer, isNew bool) offerForm {
	f := offerForm{Structure: st, O: o, New: isNew, Communes: s.communeChoices("")}
	if o.Area.RadiusKM > 0 {
		f.Radius = strconv.FormatFloat(o.Area.RadiusKM, 'f', -1, 64)
	}
	if o.CapacityEUR != nil {
		f.Capacity = strconv.FormatInt(*o.CapacityEUR, 10)
	}
	var others []string
	for _, z := range o.Area.Zones {
		if !slices.ContainsFunc(f.Communes, func(c refdata.Commune) bool { return "commune:"+c.INSEE == z }) {
			others = append(others, z)
		}
	}
	f.OtherZones = strings.Join(others, ", ")
	for _, k := range offerKindOrder {
		f.Kinds = append(f.Kinds, choice{Value: string(k), Label: offerKindLabels[k]})
	}
	return f
}

// readOfferForm applies the posted offer to o. CPV codes come from the ticked boxes (chosen and suggested) and
// from a free field for buyers who know their codes; zones from the ticked communes and a free list.
func readOfferForm(r *http.Request, o *domain.Offer) (formErrors, string) {
	var errs formErrors
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	o.Title, o.Description, o.Kind = v("title"), v("description"), domain.OfferKind(v("kind"))
	codes := nonEmpty(r.PostForm["cpv_codes"])
	for _, c := range strings.FieldsFunc(v("cpv_extra"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' }) {
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	o.CPVCodes = codes
	o.Area = domain.Area{Scope: domain.AreaScope(v("area.scope"))}
	switch o.Area.Scope {
	case domain.ScopeRadius:
		km, err := strconv.ParseFloat(strings.ReplaceAll(v("area.radius_km"), ",", "."), 64)
		if err != nil {
			errs.add("area.radius_km", "indiquez un nombre de kilomètres")
		}
		o.Area.RadiusKM = km
	case domain.ScopeZones:
		zones := nonEmpty(r.PostForm["area.zones"])
		for _, z := range strings.FieldsFunc(v("other_zones"), func(r rune) bool { return r == ',' || r == ';' || r == ' ' }) {
			if !slices.Contains(zones, z) {
				zones = append(zones, z)
			}
		}
		o.Area.Zones = zones
	}
	o.CapacityEUR = nil
	if c := strings.ReplaceAll(v("capacity_eur"), " ", ""); c != "" {
		n, err := strconv.ParseInt(c, 10, 64)
		if err != nil {
			errs.add("capacity_eur", "indiquez un montant en euros, sans décimales")
		} else {
			o.CapacityEUR = &n
		}
	}
	return errs, v("cpv_q")
}

func (s *Site) newOfferForm(w http.ResponseWriter, r *http.Request) {
	st, ok := s.editable(w, r)
	if !ok {
		return
	}
	o := domain.Offer{Kind: domain.OfferService, Area: domain.Area{Scope: domain.ScopeRadius, RadiusKM: 30}}
	s.render(w, r, http.StatusOK, "offer-form", view{Title: "Ajouter une offre à " + st.Name, Section: "ma-structure",
		Data: s.offerFormData(st, o, true)})
}

func (s *Site) editOfferForm(w http.ResponseWriter, r *http.Request) {
	st, ok := s.editable(w, r)
	if !ok {
		return
	}
	o, err := s.deps.Directory.FindOffer(r.Context(), st.ID, r.PathValue("offer"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "offer-form", view{Title: "Modifier l'offre « " + o.Title + " »", Section: "ma-structure",
		Data: s.offerFormData(st, *o, false)})
}

func (s *Site) createOffer(w http.ResponseWriter, r *http.Request) {
	s.saveOffer(w, r, "")
}

func (s *Site) updateOffer(w http.ResponseWriter, r *http.Request) {
	s.saveOffer(w, r, r.PathValue("offer"))
}

// saveOffer creates (offerID "") or updates an offer. The "search CPV" button of the form posts it too: the form
// comes back with the suggestions, so that choosing codes works without JavaScript.
func (s *Site) saveOffer(w http.ResponseWriter, r *http.Request, offerID string) {
	st, ok := s.editable(w, r)
	if !ok {
		return
	}
	var o domain.Offer
	if offerID != "" {
		cur, err := s.deps.Directory.FindOffer(r.Context(), st.ID, offerID)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		o = *cur
	}
	errs, cpvQuery := readOfferForm(r, &o)
	title := "Ajouter une offre à " + st.Name
	if offerID != "" {
		title = "Modifier l'offre"
	}
	if r.PostFormValue("action") == "cpv" {
		f := s.offerFormData(st, o, offerID == "")
		f.CPVQuery, f.Suggestions = cpvQuery, s.cpvMatches(cpvQuery, o.CPVCodes)
		s.render(w, r, http.StatusOK, "offer-form", view{Title: title, Section: "ma-structure", Data: f})
		return
	}
	if !errs.Any() {
		var err error
		if offerID == "" {
			_, err = s.deps.Directory.CreateOffer(r.Context(), st.ID, o)
		} else {
			_, err = s.deps.Directory.UpdateOffer(r.Context(), st.ID, offerID, func(cur *domain.Offer) {
				id, sid, created := cur.ID, cur.StructureID, cur.CreatedAt
				*cur = o
				cur.ID, cur.StructureID, cur.CreatedAt = id, sid, created
			})
		}
		if err == nil {
			redirect(w, r, "/structures/"+st.ID+"?ok=offre")
			return
		}
		if domain.KindOf(err) != domain.KindInvalid {
			s.fail(w, r, err)
			return
		}
		errs = newFormErrors(err)
	}
	s.render(w, r, http.StatusUnprocessableEntity, "offer-form", view{Title: title + " (erreur)", Section: "ma-structure",
		Errors: errs, Data: s.offerFormData(st, o, offerID == "")})
}

func (s *Site) deleteOffer(w http.ResponseWriter, r *http.Request) {
	st, ok := s.editable(w, r)
	if !ok {
		return
	}
	if err := s.deps.Directory.DeleteOffer(r.Context(), st.ID, r.PathValue("offer")); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/structures/"+st.ID+"?ok=offre-supprimee")
}

// cpvMatches are the CPV codes matching the words typed, without those already chosen.
func (s *Site) cpvMatches(q string, chosen []string) []refdata.CPV {
	if strings.TrimSpace(q) == "" {
		return nil
	}
	var out []refdata.CPV
	for _, c := range s.deps.Ref.SearchCPV(q, 15) {
		if !slices.Contains(chosen, c.Code) {
			out = append(out, c)
		}
	}
	return out
}

// cpvSuggestions answers the CPV autocomplete of the offer form (htmx): the matching codes as boxes to tick.
func (s *Site) cpvSuggestions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.render(w, r, http.StatusOK, "cpv-suggestions", view{Title: "Codes CPV",
		Data: offerForm{CPVQuery: q.Get("cpv_q"), Suggestions: s.cpvMatches(q.Get("cpv_q"), q["cpv_codes"])}})
}

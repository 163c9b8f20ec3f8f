package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
	"github.com/essor-ess/essor/internal/service"
)

// commonLegalCategories are the legal forms offered in the profile form: the frequent ESS forms first, then the
// commercial forms an ESUS or ESS-quality company may have.
var commonLegalCategories = []string{"9220", "9221", "9222", "9230", "9300", "8210", "5458", "5558", "5658", "5460",
	"5560", "5660", "6317", "6411", "5499", "5498", "5710", "5720", "5599"}

type structureForm struct {
	S              domain.Structure
	CommuneText    string
	ESUSExpires    string
	Turnover       string
	New            bool
	CanChangeSIRET bool
	LegalChoices   []choice
	Bases          []choice
	Bands          []refdata.HeadcountBand
	InclusionKinds []refdata.InclusionKind
	Communes       []refdata.Commune
}

func (s *Site) structureFormData(st domain.Structure, isNew bool) structureForm {
	f := structureForm{S: st, New: isNew, CommuneText: communeName(st.Commune), Bands: s.deps.Ref.HeadcountBands(),
		InclusionKinds: s.deps.Ref.InclusionKinds(), Communes: s.communeChoices(""),
		CanChangeSIRET: isNew}
	if st.Commune == "" {
		f.CommuneText = ""
	}
	if st.ESUSExpiresOn != nil {
		f.ESUSExpires = st.ESUSExpiresOn.Format(time.DateOnly)
	}
	if st.AnnualTurnoverEUR != nil {
		f.Turnover = strconv.FormatInt(*st.AnnualTurnoverEUR, 10)
	}
	codes := slices.Clone(commonLegalCategories)
	if st.LegalCategory != "" && !slices.Contains(codes, st.LegalCategory) {
		codes = append([]string{st.LegalCategory}, codes...)
	}
	for _, code := range codes {
		if c, ok := s.deps.Ref.LegalCategory(code); ok {
			f.LegalChoices = append(f.LegalChoices, choice{Value: c.Code, Label: c.Label})
		}
	}
	for _, b := range []domain.ESSBasis{domain.BasisLegalForm, domain.BasisESUSAgreement, domain.BasisESSQuality} {
		f.Bases = append(f.Bases, choice{Value: string(b), Label: essBasisLabels[b]})
	}
	return f
}

// resolveCommune reads a commune typed by name or INSEE code; ok is false when no single commune fits.
func (s *Site) resolveCommune(text string) (string, bool) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", true
	}
	if _, ok := s.deps.Ref.Commune(strings.ToUpper(text)); ok {
		return strings.ToUpper(text), true
	}
	for _, c := range s.deps.Ref.SearchCommunes(text, 5) {
		if refdata.Fold(c.Name) == refdata.Fold(text) {
			return c.INSEE, true
		}
	}
	return "", false
}

// readStructureForm applies the posted profile to st; errors of the form itself (a commune not found, a date
// that is not one) are returned alongside, the service checks the rest.
func (s *Site) readStructureForm(r *http.Request, st *domain.Structure) formErrors {
	var errs formErrors
	v := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if r.PostForm.Has("siret") {
		st.SIRET = strings.ReplaceAll(v("siret"), " ", "")
	}
	st.Name, st.Brand, st.LegalCategory = v("name"), v("brand"), v("legal_category")
	st.ESSBasis = domain.ESSBasis(v("ess_basis"))
	st.ESUSExpiresOn = nil
	if d := v("esus_expires_on"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			errs.add("esus_expires_on", "indiquez une date (jj/mm/aaaa)")
		} else {
			st.ESUSExpiresOn = &t
		}
	}
	st.InclusionKinds = nonEmpty(r.PostForm["inclusion_kinds"])
	st.HeadcountBand = v("headcount_band")
	st.Address, st.Postcode = v("address"), v("postcode")
	if code, ok := s.resolveCommune(v("commune")); ok {
		st.Commune = code
	} else {
		st.Commune = ""
		errs.add("commune", "commune introuvable : vérifiez l'orthographe ou indiquez son code INSEE (5 caractères)")
	}
	st.Website, st.Description = v("website"), v("description")
	st.Contact = domain.Contact{Email: v("contact.email"), Phone: v("contact.phone")}
	st.OpenToCotraitance = v("open_to_cotraitance") == "true"
	st.AnnualTurnoverEUR, st.TurnoverYear = nil, nil
	if t := strings.ReplaceAll(v("annual_turnover_eur"), " ", ""); t != "" {
		n, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			errs.add("annual_turnover_eur", "indiquez un montant en euros, sans décimales")
		} else {
			st.AnnualTurnoverEUR = &n
			year := s.deps.Now().Year() - 1
			if y, err := strconv.Atoi(v("turnover_year")); err == nil {
				year = y
			}
			st.TurnoverYear = &year
		}
	}
	if status := domain.StructureStatus(v("status")); status == domain.StatusDraft || status == domain.StatusPublished {
		st.Status = status
	}
	return errs
}

// myStructure lists the structures the user represents, or invites them to register theirs.
func (s *Site) myStructure(w http.ResponseWriter, r *http.Request) {
	actor := service.ActorFrom(r.Context())
	if actor.Anonymous() {
		s.fail(w, r, domain.Unauthenticated("sign in"))
		return
	}
	if actor.Role != service.RoleStructure {
		s.fail(w, r, domain.Forbidden("structure users only"))
		return
	}
	var mine []*domain.Structure
	for _, id := range actor.StructureIDs {
		st, err := s.deps.Directory.FindStructureByID(r.Context(), id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		mine = append(mine, st)
	}
	s.render(w, r, http.StatusOK, "my-structure", view{Title: "Ma structure", Section: "ma-structure", Data: mine})
}

func (s *Site) newStructureForm(w http.ResponseWriter, r *http.Request) {
	if actor := service.ActorFrom(r.Context()); actor.Anonymous() {
		s.fail(w, r, domain.Unauthenticated("sign in"))
		return
	}
	st := domain.Structure{ESSBasis: domain.BasisLegalForm, LegalCategory: "9220", Status: domain.StatusPublished}
	s.render(w, r, http.StatusOK, "structure-form", view{Title: "Enregistrer ma structure", Section: "ma-structure",
		Data: s.structureFormData(st, true)})
}

func (s *Site) createStructure(w http.ResponseWriter, r *http.Request) {
	st := domain.Structure{}
	errs := s.readStructureForm(r, &st)
	if !errs.Any() {
		created, err := s.deps.Directory.CreateStructure(r.Context(), st)
		if err == nil {
			redirect(w, r, "/structures/"+created.ID+"/offres/nouvelle?ok=structure")
			return
		}
		if domain.KindOf(err) != domain.KindInvalid && domain.KindOf(err) != domain.KindConflict {
			s.fail(w, r, err)
			return
		}
		errs = newFormErrors(err)
		if domain.KindOf(err) == domain.KindConflict {
			errs = formErrors{}
			errs.add("siret", "une structure avec ce SIRET existe déjà dans l'annuaire : demandez à la représenter en créant un compte avec ce SIRET")
		}
	}
	s.render(w, r, http.StatusUnprocessableEntity, "structure-form", view{Title: "Enregistrer ma structure (erreur)",
		Section: "ma-structure", Errors: errs, Data: s.structureFormData(st, true)})
}

func (s *Site) editStructureForm(w http.ResponseWriter, r *http.Request) {
	st, ok := s.editable(w, r)
	if !ok {
		return
	}
	f := s.structureFormData(*st, false)
	f.CanChangeSIRET = service.ActorFrom(r.Context()).IsAdmin()
	s.render(w, r, http.StatusOK, "structure-form", view{Title: "Modifier le profil de " + st.Name, Section: "ma-structure", Data: f})
}

// editable loads a structure the actor may change, answering the request itself when they may not.
func (s *Site) editable(w http.ResponseWriter, r *http.Request) (*domain.Structure, bool) {
	st, err := s.deps.Directory.FindStructureByID(r.Context(), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	actor := service.ActorFrom(r.Context())
	if !actor.IsAdmin() && !actor.MemberOf(st.ID) {
		s.fail(w, r, domain.Forbidden("members only"))
		return nil, false
	}
	return st, true
}

func (s *Site) updateStructure(w http.ResponseWriter, r *http.Request) {
	cur, ok := s.editable(w, r)
	if !ok {
		return
	}
	next := *cur
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, domain.Forbidden("bad form"))
		return
	}
	if !service.ActorFrom(r.Context()).IsAdmin() {
		r.PostForm.Del("siret")
	}
	errs := s.readStructureForm(r, &next)
	version := cur.Version
	if v, err := strconv.Atoi(r.PostFormValue("version")); err == nil {
		version = v
	}
	if !errs.Any() {
		_, err := s.deps.Directory.UpdateStructure(r.Context(), cur.ID, &version, func(st *domain.Structure) {
			reps := st.Representatives
			*st = next
			st.Representatives = reps // the site does not edit representatives yet: keep them as stored
		})
		if err == nil {
			redirect(w, r, "/structures/"+cur.ID+"?ok=profil")
			return
		}
		if domain.KindOf(err) != domain.KindInvalid {
			s.fail(w, r, err)
			return
		}
		errs = newFormErrors(err)
	}
	f := s.structureFormData(next, false)
	s.render(w, r, http.StatusUnprocessableEntity, "structure-form", view{Title: "Modifier le profil (erreur)",
		Section: "ma-structure", Errors: errs, Data: f})
}

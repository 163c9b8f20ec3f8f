package web

import (
	"net/http"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/service"
)

type claimRow struct {
	C         service.Claim
	Structure *domain.Structure // the structure claimed, when the directory has it
}

type queueData struct {
	Claims     []claimRow
	Unverified []service.FoundStructure
	Total      int
}

// verificationQueue is the work list of network users and administrators: sign-up claims to decide and published
// structures no network has vouched for yet. The service decides who may see which claims.
func (s *Site) verificationQueue(w http.ResponseWriter, r *http.Request) {
	actor := service.ActorFrom(r.Context())
	if actor.Anonymous() {
		s.fail(w, r, domain.Unauthenticated("sign in"))
		return
	}
	claims, err := s.deps.Accounts.ListClaims(r.Context(), service.ClaimPending)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := queueData{}
	for _, c := range claims {
		row := claimRow{C: c}
		if c.Kind == service.ClaimStructure {
			if st, err := s.deps.Directory.FindStructureBySIRET(r.Context(), c.SIRET); err == nil {
				row.Structure = st
			}
		}
		data.Claims = append(data.Claims, row)
	}
	no := false
	page, err := s.deps.Directory.SearchStructures(r.Context(), domain.SearchQuery{
		Filter: domain.StructureFilter{Verified: &no}, Sort: domain.SortUpdated, Page: domain.PageRequest{Size: 20}})
	if err != nil && domain.KindOf(err) != domain.KindUnavailable {
		s.fail(w, r, err)
		return
	}
	data.Unverified, data.Total = page.Items, page.Total
	s.render(w, r, http.StatusOK, "verifications", view{Title: "Vérifications", Section: "verifications", Data: data})
}

func (s *Site) decideClaim(w http.ResponseWriter, r *http.Request) {
	approve := r.PostFormValue("decision") == "approve"
	if _, err := s.deps.Accounts.DecideClaim(r.Context(), r.PathValue("id"), approve); err != nil {
		s.fail(w, r, err)
		return
	}
	redirect(w, r, "/verifications?ok=demande")
}

func (s *Site) verifyStructure(w http.ResponseWriter, r *http.Request) {
	action := service.VerificationAction(r.PostFormValue("action"))
	st, err := s.deps.Directory.VerifyStructure(r.Context(), r.PathValue("id"), action)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	back := localPath(r.PostFormValue("retour"))
	if back == "/" {
		back = "/structures/" + st.ID
	}
	redirect(w, r, back+"?ok=verification")
}

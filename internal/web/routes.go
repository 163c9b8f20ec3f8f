package web

import "net/http"

// routes maps the site's French URLs to their pages. GET pages are safe to bookmark and share; POST ones are
// forms, checked for their CSRF token before they get here.
func (s *Site) routes() {
	m := s.mux
	m.HandleFunc("GET /{$}", s.home)
	m.HandleFunc("GET /recherche", s.search)
	m.HandleFunc("GET /recherche.csv", s.searchCSV)
	m.HandleFunc("GET /structures/{id}", s.structurePage)
	m.HandleFunc("GET /leviers", s.levers)
	m.HandleFunc("GET /accessibilite", s.accessibility)
	m.HandleFunc("GET /indicateurs", s.indicators)

	m.HandleFunc("GET /connexion", s.loginForm)
	m.HandleFunc("POST /connexion", s.login)
	m.HandleFunc("POST /deconnexion", s.logout)
	m.HandleFunc("GET /inscription", s.signupForm)
	m.HandleFunc("POST /inscription", s.signup)

	m.HandleFunc("GET /cpv/suggestions", s.cpvSuggestions)
	m.HandleFunc("GET /cpv/options", s.cpvOptions)
	m.HandleFunc("GET /ma-structure", s.myStructure)
	m.HandleFunc("GET /ma-structure/nouvelle", s.newStructureForm)
	m.HandleFunc("POST /ma-structure/nouvelle", s.createStructure)
	m.HandleFunc("GET /structures/{id}/modifier", s.editStructureForm)
	m.HandleFunc("POST /structures/{id}/modifier", s.updateStructure)
	m.HandleFunc("GET /structures/{id}/offres/nouvelle", s.newOfferForm)
	m.HandleFunc("POST /structures/{id}/offres/nouvelle", s.createOffer)
	m.HandleFunc("GET /structures/{id}/offres/{offer}/modifier", s.editOfferForm)
	m.HandleFunc("POST /structures/{id}/offres/{offer}/modifier", s.updateOffer)
	m.HandleFunc("POST /structures/{id}/offres/{offer}/supprimer", s.deleteOffer)

	m.HandleFunc("GET /verifications", s.verificationQueue)
	m.HandleFunc("POST /verifications/structures/{id}", s.verifyStructure)
	m.HandleFunc("POST /verifications/demandes/{id}", s.decideClaim)

	m.HandleFunc("GET /admin/comptes", s.adminAccounts)
	m.HandleFunc("POST /admin/comptes/{id}/statut", s.setAccountStatus)

	m.HandleFunc("GET /achats", s.myTenders)
	m.HandleFunc("GET /achats/nouveau", s.newTenderForm)
	m.HandleFunc("POST /achats/nouveau", s.createTender)
	m.HandleFunc("GET /achats/{id}", s.tenderView)
	m.HandleFunc("GET /achats/{id}/modifier", s.editTenderForm)
	m.HandleFunc("POST /achats/{id}/modifier", s.updateTender)
	m.HandleFunc("POST /achats/{id}/statut", s.changeTenderStatus)
	m.HandleFunc("GET /achats/{id}/lots/{lot}", s.lotMatchesPage)
	m.HandleFunc("GET /achats/{id}/lots/{lot}/structures.csv", s.lotMatchesCSV)
	m.HandleFunc("GET /achats/{id}/reponses", s.tenderFunnel)
	m.HandleFunc("GET /achats/{id}/allotissement", s.tenderAllotmentPage)
	m.HandleFunc("POST /achats/{id}/allotissement", s.applyToTender)

	m.HandleFunc("GET /besoins", s.notifications)
	m.HandleFunc("GET /besoins/{id}/lots/{lot}", s.needPage)
	m.HandleFunc("POST /besoins/{id}/lots/{lot}", s.answerNeed)

	m.HandleFunc("GET /allotissement", s.assistant)
	m.HandleFunc("POST /allotissement", s.assistantCompare)
	m.HandleFunc("POST /allotissement/appliquer", s.assistantApply)

	m.HandleFunc("GET /cotraitance", s.exchange)
	m.HandleFunc("GET /cotraitance/appels/nouveau", s.newCallForm)
	m.HandleFunc("POST /cotraitance/appels/nouveau", s.createCall)
	m.HandleFunc("GET /cotraitance/appels/{id}", s.callPage)
	m.HandleFunc("POST /cotraitance/appels/{id}/candidater", s.applyToCall)
	m.HandleFunc("POST /cotraitance/appels/{id}/cloturer", s.closeCall)
	m.HandleFunc("POST /cotraitance/appels/{id}/groupement", s.formGroupement)
	m.HandleFunc("POST /cotraitance/candidatures/{id}", s.decideApplication)
	m.HandleFunc("GET /cotraitance/groupements/{id}", s.groupementPage)
	m.HandleFunc("POST /cotraitance/groupements/{id}/deposer", s.submitGroupement)

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { s.notFound(w, r) })
}

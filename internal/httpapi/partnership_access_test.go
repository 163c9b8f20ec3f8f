package httpapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestOnlyMembersActForTheirStructure: posting, applying and deciding for a structure need its membership.
func TestOnlyMembersActForTheirStructure(t *testing.T) {
	x := newExchange(t)
	deadline := `"2099-01-01T00:00:00Z"`
	call := func(structureID string) string {
		return fmt.Sprintf(`{"structure_id": %q, "role_sought": "mandataire", "deadline": %s,
			"external": {"reference": "R-1", "buyer": "Nantes Métropole"}}`, structureID, deadline)
	}
	mustStatus(t, x.as(x.partnerTok, http.MethodPost, "/v1/partnership-calls", call(x.caller)), http.StatusForbidden)
	mustStatus(t, x.as(x.buyerTok, http.MethodPost, "/v1/partnership-calls", call(x.caller)), http.StatusForbidden)
	mustStatus(t, x.ts.do(request{method: http.MethodPost, path: "/v1/partnership-calls", body: call(x.caller), anonymous: true}),
		http.StatusUnauthorized)
	callID := x.postCall(t, x.callerTok, x.caller)

	apply := func(structureID string) string { return fmt.Sprintf(`{"structure_id": %q}`, structureID) }
	path := "/v1/partnership-calls/" + callID + "/applications"
	mustStatus(t, x.as(x.callerTok, http.MethodPost, path, apply(x.partner)), http.StatusForbidden)
	mustStatus(t, x.as(x.callerTok, http.MethodPost, path, apply(x.caller)), http.StatusUnprocessableEntity) // not to itself
	rec := x.as(x.partnerTok, http.MethodPost, path, apply(x.partner))
	mustStatus(t, rec, http.StatusCreated)
	appID := decode[created](t, rec).ID
	mustStatus(t, x.as(x.partnerTok, http.MethodPost, path, apply(x.partner)), http.StatusConflict) // once per structure

	mustStatus(t, x.as(x.partnerTok, http.MethodPost, "/v1/applications/"+appID+"/accept", ""), http.StatusForbidden)
	mustStatus(t, x.as(x.outsiderTok, http.MethodPost, "/v1/applications/"+appID+"/accept", ""), http.StatusNotFound)
	mustStatus(t, x.as(x.buyerTok, http.MethodPost, "/v1/applications/"+appID+"/accept", ""), http.StatusNotFound)
	mustStatus(t, x.as(x.partnerTok, http.MethodGet, "/v1/partnership-calls/"+callID+"/suggested-partners", ""), http.StatusForbidden)
	mustStatus(t, x.as(x.callerTok, http.MethodPost, "/v1/applications/"+appID+"/decline", ""), http.StatusOK)
	mustStatus(t, x.as(x.callerTok, http.MethodPost, "/v1/applications/"+appID+"/accept", ""), http.StatusConflict) // decided once

	// The exchange is for structure members: buyers neither browse nor read calls.
	mustStatus(t, x.as(x.buyerTok, http.MethodGet, "/v1/partnership-calls", ""), http.StatusForbidden)
	mustStatus(t, x.as(x.buyerTok, http.MethodGet, "/v1/partnership-calls/"+callID, ""), http.StatusNotFound)
	rec = x.as(x.outsiderTok, http.MethodGet, "/v1/partnership-calls?cpv=90000000-7&commune=44143&q=chantier", "")
	mustStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), callID) {
		t.Fatalf("a structure member browsing by CPV division, commune and text does not find the call: %s", rec.Body)
	}
	rec = x.as(x.outsiderTok, http.MethodGet, "/v1/partnership-calls?cpv=33000000-0", "")
	mustStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), callID) {
		t.Fatal("a search for medical equipment finds a call for works and cleaning")
	}
}

// TestContactsOnlyAfterAcceptance proves both sides: before acceptance neither side nor an outsider sees a
// contact; after it the caller sees the applicant's and the applicant the caller's, and outsiders still nothing.
func TestContactsOnlyAfterAcceptance(t *testing.T) {
	x := newExchange(t)
	callID := x.postCall(t, x.callerTok, x.caller)
	rec := x.as(x.partnerTok, http.MethodPost, "/v1/partnership-calls/"+callID+"/applications", fmt.Sprintf(`{"structure_id": %q}`, x.partner))
	mustStatus(t, rec, http.StatusCreated)
	appID := decode[created](t, rec).ID
	if strings.Contains(rec.Body.String(), "rep102@") {
		t.Fatal("the application echoes the applicant's representative")
	}

	read := func(token string) (apiCall, string) {
		rec := x.as(token, http.MethodGet, "/v1/partnership-calls/"+callID, "")
		mustStatus(t, rec, http.StatusOK)
		return decode[apiCall](t, rec), rec.Body.String()
	}
	noContacts := func(stage string) {
		for name, tok := range map[string]string{"caller": x.callerTok, "applicant": x.partnerTok, "outsider": x.outsiderTok} {
			c, body := read(tok)
			if c.Contact != nil || strings.Contains(body, "rep101@") || strings.Contains(body, "rep102@") ||
				strings.Contains(body, "contact@s10") {
				t.Fatalf("%s: the %s sees a contact: %s", stage, name, body)
			}
		}
	}
	noContacts("before acceptance")
	if c, _ := read(x.outsiderTok); len(c.Applications) != 0 {
		t.Fatalf("an outsider sees applications: %+v", c.Applications)
	}

	rec = x.as(x.callerTok, http.MethodPost, "/v1/applications/"+appID+"/accept", "")
	mustStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), "rep102@s102.example") {
		t.Fatalf("the accepting caller does not get the applicant's representative: %s", rec.Body)
	}

	c, _ := read(x.callerTok)
	if len(c.Applications) != 1 || c.Applications[0].Contact == nil || c.Applications[0].Contact.Contact.Email != "contact@s102.example" ||
		len(c.Applications[0].Contact.Representatives) != 1 {
		t.Fatalf("the caller's view of the accepted application: %+v", c.Applications)
	}
	c, _ = read(x.partnerTok)
	if c.Contact == nil || c.Contact.Contact.Email != "contact@s101.example" || len(c.Contact.Representatives) != 1 ||
		c.Contact.Representatives[0].Email != "rep101@s101.example" {
		t.Fatalf("the accepted applicant does not see the caller's contact: %+v", c.Contact)
	}
	c, body := read(x.outsiderTok)
	if c.Contact != nil || len(c.Applications) != 0 || strings.Contains(body, "@s10") {
		t.Fatalf("after acceptance an outsider sees contacts: %s", body)
	}
	reads := x.ts.get("/v1/contact-reads")
	mustStatus(t, reads, http.StatusOK)
	if !strings.Contains(reads.Body.String(), x.caller) || !strings.Contains(reads.Body.String(), x.partner) {
		t.Fatalf("the reads of both sides' representatives are not logged: %s", reads.Body)
	}

	rec = x.as(x.partnerTok, http.MethodGet, "/v1/partnership-notices", "")
	mustStatus(t, rec, http.StatusOK)
	if !strings.Contains(rec.Body.String(), "application_accepted") {
		t.Fatalf("the applicant was not notified: %s", rec.Body)
	}
	rec = x.as(x.callerTok, http.MethodGet, "/v1/partnership-notices", "")
	if !strings.Contains(rec.Body.String(), "application_received") || !strings.Contains(rec.Body.String(), "application_accepted") {
		t.Fatalf("the caller was not notified: %s", rec.Body)
	}
}

// TestGroupementsHiddenFromOutsiders: only the members of its structures read a groupement; a buyer learns only
// counts, and only for its own tenders.
func TestGroupementsHiddenFromOutsiders(t *testing.T) {
	x := newExchange(t)
	callID := x.postCall(t, x.callerTok, x.caller)
	rec := x.as(x.partnerTok, http.MethodPost, "/v1/partnership-calls/"+callID+"/applications", fmt.Sprintf(`{"structure_id": %q}`, x.partner))
	mustStatus(t, rec, http.StatusCreated)
	mustStatus(t, x.as(x.callerTok, http.MethodPost, "/v1/applications/"+decode[created](t, rec).ID+"/accept", ""), http.StatusOK)
	form := fmt.Sprintf(`{"call_id": %q, "form": "joint", "mandataire_id": %q, "member_ids": [%q, %q]}`, callID, x.caller, x.caller, x.partner)
	mustStatus(t, x.as(x.partnerTok, http.MethodPost, "/v1/groupements", form), http.StatusForbidden)
	rec = x.as(x.callerTok, http.MethodPost, "/v1/groupements", form)
	mustStatus(t, rec, http.StatusCreated)
	id := decode[created](t, rec).ID
	mustStatus(t, x.as(x.partnerTok, http.MethodGet, "/v1/groupements/"+id, ""), http.StatusOK)
	mustStatus(t, x.as(x.outsiderTok, http.MethodGet, "/v1/groupements/"+id, ""), http.StatusNotFound)
	mustStatus(t, x.as(x.buyerTok, http.MethodGet, "/v1/groupements/"+id, ""), http.StatusNotFound)
	mustStatus(t, x.as(x.outsiderTok, http.MethodPost, "/v1/groupements/"+id+"/submit", ""), http.StatusNotFound)
	mustStatus(t, x.as(x.outsiderTok, http.MethodGet, "/v1/groupements?tender_id=t-1", ""), http.StatusForbidden)
	rec = x.as(x.buyerTok, http.MethodGet, "/v1/groupements?tender_id=t-1", "")
	mustStatus(t, rec, http.StatusOK)
	if strings.Contains(rec.Body.String(), x.caller) {
		t.Fatalf("the buyer summary names a structure: %s", rec.Body)
	}
}

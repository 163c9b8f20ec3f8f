package domain

import (
	"errors"
	"testing"
	"time"
)

func TestPartnershipCallValidate(t *testing.T) {
	now := time.Date(2026, 11, 26, 0, 0, 0, 0, time.UTC)
	valid := func() PartnershipCall {
		return PartnershipCall{TenderID: "t1", LotNumber: 2, RoleSought: RoleCoContractor, CPVCodes: []string{"90910000-9"},
			Communes: []string{"44109"}, Deadline: now.AddDate(0, 1, 0)}
	}
	ext := &ExternalConsultation{Reference: "2026-PROP-12", Buyer: "Ville de Rezé", URL: "https://marches.example/2026-12"}
	for _, tc := range []struct {
		name   string
		change func(c *PartnershipCall)
		want   string
	}{
		{"a tender lot", func(*PartnershipCall) {}, ""},
		{"an outside consultation", func(c *PartnershipCall) { c.TenderID, c.LotNumber, c.External = "", 0, ext }, ""},
		{"no lot at all", func(c *PartnershipCall) { c.TenderID = "" }, "tender_id"},
		{"both a tender and an outside consultation", func(c *PartnershipCall) { c.External = ext }, "external"},
		{"tender without lot number", func(c *PartnershipCall) { c.LotNumber = 0 }, "lot_number"},
		{"outside without buyer", func(c *PartnershipCall) {
			c.TenderID, c.External = "", &ExternalConsultation{Reference: "R"}
		}, "external.buyer"},
		{"outside with a non-web URL", func(c *PartnershipCall) {
			c.TenderID, c.External = "", &ExternalConsultation{Reference: "R", Buyer: "B", URL: "javascript:alert(1)"}
		}, "external.url"},
		{"unknown role", func(c *PartnershipCall) { c.RoleSought = "boss" }, "role_sought"},
		{"unknown CPV", func(c *PartnershipCall) { c.CPVCodes = []string{"90910000-9", "12345678"} }, "cpv_codes[1]"},
		{"unknown commune", func(c *PartnershipCall) { c.Communes = []string{"99999"} }, "communes[0]"},
		{"past deadline", func(c *PartnershipCall) { c.Deadline = now.Add(-time.Hour) }, "deadline"},
		{"negative capacity", func(c *PartnershipCall) { v := int64(-1); c.CapacitySoughtEUR = &v }, "capacity_sought_eur"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := valid()
			tc.change(&c)
			c.Normalize()
			err := c.Validate(fakeReference{}, now)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || len(de.Fields) == 0 || de.Fields[0].Location != tc.want {
				t.Fatalf("Validate = %v, want a problem at %s", err, tc.want)
			}
		})
	}
}

func TestLotKeySameLotSameKey(t *testing.T) {
	a := PartnershipCall{External: &ExternalConsultation{Reference: "  2026-PROP 12 "}, LotNumber: 1}
	b := PartnershipCall{External: &ExternalConsultation{Reference: "2026-prop  12"}, LotNumber: 1}
	c := PartnershipCall{TenderID: "t", LotNumber: 1}
	if a.LotKey() != b.LotKey() || a.LotKey() == c.LotKey() {
		t.Fatalf("keys %q %q %q", a.LotKey(), b.LotKey(), c.LotKey())
	}
}

func TestEligibleForReservation(t *testing.T) {
	for _, tc := range []struct {
		article string
		kinds   []string
		want    bool
	}{
		{"", nil, true},
		{ReservedESS, nil, true},
		{ReservedDisability, []string{"ESAT"}, true},
		{ReservedDisability, []string{"ACI"}, false},
		{ReservedInsertion, []string{"aci"}, true},
		{ReservedInsertion, []string{"EA"}, false},
		{ReservedBoth, []string{"EA"}, true},
		{ReservedBoth, []string{"GEIQ"}, false},
		{"L9999", []string{"EA"}, false},
	} {
		if got := EligibleForReservation(tc.article, tc.kinds); got != tc.want {
			t.Errorf("EligibleForReservation(%q, %v) = %v, want %v", tc.article, tc.kinds, got, tc.want)
		}
	}
}

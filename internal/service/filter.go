package service

import (
	"fmt"

	"github.com/essor-ess/essor/internal/domain"
)

// Limits on list filters, so one request cannot ask for unbounded work.
const (
	maxFilterValues = 20
)

func validateFilter(f domain.StructureFilter, ref domain.Reference) error {
	var p domain.Problems
	if len(f.CPV) > maxFilterValues {
		p.Add("cpv", "at most %d values", maxFilterValues)
	}
	for i, c := range f.CPV {
		if _, err := domain.ParseCPVCode(c); err != nil || !ref.CPVExists(c) {
			p.Add(fmt.Sprintf("cpv[%d]", i), "unknown CPV code %q", c)
		}
	}
	if f.Commune != "" && !ref.CommuneExists(f.Commune) {
		p.Add("commune", "unknown commune INSEE code %q", f.Commune)
	}
	for i, fam := range f.LegalFamilies {
		switch fam {
		case domain.FamilyAssociation, domain.FamilyCooperative, domain.FamilyMutual, domain.FamilyFoundation, domain.FamilyESSCompany:
		default:
			p.Add(fmt.Sprintf("legal_family[%d]", i), "unknown ESS family %q", fam)
		}
	}
	for i, k := range f.InclusionKinds {
		if !ref.InclusionKindExists(k) {
			p.Add(fmt.Sprintf("inclusion[%d]", i), "unknown inclusion kind %q", k)
		}
	}
	for i, k := range f.OfferKinds {
		switch k {
		case domain.OfferSupply, domain.OfferService, domain.OfferWorks, domain.OfferStaffing:
		default:
			p.Add(fmt.Sprintf("kind[%d]", i), "unknown offer kind %q", k)
		}
	}
	if f.TurnoverMinEUR != nil && f.TurnoverMaxEUR != nil && *f.TurnoverMinEUR > *f.TurnoverMaxEUR {
		p.Add("turnover_max_eur", "must not be below turnover_min_eur")
	}
	return p.Err()
}

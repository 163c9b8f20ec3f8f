package demo

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

// luhnValid is written apart from the generator's luhnDigit so that one cannot hide a bug of the other.
func luhnValid(s string) bool {
	sum := 0
	double := false
	for i := len(s) - 1; i >= 0; i-- {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
		n := int(s[i] - '0')
		if double {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
		double = !double
	}
	return sum%10 == 0
}

func TestLuhnDigit(t *testing.T) {
	for _, tc := range []struct{ prefix, want string }{
		{"73282932", "0"},      // SIREN 732829320
		{"5420622880001", "5"}, // SIRET 54206228800015
		{"0000000", "0"},
		{"35600000", "0"}, // La Poste's SIREN 356000000
		{"4440001111111", "9"},
		{"123456789", "7"}, // 1234567897, the textbook example
	} {
		if got := luhnDigit(tc.prefix); got != tc.want {
			t.Errorf("luhnDigit(%q) = %s, want %s", tc.prefix, got, tc.want)
		}
		if !luhnValid(tc.prefix + tc.want) {
			t.Errorf("%s%s fails the test's own Luhn check", tc.prefix, tc.want)
		}
	}
}

// TestDirectoryInvariants checks, for several seeds, the demo directory against what the product promises: valid
// unique identifiers, consistent ESS bases, offers with CPV codes, and realistic shares.
func TestDirectoryInvariants(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3, 42} {
		ss := generateAll(t, Options{Count: 300, Seed: seed})
		if len(ss) != 300 {
			t.Fatalf("seed %d: %d structures, want 300", seed, len(ss))
		}
		checkStructures(t, seed, ss)
		checkShares(t, seed, ss)
	}
}

func checkStructures(t *testing.T, seed uint64, ss []domain.Structure) {
	t.Helper()
	sirets := make(map[string]bool)
	names := make(map[string]bool)
	for _, s := range ss {
		where := s.Name
		if !luhnValid(s.SIRET) || len(s.SIRET) != 14 || domain.ValidateSIRET(s.SIRET) != nil {
			t.Errorf("seed %d, %s: invalid SIRET %s", seed, where, s.SIRET)
		}
		if !luhnValid(s.SIREN) || s.SIREN != s.SIRET[:9] {
			t.Errorf("seed %d, %s: SIREN %s does not go with SIRET %s", seed, where, s.SIREN, s.SIRET)
		}
		if sirets[s.SIRET] || names[s.Name] {
			t.Errorf("seed %d: SIRET %s or name %q repeated", seed, s.SIRET, s.Name)
		}
		sirets[s.SIRET], names[s.Name] = true, true
		if s.ID != "" || s.Status != domain.StatusPublished || s.Version != 1 {
			t.Errorf("seed %d, %s: id %q, status %s, version %d", seed, where, s.ID, s.Status, s.Version)
		}
		checkESSBasis(t, s)
		checkContacts(t, s)
		checkPlace(t, s)
		if (s.AnnualTurnoverEUR == nil) != (s.TurnoverYear == nil) {
			t.Errorf("%s: turnover and turnover year must come together", where)
		}
		if s.VerifiedAt != nil && s.VerifiedBy != VerifiedBy || s.VerifiedAt == nil && s.VerifiedBy != "" {
			t.Errorf("%s: verified at %v by %q", where, s.VerifiedAt, s.VerifiedBy)
		}
		if (s.PublicAwardsCount == 0) != (s.LastAwardOn == nil) || s.PublicAwardsCount > 40 {
			t.Errorf("%s: %d awards, last on %v", where, s.PublicAwardsCount, s.LastAwardOn)
		}
		if n := strings.Count(s.Description, ". ") + 1; n > 3 || !strings.HasSuffix(s.Description, ".") {
			t.Errorf("%s: description of %d sentences: %q", where, n, s.Description)
		}
		if len(s.Offers) < 1 || len(s.Offers) > 4 {
			t.Errorf("%s: %d offers", where, len(s.Offers))
		}
		for _, o := range s.Offers {
			checkOffer(t, s, o)
		}
		for _, text := range texts(s) {
			if strings.ContainsAny(text, "{}") {
				t.Errorf("%s: unexpanded placeholder in %q", where, text)
			}
		}
	}
}

func checkESSBasis(t *testing.T, s domain.Structure) {
	t.Helper()
	commercial := s.LegalCategory == formSAS.code || s.LegalCategory == formSARL.code
	switch {
	case commercial && (s.ESSFamily != domain.FamilyESSCompany || s.ESSBasis == domain.BasisLegalForm):
		t.Errorf("%s: commercial form %s with family %s, basis %s", s.Name, s.LegalCategory, s.ESSFamily, s.ESSBasis)
	case !commercial && (s.ESSFamily == domain.FamilyESSCompany || s.ESSBasis != domain.BasisLegalForm):
		t.Errorf("%s: ESS form %s with family %s, basis %s", s.Name, s.LegalCategory, s.ESSFamily, s.ESSBasis)
	}
	if (s.ESSBasis == domain.BasisESUSAgreement) != (s.ESUSExpiresOn != nil) {
		t.Errorf("%s: basis %s with ESUS expiry %v", s.Name, s.ESSBasis, s.ESUSExpiresOn)
	}
	isAI := slices.Contains(s.InclusionKinds, "AI")
	if isAI != (s.LegalCategory == formAI.code) || slices.Contains(s.InclusionKinds, "GEIQ") && s.LegalCategory != formEmployers.code {
		t.Errorf("%s: inclusion kinds %v with legal category %s", s.Name, s.InclusionKinds, s.LegalCategory)
	}
}

func checkContacts(t *testing.T, s domain.Structure) {
	t.Helper()
	if !strings.HasPrefix(s.Contact.Email, "contact@") || !strings.HasSuffix(s.Contact.Email, ".example") {
		t.Errorf("%s: contact e-mail %q is not a fictitious generic address", s.Name, s.Contact.Email)
	}
	if !strings.HasPrefix(s.Contact.Phone, landlineBlock+" ") || len(s.Contact.Phone) != len("02 61 91 00 00") {
		t.Errorf("%s: phone %q is not in the fiction block", s.Name, s.Contact.Phone)
	}
	if s.Website != "" && !strings.HasSuffix(s.Website, ".example") {
		t.Errorf("%s: website %q", s.Name, s.Website)
	}
	if len(s.Representatives) > 2 {
		t.Errorf("%s: %d representatives", s.Name, len(s.Representatives))
	}
	for _, r := range s.Representatives {
		if !strings.HasSuffix(r.Email, ".example") || strings.Count(r.Email, "@") != 1 ||
			!strings.HasPrefix(r.Phone, mobileBlock+" ") || r.Name == "" || r.Role == "" {
			t.Errorf("%s: representative %+v", s.Name, r)
		}
	}
}

func checkPlace(t *testing.T, s domain.Structure) {
	t.Helper()
	for _, c := range communes {
		if c.insee != s.Commune {
			continue
		}
		if !slices.Contains(c.postcodes, s.Postcode) {
			t.Errorf("%s: postcode %s not of %s", s.Name, s.Postcode, c.name)
		}
		if d := distanceKM(c.lat, c.lon, s.Location.Lat, s.Location.Lon); d > 4 {
			t.Errorf("%s: %.1f km from the centre of %s", s.Name, d, c.name)
		}
		return
	}
	t.Errorf("%s: commune %s is not in Nantes Métropole", s.Name, s.Commune)
}

func checkOffer(t *testing.T, s domain.Structure, o domain.Offer) {
	t.Helper()
	if len(o.CPVCodes) < 1 || len(o.CPVCodes) > 20 || o.Title == "" || o.Description == "" {
		t.Errorf("%s / %s: %d CPV codes, description %q", s.Name, o.Title, len(o.CPVCodes), o.Description)
	}
	switch o.Area.Scope {
	case domain.ScopeRadius:
		if o.Area.RadiusKM < 10 || o.Area.RadiusKM > 60 || len(o.Area.Zones) > 0 {
			t.Errorf("%s / %s: area %+v", s.Name, o.Title, o.Area)
		}
	case domain.ScopeZones:
		for _, z := range o.Area.Zones {
			if _, err := domain.ParseZone(z); err != nil {
				t.Errorf("%s / %s: zone %q: %v", s.Name, o.Title, z, err)
			}
		}
	case domain.ScopeCountry:
		if o.Area.RadiusKM != 0 || len(o.Area.Zones) > 0 {
			t.Errorf("%s / %s: area %+v", s.Name, o.Title, o.Area)
		}
	default:
		t.Errorf("%s / %s: scope %q", s.Name, o.Title, o.Area.Scope)
	}
	if o.CapacityEUR != nil && *o.CapacityEUR <= 0 {
		t.Errorf("%s / %s: capacity %d", s.Name, o.Title, *o.CapacityEUR)
	}
}

// checkShares bounds the proportions the brief sets, loosely enough for any seed.
func checkShares(t *testing.T, seed uint64, ss []domain.Structure) {
	t.Helper()
	var inclusion, firstTime, cotraitance, verified, offers, cafes, joineryOnly, country, capacity int
	bases := make(map[domain.ESSBasis]int)
	divisions := make(map[string]bool)
	communesUsed := make(map[string]bool)
	for _, s := range ss {
		if len(s.InclusionKinds) > 0 {
			inclusion++
		}
		if s.FirstTime() {
			firstTime++
		}
		if s.OpenToCotraitance {
			cotraitance++
		}
		if s.VerifiedAt != nil {
			verified++
		}
		if strings.Contains(slug(s.Name), "cafe") {
			cafes++
		}
		if isJoineryOnly(s) {
			joineryOnly++
		}
		communesUsed[s.Commune] = true
		bases[s.ESSBasis]++
		offers += len(s.Offers)
		for _, o := range s.Offers {
			for _, c := range o.CPVCodes {
				divisions[c[:2]] = true
			}
			if o.Area.Scope == domain.ScopeCountry {
				country++
			}
			if o.CapacityEUR != nil {
				capacity++
			}
		}
	}
	n := float64(len(ss))
	for _, share := range []struct {
		name     string
		got      int
		min, max float64
	}{
		{"inclusion structures", inclusion, 0.20, 0.40},
		{"first-time bidders", firstTime, 0.25, 0.45},
		{"open to co-contracting", cotraitance, 0.15, 0.35},
		{"verified", verified, 0.30, 0.50},
	} {
		if f := float64(share.got) / n; f < share.min || f > share.max {
			t.Errorf("seed %d: %s %.0f%%, want %.0f–%.0f%%", seed, share.name, 100*f, 100*share.min, 100*share.max)
		}
	}
	if avg := float64(offers) / n; avg < 2 {
		t.Errorf("seed %d: %.2f offers per structure, want at least 2", seed, avg)
	}
	if len(divisions) < 15 || len(communesUsed) != len(communes) {
		t.Errorf("seed %d: %d CPV divisions (want ≥ 15), %d communes (want %d)", seed, len(divisions), len(communesUsed), len(communes))
	}
	if bases[domain.BasisESUSAgreement] < 15 || bases[domain.BasisESSQuality] < 5 {
		t.Errorf("seed %d: ESS bases %v, want both ESUS agreements and ESS quality", seed, bases)
	}
	if cafes < 6 || joineryOnly < 3 || country == 0 || capacity == 0 {
		t.Errorf("seed %d: %d cafés, %d joinery-only structures, %d country-wide offers, %d capacities", seed, cafes, joineryOnly, country, capacity)
	}
}

// isJoineryOnly reports a structure the search can find for "menuisier" only through the label of its CPV code.
func isJoineryOnly(s domain.Structure) bool {
	if len(s.Offers) != 1 || len(s.Offers[0].CPVCodes) != 1 || s.Offers[0].CPVCodes[0] != joineryOnlyCPV {
		return false
	}
	for _, text := range texts(s) {
		if strings.Contains(slug(text), "menuis") {
			return false
		}
	}
	return true
}

func texts(s domain.Structure) []string {
	out := []string{s.Name, s.Brand, s.Description, s.Address}
	out = append(out, s.Labels...)
	for _, o := range s.Offers {
		out = append(out, o.Title, o.Description)
		out = append(out, o.References...)
	}
	return out
}

func distanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const earthKM = 6371.0
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * earthKM * math.Asin(math.Sqrt(a))
}

func TestJoineryOnlyStructuresNeverNameTheirTrade(t *testing.T) {
	title := tradeByKey("agencement").offers[0].title
	found := 0
	for _, s := range generateAll(t, Options{Count: 1000, Seed: 9}) {
		if len(s.Offers) > 0 && s.Offers[0].Title == title {
			found++
			if !isJoineryOnly(s) {
				t.Errorf("%s is not a joinery-only structure: %q", s.Name, texts(s))
			}
		}
	}
	if found < 10 {
		t.Errorf("%d joinery-only structures in 1000, want at least 10", found)
	}
}

package domain

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func validStructure() Structure {
	turnover := int64(1_200_000)
	year := 2024
	return Structure{
		SIRET:             "24440040400004",
		Name:              "Les Ateliers de la Chézine",
		Brand:             "Chézine Bois",
		LegalCategory:     "9220",
		ESSBasis:          BasisLegalForm,
		InclusionKinds:    []string{"ACI"},
		NAFCode:           "88.99B",
		HeadcountBand:     "11",
		AnnualTurnoverEUR: &turnover,
		TurnoverYear:      &year,
		Address:           "12 rue de la Chézine",
		Postcode:          "44100",
		Commune:           "44109",
		Location:          &GeoPoint{Lat: 47.22, Lon: -1.59},
		Website:           "https://chezine.example.fr/atelier",
		Description:       "Atelier et chantier d'insertion en menuiserie.",
		Labels:            []string{"Lucie", "Qualiopi"},
		Contact:           Contact{Email: "contact@chezine.example.fr", Phone: "02 40 00 00 00"},
		Representatives:   []Representative{{Name: "Camille Martin", Role: "Directrice", Email: "c.martin@chezine.example.fr", Phone: "+33 6 12 34 56 78"}},
		Status:            StatusPublished,
		Offers:            []Offer{validOffer()},
	}
}

func TestStructureValidate(t *testing.T) {
	expires := time.Date(2028, 6, 30, 0, 0, 0, 0, time.UTC)
	nextYear := time.Now().Year() + 1
	tests := []struct {
		name   string
		change func(s *Structure)
		want   []string
	}{
		{"valid", func(s *Structure) {}, nil},
		{"minimal", func(s *Structure) {
			*s = Structure{SIRET: "24440040400004", Name: "X", LegalCategory: "9220", ESSBasis: BasisLegalForm,
				Commune: "44143", Status: StatusDraft}
		}, nil},
		{"no name", func(s *Structure) { s.Name = "" }, []string{"name"}},
		{"name of 201 letters", func(s *Structure) { s.Name = strings.Repeat("é", 201) }, []string{"name"}},
		{"brand of 201 letters", func(s *Structure) { s.Brand = strings.Repeat("é", 201) }, []string{"brand"}},
		{"no SIRET", func(s *Structure) { s.SIRET = "" }, []string{"siret"}},
		{"SIRET failing Luhn", func(s *Structure) { s.SIRET = "24440040400005" }, []string{"siret"}},
		{"La Poste SIRET", func(s *Structure) { s.SIRET = "35600000049837" }, nil},
		{"SIREN not of the SIRET", func(s *Structure) { s.SIREN = "214401093" }, []string{"siren"}},
		{"SIREN of the SIRET", func(s *Structure) { s.SIREN = "244400404" }, nil},
		{"no legal category", func(s *Structure) { s.LegalCategory = "" }, []string{"legal_category"}},
		{"unknown legal category", func(s *Structure) { s.LegalCategory = "9999" }, []string{"legal_category"}},
		{"no ESS basis", func(s *Structure) { s.ESSBasis = "" }, []string{"ess_basis"}},
		{"unknown ESS basis", func(s *Structure) { s.ESSBasis = "charter" }, []string{"ess_basis"}},
		{"commercial company by legal form", func(s *Structure) { s.LegalCategory = "5710" }, []string{"ess_basis"}},
		{"commercial company with ESS quality", func(s *Structure) { s.LegalCategory = "5710"; s.ESSBasis = BasisESSQuality }, nil},
		{"commercial company with ESUS agreement", func(s *Structure) {
			s.LegalCategory = "5499"
			s.ESSBasis = BasisESUSAgreement
			s.ESUSExpiresOn = &expires
		}, nil},
		{"ESUS agreement without expiry", func(s *Structure) { s.ESSBasis = BasisESUSAgreement }, []string{"esus_expires_on"}},
		{"expiry without ESUS agreement", func(s *Structure) { s.ESUSExpiresOn = &expires }, []string{"esus_expires_on"}},
		{"unknown inclusion kind", func(s *Structure) { s.InclusionKinds = []string{"ACI", "XYZ"} }, []string{"inclusion_kinds[1]"}},
		{"unknown NAF", func(s *Structure) { s.NAFCode = "99.99Z" }, []string{"naf_code"}},
		{"no NAF", func(s *Structure) { s.NAFCode = "" }, nil},
		{"unknown headcount band", func(s *Structure) { s.HeadcountBand = "99" }, []string{"headcount_band"}},
		{"negative turnover", func(s *Structure) { *s.AnnualTurnoverEUR = -1 }, []string{"annual_turnover_eur"}},
		{"turnover of 100 billion", func(s *Structure) { *s.AnnualTurnoverEUR = 100_000_000_000 }, nil},
		{"turnover above 100 billion", func(s *Structure) { *s.AnnualTurnoverEUR = 100_000_000_001 }, []string{"annual_turnover_eur"}},
		{"turnover without year", func(s *Structure) { s.TurnoverYear = nil }, []string{"turnover_year"}},
		{"turnover year 1989", func(s *Structure) { *s.TurnoverYear = 1989 }, []string{"turnover_year"}},
		{"turnover year next year", func(s *Structure) { *s.TurnoverYear = nextYear }, nil},
		{"turnover year after next year", func(s *Structure) { *s.TurnoverYear = nextYear + 1 }, []string{"turnover_year"}},
		{"postcode of 4 digits", func(s *Structure) { s.Postcode = "4410" }, []string{"postcode"}},
		{"postcode with a letter", func(s *Structure) { s.Postcode = "2A000" }, []string{"postcode"}},
		{"no commune", func(s *Structure) { s.Commune = "" }, []string{"commune"}},
		{"unknown commune", func(s *Structure) { s.Commune = "44999" }, []string{"commune"}},
		{"latitude out of range", func(s *Structure) { s.Location.Lat = 91 }, []string{"location.lat"}},
		{"longitude out of range", func(s *Structure) { s.Location.Lon = -180.5 }, []string{"location.lon"}},
		{"website without scheme", func(s *Structure) { s.Website = "chezine.example.fr" }, []string{"website"}},
		{"website ftp", func(s *Structure) { s.Website = "ftp://chezine.example.fr" }, []string{"website"}},
		{"website without host", func(s *Structure) { s.Website = "https://" }, []string{"website"}},
		{"website http", func(s *Structure) { s.Website = "http://chezine.example.fr" }, nil},
		{"description of 5001 letters", func(s *Structure) { s.Description = strings.Repeat("é", 5001) }, []string{"description"}},
		{"21 labels", func(s *Structure) { s.Labels = slices.Repeat([]string{"l"}, 21) }, []string{"labels"}},
		{"label of 101 letters", func(s *Structure) { s.Labels = []string{"Lucie", strings.Repeat("é", 101)} }, []string{"labels[1]"}},
		{"contact e-mail invalid", func(s *Structure) { s.Contact.Email = "contact@" }, []string{"contact.email"}},
		{"contact e-mail with a name", func(s *Structure) { s.Contact.Email = "Chézine <contact@chezine.fr>" }, []string{"contact.email"}},
		{"contact phone too short", func(s *Structure) { s.Contact.Phone = "02 40 00 00" }, []string{"contact.phone"}},
		{"contact phone with letters", func(s *Structure) { s.Contact.Phone = "02 40 00 00 0A" }, []string{"contact.phone"}},
		{"no contact", func(s *Structure) { s.Contact = Contact{} }, nil},
		{"21 representatives", func(s *Structure) { s.Representatives = slices.Repeat(s.Representatives, 21) }, []string{"representatives"}},
		{"representative without name", func(s *Structure) { s.Representatives[0].Name = "" }, []string{"representatives[0].name"}},
		{"representative e-mail invalid", func(s *Structure) { s.Representatives[0].Email = "martin" }, []string{"representatives[0].email"}},
		{"representative phone invalid", func(s *Structure) { s.Representatives[0].Phone = "+33 06 12 34 56 78" }, []string{"representatives[0].phone"}},
		{"no status", func(s *Structure) { s.Status = "" }, []string{"status"}},
		{"unknown status", func(s *Structure) { s.Status = "archived" }, []string{"status"}},
		{"101 offers", func(s *Structure) { s.Offers = slices.Repeat(s.Offers, 101) }, []string{"offers"}},
		{"offer problems are located", func(s *Structure) {
			s.Offers = append(s.Offers, validOffer())
			s.Offers[1].CPVCodes[1] = "45999000"
		}, []string{"offers[1].cpv_codes[1]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validStructure()
			tt.change(&s)
			got := fieldLocations(t, s.Validate(fakeReference{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate locations = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCommercialCompanyMessageNamesTheBases(t *testing.T) {
	s := validStructure()
	s.LegalCategory = "5710"
	err := s.Validate(fakeReference{})
	if err == nil || !strings.Contains(err.Error(), "ess_basis: a commercial company") ||
		!strings.Contains(err.Error(), "esus_agreement") || !strings.Contains(err.Error(), "ess_quality") {
		t.Errorf("Validate = %v, want the ess_basis message to name esus_agreement and ess_quality", err)
	}
}

func TestValidatePhone(t *testing.T) {
	tests := []struct {
		phone string
		valid bool
	}{
		{"0240000000", true},
		{"02 40 00 00 00", true},
		{"02.40.00.00.00", true},
		{"02-40-00-00-00", true},
		{"+33 2 40 00 00 00", true},
		{"+33240000000", true},
		{"0033 2 40 00 00 00", true},
		{"+49 30 1234567", true},
		{"+33 02 40 00 00 00", false},
		{"+33 2 40 00 00", false},
		{"2 40 00 00 00", false},
		{"02 40 00 00 00 0", false},
		{"02 40 + 00 00 00", false},
		{"(02) 40 00 00 00", false},
		{"+", false},
		{"+1234567", false},
		{"+1234567890123456", false},
	}
	for _, tt := range tests {
		if err := ValidatePhone(tt.phone); (err == nil) != tt.valid {
			t.Errorf("ValidatePhone(%q) = %v, want valid=%v", tt.phone, err, tt.valid)
		}
	}
}

func TestValidateEmail(t *testing.T) {
	tests := []struct {
		email string
		valid bool
	}{
		{"contact@chezine.fr", true},
		{"c.martin+achats@nantesmetropole.fr", true},
		{"contact@localhost", false},
		{"contact@.fr", false},
		{"contact@chezine.", false},
		{"<contact@chezine.fr>", false},
		{"Chézine <contact@chezine.fr>", false},
		{"contact chezine.fr", false},
		{"contact@chezine.fr, autre@chezine.fr", false},
		{strings.Repeat("a", 250) + "@x.fr", false},
	}
	for _, tt := range tests {
		if err := ValidateEmail(tt.email); (err == nil) != tt.valid {
			t.Errorf("ValidateEmail(%q) = %v, want valid=%v", tt.email, err, tt.valid)
		}
	}
}

func TestStructureNormalize(t *testing.T) {
	s := Structure{
		SIRET:           " 244 400 404 00004 ",
		Name:            "  Chézine ",
		NAFCode:         " 8899b ",
		HeadcountBand:   "nn",
		Postcode:        "44 100",
		Commune:         " 2a004",
		InclusionKinds:  []string{"aci", " EI", "ACI", ""},
		Labels:          []string{"Qualiopi ", "Lucie", "Qualiopi", " "},
		Contact:         Contact{Email: " Contact@Chezine.FR ", Phone: " 02 40 00 00 00 "},
		Representatives: []Representative{{Name: " Camille ", Email: "C.Martin@Chezine.fr "}},
		Status:          " draft ",
		Offers:          []Offer{{Title: " Menuiserie "}},
	}
	s.Normalize()
	want := Structure{
		SIRET:           "24440040400004",
		Name:            "Chézine",
		NAFCode:         "88.99B",
		HeadcountBand:   "NN",
		Postcode:        "44100",
		Commune:         "2A004",
		InclusionKinds:  []string{"ACI", "EI"},
		Labels:          []string{"Lucie", "Qualiopi"},
		Contact:         Contact{Email: "contact@chezine.fr", Phone: "02 40 00 00 00"},
		Representatives: []Representative{{Name: "Camille", Email: "c.martin@chezine.fr"}},
		Status:          StatusDraft,
	}
	if s.SIRET != want.SIRET || s.Name != want.Name || s.NAFCode != want.NAFCode || s.HeadcountBand != want.HeadcountBand ||
		s.Postcode != want.Postcode || s.Commune != want.Commune || !slices.Equal(s.InclusionKinds, want.InclusionKinds) ||
		!slices.Equal(s.Labels, want.Labels) || s.Contact != want.Contact ||
		!slices.Equal(s.Representatives, want.Representatives) || s.Status != want.Status || s.Offers[0].Title != "Menuiserie" {
		t.Errorf("Normalize gave\n%+v\nwant\n%+v", s, want)
	}
	var empty Structure
	empty.Normalize()
	if empty.InclusionKinds != nil || empty.Labels != nil {
		t.Errorf("Normalize turned nil lists into %#v, %#v", empty.InclusionKinds, empty.Labels)
	}
}

func TestStructureDerive(t *testing.T) {
	ownLocation := &GeoPoint{Lat: 47.2, Lon: -1.6}
	tests := []struct {
		name         string
		in           Structure
		wantSIREN    string
		wantFamily   ESSFamily
		wantLocation *GeoPoint
	}{
		{"association", Structure{SIRET: "24440040400004", LegalCategory: "9220", ESSBasis: BasisLegalForm, Commune: "44109"},
			"244400404", FamilyAssociation, &nantes},
		{"cooperative keeps its location", Structure{SIRET: "21440109300007", LegalCategory: "5458", ESSBasis: BasisLegalForm,
			Commune: "44143", Location: ownLocation}, "214401093", FamilyCooperative, ownLocation},
		{"association with an ESUS agreement stays an association", Structure{LegalCategory: "9220",
			ESSBasis: BasisESUSAgreement, Commune: "44143"}, "", FamilyAssociation, &reze},
		{"SAS with ESUS agreement", Structure{LegalCategory: "5710", ESSBasis: BasisESUSAgreement}, "", FamilyESSCompany, nil},
		{"SA with ESS quality", Structure{LegalCategory: "5499", ESSBasis: BasisESSQuality}, "", FamilyESSCompany, nil},
		{"SAS by legal form is no family", Structure{LegalCategory: "5710", ESSBasis: BasisLegalForm, ESSFamily: FamilyMutual},
			"", "", nil},
		{"unknown category is no family", Structure{LegalCategory: "0000", ESSBasis: BasisESSQuality}, "", "", nil},
		{"malformed SIRET gives no SIREN", Structure{SIRET: "2444004040000", SIREN: "244400404"}, "", "", nil},
		{"unknown commune gives no location", Structure{Commune: "99999"}, "", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.in
			s.Derive(fakeReference{})
			if s.SIREN != tt.wantSIREN || s.ESSFamily != tt.wantFamily {
				t.Errorf("Derive gave SIREN %q family %q, want %q %q", s.SIREN, s.ESSFamily, tt.wantSIREN, tt.wantFamily)
			}
			switch {
			case tt.wantLocation == nil && s.Location != nil:
				t.Errorf("Derive set location %+v, want none", *s.Location)
			case tt.wantLocation != nil && (s.Location == nil || *s.Location != *tt.wantLocation):
				t.Errorf("Derive gave location %v, want %+v", s.Location, *tt.wantLocation)
			}
		})
	}
}

func BenchmarkStructureValidate(b *testing.B) {
	s := validStructure()
	for b.Loop() {
		if err := s.Validate(fakeReference{}); err != nil {
			b.Fatal(err)
		}
	}
}

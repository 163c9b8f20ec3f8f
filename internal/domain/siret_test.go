package domain

import "testing"

func TestValidateSIRET(t *testing.T) {
	tests := []struct {
		name  string
		siret string
		valid bool
	}{
		{"Luhn valid", "24440040400004", true},
		{"Luhn valid, Ville de Nantes", "21440109300007", true},
		{"Luhn fails", "24440040400005", false},
		{"La Poste head office follows Luhn", "35600000000048", true},
		{"La Poste establishment, digit sum 45", "35600000049837", true},
		{"La Poste establishment, digit sum 46", "35600000049838", false},
		{"La Poste establishment passing Luhn only", "35600000000014", false},
		{"13 digits", "2444004040000", false},
		{"15 digits", "244400404000040", false},
		{"letters", "2444004040000A", false},
		{"spaces are not removed here", "244 400 404 00004", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSIRET(tt.siret)
			if (err == nil) != tt.valid {
				t.Errorf("ValidateSIRET(%q) = %v, want valid=%v", tt.siret, err, tt.valid)
			}
		})
	}
}

func TestValidateSIREN(t *testing.T) {
	tests := []struct {
		siren string
		valid bool
	}{
		{"244400404", true}, // Nantes Métropole
		{"214401093", true}, // Ville de Nantes
		{"356000000", true}, // La Poste
		{"244400405", false},
		{"24440040", false},
		{"2444004040", false},
		{"24440040A", false},
	}
	for _, tt := range tests {
		if err := ValidateSIREN(tt.siren); (err == nil) != tt.valid {
			t.Errorf("ValidateSIREN(%q) = %v, want valid=%v", tt.siren, err, tt.valid)
		}
	}
}

func TestSIRENOf(t *testing.T) {
	for in, want := range map[string]string{"24440040400004": "244400404", "2444004040000": "", "2444004040000X": ""} {
		if got := SIRENOf(in); got != want {
			t.Errorf("SIRENOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzValidateSIRET(f *testing.F) {
	for _, s := range []string{"24440040400004", "35600000049837", "35600000000048", "", "abc", "3560000004983７"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateSIRET(s)
		if err != nil {
			return
		}
		if len(s) != 14 || !allDigits(s) {
			t.Fatalf("ValidateSIRET accepted %q, which is not 14 digits", s)
		}
		if s[:9] != laPosteSIREN && !luhnValid(s) {
			t.Fatalf("ValidateSIRET accepted %q, which fails Luhn", s)
		}
		if SIRENOf(s) != s[:9] {
			t.Fatalf("SIRENOf(%q) = %q", s, SIRENOf(s))
		}
	})
}

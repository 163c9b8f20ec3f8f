package domain

import "errors"

// La Poste has too many establishments for a 5-digit NIC under Luhn, so INSEE numbers its establishments (all but
// the head office) so that the sum of the 14 digits is a multiple of 5.
const (
	laPosteSIREN      = "356000000"
	laPosteHeadOffice = "35600000000048"
)

var (
	errSIRETLength = errors.New("must be 14 digits (SIRET)")
	errSIRETCheck  = errors.New("is not a valid SIRET: its check digit is wrong")
	errSIRENLength = errors.New("must be 9 digits (SIREN)")
	errSIRENCheck  = errors.New("is not a valid SIREN: its check digit is wrong")
)

// ValidateSIRET checks that s is an establishment number: 14 digits passing the Luhn check, or, for La Poste's
// establishments (SIREN 356000000), 14 digits whose sum is a multiple of 5. Its error reads as a field message.
func ValidateSIRET(s string) error {
	if len(s) != 14 || !allDigits(s) {
		return errSIRETLength
	}
	if s[:9] == laPosteSIREN && s != laPosteHeadOffice {
		if digitSum(s)%5 != 0 {
			return errSIRETCheck
		}
		return nil
	}
	if !luhnValid(s) {
		return errSIRETCheck
	}
	return nil
}

// ValidateSIREN checks that s is a legal-unit number: 9 digits passing the Luhn check. Its error reads as a field
// message.
func ValidateSIREN(s string) error {
	if len(s) != 9 || !allDigits(s) {
		return errSIRENLength
	}
	if !luhnValid(s) {
		return errSIRENCheck
	}
	return nil
}

// SIRENOf returns the SIREN (first 9 digits) of a SIRET, or "" when siret is not 14 digits.
func SIRENOf(siret string) string {
	if len(siret) != 14 || !allDigits(siret) {
		return ""
	}
	return siret[:9]
}

// luhnValid expects digits only.
func luhnValid(s string) bool {
	sum := 0
	for i := range len(s) {
		n := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			n *= 2
			if n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

func digitSum(s string) int {
	sum := 0
	for i := range len(s) {
		sum += int(s[i] - '0')
	}
	return sum
}

func allDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

package refdata

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s reduced to the form every accent-insensitive comparison in Essor uses: lower case, accents
// removed, ligatures spelled out (œ→oe, æ→ae, ß→ss), and every run of characters other than letters and digits
// (apostrophes, hyphens, punctuation, spaces) turned into one space, with none at either end. So "Saint-Herblain",
// "SAINT HERBLAIN" and "saint herblain" fold alike, and strings.Fields of the result gives comparable words.
func Fold(s string) string {
	if !isASCII(s) {
		// Compatibility decomposition splits é into e + a combining accent (dropped below) and also unpacks
		// typographic forms such as the "ﬁ" ligature, superscripts and no-break spaces.
		// Lowering first keeps Fold idempotent for the few capitals whose lower case decomposes further.
		s = norm.NFKD.String(strings.ToLower(s))
	}
	var b strings.Builder
	b.Grow(len(s))
	pendingSpace := false
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if pendingSpace && b.Len() > 0 {
				b.WriteByte(' ')
			}
			pendingSpace = false
			writeFoldedRune(&b, unicode.ToLower(r))
		default:
			pendingSpace = true
		}
	}
	return b.String()
}

func writeFoldedRune(b *strings.Builder, r rune) {
	switch r {
	case 'œ':
		b.WriteString("oe")
	case 'æ':
		b.WriteString("ae")
	case 'ß':
		b.WriteString("ss")
	default:
		b.WriteRune(r)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

package demo

import (
	"math/rand/v2"
	"strings"
)

// wording holds what the placeholders of a trade's French templates expand to for one structure.
type wording struct {
	name    string // {name}: the structure's name
	at      string // {at}: "à Rezé", "au Pellerin"
	of      string // {of}: "de Rezé", "d'Orvault"
	commune string // {commune}: "Rezé"
	place   place  // {place}: "Chézine"; {de}: "de la Chézine"
	year    string // {year}: year the structure was founded
}

// expand replaces the {placeholders} of tpl. An unknown placeholder is left as is, which the tests catch.
func (w *wording) expand(tpl string) string {
	if strings.IndexByte(tpl, '{') < 0 {
		return tpl
	}
	var b strings.Builder
	b.Grow(len(tpl) + 48)
	for {
		i := strings.IndexByte(tpl, '{')
		j := strings.IndexByte(tpl[max(i, 0):], '}')
		if i < 0 || j < 0 {
			b.WriteString(tpl)
			return b.String()
		}
		b.WriteString(tpl[:i])
		b.WriteString(w.value(tpl[i+1 : i+j]))
		tpl = tpl[i+j+1:]
	}
}

func (w *wording) value(key string) string {
	switch key {
	case "name":
		return w.name
	case "at":
		return w.at
	case "of":
		return w.of
	case "commune":
		return w.commune
	case "place":
		return w.place.short
	case "de":
		return w.place.of
	case "year":
		return w.year
	}
	return "{" + key + "}"
}

// sentences joins the first template with up to extra more drawn in order from the rest, so that descriptions
// vary in length (1 to 1+extra sentences) but always read in a sensible order.
func sentences(r *rand.Rand, w *wording, tpls []string, extra int) string {
	if len(tpls) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(w.expand(tpls[0]))
	want := r.IntN(extra + 1)
	rest := tpls[1:]
	for i, t := range rest {
		if want == 0 {
			break
		}
		// Choosing each remaining sentence with probability want/left keeps the order and the count exact.
		if r.IntN(len(rest)-i) < want {
			b.WriteByte(' ')
			b.WriteString(w.expand(t))
			want--
		}
	}
	return b.String()
}

// slug turns a name into a lower-case ASCII label for fictitious domains: "Café des Pirates" → "cafe-des-pirates".
func slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range s {
		folded, ok := asciiFold(r)
		if !ok {
			dash = b.Len() > 0
			continue
		}
		if dash {
			b.WriteByte('-')
			dash = false
		}
		b.WriteString(folded)
	}
	return b.String()
}

// asciiFold maps letters and digits to lower-case ASCII, French accents included; anything else is a separator.
func asciiFold(r rune) (string, bool) {
	switch {
	case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		return string(r), true
	case r >= 'A' && r <= 'Z':
		return string(r + 'a' - 'A'), true
	}
	switch r {
	case 'à', 'â', 'ä', 'À', 'Â', 'Ä':
		return "a", true
	case 'é', 'è', 'ê', 'ë', 'É', 'È', 'Ê', 'Ë':
		return "e", true
	case 'î', 'ï', 'Î', 'Ï':
		return "i", true
	case 'ô', 'ö', 'Ô', 'Ö':
		return "o", true
	case 'ù', 'û', 'ü', 'Ù', 'Û', 'Ü':
		return "u", true
	case 'ç', 'Ç':
		return "c", true
	case 'œ', 'Œ':
		return "oe", true
	case 'æ', 'Æ':
		return "ae", true
	case 'ÿ':
		return "y", true
	}
	return "", false
}

package web

import "regexp"

// matchReasonTexts translate the reasons of domain.MatchLot (English, for API clients) for the buyers; a reason
// no rule knows is shown as is.
var matchReasonTexts = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`^offer (".*"): CPV (\S+) lies under the lot's (\S+)$`), "l'offre $1 relève de l'activité du lot (CPV $2, dans $3)"},
	{regexp.MustCompile(`^offer (".*"): CPV (\S+) covers the lot's (\S+)$`), "l'offre $1 couvre l'activité du lot (CPV $2, qui contient $3)"},
	{regexp.MustCompile(`^the offer's area covers the (\d+) commune\(s\) of the lot$`), "elle intervient dans toutes les communes du lot ($1)"},
	{regexp.MustCompile(`^offer (".*") can deliver (\d+) € a year, the lot needs (\d+) € a year$`), "l'offre $1 peut assurer $2 € par an, le lot en demande $3"},
	{regexp.MustCompile(`^annual turnover (\d+) € reaches the required minimum of (\d+) €$`), "son chiffre d'affaires ($1 €) atteint le minimum exigé ($2 €)"},
	{regexp.MustCompile(`^(\S+) structure, eligible to a lot reserved under (\S+)$`), "structure $1 : elle peut répondre au lot réservé ($2)"},
	{regexp.MustCompile(`^ESS company, eligible to a lot reserved under L2113-15$`), "entreprise de l'ESS : elle peut répondre au lot réservé (L2113-15)"},
	{regexp.MustCompile(`^no public contract award is known: a first-time bidder$`), "primo-accédante : aucun marché public connu"},
}

func matchReason(msg string) string {
	for _, t := range matchReasonTexts {
		if t.re.MatchString(msg) {
			return t.re.ReplaceAllString(msg, t.with)
		}
	}
	return msg
}

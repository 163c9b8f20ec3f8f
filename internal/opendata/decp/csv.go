package decp

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/domain"
)

// csvColumns maps the fields of an award to the columns of a tabular export. Names are compared in lower case,
// which covers both the data.economie.gouv.fr export (codecpv, titulaire_id_1…) and decp.info (codeCPV,
// titulaire_id, one row per holder).
type csvColumns struct {
	id, buyer, buyerName, nature, cpv, procedure, duration, notified, published, amount, form int
	subcontracting, groupement, social, techniques, subcontractAct, source, sourceDataset     int
	holders                                                                                   []holderColumns
	width                                                                                     int
}

type holderColumns struct{ id, kind, name int }

func newCSVColumns(header []string) (csvColumns, error) {
	index := map[string]int{}
	for i, h := range header {
		index[strings.ToLower(strings.TrimSpace(h))] = i
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := index[n]; ok {
				return i
			}
		}
		return -1
	}
	c := csvColumns{
		id: col("id"), buyer: col("acheteur_id", "acheteur.id"), buyerName: col("acheteur_nom", "acheteur.nom"),
		nature: col("nature"), cpv: col("codecpv"), procedure: col("procedure"), duration: col("dureemois"),
		notified: col("datenotification"), published: col("datepublicationdonnees"), amount: col("montant"),
		form: col("formeprix"), subcontracting: col("soustraitancedeclaree"),
		groupement: col("typegroupementoperateurs"), social: col("considerationssociales"),
		techniques: col("techniques"), subcontractAct: col("idactesoustraitance"), source: col("source"),
		sourceDataset: col("sourcedataset"), width: len(header),
	}
	if i := col("titulaire_id"); i >= 0 {
		c.holders = append(c.holders, holderColumns{i, col("titulaire_typeidentifiant"), col("titulaire_nom", "titulaire_denominationsociale")})
	}
	for n := 1; ; n++ {
		suffix := "_" + strconv.Itoa(n)
		i := col("titulaire_id" + suffix)
		if i < 0 {
			break
		}
		c.holders = append(c.holders, holderColumns{i, col("titulaire_typeidentifiant" + suffix),
			col("titulaire_nom"+suffix, "titulaire_denominationsociale"+suffix)})
	}
	if c.id < 0 || c.buyer < 0 {
		return c, domain.Malformed("decp: the CSV header has no id and acheteur_id columns: not a DECP export")
	}
	return c, nil
}

func (c csvColumns) format() string {
	if len(c.holders) > 0 && c.holders[0].id >= 0 && c.sourceDataset >= 0 {
		return "csv-decp.info"
	}
	return "csv-economie"
}

func (c csvColumns) award(rec []string) Award {
	v := func(i int) string {
		if i < 0 {
			return ""
		}
		return clean(rec[i])
	}
	a := Award{
		ID: v(c.id), BuyerSIRET: identifier(v(c.buyer)), BuyerName: v(c.buyerName), Nature: v(c.nature),
		CPV: cpvRoot(v(c.cpv)), Procedure: v(c.procedure), DurationMonths: months(v(c.duration)),
		NotifiedOn: date(v(c.notified)), PublishedOn: date(v(c.published)), AmountEUR: amount(v(c.amount)),
		Form: v(c.form), GroupementType: groupement(v(c.groupement)), Subcontracting: boolean(v(c.subcontracting)),
		Source: v(c.source),
	}
	if a.Source == "" {
		a.Source = v(c.sourceDataset)
	}
	social := splitList(v(c.social))
	a.SocialConsiderations = socialConsiderations(social)
	a.Reserved = reserved(social, splitList(v(c.techniques)))
	c.mergeRow(&a, rec)
	return a
}

// mergeRow adds what a further row of the same award brings: holders (one row per holder in decp.info) and
// subcontracting acts (one row per act in the economie export).
func (c csvColumns) mergeRow(a *Award, rec []string) {
	for _, h := range c.holders {
		holder := Holder{ID: rec[h.id]}
		if h.kind >= 0 {
			holder.TypeIdentifiant = rec[h.kind]
		}
		if h.name >= 0 {
			holder.Name = rec[h.name]
		}
		a.Holders = addHolder(a.Holders, holder)
	}
	if c.subcontractAct >= 0 && clean(rec[c.subcontractAct]) != "" {
		yes := true
		a.Subcontracting = &yes
	}
}

// readCSV reads a tabular export. Consecutive rows of one award (per modification, per subcontracting act or
// per holder) are merged into one award.
func readCSV(br *bufio.Reader, emit func(index int, location string, a Award, problem string) error) (format string, rows int, err error) {
	r := csv.NewReader(br)
	r.Comma = sniffDelimiter(br)
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if err != nil {
		return "csv", 0, domain.Malformed("decp: unreadable CSV header: " + err.Error())
	}
	header = append([]string(nil), header...)
	c, err := newCSVColumns(header)
	if err != nil {
		return "csv", 0, err
	}
	r.ReuseRecord = true
	var pending *Award
	pendingRow := 0
	flush := func() error {
		if pending == nil {
			return nil
		}
		a := *pending
		pending = nil
		return emit(pendingRow, "row "+strconv.Itoa(pendingRow), a, "")
	}
	for row := 1; ; row++ {
		rec, err := r.Read()
		if err == io.EOF {
			return c.format(), row - 1, flush()
		}
		var parseErr *csv.ParseError
		if errors.As(err, &parseErr) {
			if err := emit(row, "row "+strconv.Itoa(row), Award{}, parseErr.Err.Error()); err != nil {
				return c.format(), row, err
			}
			continue
		}
		if err != nil {
			return c.format(), row, err
		}
		if len(rec) != c.width {
			if err := emit(row, "row "+strconv.Itoa(row), Award{}, fmt.Sprintf("%d fields, the header has %d", len(rec), c.width)); err != nil {
				return c.format(), row, err
			}
			continue
		}
		if pending != nil && pending.ID == clean(rec[c.id]) && pending.BuyerSIRET == identifier(rec[c.buyer]) {
			c.mergeRow(pending, rec)
			continue
		}
		if err := flush(); err != nil {
			return c.format(), row, err
		}
		a := c.award(rec)
		pending, pendingRow = &a, row
	}
}

// sniffDelimiter picks the separator of the header line: Opendatasoft exports use ';', decp.info ','.
func sniffDelimiter(br *bufio.Reader) rune {
	head, _ := br.Peek(br.Size())
	if i := bytes.IndexByte(head, '\n'); i >= 0 {
		head = head[:i]
	}
	best, count := ',', bytes.Count(head, []byte{','})
	for _, d := range []rune{';', '\t'} {
		if n := bytes.Count(head, []byte(string(d))); n > count {
			best, count = d, n
		}
	}
	return best
}

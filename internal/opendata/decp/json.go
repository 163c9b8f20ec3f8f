package decp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/essor-ess/essor/internal/domain"
)

// jsonRecord is the union of the marché and concession fields of every DECP JSON version; the fields whose
// shape changed between versions are kept raw and read by walking them.
type jsonRecord struct {
	ID                       scalar          `json:"id"`
	Source                   scalar          `json:"source"`
	Acheteur                 *jsonOrg        `json:"acheteur"`
	AutoriteConcedante       *jsonOrg        `json:"autoriteConcedante"`
	Nature                   scalar          `json:"nature"`
	CodeCPV                  scalar          `json:"codeCPV"`
	Procedure                scalar          `json:"procedure"`
	DureeMois                scalar          `json:"dureeMois"`
	DateNotification         scalar          `json:"dateNotification"`
	DateSignature            scalar          `json:"dateSignature"`
	DatePublicationDonnees   scalar          `json:"datePublicationDonnees"`
	Montant                  scalar          `json:"montant"`
	ValeurGlobale            scalar          `json:"valeurGlobale"`
	FormePrix                scalar          `json:"formePrix"`
	TypeGroupementOperateurs scalar          `json:"typeGroupementOperateurs"`
	SousTraitanceDeclaree    scalar          `json:"sousTraitanceDeclaree"`
	Titulaires               json.RawMessage `json:"titulaires"`
	Concessionnaires         json.RawMessage `json:"concessionnaires"`
	ConsiderationsSociales   json.RawMessage `json:"considerationsSociales"`
	Techniques               json.RawMessage `json:"techniques"`
	Technique                json.RawMessage `json:"technique"`
	ActesSousTraitance       json.RawMessage `json:"actesSousTraitance"`
}

type jsonOrg struct {
	ID  scalar `json:"id"`
	Nom scalar `json:"nom"`
}

// scalar accepts a JSON string, number, boolean or null as text, so that "montant": "42130.0" and
// "dureeMois": 12 read alike; an object or array where a value is expected makes the record malformed.
type scalar string

func (s *scalar) UnmarshalJSON(b []byte) error {
	switch b[0] {
	case '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = scalar(v)
	case 'n':
		*s = ""
	case '{', '[':
		return errors.New("expected a value, found " + map[byte]string{'{': "an object", '[': "an array"}[b[0]])
	default:
		*s = scalar(b)
	}
	return nil
}

// jsonCursor walks the token stream down to the record arrays.
type jsonCursor struct {
	dec     *json.Decoder
	emit    func(index int, location string, rec *jsonRecord, err error) error
	index   int
	found   bool
	variant string
}

func readJSON(r io.Reader, emit func(index int, location string, rec *jsonRecord, err error) error) (string, error) {
	c := &jsonCursor{dec: json.NewDecoder(r), emit: emit}
	c.dec.UseNumber()
	tok, err := c.dec.Token()
	if err != nil {
		return "", c.fail(err)
	}
	switch tok {
	case json.Delim('['):
		c.variant = "json-array"
		err = c.records("[", false)
	case json.Delim('{'):
		err = c.object("", 0)
	default:
		return "", domain.Malformed("decp: the file is neither a JSON object nor an array")
	}
	if err != nil {
		return c.variant, err
	}
	if !c.found {
		return c.variant, domain.Malformed(`decp: no "marches" array found in the JSON file`)
	}
	return c.variant, nil
}

// object reads the members of an object whose '{' was consumed: "marches" (an array, or an object holding
// "marche" and "contrat-concession" arrays) holds the records; anything else is skipped.
func (c *jsonCursor) object(path string, depth int) error {
	for c.dec.More() {
		tok, err := c.dec.Token()
		if err != nil {
			return c.fail(err)
		}
		key, _ := tok.(string)
		location := key
		if path != "" {
			location = path + "." + key
		}
		isRecords := (depth == 0 && key == "marches") || (depth == 1 && (key == "marche" || key == "contrat-concession"))
		if !isRecords {
			var skip json.RawMessage
			if err := c.dec.Decode(&skip); err != nil {
				return c.fail(err)
			}
			continue
		}
		tok, err = c.dec.Token()
		if err != nil {
			return c.fail(err)
		}
		switch tok {
		case json.Delim('['):
			if depth == 0 {
				c.variant = "json-flat"
			}
			if err := c.records(location, key == "contrat-concession"); err != nil {
				return err
			}
		case json.Delim('{'):
			c.variant = "json-wrapped"
			if err := c.object(location, depth+1); err != nil {
				return err
			}
		default:
			return domain.Malformed(fmt.Sprintf("decp: %s is neither an array nor an object", location))
		}
	}
	if _, err := c.dec.Token(); err != nil {
		return c.fail(err)
	}
	return nil
}

// records decodes the elements of an array whose '[' was consumed, one at a time.
func (c *jsonCursor) records(location string, concession bool) error {
	c.found = true
	for i := 0; c.dec.More(); i++ {
		var raw json.RawMessage
		if err := c.dec.Decode(&raw); err != nil {
			return c.fail(err)
		}
		var rec jsonRecord
		err := json.Unmarshal(raw, &rec)
		if err == nil && raw[0] != '{' {
			err = errors.New("the record is not a JSON object")
		}
		if concession && err == nil {
			rec.Acheteur, rec.Titulaires = rec.AutoriteConcedante, rec.Concessionnaires
			rec.DateNotification, rec.Montant = rec.DateSignature, rec.ValeurGlobale
		}
		if err := c.emit(c.index, location+"["+strconv.Itoa(i)+"]", &rec, err); err != nil {
			return err
		}
		c.index++
	}
	if _, err := c.dec.Token(); err != nil {
		return c.fail(err)
	}
	return nil
}

// fail explains a stream error: the records before it were already passed on.
func (c *jsonCursor) fail(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &domain.Error{Kind: domain.KindMalformed, Code: "truncated", Err: err, Detail: fmt.Sprintf(
			"decp: the JSON file ends in the middle (truncated?) after %d records, at byte %d", c.index, c.dec.InputOffset())}
	}
	var syntax *json.SyntaxError
	if errors.As(err, &syntax) {
		return &domain.Error{Kind: domain.KindMalformed, Code: "invalid_json", Err: err, Detail: fmt.Sprintf(
			"decp: invalid JSON at byte %d after %d records", syntax.Offset, c.index)}
	}
	return err
}

// award converts a decoded record; an error names what makes it unusable.
func (rec *jsonRecord) award() (Award, error) {
	a := Award{
		ID: clean(string(rec.ID)), Nature: clean(string(rec.Nature)), CPV: cpvRoot(string(rec.CodeCPV)),
		Procedure: clean(string(rec.Procedure)), DurationMonths: months(string(rec.DureeMois)),
		NotifiedOn: date(string(rec.DateNotification)), PublishedOn: date(string(rec.DatePublicationDonnees)),
		AmountEUR: amount(string(rec.Montant)), Form: clean(string(rec.FormePrix)),
		GroupementType: groupement(string(rec.TypeGroupementOperateurs)),
		Subcontracting: boolean(string(rec.SousTraitanceDeclaree)), Source: clean(string(rec.Source)),
	}
	if rec.Acheteur != nil {
		a.BuyerSIRET, a.BuyerName = identifier(string(rec.Acheteur.ID)), clean(string(rec.Acheteur.Nom))
	}
	holders, err := walkHolders(rec.Titulaires)
	if err != nil {
		return a, fmt.Errorf("titulaires: %w", err)
	}
	a.Holders = holders
	social, err := walkStrings(rec.ConsiderationsSociales)
	if err != nil {
		return a, fmt.Errorf("considerationsSociales: %w", err)
	}
	a.SocialConsiderations = socialConsiderations(social)
	techniques, _ := walkStrings(rec.Techniques)
	flat, _ := walkStrings(rec.Technique)
	a.Reserved = reserved(social, techniques, flat)
	if acts, _ := walkAny(rec.ActesSousTraitance); hasElements(acts) {
		yes := true
		a.Subcontracting = &yes
	}
	return a, nil
}

func walkAny(raw json.RawMessage) (any, error) {
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil, nil
	}
	var v any
	err := json.Unmarshal(raw, &v)
	return v, err
}

// walkHolders collects every object with an "id" under titulaires, whatever the wrapping:
// [{"titulaire": {...}}], [{...}], {"titulaire": [...]}.
func walkHolders(raw json.RawMessage) ([]Holder, error) {
	v, err := walkAny(raw)
	if err != nil {
		return nil, err
	}
	var holders []Holder
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			if id, ok := t["id"]; ok {
				holders = addHolder(holders, Holder{ID: text(id), TypeIdentifiant: text(t["typeIdentifiant"]),
					Name: text(t["denominationSociale"])})
				return
			}
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	return holders, nil
}

// walkStrings collects the strings of a list in any of its shapes: ["a"], {"considerationSociale": ["a"]},
// {"considerationSociale": "a"} or "a, b".
func walkStrings(raw json.RawMessage) ([]string, error) {
	v, err := walkAny(raw)
	if err != nil {
		return nil, err
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case string:
			out = append(out, splitList(t)...)
		case []any:
			for _, e := range t {
				walk(e)
			}
		case map[string]any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	return out, nil
}

func hasElements(v any) bool {
	switch t := v.(type) {
	case []any:
		return len(t) > 0
	case map[string]any:
		for _, e := range t {
			if hasElements(e) {
				return true
			}
		}
	}
	return false
}

func text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

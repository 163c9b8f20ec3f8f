// Package frcsv writes CSV files that a spreadsheet set to French (Excel, LibreOffice) opens cleanly and safely:
// UTF-8 with a byte-order mark, semicolons, CRLF line ends, and no cell a spreadsheet could run as a formula.
package frcsv

import (
	"encoding/csv"
	"io"
	"strings"
)

// bom makes Excel read the file as UTF-8; without it, it reads Windows-1252 and garbles accents.
const bom = "\uFEFF"

// Writer is a csv.Writer configured for French spreadsheets.
type Writer struct {
	csv *csv.Writer
}

// NewWriter writes the byte-order mark and returns a writer of semicolon-separated, CRLF-terminated rows.
func NewWriter(w io.Writer) (*Writer, error) {
	if _, err := io.WriteString(w, bom); err != nil {
		return nil, err
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	return &Writer{csv: cw}, nil
}

// Write writes one row, each cell made safe (SafeCell): directory texts are user input.
func (w *Writer) Write(row []string) error {
	safe := make([]string, len(row))
	for i, v := range row {
		safe[i] = SafeCell(v)
	}
	return w.csv.Write(safe)
}

// Flush writes buffered rows and returns the first error met.
func (w *Writer) Flush() error {
	w.csv.Flush()
	return w.csv.Error()
}

// SafeCell keeps a cell from being read as a formula (CSV injection, OWASP): a value starting with =, +, -, @, a
// tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.
func SafeCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

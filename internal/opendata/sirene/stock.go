// Package sirene streams the INSEE SIRENE stock files (StockUniteLegale, StockEtablissement) in constant memory.
package sirene

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// ErrWrongEncoding is wrapped by the error a scan returns when too many rows are not valid UTF-8.
var ErrWrongEncoding = errors.New("sirene: file is not UTF-8")

// Options tune a scan of a stock file. The zero value is ready to use.
type Options struct {
	// SkipRows makes the scan read the first SkipRows data rows without filtering or emitting them, so that an
	// interrupted import can restart after the last row it committed (Etablissement.Row).
	SkipRows int64
	// Progress, when set, is called every ProgressEvery rows and once at the end with the rows and bytes read.
	Progress      func(rows, bytes int64)
	ProgressEvery int64
	// Reject, when set, receives each row that was skipped because it could not be read.
	Reject func(Rejected)
	// MaxBadEncodingRows stops the scan with ErrWrongEncoding once that many rows are not valid UTF-8: a few
	// corrupt rows are reported one by one, a Latin-1 file is refused as a whole. Zero means 100.
	MaxBadEncodingRows int64
}

// Rejected is a data row that was not read, with its 1-based row number (header excluded), the physical line
// and byte offset where it starts, why, and its beginning.
type Rejected struct {
	Row    int64
	Line   int64
	Offset int64
	Reason string
	Text   string
}

// Stats counts what a scan saw. Rows includes skipped and rejected rows; Bytes is the input read so far.
type Stats struct {
	Rows        int64
	Bytes       int64
	Skipped     int64
	Rejected    int64
	BadEncoding int64
	Kept        int64
}

// stock reads the rows of one stock file, finds columns by header name and applies Options.
type stock struct {
	sc      *recordScanner
	opts    Options
	columns map[string]int
	width   int
	stats   Stats
}

// rejectTextLimit keeps reports readable when a row is a whole run of lines.
const rejectTextLimit = 200

func openStock(r io.Reader, opts Options, required []string) (*stock, error) {
	if opts.ProgressEvery <= 0 {
		opts.ProgressEvery = 1 << 16
	}
	if opts.MaxBadEncodingRows <= 0 {
		opts.MaxBadEncodingRows = 100
	}
	s := &stock{sc: newRecordScanner(r), opts: opts, columns: map[string]int{}}
	header, err := s.sc.next()
	if errors.Is(err, io.EOF) {
		return nil, domain.Malformed("sirene: empty file, no header row")
	}
	if err != nil {
		return nil, headerError(err)
	}
	for i, name := range header {
		if i == 0 {
			name = bytes.TrimPrefix(name, []byte("\xEF\xBB\xBF"))
		}
		s.columns[strings.TrimSpace(string(name))] = i
	}
	s.width = len(header)
	var missing []string
	for _, c := range required {
		if _, ok := s.columns[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, domain.Malformed(fmt.Sprintf("sirene: header lacks column(s) %s: is this the right stock file?",
			strings.Join(missing, ", ")))
	}
	return s, nil
}

func headerError(err error) error {
	var re *recordError
	if errors.As(err, &re) {
		return domain.Malformed("sirene: unreadable header row: " + re.reason)
	}
	return err
}

// column returns the index of a header name, -1 when the file does not have it (older stock layouts).
func (s *stock) column(name string) int {
	if i, ok := s.columns[name]; ok {
		return i
	}
	return -1
}

// next returns the next readable data row past SkipRows, io.EOF at the end, or a fatal error.
func (s *stock) next() ([][]byte, error) {
	for {
		fields, err := s.sc.next()
		s.stats.Bytes = s.sc.pos
		if errors.Is(err, io.EOF) {
			s.progress()
			return nil, io.EOF
		}
		var re *recordError
		if err != nil && !errors.As(err, &re) {
			return nil, fmt.Errorf("sirene: reading row %d: %w", s.stats.Rows+1, err)
		}
		s.stats.Rows++
		if s.stats.Rows%s.opts.ProgressEvery == 0 {
			s.progress()
		}
		if s.stats.Rows <= s.opts.SkipRows {
			s.stats.Skipped++
			continue
		}
		switch {
		case re != nil:
			s.reject(re.reason, re.first)
		case s.sc.badUTF8:
			s.stats.BadEncoding++
			line := rawLine(fields)
			s.reject(encodingReason(line), line)
			if s.stats.BadEncoding >= s.opts.MaxBadEncodingRows {
				return nil, &domain.Error{Kind: domain.KindMalformed, Code: "wrong_encoding", Err: ErrWrongEncoding,
					Detail: fmt.Sprintf("sirene: %d rows are not valid UTF-8 (first at line %d): %s",
						s.stats.BadEncoding, s.sc.line, encodingReason(line))}
			}
		case len(fields) != s.width:
			s.reject(fmt.Sprintf("%d fields, the header has %d", len(fields), s.width), rawLine(fields))
		default:
			return fields, nil
		}
	}
}

func (s *stock) progress() {
	if s.opts.Progress != nil {
		s.opts.Progress(s.stats.Rows, s.stats.Bytes)
	}
}

func (s *stock) reject(reason string, text []byte) {
	s.stats.Rejected++
	if s.opts.Reject == nil {
		return
	}
	if len(text) > rejectTextLimit {
		text = text[:rejectTextLimit]
	}
	s.opts.Reject(Rejected{Row: s.stats.Rows, Line: s.sc.line, Offset: s.sc.offset, Reason: reason,
		Text: strings.ToValidUTF8(string(text), "\uFFFD")})
}

// rawLine rebuilds a row for a report; commas inside quoted values come back unquoted, which is fine there.
func rawLine(fields [][]byte) []byte {
	return bytes.Join(fields, []byte{','})
}

// encodingReason tells Latin-1 files (accented letters as single bytes 0xC0–0xFF) from other corruption.
func encodingReason(line []byte) string {
	latin1 := true
	at := -1
	for i := 0; i < len(line); {
		r, size := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && size == 1 {
			if at < 0 {
				at = i
			}
			if line[i] < 0xA0 {
				latin1 = false
			}
		}
		i += size
	}
	if at < 0 {
		return "not valid UTF-8"
	}
	msg := fmt.Sprintf("not valid UTF-8 (byte 0x%02X at offset %d in the row)", line[at], at)
	if latin1 {
		msg += "; the file looks Latin-1/Windows-1252 encoded: use INSEE's *_utf8 files or convert it (iconv -f latin1 -t utf-8)"
	}
	return msg
}

// text turns a SIRENE value into a string; "[ND]" (non diffusé) reads as empty.
func text(b []byte) string {
	if len(b) == 0 || string(b) == "[ND]" {
		return ""
	}
	return string(b)
}

func field(fields [][]byte, i int) []byte {
	if i < 0 {
		return nil
	}
	return fields[i]
}

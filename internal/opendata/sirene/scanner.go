package sirene

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"unicode/utf8"
)

// maxRecordLines bounds how many physical lines one quoted record may span. SIRENE values never hold line
// breaks, so a longer record means an unbalanced quote: the scanner then reports the first line as broken
// and reads the following lines again as records of their own instead of swallowing the rest of the file.
const maxRecordLines = 32

// recordScanner splits RFC 4180 CSV into records like encoding/csv (no lazy quotes, empty lines skipped,
// CRLF accepted) but without allocating: unquoted records, nearly all SIRENE rows, are cut in place in the
// bufio buffer, and a broken record is reported without losing the records that follow it.
type recordScanner struct {
	br      *bufio.Reader
	fields  [][]byte
	ends    []int
	rec     []byte // unescaped text of a quoted record
	raw     []byte // physical lines of the current quoted record, to read again after an error
	long    []byte // a line longer than the bufio buffer
	pending []byte // lines to read again before the underlying reader

	pos      int64 // offset of the next unread byte
	nextLine int64
	badUTF8  bool

	line   int64 // first physical line of the last record, 1-based
	offset int64 // byte offset of the last record
}

// recordError describes a record that could not be split; the scanner is already past it.
type recordError struct {
	reason string
	first  []byte // copy of the record's first physical line
}

func (e *recordError) Error() string { return e.reason }

func newRecordScanner(r io.Reader) *recordScanner {
	return &recordScanner{br: bufio.NewReaderSize(r, 64<<10), nextLine: 1}
}

// next returns the fields of the next record, valid until the following call, or io.EOF, a *recordError for a
// broken record, or the reader's error.
func (s *recordScanner) next() ([][]byte, error) {
	for {
		s.badUTF8 = false
		start := s.pos
		line, err := s.readLine()
		if err != nil {
			return nil, err
		}
		if len(line) == 0 {
			continue
		}
		s.line, s.offset = s.nextLine-1, start
		if bytes.IndexByte(line, '"') < 0 {
			return s.split(line), nil
		}
		return s.parseQuoted(line)
	}
}

// readLine returns the next physical line without its line ending.
func (s *recordScanner) readLine() ([]byte, error) {
	var line []byte
	if len(s.pending) > 0 {
		if i := bytes.IndexByte(s.pending, '\n'); i >= 0 {
			line, s.pending = s.pending[:i+1], s.pending[i+1:]
		} else {
			line, s.pending = s.pending, nil
		}
	} else {
		var err error
		line, err = s.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			s.long = append(s.long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				line, err = s.br.ReadSlice('\n')
				s.long = append(s.long, line...)
			}
			line = s.long
		}
		if err != nil && (err != io.EOF || len(line) == 0) {
			return nil, err
		}
	}
	s.pos += int64(len(line))
	s.nextLine++
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	if !utf8.Valid(line) {
		s.badUTF8 = true
	}
	return line, nil
}

func (s *recordScanner) split(line []byte) [][]byte {
	f := s.fields[:0]
	for {
		i := bytes.IndexByte(line, ',')
		if i < 0 {
			f = append(f, line)
			break
		}
		f = append(f, line[:i])
		line = line[i+1:]
	}
	s.fields = f
	return f
}

// parseQuoted handles a record holding at least one double quote, possibly spanning several lines.
func (s *recordScanner) parseQuoted(cur []byte) ([][]byte, error) {
	s.rec, s.ends = s.rec[:0], s.ends[:0]
	s.raw = append(s.raw[:0], cur...)
	firstLen, lines := len(cur), 1
	fail := func(reason string) error {
		e := &recordError{reason: reason, first: append([]byte(nil), s.raw[:firstLen]...)}
		if lines > 1 {
			again := append([]byte(nil), s.raw[firstLen+1:]...)
			s.pending = append(append(again, '\n'), s.pending...)
			s.pos -= int64(len(again) + 1)
			s.nextLine -= int64(lines - 1)
		}
		return e
	}
	for {
		if len(cur) == 0 || cur[0] != '"' {
			i := bytes.IndexByte(cur, ',')
			field := cur
			if i >= 0 {
				field = cur[:i]
			}
			if bytes.IndexByte(field, '"') >= 0 {
				return nil, fail(`bare " in a non-quoted field`)
			}
			s.rec = append(s.rec, field...)
			s.ends = append(s.ends, len(s.rec))
			if i < 0 {
				return s.quotedFields(), nil
			}
			cur = cur[i+1:]
			continue
		}
		cur = cur[1:]
		for {
			i := bytes.IndexByte(cur, '"')
			if i < 0 {
				s.rec = append(append(s.rec, cur...), '\n')
				if lines == maxRecordLines {
					return nil, fail("quoted field not closed")
				}
				next, err := s.readLine()
				if errors.Is(err, io.EOF) {
					return nil, fail("quoted field not closed at end of file")
				}
				if err != nil {
					return nil, err
				}
				lines++
				s.raw = append(append(s.raw, '\n'), next...)
				cur = next
				continue
			}
			s.rec = append(s.rec, cur[:i]...)
			cur = cur[i+1:]
			if len(cur) > 0 && cur[0] == '"' {
				s.rec = append(s.rec, '"')
				cur = cur[1:]
				continue
			}
			if len(cur) > 0 && cur[0] != ',' {
				return nil, fail(`extraneous or missing " in a quoted field`)
			}
			break
		}
		s.ends = append(s.ends, len(s.rec))
		if len(cur) == 0 {
			return s.quotedFields(), nil
		}
		cur = cur[1:]
	}
}

func (s *recordScanner) quotedFields() [][]byte {
	f := s.fields[:0]
	prev := 0
	for _, end := range s.ends {
		f = append(f, s.rec[prev:end:end])
		prev = end
	}
	s.fields = f
	return f
}

package decp

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"unicode/utf8"

	"github.com/essor-ess/essor/internal/domain"
)

// Read reads a DECP file in any supported format, told apart by its content (JSON object or array, else CSV),
// and calls fn with each award. Malformed records are skipped, duplicates of an earlier record of the file are
// dropped, and both go to report (which may be nil) with their position and reason. Read stops on the first
// error of fn and on a file it cannot go on reading (truncated or invalid JSON), after passing on every record
// before the damage.
func Read(r io.Reader, fn func(Award) error, report func(Rejected)) (Stats, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	first, err := firstByte(br)
	if errors.Is(err, io.EOF) {
		return Stats{}, domain.Malformed("decp: empty file")
	}
	if err != nil {
		return Stats{}, err
	}
	if report == nil {
		report = func(Rejected) {}
	}
	d := &deduper{fn: fn, report: report, seen: map[string]seenAward{}}
	if first == '{' || first == '[' {
		d.stats.Format, err = readJSON(br, d.jsonRecord)
	} else {
		d.stats.Format, d.stats.Records, err = readCSV(br, d.csvAward)
	}
	return d.stats, err
}

// firstByte peeks at the first byte that is neither a byte-order mark nor white space.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.Peek(1)
		if err != nil {
			return 0, err
		}
		if bom, _ := br.Peek(3); bytes.Equal(bom, []byte("\xEF\xBB\xBF")) {
			br.Discard(3)
			continue
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			br.Discard(1)
			continue
		}
		return b[0], nil
	}
}

type seenAward struct {
	hash  uint64
	index int
}

// deduper passes awards on once per content: national files repeat records that several platforms published.
type deduper struct {
	fn     func(Award) error
	report func(Rejected)
	seen   map[string]seenAward
	stats  Stats
}

func (d *deduper) jsonRecord(index int, location string, rec *jsonRecord, decodeErr error) error {
	d.stats.Records++
	if decodeErr != nil {
		d.malformed(index, location, "", decodeErr.Error())
		return nil
	}
	a, err := rec.award()
	if err != nil {
		d.malformed(index, location, a.Key(), err.Error())
		return nil
	}
	return d.award(index, location, a)
}

func (d *deduper) csvAward(index int, location string, a Award, problem string) error {
	if problem != "" {
		d.malformed(index, location, "", problem)
		return nil
	}
	return d.award(index, location, a)
}

func (d *deduper) malformed(index int, location, key, reason string) {
	d.stats.Malformed++
	d.report(Rejected{Index: index, Location: location, Key: key, Kind: RejectMalformed, Reason: reason})
}

func (d *deduper) award(index int, location string, a Award) error {
	switch {
	case a.ID == "":
		d.malformed(index, location, "", "no id")
		return nil
	case a.BuyerSIRET == "":
		d.malformed(index, location, "", "no buyer (acheteur.id)")
		return nil
	case !utf8.ValidString(a.ID + a.BuyerSIRET):
		d.malformed(index, location, "", "id or buyer is not valid UTF-8")
		return nil
	}
	key, hash := a.Key(), contentHash(a)
	if prev, ok := d.seen[key]; ok {
		if prev.hash == hash {
			d.stats.Duplicates++
			d.report(Rejected{Index: index, Location: location, Key: key, Kind: RejectDuplicate,
				Reason: fmt.Sprintf("repeats record %d", prev.index)})
			return nil
		}
		d.stats.Conflicts++
		d.report(Rejected{Index: index, Location: location, Key: key, Kind: RejectConflict,
			Reason: fmt.Sprintf("same buyer and id as record %d with different content; both passed on, in file order", prev.index)})
	}
	d.seen[key] = seenAward{hash: hash, index: index}
	d.stats.Awards++
	return d.fn(a)
}

// contentHash hashes what an award says, leaving out where it was published.
func contentHash(a Award) uint64 {
	a.Source = ""
	b, _ := json.Marshal(a)
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

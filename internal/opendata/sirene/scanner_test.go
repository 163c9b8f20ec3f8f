package sirene

import (
	"encoding/csv"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// scanAll returns every record as strings, and the reasons of the broken ones in order.
func scanAll(t testing.TB, input string) (records [][]string, broken []string) {
	t.Helper()
	s := newRecordScanner(strings.NewReader(input))
	for {
		fields, err := s.next()
		if errors.Is(err, io.EOF) {
			return records, broken
		}
		var re *recordError
		if errors.As(err, &re) {
			broken = append(broken, re.reason)
			continue
		}
		if err != nil {
			t.Fatalf("next: %v", err)
		}
		rec := make([]string, len(fields))
		for i, f := range fields {
			rec[i] = string(f)
		}
		records = append(records, rec)
	}
}

func TestRecordScanner(t *testing.T) {
	for _, tc := range []struct {
		name   string
		input  string
		want   [][]string
		broken int
	}{
		{"plain", "a,b,c\n1,2,3\n", [][]string{{"a", "b", "c"}, {"1", "2", "3"}}, 0},
		{"no final newline, CRLF", "a,b\r\n1,2", [][]string{{"a", "b"}, {"1", "2"}}, 0},
		{"empty lines skipped", "a\n\n\r\nb\n", [][]string{{"a"}, {"b"}}, 0},
		{"empty fields", ",,\n", [][]string{{"", "", ""}}, 0},
		{"quoted comma and quote", `"RUE X, BAT A","LE ""PHARE""",3` + "\n", [][]string{{"RUE X, BAT A", `LE "PHARE"`, "3"}}, 0},
		{"quoted last field empty", `a,""` + "\n", [][]string{{"a", ""}}, 0},
		{"quoted then trailing comma", `"a",` + "\n", [][]string{{"a", ""}}, 0},
		{"quoted newline", "\"a\r\nb\",c\nd\n", [][]string{{"a\nb", "c"}, {"d"}}, 0},
		{"bare quote, next row kept", "a\"b,c\nd,e\n", [][]string{{"d", "e"}}, 1},
		{"extraneous quote", "\"a\"b,c\nd\n", [][]string{{"d"}}, 1},
		{"unclosed quote at end of file", "a,\"b\nc,d\n", [][]string{{"c", "d"}}, 1},
		{"unclosed quote, rows read again", "x,\"open\n1,2\n3,4\n5,\"q\"z\n6,7\n", [][]string{{"1", "2"}, {"3", "4"}, {"6", "7"}}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, broken := scanAll(t, tc.input)
			if !reflect.DeepEqual(got, tc.want) || len(broken) != tc.broken {
				t.Errorf("got %q (%d broken: %v), want %q (%d broken)", got, len(broken), broken, tc.want, tc.broken)
			}
		})
	}
}

func TestRecordScannerLongLine(t *testing.T) {
	long := strings.Repeat("x", 3<<20)
	got, _ := scanAll(t, "a,"+long+"\nb,\""+long+"\"\n")
	if len(got) != 2 || got[0][1] != long || got[1][1] != long {
		t.Fatalf("lines longer than the buffer were not read whole")
	}
}

// FuzzRecordScanner checks the scanner against encoding/csv on every input encoding/csv reads without error.
func FuzzRecordScanner(f *testing.F) {
	for _, seed := range []string{"a,b\n1,2\n", "\"a,\"\"b\",c\r\n", "\"x\ny\",z", "a\"b\n", ",\n\n,", "\"\"\n\"a\"\"\"\n"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, input string) {
		r := csv.NewReader(strings.NewReader(input))
		r.FieldsPerRecord = -1
		want, err := r.ReadAll()
		got, broken := scanAll(t, input)
		if err != nil {
			return
		}
		if len(broken) > 0 || len(got) != len(want) {
			t.Fatalf("encoding/csv read %q, scanner read %q (broken: %v)", want, got, broken)
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("record %d: encoding/csv %q, scanner %q", i, want[i], got[i])
			}
		}
	})
}

package allotment

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current output")

func TestGoldenNeeds(t *testing.T) {
	f := loadFixtures(t)
	needs := map[string]Need{
		"green_space_2026":       greenSpaceNeed(f, "2026-06-01"),
		"green_space_2025":       greenSpaceNeed(f, "2025-06-01"),
		"school_catering_2026":   schoolCateringNeed("2026-06-01"),
		"office_cleaning_2026":   officeCleaningNeed("2026-06-01"),
		"school_renovation_2026": schoolRenovationNeed("2026-06-01"),
	}
	for name, need := range needs {
		t.Run(name, func(t *testing.T) {
			res, err := f.engine().Suggest(need)
			if err != nil {
				t.Fatal(err)
			}
			got, err := json.MarshalIndent(res, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			path := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestGoldenNeeds -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("output differs from %s; run with -update and review the diff", path)
			}
		})
	}
}

// TestGreenSpaceDoneWhen checks the acceptance criteria on the demo-like directory.
func TestGreenSpaceDoneWhen(t *testing.T) {
	f := loadFixtures(t)
	res, err := f.engine().Suggest(greenSpaceNeed(f, "2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, alt := range res.Alternatives {
		if len(alt.Lots) < 2 || alt.Metrics.LotsWithThreeEligible != len(alt.Lots) {
			continue
		}
		found = true
		text := strings.Join(alt.Explanations, "\n")
		for _, lot := range alt.Lots {
			text += strings.Join(lot.Explanations, "\n")
		}
		for _, cite := range []string{"R2142-7", "1,5 ×", "R2123-1"} {
			if !strings.Contains(text, cite) {
				t.Errorf("alternative %s does not cite %q", alt.Strategy, cite)
			}
		}
		break
	}
	if !found {
		t.Fatal("no alternative with several lots, each with at least 3 eligible ESS structures")
	}
	past, err := f.engine().Suggest(greenSpaceNeed(f, "2025-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if res.TurnoverCapRatio != 1.5 || past.TurnoverCapRatio != 2 {
		t.Errorf("turnover cap: %v in 2026 and %v in 2025, want 1.5 and 2", res.TurnoverCapRatio, past.TurnoverCapRatio)
	}
	lot := past.Alternatives[0].Lots[0]
	if lot.MaxMinTurnoverEUR != 2*lot.ValueEUR || !strings.Contains(strings.Join(lot.Explanations, " "), "au plus 2 ×") {
		t.Errorf("2025 lot: max min turnover %v for value %v, explanations %q", lot.MaxMinTurnoverEUR, lot.ValueEUR, lot.Explanations)
	}
}

package decp_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/opendata/decp"
)

// sharedData locates ../shared/data: ESSOR_SHARED_DATA, else relative to this package in the work tree.
func sharedData(t testing.TB) string {
	dir := os.Getenv("ESSOR_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "..", "shared", "data")
	}
	if _, err := os.Stat(dir); os.IsNotExist(err) {
		t.Skipf("shared data directory %s is absent (set ESSOR_SHARED_DATA): skipping the tests on real samples", dir)
	}
	return dir
}

type result struct {
	awards   []decp.Award
	rejected []decp.Rejected
	stats    decp.Stats
	err      error
}

func read(t testing.TB, data []byte) result {
	t.Helper()
	var res result
	res.stats, res.err = decp.Read(bytes.NewReader(data), func(a decp.Award) error {
		res.awards = append(res.awards, a)
		return nil
	}, func(r decp.Rejected) { res.rejected = append(res.rejected, r) })
	return res
}

func readSample(t *testing.T, name string) result {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedData(t), name))
	if err != nil {
		t.Fatal(err)
	}
	res := read(t, data)
	if res.err != nil {
		t.Fatalf("%s: %v", name, res.err)
	}
	return res
}

func byID(awards []decp.Award, id string) decp.Award {
	for _, a := range awards {
		if a.ID == id {
			return a
		}
	}
	return decp.Award{}
}

func day(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }

func TestReadV1PaysDeLaLoireSample(t *testing.T) {
	res := readSample(t, "decp-v1-sample-pays-de-la-loire-2018-2019.json")
	// 689 records; 8 repeat an earlier one (2 byte-identical, 6 republished by another platform).
	if res.stats.Records != 689 || len(res.awards) != 681 || res.stats.Duplicates != 8 || res.stats.Malformed != 0 || res.stats.Conflicts != 0 {
		t.Fatalf("stats %+v, %d awards", res.stats, len(res.awards))
	}
	holders, dated := 0, 0
	for _, a := range res.awards {
		holders += len(a.Holders)
		if a.NotifiedOn != nil {
			dated++
		}
		if a.BuyerSIRET == "" || a.ID == "" || a.Source == "" {
			t.Errorf("award lacks its key or source: %+v", a)
		}
	}
	if holders != 727 || dated != 587 {
		t.Errorf("%d holders, %d dated awards; want 727 and 587 (two dates of year 0218 read as unknown)", holders, dated)
	}
	a := byID(res.awards, "2018G1800200")
	if a.BuyerSIRET != "20003163100019" || a.BuyerName != "CIAS DU CHOLETAIS" || a.CPV != "66510000" ||
		a.AmountEUR == nil || *a.AmountEUR != 25639.95 || a.NotifiedOn == nil || !a.NotifiedOn.Equal(day("2018-10-31")) ||
		a.DurationMonths == nil || *a.DurationMonths != 60 || a.Form != "Révisable" || a.Procedure != "Appel d'offres ouvert" ||
		!slices.Equal(a.Holders, []decp.Holder{{ID: "30130960500410", TypeIdentifiant: "SIRET", Name: "SMACL ASSURANCES"}}) ||
		a.Key() != "20003163100019/2018G1800200" {
		t.Errorf("2018G1800200 misread: %+v", a)
	}
	for _, r := range res.rejected {
		if r.Kind != decp.RejectDuplicate || !strings.HasPrefix(r.Location, "marches[") || r.Key == "" {
			t.Errorf("unexpected report %+v", r)
		}
	}
}

func TestReadV2WrappedSample(t *testing.T) {
	res := readSample(t, "decp-v2-sample-gip-maximilien-2024.json")
	if res.stats.Format != "json-wrapped" || len(res.awards) != 17 || len(res.rejected) != 0 {
		t.Fatalf("stats %+v, %d awards, reports %+v", res.stats, len(res.awards), res.rejected)
	}
	a := byID(res.awards, "D2F0000402")
	if a.BuyerSIRET != "13001845000028" || a.AmountEUR != nil || a.GroupementType != decp.GroupementNone ||
		len(a.SocialConsiderations) != 0 || a.Reserved || a.Subcontracting == nil || *a.Subcontracting ||
		!slices.Equal(a.Holders, []decp.Holder{{ID: "79368308700019", TypeIdentifiant: "SIRET"}}) || *a.DurationMonths != 42 {
		t.Errorf("D2F0000402 misread (montant 0.0 must be unknown): %+v", a)
	}
	if b := byID(res.awards, "D2F2016F0000202"); b.DurationMonths != nil || b.AmountEUR == nil || *b.AmountEUR != 1210.3 {
		t.Errorf("D2F2016F0000202 misread (no dureeMois): %+v", b)
	}
}

func TestReadV2FlatSample(t *testing.T) {
	res := readSample(t, "decp-v2-sample-gip-maximilien-2024-flat-variant.json")
	if res.stats.Format != "json-flat" || len(res.awards) != 1 {
		t.Fatalf("stats %+v", res.stats)
	}
	a := res.awards[0]
	if a.ID != "2024_D2F_2023S12323_33 962_01" || a.CPV != "72210000" || *a.AmountEUR != 952543.75 ||
		a.GroupementType != "" || a.Nature != "Marché de défense ou de sécurité" ||
		!slices.Equal(a.Holders, []decp.Holder{{ID: "44090956200041", TypeIdentifiant: "SIRET"}}) || !a.PublishedOn.Equal(day("2024-02-29")) {
		t.Errorf("flat record misread: %+v", a)
	}
}

func TestReadOfficialExamples(t *testing.T) {
	res := readSample(t, "decp-v2-example-official-marches-concessions.json")
	if len(res.awards) != 4 {
		t.Fatalf("%d awards, want 2 marchés + 2 concessions", len(res.awards))
	}
	m := byID(res.awards, "TEST2022")
	if !slices.Equal(m.SocialConsiderations, []string{"Clause sociale", "Critère social"}) || m.Reserved ||
		m.Subcontracting == nil || !*m.Subcontracting || *m.AmountEUR != 575000 || m.CPV != "45000000" {
		t.Errorf("TEST2022 misread: %+v", m)
	}
	c := byID(res.awards, "0612202306122024")
	if c.BuyerSIRET != "12345678901234" || c.AmountEUR == nil || *c.AmountEUR != 10.3 || c.NotifiedOn == nil {
		t.Errorf("concession misread: %+v", c)
	}
	if res := readSample(t, "decp-v2-example-official-marches-modifications.json"); len(res.awards) != 2 {
		t.Errorf("modifications example: %d awards, want 2", len(res.awards))
	}
}

func TestReadPlaceholdersAndReservedContracts(t *testing.T) {
	data := []byte(`{"marches":[
	 {"id":"R1","acheteur":{"id":"214 401 093 00015"},"montant":"CDL","dureeMois":"INX","dateNotification":"MQ NC",
	  "codeCPV":"9111400","procedure":"CDL","considerationsSociales":["Marché réservé","Clause sociale"],
	  "typeGroupementOperateurs":"Solidaire","titulaires":[{"typeIdentifiant":"SIRET","id":"INX"},{"typeIdentifiant":"SIRET","id":"51309016700034"}]},
	 {"id":"R2","acheteur":{"id":"21440109300015"},"techniques":{"technique":["Marché réservé"]},"typeGroupementOperateurs":"Conjoint",
	  "montant":"42 130,5","sousTraitanceDeclaree":"oui"},
	 {"id":"R3","acheteur":{"id":"21440109300015"},"considerationsSociales":{"considerationSociale":"Pas de considération sociale"}}]}`)
	res := read(t, data)
	if res.err != nil || len(res.awards) != 3 {
		t.Fatalf("err %v, %d awards", res.err, len(res.awards))
	}
	r1, r2, r3 := res.awards[0], res.awards[1], res.awards[2]
	if r1.AmountEUR != nil || r1.DurationMonths != nil || r1.NotifiedOn != nil || r1.Procedure != "" || r1.CPV != "09111400" ||
		r1.BuyerSIRET != "21440109300015" || !r1.Reserved || r1.GroupementType != decp.GroupementSolidaire ||
		!slices.Equal(r1.Holders, []decp.Holder{{ID: "51309016700034", TypeIdentifiant: "SIRET"}}) {
		t.Errorf("placeholders not read as unknown: %+v", r1)
	}
	if !r2.Reserved || r2.GroupementType != decp.GroupementConjoint || r2.AmountEUR == nil || *r2.AmountEUR != 42130.5 || !*r2.Subcontracting {
		t.Errorf("R2 misread: %+v", r2)
	}
	if r3.Reserved || len(r3.SocialConsiderations) != 0 {
		t.Errorf("R3 misread: %+v", r3)
	}
}

func TestReadSkipsMalformedRecords(t *testing.T) {
	data := []byte(`{"marches":[{"acheteur":{"id":"21440109300015"}},"text",{"id":"A","acheteur":"21440109300015"},
	 {"id":"B"},{"id":"C","acheteur":{"id":"21440109300015"},"montant":[1]},{"id":"D","acheteur":{"id":"21440109300015"}}]}`)
	res := read(t, data)
	if res.err != nil || len(res.awards) != 1 || res.awards[0].ID != "D" || res.stats.Malformed != 5 || res.stats.Records != 6 {
		t.Fatalf("err %v, awards %+v, stats %+v", res.err, res.awards, res.stats)
	}
	for i, r := range res.rejected {
		if r.Index != i || r.Location != fmt.Sprintf("marches[%d]", i) || r.Kind != decp.RejectMalformed || r.Reason == "" {
			t.Errorf("report %d: %+v", i, r)
		}
	}
}

func TestReadTruncatedJSONKeepsRecordsBefore(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(sharedData(t), "decp-v2-sample-gip-maximilien-2024.json"))
	if err != nil {
		t.Fatal(err)
	}
	cut := data[:bytes.Index(data, []byte(`"id":"D2F2019S0000202"`))+30]
	res := read(t, cut)
	var de *domain.Error
	if !errors.As(res.err, &de) || de.Kind != domain.KindMalformed || de.Code != "truncated" || !strings.Contains(de.Detail, "after 3 records") {
		t.Fatalf("err = %v, want a truncated error after 3 records", res.err)
	}
	if len(res.awards) != 3 || res.awards[2].ID != "D2F0000302" {
		t.Errorf("got %d awards before the cut, want 3", len(res.awards))
	}
	if res := read(t, []byte(`{"marches":[{"id":"A","acheteur":{"id":"1"}} x`)); domain.KindOf(res.err) != domain.KindMalformed || len(res.awards) != 1 {
		t.Errorf("invalid JSON: err %v, %d awards", res.err, len(res.awards))
	}
}

func TestReadReportsConflicts(t *testing.T) {
	data := []byte(`[{"id":"A","acheteur":{"id":"1"},"montant":10},{"id":"A","acheteur":{"id":"1"},"montant":10,"source":"other"},
	 {"id":"A","acheteur":{"id":"1"},"montant":20},{"id":"A","acheteur":{"id":"2"},"montant":10}]`)
	res := read(t, data)
	if len(res.awards) != 3 || res.stats.Duplicates != 1 || res.stats.Conflicts != 1 || res.stats.Format != "json-array" {
		t.Fatalf("stats %+v, awards %d", res.stats, len(res.awards))
	}
	if res.rejected[1].Kind != decp.RejectConflict || res.rejected[1].Index != 2 || res.rejected[1].Key != "1/A" {
		t.Errorf("reports %+v", res.rejected)
	}
}

func TestReadEmptyAndForeignFiles(t *testing.T) {
	for _, in := range []string{"", "  \n", `{"foo":[1,2]}`, `"x"`, "a,b\n1,2\n"} {
		if res := read(t, []byte(in)); domain.KindOf(res.err) != domain.KindMalformed {
			t.Errorf("%q: err = %v, want malformed", in, res.err)
		}
	}
}

func FuzzReadDECP(f *testing.F) {
	f.Add([]byte(`{"marches":{"marche":[{"id":"A","acheteur":{"id":"1"},"titulaires":[{"titulaire":{"id":"2"}}]}]}}`))
	f.Add([]byte(`{"marches":[{"id":"A","acheteur":{"id":"1"},"montant":"CDL","dateNotification":"2018-11-22+01:00"}]}`))
	f.Add([]byte("id;acheteur_id;titulaire_id_1;montant\nA;1;2;3\nA;1;4;3\n"))
	f.Add([]byte("\xEF\xBB\xBF[{\"id\":1,\"acheteur\":{\"id\":2}}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		res := read(t, data)
		for _, a := range res.awards {
			if a.ID == "" || a.BuyerSIRET == "" {
				t.Fatalf("award without key: %+v", a)
			}
			if a.AmountEUR != nil && *a.AmountEUR <= 0 || a.DurationMonths != nil && *a.DurationMonths < 1 {
				t.Fatalf("impossible value passed on: %+v", a)
			}
		}
		s := res.stats
		if len(res.awards) != s.Awards || s.Awards+s.Malformed+s.Duplicates > s.Records+len(res.rejected) {
			t.Fatalf("inconsistent stats %+v with %d awards", s, len(res.awards))
		}
	})
}

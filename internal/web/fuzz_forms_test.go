package web

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

// FuzzReadTenderForm posts arbitrary tender forms: reading never panics, keeps at most one lot more than a
// tender may hold (the service refuses it), numbers lots in order and reads amounts only from digits.
func FuzzReadTenderForm(f *testing.F) {
	f.Add("2", "Lot", "90910000-9, 77310000-6", "Nantes, Rezé", "40 000", "abc", "2026-13-01")
	f.Add("999999999", "", "", ";;,", "-1", "1e9", "")
	f.Add("-3", "x", "\n", "44109", "12\u202f000 €", "", "2026-06-01")
	s := New(Deps{})
	f.Fuzz(func(t *testing.T, count, title, cpv, communes, value, turnover, date string) {
		form := url.Values{"lot_count": {count}, "title": {title}, "kind": {"sourcing"}, "sourcing_deadline": {date},
			"estimated_total_eur": {value}, "other_communes": {communes}}
		for _, i := range []string{"0", "1", "7"} {
			p := "lots[" + i + "]."
			form.Set(p+"title", title)
			form.Set(p+"cpv_codes", cpv)
			form.Set(p+"communes", communes)
			form.Set(p+"estimated_value_eur", value)
			form.Set(p+"min_turnover_eur", turnover)
		}
		r := httptest.NewRequest("POST", "/achats/nouveau", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_ = r.ParseForm()
		var tender domain.Tender
		errs, _ := s.readTenderForm(r, &tender)
		if len(tender.Lots) > domain.MaxTenderLots+1 {
			t.Fatalf("%d lots read", len(tender.Lots))
		}
		for i, l := range tender.Lots {
			if l.Number != i+1 {
				t.Fatalf("lot %d numbered %d", i, l.Number)
			}
		}
		if tender.EstimatedTotalEUR == nil && strings.TrimSpace(value) != "" && !errs.Any() {
			t.Fatalf("amount %q neither read nor refused", value)
		}
	})
}

// FuzzReadNeed posts arbitrary need lines to the assistant: reading never panics, keeps at most the engine's
// number of lines, and a line's CPV reaches the engine only as a code (words become an error with suggestions).
func FuzzReadNeed(f *testing.F) {
	f.Add("3", "Espaces verts", "77310000-6", "180000", "Nantes, Rezé", "36")
	f.Add("100000", "", "espaces verts", "x", "Atlantis", "-1")
	f.Add("1", "a", "90910000-9 Services de nettoyage", "1 000", "44109", "12")
	s := New(Deps{})
	f.Fuzz(func(t *testing.T, count, label, cpv, value, communes, duration string) {
		form := url.Values{"line_count": {count}, "title": {label}, "buyer_kind": {"local"}, "duration_months": {duration}}
		for _, i := range []string{"0", "2", "250"} {
			p := "lines[" + i + "]."
			form.Set(p+"label", label)
			form.Set(p+"cpv", cpv)
			form.Set(p+"estimated_value_eur", value)
			form.Set(p+"communes", communes)
		}
		r := httptest.NewRequest("POST", "/allotissement", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		_ = r.ParseForm()
		f, need, _ := s.readNeed(r)
		if len(need.Lines) > maxNeedLines || len(f.Lines) != len(need.Lines) {
			t.Fatalf("%d lines read, %d rows", len(need.Lines), len(f.Lines))
		}
		for _, l := range need.Lines {
			if l.CPV != "" && !cpvCodeText.MatchString(l.CPV) {
				t.Fatalf("CPV %q reached the engine", l.CPV)
			}
		}
	})
}

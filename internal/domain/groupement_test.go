package domain

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestGroupementValidate(t *testing.T) {
	for _, tc := range []struct {
		name     string
		g        Groupement
		location string // "" when valid
	}{
		{"joint with a mandataire among its members", Groupement{Form: FormJoint, MandataireID: "a", MemberIDs: []string{"a", "b"}}, ""},
		{"several (solidaire)", Groupement{Form: FormSeveral, MandataireID: "b", MemberIDs: []string{"a", "b", "c"}}, ""},
		{"R2142-20: only joint or several", Groupement{Form: "mixed", MandataireID: "a", MemberIDs: []string{"a", "b"}}, "form"},
		{"no mandataire", Groupement{Form: FormJoint, MemberIDs: []string{"a", "b"}}, "mandataire_id"},
		{"mandataire outside the members", Groupement{Form: FormJoint, MandataireID: "z", MemberIDs: []string{"a", "b"}}, "mandataire_id"},
		{"a single member", Groupement{Form: FormJoint, MandataireID: "a", MemberIDs: []string{"a"}}, "member_ids"},
		{"a member twice", Groupement{Form: FormJoint, MandataireID: "a", MemberIDs: []string{"a", "b", "a"}}, "member_ids[2]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.Validate()
			if tc.location == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			var de *Error
			if !errors.As(err, &de) || len(de.Fields) == 0 || de.Fields[0].Location != tc.location {
				t.Fatalf("Validate = %v, want a problem at %s", err, tc.location)
			}
			if tc.location == "form" && !strings.Contains(de.Fields[0].Message, ArticleGroupementForm) {
				t.Fatalf("form problem %q does not name %s", de.Fields[0].Message, ArticleGroupementForm)
			}
		})
	}
}

func TestGroupementApplyFrozenAfterSubmission(t *testing.T) {
	at := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	forming := Groupement{Form: FormJoint, MandataireID: "a", MemberIDs: []string{"a", "b"}, Status: GroupementForming, Version: 1}
	submitted := forming
	submitted.Status = GroupementSubmitted
	for _, tc := range []struct {
		name     string
		g        Groupement
		u        CompositionUpdate
		code     string // expected error code, "" for success
		members  string
		afterSub bool
	}{
		{"before submission, no reason needed", forming, CompositionUpdate{Add: []string{"c"}}, "", "a,b,c", false},
		{"R2142-26: submitted, no reason", submitted, CompositionUpdate{Add: []string{"c"}}, ArticleFrozenGroupement, "", false},
		{"R2142-26: submitted, a reason too short", submitted, CompositionUpdate{Remove: []string{"b"}, Add: []string{"c"}, Reason: "oops"}, ArticleFrozenGroupement, "", false},
		{"submitted, restructuring with a reason", submitted,
			CompositionUpdate{Remove: []string{"b"}, Add: []string{"c"}, Reason: "Fusion de B dans C (accord de l'acheteur)"}, "", "a,c", true},
		{"removing the mandataire without naming another", forming, CompositionUpdate{Remove: []string{"a"}, Add: []string{"c"}}, "validation_failed", "", false},
		{"a new mandataire among the members", forming, CompositionUpdate{MandataireID: "b"}, "", "a,b", false},
		{"nothing changes", forming, CompositionUpdate{Add: []string{"a"}}, "validation_failed", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			next, change, err := tc.g.Apply(tc.u, "user-1", at)
			if tc.code != "" {
				var de *Error
				if !errors.As(err, &de) || de.Code != tc.code {
					t.Fatalf("Apply = %v, want code %s", err, tc.code)
				}
				if tc.code == ArticleFrozenGroupement && (de.Kind != KindConflict || !strings.Contains(de.Detail, "R2142-26")) {
					t.Fatalf("frozen error %+v: want a conflict naming R2142-26", de)
				}
				return
			}
			if err != nil {
				t.Fatalf("Apply: %v", err)
			}
			if got := strings.Join(next.MemberIDs, ","); got != tc.members {
				t.Fatalf("members %s, want %s", got, tc.members)
			}
			if change.AfterSubmission != tc.afterSub || next.Version != 2 || len(next.Changes) != 1 || change.ActorID != "user-1" {
				t.Fatalf("change %+v, version %d", change, next.Version)
			}
		})
	}
}

func TestMandataireConflictNamesR2142_23(t *testing.T) {
	err := MandataireConflict()
	if err.Kind != KindConflict || err.Code != ArticleOneMandataire || !strings.Contains(err.Detail, "R2142-23") {
		t.Fatalf("MandataireConflict = %+v", err)
	}
}

package domain

import (
	"errors"
	"strings"
)

// The CPV check digit follows no reproducible formula (see /work/shared/reference/data-formats.md), so parsing
// checks the shape only; whether a code exists, and whether its check digit matches, is Reference.CPVExists's job.
// The check digit may be omitted, as the DECP documentation tolerates and real award data does.

var errCPVSyntax = errors.New(`must be a CPV code such as "45421000-4" (8 digits, optionally a dash and the check digit)`)

// ParseCPVCode checks the shape of a CPV code, "45421000-4" or "45421000", and returns its 8-digit root.
// Surrounding spaces are ignored. It does not check that the code exists.
func ParseCPVCode(s string) (code8 string, err error) {
	s = strings.TrimSpace(s)
	switch {
	case len(s) == 8 && allDigits(s):
		return s, nil
	case len(s) == 10 && allDigits(s[:8]) && s[8] == '-' && allDigits(s[9:]):
		return s[:8], nil
	}
	return "", errCPVSyntax
}

// CPVPrefix returns the significant digits of a CPV code (with or without check digit) or of a digit prefix: the
// digits before the trailing zeros, at least the 2 of the division. "45000000-7" → "45", "45210000-2" → "4521",
// "45421000-4" → "45421". Every code below it in the hierarchy starts with this prefix.
func CPVPrefix(code string) string {
	digits := cpvDigits(code)
	p := strings.TrimRight(digits, "0")
	if len(p) < 2 {
		p = digits[:min(2, len(digits))]
	}
	return p
}

// CPVRange returns the half-open range [lo, hi) of the 8-digit roots under a code, for index-friendly SQL
// (code8 >= lo AND code8 < hi): "45421" → "45421000", "45422000". Under a prefix made of nines only, where no 8-digit
// upper bound exists, hi is "999999990", still above every 8-digit root in byte order.
func CPVRange(code string) (lo, hi string) {
	p := CPVPrefix(code)
	if p == "" {
		return "", ""
	}
	lo = padCPV(p)
	next := []byte(p)
	i := len(next) - 1
	for ; i >= 0 && next[i] == '9'; i-- {
		next[i] = '0'
	}
	if i < 0 {
		return lo, "999999990"
	}
	next[i]++
	return lo, padCPV(string(next))
}

// CPVCovers reports whether child is parent or lies below it in the CPV hierarchy. Both may carry check digits.
func CPVCovers(parent, child string) bool {
	p := CPVPrefix(parent)
	return p != "" && strings.HasPrefix(cpvDigits(child), p)
}

// cpvDigits drops spaces and a check digit suffix ("-4"), keeping at most the 8 digits of the root.
func cpvDigits(code string) string {
	code = strings.TrimSpace(code)
	if i := strings.IndexByte(code, '-'); i >= 0 {
		code = code[:i]
	}
	if len(code) > 8 {
		code = code[:8]
	}
	return code
}

func padCPV(p string) string {
	if len(p) >= 8 {
		return p[:8]
	}
	return p + strings.Repeat("0", 8-len(p))
}

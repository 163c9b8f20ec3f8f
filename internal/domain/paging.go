package domain

import (
	"encoding/base64"
	"encoding/json"
)

// Page sizes of every list endpoint.
const (
	DefaultPageSize = 20
	MaxPageSize     = 100
)

// PageRequest asks for one page of a list: at most Size items after the position an opaque cursor encodes.
type PageRequest struct {
	Size   int
	Cursor Cursor
}

// Cursor is the decoded position of a page: the sort key and id of the last item already returned.
// An empty cursor is the first page.
type Cursor struct {
	After string  `json:"a,omitempty"`
	Key   string  `json:"k,omitempty"`
	Score float64 `json:"s,omitempty"`
}

// IsZero reports whether the cursor points at the first page.
func (c Cursor) IsZero() bool { return c == Cursor{} }

// Encode returns the opaque form clients pass back as `cursor`.
func (c Cursor) Encode() string {
	if c.IsZero() {
		return ""
	}
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor parses an opaque cursor; an empty string is the first page.
func DecodeCursor(s string) (Cursor, error) {
	var c Cursor
	if s == "" {
		return c, nil
	}
	if len(s) > 512 {
		return c, invalidCursor()
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return c, invalidCursor()
	}
	if err := json.Unmarshal(b, &c); err != nil || c.IsZero() {
		return Cursor{}, invalidCursor()
	}
	// Only the canonical form Encode writes is accepted: a hand-made variant (other key order, escapes, padding
	// bits) could re-encode longer than the size limit and break the next page.
	if c.Encode() != s {
		return Cursor{}, invalidCursor()
	}
	return c, nil
}

func invalidCursor() error {
	var p Problems
	p.Add("cursor", "is not a cursor returned by this API")
	return p.Err()
}

// NewPageRequest validates a page size (0 means the default) and an opaque cursor.
func NewPageRequest(size int, cursor string) (PageRequest, error) {
	var p Problems
	switch {
	case size == 0:
		size = DefaultPageSize
	case size < 1 || size > MaxPageSize:
		p.Add("page_size", "must be between 1 and %d", MaxPageSize)
	}
	c, err := DecodeCursor(cursor)
	if err != nil {
		p.AddFrom("", err)
	}
	return PageRequest{Size: size, Cursor: c}, p.Err()
}

// Page is one page of a list with the cursor of the next page ("" on the last) and the total count.
type Page[T any] struct {
	Items      []T
	NextCursor string
	Total      int
}

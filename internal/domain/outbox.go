package domain

import "time"

// Outbox operations: the indexer re-reads the entity on upsert and drops it from the index on delete.
const (
	OutboxUpsert = "upsert"
	OutboxDelete = "delete"
)

// OutboxEntry is one change the search index must apply, in position order: re-read (upsert) or drop (delete) an
// entity. Positions increase in commit order and are never reused.
type OutboxEntry struct {
	Position  int64
	Entity    string
	EntityID  string
	Op        string
	CreatedAt time.Time
}

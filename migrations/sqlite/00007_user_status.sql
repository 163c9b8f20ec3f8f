-- Administrators suspend and reactivate accounts: users.status keeps the state (a suspended account is
-- 'disabled', as a rejected claim leaves it); this table keeps each change with the reason the administrator
-- gave, which the audit log may not hold (it names fields, never values). Deleted with the account.
-- Same version and table as ../postgres; timestamps are UTC text in TIMESTAMP columns.

-- +goose Up
CREATE TABLE user_status_changes (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id  TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status   TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    reason   TEXT NOT NULL DEFAULT '',
    actor_id TEXT NOT NULL DEFAULT '',
    at       TIMESTAMP NOT NULL
);
CREATE INDEX user_status_changes_user_idx ON user_status_changes (user_id, id);

-- +goose Down
DROP TABLE user_status_changes;

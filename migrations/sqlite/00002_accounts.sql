-- Accounts and access control: users, buyer organisations, memberships, bearer tokens, sign-up claims, and the
-- two logs (audit of writes, reads of representatives). The logs hold identifiers and field NAMES only, never
-- values, so erasing a representative leaves no copy of their data behind.
-- Same version and tables as ../postgres; timestamps are UTC text in TIMESTAMP columns.

-- +goose Up
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'network', 'buyer', 'structure')),
    status        TEXT NOT NULL CHECK (status IN ('active', 'pending', 'disabled')),
    created_at    TIMESTAMP NOT NULL,
    updated_at    TIMESTAMP NOT NULL,
    CONSTRAINT users_email_key UNIQUE (email)
);

CREATE TABLE organisations (
    id         TEXT PRIMARY KEY,
    siret      TEXT NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    has_spaser BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    CONSTRAINT organisations_siret_key UNIQUE (siret)
);

CREATE TABLE organisation_members (
    user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, organisation_id)
);

CREATE TABLE structure_members (
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    role         TEXT NOT NULL CHECK (role IN ('owner', 'editor')),
    created_at   TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, structure_id)
);
CREATE INDEX structure_members_structure_idx ON structure_members (structure_id);

-- Only the SHA-256 of a token is stored: a leaked table gives no usable credential.
CREATE TABLE tokens (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    hash         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('session', 'api_key')),
    name         TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMP NOT NULL,
    expires_at   TIMESTAMP NOT NULL,
    revoked_at   TIMESTAMP,
    CONSTRAINT tokens_hash_key UNIQUE (hash)
);
CREATE INDEX tokens_user_idx ON tokens (user_id, kind);

CREATE TABLE claims (
    id                TEXT PRIMARY KEY,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind              TEXT NOT NULL CHECK (kind IN ('structure', 'organisation')),
    siret             TEXT NOT NULL,
    organisation_name TEXT NOT NULL DEFAULT '',
    organisation_kind TEXT NOT NULL DEFAULT '',
    has_spaser        BOOLEAN NOT NULL DEFAULT 0,
    status            TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    decided_by        TEXT NOT NULL DEFAULT '',
    decided_at        TIMESTAMP,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX claims_status_idx ON claims (status, id);

-- One row per write: who (user id and role), what (action, entity, id), when, and the NAMES of changed fields.
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    at         TIMESTAMP NOT NULL,
    actor_id   TEXT NOT NULL DEFAULT '',
    actor_role TEXT NOT NULL DEFAULT '',
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    fields     TEXT NOT NULL DEFAULT '',
    request_id TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);

-- One row per response that carried representatives: who read which structure's which fields, and when.
CREATE TABLE contact_reads (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    at           TIMESTAMP NOT NULL,
    reader_id    TEXT NOT NULL,
    reader_role  TEXT NOT NULL,
    structure_id TEXT NOT NULL,
    fields       TEXT NOT NULL,
    request_id   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX contact_reads_structure_idx ON contact_reads (structure_id, id);
CREATE INDEX contact_reads_reader_idx ON contact_reads (reader_id, id);

-- +goose Down
DROP TABLE contact_reads;
DROP TABLE audit_log;
DROP TABLE claims;
DROP TABLE tokens;
DROP TABLE structure_members;
DROP TABLE organisation_members;
DROP TABLE organisations;
DROP TABLE users;

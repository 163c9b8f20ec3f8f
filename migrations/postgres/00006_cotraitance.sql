-- The co-contracting exchange: partnership calls for one lot (of a tender on Essor, or of an outside consultation),
-- applications to them, notices to the structures concerned, groupements with their members and the log of every
-- change of their composition. tender_id carries no foreign key so that a call keeps its history if the tender is
-- removed. Same version and tables as ../sqlite.

-- +goose Up
CREATE TABLE partnership_calls (
    id                   TEXT PRIMARY KEY,
    structure_id         TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    lot_key              TEXT NOT NULL,
    tender_id            TEXT NOT NULL DEFAULT '',
    lot_number           INTEGER NOT NULL,
    ext_reference        TEXT NOT NULL DEFAULT '',
    ext_buyer            TEXT NOT NULL DEFAULT '',
    ext_url              TEXT NOT NULL DEFAULT '',
    ext_deadline         TIMESTAMPTZ,
    ext_lot_value_eur    BIGINT,
    ext_min_turnover_eur BIGINT,
    ext_cpv_json         TEXT NOT NULL DEFAULT '[]',
    ext_communes_json    TEXT NOT NULL DEFAULT '[]',
    is_external          BOOLEAN NOT NULL,
    role_sought          TEXT NOT NULL CHECK (role_sought IN ('co_contractor', 'subcontractor', 'mandataire')),
    cpv_json             TEXT NOT NULL DEFAULT '[]',
    skills_json          TEXT NOT NULL DEFAULT '[]',
    communes_json        TEXT NOT NULL DEFAULT '[]',
    capacity_sought_eur  BIGINT,
    deadline             TIMESTAMPTZ NOT NULL,
    message              TEXT NOT NULL DEFAULT '',
    search_text          TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL CHECK (status IN ('open', 'closed', 'filled')),
    created_by           TEXT NOT NULL DEFAULT '',
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX partnership_calls_structure_idx ON partnership_calls (structure_id, id);
CREATE INDEX partnership_calls_tender_idx ON partnership_calls (tender_id, lot_number);
CREATE INDEX partnership_calls_status_idx ON partnership_calls (status, id);

-- The CPV codes (8-digit roots) and communes a call needs, its own and its lot's, for hierarchy-aware filters.
CREATE TABLE partnership_call_cpv (
    call_id TEXT NOT NULL REFERENCES partnership_calls (id) ON DELETE CASCADE,
    code8   TEXT NOT NULL,
    PRIMARY KEY (call_id, code8)
);
CREATE INDEX partnership_call_cpv_code_idx ON partnership_call_cpv (code8, call_id);

CREATE TABLE partnership_call_communes (
    call_id TEXT NOT NULL REFERENCES partnership_calls (id) ON DELETE CASCADE,
    insee   TEXT NOT NULL,
    PRIMARY KEY (call_id, insee)
);
CREATE INDEX partnership_call_communes_insee_idx ON partnership_call_communes (insee, call_id);

CREATE TABLE partnership_applications (
    id           TEXT PRIMARY KEY,
    call_id      TEXT NOT NULL REFERENCES partnership_calls (id) ON DELETE CASCADE,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    message      TEXT NOT NULL DEFAULT '',
    cpv_json     TEXT NOT NULL DEFAULT '[]',
    status       TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined')),
    created_by   TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    CONSTRAINT partnership_applications_call_structure_key UNIQUE (call_id, structure_id)
);
CREATE INDEX partnership_applications_structure_idx ON partnership_applications (structure_id, id);

-- In-app notices addressed to a structure (its members read them): an application received, accepted, declined.
CREATE TABLE partnership_notices (
    id             BIGSERIAL PRIMARY KEY,
    structure_id   TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL,
    call_id        TEXT NOT NULL REFERENCES partnership_calls (id) ON DELETE CASCADE,
    application_id TEXT NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL,
    read_at        TIMESTAMPTZ
);
CREATE INDEX partnership_notices_structure_idx ON partnership_notices (structure_id, id);

-- One operator may lead only one groupement per lot (R2142-23): the unique key enforces it under concurrency.
CREATE TABLE groupements (
    id            TEXT PRIMARY KEY,
    call_id       TEXT NOT NULL REFERENCES partnership_calls (id) ON DELETE CASCADE,
    lot_key       TEXT NOT NULL,
    tender_id     TEXT NOT NULL DEFAULT '',
    lot_number    INTEGER NOT NULL,
    form          TEXT NOT NULL CHECK (form IN ('joint', 'several')),
    mandataire_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    status        TEXT NOT NULL CHECK (status IN ('forming', 'submitted')),
    submitted_at  TIMESTAMPTZ,
    created_by    TEXT NOT NULL DEFAULT '',
    created_at    TIMESTAMPTZ NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL,
    version       INTEGER NOT NULL,
    CONSTRAINT groupements_lot_mandataire_key UNIQUE (lot_key, mandataire_id)
);
CREATE INDEX groupements_tender_idx ON groupements (tender_id, lot_number);
CREATE INDEX groupements_call_idx ON groupements (call_id);

CREATE TABLE groupement_members (
    groupement_id TEXT NOT NULL REFERENCES groupements (id) ON DELETE CASCADE,
    structure_id  TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position      INTEGER NOT NULL,
    PRIMARY KEY (groupement_id, structure_id)
);
CREATE INDEX groupement_members_structure_idx ON groupement_members (structure_id);

CREATE TABLE groupement_changes (
    id                BIGSERIAL PRIMARY KEY,
    groupement_id     TEXT NOT NULL REFERENCES groupements (id) ON DELETE CASCADE,
    at                TIMESTAMPTZ NOT NULL,
    actor_id          TEXT NOT NULL DEFAULT '',
    reason            TEXT NOT NULL DEFAULT '',
    added_json        TEXT NOT NULL DEFAULT '[]',
    removed_json      TEXT NOT NULL DEFAULT '[]',
    mandataire_before TEXT NOT NULL,
    mandataire_after  TEXT NOT NULL,
    after_submission  BOOLEAN NOT NULL
);
CREATE INDEX groupement_changes_groupement_idx ON groupement_changes (groupement_id, id);

-- +goose Down
DROP TABLE groupement_changes;
DROP TABLE groupement_members;
DROP TABLE groupements;
DROP TABLE partnership_notices;
DROP TABLE partnership_applications;
DROP TABLE partnership_call_communes;
DROP TABLE partnership_call_cpv;
DROP TABLE partnership_calls;

-- Tenders (purchase needs) of buyer organisations, their lots, the structures' answers and the notifications
-- with their durable e-mail queue. Dates are DATE; timestamps TIMESTAMPTZ in UTC; money whole euros.

-- +goose Up
CREATE TABLE tenders (
    id                  TEXT PRIMARY KEY,
    organisation_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
    created_by          TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL CHECK (kind IN ('sourcing', 'consultation')),
    external_reference  TEXT NOT NULL DEFAULT '',
    external_url        TEXT NOT NULL DEFAULT '',
    cpv_json            TEXT NOT NULL DEFAULT '[]',
    estimated_total_eur BIGINT,
    duration_months     INTEGER,
    communes_json       TEXT NOT NULL DEFAULT '[]',
    sourcing_deadline   DATE,
    planned_publication DATE,
    response_deadline   DATE,
    status              TEXT NOT NULL CHECK (status IN ('draft', 'published', 'closed', 'awarded', 'cancelled')),
    published_at        TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL,
    updated_at          TIMESTAMPTZ NOT NULL,
    version             INTEGER NOT NULL
);
CREATE INDEX tenders_organisation_idx ON tenders (organisation_id, id);
CREATE INDEX tenders_status_idx ON tenders (status, id);

-- batches_planned is the number of notification batches planned for the lot: planners bump it with the value
-- they read, so two planners racing on one lot cannot both add a batch.
CREATE TABLE tender_lots (
    tender_id           TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    number              INTEGER NOT NULL,
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    cpv_json            TEXT NOT NULL DEFAULT '[]',
    estimated_value_eur BIGINT,
    communes_json       TEXT NOT NULL DEFAULT '[]',
    reservation         TEXT NOT NULL DEFAULT 'none',
    social_clause       BOOLEAN NOT NULL DEFAULT FALSE,
    insertion_hours     INTEGER,
    min_turnover_eur    BIGINT,
    open_to_groupement  BOOLEAN NOT NULL DEFAULT FALSE,
    batches_planned     INTEGER NOT NULL DEFAULT 0,
    last_batch_at       TIMESTAMPTZ,
    PRIMARY KEY (tender_id, number)
);

CREATE TABLE tender_interests (
    tender_id    TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_number   INTEGER NOT NULL,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    answer       TEXT NOT NULL CHECK (answer IN ('interested', 'not_interested')),
    reason       TEXT NOT NULL DEFAULT '',
    message      TEXT NOT NULL DEFAULT '',
    user_id      TEXT NOT NULL DEFAULT '',
    answered_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (tender_id, lot_number, structure_id)
);

-- One row per structure told about a lot: the in-app notification and the durable e-mail queue at once. The
-- primary key is what makes "never twice to the same structure for the same lot" hold, whoever plans. A sender
-- claims unsent rows by setting a lease; a row whose lease expired (its sender died) is claimed again.
CREATE TABLE notifications (
    id           TEXT PRIMARY KEY,
    tender_id    TEXT NOT NULL REFERENCES tenders (id) ON DELETE CASCADE,
    lot_number   INTEGER NOT NULL,
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    batch        INTEGER NOT NULL,
    deadline     DATE,
    email_to     TEXT NOT NULL DEFAULT '',
    created_at   TIMESTAMPTZ NOT NULL,
    lease_owner  TEXT NOT NULL DEFAULT '',
    lease_until  TIMESTAMPTZ,
    attempts     INTEGER NOT NULL DEFAULT 0,
    sent_at      TIMESTAMPTZ,
    read_at      TIMESTAMPTZ,
    CONSTRAINT notifications_lot_structure_key UNIQUE (tender_id, lot_number, structure_id)
);
CREATE INDEX notifications_structure_idx ON notifications (structure_id, id);
CREATE INDEX notifications_queue_idx ON notifications (sent_at, lease_until);

-- +goose Down
DROP TABLE notifications;
DROP TABLE tender_interests;
DROP TABLE tender_lots;
DROP TABLE tenders;

-- The directory: ESS structures, the people who represent them, their offers and the outbox the search indexer
-- follows. Same version numbers and tables as ../postgres. Timestamps are written as UTC text
-- ("2006-01-02 15:04:05.999999-07:00" with offset +00:00) in columns declared TIMESTAMP or DATE, the declared
-- types the pure-Go driver parses back into time.Time; money is whole euros in BIGINT; REAL is an 8-byte float.

-- +goose Up
CREATE TABLE structures (
    id                  TEXT PRIMARY KEY,
    siret               TEXT NOT NULL,
    siren               TEXT NOT NULL,
    name                TEXT NOT NULL,
    brand               TEXT NOT NULL DEFAULT '',
    legal_category      TEXT NOT NULL DEFAULT '',
    ess_family          TEXT NOT NULL DEFAULT '',
    ess_basis           TEXT NOT NULL DEFAULT '',
    esus_expires_on     DATE,
    naf_code            TEXT NOT NULL DEFAULT '',
    headcount_band      TEXT NOT NULL DEFAULT '',
    annual_turnover_eur BIGINT,
    turnover_year       INTEGER,
    address             TEXT NOT NULL DEFAULT '',
    postcode            TEXT NOT NULL DEFAULT '',
    commune             TEXT NOT NULL DEFAULT '',
    lat                 REAL,
    lon                 REAL,
    website             TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    labels_json         TEXT NOT NULL DEFAULT '[]',
    contact_email       TEXT NOT NULL DEFAULT '',
    contact_phone       TEXT NOT NULL DEFAULT '',
    open_to_cotraitance BOOLEAN NOT NULL DEFAULT 0,
    status              TEXT NOT NULL,
    verified_at         TIMESTAMP,
    verified_by         TEXT NOT NULL DEFAULT '',
    public_awards_count INTEGER NOT NULL DEFAULT 0,
    last_award_on       DATE,
    created_at          TIMESTAMP NOT NULL,
    updated_at          TIMESTAMP NOT NULL,
    version             INTEGER NOT NULL,
    CONSTRAINT structures_siret_key UNIQUE (siret),
    CONSTRAINT structures_location_check CHECK ((lat IS NULL) = (lon IS NULL))
);
-- Listing is keyset-paginated on id within the visible statuses.
CREATE INDEX structures_status_id_idx ON structures (status, id);
CREATE INDEX structures_siren_idx ON structures (siren);
CREATE INDEX structures_ess_family_idx ON structures (ess_family);
CREATE INDEX structures_headcount_band_idx ON structures (headcount_band);
CREATE INDEX structures_turnover_idx ON structures (annual_turnover_eur);
CREATE INDEX structures_commune_idx ON structures (commune);

CREATE TABLE structure_inclusion_kinds (
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (structure_id, kind)
);
CREATE INDEX structure_inclusion_kinds_kind_idx ON structure_inclusion_kinds (kind, structure_id);

-- Personal data, kept apart from the structure so that it is never indexed nor listed by accident.
CREATE TABLE representatives (
    structure_id TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    name         TEXT NOT NULL,
    role         TEXT NOT NULL DEFAULT '',
    email        TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (structure_id, position)
);

CREATE TABLE offers (
    id              TEXT PRIMARY KEY,
    structure_id    TEXT NOT NULL REFERENCES structures (id) ON DELETE CASCADE,
    title           TEXT NOT NULL,
    description     TEXT NOT NULL DEFAULT '',
    kind            TEXT NOT NULL,
    area_scope      TEXT NOT NULL,
    area_radius_km  REAL NOT NULL DEFAULT 0,
    capacity_eur    BIGINT,
    references_json TEXT NOT NULL DEFAULT '[]',
    created_at      TIMESTAMP NOT NULL,
    updated_at      TIMESTAMP NOT NULL
);
CREATE INDEX offers_structure_id_idx ON offers (structure_id, id);
CREATE INDEX offers_kind_idx ON offers (kind);
CREATE INDEX offers_area_scope_idx ON offers (area_scope);

-- code8 is the 8 digits without the check digit: a CPV subtree is the range [prefix000…, prefix+1 000…).
CREATE TABLE offer_cpv (
    offer_id TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    code8    CHAR(8) NOT NULL,
    code     TEXT NOT NULL,
    PRIMARY KEY (offer_id, code8)
);
CREATE INDEX offer_cpv_code8_idx ON offer_cpv (code8, offer_id);

CREATE TABLE offer_zones (
    offer_id TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    zone     TEXT NOT NULL,
    PRIMARY KEY (offer_id, zone)
);
CREATE INDEX offer_zones_zone_idx ON offer_zones (zone, offer_id);

-- Every write to a structure or its offers appends one row here in the same transaction; the search indexer
-- reads it in position order. Writers serialise their outbox insert (see internal/sqlstore/outbox.go) so that
-- positions become visible in increasing order.
CREATE TABLE outbox (
    position   INTEGER PRIMARY KEY AUTOINCREMENT,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    created_at TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE outbox;
DROP TABLE offer_zones;
DROP TABLE offer_cpv;
DROP TABLE offers;
DROP TABLE representatives;
DROP TABLE structure_inclusion_kinds;
DROP TABLE structures;

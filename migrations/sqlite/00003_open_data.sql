-- Open data, same version and tables as ../postgres: the awarded contracts read from the DECP, their holders,
-- what the SIRENE import last wrote into each
-- structure (so that a later import never overwrites what the structure edited itself) and the checkpoints that
-- let an interrupted import resume. Amounts are whole euros excluding VAT; dates are calendar dates.

-- +goose Up
CREATE TABLE awards (
    award_key        TEXT PRIMARY KEY, -- buyer SIRET "/" the buyer's own id (decp.Award.Key)
    award_id         TEXT NOT NULL,
    buyer_siret      TEXT NOT NULL,
    buyer_name       TEXT NOT NULL DEFAULT '',
    cpv8             TEXT NOT NULL DEFAULT '',
    amount_eur       BIGINT,
    notified_on      DATE,
    published_on     DATE,
    -- awarded_on is notified_on, else published_on: the date indicators and first-award dates use.
    awarded_on       DATE,
    duration_months  INTEGER,
    procedure_kind   TEXT NOT NULL DEFAULT '',
    nature           TEXT NOT NULL DEFAULT '',
    price_form       TEXT NOT NULL DEFAULT '',
    social_json      TEXT NOT NULL DEFAULT '[]',
    has_social       BOOLEAN NOT NULL DEFAULT 0,
    reserved         BOOLEAN NOT NULL DEFAULT 0,
    groupement_type  TEXT NOT NULL DEFAULT '',
    subcontracting   BOOLEAN,
    holders_count    INTEGER NOT NULL DEFAULT 0,
    source           TEXT NOT NULL DEFAULT '',
    content_hash     TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX awards_awarded_on_idx ON awards (awarded_on);
CREATE INDEX awards_buyer_idx ON awards (buyer_siret, awarded_on);

-- holder_siren is derived from the identifier (a SIRET, a SIREN or a French VAT number) and is how awards meet
-- the directory: contracts bind legal units, the directory lists their establishments.
CREATE TABLE award_holders (
    award_key    TEXT NOT NULL REFERENCES awards (award_key) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    holder_id    TEXT NOT NULL,
    id_type      TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    holder_siren TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (award_key, position)
);
CREATE INDEX award_holders_siren_idx ON award_holders (holder_siren, award_key);

-- One row per imported structure: the values the last import brought, field by field. A field whose current value
-- still equals the value imported last belongs to the source and follows it; any other value was edited by the
-- structure and is kept.
CREATE TABLE structure_imports (
    structure_id TEXT PRIMARY KEY REFERENCES structures (id) ON DELETE CASCADE,
    source       TEXT NOT NULL,
    fields_json  TEXT NOT NULL,
    imported_at  TIMESTAMP NOT NULL
);

CREATE TABLE import_checkpoints (
    checkpoint_key TEXT PRIMARY KEY,
    rows_done      BIGINT NOT NULL,
    updated_at     TIMESTAMP NOT NULL
);

-- +goose Down
DROP TABLE import_checkpoints;
DROP TABLE structure_imports;
DROP TABLE award_holders;
DROP TABLE awards;

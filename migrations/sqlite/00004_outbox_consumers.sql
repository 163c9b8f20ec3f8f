-- Search index instances sharing one database report the outbox position their index has applied, so that the
-- outbox is pruned only below every active instance's position; the watermark tells a returning instance whether
-- entries it never applied were pruned (it then rebuilds its index). Same version as ../postgres.

-- +goose Up
CREATE TABLE outbox_consumers (
    consumer   TEXT PRIMARY KEY,
    position   BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE outbox_watermark (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_up_to BIGINT NOT NULL
);
INSERT INTO outbox_watermark (id, pruned_up_to) VALUES (1, 0);

-- +goose Down
DROP TABLE outbox_watermark;
DROP TABLE outbox_consumers;

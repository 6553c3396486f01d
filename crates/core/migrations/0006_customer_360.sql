-- Customer 360: the ID card's expiry in the read model (it decides whether limits are
-- lowered), and staff notes about a customer.

ALTER TABLE core_customers ADD COLUMN id_expires_on TEXT;

-- Customers pulled before this column existed lack their expiry: start the feed again from
-- the beginning. The feed carries each entity's current state, so a replay ends where the
-- core is now, and the read model's upserts make it harmless.
UPDATE sync_state SET cursor = NULL;

-- Notes stay on this console's store (the v1 contract has no notes resource). They are
-- append-only: a wrong note is corrected by a later one, as on paper files.
CREATE TABLE customer_notes (
    id          INTEGER PRIMARY KEY,
    customer_id TEXT    NOT NULL,
    staff_id    INTEGER NOT NULL REFERENCES staff (id),
    text        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX customer_notes_by_customer ON customer_notes (customer_id, id);

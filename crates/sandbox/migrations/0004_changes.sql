-- The change feed (`GET /v1/changes?after=<cursor>`): one row per entity that changed, in the
-- order the changes committed. A change is written in the same transaction as the write that
-- made it, so a reader that has seen seq N has seen every change up to N.
--
-- Only the latest change of an entity is kept (a later change deletes the earlier row and takes
-- a new, higher seq): the feed says "this entity is now like this", and the entity is rendered
-- as it is when the feed is read. A reader that replays from any cursor ends with the current
-- state, and the feed stays as long as the number of entities, not the number of writes.

CREATE TABLE changes (
    -- AUTOINCREMENT, not plain rowid: a seq is never reused, even after the newest row is
    -- deleted by a later change of the same entity, so cursors only move forward.
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    kind      TEXT    NOT NULL,
    entity_id TEXT    NOT NULL,
    at        TEXT    NOT NULL,
    UNIQUE (kind, entity_id)
);

-- A store seeded before the feed existed: everything in it is one change, oldest first.
INSERT INTO changes (kind, entity_id, at)
SELECT 'customer', CAST(id AS TEXT), created_at FROM customers ORDER BY id;
INSERT INTO changes (kind, entity_id, at)
SELECT 'wallet', id, opened_at FROM wallets ORDER BY customer_id, id;

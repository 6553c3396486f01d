-- How many times each keyed write was applied, counted on every application in the effect's
-- own transaction. applied_operations cannot say this: its UNIQUE key turns a second
-- application into a failed insert, so a count over it is 1 by construction and a test that
-- reads it could never see a write applied twice. Here a second application adds 1, and the
-- crash drill and the race tests read `times`.

CREATE TABLE applications (
    idempotency_key TEXT    PRIMARY KEY,
    operation       TEXT    NOT NULL,
    times           INTEGER NOT NULL CHECK (times >= 1),
    last_applied_at TEXT    NOT NULL
);

-- Writes applied before this table existed were each applied once (the UNIQUE key saw to it).
INSERT INTO applications (idempotency_key, operation, times, last_applied_at)
SELECT idempotency_key, operation, 1, applied_at FROM applied_operations;

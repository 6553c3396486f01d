-- Idempotent writes: every write carries an Idempotency-Key, and the answer to the first
-- request with a key is kept so a retry gets the same answer instead of a second effect.

CREATE TABLE idempotency_keys (
    key            TEXT    PRIMARY KEY,
    -- Hex SHA-256 of method, path and canonical JSON body: the same key with another request
    -- is a client bug, refused rather than answered with someone else's response.
    request_sha256 TEXT    NOT NULL CHECK (length(request_sha256) = 64),
    state          TEXT    NOT NULL CHECK (state IN ('in_flight', 'done')),
    -- Set together with state = 'done', in the same transaction as the write's effect.
    status         INTEGER CHECK (status BETWEEN 100 AND 599),
    response_body  BLOB,
    created_at     TEXT    NOT NULL,
    -- When the current owner took the key; an in-flight key older than the lease was left by
    -- a crash (its transaction never committed) and may be taken over.
    claimed_at     TEXT    NOT NULL,
    CHECK ((state = 'done') = (status IS NOT NULL AND response_body IS NOT NULL))
);

-- One row per write whose effect was applied, in the effect's transaction: a second row for a
-- key is impossible, so "applied twice" cannot happen silently.
CREATE TABLE applied_operations (
    id              INTEGER PRIMARY KEY,
    idempotency_key TEXT    NOT NULL UNIQUE,
    operation       TEXT    NOT NULL,
    applied_at      TEXT    NOT NULL
);

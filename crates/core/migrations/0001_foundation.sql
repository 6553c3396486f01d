-- Foundation: staff accounts, settings and the hash-chained audit trail.
-- Times are RFC 3339 UTC text with milliseconds (sortable as text).

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    username        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('teller','booth','complaints','disputes','supervisor','admin')),
    password_hash   TEXT NOT NULL,            -- argon2id PHC string
    active          INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT,                      -- set after too many failed sign-ins
    created_at      TEXT NOT NULL
);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Append-only. Each row's hash covers its own fields and the previous row's hash, so an
-- edited or deleted row breaks the chain at the first row after it.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     INTEGER,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    customer_id  TEXT,
    outcome      TEXT NOT NULL CHECK (outcome IN ('ok','refused','failed')),
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_action ON audit_log (action, at);
CREATE INDEX audit_log_customer ON audit_log (customer_id, at) WHERE customer_id IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The audit chain keyed, anchored, and searchable at a million records.
--
-- Records written from now on are hashed with HMAC-SHA256 under a key derived from the data
-- key, so whoever has only the file cannot rewrite the chain and recompute it. The records
-- already written stay SHA-256: they are the legacy prefix, 1..legacy_until, fixed here once.
-- `seal` is the MAC of (legacy_until, the hash of that record), written by the first start
-- with the key; an edit of the prefix, or of legacy_until itself, no longer matches it.
CREATE TABLE audit_chain (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    legacy_until INTEGER NOT NULL,
    seal         TEXT
);
INSERT INTO audit_chain (id, legacy_until) SELECT 1, COALESCE(MAX(id), 0) FROM audit_log;
CREATE TRIGGER audit_chain_sealed_once BEFORE UPDATE ON audit_chain
WHEN OLD.seal IS NOT NULL OR NEW.legacy_until <> OLD.legacy_until
BEGIN SELECT RAISE(ABORT, 'the audit chain''s start is sealed once'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'the audit chain''s start is sealed once'); END;

-- The newest head this console anchored at the core (sequence = record id). Only a note of
-- what was sent, so the engine knows when there is something new to anchor: `verify` asks the
-- core, never this row, which an attacker with the file could lower.
CREATE TABLE audit_anchor (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    sequence    INTEGER NOT NULL,
    hash        TEXT NOT NULL,
    anchored_at TEXT NOT NULL
);

-- Search. Keyset paging walks an index in (at, id) order for every filter: time alone uses
-- audit_log_at, an action audit_log_action (action, at), an outcome this one.
CREATE INDEX audit_log_outcome ON audit_log (outcome, at);

-- Free text: a trigram index over what the search box looks in, so a substring is found
-- without reading every record. External content: the text lives once, in audit_log, which is
-- append-only, so an insert trigger is all it takes to keep the index whole.
CREATE VIRTUAL TABLE audit_fts USING fts5(
    actor, action, subject_id, customer_id, detail,
    content = 'audit_log', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO audit_fts (audit_fts) VALUES ('rebuild');
CREATE TRIGGER audit_log_fts AFTER INSERT ON audit_log
BEGIN
    INSERT INTO audit_fts (rowid, actor, action, subject_id, customer_id, detail)
    VALUES (NEW.id, NEW.actor, NEW.action, NEW.subject_id, NEW.customer_id, NEW.detail);
END;

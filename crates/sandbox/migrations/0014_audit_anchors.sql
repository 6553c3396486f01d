-- The head of each console's audit trail, as the console last anchored it: one row per
-- console token (its SHA-256, never the token). The sequence only ever goes up.
CREATE TABLE audit_anchors (
    console     TEXT PRIMARY KEY,
    sequence    INTEGER NOT NULL CHECK (sequence >= 1),
    head_hash   TEXT NOT NULL,
    anchored_at TEXT NOT NULL
);

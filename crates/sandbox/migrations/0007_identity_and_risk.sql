-- Identity and risk: one-time codes to a mobile, and watchlist screening.

-- A code proves the customer holds the mobile: valid until expires_at, at most 5 attempts,
-- verified once. Only its SHA-256 is kept (the sandbox logs and returns the code itself for
-- training, but the table holds what a real core would).
CREATE TABLE otp_challenges (
    id          INTEGER PRIMARY KEY,
    mobile      TEXT    NOT NULL CHECK (length(mobile) = 11),
    purpose     TEXT,
    code_sha256 TEXT    NOT NULL CHECK (length(code_sha256) = 64),
    created_at  TEXT    NOT NULL,
    expires_at  TEXT    NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    verified_at TEXT
);

-- The sandbox's watchlist: names that always screen as a hit, so training and tests can show
-- a hit on purpose. Matching is on the whole name, case-insensitive for Latin letters.
CREATE TABLE watchlist (
    name   TEXT PRIMARY KEY COLLATE NOCASE,
    reason TEXT NOT NULL
);
INSERT INTO watchlist (name, reason) VALUES
    ('制裁测试', 'sandbox watchlist: sanctions list (training entry)'),
    ('涉诈测试', 'sandbox watchlist: fraud-linked account list (training entry)'),
    ('WATCHLIST TEST', 'sandbox watchlist: sanctions list (training entry)');

-- Every screening and its result, kept as a core keeps its compliance record.
CREATE TABLE screenings (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER REFERENCES customers (id),
    name        TEXT    NOT NULL,
    -- Masked: the record needs to show which ID, not to hold it twice.
    masked_resident_id TEXT,
    result      TEXT    NOT NULL CHECK (result IN ('clear', 'hit')),
    reason      TEXT,
    screened_at TEXT    NOT NULL
);

-- Wallet tier limits as data (DOMAIN.md, wallet tiers): limits differ between operator banks
-- and change over time, so each operator bank has a table of limits per tier, versioned by the
-- date it takes effect. The version in force on a day is the one with the latest
-- effective_from on or before it (China dates). Amounts are INTEGER fen; NULL means no limit.

CREATE TABLE operator_banks (
    code       TEXT    PRIMARY KEY,
    name       TEXT    NOT NULL,
    -- The scheme used when a wallet is opened without naming an operator bank: exactly one.
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
);
CREATE UNIQUE INDEX one_default_operator_bank ON operator_banks (is_default) WHERE is_default = 1;

CREATE TABLE limit_schemes (
    id             INTEGER PRIMARY KEY,
    operator_bank  TEXT    NOT NULL REFERENCES operator_banks (code),
    effective_from TEXT    NOT NULL CHECK (length(effective_from) = 10),
    UNIQUE (operator_bank, effective_from)
);

CREATE TABLE tier_limits (
    scheme_id       INTEGER NOT NULL REFERENCES limit_schemes (id),
    tier            INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    balance_cap_fen INTEGER CHECK (balance_cap_fen > 0),
    one_payment_fen INTEGER CHECK (one_payment_fen > 0),
    per_day_fen     INTEGER CHECK (per_day_fen > 0),
    per_year_fen    INTEGER CHECK (per_year_fen > 0),
    PRIMARY KEY (scheme_id, tier)
);

-- The two sample tables of DOMAIN.md. The central bank institute's public scheme is the
-- default; the other is one operator bank's own 2020 pilot terms.
INSERT INTO operator_banks (code, name, is_default) VALUES
    ('central-bank-scheme', 'Tiers as the central bank''s digital currency institute described them', 1),
    ('pilot-bank-2020', 'One operator bank''s own 2020 pilot terms', 0);

INSERT INTO limit_schemes (id, operator_bank, effective_from) VALUES
    (1, 'central-bank-scheme', '2020-01-01'),
    (2, 'pilot-bank-2020', '2020-04-01');

INSERT INTO tier_limits
    (scheme_id, tier, balance_cap_fen, one_payment_fen, per_day_fen, per_year_fen) VALUES
    (1, 4, 1000000, 200000, 500000, 5000000),
    (1, 3, 2000000, 500000, 1000000, NULL),
    (1, 2, 50000000, 5000000, 10000000, NULL),
    (1, 1, NULL, NULL, NULL, NULL),
    (2, 1, 50000000, 5000000, 10000000, 50000000),
    (2, 2, 1000000, 500000, 1000000, 30000000),
    (2, 3, 200000, 200000, 200000, 5000000),
    (2, 4, 100000, 50000, 100000, 1000000);

-- Existing and seeded wallets follow the default scheme. A constant default, so ADD COLUMN
-- does not rewrite the table and seeding stays as fast as before. (No REFERENCES: SQLite
-- refuses a non-NULL default on a foreign-key column added later; the writes check it.)
ALTER TABLE wallets ADD COLUMN operator_bank TEXT NOT NULL DEFAULT 'central-bank-scheme';
-- Who checked the ID card in person when the wallet reached tier 1, and when.
ALTER TABLE wallets ADD COLUMN in_person_verified_by TEXT;
ALTER TABLE wallets ADD COLUMN in_person_verified_at TEXT;

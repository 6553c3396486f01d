-- The core bank's wallet limit schemes (`GET /v1/limit-schemes`): every version of every
-- operator bank's table. Kept here so the counter shows a tier's limits offline; the core is
-- the only source (no limit is written in the app). The sync engine replaces the whole copy
-- on each refresh. Amounts are INTEGER fen; NULL means no limit.
CREATE TABLE core_limit_schemes (
    operator_bank      TEXT    NOT NULL,
    operator_bank_name TEXT    NOT NULL,
    -- The scheme the core applies when a wallet names no operator bank.
    is_default         INTEGER NOT NULL,
    -- First China day (YYYY-MM-DD) the version is in force.
    effective_from     TEXT    NOT NULL,
    tier               INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    balance_cap_fen    INTEGER,
    one_payment_fen    INTEGER,
    per_day_fen        INTEGER,
    per_year_fen       INTEGER,
    PRIMARY KEY (operator_bank, effective_from, tier)
);
-- When the copy was last taken from the core (NULL: never, so no limits are known yet).
ALTER TABLE sync_state ADD COLUMN limits_refreshed_at TEXT;

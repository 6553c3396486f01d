-- Promotion campaigns and the booths that run them (issue 14). The core holds them so every
-- console gets the same ones through the change feed, and so the core, not a console, enforces
-- a campaign's dates, booths, eligibility and budget when an incentive is claimed.

CREATE TABLE campaigns (
    code                TEXT    PRIMARY KEY,
    name                TEXT    NOT NULL,
    -- China days, YYYY-MM-DD, inclusive.
    starts_on           TEXT    NOT NULL CHECK (length(starts_on) = 10),
    ends_on             TEXT    NOT NULL CHECK (length(ends_on) = 10 AND ends_on >= starts_on),
    -- JSON arrays of codes.
    branches            TEXT    NOT NULL,
    booths              TEXT    NOT NULL,
    incentive_kind      TEXT    NOT NULL
        CHECK (incentive_kind IN ('fee-waiver', 'cashback', 'points', 'coupon')),
    incentive_fen       INTEGER CHECK (incentive_fen > 0),
    incentive_points    INTEGER CHECK (incentive_points > 0),
    incentive_coupon    TEXT,
    incentive_service   TEXT,
    new_customers_only  INTEGER NOT NULL,
    -- NULL: no cap of that kind.
    budget_claims       INTEGER CHECK (budget_claims > 0),
    budget_fen          INTEGER CHECK (budget_fen > 0),
    updated_at          TEXT    NOT NULL
);

CREATE TABLE booths (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    mall       TEXT NOT NULL,
    address    TEXT NOT NULL,
    branch     TEXT NOT NULL,
    -- JSON array of staff usernames.
    roster     TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- The budget check sums a campaign's claims.
CREATE INDEX incentive_claims_by_campaign ON incentive_claims (campaign);

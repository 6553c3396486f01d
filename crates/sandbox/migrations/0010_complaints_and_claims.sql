-- The bank's complaints register (the console keeps the case and its clock; the core keeps the
-- register entry) and campaign incentive claims.

CREATE TABLE complaints (
    id            INTEGER PRIMARY KEY,
    case_number   TEXT    NOT NULL UNIQUE,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    category      TEXT    NOT NULL,
    channel       TEXT    NOT NULL,
    summary       TEXT    NOT NULL,
    received_on   TEXT    NOT NULL CHECK (length(received_on) = 10),
    status        TEXT    NOT NULL
        CHECK (status IN ('open', 'in-progress', 'decided', 'withdrawn', 'closed')),
    decision      TEXT,
    root_cause    TEXT,
    fix           TEXT,
    registered_at TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL,
    -- A decided complaint records its decision and root cause (DOMAIN.md, complaints).
    CHECK (status <> 'decided' OR (decision IS NOT NULL AND root_cause IS NOT NULL))
);
CREATE INDEX complaints_by_customer ON complaints (customer_id);

CREATE TABLE incentive_claims (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT    NOT NULL,
    booth       TEXT    NOT NULL,
    staff_id    TEXT    NOT NULL,
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    claimed_at  TEXT    NOT NULL,
    -- One claim per customer per campaign.
    UNIQUE (campaign, customer_id)
);

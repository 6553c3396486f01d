-- Daily rollups for the reporting resource (issue 17): one row per counter, China day and
-- attribution, kept in the write's own transaction by crates/sandbox/src/insights.rs with the
-- upkeep rules of walletdesk_core::insights::rollup (docs/metrics.md), so a dashboard query
-- sums a few thousand rows instead of scanning millions of transactions.
CREATE TABLE insight_daily (
    counter  TEXT    NOT NULL CHECK (counter IN ('signups', 'activated', 'active',
                     'transactions', 'complaints', 'incentive')),
    day      TEXT    NOT NULL CHECK (length(day) = 10),
    -- Days from sign-up to the first transaction ('activated' only; 0 otherwise).
    delay    INTEGER NOT NULL CHECK (delay >= 0),
    -- The attribution; '' where there is none (customers from before campaigns).
    campaign TEXT    NOT NULL,
    booth    TEXT    NOT NULL,
    staff    TEXT    NOT NULL,
    branch   TEXT    NOT NULL,
    channel  TEXT    NOT NULL,
    amount   INTEGER NOT NULL,
    PRIMARY KEY (counter, day, delay, campaign, booth, staff, branch, channel)
) WITHOUT ROWID;

-- What the upkeep remembers per customer: the branch that won them (the booth's, at sign-up)
-- and their first and last transaction days (China days). NULL defaults: no row is rewritten.
ALTER TABLE customers ADD COLUMN branch TEXT;
ALTER TABLE customers ADD COLUMN first_transaction_on TEXT;
ALTER TABLE customers ADD COLUMN last_transaction_on TEXT;

-- One row once the rollups cover every row of the store (built at open for a store made
-- before this migration, or by the seed); from then on the write path keeps them.
CREATE TABLE insight_rollups_built (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    built_at TEXT    NOT NULL
);

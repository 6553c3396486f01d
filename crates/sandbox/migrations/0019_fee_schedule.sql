-- The fee schedule per wallet tier and service (issue 14 item 8, contract 1.10.0). Data, not
-- code, so a bank changes a fee without a console release; each line enters the change feed
-- as kind 'fee' (id '<tier>-<service>') so consoles explain and print fees offline. The demo
-- schedule is written with the demo data (crate::fees::seed_demo_once), not here, so it
-- follows the customers in the feed.
CREATE TABLE fees (
    tier       INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    -- A lowercase code; a fee-waiver campaign's incentive names it.
    service    TEXT    NOT NULL,
    name       TEXT    NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    charged    TEXT    NOT NULL CHECK (charged IN ('at-opening', 'per-use')),
    note       TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (tier, service)
);

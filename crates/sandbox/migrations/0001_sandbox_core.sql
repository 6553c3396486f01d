-- The sandbox core bank's own store. It stands in for a bank's system of record, so it keeps
-- what a core would: customers, their wallets and the wallets' transactions.
-- Money is INTEGER fen, never REAL. Timestamps are UTC text 'YYYY-MM-DDTHH:MM:SSZ', which sorts
-- in time order; dates are 'YYYY-MM-DD'.

CREATE TABLE customers (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL,
    resident_id TEXT    NOT NULL UNIQUE CHECK (length(resident_id) = 18),
    mobile      TEXT    NOT NULL UNIQUE CHECK (length(mobile) = 11),
    birth_date  TEXT    NOT NULL,
    sex         TEXT    NOT NULL CHECK (sex IN ('male', 'female')),
    created_at  TEXT    NOT NULL
);

CREATE TABLE wallets (
    -- The 16-digit wallet number printed on receipts.
    id          TEXT    PRIMARY KEY CHECK (length(id) = 16),
    customer_id INTEGER NOT NULL REFERENCES customers (id),
    tier        INTEGER NOT NULL CHECK (tier BETWEEN 1 AND 4),
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    status      TEXT    NOT NULL CHECK (status IN ('active', 'frozen', 'closed')),
    opened_at   TEXT    NOT NULL
);
CREATE INDEX wallets_by_customer ON wallets (customer_id);

CREATE TABLE transactions (
    id           INTEGER PRIMARY KEY,
    wallet_id    TEXT    NOT NULL REFERENCES wallets (id),
    at           TEXT    NOT NULL,
    -- Always positive; the direction says which way it moved.
    amount_fen   INTEGER NOT NULL CHECK (amount_fen > 0),
    direction    TEXT    NOT NULL CHECK (direction IN ('in', 'out')),
    counterparty TEXT    NOT NULL,
    memo         TEXT    NOT NULL
);
CREATE INDEX transactions_by_wallet_time ON transactions (wallet_id, at);

-- One row once demo data is in, written in the same transaction as the data: a store with this
-- row is complete, a store without it is empty and is seeded on the next start.
CREATE TABLE seeding (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    -- TEXT because a u64 seed does not fit SQLite's signed 64-bit INTEGER.
    seed      TEXT    NOT NULL,
    as_of     TEXT    NOT NULL,
    customers INTEGER NOT NULL,
    seeded_at TEXT    NOT NULL
);

-- Practice payments (issue 13 item 5, contract 1.11.0): a practice wallet per holder (the
-- customer, or a console's reference for one not yet sent), play money only. Tables of their
-- own rather than a flag on `wallets`, so no report, insight, limit or change-feed query of
-- real wallets can count them by forgetting a filter; `practice` is still stated (and fixed
-- at 1) so a row read on its own says what it is.
CREATE TABLE practice_wallets (
    id TEXT PRIMARY KEY,
    holder TEXT NOT NULL UNIQUE,
    practice INTEGER NOT NULL DEFAULT 1 CHECK (practice = 1),
    balance_fen INTEGER NOT NULL CHECK (balance_fen >= 0),
    wrong_password_count INTEGER NOT NULL DEFAULT 0 CHECK (wrong_password_count >= 0),
    payments_frozen INTEGER NOT NULL DEFAULT 0 CHECK (payments_frozen IN (0, 1)),
    created_at TEXT NOT NULL
);

CREATE TABLE practice_payments (
    id INTEGER PRIMARY KEY,
    wallet_id TEXT NOT NULL REFERENCES practice_wallets (id),
    at TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
    counterparty TEXT NOT NULL,
    balance_after_fen INTEGER NOT NULL CHECK (balance_after_fen >= 0),
    reversed_at TEXT
);
CREATE INDEX practice_payments_wallet ON practice_payments (wallet_id);

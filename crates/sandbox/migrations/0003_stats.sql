-- Row counts kept up to date by every write that adds rows, in the write's own transaction, so
-- `GET /v1/health` reads one row instead of counting millions (it is polled every few seconds).
-- The counts are exactly what COUNT(*) would say whenever no write transaction is open.

CREATE TABLE stats (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    customers    INTEGER NOT NULL CHECK (customers >= 0),
    wallets      INTEGER NOT NULL CHECK (wallets >= 0),
    transactions INTEGER NOT NULL CHECK (transactions >= 0)
);

-- A store made before this table existed is counted once, here.
INSERT INTO stats (id, customers, wallets, transactions)
VALUES (
    1,
    (SELECT COUNT(*) FROM customers),
    (SELECT COUNT(*) FROM wallets),
    (SELECT COUNT(*) FROM transactions)
);

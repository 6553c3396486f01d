-- Disputed transactions: opened on a payment out, with evidence, an optional provisional
-- credit, a decision, the reversal of a provisional credit when decided for the bank, and a
-- card chargeback. Money moves only through transactions rows, so the ledger shows each step.

CREATE TABLE disputes (
    id                 INTEGER PRIMARY KEY,
    -- One dispute per transaction: a second report of the same payment is the same dispute.
    transaction_id     INTEGER NOT NULL UNIQUE REFERENCES transactions (id),
    wallet_id          TEXT    NOT NULL REFERENCES wallets (id),
    amount_fen         INTEGER NOT NULL CHECK (amount_fen > 0),
    reason             TEXT    NOT NULL,
    status             TEXT    NOT NULL
        CHECK (status IN ('open', 'decided-customer', 'decided-bank', 'reversed')),
    provisional_credit_id INTEGER REFERENCES transactions (id),
    credit_id          INTEGER REFERENCES transactions (id),
    reversal_id        INTEGER REFERENCES transactions (id),
    findings           TEXT,
    chargeback_reason_code TEXT,
    chargeback_filed_at    TEXT,
    opened_at          TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    CHECK (status <> 'reversed' OR (provisional_credit_id IS NOT NULL AND reversal_id IS NOT NULL))
);

CREATE TABLE dispute_evidence (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES disputes (id),
    kind        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    added_at    TEXT    NOT NULL
);
CREATE INDEX evidence_by_dispute ON dispute_evidence (dispute_id, id);

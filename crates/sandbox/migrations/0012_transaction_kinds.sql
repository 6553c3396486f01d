-- Corrections (dispute credits and reversals) are transactions like any other, so the ledger
-- shows every movement, but they are not the customer's payments: they must not use up the
-- tier's daily and yearly limits. A constant default, so seeded rows are not rewritten.
ALTER TABLE transactions ADD COLUMN kind TEXT NOT NULL DEFAULT 'payment'
    CHECK (kind IN ('payment', 'correction'));

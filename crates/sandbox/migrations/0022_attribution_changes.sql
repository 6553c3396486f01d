-- A supervisor's correction of who won a customer (issue 14): the customer's attribution
-- columns hold the current credit; this ledger keeps every move with its reason and who made
-- it, so promotion figures that change after the fact can be explained.
CREATE TABLE attribution_changes (
    id           INTEGER PRIMARY KEY,
    customer_id  INTEGER NOT NULL REFERENCES customers (id),
    campaign     TEXT,
    booth        TEXT,
    staff_id     TEXT    NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('booth', 'counter', 'qr')),
    old_campaign TEXT,
    old_booth    TEXT,
    old_staff_id TEXT,
    old_channel  TEXT,
    reason       TEXT    NOT NULL,
    changed_by   TEXT    NOT NULL,
    changed_at   TEXT    NOT NULL
);
CREATE INDEX attribution_changes_by_customer ON attribution_changes (customer_id);

-- Sync with the core bank: the transactional outbox (what must reach the core), the pull
-- cursor, and the local read model the change feed keeps current.

-- Every change that must reach the core, written in the same transaction as the local change.
-- Rows are never deleted by the engine: a row ends 'done' (the core applied it, or replayed
-- its stored answer) or 'discarded' (a person decided so, audited); a final refusal waits in
-- 'attention' until someone corrects and resends or discards it.
CREATE TABLE outbox (
    -- Enqueue order; within an aggregate, operations reach the core in this order.
    id               INTEGER PRIMARY KEY,
    -- Sent as the Idempotency-Key. Fixed for the life of one attempt chain; a resend after a
    -- correction takes a new key (the old one's refusal is stored at the core and would replay).
    idempotency_key  TEXT    NOT NULL UNIQUE,
    -- e.g. 'customer:5f0c…': operations of one aggregate are sent strictly one after another.
    aggregate        TEXT    NOT NULL,
    -- What to do at the core, e.g. 'customer.create'; the core adapter maps it to a request.
    kind             TEXT    NOT NULL,
    -- The core entity the operation addresses, when the request names one (a wallet id, …).
    subject          TEXT,
    -- The request body as JSON, sealed with the data key (it can hold full ID numbers).
    body_sealed      BLOB    NOT NULL,
    -- Shown to staff in the Sync screen; never holds an unmasked identity number.
    summary          TEXT    NOT NULL,
    -- Where the operation came from, for "open the record" (e.g. 'onboarding:12').
    record_ref       TEXT,
    state            TEXT    NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'attention', 'done', 'discarded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT    NOT NULL,
    -- Last retryable failure (network, 5xx), for the status bar's "failing" count.
    last_error       TEXT,
    -- A final refusal, in words staff can act on.
    attention_reason TEXT,
    -- The core's answer once applied (ids it assigned), JSON.
    result           TEXT,
    created_at       TEXT    NOT NULL,
    created_by       INTEGER REFERENCES staff (id),
    done_at          TEXT,
    -- Earlier keys of this row, space separated, kept for tracing a resend back at the core.
    previous_keys    TEXT    NOT NULL DEFAULT ''
);
-- The engine's "what is ready" query reads only unfinished rows.
CREATE INDEX outbox_open_by_aggregate ON outbox (aggregate, id)
    WHERE state IN ('pending', 'attention');
CREATE INDEX outbox_pending_due ON outbox (next_attempt_at, id) WHERE state = 'pending';

CREATE TABLE sync_state (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    -- The change-feed cursor, written in the same transaction as the changes it brought.
    cursor         TEXT,
    last_pull_at   TEXT,
    last_push_at   TEXT,
    -- Why the last round with the core failed, if it did; cleared by the next success.
    last_error     TEXT
);
INSERT INTO sync_state (id) VALUES (1);

-- The local read model: customers as the core last told us. Identity numbers arrive masked;
-- the two visible parts are split out for search by fragment.
CREATE TABLE core_customers (
    id                 TEXT PRIMARY KEY,
    external_id        TEXT UNIQUE,
    name               TEXT NOT NULL,
    masked_resident_id TEXT NOT NULL,
    id_first6          TEXT NOT NULL,
    id_last4           TEXT NOT NULL,
    mobile             TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    sex                TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    -- The feed cursor that brought this version.
    cursor             TEXT NOT NULL
);
CREATE INDEX core_customers_mobile ON core_customers (mobile);
CREATE INDEX core_customers_id_last4 ON core_customers (id_last4);
CREATE INDEX core_customers_id_first6 ON core_customers (id_first6);
CREATE INDEX core_customers_name ON core_customers (name);

-- Every other kind the feed brings (wallets, cards, consents, transactions, …), as the JSON
-- the core sent, found by kind and id or by customer.
CREATE TABLE core_records (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    customer_id TEXT,
    data        TEXT NOT NULL,
    cursor      TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX core_records_by_customer ON core_records (customer_id, kind);

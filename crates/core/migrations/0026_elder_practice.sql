-- The practice payment of an elder-assisted setup (issue 13 item 5): one row per session,
-- what the customer entered step by step and what the core answered. The payment password
-- is never stored: it goes to the core in the online call and nowhere else.
CREATE TABLE elder_practice (
    session_id      INTEGER PRIMARY KEY REFERENCES elder_sessions (id),
    -- The practice wallet's holder at the core: the customer's core id, or a reference made
    -- for this session when the customer is not at the core yet.
    holder          TEXT    NOT NULL,
    stage           TEXT    NOT NULL CHECK (stage IN
                      ('payee', 'amount', 'password', 'paid', 'frozen', 'undone')),
    payee           TEXT,
    amount_fen      INTEGER CHECK (amount_fen > 0),
    -- From the core's last wrong-password answer (never counted here).
    tries_remaining INTEGER CHECK (tries_remaining >= 0),
    core_payment_id TEXT,
    practice_balance_fen INTEGER,
    paid_at         TEXT,
    undone_at       TEXT,
    undo_outbox_id  INTEGER,
    updated_at      TEXT    NOT NULL
);

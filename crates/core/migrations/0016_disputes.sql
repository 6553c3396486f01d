-- The dispute desk (DOMAIN.md "Disputed transactions"). Dates are "YYYY-MM-DD" text in the
-- bank's local calendar; times RFC 3339 UTC text; money INTEGER fen.

CREATE TABLE disputes (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT    NOT NULL UNIQUE,
    -- One dispute per transaction: a second report of the same payment is the same dispute
    -- (the core holds the same rule).
    transaction_id   TEXT    NOT NULL UNIQUE,
    customer_id      TEXT    NOT NULL,
    wallet_id        TEXT    NOT NULL,
    amount_fen       INTEGER NOT NULL CHECK (amount_fen > 0),
    counterparty     TEXT    NOT NULL,
    transaction_on   TEXT    NOT NULL,
    reason           TEXT    NOT NULL,
    -- The policy set (PolicySet JSON) the dispute started under: a later configuration change
    -- does not move a running deadline.
    policy           TEXT    NOT NULL,
    notice_on        TEXT    NOT NULL,
    statement_on     TEXT,
    account_opened_on TEXT,
    point_of_sale    INTEGER NOT NULL DEFAULT 0 CHECK (point_of_sale IN (0, 1)),
    foreign_tx       INTEGER NOT NULL DEFAULT 0 CHECK (foreign_tx IN (0, 1)),
    status           TEXT    NOT NULL DEFAULT 'open'
        CHECK (status IN ('open', 'decided_customer', 'decided_bank')),
    team             TEXT    NOT NULL DEFAULT 'disputes',
    assignee_id      INTEGER REFERENCES staff (id),
    opened_by        INTEGER NOT NULL REFERENCES staff (id),
    -- The deadline in force, kept with every event so the queue sorts on an index.
    due_on           TEXT    NOT NULL,
    credit_on        TEXT,
    told_on          TEXT,
    extended_on      TEXT,
    decided_on       TEXT,
    findings         TEXT,
    user_fault_proven INTEGER NOT NULL DEFAULT 0 CHECK (user_fault_proven IN (0, 1)),
    chargeback_on    TEXT,
    -- The outbox row that opens it at the core; later steps name the core's dispute through it.
    open_outbox_id   INTEGER NOT NULL REFERENCES outbox (id),
    opened_at        TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
-- The queues: open cases by deadline (team, unassigned, due soon, overdue) and by assignee.
CREATE INDEX disputes_open_by_due ON disputes (status, due_on, id);
CREATE INDEX disputes_assignee_by_due ON disputes (assignee_id, status, due_on, id);
CREATE INDEX disputes_by_customer ON disputes (customer_id, id);

CREATE TABLE dispute_evidence (
    id          INTEGER PRIMARY KEY,
    dispute_id  INTEGER NOT NULL REFERENCES disputes (id),
    kind        TEXT    NOT NULL CHECK (kind IN ('receipt', 'statement', 'merchant_correspondence',
                    'police_report', 'claimant_id', 'screenshot', 'call_record', 'other')),
    description TEXT    NOT NULL,
    added_by    INTEGER NOT NULL REFERENCES staff (id),
    added_at    TEXT    NOT NULL
);
CREATE INDEX dispute_evidence_by_dispute ON dispute_evidence (dispute_id, id);

-- Four-eyes: the handler proposes a provisional credit, a supervisor who is not the proposer
-- approves or refuses it. At most one proposal per dispute is pending or approved.
CREATE TABLE dispute_credit_proposals (
    id           INTEGER PRIMARY KEY,
    dispute_id   INTEGER NOT NULL REFERENCES disputes (id),
    note         TEXT    NOT NULL,
    proposed_by  INTEGER NOT NULL REFERENCES staff (id),
    proposed_at  TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'approved', 'refused')),
    decided_by   INTEGER REFERENCES staff (id),
    decided_at   TEXT,
    decision_note TEXT,
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE UNIQUE INDEX one_live_credit_proposal ON dispute_credit_proposals (dispute_id)
    WHERE status IN ('pending', 'approved');
CREATE INDEX pending_credit_proposals ON dispute_credit_proposals (status, proposed_at, id);

-- Each money step the dispute sent to the core (through the outbox), so the case shows how
-- far each has got and a refused reversal can say what to do.
CREATE TABLE dispute_money_steps (
    id         INTEGER PRIMARY KEY,
    dispute_id INTEGER NOT NULL REFERENCES disputes (id),
    kind       TEXT    NOT NULL,
    outbox_id  INTEGER NOT NULL REFERENCES outbox (id),
    at         TEXT    NOT NULL
);
CREATE INDEX dispute_money_steps_by_dispute ON dispute_money_steps (dispute_id, id);

-- Dispute cases on the team store, SQLite: the twin of ../postgres/0002_team_disputes.sql (see
-- there), with SQLite's identity (INTEGER PRIMARY KEY) and booleans (INTEGER 0/1).

-- Case numbers TD-<year>-<6 digits>, per year without gaps (as team_case_numbers).
CREATE TABLE team_dispute_numbers (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE team_disputes (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT NOT NULL UNIQUE,
    -- One dispute per core transaction, whichever console opens it.
    transaction_id   TEXT NOT NULL UNIQUE,
    customer_id      TEXT NOT NULL,
    wallet_id        TEXT NOT NULL,
    amount_fen       BIGINT NOT NULL CHECK (amount_fen > 0),
    counterparty     TEXT NOT NULL,
    transaction_on   TEXT NOT NULL,
    reason           TEXT NOT NULL,
    -- The PolicySet JSON the dispute opened under: a later change moves no running case.
    policy           TEXT NOT NULL,
    notice_on        TEXT NOT NULL,
    statement_on     TEXT,
    account_opened_on TEXT,
    point_of_sale    INTEGER NOT NULL,
    foreign_tx       INTEGER NOT NULL,
    team             TEXT NOT NULL,
    status           TEXT NOT NULL CHECK (status IN ('open','decided_customer','decided_bank')),
    -- The deadline in force, denormalised for the queue; the clock replays from the dates.
    due_on           TEXT NOT NULL,
    credit_on        TEXT,
    told_on          TEXT,
    extended_on      TEXT,
    decided_on       TEXT,
    findings         TEXT,
    user_fault_proven INTEGER,
    chargeback_on    TEXT,
    assignee_id      BIGINT REFERENCES team_staff (id),
    taken_at         TEXT,
    -- Optimistic versioning, as team_cases.version.
    version          BIGINT NOT NULL DEFAULT 1,
    opened_by        BIGINT NOT NULL REFERENCES team_staff (id),
    opened_at        TEXT NOT NULL
);
CREATE INDEX team_disputes_queue ON team_disputes (team, due_on, id) WHERE status = 'open';
CREATE INDEX team_disputes_unassigned ON team_disputes (team, due_on, id)
    WHERE status = 'open' AND assignee_id IS NULL;
CREATE INDEX team_disputes_assignee ON team_disputes (assignee_id, due_on, id)
    WHERE status = 'open';

-- Text evidence (attachments stay on the console that received the file).
CREATE TABLE team_dispute_evidence (
    id          INTEGER PRIMARY KEY,
    dispute_id  BIGINT NOT NULL REFERENCES team_disputes (id),
    kind        TEXT NOT NULL,
    description TEXT NOT NULL,
    added_by    BIGINT NOT NULL REFERENCES team_staff (id),
    added_at    TEXT NOT NULL
);
CREATE INDEX team_dispute_evidence_dispute ON team_dispute_evidence (dispute_id, id);

-- Provisional credit proposals: the team's approvals inbox. Four eyes in the schema too: the
-- decider is never the proposer; at most one proposal per dispute waits or was approved.
CREATE TABLE team_dispute_credits (
    id            INTEGER PRIMARY KEY,
    dispute_id    BIGINT NOT NULL REFERENCES team_disputes (id),
    note          TEXT NOT NULL,
    proposed_by   BIGINT NOT NULL REFERENCES team_staff (id),
    proposed_at   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('pending','approved','refused')),
    decided_by    BIGINT REFERENCES team_staff (id),
    decided_at    TEXT,
    decision_note TEXT,
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
);
CREATE UNIQUE INDEX team_dispute_credits_live ON team_dispute_credits (dispute_id)
    WHERE status IN ('pending','approved');
CREATE INDEX team_dispute_credits_pending ON team_dispute_credits (proposed_at)
    WHERE status = 'pending';

-- What the core must hear of each step (opening, evidence, credit, decision, reversal,
-- chargeback), written in the step's transaction: the team's outbox. `op_key` is the
-- idempotency key the core dedupes on, so whichever console delivers it, it applies once.
CREATE TABLE team_dispute_core_ops (
    id          INTEGER PRIMARY KEY,
    dispute_id  BIGINT NOT NULL REFERENCES team_disputes (id),
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL,
    op_key      TEXT NOT NULL UNIQUE,
    state       TEXT NOT NULL CHECK (state IN ('pending','done','attention','discarded')),
    created_by  BIGINT NOT NULL REFERENCES team_staff (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX team_dispute_core_ops_pending ON team_dispute_core_ops (id) WHERE state = 'pending';

-- Elder-assisted setup (issue 13). One row per session a staff member runs with an elderly
-- customer; the customer's window reads and answers the signed-in staff member's open session.
CREATE TABLE elder_sessions (
    id             INTEGER PRIMARY KEY,
    staff_id       INTEGER NOT NULL REFERENCES staff (id),
    staff_username TEXT    NOT NULL,
    -- How the customer is addressed on their screen and in the guide (not an identity number).
    customer_name  TEXT    NOT NULL,
    age            INTEGER NOT NULL CHECK (age BETWEEN 0 AND 150),
    -- The onboarding draft or the existing customer the session belongs to (either may be null).
    draft_id       INTEGER,
    customer_id    TEXT,
    step           TEXT    NOT NULL CHECK (step IN
                     ('welcome', 'question', 'stopped', 'open_wallet', 'practice', 'guide', 'done', 'ended')),
    question_index INTEGER NOT NULL DEFAULT 0,
    -- Read-aloud speed in percent of normal (elderly customers often want it slower).
    speech_rate    INTEGER NOT NULL DEFAULT 80 CHECK (speech_rate BETWEEN 50 AND 150),
    step_started_at TEXT   NOT NULL,
    deadline_at    TEXT    NOT NULL,
    created_at     TEXT    NOT NULL,
    updated_at     TEXT    NOT NULL,
    finished_at    TEXT
);
-- One open session per staff member: the customer's window has exactly one thing to show.
CREATE UNIQUE INDEX elder_sessions_one_open ON elder_sessions (staff_id)
    WHERE step NOT IN ('done', 'ended');

-- The customer's answers to the anti-fraud questions, with the words they were asked in.
CREATE TABLE elder_answers (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES elder_sessions (id),
    question_id TEXT    NOT NULL,
    question    TEXT    NOT NULL,
    answer      TEXT    NOT NULL CHECK (answer IN ('yes', 'no')),
    answered_at TEXT    NOT NULL,
    UNIQUE (session_id, question_id)
);

-- A "yes" stops the setup and waits here for a supervisor's outcome.
CREATE TABLE elder_escalations (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES elder_sessions (id),
    -- What raised it: a question's id, or a follow-up call's fraud concern.
    cause       TEXT    NOT NULL,
    raised_by   INTEGER NOT NULL REFERENCES staff (id),
    raised_at   TEXT    NOT NULL,
    outcome     TEXT    CHECK (outcome IN ('cleared', 'advised', 'referred_110')),
    reason      TEXT,
    decided_by  INTEGER REFERENCES staff (id),
    decided_at  TEXT
);
CREATE INDEX elder_escalations_open ON elder_escalations (outcome) WHERE outcome IS NULL;

-- Practice payments in the training wallet (sandbox, no real money), queued through the outbox.
CREATE TABLE elder_practice_payments (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES elder_sessions (id),
    payment_id  TEXT    NOT NULL UNIQUE,
    payee       TEXT    NOT NULL,
    amount_fen  INTEGER NOT NULL CHECK (amount_fen > 0),
    outbox_id   INTEGER REFERENCES outbox (id),
    created_at  TEXT    NOT NULL,
    undo_outbox_id INTEGER REFERENCES outbox (id),
    undone_at   TEXT
);

-- Follow-up calls scheduled when an assisted setup is done, per branch.
CREATE TABLE elder_follow_ups (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES elder_sessions (id),
    branch       TEXT    NOT NULL,
    customer_name TEXT   NOT NULL,
    customer_id  TEXT,
    due_on       TEXT    NOT NULL CHECK (length(due_on) = 10),
    outcome      TEXT    CHECK (outcome IN ('fine', 'no_answer', 'needs_help', 'fraud_concern')),
    note         TEXT,
    recorded_by  INTEGER REFERENCES staff (id),
    recorded_at  TEXT
);
CREATE INDEX elder_follow_ups_queue ON elder_follow_ups (branch, due_on) WHERE outcome IS NULL;

-- The complaint desk (DOMAIN.md "Complaints"). Dates are "YYYY-MM-DD" text in the bank's
-- local calendar (sortable as text); times are RFC 3339 UTC text like the foundation tables.
-- Money is INTEGER fen. Version 0002 is left to the sync work: sqlx applies whatever is
-- missing, in version order, so the gap is harmless.

-- Configurable category tree; `code` is what statistics and the regulator report group by.
CREATE TABLE complaint_categories (
    id         INTEGER PRIMARY KEY,
    parent_id  INTEGER REFERENCES complaint_categories (id),
    code       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    active     INTEGER NOT NULL DEFAULT 1
);
-- A starting tree only; supervisors extend it. Codes are stable, names may be edited.
INSERT INTO complaint_categories (id, parent_id, code, name) VALUES
    (1, NULL, 'wallet',            '数字钱包'),
    (2, 1,    'wallet.payment',    '支付交易'),
    (3, 1,    'wallet.limits',     '钱包等级与限额'),
    (4, 1,    'wallet.frozen',     '冻结与解冻'),
    (5, NULL, 'account',           '账户管理'),
    (6, NULL, 'card',              '银行卡'),
    (7, NULL, 'loan',              '个人贷款'),
    (8, NULL, 'wealth',            '理财与代销'),
    (9, NULL, 'service',           '服务质量'),
    (10, 9,   'service.attitude',  '服务态度'),
    (11, 9,   'service.waiting',   '排队与效率'),
    (12, NULL, 'fees',             '收费'),
    (13, NULL, 'privacy',          '个人信息保护'),
    (14, NULL, 'other',            '其他');

-- Case numbers are TS-<year>-<6 digits>, counted per year without gaps.
CREATE TABLE complaint_case_numbers (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

-- The rules (ComplaintPolicy JSON) each case started under, stored once per distinct policy:
-- a later policy change does not move the deadline of a case already running.
CREATE TABLE complaint_policies (
    id     INTEGER PRIMARY KEY,
    policy TEXT NOT NULL UNIQUE
);

CREATE TABLE complaints (
    id               INTEGER PRIMARY KEY,
    case_no          TEXT NOT NULL UNIQUE,
    channel          TEXT NOT NULL
                     CHECK (channel IN ('counter','phone','online','letter','regulator','social')),
    -- Either a customer of the core bank, or someone who is not (yet): never both, never neither.
    customer_id      TEXT,
    prospect_name    TEXT,
    prospect_contact TEXT,
    product          TEXT NOT NULL,
    category_id      INTEGER NOT NULL REFERENCES complaint_categories (id),
    what_happened    TEXT NOT NULL,
    customer_asks    TEXT NOT NULL,
    severity         TEXT NOT NULL CHECK (severity IN ('low','medium','high','critical')),
    branch           TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    assignee_id      INTEGER REFERENCES staff (id),
    team             TEXT NOT NULL,
    status           TEXT NOT NULL
                     CHECK (status IN ('open','paused','decided','withdrawn','merged')),
    policy_id        INTEGER NOT NULL REFERENCES complaint_policies (id),
    -- Denormalised from the replayed clock after every event, for the queues. While paused it
    -- is the due date as if the pause ended the day it began: the earliest it can be.
    due_on           TEXT NOT NULL,
    closed_on        TEXT,
    on_time          INTEGER,
    linked_id        INTEGER REFERENCES complaints (id),
    merged_into_id   INTEGER REFERENCES complaints (id),
    review_of_id     INTEGER REFERENCES complaints (id),
    findings         TEXT,
    reasons          TEXT,
    remedy           TEXT,
    compensation_fen INTEGER CHECK (compensation_fen IS NULL OR compensation_fen >= 0),
    root_cause       TEXT,
    source_fix       TEXT,
    decided_by       INTEGER REFERENCES staff (id),
    created_by       INTEGER NOT NULL REFERENCES staff (id),
    created_at       TEXT NOT NULL,
    CHECK ((customer_id IS NULL) <> (prospect_name IS NULL)),
    CHECK (status <> 'decided' OR (findings IS NOT NULL AND reasons IS NOT NULL
                                   AND root_cause IS NOT NULL AND source_fix IS NOT NULL))
);
-- Queues read only open work, in due order, with the id as the keyset tie-breaker. The
-- partial indexes stay small as closed cases pile up over the years records are kept.
CREATE INDEX complaints_open_due ON complaints (due_on, id)
    WHERE status IN ('open','paused');
CREATE INDEX complaints_open_assignee ON complaints (assignee_id, due_on, id)
    WHERE status IN ('open','paused');
CREATE INDEX complaints_open_team ON complaints (team, due_on, id)
    WHERE status IN ('open','paused');
CREATE INDEX complaints_open_team_category ON complaints (team, category_id, due_on, id)
    WHERE status IN ('open','paused');
CREATE INDEX complaints_received ON complaints (received_on);
CREATE INDEX complaints_customer ON complaints (customer_id) WHERE customer_id IS NOT NULL;

-- Every clock event in order, so ComplaintClock can be replayed from receipt.
CREATE TABLE complaint_clock_events (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    kind         TEXT NOT NULL CHECK (kind IN ('extend_complex','extend_particularly_complex',
                     'pause','resume','restart','merge_repeat','withdraw','decide')),
    on_date      TEXT NOT NULL,
    reason       TEXT,
    approved_by  TEXT,
    recorded_by  INTEGER NOT NULL REFERENCES staff (id),
    recorded_at  TEXT NOT NULL
);
CREATE INDEX complaint_clock_events_case ON complaint_clock_events (complaint_id, id);

-- A group complaining in person: at most the configured number (default 5) of
-- representatives; the desk checks the count in the inserting transaction.
CREATE TABLE complaint_representatives (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    name         TEXT NOT NULL,
    contact      TEXT NOT NULL
);
CREATE INDEX complaint_representatives_case ON complaint_representatives (complaint_id);

CREATE TABLE complaint_notes (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    author_id    INTEGER NOT NULL REFERENCES staff (id),
    at           TEXT NOT NULL,
    body         TEXT NOT NULL
);
CREATE INDEX complaint_notes_case ON complaint_notes (complaint_id, id);

CREATE TABLE complaint_contacts (
    id           INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    at           TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('call','letter','visit','sms')),
    outcome      TEXT NOT NULL CHECK (outcome IN ('reached','no_answer','left_message','sent','refused')),
    summary      TEXT NOT NULL
);
CREATE INDEX complaint_contacts_case ON complaint_contacts (complaint_id, id);

-- Complex extensions apply at once (status 'applied'); particularly complex ones wait for a
-- supervisor who is not the requester.
CREATE TABLE complaint_extensions (
    id                   INTEGER PRIMARY KEY,
    complaint_id         INTEGER NOT NULL REFERENCES complaints (id),
    kind                 TEXT NOT NULL CHECK (kind IN ('complex','particularly_complex')),
    reason               TEXT NOT NULL,
    requested_by         INTEGER NOT NULL REFERENCES staff (id),
    requested_at         TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('applied','pending','approved','refused')),
    decided_by           INTEGER REFERENCES staff (id),
    decided_at           TEXT,
    decision_note        TEXT,
    customer_notified_at TEXT,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX complaint_extensions_case ON complaint_extensions (complaint_id, id);
CREATE INDEX complaint_extensions_pending ON complaint_extensions (requested_at)
    WHERE status = 'pending';

CREATE TABLE complaint_surveys (
    complaint_id INTEGER PRIMARY KEY REFERENCES complaints (id),
    score        INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment      TEXT NOT NULL,
    recorded_by  INTEGER NOT NULL REFERENCES staff (id),
    at           TEXT NOT NULL
);

CREATE TABLE complaint_suggestions (
    id                INTEGER PRIMARY KEY,
    complaint_id      INTEGER REFERENCES complaints (id),
    idea              TEXT NOT NULL,
    suggested_by      TEXT NOT NULL,
    recorded_by       INTEGER NOT NULL REFERENCES staff (id),
    at                TEXT NOT NULL,
    reward_granted    INTEGER NOT NULL DEFAULT 0,
    reward_granted_by INTEGER REFERENCES staff (id),
    reward_granted_at TEXT
);

-- Staff with a direct interest in a case (for example the one complained about): recusal.
CREATE TABLE complaint_interested_parties (
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    reason       TEXT NOT NULL,
    PRIMARY KEY (complaint_id, staff_id)
);

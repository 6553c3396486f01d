-- The team store on PostgreSQL (docs/architecture.md, "Team mode"): the case queue that a
-- complaint team's consoles share. Its twin for SQLite is ../sqlite/0001_team_store.sql; the
-- two differ only where the dialects do (identity columns, booleans, the append-only
-- trigger), so the store's one set of queries runs on both. Dates are 'YYYY-MM-DD' text and
-- times RFC 3339 UTC text, as in the console's store: they sort as text and the same SQL reads
-- them on both backends. Integers are BIGINT: sqlx reads an INTEGER column only as i32.

-- Staff accounts of the team: who holds a case, who approved. Consoles upsert the signed-in
-- member by username; passwords stay on each console (sign-in is local).
CREATE TABLE team_staff (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    username     TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role         TEXT NOT NULL,
    team         TEXT NOT NULL,
    active       BOOLEAN NOT NULL DEFAULT TRUE
);

-- The same starting category tree as the console's store (core migration 0003).
CREATE TABLE team_categories (
    id        BIGINT PRIMARY KEY,
    parent_id BIGINT REFERENCES team_categories (id),
    code      TEXT NOT NULL UNIQUE,
    name      TEXT NOT NULL,
    active    BOOLEAN NOT NULL DEFAULT TRUE
);
INSERT INTO team_categories (id, parent_id, code, name) VALUES
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

-- Team-wide settings: the business calendar ('business_calendar') and the complaint policy
-- ('complaint_policy'), in the console store's text formats.
CREATE TABLE team_settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Case numbers TS-<year>-<6 digits>, per year without gaps: the row is locked by the
-- upsert until the intake commits, so two consoles never draw the same number.
CREATE TABLE team_case_numbers (
    year BIGINT PRIMARY KEY,
    last BIGINT NOT NULL
);

CREATE TABLE team_cases (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_no       TEXT NOT NULL UNIQUE,
    -- The counter's key for a complaint kept while the server was away: forwarding it again
    -- finds this row instead of making a second case (exactly once).
    intake_key    TEXT UNIQUE,
    channel       TEXT NOT NULL,
    customer_id   TEXT,
    prospect_name TEXT,
    prospect_contact TEXT,
    product       TEXT NOT NULL,
    category_id   BIGINT NOT NULL REFERENCES team_categories (id),
    what_happened TEXT NOT NULL,
    customer_asks TEXT NOT NULL,
    severity      TEXT NOT NULL,
    branch        TEXT NOT NULL,
    received_on   TEXT NOT NULL,
    team          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open','paused','decided','withdrawn')),
    -- The ComplaintPolicy JSON the case started under: a later change moves no running case.
    policy        TEXT NOT NULL,
    due_on        TEXT NOT NULL,
    closed_on     TEXT,
    on_time       BOOLEAN,
    assignee_id   BIGINT REFERENCES team_staff (id),
    taken_at      TEXT,
    findings      TEXT,
    -- Optimistic versioning: every change adds one; a step names the version its screen
    -- showed and is refused when the case moved on since.
    version       BIGINT NOT NULL DEFAULT 1,
    created_by    BIGINT NOT NULL REFERENCES team_staff (id),
    created_at    TEXT NOT NULL,
    CHECK ((customer_id IS NULL) <> (prospect_name IS NULL))
);
-- The queue (open work of a team in due order, id the keyset tie-breaker) and take-next
-- (the unassigned part of it): partial indexes stay small as closed cases pile up.
CREATE INDEX team_cases_queue ON team_cases (team, due_on, id) WHERE status IN ('open','paused');
CREATE INDEX team_cases_unassigned ON team_cases (team, due_on, id)
    WHERE status IN ('open','paused') AND assignee_id IS NULL;
CREATE INDEX team_cases_assignee ON team_cases (assignee_id, due_on, id)
    WHERE status IN ('open','paused');

-- Clock events, replayed by ComplaintClock as on the console (complaints::case).
CREATE TABLE team_clock_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id     BIGINT NOT NULL REFERENCES team_cases (id),
    kind        TEXT NOT NULL,
    on_date     TEXT NOT NULL,
    reason      TEXT,
    approved_by TEXT,
    recorded_by BIGINT NOT NULL REFERENCES team_staff (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX team_clock_events_case ON team_clock_events (case_id, id);

-- The work log: notes and contacts, each a step made by the holder of the case.
CREATE TABLE team_steps (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id  BIGINT NOT NULL REFERENCES team_cases (id),
    kind     TEXT NOT NULL CHECK (kind IN ('note','contact','decision')),
    body     TEXT NOT NULL,
    staff_id BIGINT NOT NULL REFERENCES team_staff (id),
    at       TEXT NOT NULL
);
CREATE INDEX team_steps_case ON team_steps (case_id, id);

-- The approvals inbox: a particularly complex extension waits for a supervisor who is not
-- the requester, on any console of the team.
CREATE TABLE team_extensions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_id      BIGINT NOT NULL REFERENCES team_cases (id),
    reason       TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES team_staff (id),
    requested_at TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','approved','refused')),
    decided_by   BIGINT REFERENCES team_staff (id),
    decided_at   TEXT,
    note         TEXT,
    CHECK (decided_by IS NULL OR decided_by <> requested_by)
);
CREATE INDEX team_extensions_pending ON team_extensions (requested_at) WHERE status = 'pending';

-- One audit chain for the whole team store. Record ids are drawn from the head row, which
-- each append locks until its transaction ends: appends are serialised in commit order, so
-- the chain has no gap and no fork however many consoles write at once.
CREATE TABLE team_audit_head (
    id        BIGINT PRIMARY KEY CHECK (id = 1),
    last_id   BIGINT NOT NULL,
    last_hash TEXT NOT NULL
);
INSERT INTO team_audit_head (id, last_id, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE team_audit_log (
    id           BIGINT PRIMARY KEY,
    at           TEXT NOT NULL,
    actor_id     BIGINT,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_kind TEXT,
    subject_id   TEXT,
    outcome      TEXT NOT NULL,
    detail       TEXT NOT NULL,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);

-- Live queues: a counter per team, bumped in every transaction that changes its queue. A
-- console polls it as the safety net under LISTEN/NOTIFY (a notification sent while its
-- listening connection was down is lost; the version is not).
CREATE TABLE team_queue_versions (
    team    TEXT PRIMARY KEY,
    version BIGINT NOT NULL
);

-- The audit trail and its head are append-only through SQL as well.
CREATE FUNCTION team_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the team audit trail is append-only';
END;
$$;
CREATE TRIGGER team_audit_log_no_update BEFORE UPDATE OR DELETE ON team_audit_log
    FOR EACH ROW EXECUTE FUNCTION team_audit_refuse();

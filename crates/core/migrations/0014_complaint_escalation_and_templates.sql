-- Escalation of a complaint to a supervisor (issue 18 item 2): by hand with a reason, or by a
-- rule of the desk's configuration. One row per case and rule, so a rule escalates a case once;
-- the escalated queue lists the open cases that have any.
CREATE TABLE complaint_escalations (
    id            INTEGER PRIMARY KEY,
    complaint_id  INTEGER NOT NULL REFERENCES complaints (id),
    rule          TEXT NOT NULL
                  CHECK (rule IN ('by_hand','due_untouched','severity_high','repeat_complainant')),
    reason        TEXT NOT NULL,
    -- The staff member who escalated by hand; NULL when a rule did.
    escalated_by  INTEGER REFERENCES staff (id),
    escalated_on  TEXT NOT NULL,
    at            TEXT NOT NULL,
    UNIQUE (complaint_id, rule)
);
CREATE INDEX complaint_escalations_case ON complaint_escalations (complaint_id);

-- DOMAIN.md: time on an outside appraisal does not count, "and the customer is told". When and
-- how the customer was told of a pause is recorded on the pause itself.
ALTER TABLE complaint_clock_events ADD COLUMN customer_told_at TEXT;
ALTER TABLE complaint_clock_events ADD COLUMN customer_told_by TEXT
    CHECK (customer_told_by IS NULL OR customer_told_by IN ('call','letter','visit','sms'));

-- Reply templates (issue 18 item 3): kept by supervisors per category (NULL: every category)
-- for contact-log entries, customer messages and letter paragraphs. Placeholders ({{caseNo}},
-- {{dueOn}}, {{compensation}}, ...) are filled by core from the case.
CREATE TABLE complaint_templates (
    id          INTEGER PRIMARY KEY,
    category_id INTEGER REFERENCES complaint_categories (id),
    kind        TEXT NOT NULL CHECK (kind IN ('contact','message','letter')),
    title       TEXT NOT NULL,
    body        TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    -- NULL: shipped with the app; else the supervisor who last saved it.
    updated_by  INTEGER REFERENCES staff (id),
    updated_at  TEXT NOT NULL
);
CREATE INDEX complaint_templates_kind ON complaint_templates (kind, category_id);

-- A starting set; supervisors edit, retire and add to it.
INSERT INTO complaint_templates (category_id, kind, title, body, updated_at) VALUES
    (NULL, 'contact', '受理后首次回访',
     '已致电客户，告知投诉 {{caseNo}} 已于{{receivedOn}}受理，将于{{dueOn}}前答复。', '2026-01-01T00:00:00Z'),
    (NULL, 'message', '受理通知短信',
     '【数字钱包服务】您的投诉（编号 {{caseNo}}）已于{{receivedOn}}受理，我们将于{{dueOn}}前答复您。', '2026-01-01T00:00:00Z'),
    (NULL, 'letter', '补偿与复核告知段落',
     '经核查，我行决定向您补偿{{compensation}}。如对处理结果有异议，您可于{{reviewWindowEnd}}前向我行书面申请复核，也可申请调解、仲裁或向人民法院起诉。', '2026-01-01T00:00:00Z'),
    (2, 'contact', '支付交易：调取交易记录',
     '已告知客户正在调取 {{caseNo}} 所涉交易记录，预计下一个工作日（{{nextWorkingDay}}）回复进展。', '2026-01-01T00:00:00Z');

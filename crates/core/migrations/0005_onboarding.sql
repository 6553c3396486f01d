-- Onboarding drafts: saved on every step of the wizard, so closing or crashing the app
-- resumes where the teller was. The data holds a full resident ID and card number, so it is
-- sealed with the data key like the outbox.
CREATE TABLE onboarding_drafts (
    id           INTEGER PRIMARY KEY,
    staff_id     INTEGER NOT NULL REFERENCES staff (id),
    step         TEXT    NOT NULL,
    data_sealed  BLOB    NOT NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    -- Set once, in the transaction that queues the operations for the core.
    submitted_at TEXT,
    -- The customer's console-made id at the core (`ext:<uuid>`), once submitted.
    external_id  TEXT
);
CREATE INDEX onboarding_open_by_staff ON onboarding_drafts (staff_id, updated_at)
    WHERE submitted_at IS NULL;

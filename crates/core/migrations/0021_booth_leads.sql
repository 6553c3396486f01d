-- Leads at the booth (issue 14): people who stopped but did not sign up. A row exists only
-- with the person's separate consent to be contacted (PIPL): the console refuses to store a
-- lead without it, and the CHECK says the same. Campaign, booth and staff are plain columns,
-- like a sign-up's, so a lead converted later keeps its attribution and insights can group
-- leads as they group sign-ups. A lead is deleted after the retention (default 90 days,
-- settings key `lead_retention_days`) unless it became a customer; each deletion is audited.
CREATE TABLE booth_leads (
    id               INTEGER PRIMARY KEY,
    -- The canonical 11 digits (the store is encrypted at rest).
    mobile           TEXT    NOT NULL CHECK (length(mobile) = 11),
    name             TEXT    NOT NULL,
    interest         TEXT    NOT NULL,
    -- The version of the contact notice the person agreed to, and when.
    consent_version  TEXT    NOT NULL CHECK (length(consent_version) > 0),
    consented_at     TEXT    NOT NULL,
    campaign         TEXT    NOT NULL,
    booth            TEXT    NOT NULL,
    staff_id         INTEGER NOT NULL REFERENCES staff (id),
    staff_username   TEXT    NOT NULL,
    -- China day of the next follow-up; NULL once the lead is closed.
    follow_up_on     TEXT    CHECK (follow_up_on IS NULL OR length(follow_up_on) = 10),
    outcome          TEXT    NOT NULL DEFAULT 'open'
        CHECK (outcome IN ('open', 'contacted', 'not_interested', 'unreachable', 'converted')),
    outcome_note     TEXT    NOT NULL DEFAULT '',
    -- The sign-up the lead became (its attribution is the lead's).
    signup_id        INTEGER REFERENCES booth_signups (id),
    created_at       TEXT    NOT NULL,
    -- China day the lead was taken: the retention counts from it.
    day              TEXT    NOT NULL CHECK (length(day) = 10),
    updated_at       TEXT    NOT NULL
);
CREATE INDEX booth_leads_by_staff_follow_up ON booth_leads (staff_id, follow_up_on);
CREATE INDEX booth_leads_by_day ON booth_leads (day);
CREATE INDEX booth_leads_by_campaign_mobile ON booth_leads (campaign, mobile);

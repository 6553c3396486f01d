-- Quick sign-ups at a booth (issue 14): one row per sign-up, written in the transaction that
-- queues it for the core (outbox_id). Campaign, booth, staff and channel are plain columns so
-- promotion insights can group by them. The core's answer (customer, incentive outcome) is the
-- outbox row's result; nothing here is changed by the sync.
CREATE TABLE booth_signups (
    id                 INTEGER PRIMARY KEY,
    -- The console's UUID for the customer until the core answers with its own id.
    external_id        TEXT    NOT NULL UNIQUE,
    -- The canonical 11 digits (the store is encrypted at rest; core_customers holds mobiles too).
    mobile             TEXT    NOT NULL CHECK (length(mobile) = 11),
    name               TEXT    NOT NULL,
    campaign           TEXT    NOT NULL,
    booth              TEXT    NOT NULL,
    staff_id           INTEGER NOT NULL REFERENCES staff (id),
    staff_username     TEXT    NOT NULL,
    channel            TEXT    NOT NULL CHECK (channel IN ('booth', 'counter', 'qr')),
    -- SHA-256 of campaign and normalised mobile: the incentive's key at the core.
    person_key         TEXT    NOT NULL CHECK (length(person_key) = 64),
    -- The campaign pays an incentive and its budget was not known to be used up: promised,
    -- credited when the core confirms.
    incentive_promised INTEGER NOT NULL,
    outbox_id          INTEGER NOT NULL REFERENCES outbox (id),
    created_at         TEXT    NOT NULL,
    -- China day of the sign-up, for the booth's today panel.
    day                TEXT    NOT NULL CHECK (length(day) = 10)
);
CREATE INDEX booth_signups_by_booth_day ON booth_signups (booth, day);
CREATE INDEX booth_signups_by_campaign_mobile ON booth_signups (campaign, mobile);

-- Who won each customer, as the core's feed says (campaign, booth, staff member, channel):
-- plain columns of the customer's record, so insights can group by them and every console's
-- Customer 360 shows the same attribution.
ALTER TABLE core_customers ADD COLUMN attribution_campaign TEXT;
ALTER TABLE core_customers ADD COLUMN attribution_booth TEXT;
ALTER TABLE core_customers ADD COLUMN attribution_staff TEXT;
ALTER TABLE core_customers ADD COLUMN attribution_channel TEXT;

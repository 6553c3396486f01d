-- A tier 4 wallet needs the mobile only (DOMAIN.md, wallet tiers), so the core keeps customers
-- without a resident ID: a booth signs them up with the mobile alone (POST /v1/signups). The
-- resident ID, and the birth date and sex read from it, become optional together. SQLite cannot
-- drop NOT NULL in place, so the table is rebuilt under its own name. sqlx runs a SQLite
-- migration inside a transaction, where `PRAGMA foreign_keys = OFF` does nothing; so the
-- foreign keys are deferred instead: dropping the table orphans the wallets, consents and
-- claims that refer to it (counted), and putting every row back under the same ids adopts
-- them again (uncounted), so the commit finds nothing broken.
-- Attribution columns (campaign, booth, staff, channel) are plain, so they can be grouped.
-- `mobile_verified_at`: when the core verified the mobile (its one-time code, deferred for a
-- sign-up queued offline).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE customers_copy AS SELECT id, name, resident_id, mobile, birth_date, sex,
    created_at, external_id, id_expires_on FROM customers;
DROP TABLE customers;
CREATE TABLE customers (
    id                 INTEGER PRIMARY KEY,
    name               TEXT    NOT NULL,
    resident_id        TEXT    UNIQUE CHECK (resident_id IS NULL OR length(resident_id) = 18),
    mobile             TEXT    NOT NULL UNIQUE CHECK (length(mobile) = 11),
    birth_date         TEXT,
    sex                TEXT    CHECK (sex IS NULL OR sex IN ('male', 'female')),
    created_at         TEXT    NOT NULL,
    external_id        TEXT    CHECK (external_id IS NULL OR length(external_id) = 36),
    id_expires_on      TEXT,
    mobile_verified_at TEXT,
    -- Attribution: the campaign, booth, staff member and channel that won the customer
    -- (NULL for a customer from before campaigns, or signed up outside one).
    campaign           TEXT,
    booth              TEXT,
    staff_id           TEXT,
    channel            TEXT,
    CHECK ((resident_id IS NULL) = (birth_date IS NULL)),
    CHECK ((resident_id IS NULL) = (sex IS NULL))
);
INSERT INTO customers (id, name, resident_id, mobile, birth_date, sex, created_at,
    external_id, id_expires_on)
SELECT id, name, resident_id, mobile, birth_date, sex, created_at, external_id, id_expires_on
FROM customers_copy ORDER BY id;
DROP TABLE customers_copy;
CREATE UNIQUE INDEX customers_by_external_id ON customers (external_id)
    WHERE external_id IS NOT NULL;

-- A sign-up's incentive is keyed on the person (the campaign and the normalised mobile or
-- ID, hashed by the console), not on the customer row: the same person signed up at two
-- booths offline gets one incentive whichever arrives first.
ALTER TABLE incentive_claims ADD COLUMN person_key TEXT;
CREATE UNIQUE INDEX incentive_claims_by_person ON incentive_claims (campaign, person_key)
    WHERE person_key IS NOT NULL;

-- Customer references that work before the core has answered: a console names a customer it
-- created offline by the UUID it gave it (`ext:<externalId>`), and the ID card's expiry date,
-- which lowers wallet limits once it is more than 90 days past.
--
-- Both columns are NULL for every existing and seeded row (ADD COLUMN does not rewrite the
-- table), so seeding stays as fast as before.

ALTER TABLE customers ADD COLUMN external_id TEXT CHECK (external_id IS NULL OR length(external_id) = 36);
ALTER TABLE customers ADD COLUMN id_expires_on TEXT;

-- Unique among the customers that have one; stored lower-case, so the index decides equality.
CREATE UNIQUE INDEX customers_by_external_id ON customers (external_id)
    WHERE external_id IS NOT NULL;

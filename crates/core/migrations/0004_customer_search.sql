-- Customer search over the local read model, offline: pinyin initials of the name, and the
-- searchable key of other records (a linked card's last four digits).

ALTER TABLE core_customers ADD COLUMN name_initials TEXT NOT NULL DEFAULT '';
CREATE INDEX core_customers_initials ON core_customers (name_initials);

-- An ID fragment matches many people (a first 6 is a whole district): the index carries the
-- name too, so "first 20 by name" reads 20 index entries instead of sorting every match.
DROP INDEX core_customers_id_first6;
DROP INDEX core_customers_id_last4;
CREATE INDEX core_customers_id_first6 ON core_customers (id_first6, name);
CREATE INDEX core_customers_id_last4 ON core_customers (id_last4, name);

-- Set by the pull for kinds staff search by (cards: last four digits).
ALTER TABLE core_records ADD COLUMN search_key TEXT;
CREATE INDEX core_records_search ON core_records (kind, search_key) WHERE search_key IS NOT NULL;

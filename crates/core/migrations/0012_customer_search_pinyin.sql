-- Customer search by full pinyin (`wangfang`, `wang f`) and by a mix of initials and
-- spellings (`w fang`), not only by initials (`wf`), over the offline read model.

ALTER TABLE core_customers ADD COLUMN name_pinyin TEXT NOT NULL DEFAULT '';
CREATE INDEX core_customers_pinyin ON core_customers (name_pinyin);

-- The initials index also carries the full spelling, so a mixed search filters on it inside
-- the index (a GLOB) instead of reading every row whose initials match.
DROP INDEX core_customers_initials;
CREATE INDEX core_customers_initials ON core_customers (name_initials, name_pinyin);

-- SQL cannot spell pinyin: start the feed again from the beginning so every customer gets
-- its spelling. The feed carries each entity's current state and the upserts make the
-- replay harmless (as in 0006 and 0008).
UPDATE sync_state SET cursor = NULL;

-- The read model kept each customer's birth date in clear beside the masked resident ID, and
-- the 8 characters the mask hides ARE the birth date: mask + date was the whole number, on
-- every search hit, for every role, unaudited. The date is now sealed with the data key as
-- the feed brings it (sync/readmodel.rs); staff see the age, and the age rules open it in core.
ALTER TABLE core_customers DROP COLUMN birth_date;
ALTER TABLE core_customers ADD COLUMN birth_date_sealed BLOB;

-- SQL cannot seal: start the feed again from the beginning so every customer gets its sealed
-- date back. The feed carries each entity's current state and the upserts make the replay
-- harmless (as in 0006).
UPDATE sync_state SET cursor = NULL;

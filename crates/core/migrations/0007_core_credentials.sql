-- Where this console keeps its bearer token for each core bank it talks to. (0006 is taken by
-- another change; sqlx applies a missing lower version later, so the gap is harmless.)
--
-- The token is never here in clear: it is either in the OS secret store (place
-- 'os-secret-store': this row only names the entry) or sealed with the console's data key
-- (place 'sealed'), for machines where no secret store works.
CREATE TABLE core_credentials (
    -- The core's normalised base URL (what the client uses, no trailing slash), or 'training'
    -- for the embedded training sandbox, whose loopback port changes every start.
    core          TEXT PRIMARY KEY,
    place         TEXT NOT NULL CHECK (place IN ('os-secret-store', 'sealed')),
    -- The entry's account name in the OS secret store: set when the token went there, and
    -- kept so a later store for the same core overwrites that entry instead of adding one.
    vault_account TEXT,
    -- XChaCha20-Poly1305 under the data key, bound to 'core-token:<core>' (place 'sealed').
    token_sealed  BLOB,
    stored_at     TEXT NOT NULL,
    CHECK ((place = 'os-secret-store' AND vault_account IS NOT NULL AND token_sealed IS NULL)
        OR (place = 'sealed' AND token_sealed IS NOT NULL))
);

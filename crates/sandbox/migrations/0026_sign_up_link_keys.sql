-- The key the core signs booth QR codes' self sign-up links with (HMAC-SHA256), made on
-- first use. One row; never leaves the core.
CREATE TABLE link_keys (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    secret BLOB    NOT NULL CHECK (length(secret) = 32)
);

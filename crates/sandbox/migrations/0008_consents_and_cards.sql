-- Consents (PIPL) and linked bank cards.

-- Each scope is consented to separately, with the notice version shown and the time. A later
-- grant of the same scope (and third party) supersedes the earlier one; a withdrawal ends
-- it. Rows are never deleted: the history is the record.
CREATE TABLE consents (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers (id),
    scope         TEXT    NOT NULL
        CHECK (scope IN ('general-processing', 'sensitive-financial', 'third-party-sharing')),
    version       TEXT    NOT NULL,
    third_party   TEXT    CHECK ((scope = 'third-party-sharing') = (third_party IS NOT NULL)),
    guardian_name TEXT,
    status        TEXT    NOT NULL CHECK (status IN ('granted', 'withdrawn', 'superseded')),
    granted_at    TEXT    NOT NULL,
    ended_at      TEXT    CHECK ((status = 'granted') = (ended_at IS NULL))
);
CREATE INDEX consents_by_customer ON consents (customer_id, id);
-- At most one live grant per customer, scope and third party.
CREATE UNIQUE INDEX one_live_consent ON consents (customer_id, scope, COALESCE(third_party, ''))
    WHERE status = 'granted';

-- Cards are kept masked only. number_sha256 lets the core see the same card linked twice;
-- a real core would key it (HMAC) so the short card-number space cannot be walked.
CREATE TABLE cards (
    id            INTEGER PRIMARY KEY,
    wallet_id     TEXT    NOT NULL REFERENCES wallets (id),
    masked_number TEXT    NOT NULL,
    number_sha256 TEXT    NOT NULL CHECK (length(number_sha256) = 64),
    bank_name     TEXT,
    status        TEXT    NOT NULL CHECK (status IN ('linked', 'unlinked')),
    linked_at     TEXT    NOT NULL,
    unlinked_at   TEXT    CHECK ((status = 'linked') = (unlinked_at IS NULL))
);
CREATE INDEX cards_by_wallet ON cards (wallet_id, id);
CREATE UNIQUE INDEX one_live_link_per_card ON cards (wallet_id, number_sha256)
    WHERE status = 'linked';

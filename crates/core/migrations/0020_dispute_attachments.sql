-- Files attached to a dispute's evidence: the content sealed (XChaCha20-Poly1305 under the
-- data key, on top of the store's own encryption), its SHA-256 over the plain bytes, the type
-- found from the content (not the name), and who added it.
CREATE TABLE dispute_attachments (
    id            INTEGER PRIMARY KEY,
    dispute_id    INTEGER NOT NULL REFERENCES disputes (id),
    evidence_id   INTEGER NOT NULL REFERENCES dispute_evidence (id),
    file_name     TEXT    NOT NULL,
    media_type    TEXT    NOT NULL,
    size_bytes    INTEGER NOT NULL CHECK (size_bytes > 0),
    sha256        TEXT    NOT NULL CHECK (length(sha256) = 64),
    content_sealed BLOB   NOT NULL,
    added_by      INTEGER NOT NULL REFERENCES staff (id),
    added_at      TEXT    NOT NULL
);
CREATE INDEX dispute_attachments_by_dispute ON dispute_attachments (dispute_id, id);

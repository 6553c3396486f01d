-- The knowledge base (`/v1/articles`): articles head office writes and publishes, and the
-- flags staff raise on them. Every version of an article's text is kept: the published one
-- staff read is the highest version with a publisher; a draft is a version without one
-- (at most one, above every published version).

CREATE TABLE articles (
    -- Chosen by the console that wrote the first draft (v1::ARTICLE_ID_PATTERN).
    id         TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE article_versions (
    article_id   TEXT    NOT NULL REFERENCES articles (id),
    version      INTEGER NOT NULL CHECK (version >= 1),
    title        TEXT    NOT NULL,
    body         TEXT    NOT NULL,
    category     TEXT    NOT NULL
        CHECK (category IN ('fees', 'limits', 'security', 'how-to', 'complaints')),
    -- A JSON array of strings.
    tags         TEXT    NOT NULL,
    language     TEXT    NOT NULL CHECK (language IN ('zh-CN', 'en')),
    written_by   TEXT    NOT NULL,
    written_at   TEXT    NOT NULL,
    published_by TEXT,
    published_at TEXT,
    PRIMARY KEY (article_id, version),
    CHECK ((published_by IS NULL) = (published_at IS NULL)),
    -- Maker-checker, kept by the schema as well as by the write: the author never publishes
    -- their own text.
    CHECK (published_by IS NULL OR published_by <> written_by)
);

CREATE TABLE article_flags (
    id         INTEGER PRIMARY KEY,
    article_id TEXT    NOT NULL REFERENCES articles (id),
    version    INTEGER NOT NULL,
    reason     TEXT    NOT NULL CHECK (reason IN ('wrong', 'out-of-date')),
    note       TEXT    NOT NULL,
    staff_id   TEXT    NOT NULL,
    flagged_at TEXT    NOT NULL
);
CREATE INDEX article_flags_by_article ON article_flags (article_id);

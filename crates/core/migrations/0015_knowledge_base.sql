-- The knowledge base, copied from the core's change feed (`article`) so every console reads
-- and searches it offline. The core is the only source: head office's drafts and
-- publications go to it through the outbox and come back through the feed.
CREATE TABLE kb_articles (
    -- The full-text index's rowid (an alias of the rowid, so VACUUM never renumbers it).
    seq           INTEGER PRIMARY KEY,
    id            TEXT    NOT NULL UNIQUE,
    -- The published version as the feed sent it (JSON, the contract's ArticleVersion);
    -- NULL until one is published. Category and title are copied out for browsing.
    published     TEXT,
    category      TEXT,
    title         TEXT,
    -- The draft waiting for a checker (JSON), if any.
    draft         TEXT,
    -- This console wrote the draft and the feed has not brought it back yet.
    draft_pending INTEGER NOT NULL DEFAULT 0,
    -- The draft version this console queued for publication, until the feed shows it.
    publish_pending INTEGER,
    cursor        TEXT
);
CREATE INDEX kb_articles_browse ON kb_articles (category, title);

-- Search over the published versions. FTS5's own tokenizers cannot find a two-character
-- Chinese word (unicode61 keeps a run of Han characters as one token; trigram needs three
-- characters), so core writes the tokens itself (`knowledge::search::index_tokens`): every
-- pair of neighbouring Han characters (a character bigram), the last character of each run
-- on its own, and Latin words lower-cased, separated by spaces for unicode61 to split. A query
-- is cut the same way and each run becomes a phrase of its bigrams, so "热线" is one token
-- and "反诈热线" is the phrase "反诈 诈热 热线". bm25 ranks, title above tags above body.
CREATE VIRTUAL TABLE kb_index USING fts5 (title, tags, body, tokenize = 'unicode61');

//! The knowledge base staff answer customers from: fees, limits and tiers, security and
//! anti-fraud, how-to, complaints.
//!
//! Articles live at the core bank. Head office (a supervisor) writes a draft and another
//! head-office staff member publishes it (maker-checker: the author never publishes their own
//! text; this console refuses it, and so does the core). Both go through the outbox like every
//! write. Every console copies the articles from the change feed ([`apply`]) into its store,
//! so staff read and search them offline ([`search`]); any staff member can flag an article as
//! wrong or out of date, and the flag reaches head office through the outbox and the feed.

pub mod console;
pub mod search;

use crate::corelink::CoreChange;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use sqlx::SqliteConnection;
use ts_rs::TS;

/// The categories, as the core's contract names them.
pub const CATEGORIES: [&str; 5] = ["fees", "limits", "security", "how-to", "complaints"];
/// The languages an article is written in.
pub const LANGUAGES: [&str; 2] = ["zh-CN", "en"];
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_BODY_CHARS: usize = 20_000;
pub const MAX_TAGS: usize = 12;
pub const MAX_TAG_CHARS: usize = 32;
pub const MAX_NOTE_CHARS: usize = 1_000;
/// Why staff flag an article.
pub const FLAG_REASONS: [&str; 2] = ["wrong", "out-of-date"];

/// One version of an article's text, as the feed carries it (the v1 contract's
/// `ArticleVersion`; the corebank crate tests that its type reads as this one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbVersion {
    pub version: u32,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: Vec<String>,
    pub language: String,
    /// The maker.
    pub written_by: String,
    pub written_at: String,
    /// The checker, once published.
    #[serde(default)]
    pub published_by: Option<String>,
    #[serde(default)]
    pub published_at: Option<String>,
}

/// An article as the feed carries it (the contract's `Article`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArticleRecord {
    pub id: String,
    #[serde(default)]
    pub published: Option<KbVersion>,
    #[serde(default)]
    pub draft: Option<KbVersion>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbQuery {
    pub text: String,
    /// Only this category; null or empty for all.
    #[serde(default)]
    pub category: Option<String>,
}

/// A published article in a result list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbHit {
    pub id: String,
    pub title: String,
    pub category: String,
    pub language: String,
    pub tags: Vec<String>,
    pub version: u32,
    /// A line of the body around the first match.
    pub excerpt: String,
    pub published_at: Option<String>,
}

/// What a search answers: the hits, and whether the signed-in staff member writes articles
/// (head office), so the screen offers the writing desk only to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbResults {
    pub hits: Vec<KbHit>,
    pub may_write: bool,
}

/// A flag staff raised on an article, as head office sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbFlag {
    pub id: String,
    pub article_id: String,
    pub version: u32,
    /// "wrong" or "out-of-date".
    pub reason: String,
    pub note: String,
    pub staff_id: String,
    pub flagged_at: String,
}

/// An article as the reader opens it. Head office (who may write) also sees the draft and the
/// flags; everyone else sees the published version only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbArticle {
    pub id: String,
    pub published: Option<KbVersion>,
    pub draft: Option<KbVersion>,
    /// The draft was written on this console and has not come back from the core yet.
    pub draft_pending: bool,
    /// The draft version this console queued for publication, until the core confirms it.
    pub publish_pending: Option<u32>,
    pub flags: Vec<KbFlag>,
    /// Whether the signed-in staff member may write the draft.
    pub may_write: bool,
    /// Whether the signed-in staff member may publish the draft: head office, and not its
    /// author (the command checks the same rule again).
    pub may_publish: bool,
}

/// What head office has to look at: drafts waiting for a checker, and flags from staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbDesk {
    pub drafts: Vec<KbDraftSummary>,
    pub flags: Vec<KbFlagSummary>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbDraftSummary {
    pub id: String,
    pub title: String,
    pub category: String,
    pub version: u32,
    pub written_by: String,
    pub written_at: String,
    pub pending: bool,
    /// False for the draft's own author: someone else publishes it.
    pub may_publish: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbFlagSummary {
    pub flag: KbFlag,
    /// The article's published title, when this console has it.
    pub title: Option<String>,
}

/// Head office writes (or rewrites) an article's draft. No `id`: a new article.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbDraftInput {
    #[serde(default)]
    pub id: Option<String>,
    pub title: String,
    pub body: String,
    pub category: String,
    pub tags: Vec<String>,
    pub language: String,
}

/// Publish the draft at `version`, the one the checker read.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbPublishInput {
    pub id: String,
    pub version: u32,
}

/// Flag the published `version` of an article as wrong or out of date.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KbFlagInput {
    pub id: String,
    pub version: u32,
    /// "wrong" or "out-of-date".
    pub reason: String,
    pub note: String,
}

/// Applies an `article` change from the feed on `conn` (the pull's transaction): the local
/// copy becomes what the core holds, and the published version is indexed again. A record
/// this console cannot read is logged and skipped, so one bad article never stops the feed.
pub async fn apply(conn: &mut SqliteConnection, change: &CoreChange) -> Result<()> {
    if change.data.is_null() {
        return remove(conn, &change.id).await;
    }
    let record = match serde_json::from_value::<ArticleRecord>(change.data.clone()) {
        Ok(record) if record.id == change.id => record,
        Ok(_) | Err(_) => {
            tracing::warn!(article = %change.id, "the feed sent an article this console cannot read");
            return Ok(());
        }
    };
    let published = record
        .published
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    let draft = record
        .draft
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(anyhow::Error::from)?;
    let seq: i64 = sqlx::query_scalar(
        "INSERT INTO kb_articles (id, published, category, title, draft, draft_pending, \
         publish_pending, cursor) VALUES (?, ?, ?, ?, ?, 0, NULL, ?) \
         ON CONFLICT (id) DO UPDATE SET published = excluded.published, \
         category = excluded.category, title = excluded.title, draft = excluded.draft, \
         draft_pending = 0, publish_pending = NULL, cursor = excluded.cursor RETURNING seq",
    )
    .bind(&record.id)
    .bind(&published)
    .bind(record.published.as_ref().map(|p| p.category.clone()))
    .bind(record.published.as_ref().map(|p| p.title.clone()))
    .bind(&draft)
    .bind(&change.cursor)
    .fetch_one(&mut *conn)
    .await?;
    index(conn, seq, record.published.as_ref()).await
}

async fn remove(conn: &mut SqliteConnection, id: &str) -> Result<()> {
    let seq: Option<i64> = sqlx::query_scalar("DELETE FROM kb_articles WHERE id = ? RETURNING seq")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(seq) = seq {
        index(conn, seq, None).await?;
    }
    Ok(())
}

/// Puts `published` in the search index under `seq`, replacing what was there.
async fn index(conn: &mut SqliteConnection, seq: i64, published: Option<&KbVersion>) -> Result<()> {
    sqlx::query("DELETE FROM kb_index WHERE rowid = ?")
        .bind(seq)
        .execute(&mut *conn)
        .await?;
    if let Some(version) = published {
        sqlx::query("INSERT INTO kb_index (rowid, title, tags, body) VALUES (?, ?, ?, ?)")
            .bind(seq)
            .bind(search::index_tokens(&version.title))
            .bind(search::index_tokens(&version.tags.join(" ")))
            .bind(search::index_tokens(&version.body))
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

//! Knowledge-base commands: search and read (every role), flag (every role), write a draft and
//! publish it (head office, maker-checker), and head office's list of drafts and flags.
//!
//! Writes reach the core through the outbox, in the same transaction as their audit record;
//! the core's answer comes back through the change feed ([`super::apply`]).

use super::{
    KbArticle, KbDesk, KbDraftInput, KbDraftSummary, KbFlag, KbFlagInput, KbFlagSummary,
    KbPublishInput, KbQuery, KbResults, KbVersion, search,
};
use crate::access::Permission;
use crate::audit::{self, AuditOutcome, NewAudit};
use crate::console::{Actor, Console};
use crate::customers::profile::QueuedChange;
use crate::error::{Error, FieldError, Result};
use crate::sync::outbox::{self, NewOperation};
use serde_json::json;
use sqlx::{Row, SqliteConnection};

/// Flags listed on head office's desk, newest first.
const DESK_FLAGS: i64 = 200;

/// An article's local row.
struct Row_ {
    seq: i64,
    published: Option<KbVersion>,
    draft: Option<KbVersion>,
    draft_pending: bool,
    publish_pending: Option<u32>,
}

fn parse_version(id: &str, text: Option<String>) -> Result<Option<KbVersion>> {
    text.map(|t| {
        serde_json::from_str(&t).map_err(|err| {
            Error::Internal(anyhow::anyhow!(
                "article {id}: stored version unreadable: {err}"
            ))
        })
    })
    .transpose()
}

async fn load(conn: &mut SqliteConnection, id: &str) -> Result<Option<Row_>> {
    let row = sqlx::query(
        "SELECT seq, published, draft, draft_pending, publish_pending FROM kb_articles \
         WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|row| {
        Ok(Row_ {
            seq: row.try_get("seq")?,
            published: parse_version(id, row.try_get("published")?)?,
            draft: parse_version(id, row.try_get("draft")?)?,
            draft_pending: row.try_get::<i64, _>("draft_pending")? != 0,
            publish_pending: row
                .try_get::<Option<i64>, _>("publish_pending")?
                .and_then(|v| u32::try_from(v).ok()),
        })
    })
    .transpose()
}

/// Flags the feed brought for `article` (all articles when `None`), newest first.
async fn flags(conn: &mut SqliteConnection, article: Option<&str>) -> Result<Vec<KbFlag>> {
    let rows: Vec<String> = sqlx::query_scalar(
        "SELECT data FROM core_records WHERE kind = 'article-flag' \
         AND (?1 IS NULL OR json_extract(data, '$.articleId') = ?1) \
         ORDER BY json_extract(data, '$.flaggedAt') DESC, CAST(id AS INTEGER) DESC LIMIT ?2",
    )
    .bind(article)
    .bind(DESK_FLAGS)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .iter()
        .filter_map(|data| serde_json::from_str(data).ok())
        .collect())
}

fn text(field: &str, value: &str, max: usize, code: &str) -> Result<String> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(Error::field(field, code));
    }
    Ok(value.to_owned())
}

/// An id this console makes for a new article: the form the core takes
/// (`[A-Za-z0-9-]{1,64}`), random, so two consoles never pick the same.
fn new_article_id() -> String {
    format!("kb-{}", uuid::Uuid::new_v4())
}

fn valid_article_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Console {
    /// Published articles matching the words typed (Chinese or English), best first; the
    /// local copy, so it works offline.
    pub async fn kb_search(&self, query: KbQuery) -> Result<KbResults> {
        let actor = self.authorize(Permission::ReadKnowledge).await?;
        Ok(KbResults {
            hits: search::search(self.store().read(), &query).await?,
            may_write: actor.role.may(Permission::WriteKnowledge),
        })
    }

    /// One article. Staff read the published version; head office also sees the draft and
    /// the flags. An article never published is not found for anyone else.
    pub async fn kb_article(&self, id: String) -> Result<KbArticle> {
        let actor = self.authorize(Permission::ReadKnowledge).await?;
        let mut conn = self.store().read().acquire().await?;
        self.article_view(&mut conn, &actor, &id).await
    }

    async fn article_view(
        &self,
        conn: &mut SqliteConnection,
        actor: &Actor,
        id: &str,
    ) -> Result<KbArticle> {
        let writer = actor.role.may(Permission::WriteKnowledge);
        let row = load(conn, id)
            .await?
            .filter(|r| writer || r.published.is_some())
            .ok_or_else(|| Error::NotFound(format!("article {id}")))?;
        if !writer {
            return Ok(KbArticle {
                id: id.to_owned(),
                published: row.published,
                draft: None,
                draft_pending: false,
                publish_pending: None,
                flags: Vec::new(),
                may_write: false,
                may_publish: false,
            });
        }
        let may_publish = row
            .draft
            .as_ref()
            .is_some_and(|d| d.written_by != actor.username);
        Ok(KbArticle {
            id: id.to_owned(),
            published: row.published,
            draft: row.draft,
            draft_pending: row.draft_pending,
            publish_pending: row.publish_pending,
            flags: flags(conn, Some(id)).await?,
            may_write: true,
            may_publish,
        })
    }

    /// Head office writes an article's draft (a new article without `id`). The draft goes to
    /// the core through the outbox; here it shows at once, marked as not yet at the core.
    pub async fn kb_save_draft(&self, input: KbDraftInput) -> Result<KbArticle> {
        let actor = self.authorize(Permission::WriteKnowledge).await?;
        let mut refused = Vec::new();
        let mut check = |result: Result<String>| match result {
            Ok(value) => value,
            Err(Error::InvalidFields(mut fields)) => {
                refused.append(&mut fields);
                String::new()
            }
            Err(_) => String::new(),
        };
        let title = check(text(
            "title",
            &input.title,
            super::MAX_TITLE_CHARS,
            "kb_title_length",
        ));
        let body = check(text(
            "body",
            &input.body,
            super::MAX_BODY_CHARS,
            "kb_body_length",
        ));
        if !super::CATEGORIES.contains(&input.category.as_str()) {
            refused.push(FieldError::new("category", "kb_category_unknown"));
        }
        if !super::LANGUAGES.contains(&input.language.as_str()) {
            refused.push(FieldError::new("language", "kb_language_unknown"));
        }
        let mut tags: Vec<String> = Vec::new();
        for tag in &input.tags {
            let tag = tag.trim();
            if tag.is_empty() {
                continue;
            }
            if tag.chars().count() > super::MAX_TAG_CHARS {
                refused.push(FieldError::new("tags", "kb_tag_length"));
                break;
            }
            if !tags.iter().any(|t| t == tag) {
                tags.push(tag.to_owned());
            }
        }
        if tags.len() > super::MAX_TAGS {
            refused.push(FieldError::new("tags", "kb_tags_too_many"));
        }
        let id = match input.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(id) if valid_article_id(id) => id.to_owned(),
            Some(id) => return Err(Error::NotFound(format!("article {id:?}"))),
            None => new_article_id(),
        };
        if !refused.is_empty() {
            return Err(Error::InvalidFields(refused));
        }

        let engine = self.engine()?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let existing = load(&mut tx, &id).await?;
        if input.id.is_some() && existing.is_none() {
            return Err(Error::NotFound(format!("article {id}")));
        }
        // The version the core will give it: the draft waiting keeps its number, otherwise
        // the next after the published one.
        let version = existing
            .as_ref()
            .map_or(1, |row| match (&row.draft, &row.published) {
                (Some(draft), _) => draft.version,
                (None, Some(published)) => published.version + 1,
                (None, None) => 1,
            });
        let draft = KbVersion {
            version,
            title: title.clone(),
            body: body.clone(),
            category: input.category.clone(),
            tags: tags.clone(),
            language: input.language.clone(),
            written_by: actor.username.clone(),
            written_at: audit::timestamp(now),
            published_by: None,
            published_at: None,
        };
        sqlx::query(
            "INSERT INTO kb_articles (id, draft, draft_pending) VALUES (?, ?, 1) \
             ON CONFLICT (id) DO UPDATE SET draft = excluded.draft, draft_pending = 1",
        )
        .bind(&id)
        .bind(serde_json::to_string(&draft).map_err(anyhow::Error::from)?)
        .execute(&mut *tx)
        .await?;
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: format!("article:{id}"),
                kind: "article.draft".to_owned(),
                subject: Some(id.clone()),
                body: json!({
                    "title": title,
                    "body": body,
                    "category": input.category,
                    "tags": tags,
                    "language": input.language,
                    "authorId": actor.username,
                }),
                summary: format!("知识库草稿 v{version}：{}", short(&title)),
                record_ref: Some(format!("article:{id}")),
            },
            now,
            Some(actor.staff_id),
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "knowledge.draft_saved",
            )
            .subject("article", id.clone())
            .detail(json!({ "version": version, "outboxId": outbox_id })),
        )
        .await?;
        let view = self.article_view(&mut tx, &actor, &id).await?;
        tx.commit().await?;
        engine.wake();
        Ok(view)
    }

    /// Publishes the draft the checker read. Maker-checker: the draft's author is refused
    /// (and the refusal audited); the core refuses it too.
    pub async fn kb_publish(&self, input: KbPublishInput) -> Result<KbArticle> {
        let actor = self.authorize(Permission::WriteKnowledge).await?;
        let engine = self.engine()?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let row = load(&mut tx, &input.id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("article {}", input.id)))?;
        let Some(draft) = row.draft.filter(|d| d.version == input.version) else {
            return Err(Error::conflict_on("version", "kb_draft_changed"));
        };
        if draft.written_by == actor.username {
            audit::append(
                &mut tx,
                now,
                NewAudit::new(
                    Some(actor.staff_id),
                    actor.username.clone(),
                    "knowledge.publish_refused",
                )
                .subject("article", input.id.clone())
                .outcome(AuditOutcome::Refused)
                .detail(json!({ "version": draft.version, "reason": "author_cannot_publish" })),
            )
            .await?;
            tx.commit().await?;
            return Err(Error::conflict_on("id", "kb_author_cannot_publish"));
        }
        sqlx::query("UPDATE kb_articles SET publish_pending = ? WHERE seq = ?")
            .bind(i64::from(draft.version))
            .bind(row.seq)
            .execute(&mut *tx)
            .await?;
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: format!("article:{}", input.id),
                kind: "article.publish".to_owned(),
                subject: Some(input.id.clone()),
                body: json!({ "staffId": actor.username, "version": draft.version }),
                summary: format!("发布知识库 v{}：{}", draft.version, short(&draft.title)),
                record_ref: Some(format!("article:{}", input.id)),
            },
            now,
            Some(actor.staff_id),
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "knowledge.publish_queued",
            )
            .subject("article", input.id.clone())
            .detail(
                json!({ "version": draft.version, "author": draft.written_by,
                "outboxId": outbox_id }),
            ),
        )
        .await?;
        let view = self.article_view(&mut tx, &actor, &input.id).await?;
        tx.commit().await?;
        engine.wake();
        Ok(view)
    }

    /// Any staff member flags the published version they read as wrong or out of date, with
    /// a note; the flag goes to head office through the outbox.
    pub async fn kb_flag(&self, input: KbFlagInput) -> Result<QueuedChange> {
        let actor = self.authorize(Permission::ReadKnowledge).await?;
        let mut refused = Vec::new();
        if !super::FLAG_REASONS.contains(&input.reason.as_str()) {
            refused.push(FieldError::new("reason", "kb_reason_unknown"));
        }
        let note = input.note.trim().to_owned();
        let chars = note.chars().count();
        if chars == 0 || chars > super::MAX_NOTE_CHARS {
            refused.push(FieldError::new("note", "kb_note_length"));
        }
        if !refused.is_empty() {
            return Err(Error::InvalidFields(refused));
        }
        let engine = self.engine()?;
        let now = self.now();
        let mut tx = self.store().begin().await?;
        let published = load(&mut tx, &input.id)
            .await?
            .and_then(|r| r.published)
            .ok_or_else(|| Error::NotFound(format!("article {}", input.id)))?;
        // A version staff could have read here: the current one or an earlier one.
        if input.version == 0 || input.version > published.version {
            return Err(Error::field("version", "kb_version_unknown"));
        }
        let summary = format!("知识库纠错 v{}：{}", input.version, short(&published.title));
        let outbox_id = outbox::enqueue(
            &mut tx,
            engine.sealer(),
            NewOperation {
                aggregate: format!("article:{}", input.id),
                kind: "article.flag".to_owned(),
                subject: Some(input.id.clone()),
                body: json!({ "staffId": actor.username, "version": input.version,
                    "reason": input.reason, "note": note }),
                summary: summary.clone(),
                record_ref: Some(format!("article:{}", input.id)),
            },
            now,
            Some(actor.staff_id),
        )
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "knowledge.flagged",
            )
            .subject("article", input.id.clone())
            .detail(json!({ "version": input.version, "reason": input.reason,
                    "outboxId": outbox_id })),
        )
        .await?;
        tx.commit().await?;
        engine.wake();
        Ok(QueuedChange { outbox_id, summary })
    }

    /// Head office's desk: drafts waiting for a checker and the flags staff raised.
    pub async fn kb_desk(&self) -> Result<KbDesk> {
        let actor = self.authorize(Permission::WriteKnowledge).await?;
        let mut conn = self.store().read().acquire().await?;
        let rows = sqlx::query(
            "SELECT id, draft, draft_pending FROM kb_articles WHERE draft IS NOT NULL \
             ORDER BY json_extract(draft, '$.writtenAt') DESC LIMIT 200",
        )
        .fetch_all(&mut *conn)
        .await?;
        let mut drafts = Vec::with_capacity(rows.len());
        for row in &rows {
            let id: String = row.try_get("id")?;
            let Some(draft) = parse_version(&id, row.try_get("draft")?)? else {
                continue;
            };
            drafts.push(KbDraftSummary {
                may_publish: draft.written_by != actor.username,
                id,
                title: draft.title,
                category: draft.category,
                version: draft.version,
                written_by: draft.written_by,
                written_at: draft.written_at,
                pending: row.try_get::<i64, _>("draft_pending")? != 0,
            });
        }
        let mut summaries = Vec::new();
        for flag in flags(&mut conn, None).await? {
            let title: Option<String> =
                sqlx::query_scalar("SELECT title FROM kb_articles WHERE id = ?")
                    .bind(&flag.article_id)
                    .fetch_optional(&mut *conn)
                    .await?
                    .flatten();
            summaries.push(KbFlagSummary { flag, title });
        }
        Ok(KbDesk {
            drafts,
            flags: summaries,
        })
    }
}

/// A title cut for the Sync screen's one line.
fn short(title: &str) -> String {
    const MAX: usize = 30;
    if title.chars().count() <= MAX {
        title.to_owned()
    } else {
        format!("{}…", title.chars().take(MAX).collect::<String>())
    }
}

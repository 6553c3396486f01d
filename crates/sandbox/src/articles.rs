//! The knowledge base: `GET /v1/articles/{id}`, `POST /v1/articles/{id}/draft`,
//! `POST /v1/articles/{id}/publish` and `POST /v1/articles/{id}/flags`. Articles and flags
//! enter the change feed (`article`, `article-flag`), which is how every console gets its
//! offline copy.
//!
//! Publishing is maker-checker: the staff member who wrote a draft never publishes it; the
//! write refuses it (409 `author-cannot-publish`) and the schema's CHECK backs that up.

use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_corebank::v1;

const MAX_STAFF_CHARS: usize = 64;
const VERSION_COLUMNS: &str = "article_id, version, title, body, category, tags, language, \
                               written_by, written_at, published_by, published_at";
const FLAG_COLUMNS: &str = "id, article_id, version, reason, note, staff_id, flagged_at";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "article store access failed");
    Problem::internal()
}

fn invalid(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

fn not_found(id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no article {id:?}")),
    )
}

fn text(field: &str, value: &str, max: usize) -> Result<String, Problem> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(invalid(format!("{field}: 1 to {max} characters")));
    }
    Ok(value.to_owned())
}

fn one_of(field: &str, value: &str, allowed: &[&str]) -> Result<String, Problem> {
    if allowed.contains(&value) {
        Ok(value.to_owned())
    } else {
        Err(invalid(format!("{field}: one of {allowed:?}")))
    }
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn version_from_row(row: &SqliteRow) -> Result<v1::ArticleVersion, sqlx::Error> {
    let tags: String = row.try_get("tags")?;
    Ok(v1::ArticleVersion {
        version: u32::try_from(row.try_get::<i64, _>("version")?).unwrap_or_default(),
        title: row.try_get("title")?,
        body: row.try_get("body")?,
        category: row.try_get("category")?,
        // Written by this module only, always a JSON array of strings.
        tags: serde_json::from_str(&tags).unwrap_or_default(),
        language: row.try_get("language")?,
        written_by: row.try_get("written_by")?,
        written_at: row.try_get("written_at")?,
        published_by: row.try_get("published_by")?,
        published_at: row.try_get("published_at")?,
    })
}

fn flag_from_row(row: &SqliteRow) -> Result<v1::ArticleFlag, sqlx::Error> {
    Ok(v1::ArticleFlag {
        id: row.try_get::<i64, _>("id")?.to_string(),
        article_id: row.try_get("article_id")?,
        version: u32::try_from(row.try_get::<i64, _>("version")?).unwrap_or_default(),
        reason: row.try_get("reason")?,
        note: row.try_get("note")?,
        staff_id: row.try_get("staff_id")?,
        flagged_at: row.try_get("flagged_at")?,
    })
}

/// The articles among `ids`, each with its published version and its draft.
async fn read_many(conn: &mut SqliteConnection, ids: &[&str]) -> anyhow::Result<Vec<v1::Article>> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT id, updated_at FROM articles WHERE id IN ");
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(*id);
    });
    let heads = query.build().fetch_all(&mut *conn).await?;
    let mut articles = Vec::with_capacity(heads.len());
    for head in heads {
        let id: String = head.try_get("id")?;
        // The draft (no publisher) and the latest published version: the two highest of
        // each kind, one row each.
        let rows = sqlx::query(&format!(
            "SELECT {VERSION_COLUMNS} FROM article_versions WHERE article_id = ? AND ( \
             (published_at IS NULL) OR version = (SELECT MAX(version) FROM article_versions \
             WHERE article_id = ? AND published_at IS NOT NULL))"
        ))
        .bind(&id)
        .bind(&id)
        .fetch_all(&mut *conn)
        .await?;
        let mut published = None;
        let mut draft = None;
        for row in &rows {
            let version = version_from_row(row)?;
            if version.published_at.is_some() {
                published = Some(version);
            } else {
                draft = Some(version);
            }
        }
        articles.push(v1::Article {
            id,
            published,
            draft,
            updated_at: head.try_get("updated_at")?,
        });
    }
    Ok(articles)
}

async fn read(conn: &mut SqliteConnection, id: &str) -> Result<Option<v1::Article>, Problem> {
    Ok(read_many(conn, &[id]).await.map_err(internal)?.pop())
}

/// The feed's renderers.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    read_many(conn, ids)
        .await?
        .into_iter()
        .map(|a| Ok((a.id.clone(), serde_json::to_value(a)?)))
        .collect()
}

pub async fn render_flags(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let select_from = format!("SELECT {FLAG_COLUMNS} FROM article_flags");
    crate::changes::render_numeric(conn, &select_from, ids, flag_from_row, |f| f.id.clone()).await
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Article>, Problem> {
    if !v1::is_valid_article_id(&id) {
        return Err(not_found(&id));
    }
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    read(&mut conn, &id)
        .await?
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

pub async fn save_draft(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::ArticleDraft>,
) -> Response {
    let write = SaveDraft {
        id,
        draft: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn publish(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::ArticlePublication>,
) -> Response {
    let write = Publish {
        id,
        publication: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn flag(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::NewArticleFlag>,
) -> Response {
    let write = Flag {
        id,
        flag: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

async fn exists(conn: &mut SqliteConnection, id: &str) -> Result<bool, Problem> {
    let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM articles WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
    Ok(found.is_some())
}

#[derive(Debug)]
struct SaveDraft {
    id: String,
    draft: v1::ArticleDraft,
}

impl Write for SaveDraft {
    const OPERATION: &'static str = "article-draft";
    type Output = v1::Article;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Article), Problem> {
        if !v1::is_valid_article_id(&self.id) {
            return Err(not_found(&self.id));
        }
        let d = self.draft;
        let title = text("title", &d.title, v1::ARTICLE_TITLE_MAX_CHARS)?;
        let body = text("body", &d.body, v1::ARTICLE_BODY_MAX_CHARS)?;
        let category = one_of("category", &d.category, &v1::ARTICLE_CATEGORIES)?;
        let language = one_of("language", &d.language, &v1::ARTICLE_LANGUAGES)?;
        let author = text("authorId", &d.author_id, MAX_STAFF_CHARS)?;
        if d.tags.len() > v1::ARTICLE_MAX_TAGS {
            return Err(invalid(format!("tags: at most {}", v1::ARTICLE_MAX_TAGS)));
        }
        let tags = d
            .tags
            .iter()
            .map(|t| text("tags", &t.0, v1::ARTICLE_TAG_MAX_CHARS))
            .collect::<Result<Vec<_>, _>>()?;
        let tags = serde_json::to_string(&tags).map_err(internal)?;
        let at = stamp(now);
        sqlx::query(
            "INSERT INTO articles (id, created_at, updated_at) VALUES (?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET updated_at = excluded.updated_at",
        )
        .bind(&self.id)
        .bind(&at)
        .bind(&at)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        // The draft waiting is rewritten in place (same version); otherwise the next version
        // after every one there is.
        let waiting: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM article_versions WHERE article_id = ? AND published_at IS NULL",
        )
        .bind(&self.id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
        let version = match waiting {
            Some(version) => version,
            None => {
                let latest: Option<i64> = sqlx::query_scalar(
                    "SELECT MAX(version) FROM article_versions WHERE article_id = ?",
                )
                .bind(&self.id)
                .fetch_one(&mut *conn)
                .await
                .map_err(internal)?;
                latest.unwrap_or(0) + 1
            }
        };
        sqlx::query(
            "INSERT INTO article_versions (article_id, version, title, body, category, tags, \
             language, written_by, written_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (article_id, version) DO UPDATE SET title = excluded.title, \
             body = excluded.body, category = excluded.category, tags = excluded.tags, \
             language = excluded.language, written_by = excluded.written_by, \
             written_at = excluded.written_at",
        )
        .bind(&self.id)
        .bind(version)
        .bind(&title)
        .bind(&body)
        .bind(&category)
        .bind(&tags)
        .bind(&language)
        .bind(&author)
        .bind(&at)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "article", &self.id, now)
            .await
            .map_err(internal)?;
        let article = read(conn, &self.id)
            .await?
            .ok_or_else(|| internal("vanished"))?;
        Ok((StatusCode::OK, article))
    }
}

#[derive(Debug)]
struct Publish {
    id: String,
    publication: v1::ArticlePublication,
}

impl Write for Publish {
    const OPERATION: &'static str = "article-publish";
    type Output = v1::Article;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Article), Problem> {
        if !v1::is_valid_article_id(&self.id) || !exists(conn, &self.id).await? {
            return Err(not_found(&self.id));
        }
        let checker = text("staffId", &self.publication.staff_id, MAX_STAFF_CHARS)?;
        let version = self.publication.version;
        if version == 0 {
            return Err(invalid("version: 1 or more".to_owned()));
        }
        let author: Option<String> = sqlx::query_scalar(
            "SELECT written_by FROM article_versions \
             WHERE article_id = ? AND version = ? AND published_at IS NULL",
        )
        .bind(&self.id)
        .bind(i64::from(version))
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
        let Some(author) = author else {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "no-such-draft",
                "No such draft",
                Some(format!(
                    "article {:?} has no draft at version {version}",
                    self.id
                )),
            ));
        };
        // Maker-checker: a second pair of eyes, never the author's own.
        if author == checker {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "author-cannot-publish",
                "The author cannot publish their own draft",
                Some(format!(
                    "{checker:?} wrote version {version}; another staff member publishes it"
                )),
            ));
        }
        let at = stamp(now);
        sqlx::query(
            "UPDATE article_versions SET published_by = ?, published_at = ? \
             WHERE article_id = ? AND version = ?",
        )
        .bind(&checker)
        .bind(&at)
        .bind(&self.id)
        .bind(i64::from(version))
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        sqlx::query("UPDATE articles SET updated_at = ? WHERE id = ?")
            .bind(&at)
            .bind(&self.id)
            .execute(&mut *conn)
            .await
            .map_err(internal)?;
        crate::changes::record(conn, "article", &self.id, now)
            .await
            .map_err(internal)?;
        let article = read(conn, &self.id)
            .await?
            .ok_or_else(|| internal("vanished"))?;
        Ok((StatusCode::OK, article))
    }
}

#[derive(Debug)]
struct Flag {
    id: String,
    flag: v1::NewArticleFlag,
}

impl Write for Flag {
    const OPERATION: &'static str = "article-flag";
    type Output = v1::ArticleFlag;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::ArticleFlag), Problem> {
        if !v1::is_valid_article_id(&self.id) || !exists(conn, &self.id).await? {
            return Err(not_found(&self.id));
        }
        let f = self.flag;
        let staff = text("staffId", &f.staff_id, MAX_STAFF_CHARS)?;
        let reason = one_of("reason", &f.reason, &["wrong", "out-of-date"])?;
        let note = text("note", &f.note, v1::ARTICLE_FLAG_NOTE_MAX_CHARS)?;
        let published: Option<i64> = sqlx::query_scalar(
            "SELECT 1 FROM article_versions \
             WHERE article_id = ? AND version = ? AND published_at IS NOT NULL",
        )
        .bind(&self.id)
        .bind(i64::from(f.version))
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
        if published.is_none() {
            return Err(invalid(format!(
                "version: {} was never published",
                f.version
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO article_flags (article_id, version, reason, note, staff_id, flagged_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&self.id)
        .bind(i64::from(f.version))
        .bind(&reason)
        .bind(&note)
        .bind(&staff)
        .bind(stamp(now))
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "article-flag", &id.to_string(), now)
            .await
            .map_err(internal)?;
        let row = sqlx::query(&format!(
            "SELECT {FLAG_COLUMNS} FROM article_flags WHERE id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        Ok((StatusCode::CREATED, flag_from_row(&row).map_err(internal)?))
    }
}

/// The training starter set, written from DOMAIN.md (tiers and limits, fees, the anti-fraud
/// slogan and hotline, how to pay, how to complain and what happens next), in Chinese and
/// English. Data, kept beside the code in `starter_articles.json`.
const STARTER: &str = include_str!("starter_articles.json");
/// Who wrote and who checked the starter set: two head-office accounts (maker-checker).
const STARTER_AUTHOR: &str = "head-office";
const STARTER_CHECKER: &str = "head-office-checker";

#[derive(serde::Deserialize)]
struct StarterArticle {
    id: String,
    category: String,
    language: String,
    title: String,
    tags: Vec<String>,
    body: String,
}

/// Publishes the starter set on `conn` (the demo data's transaction), dated `at`, and puts it
/// in the change feed after the seeded customers and wallets, so every training console
/// copies it.
pub async fn seed_starter_set(conn: &mut SqliteConnection, at: &str) -> anyhow::Result<()> {
    let articles: Vec<StarterArticle> = serde_json::from_str(STARTER)?;
    for a in &articles {
        anyhow::ensure!(
            v1::is_valid_article_id(&a.id)
                && v1::ARTICLE_CATEGORIES.contains(&a.category.as_str())
                && v1::ARTICLE_LANGUAGES.contains(&a.language.as_str()),
            "starter article {:?} breaks the contract's forms",
            a.id
        );
        sqlx::query("INSERT INTO articles (id, created_at, updated_at) VALUES (?, ?, ?)")
            .bind(&a.id)
            .bind(at)
            .bind(at)
            .execute(&mut *conn)
            .await?;
        sqlx::query(
            "INSERT INTO article_versions (article_id, version, title, body, category, tags, \
             language, written_by, written_at, published_by, published_at) \
             VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&a.id)
        .bind(&a.title)
        .bind(&a.body)
        .bind(&a.category)
        .bind(serde_json::to_string(&a.tags)?)
        .bind(&a.language)
        .bind(STARTER_AUTHOR)
        .bind(at)
        .bind(STARTER_CHECKER)
        .bind(at)
        .execute(&mut *conn)
        .await?;
        sqlx::query("INSERT INTO changes (kind, entity_id, at) VALUES ('article', ?, ?)")
            .bind(&a.id)
            .bind(at)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_starter_set_covers_each_topic_in_both_languages() {
        let articles: Vec<StarterArticle> = serde_json::from_str(STARTER).expect("starter set");
        for category in v1::ARTICLE_CATEGORIES {
            for language in v1::ARTICLE_LANGUAGES {
                assert!(
                    articles
                        .iter()
                        .any(|a| a.category == category && a.language == language),
                    "no {language} article on {category}"
                );
            }
        }
        let all: String = articles.iter().map(|a| a.body.as_str()).collect();
        // DOMAIN.md's anti-fraud slogan and hotline, and the 15-day complaint deadline.
        for needle in [
            "不轻信、不透露、不转账",
            "96110",
            "15 天",
            "15 days",
            "10,000",
        ] {
            assert!(all.contains(needle), "{needle}");
        }
        for a in &articles {
            assert!(
                a.title.chars().count() <= v1::ARTICLE_TITLE_MAX_CHARS,
                "{}",
                a.id
            );
            assert!(
                a.body.chars().count() <= v1::ARTICLE_BODY_MAX_CHARS,
                "{}",
                a.id
            );
            assert!(a.tags.len() <= v1::ARTICLE_MAX_TAGS, "{}", a.id);
        }
    }
}

//! The transactional outbox: enqueue in the caller's transaction; list, resend, discard.

use crate::crypto::Sealer;
use crate::error::{Error, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

/// An operation to send to the core once the local change commits.
#[derive(Debug, Clone)]
pub struct NewOperation {
    /// Operations with the same aggregate reach the core one after another, in enqueue order
    /// (e.g. "customer:<external id>" for a customer's create, consents and wallet).
    pub aggregate: String,
    /// The core adapter's name for it, e.g. "customer.create".
    pub kind: String,
    /// The core entity it addresses, when the request names one.
    pub subject: Option<String>,
    /// The request body; sealed before it is stored.
    pub body: serde_json::Value,
    /// What staff see in the Sync screen. Must not hold an unmasked identity number.
    pub summary: String,
    /// Where it came from, e.g. "onboarding:12".
    pub record_ref: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum OutboxState {
    Pending,
    Attention,
    Done,
    Discarded,
}

impl OutboxState {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxState::Pending => "pending",
            OutboxState::Attention => "attention",
            OutboxState::Done => "done",
            OutboxState::Discarded => "discarded",
        }
    }

    fn parse(text: &str) -> Result<OutboxState> {
        Ok(match text {
            "pending" => OutboxState::Pending,
            "attention" => OutboxState::Attention,
            "done" => OutboxState::Done,
            "discarded" => OutboxState::Discarded,
            other => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "unknown outbox state {other:?}"
                )));
            }
        })
    }
}

/// One outbox row as the Sync screen shows it (the body stays sealed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OutboxItem {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: String,
    pub summary: String,
    pub record_ref: Option<String>,
    pub state: OutboxState,
    pub attempts: u32,
    pub next_attempt_at: String,
    /// The last retryable failure (it will be tried again by itself).
    pub last_error: Option<String>,
    /// Why the core refused it for good; staff correct and resend, or discard.
    pub attention_reason: Option<String>,
    pub created_at: String,
    pub done_at: Option<String>,
    /// The body fields a correction may change for this kind (none: resend as it is).
    pub correctable: Vec<String>,
    /// Whether the signed-in staff member may correct and resend it now (set by the
    /// console for who asks; the command checks the same rule again).
    pub may_resend: bool,
    /// Whether the signed-in staff member may give up on it now.
    pub may_discard: bool,
    /// Who queued it; decides `may_resend`, not shown.
    #[serde(skip)]
    #[ts(skip)]
    pub created_by: Option<i64>,
}

/// The status bar's sync counters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatus {
    /// Waiting to be sent (including those being retried).
    pub queued: u32,
    /// Queued ones whose last attempt failed and that are waiting to retry.
    pub failing: u32,
    /// Refused by the core for good: someone has to look.
    pub attention: u32,
    /// When the last round with the core succeeded (push or pull), if ever.
    pub last_synced_at: Option<String>,
    /// Why the last round failed, if it did.
    pub last_error: Option<String>,
}

pub(crate) fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The context a row's body is sealed under: a body copied into another row does not open.
pub(crate) fn seal_context(key: &str) -> String {
    format!("outbox:{key}")
}

/// A fresh idempotency key: random, so two consoles never collide, and prefixed so a key seen
/// in the core's logs is recognisably ours.
pub(crate) fn new_key() -> String {
    format!("wd-{}", uuid::Uuid::new_v4())
}

/// A subject written `@<outbox id>` names the entity an earlier operation of the same
/// aggregate created at the core: the `id` of that operation's answer. The engine fills it in
/// when it sends, because the core assigns the id only once the first operation lands (a
/// dispute opened offline and given a provisional credit before the core has heard of it).
pub const RESULT_OF: &str = "@";

pub fn result_of(outbox_id: i64) -> String {
    format!("{RESULT_OF}{outbox_id}")
}

/// The core's id for a `@<outbox id>` subject, once that operation is done.
pub(crate) async fn resolve_subject(pool: &SqlitePool, subject: &str) -> Result<Option<String>> {
    let Some(id) = subject
        .strip_prefix(RESULT_OF)
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return Ok(None);
    };
    let result: Option<String> =
        sqlx::query_scalar("SELECT result FROM outbox WHERE id = ? AND state = 'done'")
            .bind(id)
            .fetch_optional(pool)
            .await?
            .flatten();
    Ok(result
        .and_then(|text| serde_json::from_str::<serde_json::Value>(&text).ok())
        .and_then(|answer| answer.get("id").and_then(|v| v.as_str()).map(str::to_owned)))
}

/// Enqueues `op` on `conn`, which must be the transaction of the local change it belongs to.
/// Returns the outbox id.
pub async fn enqueue(
    conn: &mut SqliteConnection,
    sealer: &Sealer,
    op: NewOperation,
    now: DateTime<Utc>,
    created_by: Option<i64>,
) -> Result<i64> {
    let key = new_key();
    let body = serde_json::to_vec(&op.body).map_err(anyhow::Error::from)?;
    let sealed = sealer
        .seal(&body, &seal_context(&key))
        .map_err(anyhow::Error::from)?;
    let now = timestamp(now);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (idempotency_key, aggregate, kind, subject, body_sealed, summary, \
         record_ref, next_attempt_at, created_at, created_by) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(&key)
    .bind(&op.aggregate)
    .bind(&op.kind)
    .bind(&op.subject)
    .bind(&sealed)
    .bind(&op.summary)
    .bind(&op.record_ref)
    .bind(&now)
    .bind(&now)
    .bind(created_by)
    .fetch_one(&mut *conn)
    .await?;
    Ok(id)
}

pub async fn status(pool: &SqlitePool) -> Result<SyncStatus> {
    let row = sqlx::query(
        "SELECT \
           (SELECT COUNT(*) FROM outbox WHERE state = 'pending') AS queued, \
           (SELECT COUNT(*) FROM outbox WHERE state = 'pending' AND attempts > 0) AS failing, \
           (SELECT COUNT(*) FROM outbox WHERE state = 'attention') AS attention, \
           s.last_pull_at, s.last_push_at, s.last_error \
         FROM sync_state s WHERE s.id = 1",
    )
    .fetch_one(pool)
    .await?;
    let count = |name: &str| -> Result<u32> {
        let n: i64 = row.try_get(name)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    };
    let pull: Option<String> = row.try_get("last_pull_at")?;
    let push: Option<String> = row.try_get("last_push_at")?;
    Ok(SyncStatus {
        queued: count("queued")?,
        failing: count("failing")?,
        attention: count("attention")?,
        // RFC 3339 UTC with fixed width sorts as text.
        last_synced_at: pull.into_iter().chain(push).max(),
        last_error: row.try_get("last_error")?,
    })
}

/// The newest rows first, optionally only those in `state`.
pub async fn list(
    pool: &SqlitePool,
    state: Option<OutboxState>,
    limit: u32,
) -> Result<Vec<OutboxItem>> {
    let rows = sqlx::query(
        "SELECT id, kind, summary, record_ref, state, attempts, next_attempt_at, last_error, \
         attention_reason, created_at, done_at, created_by FROM outbox \
         WHERE (?1 IS NULL OR state = ?1) ORDER BY id DESC LIMIT ?2",
    )
    .bind(state.map(OutboxState::as_str))
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            let state: String = row.try_get("state")?;
            let attempts: i64 = row.try_get("attempts")?;
            let kind: String = row.try_get("kind")?;
            Ok(OutboxItem {
                correctable: super::correctable(&kind)
                    .iter()
                    .map(|f| (*f).to_owned())
                    .collect(),
                may_resend: false,
                may_discard: false,
                created_by: row.try_get("created_by")?,
                id: row.try_get("id")?,
                kind,
                summary: row.try_get("summary")?,
                record_ref: row.try_get("record_ref")?,
                state: OutboxState::parse(&state)?,
                attempts: u32::try_from(attempts).unwrap_or(u32::MAX),
                next_attempt_at: row.try_get("next_attempt_at")?,
                last_error: row.try_get("last_error")?,
                attention_reason: row.try_get("attention_reason")?,
                created_at: row.try_get("created_at")?,
                done_at: row.try_get("done_at")?,
            })
        })
        .collect()
}

/// Who queued an operation and where it stands: what a correction is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemHead {
    pub kind: String,
    /// The staff member whose work queued it (None for rows from before that was kept).
    pub created_by: Option<i64>,
    pub state: OutboxState,
}

pub async fn head(pool: &SqlitePool, id: i64) -> Result<ItemHead> {
    let row = sqlx::query("SELECT kind, created_by, state FROM outbox WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| Error::NotFound(format!("outbox item {id}")))?;
    let state: String = row.try_get("state")?;
    Ok(ItemHead {
        kind: row.try_get("kind")?,
        created_by: row.try_get("created_by")?,
        state: OutboxState::parse(&state)?,
    })
}

/// The row's kind and (opened) body, for a correction screen.
pub async fn body(pool: &SqlitePool, sealer: &Sealer, id: i64) -> Result<serde_json::Value> {
    let row = sqlx::query("SELECT idempotency_key, body_sealed FROM outbox WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?
        .ok_or_else(|| Error::NotFound(format!("outbox item {id}")))?;
    let key: String = row.try_get("idempotency_key")?;
    let sealed: Vec<u8> = row.try_get("body_sealed")?;
    let plain = sealer
        .open(&sealed, &seal_context(&key))
        .map_err(anyhow::Error::from)?;
    Ok(serde_json::from_slice(&plain).map_err(anyhow::Error::from)?)
}

/// Puts an item that needs attention back in the queue, in its place within its aggregate,
/// under a NEW key (the core stored its refusal under the old one and would replay it). With
/// `corrected`, the body's top-level fields are replaced by those given. On `conn`, the caller's
/// transaction (which also writes the audit record).
pub async fn resend(
    conn: &mut SqliteConnection,
    sealer: &Sealer,
    id: i64,
    corrected: Option<serde_json::Map<String, serde_json::Value>>,
    now: DateTime<Utc>,
) -> Result<()> {
    let row = sqlx::query("SELECT idempotency_key, body_sealed, state FROM outbox WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound(format!("outbox item {id}")))?;
    let state: String = row.try_get("state")?;
    if state != "attention" {
        return Err(Error::Conflict(
            "only an item that needs attention can be resent".to_owned(),
        ));
    }
    let old_key: String = row.try_get("idempotency_key")?;
    let sealed: Vec<u8> = row.try_get("body_sealed")?;
    let plain = sealer
        .open(&sealed, &seal_context(&old_key))
        .map_err(anyhow::Error::from)?;
    let mut body: serde_json::Value =
        serde_json::from_slice(&plain).map_err(anyhow::Error::from)?;
    if let (Some(fields), Some(object)) = (corrected, body.as_object_mut()) {
        for (name, value) in fields {
            object.insert(name, value);
        }
    }
    let key = new_key();
    let body = serde_json::to_vec(&body).map_err(anyhow::Error::from)?;
    let resealed = sealer
        .seal(&body, &seal_context(&key))
        .map_err(anyhow::Error::from)?;
    sqlx::query(
        "UPDATE outbox SET idempotency_key = ?, body_sealed = ?, state = 'pending', attempts = 0, \
         next_attempt_at = ?, last_error = NULL, attention_reason = NULL, \
         previous_keys = trim(previous_keys || ' ' || ?) WHERE id = ?",
    )
    .bind(&key)
    .bind(&resealed)
    .bind(timestamp(now))
    .bind(&old_key)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Gives up on an item that needs attention: it is kept, marked discarded, and no longer
/// holds back later operations of its aggregate. On the caller's transaction (with the audit).
pub async fn discard(conn: &mut SqliteConnection, id: i64, now: DateTime<Utc>) -> Result<()> {
    let changed = sqlx::query(
        "UPDATE outbox SET state = 'discarded', done_at = ? WHERE id = ? AND state = 'attention'",
    )
    .bind(timestamp(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    if changed.rows_affected() == 0 {
        return Err(Error::Conflict(
            "only an item that needs attention can be discarded".to_owned(),
        ));
    }
    Ok(())
}

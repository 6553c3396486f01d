//! The audit trail: append-only, hash-chained, written in the transaction of the change it records.
//!
//! Each record's hash is SHA-256 over a canonical JSON array of its fields plus the previous
//! record's hash (genesis: 64 zeros). Editing a record breaks its own hash; deleting one breaks
//! the link of the record after it. Triggers refuse UPDATE and DELETE through SQL, so tampering
//! needs direct file access, which `verify` then detects. Truncating the newest records is not
//! detectable from the chain alone: that needs the head hash anchored elsewhere (for example
//! sent to the core bank), which the sync work will do.

use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection, SqlitePool};
use ts_rs::TS;

pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditOutcome {
    Ok,
    Refused,
    Failed,
}

impl AuditOutcome {
    fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Ok => "ok",
            AuditOutcome::Refused => "refused",
            AuditOutcome::Failed => "failed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "ok" => Ok(AuditOutcome::Ok),
            "refused" => Ok(AuditOutcome::Refused),
            "failed" => Ok(AuditOutcome::Failed),
            other => Err(Error::Internal(anyhow::anyhow!("unknown outcome {other}"))),
        }
    }
}

/// A record about to be appended. `detail` must never hold a full ID number or a password.
#[derive(Debug, Clone)]
pub struct NewAudit {
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: &'static str,
    pub subject_kind: Option<&'static str>,
    pub subject_id: Option<String>,
    pub customer_id: Option<String>,
    pub outcome: AuditOutcome,
    pub detail: serde_json::Value,
}

impl NewAudit {
    pub fn new(actor_id: Option<i64>, actor: impl Into<String>, action: &'static str) -> Self {
        NewAudit {
            actor_id,
            actor: actor.into(),
            action,
            subject_kind: None,
            subject_id: None,
            customer_id: None,
            outcome: AuditOutcome::Ok,
            detail: serde_json::Value::Null,
        }
    }

    pub fn subject(mut self, kind: &'static str, id: impl Into<String>) -> Self {
        self.subject_kind = Some(kind);
        self.subject_id = Some(id.into());
        self
    }

    /// Files the record under a customer, so the Customer 360 shows it in their history.
    pub fn customer(mut self, id: impl Into<String>) -> Self {
        self.customer_id = Some(id.into());
        self
    }

    pub fn outcome(mut self, outcome: AuditOutcome) -> Self {
        self.outcome = outcome;
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub id: i64,
    pub at: String,
    #[ts(type = "number | null")]
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: String,
    pub subject_kind: Option<String>,
    pub subject_id: Option<String>,
    pub customer_id: Option<String>,
    pub outcome: AuditOutcome,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditQuery {
    /// Free text: matched against staff, action, subject, customer and detail.
    pub text: Option<String>,
    /// Exact action name or a prefix ending in '.', e.g. "auth.".
    pub action: Option<String>,
    pub outcome: Option<AuditOutcome>,
    /// Inclusive, "YYYY-MM-DD" (UTC).
    pub from_date: Option<String>,
    /// Inclusive, "YYYY-MM-DD" (UTC).
    pub to_date: Option<String>,
    pub offset: u32,
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    #[ts(type = "number")]
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditVerify {
    pub ok: bool,
    #[ts(type = "number")]
    pub checked: i64,
    /// Id of the first record whose hash or link does not hold.
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
    pub reason: Option<String>,
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

#[allow(clippy::too_many_arguments)]
fn record_hash(
    prev_hash: &str,
    id: i64,
    at: &str,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    subject_kind: Option<&str>,
    subject_id: Option<&str>,
    customer_id: Option<&str>,
    outcome: &str,
    detail: &str,
) -> String {
    // A JSON array is an unambiguous encoding: no field can bleed into the next.
    let canonical = serde_json::json!([
        prev_hash,
        id,
        at,
        actor_id,
        actor,
        action,
        subject_kind,
        subject_id,
        customer_id,
        outcome,
        detail
    ]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends one record inside the caller's transaction; the caller's commit makes both the
/// change and its record durable, or neither.
pub async fn append(conn: &mut SqliteConnection, at: DateTime<Utc>, rec: NewAudit) -> Result<i64> {
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut *conn)
            .await?;
    let (id, prev_hash) = match head {
        Some((last, hash)) => (last + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(at);
    let detail = rec.detail.to_string();
    let outcome = rec.outcome.as_str();
    let hash = record_hash(
        &prev_hash,
        id,
        &at,
        rec.actor_id,
        &rec.actor,
        rec.action,
        rec.subject_kind,
        rec.subject_id.as_deref(),
        rec.customer_id.as_deref(),
        outcome,
        &detail,
    );
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, actor, action, subject_kind, subject_id, \
         customer_id, outcome, detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
    )
    .bind(id)
    .bind(&at)
    .bind(rec.actor_id)
    .bind(&rec.actor)
    .bind(rec.action)
    .bind(rec.subject_kind)
    .bind(rec.subject_id.as_deref())
    .bind(rec.customer_id.as_deref())
    .bind(outcome)
    .bind(&detail)
    .bind(&prev_hash)
    .bind(&hash)
    .execute(&mut *conn)
    .await?;
    Ok(id)
}

/// Walks the whole chain in order and names the first record that does not hold.
pub async fn verify(pool: &SqlitePool) -> Result<AuditVerify> {
    use futures_util::TryStreamExt;
    let mut rows = sqlx::query(
        "SELECT id, at, actor_id, actor, action, subject_kind, subject_id, customer_id, outcome, \
         detail, prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch(pool);
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1_i64;
    let mut checked = 0_i64;
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get("id")?;
        let prev_hash: String = row.try_get("prev_hash")?;
        let stored: String = row.try_get("hash")?;
        let broken = |reason: &str| AuditVerify {
            ok: false,
            checked,
            first_broken: Some(id),
            reason: Some(reason.to_owned()),
        };
        if id != expected_id {
            return Ok(broken("a record before this one is missing"));
        }
        if prev_hash != expected_prev {
            return Ok(broken("link to the previous record does not match"));
        }
        let recomputed = record_hash(
            &prev_hash,
            id,
            row.try_get("at")?,
            row.try_get("actor_id")?,
            row.try_get("actor")?,
            row.try_get("action")?,
            row.try_get("subject_kind")?,
            row.try_get("subject_id")?,
            row.try_get("customer_id")?,
            row.try_get("outcome")?,
            row.try_get("detail")?,
        );
        if recomputed != stored {
            return Ok(broken("record content was changed after it was written"));
        }
        checked += 1;
        expected_prev = stored;
        expected_id = id + 1;
    }
    Ok(AuditVerify {
        ok: true,
        checked,
        first_broken: None,
        reason: None,
    })
}

fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("not a date (YYYY-MM-DD): {text}")))
}

fn push_filters(qb: &mut QueryBuilder<'_, Sqlite>, q: &AuditQuery) -> Result<()> {
    qb.push(" WHERE 1=1");
    if let Some(text) = q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let like = format!(
            "%{}%",
            text.replace('\\', "\\\\").replace(['%', '_'], "\\$0")
        );
        qb.push(" AND (");
        for (i, col) in ["actor", "action", "subject_id", "customer_id", "detail"]
            .iter()
            .enumerate()
        {
            if i > 0 {
                qb.push(" OR ");
            }
            qb.push(*col)
                .push(" LIKE ")
                .push_bind(like.clone())
                .push(" ESCAPE '\\'");
        }
        qb.push(")");
    }
    if let Some(action) = q.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        if action.ends_with('.') {
            qb.push(" AND action >= ")
                .push_bind(action.to_owned())
                .push(" AND action < ")
                .push_bind(format!("{action}\u{10FFFF}"));
        } else {
            qb.push(" AND action = ").push_bind(action.to_owned());
        }
    }
    if let Some(outcome) = q.outcome {
        qb.push(" AND outcome = ").push_bind(outcome.as_str());
    }
    if let Some(from) = q.from_date.as_deref().filter(|d| !d.is_empty()) {
        let day = parse_day(from)?;
        qb.push(" AND at >= ")
            .push_bind(day.format("%Y-%m-%d").to_string());
    }
    if let Some(to) = q.to_date.as_deref().filter(|d| !d.is_empty()) {
        let next = parse_day(to)?
            .succ_opt()
            .ok_or_else(|| Error::InvalidInput("date out of range".into()))?;
        qb.push(" AND at < ")
            .push_bind(next.format("%Y-%m-%d").to_string());
    }
    Ok(())
}

/// Newest first, `limit` clamped to 1..=200.
pub async fn search(pool: &SqlitePool, q: &AuditQuery) -> Result<AuditPage> {
    let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM audit_log");
    push_filters(&mut count, q)?;
    let total: i64 = count.build_query_scalar().fetch_one(pool).await?;

    let mut select = QueryBuilder::<Sqlite>::new(
        "SELECT id, at, actor_id, actor, action, subject_kind, subject_id, customer_id, outcome, \
         detail FROM audit_log",
    );
    push_filters(&mut select, q)?;
    select
        .push(" ORDER BY id DESC LIMIT ")
        .push_bind(i64::from(q.limit.clamp(1, 200)))
        .push(" OFFSET ")
        .push_bind(i64::from(q.offset));
    let rows = select.build().fetch_all(pool).await?;
    let entries = rows
        .iter()
        .map(entry_from_row)
        .collect::<Result<Vec<_>>>()?;
    Ok(AuditPage { entries, total })
}

/// The newest `limit` records about one customer (the Customer 360's history).
pub async fn for_customer(
    pool: &SqlitePool,
    customer_id: &str,
    limit: u32,
) -> Result<Vec<AuditEntry>> {
    let rows = sqlx::query(
        "SELECT id, at, actor_id, actor, action, subject_kind, subject_id, customer_id, outcome, \
         detail FROM audit_log WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ?",
    )
    .bind(customer_id)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?;
    rows.iter().map(entry_from_row).collect()
}

fn entry_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<AuditEntry> {
    Ok(AuditEntry {
        id: row.try_get("id")?,
        at: row.try_get("at")?,
        actor_id: row.try_get("actor_id")?,
        actor: row.try_get("actor")?,
        action: row.try_get("action")?,
        subject_kind: row.try_get("subject_kind")?,
        subject_id: row.try_get("subject_id")?,
        customer_id: row.try_get("customer_id")?,
        outcome: AuditOutcome::parse(row.try_get::<&str, _>("outcome")?)?,
        detail: row.try_get("detail")?,
    })
}

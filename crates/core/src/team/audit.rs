//! The team store's audit chain: one chain per team store, however many consoles write.
//!
//! Each record's hash is HMAC-SHA256 under the team's audit key over a canonical JSON array of
//! its fields and the previous record's hash, as in the console's own chain (`crate::audit`).
//! What is new is the writers: twenty consoles append at once. A record's id and previous
//! hash come from the head row (`team_audit_head`), read `FOR UPDATE` by the append: the next
//! appender waits on that row until this transaction commits or rolls back, so records are
//! chained in commit order, ids have no gaps (a rolled-back append never moved the head) and
//! two records can never name the same predecessor.

use super::{TeamStore, TeamTx, on_pool, on_tx};
use crate::audit::GENESIS;
use crate::crypto::AuditKey;
use crate::error::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use ts_rs::TS;

/// A record about to be appended; `detail` never holds an identity number.
#[derive(Debug, Clone)]
pub struct TeamAudit {
    pub actor_id: Option<i64>,
    pub actor: String,
    pub action: &'static str,
    pub subject_kind: Option<&'static str>,
    pub subject_id: Option<String>,
    pub detail: serde_json::Value,
}

impl TeamAudit {
    pub fn new(actor_id: i64, actor: &str, action: &'static str) -> TeamAudit {
        TeamAudit {
            actor_id: Some(actor_id),
            actor: actor.to_owned(),
            action,
            subject_kind: None,
            subject_id: None,
            detail: serde_json::Value::Null,
        }
    }

    pub fn case(mut self, case_no: &str) -> TeamAudit {
        self.subject_kind = Some("complaint");
        self.subject_id = Some(case_no.to_owned());
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> TeamAudit {
        self.detail = detail;
        self
    }
}

#[allow(clippy::too_many_arguments)]
fn canonical(
    prev_hash: &str,
    id: i64,
    at: &str,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    subject_kind: Option<&str>,
    subject_id: Option<&str>,
    outcome: &str,
    detail: &str,
) -> String {
    // A JSON array: no field can bleed into the next.
    serde_json::json!([
        prev_hash,
        id,
        at,
        actor_id,
        actor,
        action,
        subject_kind,
        subject_id,
        outcome,
        detail
    ])
    .to_string()
}

/// Appends `records` in order, inside `tx`, after locking the chain's head.
pub(crate) async fn append_all(
    tx: &mut TeamTx,
    key: &AuditKey,
    at: DateTime<Utc>,
    records: Vec<TeamAudit>,
) -> Result<()> {
    let head_sql = format!(
        "SELECT last_id, last_hash FROM team_audit_head WHERE id = 1{}",
        tx.lock()
    );
    let (mut last_id, mut last_hash): (i64, String) =
        on_tx!(tx, c => sqlx::query_as(&head_sql).fetch_one(c).await?);
    let at = crate::audit::timestamp(at);
    for rec in records {
        let id = last_id + 1;
        let detail = rec.detail.to_string();
        let hash = key.mac_hex(
            canonical(
                &last_hash,
                id,
                &at,
                rec.actor_id,
                &rec.actor,
                rec.action,
                rec.subject_kind,
                rec.subject_id.as_deref(),
                "ok",
                &detail,
            )
            .as_bytes(),
        );
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO team_audit_log (id, at, actor_id, actor, action, subject_kind, \
             subject_id, outcome, detail, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'ok', $8, $9, $10)",
        )
        .bind(id)
        .bind(&at)
        .bind(rec.actor_id)
        .bind(&rec.actor)
        .bind(rec.action)
        .bind(rec.subject_kind)
        .bind(&rec.subject_id)
        .bind(&detail)
        .bind(&last_hash)
        .bind(&hash)
        .execute(c)
        .await?
        .rows_affected());
        last_id = id;
        last_hash = hash;
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE team_audit_head SET last_id = $1, last_hash = $2 WHERE id = 1",
    )
    .bind(last_id)
    .bind(&last_hash)
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamAuditVerify {
    pub ok: bool,
    #[ts(type = "number")]
    pub checked: i64,
    #[ts(type = "number | null")]
    pub first_broken: Option<i64>,
    pub reason: Option<String>,
}

#[derive(Debug, sqlx::FromRow)]
struct Stored {
    id: i64,
    at: String,
    actor_id: Option<i64>,
    actor: String,
    action: String,
    subject_kind: Option<String>,
    subject_id: Option<String>,
    outcome: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

const PAGE: i64 = 5_000;

impl TeamStore {
    /// Walks the whole chain: every hash recomputed under the team key, every link to the
    /// record before, ids without a gap, and the head row naming the last record.
    pub async fn verify_audit(&self) -> Result<TeamAuditVerify> {
        let broken = |id: i64, checked: i64, reason: &str| TeamAuditVerify {
            ok: false,
            checked,
            first_broken: Some(id),
            reason: Some(reason.to_owned()),
        };
        let mut prev_id = 0_i64;
        let mut prev_hash = GENESIS.to_owned();
        let mut checked = 0_i64;
        loop {
            let page: Vec<Stored> = on_pool!(self, p => sqlx::query_as(
                "SELECT id, at, actor_id, actor, action, subject_kind, subject_id, outcome, \
                 detail, prev_hash, hash FROM team_audit_log WHERE id > $1 ORDER BY id LIMIT $2",
            )
            .bind(prev_id)
            .bind(PAGE)
            .fetch_all(p)
            .await?);
            if page.is_empty() {
                break;
            }
            for rec in page {
                if rec.id != prev_id + 1 {
                    return Ok(broken(prev_id + 1, checked, "a record is missing"));
                }
                if rec.prev_hash != prev_hash {
                    return Ok(broken(
                        rec.id,
                        checked,
                        "the link to the record before is broken",
                    ));
                }
                let expected = self.audit_key.mac_hex(
                    canonical(
                        &rec.prev_hash,
                        rec.id,
                        &rec.at,
                        rec.actor_id,
                        &rec.actor,
                        &rec.action,
                        rec.subject_kind.as_deref(),
                        rec.subject_id.as_deref(),
                        &rec.outcome,
                        &rec.detail,
                    )
                    .as_bytes(),
                );
                if expected != rec.hash {
                    return Ok(broken(rec.id, checked, "the record was changed"));
                }
                checked += 1;
                prev_id = rec.id;
                prev_hash = rec.hash;
            }
        }
        let (head_id, head_hash): (i64, String) = on_pool!(self, p => sqlx::query_as(
            "SELECT last_id, last_hash FROM team_audit_head WHERE id = 1",
        )
        .fetch_one(p)
        .await?);
        if head_id != prev_id || head_hash != prev_hash {
            return Ok(broken(
                prev_id + 1,
                checked,
                "the trail ends before the head: records were cut off",
            ));
        }
        Ok(TeamAuditVerify {
            ok: true,
            checked,
            first_broken: None,
            reason: None,
        })
    }

    /// The actions recorded for one case, oldest first (for tests and the case's history).
    pub async fn audit_actions_of(&self, case_no: &str) -> Result<Vec<String>> {
        Ok(on_pool!(self, p => sqlx::query_scalar(
            "SELECT action FROM team_audit_log WHERE subject_id = $1 ORDER BY id",
        )
        .bind(case_no)
        .fetch_all(p)
        .await?))
    }
}

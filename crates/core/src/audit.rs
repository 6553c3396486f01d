//! The audit trail: append-only, hash-chained, written in the transaction of the change it records.
//!
//! Each record's hash is HMAC-SHA256, under a key derived from the data key, over a canonical
//! JSON array of its fields plus the previous record's hash (genesis: 64 zeros). Editing a
//! record breaks its own hash; deleting one breaks the link of the record after it; and since
//! the hash is keyed, whoever has the store file but not the key cannot recompute the hashes
//! after an edit. Triggers refuse UPDATE and DELETE through SQL as well.
//!
//! Records written before the chain was keyed (migration 0010) keep their plain SHA-256: the
//! legacy prefix. Its length and last hash are sealed with the key when the store is first
//! opened with it, so the prefix cannot be edited or stretched over later records either.
//!
//! A chain alone cannot show that its newest records were cut off. The sync engine therefore
//! anchors the head (the newest record's id and hash) at the core bank after new records, and
//! `verify` asks the core for it: a trail that ends before the anchored record, or whose record
//! there has another hash, is reported broken.

use crate::corelink::AuditHead;
use crate::crypto::AuditKey;
use crate::error::{Error, Result};
use crate::store::{Store, WriteTx};
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

/// Every action core writes to the audit log. One list, because staff read these names on the
/// audit screen: crates/core/tests/words holds the UI's words for them to this list, and this
/// list to the action names in the source.
pub const ACTIONS: &[&str] = &[
    "auth.sign_in",
    "auth.sign_in_failed",
    "auth.locked_out",
    "auth.sign_out",
    "session.idle_locked",
    "session.unlocked",
    "session.unlock_failed",
    "session.ended",
    "session.locked",
    "setup.admin_created",
    "training.staff_seeded",
    "staff.created",
    "staff.deactivated",
    "staff.reactivated",
    "staff.role_changed",
    "staff.branch_set",
    "staff.password_change_required",
    "staff.password_changed",
    "staff.password_change_failed",
    "settings.updated",
    "permission.refused",
    "audit.verified",
    "core.token_stored",
    "sync.resent",
    "sync.resend_refused",
    "sync.resend_code_sent",
    "sync.resend_code_refused",
    "sync.discarded",
    "complaint.registered",
    "complaint.register_refused",
    "complaint.view_refused",
    "complaint.assigned",
    "complaint.interest_declared",
    "complaint.note_added",
    "complaint.contact_logged",
    "complaint.representative_added",
    "complaint.paused",
    "complaint.resumed",
    "complaint.extended_complex",
    "complaint.restarted_new_facts",
    "complaint.extension_requested",
    "complaint.extension_approved",
    "complaint.extension_refused",
    "complaint.extension_notified",
    "complaint.merged_repeat",
    "complaint.merge_refused",
    "complaint.withdrawn",
    "complaint.decided",
    "complaint.review_opened",
    "complaint.review_refused",
    "complaint.survey_recorded",
    "complaint.survey_refused",
    "complaint.suggestion_added",
    "complaint.suggestion_rewarded",
    "complaint.category_created",
    "complaint.calendar_updated",
    "complaint.stats_exported",
    "complaint.regulator_report_exported",
    "complaint.letter_printed",
    "customer.viewed",
    "customer.id_revealed",
    "customer.note_added",
    "customer.id_renewal_queued",
    "wallet.tier_change_queued",
    "wallet.card_link_queued",
    "wallet.receipt_printed",
    "consent.withdrawal_queued",
    "onboarding.code_checked",
    "onboarding.code_sent",
    "onboarding.discarded",
    "onboarding.receipt_printed",
    "onboarding.screened",
    "onboarding.step_saved",
    "onboarding.submitted",
    "dispute.open_refused",
    "dispute.opened",
    "dispute.assigned",
    "dispute.evidence_added",
    "dispute.credit_proposed",
    "dispute.credit_approved",
    "dispute.credit_refused",
    "dispute.customer_told",
    "dispute.extended",
    "dispute.decided",
    "dispute.chargeback_filed",
    "dispute.attachment_added",
    "dispute.attachment_opened",
    "dispute.letter_printed",
    "dispute.stats_exported",
    "campaign.saved",
    "booth.saved",
    "booth.signed_up",
    // complaint desk, finished (issue 18 items 1-3)
    "complaint.desk_settings_updated",
    "complaint.category_updated",
    "complaint.escalated",
    "complaint.escalated_by_rule",
    "complaint.pause_told",
    "complaint.template_saved",
    "knowledge.draft_saved",
    "knowledge.publish_queued",
    "knowledge.publish_refused",
    "knowledge.flagged",
    // supervisor insights (issue 17)
    "insights.customers_listed",
    "insights.exported",
    "insights.report_printed",
    // team mode (issue 16): a counter complaint kept while the team server is away
    "complaint.held_for_team",
    "complaint.forwarded_to_team",
    // elder-assisted setup (issue 13)
    "elder.rules_updated",
    "elder.started",
    "elder.step_advanced",
    "elder.answered",
    "elder.escalated",
    "elder.resolved",
    "elder.ended",
    "elder.more_time",
    "elder.speech_rate_set",
    "elder.follow_ups_scheduled",
    "elder.follow_up_recorded",
    "elder.guide_printed",
    // elder practice payment (issue 13 item 5)
    "elder.practice_entered",
    "elder.practice_paid",
    "elder.practice_refused",
    "elder.practice_undone",
    // booth (issue 14, remaining items)
    "customer.attribution_change_queued",
    "lead.taken",
    "lead.outcome_recorded",
    "lead.converted",
    "lead.deleted_by_retention",
    "lead.retention_set",
    "booth.qr_printed",
];

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
    /// Free text: a substring of staff, action, subject, customer or detail (any case).
    pub text: Option<String>,
    /// Exact action name or a prefix ending in '.', e.g. "auth.".
    pub action: Option<String>,
    pub outcome: Option<AuditOutcome>,
    /// Inclusive, "YYYY-MM-DD" (UTC).
    pub from_date: Option<String>,
    /// Inclusive, "YYYY-MM-DD" (UTC).
    pub to_date: Option<String>,
    /// `next` of the previous page; none for the first page.
    pub after: Option<String>,
    pub limit: u32,
}

/// One page, newest first. Paging is by key (where the last page ended), never by offset, so
/// page 5,000 costs what page 1 does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    /// How many records match, counted on the first page only (`None` on later pages) and
    /// only up to [`TOTAL_CAP`] ([`TEXT_TOTAL_CAP`] with free text): past it `total_capped`
    /// is true and the count says "more than".
    #[ts(type = "number | null")]
    pub total: Option<i64>,
    pub total_capped: bool,
    /// Pass as `after` for the next (older) page; none on the last page.
    pub next: Option<String>,
}

/// Matching records are counted up to this many; counting every match of a broad filter over
/// a million records would cost more than the page itself (free text common to 10,000
/// records took 40 ms to count at a million; up to 1,000, a few).
pub const TOTAL_CAP: i64 = 1_000;

/// The cap for a free-text search, lower: its count walks the text index (or, under three
/// characters, the records) match by match, and with another filter beside it many matches
/// are walked per counted record (20 ms and more at a million records for 1,000).
pub const TEXT_TOTAL_CAP: i64 = 200;

/// What `verify` could learn from the core about the anchored head.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AnchorCheck {
    /// The core holds an anchored head and the trail was checked against it.
    Checked,
    /// The core holds no head for this console yet (nothing anchored so far).
    NotAnchored,
    /// The core could not be asked (offline, or no sync running): a cut tail would not show.
    Unavailable,
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
    pub anchor: AnchorCheck,
    /// The sequence (record id) of the head the core holds, when it was asked.
    #[ts(type = "number | null")]
    pub anchored_sequence: Option<i64>,
}

/// The core's answer about this console's anchored head, as `verify` takes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoreAnchor {
    Known(AuditHead),
    None,
    Unavailable,
}

pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A record's fields, as hashed.
struct Fields<'a> {
    prev_hash: &'a str,
    id: i64,
    at: &'a str,
    actor_id: Option<i64>,
    actor: &'a str,
    action: &'a str,
    subject_kind: Option<&'a str>,
    subject_id: Option<&'a str>,
    customer_id: Option<&'a str>,
    outcome: &'a str,
    detail: &'a str,
}

impl Fields<'_> {
    /// A JSON array is an unambiguous encoding: no field can bleed into the next.
    fn canonical(&self) -> String {
        serde_json::json!([
            self.prev_hash,
            self.id,
            self.at,
            self.actor_id,
            self.actor,
            self.action,
            self.subject_kind,
            self.subject_id,
            self.customer_id,
            self.outcome,
            self.detail
        ])
        .to_string()
    }

    /// Records of the legacy prefix (`id <= legacy_until`) keep their SHA-256; every later one
    /// is HMAC-SHA256 under the audit key.
    fn hash(&self, key: &AuditKey, legacy_until: i64) -> String {
        let canonical = self.canonical();
        if self.id <= legacy_until {
            hex::encode(Sha256::digest(canonical.as_bytes()))
        } else {
            key.mac_hex(canonical.as_bytes())
        }
    }
}

/// The seal over the legacy prefix: its length and its last hash (GENESIS when empty).
fn seal_of(key: &AuditKey, legacy_until: i64, last_hash: &str) -> String {
    let message = serde_json::json!(["walletdesk audit legacy prefix", legacy_until, last_hash]);
    key.mac_hex(message.to_string().as_bytes())
}

/// The chain's start: how long the legacy prefix is, and whether it is sealed.
async fn chain_start(conn: &mut SqliteConnection) -> Result<(i64, Option<String>)> {
    sqlx::query_as("SELECT legacy_until, seal FROM audit_chain WHERE id = 1")
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("the audit chain's start row is missing")))
}

async fn hash_of(conn: &mut SqliteConnection, id: i64) -> Result<Option<String>> {
    if id == 0 {
        return Ok(Some(GENESIS.to_owned()));
    }
    Ok(
        sqlx::query_scalar("SELECT hash FROM audit_log WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?,
    )
}

/// Seals the legacy prefix if it is not yet: the first thing a store opened with the key does,
/// so a missing seal later means someone removed it.
async fn seal_if_needed(tx: &mut WriteTx) -> Result<i64> {
    let (legacy_until, seal) = chain_start(tx).await?;
    if seal.is_none() {
        let last = hash_of(tx, legacy_until).await?.ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "the audit trail ends before its legacy prefix (record {legacy_until})"
            ))
        })?;
        let seal = seal_of(tx.audit_key(), legacy_until, &last);
        sqlx::query("UPDATE audit_chain SET seal = ? WHERE id = 1 AND seal IS NULL")
            .bind(seal)
            .execute(&mut **tx)
            .await?;
    }
    Ok(legacy_until)
}

/// Seals the start of the keyed chain (see the migration 0010); done by `Store::open`.
pub async fn seal_start(store: &Store) -> Result<()> {
    let mut tx = store.begin().await?;
    seal_if_needed(&mut tx).await?;
    tx.commit().await
}

/// Appends one record inside the caller's transaction; the caller's commit makes both the
/// change and its record durable, or neither. The record is keyed with the store's audit key.
pub async fn append(tx: &mut WriteTx, at: DateTime<Utc>, rec: NewAudit) -> Result<i64> {
    let legacy_until = seal_if_needed(tx).await?;
    let head: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    let (id, prev_hash) = match head {
        Some((last, hash)) => (last + 1, hash),
        None => (1, GENESIS.to_owned()),
    };
    let at = timestamp(at);
    let detail = rec.detail.to_string();
    let outcome = rec.outcome.as_str();
    let hash = Fields {
        prev_hash: &prev_hash,
        id,
        at: &at,
        actor_id: rec.actor_id,
        actor: &rec.actor,
        action: rec.action,
        subject_kind: rec.subject_kind,
        subject_id: rec.subject_id.as_deref(),
        customer_id: rec.customer_id.as_deref(),
        outcome,
        detail: &detail,
    }
    .hash(tx.audit_key(), legacy_until);
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
    .execute(&mut **tx)
    .await?;
    Ok(id)
}

/// The newest record's id and hash: what the sync engine anchors at the core.
pub async fn head(pool: &SqlitePool) -> Result<Option<AuditHead>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1")
            .fetch_optional(pool)
            .await?;
    Ok(row.map(|(sequence, hash)| AuditHead { sequence, hash }))
}

/// Walks the whole chain in order and names the first record that does not hold: a changed
/// record (its keyed hash cannot be recomputed without the key), a missing one, a changed
/// legacy prefix (its seal), and, against the head the core holds, a cut tail or a head that
/// is not the one anchored.
pub async fn verify(pool: &SqlitePool, key: &AuditKey, core: CoreAnchor) -> Result<AuditVerify> {
    use futures_util::TryStreamExt;
    let (anchor, anchored) = match &core {
        CoreAnchor::Known(head) => (AnchorCheck::Checked, Some(head.clone())),
        CoreAnchor::None => (AnchorCheck::NotAnchored, None),
        CoreAnchor::Unavailable => (AnchorCheck::Unavailable, None),
    };
    let anchored_sequence = anchored.as_ref().map(|a| a.sequence);
    let mut checked = 0_i64;
    let verdict = |checked: i64, first_broken: Option<i64>, reason: Option<String>| AuditVerify {
        ok: reason.is_none(),
        checked,
        first_broken,
        reason,
        anchor,
        anchored_sequence,
    };
    let (legacy_until, seal) = {
        let mut conn = pool.acquire().await?;
        chain_start(&mut conn).await?
    };
    let seal_holds =
        |last_hash: &str| seal.as_deref() == Some(seal_of(key, legacy_until, last_hash).as_str());
    if legacy_until == 0 && seal.is_some() && !seal_holds(GENESIS) {
        return Ok(verdict(
            0,
            None,
            Some("the seal of the chain's start does not match".into()),
        ));
    }

    let mut rows = sqlx::query(
        "SELECT id, at, actor_id, actor, action, subject_kind, subject_id, customer_id, outcome, \
         detail, prev_hash, hash FROM audit_log ORDER BY id",
    )
    .fetch(pool);
    let mut expected_prev = GENESIS.to_owned();
    let mut expected_id = 1_i64;
    while let Some(row) = rows.try_next().await? {
        let id: i64 = row.try_get("id")?;
        let prev_hash: String = row.try_get("prev_hash")?;
        let stored: String = row.try_get("hash")?;
        let broken = |reason: &str| verdict(checked, Some(id), Some(reason.to_owned()));
        if seal.is_none() {
            return Ok(broken(
                "the start of the keyed chain is not sealed: the seal was removed",
            ));
        }
        if id != expected_id {
            return Ok(broken("a record before this one is missing"));
        }
        if prev_hash != expected_prev {
            return Ok(broken("link to the previous record does not match"));
        }
        let recomputed = Fields {
            prev_hash: &prev_hash,
            id,
            at: row.try_get("at")?,
            actor_id: row.try_get("actor_id")?,
            actor: row.try_get("actor")?,
            action: row.try_get("action")?,
            subject_kind: row.try_get("subject_kind")?,
            subject_id: row.try_get("subject_id")?,
            customer_id: row.try_get("customer_id")?,
            outcome: row.try_get("outcome")?,
            detail: row.try_get("detail")?,
        }
        .hash(key, legacy_until);
        if recomputed != stored {
            return Ok(broken("record content was changed after it was written"));
        }
        if id == legacy_until && !seal_holds(&stored) {
            return Ok(broken(
                "the records written before the chain was keyed were changed",
            ));
        }
        if let Some(head) = &anchored
            && head.sequence == id
            && head.hash != stored
        {
            return Ok(broken(
                "this record is not the one whose hash was anchored at the core",
            ));
        }
        checked += 1;
        expected_prev = stored;
        expected_id = id + 1;
    }
    let last = expected_id - 1;
    if last < legacy_until {
        return Ok(verdict(
            checked,
            Some(last + 1),
            Some(
                "the newest records were removed (the trail ends before its legacy prefix)".into(),
            ),
        ));
    }
    if let Some(head) = &anchored
        && last < head.sequence
    {
        return Ok(verdict(
            checked,
            Some(last + 1),
            Some(format!(
                "the newest records were removed: the core holds the head at record {}, the \
                 trail ends at record {last}",
                head.sequence
            )),
        ));
    }
    Ok(verdict(checked, None, None))
}

fn parse_day(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| Error::InvalidInput(format!("not a date (YYYY-MM-DD): {text}")))
}

/// A LIKE pattern that matches `text` literally anywhere: `%`, `_` and the escape character
/// itself are escaped one by one (with `ESCAPE '\'`).
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// An FTS5 query for `text` as one literal phrase: inside double quotes every character is
/// data, and a double quote is written twice.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// The trigram index finds substrings of three characters or more; a shorter text is looked
/// for with LIKE (a scan, stopping at the page's end).
const TRIGRAM: usize = 3;

enum Text {
    None,
    Fts(String),
    Like(String),
}

/// Where the previous page ended: `<at>|<id>` of its last record.
#[derive(Debug, Clone)]
struct Cursor {
    at: String,
    id: i64,
}

impl Cursor {
    fn parse(text: &str) -> Result<Cursor> {
        let bad = || Error::InvalidInput(format!("not an audit page cursor: {text:?}"));
        let (at, id) = text.rsplit_once('|').ok_or_else(bad)?;
        let id = id.parse().map_err(|_| bad())?;
        if at.is_empty() {
            return Err(bad());
        }
        Ok(Cursor {
            at: at.to_owned(),
            id,
        })
    }

    fn of(entry: &AuditEntry) -> String {
        format!("{}|{}", entry.at, entry.id)
    }
}

/// The query, checked once.
struct Plan {
    text: Text,
    /// None: any action. Some: one of these (an exact name, or those under a prefix).
    actions: Option<Vec<String>>,
    outcome: Option<AuditOutcome>,
    from: Option<String>,
    to: Option<String>,
}

impl Plan {
    async fn new(pool: &SqlitePool, q: &AuditQuery) -> Result<Plan> {
        let text = match q.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Text::None,
            Some(t) if t.chars().count() >= TRIGRAM => Text::Fts(fts_phrase(t)),
            Some(t) => Text::Like(like_pattern(t)),
        };
        let actions = match q.action.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(prefix) if prefix.ends_with('.') => Some(actions_under(pool, prefix).await?),
            Some(action) => Some(vec![action.to_owned()]),
        };
        let from = match q.from_date.as_deref().filter(|d| !d.is_empty()) {
            Some(day) => Some(parse_day(day)?.format("%Y-%m-%d").to_string()),
            None => None,
        };
        let to = match q.to_date.as_deref().filter(|d| !d.is_empty()) {
            Some(day) => Some(
                parse_day(day)?
                    .succ_opt()
                    .ok_or_else(|| Error::InvalidInput("date out of range".into()))?
                    .format("%Y-%m-%d")
                    .to_string(),
            ),
            None => None,
        };
        Ok(Plan {
            text,
            actions,
            outcome: q.outcome,
            from,
            to,
        })
    }

    /// ` AND ...` for every filter but the text, on the columns of `a` (audit_log). With
    /// `actions` given, those replace the plan's own (one branch of a union).
    fn push_filters(&self, qb: &mut QueryBuilder<'_, Sqlite>, actions: Option<&[String]>) {
        match actions.or(self.actions.as_deref()) {
            None => {}
            Some([one]) => {
                qb.push(" AND a.action = ").push_bind(one.clone());
            }
            Some(many) => {
                qb.push(" AND a.action IN (");
                let mut list = qb.separated(", ");
                for action in many {
                    list.push_bind(action.clone());
                }
                qb.push(")");
            }
        }
        if let Some(outcome) = self.outcome {
            qb.push(" AND a.outcome = ").push_bind(outcome.as_str());
        }
        if let Some(from) = &self.from {
            qb.push(" AND a.at >= ").push_bind(from.clone());
        }
        if let Some(to) = &self.to {
            qb.push(" AND a.at < ").push_bind(to.clone());
        }
        if let Text::Like(pattern) = &self.text {
            qb.push(" AND (");
            for (i, col) in ["actor", "action", "subject_id", "customer_id", "detail"]
                .iter()
                .enumerate()
            {
                if i > 0 {
                    qb.push(" OR ");
                }
                qb.push("a.")
                    .push(*col)
                    .push(" LIKE ")
                    .push_bind(pattern.clone())
                    .push(" ESCAPE '\\'");
            }
            qb.push(")");
        }
    }

    /// `FROM ... WHERE <text match>`: through the trigram index for free text.
    fn push_from(&self, qb: &mut QueryBuilder<'_, Sqlite>) {
        match &self.text {
            Text::Fts(phrase) => {
                // CROSS JOIN keeps the trigram index as the outer loop (SQLite never reorders
                // it): matches stream newest first and the page stops the walk, where driving
                // from an action's index would probe the text index once per record.
                qb.push(
                    " FROM audit_fts CROSS JOIN audit_log a ON a.id = audit_fts.rowid \
                     WHERE audit_fts MATCH ",
                )
                .push_bind(phrase.clone());
            }
            Text::None | Text::Like(_) => {
                qb.push(" FROM audit_log a WHERE 1=1");
            }
        }
    }
}

/// The actions under `prefix` (ending in '.') that occur, found by hopping through the
/// action index one distinct name at a time: a few dozen seeks, not a walk over every record.
async fn actions_under(pool: &SqlitePool, prefix: &str) -> Result<Vec<String>> {
    let end = format!("{prefix}\u{10FFFF}");
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE acts(a) AS ( \
           SELECT MIN(action) FROM audit_log WHERE action >= ?1 AND action < ?2 \
           UNION ALL \
           SELECT (SELECT MIN(action) FROM audit_log WHERE action > acts.a AND action < ?2) \
           FROM acts WHERE acts.a IS NOT NULL) \
         SELECT a FROM acts WHERE a IS NOT NULL",
    )
    .bind(prefix)
    .bind(end)
    .fetch_all(pool)
    .await?)
}

const COLUMNS: &str = "a.id, a.at, a.actor_id, a.actor, a.action, a.subject_kind, a.subject_id, \
                       a.customer_id, a.outcome, a.detail";

/// Newest first, `limit` clamped to 1..=200, keyset paging. Without free text the order is
/// (time, id), walked along the index of the filter; with free text it is the record id (the
/// order of writing), walked along the trigram index, which yields records in id order.
pub async fn search(pool: &SqlitePool, q: &AuditQuery) -> Result<AuditPage> {
    let limit = i64::from(q.limit.clamp(1, 200));
    let cursor = q.after.as_deref().map(Cursor::parse).transpose()?;
    let plan = Plan::new(pool, q).await?;
    if plan.actions.as_ref().is_some_and(Vec::is_empty) {
        return Ok(AuditPage {
            entries: Vec::new(),
            total: Some(0).filter(|_| cursor.is_none()),
            total_capped: false,
            next: None,
        });
    }

    let mut select = QueryBuilder::<Sqlite>::new("");
    match (&plan.text, plan.actions.as_deref()) {
        (Text::None, Some(actions)) if actions.len() > 1 => {
            // One branch per action, each walking its own (action, at) index range; a single
            // `IN` would have to sort every match of every action before the first page.
            for (i, action) in actions.iter().enumerate() {
                if i > 0 {
                    select.push(" UNION ALL ");
                }
                select.push("SELECT * FROM (SELECT ").push(COLUMNS);
                plan.push_from(&mut select);
                plan.push_filters(&mut select, Some(std::slice::from_ref(action)));
                push_time_keyset(&mut select, cursor.as_ref());
                select
                    .push(" ORDER BY a.at DESC, a.id DESC LIMIT ")
                    .push_bind(limit + 1)
                    .push(")");
            }
            select
                .push(" ORDER BY at DESC, id DESC LIMIT ")
                .push_bind(limit + 1);
        }
        (Text::None, _) => {
            select.push("SELECT ").push(COLUMNS);
            plan.push_from(&mut select);
            plan.push_filters(&mut select, None);
            push_time_keyset(&mut select, cursor.as_ref());
            select
                .push(" ORDER BY a.at DESC, a.id DESC LIMIT ")
                .push_bind(limit + 1);
        }
        (Text::Fts(_) | Text::Like(_), _) => {
            select.push("SELECT ").push(COLUMNS);
            plan.push_from(&mut select);
            plan.push_filters(&mut select, None);
            // On the trigram index's own rowid, so it seeks to the cursor instead of walking
            // every newer match first.
            let (id, order) = if matches!(plan.text, Text::Fts(_)) {
                ("audit_fts.rowid", " ORDER BY audit_fts.rowid DESC LIMIT ")
            } else {
                ("a.id", " ORDER BY a.id DESC LIMIT ")
            };
            if let Some(cursor) = &cursor {
                select
                    .push(" AND ")
                    .push(id)
                    .push(" < ")
                    .push_bind(cursor.id);
            }
            select.push(order).push_bind(limit + 1);
        }
    }
    let rows = select.build().fetch_all(pool).await?;
    let mut entries = rows
        .iter()
        .map(entry_from_row)
        .collect::<Result<Vec<_>>>()?;
    let more = entries.len() > usize::try_from(limit).unwrap_or(usize::MAX);
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next = if more {
        entries.last().map(Cursor::of)
    } else {
        None
    };

    let (total, total_capped) = if cursor.is_none() && next.is_none() {
        // The whole result is on this page: its length is the count, without asking again
        // (for free text the second walk through the trigram index would double the cost).
        (
            Some(i64::try_from(entries.len()).unwrap_or(i64::MAX)),
            false,
        )
    } else if cursor.is_none() {
        let cap = if matches!(plan.text, Text::None) {
            TOTAL_CAP
        } else {
            TEXT_TOTAL_CAP
        };
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM (SELECT 1");
        plan.push_from(&mut count);
        plan.push_filters(&mut count, None);
        count.push(" LIMIT ").push_bind(cap + 1).push(")");
        let n: i64 = count.build_query_scalar().fetch_one(pool).await?;
        (Some(n.min(cap)), n > cap)
    } else {
        (None, false)
    };
    Ok(AuditPage {
        entries,
        total,
        total_capped,
        next,
    })
}

/// Older than the cursor in (at, id) order, as a range on `at` the index can seek to.
fn push_time_keyset(qb: &mut QueryBuilder<'_, Sqlite>, cursor: Option<&Cursor>) {
    if let Some(cursor) = cursor {
        qb.push(" AND a.at <= ")
            .push_bind(cursor.at.clone())
            .push(" AND (a.at < ")
            .push_bind(cursor.at.clone())
            .push(" OR a.id < ")
            .push_bind(cursor.id)
            .push(")");
    }
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

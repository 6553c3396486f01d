//! Escalation to a supervisor (issue 18 item 2): by hand with a reason, or by a rule of the
//! desk's configuration. A rule escalates an open case once; the escalated queue lists the open
//! cases with any escalation, and the case shows each with its rule and reason.

use super::case::{self, CaseHead, date_text};
use super::intake::LONG_TEXT;
use super::types::{ComplaintError, Severity, Text};
use crate::error::{Error, FieldError, Result};
use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

/// Settings key of the escalation rules (JSON).
pub const RULES_KEY: &str = "complaint_escalation_rules";

/// The rules that escalate a case without anyone asking. Each can be turned off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EscalationRules {
    /// Due within this many days (today counted) and untouched: no note, contact or clock step
    /// since it was registered. 0 turns the rule off.
    pub due_within_days: u32,
    /// Severity high or critical escalates at once.
    pub high_severity: bool,
    /// The complainant's cases received within `repeat_window_days`, this one included, that
    /// make a repeat complainant. 0 turns the rule off.
    pub repeat_min_cases: u32,
    pub repeat_window_days: u32,
}

impl Default for EscalationRules {
    fn default() -> Self {
        Self {
            due_within_days: 3,
            high_severity: true,
            repeat_min_cases: 2,
            repeat_window_days: 90,
        }
    }
}

/// Longest window (days) a rule may look at: a year.
pub const MAX_RULE_DAYS: u32 = 366;

impl EscalationRules {
    pub fn validate(&self) -> Vec<FieldError> {
        let mut refused = Vec::new();
        if self.due_within_days > MAX_RULE_DAYS {
            refused.push(FieldError::new("dueWithinDays", "policy_days_out_of_range"));
        }
        if self.repeat_min_cases == 1 || self.repeat_min_cases > 100 {
            // One case is no repeat: 0 (off) or 2 and more.
            refused.push(FieldError::new(
                "repeatMinCases",
                "escalation_repeat_cases_out_of_range",
            ));
        }
        if self.repeat_min_cases > 0
            && (self.repeat_window_days == 0 || self.repeat_window_days > MAX_RULE_DAYS)
        {
            refused.push(FieldError::new(
                "repeatWindowDays",
                "policy_days_out_of_range",
            ));
        }
        refused
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EscalationRule {
    ByHand,
    DueUntouched,
    SeverityHigh,
    RepeatComplainant,
}

impl EscalationRule {
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationRule::ByHand => "by_hand",
            EscalationRule::DueUntouched => "due_untouched",
            EscalationRule::SeverityHigh => "severity_high",
            EscalationRule::RepeatComplainant => "repeat_complainant",
        }
    }

    fn parse(text: &str) -> Result<EscalationRule> {
        [
            EscalationRule::ByHand,
            EscalationRule::DueUntouched,
            EscalationRule::SeverityHigh,
            EscalationRule::RepeatComplainant,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("unknown escalation rule {text:?}")))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Escalation {
    pub rule: EscalationRule,
    pub reason: String,
    /// Who escalated by hand; null when a rule did.
    pub escalated_by: Option<i64>,
    #[ts(type = "string")]
    pub escalated_on: NaiveDate,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EscalateInput {
    pub case_id: i64,
    pub reason: String,
}

pub async fn load_rules(conn: &mut SqliteConnection) -> Result<EscalationRules> {
    let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(RULES_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    match text {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| Error::Internal(anyhow::anyhow!("stored escalation rules: {e}"))),
        None => Ok(EscalationRules::default()),
    }
}

pub async fn save_rules(conn: &mut SqliteConnection, rules: &EscalationRules) -> Result<()> {
    let text = serde_json::to_string(rules).map_err(anyhow::Error::from)?;
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(RULES_KEY)
    .bind(text)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn of_case(conn: &mut SqliteConnection, case_id: i64) -> Result<Vec<Escalation>> {
    let rows = sqlx::query(
        "SELECT rule, reason, escalated_by, escalated_on FROM complaint_escalations \
         WHERE complaint_id = ? ORDER BY id",
    )
    .bind(case_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(Escalation {
                rule: EscalationRule::parse(r.try_get("rule")?)?,
                reason: r.try_get("reason")?,
                escalated_by: r.try_get("escalated_by")?,
                escalated_on: case::parse_date(r.try_get("escalated_on")?)?,
            })
        })
        .collect()
}

/// Inserts one escalation; false when the case already has one by that rule.
async fn insert(
    conn: &mut SqliteConnection,
    case_id: i64,
    rule: EscalationRule,
    reason: &str,
    by: Option<i64>,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO complaint_escalations \
         (complaint_id, rule, reason, escalated_by, escalated_on, at) VALUES (?,?,?,?,?,?) \
         ON CONFLICT (complaint_id, rule) DO NOTHING",
    )
    .bind(case_id)
    .bind(rule.as_str())
    .bind(reason)
    .bind(by)
    .bind(date_text(today))
    .bind(crate::audit::timestamp(now))
    .execute(&mut *conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// By hand, with a reason; refused when the case was already escalated by hand.
pub async fn by_hand(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    reason: &str,
    actor_id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Text> {
    let reason = Text::parse("reason", reason, LONG_TEXT)?;
    if !insert(
        conn,
        head.id,
        EscalationRule::ByHand,
        reason.as_str(),
        Some(actor_id),
        today,
        now,
    )
    .await?
    {
        return Err(ComplaintError::AlreadyEscalated {
            case_no: head.case_no.clone(),
        }
        .into());
    }
    Ok(reason)
}

/// A case a rule escalated, for the audit record the caller writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleHit {
    pub case_id: i64,
    pub case_no: String,
    pub customer_id: Option<String>,
    pub rule: EscalationRule,
    pub reason: String,
}

/// Applies every rule to the open cases and records the escalations they did not have yet.
pub async fn sweep(
    conn: &mut SqliteConnection,
    rules: &EscalationRules,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<Vec<RuleHit>> {
    let mut candidates: Vec<(i64, EscalationRule, String)> = Vec::new();
    if rules.due_within_days > 0 {
        // Today counts as the first of the N days: due within 3 days is today, +1, +2.
        let until = today
            .checked_add_days(Days::new(u64::from(rules.due_within_days - 1)))
            .unwrap_or(today);
        let rows = sqlx::query(
            "SELECT c.id, c.due_on FROM complaints c WHERE c.status = 'open' AND c.due_on <= ? \
             AND NOT EXISTS (SELECT 1 FROM complaint_notes n WHERE n.complaint_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM complaint_contacts x WHERE x.complaint_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM complaint_clock_events e WHERE e.complaint_id = c.id) \
             AND NOT EXISTS (SELECT 1 FROM complaint_escalations s \
                             WHERE s.complaint_id = c.id AND s.rule = 'due_untouched')",
        )
        .bind(date_text(until))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let due: String = r.try_get("due_on")?;
            candidates.push((
                r.try_get("id")?,
                EscalationRule::DueUntouched,
                format!("due {due}, untouched"),
            ));
        }
    }
    if rules.high_severity {
        let rows = sqlx::query(
            "SELECT c.id, c.severity FROM complaints c WHERE c.status IN ('open','paused') \
             AND c.severity IN (?, ?) \
             AND NOT EXISTS (SELECT 1 FROM complaint_escalations s \
                             WHERE s.complaint_id = c.id AND s.rule = 'severity_high')",
        )
        .bind(Severity::High.as_str())
        .bind(Severity::Critical.as_str())
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let severity: String = r.try_get("severity")?;
            candidates.push((
                r.try_get("id")?,
                EscalationRule::SeverityHigh,
                format!("severity {severity}"),
            ));
        }
    }
    if rules.repeat_min_cases > 0 {
        let since = today
            .checked_sub_days(Days::new(u64::from(rules.repeat_window_days)))
            .unwrap_or(today);
        // The same customer, or the same name and contact of someone who is not one; a review
        // case is the same complaint asked again, not a new one, and does not count.
        let rows = sqlx::query(
            "SELECT c.id, (SELECT COUNT(*) FROM complaints o WHERE o.review_of_id IS NULL \
               AND o.received_on >= ? AND ((c.customer_id IS NOT NULL AND o.customer_id = c.customer_id) \
                 OR (c.customer_id IS NULL AND o.prospect_name = c.prospect_name \
                     AND o.prospect_contact = c.prospect_contact))) AS n \
             FROM complaints c WHERE c.status IN ('open','paused') AND c.review_of_id IS NULL \
             AND c.received_on >= ? \
             AND NOT EXISTS (SELECT 1 FROM complaint_escalations s \
                             WHERE s.complaint_id = c.id AND s.rule = 'repeat_complainant')",
        )
        .bind(date_text(since))
        .bind(date_text(since))
        .fetch_all(&mut *conn)
        .await?;
        for r in rows {
            let n: i64 = r.try_get("n")?;
            if n >= i64::from(rules.repeat_min_cases) {
                candidates.push((
                    r.try_get("id")?,
                    EscalationRule::RepeatComplainant,
                    format!("{n} complaints in {} days", rules.repeat_window_days),
                ));
            }
        }
    }
    let mut hits = Vec::new();
    for (case_id, rule, reason) in candidates {
        if insert(conn, case_id, rule, &reason, None, today, now).await? {
            let head = case::head(conn, case_id).await?;
            hits.push(RuleHit {
                case_id,
                case_no: head.case_no,
                customer_id: head.customer_id,
                rule,
                reason,
            });
        }
    }
    Ok(hits)
}

/// Records that the customer was told of the running appraisal pause, and how.
#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PauseToldInput {
    pub case_id: i64,
    pub kind: super::types::ContactKind,
}

/// Marks the case's latest pause as told; refused when there is no pause, or it was told already.
pub async fn mark_pause_told(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    kind: super::types::ContactKind,
    now: DateTime<Utc>,
) -> Result<i64> {
    let latest: Option<(i64, Option<String>)> = sqlx::query_as(
        "SELECT id, customer_told_at FROM complaint_clock_events \
         WHERE complaint_id = ? AND kind = 'pause' ORDER BY id DESC LIMIT 1",
    )
    .bind(head.id)
    .fetch_optional(&mut *conn)
    .await?;
    match latest {
        Some((id, None)) => {
            sqlx::query(
                "UPDATE complaint_clock_events SET customer_told_at = ?, customer_told_by = ? \
                 WHERE id = ?",
            )
            .bind(crate::audit::timestamp(now))
            .bind(kind.as_str())
            .bind(id)
            .execute(&mut *conn)
            .await?;
            Ok(id)
        }
        Some((_, Some(_))) => Err(Error::conflict_on("caseId", "pause_already_told")),
        None => Err(Error::conflict_on("caseId", "clock_not_paused")),
    }
}

/// Settings key of what the last sweep saw (see `complaint_escalation_sweep`).
const SWEPT_KEY: &str = "complaint_escalation_swept";

async fn sweep_stamp(
    conn: &mut SqliteConnection,
    rules: &EscalationRules,
    today: NaiveDate,
) -> Result<String> {
    use std::hash::{Hash, Hasher};
    let newest: Option<i64> = sqlx::query_scalar("SELECT MAX(id) FROM complaints")
        .fetch_one(&mut *conn)
        .await?;
    let calendar: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(case::CALENDAR_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    calendar.hash(&mut hasher);
    let rules = serde_json::to_string(rules).map_err(anyhow::Error::from)?;
    Ok(format!(
        "{}|{rules}|{}|{:x}",
        date_text(today),
        newest.unwrap_or(0),
        hasher.finish()
    ))
}

fn rule_record(hit: &RuleHit) -> crate::audit::NewAudit {
    // No staff member acted: the desk's rule did, on the signed-in session's read.
    let mut rec = crate::audit::NewAudit::new(None, "rule", "complaint.escalated_by_rule")
        .subject("complaint", hit.case_no.clone())
        .detail(serde_json::json!({ "rule": hit.rule.as_str(), "reason": hit.reason }));
    rec.customer_id = hit.customer_id.clone();
    rec
}

impl crate::console::Console {
    /// Applies the escalation rules now (each hit audited in the same transaction).
    pub(super) async fn complaint_escalation_sweep(&self) -> Result<usize> {
        let now = self.now();
        let today = crate::clock::local_date(now);
        let mut tx = self.store().begin().await?;
        let rules = load_rules(&mut tx).await?;
        // A sweep reads every open case: over a million that is no queue page. What a rule
        // looks at changes only with the day, the rules, a new case or the calendar (severity
        // is fixed at intake; any other step touches the case, which a rule never undoes), so
        // the sweep is skipped while all four are as the last one saw them.
        let stamp = sweep_stamp(&mut tx, &rules, today).await?;
        let last: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
            .bind(SWEPT_KEY)
            .fetch_optional(&mut *tx)
            .await?;
        if last.as_deref() == Some(stamp.as_str()) {
            return Ok(0);
        }
        let hits = sweep(&mut tx, &rules, today, now).await?;
        for hit in &hits {
            crate::audit::append(&mut tx, now, rule_record(hit)).await?;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(SWEPT_KEY)
        .bind(&stamp)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(hits.len())
    }

    /// Escalates the case to a supervisor by hand, with a reason.
    pub async fn complaint_escalate(
        &self,
        input: EscalateInput,
    ) -> Result<super::work::ComplaintDetail> {
        let actor = self
            .authorize(crate::access::Permission::WorkComplaints)
            .await?;
        let now = self.now();
        let today = crate::clock::local_date(now);
        self.complaint_work(
            actor,
            "complaint.escalated",
            input.case_id,
            |tx, head, actor| {
                Box::pin(async move {
                    let reason =
                        by_hand(tx, head, &input.reason, actor.staff_id, today, now).await?;
                    Ok(serde_json::json!({ "rule": "by_hand", "reason": reason.as_str() }))
                })
            },
        )
        .await
    }

    /// Records that the customer was told of the appraisal pause (DOMAIN.md), and how.
    pub async fn complaint_pause_told(
        &self,
        input: PauseToldInput,
    ) -> Result<super::work::ComplaintDetail> {
        let actor = self
            .authorize(crate::access::Permission::WorkComplaints)
            .await?;
        let now = self.now();
        self.complaint_work(
            actor,
            "complaint.pause_told",
            input.case_id,
            |tx, head, _| {
                Box::pin(async move {
                    let event = mark_pause_told(tx, head, input.kind, now).await?;
                    Ok(serde_json::json!({ "eventId": event, "kind": input.kind.as_str() }))
                })
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escalation_rules_defaults_are_valid_and_one_case_is_no_repeat() {
        assert!(EscalationRules::default().validate().is_empty());
        let one = EscalationRules {
            repeat_min_cases: 1,
            ..EscalationRules::default()
        };
        assert_eq!(one.validate()[0].field, "repeatMinCases");
        let off = EscalationRules {
            due_within_days: 0,
            high_severity: false,
            repeat_min_cases: 0,
            repeat_window_days: 0,
        };
        assert!(off.validate().is_empty(), "every rule can be turned off");
    }
}

//! After an assisted setup: the take-home guide (printing audited) and the follow-up calls
//! (scheduled when the setup is done, on the rules' days; a queue per branch; each outcome
//! recorded, a fraud concern escalated to a supervisor as a "yes" is).

use super::rules::ElderStep;
use super::session::load_rules;
use crate::access::Permission;
use crate::audit::{self, NewAudit};
use crate::clock::local_date;
use crate::console::{Actor, Console};
use crate::documents::{BinaryFile, GuideInput, elder_guide, mask_wallet_id};
use crate::error::{Error, FieldError, Result};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqliteConnection};
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Reached, and the wallet works for them.
    Fine,
    NoAnswer,
    /// Reached, and they need help: staff arrange it (noted).
    NeedsHelp,
    /// Something sounds like fraud: escalated to a supervisor like a "yes" at the counter.
    FraudConcern,
}

impl CallOutcome {
    fn as_str(self) -> &'static str {
        match self {
            CallOutcome::Fine => "fine",
            CallOutcome::NoAnswer => "no_answer",
            CallOutcome::NeedsHelp => "needs_help",
            CallOutcome::FraudConcern => "fraud_concern",
        }
    }
    fn parse(text: &str) -> Option<CallOutcome> {
        [
            CallOutcome::Fine,
            CallOutcome::NoAnswer,
            CallOutcome::NeedsHelp,
            CallOutcome::FraudConcern,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpCall {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub session_id: i64,
    pub customer_name: String,
    pub customer_id: Option<String>,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub outcome: Option<CallOutcome>,
    pub note: Option<String>,
    pub recorded_at: Option<String>,
}

/// The branch's calls still to make: due today, and overdue (oldest first); and the ones
/// scheduled but not yet due, so staff see a finished setup's calls the day it finished.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FollowUpQueue {
    pub branch: String,
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub due_today: Vec<FollowUpCall>,
    pub overdue: Vec<FollowUpCall>,
    pub upcoming: Vec<FollowUpCall>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CallOutcomeInput {
    #[ts(type = "number")]
    pub call_id: i64,
    pub outcome: CallOutcome,
    pub note: String,
}

const CALL_COLUMNS: &str =
    "id, session_id, customer_name, customer_id, due_on, outcome, note, recorded_at";

fn call_from(r: &sqlx::sqlite::SqliteRow) -> Result<FollowUpCall> {
    let due: String = r.try_get("due_on")?;
    let outcome: Option<String> = r.try_get("outcome")?;
    Ok(FollowUpCall {
        id: r.try_get("id")?,
        session_id: r.try_get("session_id")?,
        customer_name: r.try_get("customer_name")?,
        customer_id: r.try_get("customer_id")?,
        due_on: NaiveDate::parse_from_str(&due, "%Y-%m-%d").map_err(anyhow::Error::from)?,
        outcome: outcome.as_deref().and_then(CallOutcome::parse),
        note: r.try_get("note")?,
        recorded_at: r.try_get("recorded_at")?,
    })
}

/// The customer's follow-up calls, for the Customer 360 (newest due first).
pub(crate) async fn calls_of_customer(
    conn: &mut SqliteConnection,
    customer_id: &str,
) -> Result<Vec<FollowUpCall>> {
    sqlx::query(&format!(
        "SELECT {CALL_COLUMNS} FROM elder_follow_ups WHERE customer_id = ? ORDER BY due_on DESC, id DESC LIMIT 20"
    ))
    .bind(customer_id)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(call_from)
    .collect()
}

/// Schedules the rules' follow-up calls for a session that just finished, in the caller's
/// transaction (the one that moved it to done), and audits them there.
pub(crate) async fn schedule(
    tx: &mut crate::store::WriteTx,
    console: &Console,
    actor: &Actor,
    session_id: i64,
) -> Result<Vec<NaiveDate>> {
    let rules = load_rules(tx).await?;
    let branch = console.policy().await?.branch;
    let r = sqlx::query("SELECT customer_name, customer_id FROM elder_sessions WHERE id = ?")
        .bind(session_id)
        .fetch_one(&mut **tx)
        .await?;
    let name: String = r.try_get("customer_name")?;
    let customer: Option<String> = r.try_get("customer_id")?;
    let dates = rules.follow_up_dates(local_date(console.now()));
    for on in &dates {
        sqlx::query(
            "INSERT INTO elder_follow_ups (session_id, branch, customer_name, customer_id, due_on) \
             VALUES (?, ?, ?, ?, ?)",
        )
        .bind(session_id)
        .bind(&branch)
        .bind(&name)
        .bind(&customer)
        .bind(on.format("%Y-%m-%d").to_string())
        .execute(&mut **tx)
        .await?;
    }
    let mut rec = NewAudit::new(
        Some(actor.staff_id),
        actor.username.clone(),
        "elder.follow_ups_scheduled",
    )
    .subject("elder_session", session_id.to_string())
    .detail(json!({ "dueOn": dates.iter().map(|d| d.to_string()).collect::<Vec<_>>() }));
    rec.customer_id = customer;
    audit::append(tx, console.now(), rec).await?;
    Ok(dates)
}

impl Console {
    /// This branch's follow-up calls due today and overdue, and the next ones scheduled.
    pub async fn elder_follow_ups(&self) -> Result<FollowUpQueue> {
        self.authorize(Permission::AssistElder).await?;
        let branch = self.policy().await?.branch;
        let today = local_date(self.now());
        let day = today.format("%Y-%m-%d").to_string();
        let rows = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS} FROM elder_follow_ups \
             WHERE branch = ? AND outcome IS NULL AND due_on <= ? ORDER BY due_on, id LIMIT 500"
        ))
        .bind(&branch)
        .bind(&day)
        .fetch_all(self.store().read())
        .await?;
        let calls = rows.iter().map(call_from).collect::<Result<Vec<_>>>()?;
        let (due_today, overdue): (Vec<_>, Vec<_>) =
            calls.into_iter().partition(|c| c.due_on == today);
        let upcoming = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS} FROM elder_follow_ups \
             WHERE branch = ? AND outcome IS NULL AND due_on > ? ORDER BY due_on, id LIMIT 100"
        ))
        .bind(&branch)
        .bind(&day)
        .fetch_all(self.store().read())
        .await?
        .iter()
        .map(call_from)
        .collect::<Result<Vec<_>>>()?;
        Ok(FollowUpQueue {
            branch,
            today,
            due_today,
            overdue,
            upcoming,
        })
    }

    /// Records a call's outcome (once). A fraud concern goes to a supervisor's inbox.
    pub async fn elder_follow_up_record(&self, input: CallOutcomeInput) -> Result<FollowUpCall> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let note = input.note.trim().to_owned();
        if note.chars().count() > 500 || (note.is_empty() && input.outcome != CallOutcome::Fine) {
            return Err(Error::field("note", "text_length"));
        }
        let mut tx = self.store().begin().await?;
        let r = sqlx::query(
            "SELECT session_id, customer_id, outcome FROM elder_follow_ups WHERE id = ?",
        )
        .bind(input.call_id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| Error::NotFound(format!("follow-up call {}", input.call_id)))?;
        let session_id: i64 = r.try_get("session_id")?;
        let customer: Option<String> = r.try_get("customer_id")?;
        let done: Option<String> = r.try_get("outcome")?;
        if done.is_some() {
            return Err(Error::ConflictOn(FieldError::new(
                "call",
                "elder_call_recorded",
            )));
        }
        let now = self.now();
        let at = audit::timestamp(now);
        sqlx::query(
            "UPDATE elder_follow_ups SET outcome = ?, note = ?, recorded_by = ?, recorded_at = ? \
             WHERE id = ?",
        )
        .bind(input.outcome.as_str())
        .bind(&note)
        .bind(actor.staff_id)
        .bind(&at)
        .bind(input.call_id)
        .execute(&mut *tx)
        .await?;
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "elder.follow_up_recorded",
        )
        .subject("elder_session", session_id.to_string())
        .detail(
            json!({ "callId": input.call_id, "outcome": input.outcome.as_str(), "note": note }),
        );
        rec.customer_id = customer.clone();
        audit::append(&mut tx, now, rec).await?;
        if input.outcome == CallOutcome::FraudConcern {
            let escalation: i64 = sqlx::query_scalar(
                "INSERT INTO elder_escalations (session_id, cause, raised_by, raised_at) \
                 VALUES (?, ?, ?, ?) RETURNING id",
            )
            .bind(session_id)
            .bind(format!("follow_up_call: {note}"))
            .bind(actor.staff_id)
            .bind(&at)
            .fetch_one(&mut *tx)
            .await?;
            let mut rec = NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "elder.escalated",
            )
            .subject("elder_session", session_id.to_string())
            .detail(json!({ "escalationId": escalation, "cause": "follow_up_call" }));
            rec.customer_id = customer;
            audit::append(&mut tx, now, rec).await?;
        }
        let call = sqlx::query(&format!(
            "SELECT {CALL_COLUMNS} FROM elder_follow_ups WHERE id = ?"
        ))
        .bind(input.call_id)
        .fetch_one(&mut *tx)
        .await?;
        let call = call_from(&call)?;
        tx.commit().await?;
        Ok(call)
    }

    /// The take-home guide of one of the signed-in staff member's sessions, from the guide
    /// step on; printing it is audited.
    pub async fn elder_guide(&self, session_id: i64) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::AssistElder).await?;
        let mut conn = self.store().read().acquire().await?;
        let r = sqlx::query(
            "SELECT staff_id, customer_name, customer_id, step FROM elder_sessions WHERE id = ?",
        )
        .bind(session_id)
        .fetch_optional(&mut *conn)
        .await?
        .filter(|r| r.try_get::<i64, _>("staff_id").ok() == Some(actor.staff_id))
        .ok_or_else(|| Error::NotFound(format!("elder session {session_id}")))?;
        let step: String = r.try_get("step")?;
        if !matches!(
            ElderStep::parse(&step),
            Some(ElderStep::Guide | ElderStep::Done)
        ) {
            return Err(Error::ConflictOn(FieldError::new(
                "step",
                "elder_guide_not_yet",
            )));
        }
        let name: String = r.try_get("customer_name")?;
        let customer: Option<String> = r.try_get("customer_id")?;
        let rules = load_rules(&mut conn).await?;
        let first_call: Option<String> =
            sqlx::query_scalar("SELECT MIN(due_on) FROM elder_follow_ups WHERE session_id = ?")
                .bind(session_id)
                .fetch_one(&mut *conn)
                .await?;
        let wallet: Option<String> = match &customer {
            Some(id) => {
                sqlx::query_scalar(
                    "SELECT id FROM core_records WHERE kind = 'wallet' AND customer_id = ? \
                 ORDER BY id LIMIT 1",
                )
                .bind(id)
                .fetch_optional(&mut *conn)
                .await?
            }
            None => None,
        };
        drop(conn);
        let today = local_date(self.now());
        let staff_name = crate::staff::find_by_id(self.store().read(), actor.staff_id)
            .await?
            .display_name;
        let first_call_on = match first_call {
            Some(d) => {
                Some(NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(anyhow::Error::from)?)
            }
            None => rules.follow_up_dates(today).first().copied(),
        };
        let input = GuideInput {
            customer_name: name,
            masked_wallet_id: wallet.as_deref().map(mask_wallet_id),
            steps_done: vec![
                "回答了四个防骗安全问题。".to_owned(),
                "开通了数字钱包。".to_owned(),
                "在工作人员陪同下练习了一次付款（练习不用真钱）。".to_owned(),
                "拿到了这份大字说明书。".to_owned(),
            ],
            slogan: rules.slogan.clone(),
            hotline: rules.hotline.clone(),
            branch_name: self.policy().await?.branch,
            branch_phone: rules.branch_phone.clone(),
            staff_name,
            first_call_on,
            date: today,
        };
        let bytes = elder_guide(&input)?;
        let mut tx = self.store().begin().await?;
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "elder.guide_printed",
        )
        .subject("elder_session", session_id.to_string())
        .detail(json!({ "bytes": bytes.len() }));
        rec.customer_id = customer;
        audit::append(&mut tx, self.now(), rec).await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name: format!("elder-guide-{session_id}.pdf"),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }
}

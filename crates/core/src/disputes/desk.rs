//! The dispute desk's store and commands. Each command: authorize → rule → one transaction
//! holding the change, its audit record and, for every step the core must hear of, its
//! outbox operation (sent with its own idempotency key, so a retry never applies twice). A
//! step a rule refuses is rolled back and audited as refused, as on the complaint desk.

use super::attachments::AttachmentInput;
use super::config::{self, DisputeConfig};
use super::policy::{DisputeClock, DisputeFacts, DisputeRuleError, PolicySet, chargeback_deadline};
use crate::access::Permission;
use crate::audit::{self, AuditOutcome, NewAudit};
use crate::calendar::BusinessCalendar;
use crate::clock::local_date;
use crate::complaints::ClockStatus;
use crate::complaints::case::load_calendar;
use crate::console::{Actor, Console};
use crate::documents::{BinaryFile, DisputeLetterBody, DisputeLetterInput, DisputeLetterKind};
use crate::domain::Money;
use crate::error::{Error, Result};
use crate::sync::{NewOperation, OutboxState, outbox};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use sqlx::{Row, SqliteConnection};
use std::future::Future;
use ts_rs::TS;

/// The outbox operations a dispute sends (the corebank adapter's names); the team store's
/// dispute steps name the same.
pub(crate) mod op {
    pub const OPEN: &str = "dispute.open"; // an outbox kind, not an audit action
    pub const EVIDENCE: &str = "dispute.evidence"; // an outbox kind
    pub const CREDIT: &str = "dispute.provisional_credit"; // an outbox kind
    pub const DECIDE: &str = "dispute.decide"; // an outbox kind
    pub const REVERSE: &str = "dispute.reverse"; // an outbox kind
    pub const CHARGEBACK: &str = "dispute.chargeback"; // an outbox kind
}

/// Printed on every letter until the bank's own names are configured (as the complaint
/// letters do).
const LETTER_BANK_NAME: &str = "演示银行股份有限公司";
const LETTER_HOTLINE: &str = "95xxx";

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeLetterRequest {
    pub dispute_id: i64,
    pub kind: DisputeLetterKind,
}

/// How many of a wallet's newest movements the desk searches for the disputed one.
const LOOKUP_MOVEMENTS: u32 = 100;
const MAX_TEXT: usize = 2000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DisputeStatus {
    Open,
    DecidedCustomer,
    DecidedBank,
}

impl DisputeStatus {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::DecidedCustomer => "decided_customer",
            DisputeStatus::DecidedBank => "decided_bank",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        Ok(match text {
            "open" => DisputeStatus::Open,
            "decided_customer" => DisputeStatus::DecidedCustomer,
            "decided_bank" => DisputeStatus::DecidedBank,
            other => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "unknown dispute status {other:?} in the store"
                )));
            }
        })
    }
}

/// The evidence types DOMAIN.md's dispute handler collects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum EvidenceKind {
    Receipt,
    Statement,
    MerchantCorrespondence,
    PoliceReport,
    ClaimantId,
    Screenshot,
    CallRecord,
    Other,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::Receipt => "receipt",
            EvidenceKind::Statement => "statement",
            EvidenceKind::MerchantCorrespondence => "merchant_correspondence",
            EvidenceKind::PoliceReport => "police_report",
            EvidenceKind::ClaimantId => "claimant_id",
            EvidenceKind::Screenshot => "screenshot",
            EvidenceKind::CallRecord => "call_record",
            EvidenceKind::Other => "other",
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Self> {
        serde_json::from_value(json!(snake_to_camel(text)))
            .map_err(|_| Error::Internal(anyhow::anyhow!("unknown evidence kind {text:?}")))
    }
}

fn snake_to_camel(text: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for ch in text.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenDisputeInput {
    pub customer_id: String,
    /// The core's transaction reference, as the Customer 360 lists it.
    pub transaction_id: String,
    /// A code of the deployment's reason list.
    pub reason: String,
    /// The statement that first showed it (Regulation E's 60 days), when known.
    #[ts(type = "string | null")]
    pub statement_on: Option<NaiveDate>,
    /// When the wallet was opened (Regulation E's new accounts), when known.
    #[ts(type = "string | null")]
    pub account_opened_on: Option<NaiveDate>,
    pub point_of_sale: bool,
    pub foreign: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceInput {
    pub dispute_id: i64,
    pub kind: EvidenceKind,
    pub description: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeTextInput {
    pub dispute_id: i64,
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeAssignInput {
    pub dispute_id: i64,
    /// `None` returns the dispute to the unassigned queue.
    pub assignee_id: Option<i64>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreditDecisionInput {
    pub proposal_id: i64,
    pub approve: bool,
    /// Required when refusing: the handler needs to know why.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeDecisionInput {
    pub dispute_id: i64,
    pub for_customer: bool,
    pub findings: String,
    /// China e-payment: the bank proved the user at fault (needed to decide an unauthorised
    /// payment for the bank).
    pub user_fault_proven: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EvidenceRow {
    pub id: i64,
    pub kind: EvidenceKind,
    pub description: String,
    pub added_by: String,
    pub added_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CreditProposalRow {
    pub id: i64,
    pub note: String,
    pub proposed_by: String,
    pub proposed_at: String,
    /// "pending", "approved" or "refused".
    pub status: String,
    pub decided_by: Option<String>,
    pub decision_note: Option<String>,
}

/// A money step sent to the core, and how far it has got.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MoneyStep {
    /// The outbox kind: "dispute.provisional_credit", "dispute.decide", "dispute.reverse",
    /// "dispute.chargeback".
    pub kind: String,
    pub state: OutboxState,
    pub attention_reason: Option<String>,
    /// What staff should do now, as a code the UI words (`disputes.advice.<code>`): a reversal
    /// the core refused because the money is spent is `reversal_spent`.
    pub advice: Option<String>,
}

/// Every deadline of the dispute under its policy set; `None` where the set has none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeDeadlines {
    #[ts(type = "string | null")]
    pub act_by: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub report_by: Option<NaiveDate>,
    pub reported_in_time: Option<bool>,
    #[ts(type = "string")]
    pub investigate_by: NaiveDate,
    #[ts(type = "string | null")]
    pub provisional_credit_by: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub tell_credit_by: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub extended_by: Option<NaiveDate>,
    #[ts(type = "string")]
    pub chargeback_by: NaiveDate,
}

/// The steps the signed-in staff member may take on the dispute now (core decides; the
/// screen shows only these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeSteps {
    pub add_evidence: bool,
    pub propose_credit: bool,
    pub record_told: bool,
    pub extend: bool,
    pub decide: bool,
    pub chargeback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeDetail {
    pub id: i64,
    pub case_no: String,
    pub transaction_id: String,
    pub customer_id: String,
    pub wallet_id: String,
    pub amount: Money,
    pub counterparty: String,
    #[ts(type = "string")]
    pub transaction_on: NaiveDate,
    pub reason: String,
    pub policy: PolicySet,
    pub facts: DisputeFacts,
    pub status: DisputeStatus,
    pub assignee_id: Option<i64>,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub clock: ClockStatus,
    pub deadlines: DisputeDeadlines,
    #[ts(type = "string | null")]
    pub credit_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub told_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub extended_on: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub decided_on: Option<NaiveDate>,
    pub findings: Option<String>,
    #[ts(type = "string | null")]
    pub chargeback_on: Option<NaiveDate>,
    pub evidence: Vec<EvidenceRow>,
    pub attachments: Vec<super::attachments::AttachmentRow>,
    pub proposals: Vec<CreditProposalRow>,
    pub money_steps: Vec<MoneyStep>,
    pub steps: DisputeSteps,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum DisputeQueueKind {
    Mine,
    Team,
    Unassigned,
    DueSoon,
    Overdue,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeCursor {
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeQueueQuery {
    pub queue: DisputeQueueKind,
    pub after: Option<DisputeCursor>,
    /// 1-200; 0 means the default of 50.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeQueueRow {
    pub id: i64,
    pub case_no: String,
    pub customer_id: String,
    pub amount: Money,
    pub reason: String,
    pub assignee_id: Option<i64>,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub clock: ClockStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisputeQueuePage {
    pub rows: Vec<DisputeQueueRow>,
    /// The cursor for the next page; `None` on the last.
    pub next: Option<DisputeCursor>,
}

/// What waits for a supervisor: complaint extensions and provisional credits, one inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum ApprovalKind {
    ComplaintExtension,
    DisputeCredit,
    /// An elder-assisted setup stopped by an anti-fraud "yes" (issue 13): decided with
    /// `elder_resolve`.
    ElderEscalation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalItem {
    pub kind: ApprovalKind,
    /// The extension's or the proposal's id: what the approving command takes.
    pub id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    /// The amount to credit, for a dispute.
    pub amount: Option<Money>,
    /// Whether the signed-in supervisor may decide it (never the one who asked).
    pub may_decide: bool,
}

/// A dispute as stored, before it is shown.
#[derive(Debug, Clone)]
struct Head {
    id: i64,
    case_no: String,
    transaction_id: String,
    customer_id: String,
    wallet_id: String,
    amount_fen: i64,
    counterparty: String,
    reason: String,
    policy: PolicySet,
    facts: DisputeFacts,
    status: DisputeStatus,
    assignee_id: Option<i64>,
    credit_on: Option<NaiveDate>,
    told_on: Option<NaiveDate>,
    extended_on: Option<NaiveDate>,
    decided_on: Option<NaiveDate>,
    findings: Option<String>,
    chargeback_on: Option<NaiveDate>,
    open_outbox_id: i64,
}

fn date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, "%Y-%m-%d")
            .map_err(|e| Error::Internal(anyhow::anyhow!("stored date {t:?}: {e}")))
    })
    .transpose()
}

fn need_date(text: String) -> Result<NaiveDate> {
    date(Some(text))?.ok_or_else(|| Error::Internal(anyhow::anyhow!("missing date")))
}

async fn head(conn: &mut SqliteConnection, id: i64) -> Result<Head> {
    let row = sqlx::query("SELECT * FROM disputes WHERE id = ?")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
        .ok_or_else(|| Error::NotFound(format!("dispute {id}")))?;
    let policy: String = row.try_get("policy")?;
    let policy: PolicySet = serde_json::from_str(&policy).map_err(anyhow::Error::from)?;
    let transaction_on = need_date(row.try_get("transaction_on")?)?;
    Ok(Head {
        id,
        case_no: row.try_get("case_no")?,
        transaction_id: row.try_get("transaction_id")?,
        customer_id: row.try_get("customer_id")?,
        wallet_id: row.try_get("wallet_id")?,
        amount_fen: row.try_get("amount_fen")?,
        counterparty: row.try_get("counterparty")?,
        reason: row.try_get("reason")?,
        policy,
        facts: DisputeFacts {
            transaction_on,
            notice_on: need_date(row.try_get("notice_on")?)?,
            statement_on: date(row.try_get("statement_on")?)?,
            account_opened_on: date(row.try_get("account_opened_on")?)?,
            point_of_sale: row.try_get("point_of_sale")?,
            foreign: row.try_get("foreign_tx")?,
        },
        status: DisputeStatus::parse(&row.try_get::<String, _>("status")?)?,
        assignee_id: row.try_get("assignee_id")?,
        credit_on: date(row.try_get("credit_on")?)?,
        told_on: date(row.try_get("told_on")?)?,
        extended_on: date(row.try_get("extended_on")?)?,
        decided_on: date(row.try_get("decided_on")?)?,
        findings: row.try_get("findings")?,
        chargeback_on: date(row.try_get("chargeback_on")?)?,
        open_outbox_id: row.try_get("open_outbox_id")?,
    })
}

/// The clock replayed from the stored events.
fn clock_of(head: &Head, cal: &BusinessCalendar) -> Result<DisputeClock> {
    replay_clock(
        head.policy,
        head.facts,
        [
            head.credit_on,
            head.told_on,
            head.extended_on,
            head.decided_on,
        ],
        cal,
    )
}

/// A dispute's clock replayed from its stored event dates (credit given, customer told,
/// extended, decided, in that order), through the same rule functions that allowed each step
/// when it was taken. Both stores (the console's and the team's) replay with this.
pub(crate) fn replay_clock(
    policy: PolicySet,
    facts: DisputeFacts,
    [credit_on, told_on, extended_on, decided_on]: [Option<NaiveDate>; 4],
    cal: &BusinessCalendar,
) -> Result<DisputeClock> {
    let mut clock = DisputeClock::new(policy, facts).map_err(rule)?;
    if let Some(on) = credit_on {
        clock = clock.credit_given(on).map_err(rule)?;
    }
    if let Some(on) = told_on {
        clock = clock.customer_told(on).map_err(rule)?;
    }
    if let Some(on) = extended_on {
        clock = clock.extend(on, cal).map_err(rule)?;
    }
    if let Some(on) = decided_on {
        clock = clock.decide(on).map_err(rule)?;
    }
    Ok(clock)
}

/// Every deadline of a dispute under its policy set. A reason no longer in the deployment's
/// list has no chargeback window of its own: its chargeback deadline shows as the case's due
/// date.
pub(crate) fn deadlines_of(
    clock: &DisputeClock,
    reason: Option<&super::reasons::ReasonCode>,
    cal: &BusinessCalendar,
) -> Result<DisputeDeadlines> {
    let chargeback_by = match reason {
        Some(r) => chargeback_deadline(clock.facts().transaction_on, r, cal).map_err(rule)?,
        None => clock.due_date(cal).map_err(rule)?,
    };
    Ok(DisputeDeadlines {
        act_by: clock.act_by(cal).map_err(rule)?,
        report_by: clock.report_by(cal).map_err(rule)?,
        reported_in_time: clock.reported_in_time(cal).map_err(rule)?,
        investigate_by: clock.investigate_by(cal).map_err(rule)?,
        provisional_credit_by: clock.provisional_credit_by(cal).map_err(rule)?,
        tell_credit_by: clock.tell_credit_by(cal).map_err(rule)?,
        extended_by: clock.extended_by(cal).map_err(rule)?,
        chargeback_by,
    })
}

impl DisputeSteps {
    /// The next steps the rules allow on a dispute today. `live_proposal`: a provisional
    /// credit proposal waits or was approved; `chargeback_filed`: one was filed already.
    pub(crate) fn allowed(
        clock: &DisputeClock,
        live_proposal: bool,
        chargeback_filed: bool,
        chargeback_by: NaiveDate,
        today: NaiveDate,
        cal: &BusinessCalendar,
    ) -> DisputeSteps {
        let open = clock.decided_on().is_none();
        let is_reg_e = matches!(clock.policy(), PolicySet::UsRegulationE(_));
        DisputeSteps {
            add_evidence: open,
            propose_credit: open && clock.credit_on().is_none() && !live_proposal,
            record_told: open && clock.credit_on().is_some() && clock.told_on().is_none(),
            extend: open
                && is_reg_e
                && clock.extended_on().is_none()
                && clock.extend(today, cal).is_ok(),
            decide: open,
            chargeback: open && !chargeback_filed && today <= chargeback_by,
        }
    }
}

/// The reason code a dispute opens under: one of the deployment's list.
pub(crate) fn reason_for(cfg: &DisputeConfig, code: &str) -> Result<super::reasons::ReasonCode> {
    cfg.reasons
        .get(code)
        .cloned()
        .ok_or_else(|| Error::field("reason", "dispute_reason_unknown"))
}

/// The reason a decision is checked under: a code since removed from the list still decides,
/// with the default window, unauthorised only if it was named so.
pub(crate) fn decision_reason(cfg: &DisputeConfig, code: &str) -> super::reasons::ReasonCode {
    cfg.reasons
        .get(code)
        .cloned()
        .unwrap_or_else(|| super::reasons::ReasonCode {
            code: code.to_owned(),
            chargeback_window_days: super::reasons::DEFAULT_CHARGEBACK_DAYS,
            unauthorised: code == "unauthorised",
        })
}

/// The core's transaction reference as staff typed it (full-width digits from an IME too).
pub(crate) fn transaction_ref(typed: &str) -> String {
    crate::domain::normalize_typed(typed).trim().to_owned()
}

/// The facts a dispute's clock counts from: the transaction as the core listed it (only a
/// payment out is disputed), the notice today, and what staff entered. Also its amount in fen.
pub(crate) fn facts_from_core(
    input: &OpenDisputeInput,
    found: &crate::corelink::LiveTransaction,
    today: NaiveDate,
) -> Result<(DisputeFacts, i64)> {
    if found.direction != "out" {
        return Err(Error::field("transactionId", "dispute_not_a_payment_out"));
    }
    let transaction_on = DateTime::parse_from_rfc3339(&found.at)
        .map(|at| local_date(at.with_timezone(&Utc)))
        .map_err(|e| Error::Internal(anyhow::anyhow!("core time {:?}: {e}", found.at)))?;
    let amount_fen = found
        .amount
        .to_minor_units()
        .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
    Ok((
        DisputeFacts {
            transaction_on,
            notice_on: today,
            statement_on: input.statement_on,
            account_opened_on: input.account_opened_on,
            point_of_sale: input.point_of_sale,
            foreign: input.foreign,
        },
        amount_fen,
    ))
}

/// A rule's refusal as the stable code the UI words (`errors.detail.<code>`).
pub(crate) fn rule(err: DisputeRuleError) -> Error {
    let code = match &err {
        DisputeRuleError::InvalidPolicy { .. } | DisputeRuleError::Calendar(_) => {
            return Error::Internal(anyhow::anyhow!("{err}"));
        }
        DisputeRuleError::NoticeBeforeTransaction { .. } => "dispute_notice_before_transaction",
        DisputeRuleError::Decided { .. } => "dispute_decided",
        DisputeRuleError::OutOfOrder { .. } => "dispute_out_of_order",
        DisputeRuleError::CreditAlreadyGiven { .. } => "dispute_credit_already_given",
        DisputeRuleError::NoCreditToTell => "dispute_no_credit_to_tell",
        DisputeRuleError::NoExtensionUnderPolicy => "dispute_no_extension_under_policy",
        DisputeRuleError::AlreadyExtended { .. } => "dispute_already_extended",
        DisputeRuleError::ExtensionNeedsCredit { .. } => "dispute_extension_needs_credit",
        DisputeRuleError::ExtensionTooLate { .. } => "dispute_extension_too_late",
        DisputeRuleError::UserFaultNotProven => "dispute_user_fault_not_proven",
        DisputeRuleError::ChargebackWindowClosed { .. } => "dispute_chargeback_window_closed",
    };
    tracing::info!(reason = %err, "a dispute rule refused the step");
    Error::conflict_on("dispute", code)
}

pub(crate) fn text(field: &str, value: &str) -> Result<String> {
    let value = value.trim();
    if value.is_empty() || value.chars().count() > MAX_TEXT {
        return Err(Error::field(field, "dispute_text_length"));
    }
    Ok(value.to_owned())
}

fn record(actor: &Actor, action: &'static str, head: &Head) -> NewAudit {
    let mut rec = NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
        .subject("dispute", head.case_no.clone());
    rec.customer_id = Some(head.customer_id.clone());
    rec
}

/// Stores the deadline in force after an event, for the queues.
async fn save_due(conn: &mut SqliteConnection, id: i64, due: NaiveDate, now: &str) -> Result<()> {
    sqlx::query("UPDATE disputes SET due_on = ?, updated_at = ? WHERE id = ?")
        .bind(due.to_string())
        .bind(now)
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// After a calendar correction: every open dispute's deadline counted again on the new
/// calendar, in the caller's transaction, so the queues' due dates never keep the old
/// calendar's answer. Returns how many moved. A case whose stored steps the new calendar no
/// longer allows (an extension now past its window) keeps its deadline: the correction must
/// not undo a step already taken, and the case number is logged for a supervisor to look at.
pub(crate) async fn recompute_open_due(
    conn: &mut SqliteConnection,
    cal: &BusinessCalendar,
    now: &str,
) -> Result<u64> {
    let open: Vec<(i64, String)> =
        sqlx::query_as("SELECT id, due_on FROM disputes WHERE status = 'open' ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut moved = 0;
    for (id, stored) in open {
        let head = head(&mut *conn, id).await?;
        let due = match clock_of(&head, cal).and_then(|c| c.due_date(cal).map_err(rule)) {
            Ok(due) => due,
            Err(err) => {
                tracing::warn!(case = %head.case_no, %err, "calendar correction left a dispute's deadline as it was");
                continue;
            }
        };
        if due.to_string() != stored {
            save_due(&mut *conn, id, due, now).await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Every dispute step after the opening goes to the same aggregate, so the core hears them
/// in order, and names the core's dispute through the opening's answer.
fn step_operation(
    head: &Head,
    kind: &str,
    body: serde_json::Value,
    summary: String,
) -> NewOperation {
    NewOperation {
        aggregate: format!("dispute:{}", head.transaction_id),
        kind: kind.to_owned(),
        subject: Some(outbox::result_of(head.open_outbox_id)),
        body,
        summary,
        record_ref: Some(format!("dispute:{}", head.id)),
    }
}

impl Console {
    fn dispute_today(&self) -> NaiveDate {
        local_date(self.now())
    }

    /// The transaction a dispute is opened on, as the core lists it today among the newest
    /// movements of the customer's wallets (the desk disputes what the core holds, never a
    /// copy typed in). Both the console's desk and the team queue open disputes through this.
    pub(crate) async fn disputed_transaction(
        &self,
        customer_id: &str,
        transaction_id: &str,
    ) -> Result<crate::corelink::LiveTransaction> {
        let wallets: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM core_records WHERE customer_id = ? AND kind = 'wallet' ORDER BY id",
        )
        .bind(customer_id)
        .fetch_all(self.store().read())
        .await?;
        let core = self.engine()?.core();
        for wallet in &wallets {
            let movements = core
                .recent_transactions(wallet, LOOKUP_MOVEMENTS)
                .await
                .map_err(Error::from)?;
            if let Some(t) = movements.into_iter().find(|t| t.id == transaction_id) {
                return Ok(t);
            }
        }
        Err(Error::field("transactionId", "dispute_transaction_unknown"))
    }

    /// Runs a step; a rule's refusal is audited after the step's transaction rolled back.
    async fn dispute_step<T>(
        &self,
        actor: &Actor,
        action: &'static str,
        dispute_id: Option<i64>,
        step: impl Future<Output = Result<T>>,
    ) -> Result<T> {
        match step.await {
            Err(err @ (Error::ConflictOn(_) | Error::InvalidFields(_))) => {
                let mut tx = self.store().begin().await?;
                let mut rec = NewAudit::new(Some(actor.staff_id), actor.username.clone(), action)
                    .outcome(AuditOutcome::Refused)
                    .detail(json!({ "reason": err.to_string() }));
                if let Some(id) = dispute_id {
                    let case_no: Option<String> =
                        sqlx::query_scalar("SELECT case_no FROM disputes WHERE id = ?")
                            .bind(id)
                            .fetch_optional(&mut *tx)
                            .await?;
                    rec = rec.subject("dispute", case_no.unwrap_or_else(|| id.to_string()));
                }
                audit::append(&mut tx, self.now(), rec).await?;
                tx.commit().await?;
                Err(err)
            }
            other => other,
        }
    }

    /// The deployment's policy set and reason codes, as the desk shows them.
    pub async fn dispute_config(&self) -> Result<DisputeConfig> {
        self.authorize(Permission::WorkDisputes).await?;
        let mut conn = self.store().read().acquire().await?;
        config::load(&mut conn).await
    }

    /// Opens a dispute on a payment out of one of the customer's wallets, pulled from the
    /// core (online: the desk disputes what the core holds, never a copy typed in). One
    /// dispute per transaction. The core hears of it through the outbox.
    pub async fn dispute_open(&self, input: OpenDisputeInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let transaction_id = transaction_ref(&input.transaction_id);
        let now = self.now();
        let today = local_date(now);
        let id = self
            .dispute_step(&actor, "dispute.open_refused", None, async {
                let mut conn = self.store().read().acquire().await?;
                let cfg = config::load(&mut conn).await?;
                let reason = reason_for(&cfg, &input.reason)?;
                let existing: Option<String> =
                    sqlx::query_scalar("SELECT case_no FROM disputes WHERE transaction_id = ?")
                        .bind(&transaction_id)
                        .fetch_optional(&mut *conn)
                        .await?;
                if existing.is_some() {
                    return Err(Error::conflict_on("transactionId", "dispute_exists"));
                }
                drop(conn);
                let found = self
                    .disputed_transaction(&input.customer_id, &transaction_id)
                    .await?;
                let (facts, amount_fen) = facts_from_core(&input, &found, today)?;
                let transaction_on = facts.transaction_on;
                let clock = DisputeClock::new(cfg.policy, facts).map_err(rule)?;
                let mut tx = self.store().begin().await?;
                let cal = load_calendar(&mut tx).await?;
                let due = clock.due_date(&cal).map_err(rule)?;
                let stamp = outbox::timestamp(now);
                let open_outbox = outbox::enqueue(
                    &mut tx,
                    self.engine()?.sealer(),
                    NewOperation {
                        aggregate: format!("dispute:{transaction_id}"),
                        kind: op::OPEN.into(),
                        subject: None,
                        body: json!({ "transactionId": transaction_id, "reason": reason.code }),
                        summary: format!("争议登记 交易 {transaction_id}"),
                        record_ref: None,
                    },
                    now,
                    Some(actor.staff_id),
                )
                .await?;
                let policy_json = serde_json::to_string(&cfg.policy).map_err(anyhow::Error::from)?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO disputes (case_no, transaction_id, customer_id, wallet_id, \
                     amount_fen, counterparty, transaction_on, reason, policy, notice_on, \
                     statement_on, account_opened_on, point_of_sale, foreign_tx, opened_by, \
                     due_on, open_outbox_id, opened_at, updated_at) \
                     VALUES ('', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                )
                .bind(&transaction_id)
                .bind(&input.customer_id)
                .bind(&found.wallet_id)
                .bind(amount_fen)
                .bind(&found.counterparty)
                .bind(transaction_on.to_string())
                .bind(&reason.code)
                .bind(policy_json)
                .bind(today.to_string())
                .bind(input.statement_on.map(|d| d.to_string()))
                .bind(input.account_opened_on.map(|d| d.to_string()))
                .bind(input.point_of_sale)
                .bind(input.foreign)
                .bind(actor.staff_id)
                .bind(due.to_string())
                .bind(open_outbox)
                .bind(&stamp)
                .bind(&stamp)
                .fetch_one(&mut *tx)
                .await?;
                let case_no = format!("DP-{}-{id:06}", today.format("%Y"));
                sqlx::query("UPDATE disputes SET case_no = ? WHERE id = ?")
                    .bind(&case_no)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE outbox SET record_ref = ? WHERE id = ?")
                    .bind(format!("dispute:{id}"))
                    .bind(open_outbox)
                    .execute(&mut *tx)
                    .await?;
                let head = head(&mut tx, id).await?;
                audit::append(
                    &mut tx,
                    now,
                    record(&actor, "dispute.opened", &head).detail(json!({
                        "transactionId": transaction_id,
                        "reason": reason.code,
                        "amount": found.amount.to_string(),
                        "dueOn": due,
                    })),
                )
                .await?;
                tx.commit().await?;
                Ok(id)
            })
            .await?;
        self.dispute_view(&actor, id).await
    }

    pub async fn dispute_get(&self, dispute_id: i64) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        self.dispute_view(&actor, dispute_id).await
    }

    async fn dispute_view(&self, actor: &Actor, id: i64) -> Result<DisputeDetail> {
        let mut conn = self.store().read().acquire().await?;
        let head = head(&mut conn, id).await?;
        let cal = load_calendar(&mut conn).await?;
        let cfg = config::load(&mut conn).await?;
        let today = self.dispute_today();
        let clock = clock_of(&head, &cal)?;
        let due = clock.due_date(&cal).map_err(rule)?;
        let deadlines = deadlines_of(&clock, cfg.reasons.get(&head.reason), &cal)?;
        let evidence = sqlx::query(
            "SELECT e.id, e.kind, e.description, s.username, e.added_at FROM dispute_evidence e \
             JOIN staff s ON s.id = e.added_by WHERE e.dispute_id = ? ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(EvidenceRow {
                id: r.try_get("id")?,
                kind: EvidenceKind::parse(&r.try_get::<String, _>("kind")?)?,
                description: r.try_get("description")?,
                added_by: r.try_get("username")?,
                added_at: r.try_get("added_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let attachments = sqlx::query(
            "SELECT a.id, a.evidence_id, a.file_name, a.media_type, a.size_bytes, a.sha256, \
             s.username, a.added_at FROM dispute_attachments a JOIN staff s ON s.id = a.added_by \
             WHERE a.dispute_id = ? ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(super::attachments::AttachmentRow {
                id: r.try_get("id")?,
                evidence_id: r.try_get("evidence_id")?,
                file_name: r.try_get("file_name")?,
                media_type: r.try_get("media_type")?,
                size_bytes: r.try_get("size_bytes")?,
                sha256: r.try_get("sha256")?,
                added_by: r.try_get("username")?,
                added_at: r.try_get("added_at")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let proposals = sqlx::query(
            "SELECT p.id, p.note, a.username AS proposer, p.proposed_at, p.status, \
             b.username AS decider, p.decision_note FROM dispute_credit_proposals p \
             JOIN staff a ON a.id = p.proposed_by LEFT JOIN staff b ON b.id = p.decided_by \
             WHERE p.dispute_id = ? ORDER BY p.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            Ok(CreditProposalRow {
                id: r.try_get("id")?,
                note: r.try_get("note")?,
                proposed_by: r.try_get("proposer")?,
                proposed_at: r.try_get("proposed_at")?,
                status: r.try_get("status")?,
                decided_by: r.try_get("decider")?,
                decision_note: r.try_get("decision_note")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let money_steps = sqlx::query(
            "SELECT m.kind, o.state, o.attention_reason FROM dispute_money_steps m \
             JOIN outbox o ON o.id = m.outbox_id WHERE m.dispute_id = ? ORDER BY m.id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
        .into_iter()
        .map(|r| {
            let kind: String = r.try_get("kind")?;
            let state: String = r.try_get("state")?;
            let state = match state.as_str() {
                "pending" => OutboxState::Pending,
                "attention" => OutboxState::Attention,
                "done" => OutboxState::Done,
                _ => OutboxState::Discarded,
            };
            let attention_reason: Option<String> = r.try_get("attention_reason")?;
            // The core refuses to take back a provisional credit the customer has spent: the
            // handler agrees repayment with the customer, then resends or discards it.
            let advice = (state == OutboxState::Attention).then(|| {
                if kind == op::REVERSE {
                    "reversal_spent".to_owned()
                } else {
                    "check_sync".to_owned()
                }
            });
            Ok(MoneyStep {
                kind,
                state,
                attention_reason,
                advice,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let pending_or_approved = proposals
            .iter()
            .any(|p| p.status == "pending" || p.status == "approved");
        let steps = DisputeSteps::allowed(
            &clock,
            pending_or_approved,
            head.chargeback_on.is_some(),
            deadlines.chargeback_by,
            today,
            &cal,
        );
        let _ = actor;
        Ok(DisputeDetail {
            id,
            case_no: head.case_no.clone(),
            transaction_id: head.transaction_id.clone(),
            customer_id: head.customer_id.clone(),
            wallet_id: head.wallet_id.clone(),
            amount: Money::from_minor_units(head.amount_fen),
            counterparty: head.counterparty.clone(),
            transaction_on: head.facts.transaction_on,
            reason: head.reason.clone(),
            policy: head.policy,
            facts: head.facts,
            status: head.status,
            assignee_id: head.assignee_id,
            due_on: due,
            clock: clock.status_on(today, &cal).map_err(rule)?,
            deadlines,
            credit_on: head.credit_on,
            told_on: head.told_on,
            extended_on: head.extended_on,
            decided_on: head.decided_on,
            findings: head.findings.clone(),
            chargeback_on: head.chargeback_on,
            evidence,
            attachments,
            proposals,
            money_steps,
            steps,
        })
    }

    /// The desk's queues, by deadline then id, a page at a time (keyset: the next page starts
    /// after the last row's deadline and id, so paging costs the same on page 1 and page 1000).
    pub async fn dispute_queue(&self, query: DisputeQueueQuery) -> Result<DisputeQueuePage> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let limit = match query.limit {
            0 => 50,
            n => n.min(200),
        };
        let mut conn = self.store().read().acquire().await?;
        let cfg = config::load(&mut conn).await?;
        let today = self.dispute_today();
        let warn = match cfg.policy {
            PolicySet::ChinaEPayment(p) => p.due_soon_warning_days,
            PolicySet::UsRegulationE(p) => p.due_soon_warning_days,
        };
        let soon = today + chrono::Days::new(u64::from(warn));
        let (after_due, after_id) = match &query.after {
            Some(c) => (c.due_on.to_string(), c.id),
            None => (String::new(), 0),
        };
        let filter = match query.queue {
            DisputeQueueKind::Mine => "assignee_id = ?1",
            DisputeQueueKind::Team => "?1 IS NOT NULL",
            DisputeQueueKind::Unassigned => "assignee_id IS NULL AND ?1 IS NOT NULL",
            DisputeQueueKind::DueSoon => "due_on >= ?2 AND due_on <= ?3 AND ?1 IS NOT NULL",
            DisputeQueueKind::Overdue => "due_on < ?2 AND ?1 IS NOT NULL",
        };
        let sql = format!(
            "SELECT id, case_no, customer_id, amount_fen, reason, assignee_id, due_on \
             FROM disputes WHERE status = 'open' AND {filter} \
             AND (due_on, id) > (?4, ?5) ORDER BY due_on, id LIMIT ?6"
        );
        let rows = sqlx::query(&sql)
            .bind(actor.staff_id)
            .bind(today.to_string())
            .bind(soon.to_string())
            .bind(after_due)
            .bind(after_id)
            .bind(i64::from(limit) + 1)
            .fetch_all(&mut *conn)
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows.iter().take(limit as usize) {
            let due_on = need_date(r.try_get("due_on")?)?;
            let left = (due_on - today).num_days();
            let clock = match left {
                0 => ClockStatus::DueToday,
                n if n < 0 => ClockStatus::Overdue {
                    days_over: u32::try_from(-n).unwrap_or(u32::MAX),
                },
                n if n <= i64::from(warn) => ClockStatus::DueSoon {
                    days_left: u32::try_from(n).unwrap_or(u32::MAX),
                },
                n => ClockStatus::OnTrack {
                    days_left: u32::try_from(n).unwrap_or(u32::MAX),
                },
            };
            out.push(DisputeQueueRow {
                id: r.try_get("id")?,
                case_no: r.try_get("case_no")?,
                customer_id: r.try_get("customer_id")?,
                amount: Money::from_minor_units(r.try_get("amount_fen")?),
                reason: r.try_get("reason")?,
                assignee_id: r.try_get("assignee_id")?,
                due_on,
                clock,
            });
        }
        let next = (rows.len() > limit as usize)
            .then(|| {
                out.last().map(|r| DisputeCursor {
                    due_on: r.due_on,
                    id: r.id,
                })
            })
            .flatten();
        Ok(DisputeQueuePage { rows: out, next })
    }

    /// Shared shape of a step on one open dispute: load it, run `body` in the transaction
    /// (it returns the audit detail), append the audit record, commit; a rule's refusal is
    /// audited as refused.
    async fn dispute_work<F>(
        &self,
        actor: Actor,
        action: &'static str,
        dispute_id: i64,
        body: F,
    ) -> Result<DisputeDetail>
    where
        F: for<'a> FnOnce(
            &'a mut crate::store::WriteTx,
            &'a Head,
            &'a BusinessCalendar,
        ) -> std::pin::Pin<
            Box<dyn Future<Output = Result<serde_json::Value>> + Send + 'a>,
        >,
    {
        let now = self.now();
        self.dispute_step(&actor, action, Some(dispute_id), async {
            let mut tx = self.store().begin().await?;
            let head = head(&mut tx, dispute_id).await?;
            if head.status != DisputeStatus::Open {
                return Err(Error::conflict_on("dispute", "dispute_decided"));
            }
            let cal = load_calendar(&mut tx).await?;
            let detail = body(&mut tx, &head, &cal).await?;
            audit::append(&mut tx, now, record(&actor, action, &head).detail(detail)).await?;
            tx.commit().await?;
            Ok(())
        })
        .await?;
        self.dispute_view(&actor, dispute_id).await
    }

    /// Takes the dispute (or gives it to a colleague who works disputes), or returns it to the
    /// unassigned queue.
    pub async fn dispute_assign(&self, input: DisputeAssignInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let now = outbox::timestamp(self.now());
        self.dispute_work(
            actor,
            "dispute.assigned",
            input.dispute_id,
            move |tx, head, _| {
                Box::pin(async move {
                    if let Some(to) = input.assignee_id {
                        let role: Option<String> = sqlx::query_scalar(
                            "SELECT role FROM staff WHERE id = ? AND active = 1",
                        )
                        .bind(to)
                        .fetch_optional(&mut **tx)
                        .await?;
                        let works = role
                            .as_deref()
                            .and_then(crate::access::Role::parse)
                            .is_some_and(|r| r.may(Permission::WorkDisputes));
                        if !works {
                            return Err(Error::field("assigneeId", "dispute_assignee_cannot_work"));
                        }
                    }
                    sqlx::query("UPDATE disputes SET assignee_id = ?, updated_at = ? WHERE id = ?")
                        .bind(input.assignee_id)
                        .bind(&now)
                        .bind(head.id)
                        .execute(&mut **tx)
                        .await?;
                    Ok(json!({ "assigneeId": input.assignee_id }))
                })
            },
        )
        .await
    }

    /// Typed evidence; its kind and description also go to the core.
    pub async fn dispute_add_evidence(&self, input: EvidenceInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let description = text("description", &input.description)?;
        let now = self.now();
        let sealer = self.engine()?.sealer().clone();
        let staff = actor.staff_id;
        self.dispute_work(
            actor,
            "dispute.evidence_added",
            input.dispute_id,
            move |tx, head, _| {
                Box::pin(async move {
                    sqlx::query(
                        "INSERT INTO dispute_evidence (dispute_id, kind, description, added_by, \
                     added_at) VALUES (?, ?, ?, ?, ?)",
                    )
                    .bind(head.id)
                    .bind(input.kind.as_str())
                    .bind(&description)
                    .bind(staff)
                    .bind(outbox::timestamp(now))
                    .execute(&mut **tx)
                    .await?;
                    outbox::enqueue(
                        tx,
                        &sealer,
                        step_operation(
                            head,
                            op::EVIDENCE,
                            evidence_body(input.kind, &description),
                            format!("争议证据 {}", head.case_no),
                        ),
                        now,
                        Some(staff),
                    )
                    .await?;
                    Ok(json!({ "kind": input.kind.as_str() }))
                })
            },
        )
        .await
    }

    /// Evidence with a file staff chose: checked (size, name, type by content), hashed,
    /// sealed and kept with who added it; its name, type, size and hash go to the core as the
    /// evidence text. A refusal keeps nothing.
    pub async fn dispute_attach(&self, input: AttachmentInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let description = text("description", &input.description)?;
        let now = self.now();
        let sealer = self.engine()?.sealer().clone();
        let staff = actor.staff_id;
        self.dispute_work(
            actor,
            "dispute.attachment_added",
            input.dispute_id,
            move |tx, head, _| {
                Box::pin(async move {
                    let checked = super::attachments::check(&input.file_name, &input.bytes)
                        .map_err(|(field, code)| Error::field(field, code))?;
                    let sealed = sealer
                        .seal(
                            &input.bytes,
                            &super::attachments::seal_context(head.id, &checked.sha256),
                        )
                        .map_err(anyhow::Error::from)?;
                    let stamp = outbox::timestamp(now);
                    let evidence_id: i64 = sqlx::query_scalar(
                        "INSERT INTO dispute_evidence (dispute_id, kind, description, added_by, \
                     added_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
                    )
                    .bind(head.id)
                    .bind(input.kind.as_str())
                    .bind(&description)
                    .bind(staff)
                    .bind(&stamp)
                    .fetch_one(&mut **tx)
                    .await?;
                    let size = i64::try_from(input.bytes.len()).unwrap_or(i64::MAX);
                    sqlx::query(
                        "INSERT INTO dispute_attachments (dispute_id, evidence_id, file_name, \
                     media_type, size_bytes, sha256, content_sealed, added_by, added_at) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    )
                    .bind(head.id)
                    .bind(evidence_id)
                    .bind(&checked.file_name)
                    .bind(checked.media_type.as_str())
                    .bind(size)
                    .bind(&checked.sha256)
                    .bind(&sealed)
                    .bind(staff)
                    .bind(&stamp)
                    .execute(&mut **tx)
                    .await?;
                    let summary: String = format!(
                        "{description} [{} {} {} B sha256:{}]",
                        checked.file_name,
                        checked.media_type.as_str(),
                        size,
                        checked.sha256
                    )
                    .chars()
                    .take(MAX_TEXT)
                    .collect();
                    let body = json!({ "kind": input.kind.as_str(), "description": summary });
                    outbox::enqueue(
                        tx,
                        &sealer,
                        step_operation(
                            head,
                            op::EVIDENCE,
                            body,
                            format!("争议证据 {}", head.case_no),
                        ),
                        now,
                        Some(staff),
                    )
                    .await?;
                    Ok(json!({
                        "file": checked.file_name,
                        "sha256": checked.sha256,
                        "bytes": size,
                    }))
                })
            },
        )
        .await
    }

    /// An attached file, opened for staff who work disputes; the opening is audited.
    pub async fn dispute_attachment(&self, attachment_id: i64) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let row = sqlx::query(
            "SELECT a.dispute_id, a.file_name, a.media_type, a.sha256, a.content_sealed, \
             d.case_no, d.customer_id FROM dispute_attachments a \
             JOIN disputes d ON d.id = a.dispute_id WHERE a.id = ?",
        )
        .bind(attachment_id)
        .fetch_optional(self.store().read())
        .await?
        .ok_or_else(|| Error::NotFound(format!("attachment {attachment_id}")))?;
        let dispute_id: i64 = row.try_get("dispute_id")?;
        let sha256: String = row.try_get("sha256")?;
        let sealed: Vec<u8> = row.try_get("content_sealed")?;
        let plain = self
            .engine()?
            .sealer()
            .open(
                &sealed,
                &super::attachments::seal_context(dispute_id, &sha256),
            )
            .map_err(anyhow::Error::from)?;
        let file_name: String = row.try_get("file_name")?;
        let mut tx = self.store().begin().await?;
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "dispute.attachment_opened",
        )
        .subject("dispute", row.try_get::<String, _>("case_no")?)
        .detail(json!({ "file": file_name, "sha256": sha256 }));
        rec.customer_id = Some(row.try_get("customer_id")?);
        audit::append(&mut tx, self.now(), rec).await?;
        tx.commit().await?;
        Ok(BinaryFile {
            file_name,
            content_type: row.try_get("media_type")?,
            bytes: plain.to_vec(),
        })
    }

    /// A letter to the customer as a zh-CN PDF: the provisional credit notice once a credit
    /// is approved, the decision letter once decided. Printing it is audited.
    pub async fn dispute_letter(&self, request: DisputeLetterRequest) -> Result<BinaryFile> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let detail = self.dispute_view(&actor, request.dispute_id).await?;
        let body = match request.kind {
            DisputeLetterKind::CreditNotice => DisputeLetterBody::CreditNotice {
                credit_on: detail
                    .credit_on
                    .ok_or_else(|| Error::conflict_on("dispute", "dispute_no_credit_to_tell"))?,
                decide_by: detail.due_on,
            },
            DisputeLetterKind::Decision => DisputeLetterBody::Decision {
                decided_on: detail
                    .decided_on
                    .ok_or_else(|| Error::conflict_on("dispute", "dispute_not_decided"))?,
                for_customer: detail.status == DisputeStatus::DecidedCustomer,
                findings: detail.findings.clone().unwrap_or_default(),
                had_provisional_credit: detail.credit_on.is_some(),
            },
        };
        let customer_name: String =
            sqlx::query_scalar("SELECT name FROM core_customers WHERE id = ?")
                .bind(&detail.customer_id)
                .fetch_optional(self.store().read())
                .await?
                .unwrap_or_else(|| "客户".to_owned());
        let input = DisputeLetterInput {
            bank_name: LETTER_BANK_NAME.to_owned(),
            branch_name: self.policy().await?.branch,
            case_number: detail.case_no.clone(),
            customer_name,
            transaction_on: detail.transaction_on,
            amount: detail.amount,
            counterparty: detail.counterparty.clone(),
            notice_on: detail.facts.notice_on,
            hotline: LETTER_HOTLINE.to_owned(),
            body,
        };
        // Font loading and layout take tens of milliseconds: off the async threads.
        let bytes = tokio::task::spawn_blocking(move || crate::documents::dispute_letter(&input))
            .await
            .map_err(anyhow::Error::from)??;
        let mut tx = self.store().begin().await?;
        let mut rec = NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "dispute.letter_printed",
        )
        .subject("dispute", detail.case_no.clone())
        .detail(json!({ "bytes": bytes.len() }));
        rec.customer_id = Some(detail.customer_id.clone());
        audit::append(&mut tx, self.now(), rec).await?;
        tx.commit().await?;
        let name = match request.kind {
            DisputeLetterKind::CreditNotice => "临时贷记通知书",
            DisputeLetterKind::Decision => "争议处理决定书",
        };
        Ok(BinaryFile {
            file_name: format!("{}-{name}.pdf", detail.case_no),
            content_type: "application/pdf".to_owned(),
            bytes,
        })
    }

    /// The handler proposes a provisional credit; a supervisor who is not the proposer
    /// decides it in the approvals inbox.
    pub async fn dispute_propose_credit(&self, input: DisputeTextInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let note = text("text", &input.text)?;
        let now = outbox::timestamp(self.now());
        let staff = actor.staff_id;
        self.dispute_work(actor, "dispute.credit_proposed", input.dispute_id, move |tx, head, _| {
            Box::pin(async move {
                if let Some(on) = head.credit_on {
                    return Err(rule(DisputeRuleError::CreditAlreadyGiven { on }));
                }
                let live: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM dispute_credit_proposals WHERE dispute_id = ? \
                     AND status IN ('pending', 'approved')",
                )
                .bind(head.id)
                .fetch_one(&mut **tx)
                .await?;
                if live > 0 {
                    return Err(Error::conflict_on("dispute", "dispute_credit_pending"));
                }
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO dispute_credit_proposals (dispute_id, note, proposed_by, \
                     proposed_at) VALUES (?, ?, ?, ?) RETURNING id",
                )
                .bind(head.id)
                .bind(&note)
                .bind(staff)
                .bind(&now)
                .fetch_one(&mut **tx)
                .await?;
                Ok(json!({ "proposalId": id, "amount": Money::from_minor_units(head.amount_fen).to_string() }))
            })
        })
        .await
    }

    /// One inbox for the level above: complaint extensions and provisional credits waiting,
    /// oldest first, each saying whether this supervisor may decide it.
    pub async fn approvals_inbox(&self) -> Result<Vec<ApprovalItem>> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let rows = sqlx::query(
            "SELECT 'complaint' AS kind, e.id AS id, e.complaint_id AS case_id, c.case_no, \
               e.reason, s.username, e.requested_by AS asker, e.requested_at AS at, \
               c.due_on, NULL AS amount_fen \
             FROM complaint_extensions e JOIN complaints c ON c.id = e.complaint_id \
             JOIN staff s ON s.id = e.requested_by WHERE e.status = 'pending' \
             UNION ALL \
             SELECT 'dispute', p.id, p.dispute_id, d.case_no, p.note, s.username, \
               p.proposed_by, p.proposed_at, d.due_on, d.amount_fen \
             FROM dispute_credit_proposals p JOIN disputes d ON d.id = p.dispute_id \
             JOIN staff s ON s.id = p.proposed_by WHERE p.status = 'pending' \
             UNION ALL \
             SELECT 'elder', x.id, x.session_id, 'EA-' || printf('%06d', x.session_id), \
               COALESCE((SELECT a.question FROM elder_answers a \
                 WHERE a.session_id = x.session_id AND a.question_id = x.cause), x.cause), \
               s.username, x.raised_by, x.raised_at, substr(x.raised_at, 1, 10), NULL \
             FROM elder_escalations x JOIN staff s ON s.id = x.raised_by \
             WHERE x.outcome IS NULL \
             ORDER BY at, id LIMIT 500",
        )
        .fetch_all(self.store().read())
        .await?;
        rows.into_iter()
            .map(|r| {
                let kind: String = r.try_get("kind")?;
                let asker: i64 = r.try_get("asker")?;
                let amount: Option<i64> = r.try_get("amount_fen")?;
                Ok(ApprovalItem {
                    kind: match kind.as_str() {
                        "dispute" => ApprovalKind::DisputeCredit,
                        "elder" => ApprovalKind::ElderEscalation,
                        _ => ApprovalKind::ComplaintExtension,
                    },
                    id: r.try_get("id")?,
                    case_id: r.try_get("case_id")?,
                    case_no: r.try_get("case_no")?,
                    reason: r.try_get("reason")?,
                    requested_by: r.try_get("username")?,
                    requested_at: r.try_get("at")?,
                    due_on: need_date(r.try_get("due_on")?)?,
                    amount: amount.map(Money::from_minor_units),
                    may_decide: asker != actor.staff_id,
                })
            })
            .collect()
    }

    /// A supervisor who did not propose it approves (the credit goes to the core through the
    /// outbox, once, under its idempotency key) or refuses it with a note. Maker = checker is
    /// refused and audited.
    pub async fn dispute_decide_credit(&self, input: CreditDecisionInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::ApproveDisputeCredit).await?;
        let dispute_id: i64 =
            sqlx::query_scalar("SELECT dispute_id FROM dispute_credit_proposals WHERE id = ?")
                .bind(input.proposal_id)
                .fetch_optional(self.store().read())
                .await?
                .ok_or_else(|| Error::NotFound(format!("proposal {}", input.proposal_id)))?;
        let note = match (&input.note, input.approve) {
            (Some(n), _) if !n.trim().is_empty() => Some(text("note", n)?),
            (_, false) => return Err(Error::field("note", "dispute_refusal_needs_note")),
            _ => None,
        };
        let action = if input.approve {
            "dispute.credit_approved"
        } else {
            "dispute.credit_refused"
        };
        let now = self.now();
        let today = local_date(now);
        let sealer = self.engine()?.sealer().clone();
        let staff = actor.staff_id;
        self.dispute_work(actor, action, dispute_id, move |tx, head, cal| {
            Box::pin(async move {
                let (proposer, status): (i64, String) = sqlx::query_as(
                    "SELECT proposed_by, status FROM dispute_credit_proposals WHERE id = ?",
                )
                .bind(input.proposal_id)
                .fetch_one(&mut **tx)
                .await?;
                if status != "pending" {
                    return Err(Error::conflict_on("proposal", "dispute_proposal_decided"));
                }
                // Four eyes: the one who proposed the credit never approves it.
                if proposer == staff {
                    return Err(Error::conflict_on("proposal", "maker_is_checker"));
                }
                let stamp = outbox::timestamp(now);
                sqlx::query(
                    "UPDATE dispute_credit_proposals SET status = ?, decided_by = ?, \
                     decided_at = ?, decision_note = ? WHERE id = ?",
                )
                .bind(if input.approve { "approved" } else { "refused" })
                .bind(staff)
                .bind(&stamp)
                .bind(&note)
                .bind(input.proposal_id)
                .execute(&mut **tx)
                .await?;
                if input.approve {
                    let clock = clock_of(head, cal)?.credit_given(today).map_err(rule)?;
                    sqlx::query("UPDATE disputes SET credit_on = ? WHERE id = ?")
                        .bind(today.to_string())
                        .bind(head.id)
                        .execute(&mut **tx)
                        .await?;
                    save_due(tx, head.id, clock.due_date(cal).map_err(rule)?, &stamp).await?;
                    let op = outbox::enqueue(
                        tx,
                        &sealer,
                        step_operation(
                            head,
                            op::CREDIT,
                            json!({}),
                            format!(
                                "争议临时贷记 {} {}",
                                head.case_no,
                                Money::from_minor_units(head.amount_fen)
                            ),
                        ),
                        now,
                        Some(staff),
                    )
                    .await?;
                    money_step(tx, head.id, op::CREDIT, op, &stamp).await?;
                }
                Ok(json!({ "proposalId": input.proposal_id, "proposedBy": proposer, "note": note }))
            })
        })
        .await
    }

    /// Regulation E: the customer was told of the provisional credit today.
    pub async fn dispute_customer_told(&self, dispute_id: i64) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let now = self.now();
        let today = local_date(now);
        self.dispute_work(
            actor,
            "dispute.customer_told",
            dispute_id,
            move |tx, head, cal| {
                Box::pin(async move {
                    clock_of(head, cal)?.customer_told(today).map_err(rule)?;
                    sqlx::query("UPDATE disputes SET told_on = ?, updated_at = ? WHERE id = ?")
                        .bind(today.to_string())
                        .bind(outbox::timestamp(now))
                        .bind(head.id)
                        .execute(&mut **tx)
                        .await?;
                    Ok(json!({ "toldOn": today }))
                })
            },
        )
        .await
    }

    /// Regulation E: extends the investigation (45 or 90 days), only as the rule allows.
    pub async fn dispute_extend(&self, dispute_id: i64) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let now = self.now();
        let today = local_date(now);
        self.dispute_work(
            actor,
            "dispute.extended",
            dispute_id,
            move |tx, head, cal| {
                Box::pin(async move {
                    let clock = clock_of(head, cal)?.extend(today, cal).map_err(rule)?;
                    let due = clock.due_date(cal).map_err(rule)?;
                    sqlx::query("UPDATE disputes SET extended_on = ? WHERE id = ?")
                        .bind(today.to_string())
                        .bind(head.id)
                        .execute(&mut **tx)
                        .await?;
                    save_due(tx, head.id, due, &outbox::timestamp(now)).await?;
                    Ok(json!({ "dueOn": due }))
                })
            },
        )
        .await
    }

    /// Decides for the customer or the bank with findings. For the bank after a provisional
    /// credit, the credit is reversed (the core refuses if it is spent; the case then says
    /// what to do). Both go to the core through the outbox.
    pub async fn dispute_decide(&self, input: DisputeDecisionInput) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let findings = text("findings", &input.findings)?;
        let now = self.now();
        let today = local_date(now);
        let sealer = self.engine()?.sealer().clone();
        let staff = actor.staff_id;
        let mut conn = self.store().read().acquire().await?;
        let cfg = config::load(&mut conn).await?;
        drop(conn);
        self.dispute_work(
            actor,
            "dispute.decided",
            input.dispute_id,
            move |tx, head, cal| {
                Box::pin(async move {
                    let reason = decision_reason(&cfg, &head.reason);
                    head.policy
                        .check_decision(&reason, input.for_customer, input.user_fault_proven)
                        .map_err(rule)?;
                    clock_of(head, cal)?.decide(today).map_err(rule)?;
                    let status = if input.for_customer {
                        DisputeStatus::DecidedCustomer
                    } else {
                        DisputeStatus::DecidedBank
                    };
                    let stamp = outbox::timestamp(now);
                    sqlx::query(
                        "UPDATE disputes SET status = ?, decided_on = ?, findings = ?, \
                     user_fault_proven = ?, updated_at = ? WHERE id = ?",
                    )
                    .bind(status.as_str())
                    .bind(today.to_string())
                    .bind(&findings)
                    .bind(input.user_fault_proven)
                    .bind(&stamp)
                    .bind(head.id)
                    .execute(&mut **tx)
                    .await?;
                    let decide = outbox::enqueue(
                        tx,
                        &sealer,
                        step_operation(
                            head,
                            op::DECIDE,
                            decision_body(input.for_customer, &findings),
                            format!("争议决定 {}", head.case_no),
                        ),
                        now,
                        Some(staff),
                    )
                    .await?;
                    money_step(tx, head.id, op::DECIDE, decide, &stamp).await?;
                    let reverse = !input.for_customer && head.credit_on.is_some();
                    if reverse {
                        let op = outbox::enqueue(
                            tx,
                            &sealer,
                            step_operation(
                                head,
                                op::REVERSE,
                                json!({}),
                                format!("争议冲回临时贷记 {}", head.case_no),
                            ),
                            now,
                            Some(staff),
                        )
                        .await?;
                        money_step(tx, head.id, op::REVERSE, op, &stamp).await?;
                    }
                    Ok(json!({
                        "forCustomer": input.for_customer,
                        "userFaultProven": input.user_fault_proven,
                        "reversal": reverse,
                    }))
                })
            },
        )
        .await
    }

    /// Files a card chargeback within the reason's window.
    pub async fn dispute_chargeback(&self, dispute_id: i64) -> Result<DisputeDetail> {
        let actor = self.authorize(Permission::WorkDisputes).await?;
        let now = self.now();
        let today = local_date(now);
        let sealer = self.engine()?.sealer().clone();
        let staff = actor.staff_id;
        let mut conn = self.store().read().acquire().await?;
        let cfg = config::load(&mut conn).await?;
        drop(conn);
        self.dispute_work(
            actor,
            "dispute.chargeback_filed",
            dispute_id,
            move |tx, head, cal| {
                Box::pin(async move {
                    if head.chargeback_on.is_some() {
                        return Err(Error::conflict_on("dispute", "dispute_chargeback_filed"));
                    }
                    let reason = cfg
                        .reasons
                        .get(&head.reason)
                        .ok_or_else(|| Error::conflict_on("dispute", "dispute_reason_unknown"))?;
                    let deadline = chargeback_deadline(head.facts.transaction_on, reason, cal)
                        .map_err(rule)?;
                    if today > deadline {
                        return Err(rule(DisputeRuleError::ChargebackWindowClosed { deadline }));
                    }
                    let stamp = outbox::timestamp(now);
                    sqlx::query(
                        "UPDATE disputes SET chargeback_on = ?, updated_at = ? WHERE id = ?",
                    )
                    .bind(today.to_string())
                    .bind(&stamp)
                    .bind(head.id)
                    .execute(&mut **tx)
                    .await?;
                    let op = outbox::enqueue(
                        tx,
                        &sealer,
                        step_operation(
                            head,
                            op::CHARGEBACK,
                            chargeback_body(&reason.code),
                            format!("争议退单 {}", head.case_no),
                        ),
                        now,
                        Some(staff),
                    )
                    .await?;
                    money_step(tx, head.id, op::CHARGEBACK, op, &stamp).await?;
                    Ok(json!({ "reasonCode": reason.code, "deadline": deadline }))
                })
            },
        )
        .await
    }
}

// What the core is sent (`v1::NewEvidence`, `v1::DisputeDecision`, `v1::ChargebackRequest`).
fn evidence_body(kind: EvidenceKind, description: &str) -> serde_json::Value {
    let body = json!({ "kind": kind.as_str(), "description": description });
    body
}

fn decision_body(for_customer: bool, findings: &str) -> serde_json::Value {
    let in_favour_of = if for_customer { "customer" } else { "bank" };
    let body = json!({ "inFavourOf": in_favour_of, "findings": findings });
    body
}

fn chargeback_body(reason_code: &str) -> serde_json::Value {
    let body = json!({ "reasonCode": reason_code });
    body
}

async fn money_step(
    conn: &mut SqliteConnection,
    dispute_id: i64,
    kind: &str,
    outbox_id: i64,
    at: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO dispute_money_steps (dispute_id, kind, outbox_id, at) VALUES (?, ?, ?, ?)",
    )
    .bind(dispute_id)
    .bind(kind)
    .bind(outbox_id)
    .bind(at)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

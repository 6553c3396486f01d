//! Dispute cases on the team store: the dispute team's consoles share one queue, as the
//! complaint team's do (issue 16, Build 1).
//!
//! Only the storage is new. The rules are the console desk's own: the deadlines are a
//! [`DisputeClock`] replayed from the stored event dates by `disputes::desk::replay_clock`, the
//! allowed next steps are `DisputeSteps::allowed`, a decision is checked by
//! `PolicySet::check_decision`, the inputs are the desk's input types checked by the desk's
//! functions (`reason_for`, `facts_from_core`, `text`), and a rule's refusal carries the desk's
//! codes. Attachments (files) stay on the console that received them; text evidence is here.
//!
//! Concurrency is the complaint queue's (`team::cases`): taking is
//! `UPDATE … WHERE assignee_id IS NULL` (one wins, the other is told who has it); every step
//! names the version its screen showed and a moved dispute is refused as `conflict` on
//! `version` (`stale_version`); every change is audited on the team chain and bumps the team's
//! queue version (NOTIFY) in its own transaction. What the core must hear of a step is written
//! in the same transaction to `team_dispute_core_ops`, keyed for idempotency ([`op_key`]);
//! `team::core_ops` sends them to the core, exactly once.

use super::audit::TeamAudit;
use super::cases::{MAX_PAGE, TeamMember, TeamQueue, TeamQueueQuery};
use super::dispute_steps::{TeamCoreOpAction, TeamDisputeAction};
use super::{TeamStore, TeamTx, on_pool, on_tx};
use crate::access::{Permission, Role};
use crate::calendar::{BusinessCalendar, china_2026};
use crate::complaints::ClockStatus;
use crate::complaints::case::{CALENDAR_KEY, parse_date};
use crate::complaints::intake::SHORT_TEXT;
use crate::complaints::types::Text;
use crate::corelink::LiveTransaction;
use crate::disputes::config::{POLICY_KEY, REASONS_KEY};
use crate::disputes::desk::{
    self, CreditDecisionInput, CreditProposalRow, DisputeDeadlines, DisputeDecisionInput,
    DisputeStatus, DisputeSteps, DisputeTextInput, EvidenceInput, EvidenceKind, EvidenceRow,
    OpenDisputeInput, op,
};
use crate::disputes::{DisputeClock, DisputeConfig, DisputeFacts, DisputeRuleError, PolicySet};
use crate::disputes::{chargeback_deadline, policy};
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Serialize;
use serde_json::json;
use ts_rs::TS;

/// A dispute on the team store, as its case screen shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDispute {
    #[ts(type = "number")]
    pub id: i64,
    pub case_no: String,
    pub transaction_id: String,
    pub customer_id: String,
    pub wallet_id: String,
    pub amount: Money,
    pub counterparty: String,
    pub reason: String,
    pub policy: PolicySet,
    pub facts: DisputeFacts,
    pub team: String,
    pub status: DisputeStatus,
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    /// The version a step must name (optimistic versioning).
    #[ts(type = "number")]
    pub version: i64,
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
    /// The core's id for the dispute, once the core has heard of the opening.
    pub core_dispute_id: Option<String>,
    pub evidence: Vec<EvidenceRow>,
    pub proposals: Vec<CreditProposalRow>,
    /// What the core is to hear of, in order, and how far each got.
    pub core_ops: Vec<TeamCoreOp>,
    /// The steps the rules allow today (whoever holds the case takes them).
    pub steps: DisputeSteps,
    /// What the member reading it may do next (`team::dispute_steps`): the screen offers
    /// exactly these. Empty when read for no one in particular ([`TeamStore::dispute`]).
    pub actions: Vec<TeamDisputeAction>,
}

/// A step the core must hear of, kept in the team store with the step that made it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct TeamCoreOp {
    /// The op's row: what `team_dispute_op_resend` / `team_dispute_op_discard` name.
    #[ts(type = "number")]
    pub id: i64,
    /// The corebank adapter's operation: `dispute.open`, `dispute.evidence`, ...
    pub kind: String,
    /// The idempotency key the core dedupes on.
    pub op_key: String,
    /// "pending", "done", "attention" or "discarded".
    pub state: String,
    /// Sends whose outcome was recorded (`team::core_ops`).
    #[ts(type = "number")]
    pub attempts: i64,
    /// Why it is not done yet: the core's code when it refused (`dispute-decided`), or
    /// `core_unreachable` when no answer came.
    pub last_error: Option<String>,
    /// The core's (or the network's) own words for `last_error`, for staff.
    pub last_error_detail: Option<String>,
    /// Why a supervisor set it aside (state `discarded`).
    pub discard_reason: Option<String>,
    /// What the member reading it may do with it (`team::dispute_steps::core_op_actions`):
    /// the screen offers exactly these. Empty when read for no one in particular.
    #[sqlx(skip)]
    pub actions: Vec<TeamCoreOpAction>,
}

/// A dispute as a queue row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputeRow {
    #[ts(type = "number")]
    pub id: i64,
    pub case_no: String,
    pub customer_id: String,
    pub amount: Money,
    pub reason: String,
    pub due_on: String,
    #[ts(type = "number | null")]
    pub assignee_id: Option<i64>,
    pub assignee_name: Option<String>,
    #[ts(type = "number")]
    pub version: i64,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TeamDisputePage {
    pub disputes: Vec<TeamDisputeRow>,
    pub next: Option<String>,
    /// The team's queue version this page was read at (see `team::live`).
    #[ts(type = "number")]
    pub version: i64,
}

/// What "take" answered for a dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum DisputeTakeOutcome {
    Taken {
        dispute: Box<TeamDispute>,
    },
    /// A colleague was first: who has it.
    #[serde(rename_all = "camelCase")]
    AlreadyTaken {
        case_no: String,
        #[ts(type = "number")]
        by_id: i64,
        by_name: String,
    },
}

/// A provisional credit waiting in the team's approvals inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct PendingTeamCredit {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub dispute_id: i64,
    pub case_no: String,
    #[ts(type = "number")]
    pub amount_fen: i64,
    pub note: String,
    #[ts(type = "number")]
    pub proposed_by: i64,
    pub proposed_by_name: String,
    pub proposed_at: String,
    pub due_on: String,
    /// The amount to credit, as money (the screens never do arithmetic on fen).
    #[sqlx(skip)]
    pub amount: Money,
    /// Whether the member reading the inbox may approve or refuse it: never the proposer (four
    /// eyes; `decide_dispute_credit` refuses them as `maker_is_checker`).
    #[sqlx(skip)]
    pub may_decide: bool,
}

/// The dispute row as stored. The holder's name is a scalar subquery, not a join, so the same
/// text can be read `FOR UPDATE` (PostgreSQL refuses to lock the nullable side of a join).
const COLUMNS: &str = "d.id, d.case_no, d.transaction_id, d.customer_id, d.wallet_id, \
     d.amount_fen, d.counterparty, d.transaction_on, d.reason, d.policy, d.notice_on, \
     d.statement_on, d.account_opened_on, d.point_of_sale, d.foreign_tx, d.team, d.status, \
     d.credit_on, d.told_on, d.extended_on, d.decided_on, d.findings, \
     d.chargeback_on, d.core_dispute_id, d.assignee_id, \
     (SELECT s.display_name FROM team_staff s WHERE s.id = d.assignee_id) AS assignee_name, \
     d.version";

#[derive(Debug, Clone, sqlx::FromRow)]
struct Stored {
    id: i64,
    case_no: String,
    transaction_id: String,
    customer_id: String,
    wallet_id: String,
    amount_fen: i64,
    counterparty: String,
    transaction_on: String,
    reason: String,
    policy: String,
    notice_on: String,
    statement_on: Option<String>,
    account_opened_on: Option<String>,
    point_of_sale: bool,
    foreign_tx: bool,
    team: String,
    status: String,
    credit_on: Option<String>,
    told_on: Option<String>,
    extended_on: Option<String>,
    decided_on: Option<String>,
    findings: Option<String>,
    chargeback_on: Option<String>,
    core_dispute_id: Option<String>,
    assignee_id: Option<i64>,
    assignee_name: Option<String>,
    version: i64,
}

fn opt_date(text: &Option<String>) -> Result<Option<NaiveDate>> {
    text.as_deref().map(parse_date).transpose()
}

/// The stored dispute with its dates parsed: what the rules read.
#[derive(Debug, Clone)]
struct Head {
    row: Stored,
    policy: PolicySet,
    facts: DisputeFacts,
    status: DisputeStatus,
    events: [Option<NaiveDate>; 4],
    chargeback_on: Option<NaiveDate>,
}

impl Head {
    fn of(row: Stored) -> Result<Head> {
        let policy: PolicySet = serde_json::from_str(&row.policy).map_err(anyhow::Error::from)?;
        let facts = DisputeFacts {
            transaction_on: parse_date(&row.transaction_on)?,
            notice_on: parse_date(&row.notice_on)?,
            statement_on: opt_date(&row.statement_on)?,
            account_opened_on: opt_date(&row.account_opened_on)?,
            point_of_sale: row.point_of_sale,
            foreign: row.foreign_tx,
        };
        Ok(Head {
            policy,
            facts,
            status: DisputeStatus::parse(&row.status)?,
            events: [
                opt_date(&row.credit_on)?,
                opt_date(&row.told_on)?,
                opt_date(&row.extended_on)?,
                opt_date(&row.decided_on)?,
            ],
            chargeback_on: opt_date(&row.chargeback_on)?,
            row,
        })
    }

    fn clock(&self, cal: &BusinessCalendar) -> Result<DisputeClock> {
        desk::replay_clock(self.policy, self.facts, self.events, cal)
    }

    fn require_open(&self) -> Result<()> {
        if self.status == DisputeStatus::Open {
            Ok(())
        } else {
            Err(Error::conflict_on("dispute", "dispute_decided"))
        }
    }

    fn audit(&self, me: &TeamMember, action: &'static str) -> TeamAudit {
        let mut rec = TeamAudit::new(me.id, &me.username, action);
        rec.subject_kind = Some("dispute");
        rec.subject_id = Some(self.row.case_no.clone());
        rec
    }
}

/// The team's dispute configuration and business calendar, from `team_settings` under the
/// console store's keys and formats (a missing row is the default, a damaged one an error).
fn configuration(rows: Vec<(String, String)>) -> Result<(DisputeConfig, BusinessCalendar)> {
    let get = |key: &str| rows.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    let cfg = DisputeConfig::parse(get(POLICY_KEY), get(REASONS_KEY))?;
    let cal = match get(CALENDAR_KEY) {
        Some(text) => BusinessCalendar::parse(text)
            .map_err(|e| Error::Internal(anyhow::anyhow!("team calendar is invalid: {e}")))?,
        None => china_2026(),
    };
    Ok((cfg, cal))
}

const SETTINGS_SQL: &str = "SELECT key, value FROM team_settings WHERE key IN ($1, $2, $3)";

async fn settings_in(tx: &mut TeamTx) -> Result<(DisputeConfig, BusinessCalendar)> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(SETTINGS_SQL)
        .bind(POLICY_KEY)
        .bind(REASONS_KEY)
        .bind(CALENDAR_KEY)
        .fetch_all(c)
        .await?);
    configuration(rows)
}

fn may(me: &TeamMember, permission: Permission) -> Result<()> {
    match Role::parse(&me.role) {
        Some(role) if role.may(permission) => Ok(()),
        _ => Err(Error::Forbidden),
    }
}

async fn lock(tx: &mut TeamTx, id: i64) -> Result<Head> {
    let sql = format!(
        "SELECT {COLUMNS} FROM team_disputes d WHERE d.id = $1{}",
        tx.lock()
    );
    let row: Option<Stored> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id).fetch_optional(c).await?);
    Head::of(row.ok_or_else(|| Error::NotFound(format!("team dispute {id}")))?)
}

/// Locks the dispute for a step by its holder at `version` and moves the version on: a
/// dispute someone else holds, or one that changed since the screen read it, is refused.
async fn claim(tx: &mut TeamTx, me: &TeamMember, id: i64, version: i64) -> Result<Head> {
    let mut head = lock(tx, id).await?;
    if head.row.assignee_id != Some(me.id) {
        return Err(Error::conflict_on("dispute", "held_by_other"));
    }
    if head.row.version != version {
        return Err(Error::conflict_on("version", "stale_version"));
    }
    head.require_open()?;
    bump(tx, id).await?;
    head.row.version += 1;
    Ok(head)
}

async fn bump(tx: &mut TeamTx, id: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE team_disputes SET version = version + 1 WHERE id = $1")
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// Stores the deadline in force after an event, for the queue.
async fn save_due(
    tx: &mut TeamTx,
    id: i64,
    clock: &DisputeClock,
    cal: &BusinessCalendar,
) -> Result<()> {
    let due = clock.due_date(cal).map_err(desk::rule)?;
    on_tx!(tx, c => sqlx::query("UPDATE team_disputes SET due_on = $1 WHERE id = $2")
        .bind(due.to_string())
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// The idempotency key of a new op: `wd-td-<step>-<uuid v4>`. Unique per op, not per case
/// number: two team stores (two banks' teams against one core, or a store rebuilt from
/// scratch) number their cases alike, and the core must never take one team's
/// `TD-2026-000001:open` for another's. Rows written before team migration 0003 keep their
/// `team-dispute:<case>:<step>` keys (the core may have seen them).
pub(crate) fn op_key(step: &str) -> String {
    format!("wd-td-{step}-{}", uuid::Uuid::new_v4())
}

/// Records what the core must hear of a step, in the step's transaction.
async fn core_op(
    tx: &mut TeamTx,
    head: &Head,
    kind: &str,
    key_suffix: &str,
    body: serde_json::Value,
    by: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO team_dispute_core_ops (dispute_id, kind, body, op_key, state, created_by, \
         created_at) VALUES ($1, $2, $3, $4, 'pending', $5, $6)",
    )
    .bind(head.row.id)
    .bind(kind)
    .bind(body.to_string())
    .bind(op_key(key_suffix))
    .bind(by)
    .bind(crate::audit::timestamp(now))
    .execute(c)
    .await?
    .rows_affected());
    Ok(())
}

/// An event date column of `team_disputes`, set by the step that happened on it.
async fn set_date(tx: &mut TeamTx, id: i64, column: &'static str, on: NaiveDate) -> Result<()> {
    let sql = format!("UPDATE team_disputes SET {column} = $1 WHERE id = $2");
    on_tx!(tx, c => sqlx::query(&sql)
        .bind(on.to_string())
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
    Ok(())
}

/// A core op as a supervisor's resend or discard reads it.
#[derive(Debug, sqlx::FromRow)]
struct OpHead {
    kind: String,
    op_key: String,
    state: String,
    attempts: i64,
    last_error: Option<String>,
}

/// Locks dispute `dispute_id` at `version` (any holder, any status: a decided dispute's
/// reversal reaches the core too) and its op `op_id`, which must need attention, and moves
/// the dispute's version on (the holder's screen reloads, never overwrites).
async fn op_in_attention(
    tx: &mut TeamTx,
    dispute_id: i64,
    op_id: i64,
    version: i64,
) -> Result<(Head, OpHead)> {
    let mut head = lock(tx, dispute_id).await?;
    if head.row.version != version {
        return Err(Error::conflict_on("version", "stale_version"));
    }
    let sql = format!(
        "SELECT kind, op_key, state, attempts, last_error FROM team_dispute_core_ops \
         WHERE id = $1 AND dispute_id = $2{}",
        tx.lock()
    );
    let found: Option<OpHead> = on_tx!(tx, c => sqlx::query_as(&sql)
        .bind(op_id)
        .bind(dispute_id)
        .fetch_optional(c)
        .await?);
    let found = found.ok_or_else(|| Error::NotFound(format!("core op {op_id}")))?;
    match found.state.as_str() {
        "attention" => {}
        "done" => return Err(Error::conflict_on("op", "core_op_done")),
        _ => return Err(Error::conflict_on("op", "core_op_not_in_attention")),
    }
    bump(tx, dispute_id).await?;
    head.row.version += 1;
    Ok((head, found))
}

fn unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(db) if db.is_unique_violation())
}

impl TeamStore {
    /// Opens a dispute on the core's transaction `found` (the console looked it up in the
    /// customer's wallets). One dispute per transaction across the whole team: two consoles
    /// opening the same one at once get one case and one `dispute_exists`.
    #[allow(clippy::too_many_arguments)]
    pub async fn open_dispute(
        &self,
        by: &TeamMember,
        input: &OpenDisputeInput,
        found: &LiveTransaction,
        team: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(by, Permission::WorkDisputes)?;
        let team = Text::parse("team", team, SHORT_TEXT)?;
        let transaction_id = desk::transaction_ref(&input.transaction_id);
        if found.id != transaction_id {
            return Err(Error::field("transactionId", "dispute_transaction_unknown"));
        }
        let mut tx = self.begin(now).await?;
        let (cfg, cal) = settings_in(&mut tx).await?;
        let reason = desk::reason_for(&cfg, &input.reason)?;
        let existing: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT case_no FROM team_disputes WHERE transaction_id = $1",
        )
        .bind(&transaction_id)
        .fetch_optional(c)
        .await?);
        if existing.is_some() {
            return Err(Error::conflict_on("transactionId", "dispute_exists"));
        }
        let (facts, amount_fen) = desk::facts_from_core(input, found, today)?;
        let clock = DisputeClock::new(cfg.policy, facts).map_err(desk::rule)?;
        let due = clock.due_date(&cal).map_err(desk::rule)?;
        let year = today.year();
        let serial: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_dispute_numbers (year, last) VALUES ($1, 1) \
             ON CONFLICT (year) DO UPDATE SET last = team_dispute_numbers.last + 1 RETURNING last",
        )
        .bind(i64::from(year))
        .fetch_one(c)
        .await?);
        let case_no = format!("TD-{year}-{serial:06}");
        let policy_text = serde_json::to_string(&cfg.policy).map_err(anyhow::Error::from)?;
        let inserted: std::result::Result<i64, sqlx::Error> = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_disputes (case_no, transaction_id, customer_id, wallet_id, \
             amount_fen, counterparty, transaction_on, reason, policy, notice_on, statement_on, \
             account_opened_on, point_of_sale, foreign_tx, team, status, due_on, opened_by, \
             opened_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, 'open', $16, $17, $18) RETURNING id",
        )
        .bind(&case_no)
        .bind(&transaction_id)
        .bind(&input.customer_id)
        .bind(&found.wallet_id)
        .bind(amount_fen)
        .bind(&found.counterparty)
        .bind(facts.transaction_on.to_string())
        .bind(&reason.code)
        .bind(&policy_text)
        .bind(facts.notice_on.to_string())
        .bind(facts.statement_on.map(|d| d.to_string()))
        .bind(facts.account_opened_on.map(|d| d.to_string()))
        .bind(facts.point_of_sale)
        .bind(facts.foreign)
        .bind(team.as_str())
        .bind(due.to_string())
        .bind(by.id)
        .bind(crate::audit::timestamp(now))
        .fetch_one(c)
        .await);
        // A colleague's console opened the same transaction a moment before this one.
        let id = match inserted {
            Ok(id) => id,
            Err(err) if unique_violation(&err) => {
                return Err(Error::conflict_on("transactionId", "dispute_exists"));
            }
            Err(err) => return Err(err.into()),
        };
        let head = lock(&mut tx, id).await?;
        core_op(
            &mut tx,
            &head,
            op::OPEN,
            "open",
            json!({ "transactionId": transaction_id, "reason": reason.code }),
            by.id,
            now,
        )
        .await?;
        tx.audit(head.audit(by, "team.dispute_opened").detail(json!({
            "team": team.as_str(),
            "transactionId": transaction_id,
            "reason": reason.code,
            "amount": Money::from_minor_units(amount_fen).to_string(),
            "dueOn": due.to_string(),
        })));
        tx.touch(team.as_str());
        tx.commit().await?;
        self.dispute_for(by, id, today).await
    }

    /// The dispute's case screen as of `today`: deadlines, clock and allowed steps from the
    /// console desk's rules.
    pub async fn dispute(&self, id: i64, today: NaiveDate) -> Result<TeamDispute> {
        let sql = format!("SELECT {COLUMNS} FROM team_disputes d WHERE d.id = $1");
        let row: Option<Stored> =
            on_pool!(self, p => sqlx::query_as(&sql).bind(id).fetch_optional(p).await?);
        let head = Head::of(row.ok_or_else(|| Error::NotFound(format!("team dispute {id}")))?)?;
        let rows: Vec<(String, String)> = on_pool!(self, p => sqlx::query_as(SETTINGS_SQL)
            .bind(POLICY_KEY)
            .bind(REASONS_KEY)
            .bind(CALENDAR_KEY)
            .fetch_all(p)
            .await?);
        let (cfg, cal) = configuration(rows)?;
        let clock = head.clock(&cal)?;
        let deadlines = desk::deadlines_of(&clock, cfg.reasons.get(&head.row.reason), &cal)?;
        let evidence: Vec<(i64, String, String, String, String)> = on_pool!(self, p => sqlx::query_as(
            "SELECT e.id, e.kind, e.description, s.username, e.added_at \
             FROM team_dispute_evidence e JOIN team_staff s ON s.id = e.added_by \
             WHERE e.dispute_id = $1 ORDER BY e.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?);
        let evidence = evidence
            .into_iter()
            .map(|(id, kind, description, added_by, added_at)| {
                Ok(EvidenceRow {
                    id,
                    kind: EvidenceKind::parse(&kind)?,
                    description,
                    added_by,
                    added_at,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        type ProposalRow = (
            i64,
            String,
            String,
            String,
            String,
            Option<String>,
            Option<String>,
        );
        let proposals: Vec<ProposalRow> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, p.note, a.username, p.proposed_at, p.status, b.username, \
             p.decision_note FROM team_dispute_credits p \
             JOIN team_staff a ON a.id = p.proposed_by \
             LEFT JOIN team_staff b ON b.id = p.decided_by \
             WHERE p.dispute_id = $1 ORDER BY p.id",
        )
        .bind(id)
        .fetch_all(p)
        .await?);
        let proposals: Vec<CreditProposalRow> = proposals
            .into_iter()
            .map(
                |(id, note, proposed_by, proposed_at, status, decided_by, decision_note)| {
                    CreditProposalRow {
                        id,
                        note,
                        proposed_by,
                        proposed_at,
                        status,
                        decided_by,
                        decision_note,
                    }
                },
            )
            .collect();
        let core_ops: Vec<TeamCoreOp> = on_pool!(self, p => sqlx::query_as(
            "SELECT id, kind, op_key, state, attempts, last_error, last_error_detail, \
             discard_reason FROM team_dispute_core_ops WHERE dispute_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(p)
        .await?);
        let live_proposal = proposals
            .iter()
            .any(|p| p.status == "pending" || p.status == "approved");
        let steps = DisputeSteps::allowed(
            &clock,
            live_proposal,
            head.chargeback_on.is_some(),
            deadlines.chargeback_by,
            today,
            &cal,
        );
        let [credit_on, told_on, extended_on, decided_on] = head.events;
        let row = head.row;
        Ok(TeamDispute {
            id: row.id,
            case_no: row.case_no,
            transaction_id: row.transaction_id,
            customer_id: row.customer_id,
            wallet_id: row.wallet_id,
            amount: Money::from_minor_units(row.amount_fen),
            counterparty: row.counterparty,
            reason: row.reason,
            policy: head.policy,
            facts: head.facts,
            team: row.team,
            status: head.status,
            assignee_id: row.assignee_id,
            assignee_name: row.assignee_name,
            version: row.version,
            due_on: clock.due_date(&cal).map_err(desk::rule)?,
            clock: clock.status_on(today, &cal).map_err(desk::rule)?,
            deadlines,
            credit_on,
            told_on,
            extended_on,
            decided_on,
            findings: row.findings,
            chargeback_on: head.chargeback_on,
            core_dispute_id: row.core_dispute_id,
            evidence,
            proposals,
            core_ops,
            steps,
            actions: Vec::new(),
        })
    }

    /// One page of a team's open disputes in due order (keyset: the page after `after`).
    pub async fn dispute_queue(
        &self,
        me: &TeamMember,
        q: &TeamQueueQuery,
    ) -> Result<TeamDisputePage> {
        may(me, Permission::WorkDisputes)?;
        let limit = i64::from(q.limit.clamp(1, MAX_PAGE));
        let (after_due, after_id) = match &q.after {
            Some(key) => {
                let bad = || Error::field("after", "invalid");
                let (due, id) = key.split_once('|').ok_or_else(bad)?;
                parse_date(due).map_err(|_| bad())?;
                (due.to_owned(), id.parse::<i64>().map_err(|_| bad())?)
            }
            None => (String::new(), 0),
        };
        let filter = match q.queue {
            TeamQueue::All => "",
            TeamQueue::Unassigned => " AND d.assignee_id IS NULL",
            TeamQueue::Mine => " AND d.assignee_id = $5",
        };
        // Read first, so a change after it shows as a newer version, never as a missed one.
        let version = self.queue_version(&q.team).await?;
        let sql = format!(
            "SELECT d.id, d.case_no, d.customer_id, d.amount_fen, d.reason, d.due_on, \
             d.assignee_id, s.display_name AS assignee_name, d.version \
             FROM team_disputes d LEFT JOIN team_staff s ON s.id = d.assignee_id \
             WHERE d.team = $1 AND d.status = 'open'{filter} AND (d.due_on, d.id) > ($2, $3) \
             ORDER BY d.due_on, d.id LIMIT $4"
        );
        type QueueRow = (
            i64,
            String,
            String,
            i64,
            String,
            String,
            Option<i64>,
            Option<String>,
            i64,
        );
        let rows: Vec<QueueRow> = on_pool!(self, p => {
            let query = sqlx::query_as(&sql)
                .bind(&q.team)
                .bind(&after_due)
                .bind(after_id)
                .bind(limit + 1);
            let query = if q.queue == TeamQueue::Mine { query.bind(me.id) } else { query };
            query.fetch_all(p).await?
        });
        let mut disputes: Vec<TeamDisputeRow> = rows
            .into_iter()
            .map(
                |(
                    id,
                    case_no,
                    customer_id,
                    fen,
                    reason,
                    due_on,
                    assignee_id,
                    assignee_name,
                    version,
                )| {
                    TeamDisputeRow {
                        id,
                        case_no,
                        customer_id,
                        amount: Money::from_minor_units(fen),
                        reason,
                        due_on,
                        assignee_id,
                        assignee_name,
                        version,
                    }
                },
            )
            .collect();
        let next = if disputes.len() as i64 > limit {
            disputes.truncate(limit as usize);
            disputes.last().map(|d| format!("{}|{}", d.due_on, d.id))
        } else {
            None
        };
        Ok(TeamDisputePage {
            disputes,
            next,
            version,
        })
    }

    /// Takes a dispute for `me`: of two handlers pressing "take" together exactly one wins
    /// (PostgreSQL re-checks the WHERE after the first taker's row lock is released).
    pub async fn take_dispute(
        &self,
        me: &TeamMember,
        id: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<DisputeTakeOutcome> {
        may(me, Permission::WorkDisputes)?;
        let mut tx = self.begin(now).await?;
        let taken: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
            "UPDATE team_disputes SET assignee_id = $1, taken_at = $2, version = version + 1 \
             WHERE id = $3 AND assignee_id IS NULL AND status = 'open' RETURNING case_no, team",
        )
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(id)
        .fetch_optional(c)
        .await?);
        let Some((case_no, team)) = taken else {
            tx.commit().await?;
            let dispute = self.dispute(id, today).await?;
            return match (dispute.status, dispute.assignee_id, dispute.assignee_name) {
                (DisputeStatus::Open, Some(by_id), Some(by_name)) => {
                    Ok(DisputeTakeOutcome::AlreadyTaken {
                        case_no: dispute.case_no,
                        by_id,
                        by_name,
                    })
                }
                _ => Err(Error::conflict_on("dispute", "dispute_decided")),
            };
        };
        let mut rec = TeamAudit::new(me.id, &me.username, "team.dispute_taken");
        rec.subject_kind = Some("dispute");
        rec.subject_id = Some(case_no);
        tx.audit(rec);
        tx.touch(&team);
        tx.commit().await?;
        Ok(DisputeTakeOutcome::Taken {
            dispute: Box::new(self.dispute_for(me, id, today).await?),
        })
    }

    /// Takes the team's most urgent unassigned open dispute (the queue's order: due date, then
    /// id), passing over any a colleague's transaction is taking this instant (`SKIP LOCKED`
    /// on PostgreSQL; SQLite has one writer). `None`: nothing left to take.
    pub async fn take_next_dispute(
        &self,
        me: &TeamMember,
        team: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<Option<TeamDispute>> {
        may(me, Permission::WorkDisputes)?;
        let mut tx = self.begin(now).await?;
        let sql = format!(
            "SELECT id, case_no FROM team_disputes WHERE team = $1 AND status = 'open' \
             AND assignee_id IS NULL ORDER BY due_on, id LIMIT 1{}",
            tx.skip_locked()
        );
        let next: Option<(i64, String)> =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(team).fetch_optional(c).await?);
        let Some((id, case_no)) = next else {
            tx.commit().await?;
            return Ok(None);
        };
        // The row is ours (locked, or SQLite's single writer): the guard cannot fail, and is
        // kept so a change of the locking above could not silently take a held dispute.
        let changed = on_tx!(tx, c => sqlx::query(
            "UPDATE team_disputes SET assignee_id = $1, taken_at = $2, version = version + 1 \
             WHERE id = $3 AND assignee_id IS NULL",
        )
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(id)
        .execute(c)
        .await?
        .rows_affected());
        if changed != 1 {
            return Err(Error::Internal(anyhow::anyhow!(
                "take-next lost a locked dispute {case_no}"
            )));
        }
        let mut rec = TeamAudit::new(me.id, &me.username, "team.dispute_taken");
        rec.subject_kind = Some("dispute");
        rec.subject_id = Some(case_no);
        tx.audit(rec.detail(json!({ "next": true })));
        tx.touch(team);
        tx.commit().await?;
        Ok(Some(self.dispute_for(me, id, today).await?))
    }

    /// Text evidence added by the holder; its kind and description also go to the core.
    pub async fn add_dispute_evidence(
        &self,
        me: &TeamMember,
        input: &EvidenceInput,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let description = desk::text("description", &input.description)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, input.dispute_id, version).await?;
        let evidence_id: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_dispute_evidence (dispute_id, kind, description, added_by, \
             added_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(head.row.id)
        .bind(input.kind.as_str())
        .bind(&description)
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .fetch_one(c)
        .await?);
        core_op(
            &mut tx,
            &head,
            op::EVIDENCE,
            &format!("evidence:{evidence_id}"),
            json!({ "kind": input.kind.as_str(), "description": description }),
            me.id,
            now,
        )
        .await?;
        tx.audit(
            head.audit(me, "team.dispute_evidence_added")
                .detail(json!({ "kind": input.kind.as_str() })),
        );
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, input.dispute_id, today).await
    }

    /// The holder proposes a provisional credit; it waits in the team's approvals inbox for a
    /// supervisor who is not the proposer, on any console.
    pub async fn propose_dispute_credit(
        &self,
        me: &TeamMember,
        input: &DisputeTextInput,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let note = desk::text("text", &input.text)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, input.dispute_id, version).await?;
        if let Some(on) = head.events[0] {
            return Err(desk::rule(DisputeRuleError::CreditAlreadyGiven { on }));
        }
        let live: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT COUNT(*) FROM team_dispute_credits WHERE dispute_id = $1 \
             AND status IN ('pending', 'approved')",
        )
        .bind(head.row.id)
        .fetch_one(c)
        .await?);
        if live > 0 {
            return Err(Error::conflict_on("dispute", "dispute_credit_pending"));
        }
        let proposal: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "INSERT INTO team_dispute_credits (dispute_id, note, proposed_by, proposed_at, status) \
             VALUES ($1, $2, $3, $4, 'pending') RETURNING id",
        )
        .bind(head.row.id)
        .bind(&note)
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .fetch_one(c)
        .await?);
        tx.audit(
            head.audit(me, "team.dispute_credit_proposed")
                .detail(json!({
                    "proposalId": proposal,
                    "amount": Money::from_minor_units(head.row.amount_fen).to_string(),
                })),
        );
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, input.dispute_id, today).await
    }

    /// The team's approvals inbox for provisional credits, oldest first, each marked with
    /// whether `me` may decide it (a supervisor sees their own proposals waiting, not to approve).
    pub async fn pending_dispute_credits(&self, me: &TeamMember) -> Result<Vec<PendingTeamCredit>> {
        may(me, Permission::ApproveDisputeCredit)?;
        let mut pending: Vec<PendingTeamCredit> = on_pool!(self, p => sqlx::query_as(
            "SELECT p.id, p.dispute_id, d.case_no, d.amount_fen, p.note, p.proposed_by, \
             s.display_name AS proposed_by_name, p.proposed_at, d.due_on \
             FROM team_dispute_credits p JOIN team_disputes d ON d.id = p.dispute_id \
             JOIN team_staff s ON s.id = p.proposed_by \
             WHERE p.status = 'pending' ORDER BY p.proposed_at, p.id",
        )
        .fetch_all(p)
        .await?);
        for credit in &mut pending {
            credit.may_decide = credit.proposed_by != me.id;
            credit.amount = Money::from_minor_units(credit.amount_fen);
        }
        Ok(pending)
    }

    /// A supervisor who did not propose it approves the credit (the clock records it given
    /// today, the core is to post it) or refuses it with a note. Maker = checker is refused.
    pub async fn decide_dispute_credit(
        &self,
        me: &TeamMember,
        input: &CreditDecisionInput,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::ApproveDisputeCredit)?;
        let note = match (&input.note, input.approve) {
            (Some(n), _) if !n.trim().is_empty() => Some(desk::text("note", n)?),
            (_, false) => return Err(Error::field("note", "dispute_refusal_needs_note")),
            _ => None,
        };
        let mut tx = self.begin(now).await?;
        let sql = format!(
            "SELECT dispute_id, proposed_by, status FROM team_dispute_credits WHERE id = $1{}",
            tx.lock()
        );
        let found: Option<(i64, i64, String)> =
            on_tx!(tx, c => sqlx::query_as(&sql).bind(input.proposal_id).fetch_optional(c).await?);
        let (dispute_id, proposer, status) =
            found.ok_or_else(|| Error::NotFound(format!("proposal {}", input.proposal_id)))?;
        if status != "pending" {
            return Err(Error::conflict_on("proposal", "dispute_proposal_decided"));
        }
        // Four eyes: the one who proposed the credit never approves it.
        if proposer == me.id {
            return Err(Error::conflict_on("proposal", "maker_is_checker"));
        }
        let head = lock(&mut tx, dispute_id).await?;
        head.require_open()?;
        if input.approve {
            let (_, cal) = settings_in(&mut tx).await?;
            let clock = head.clock(&cal)?.credit_given(today).map_err(desk::rule)?;
            set_date(&mut tx, dispute_id, "credit_on", today).await?;
            save_due(&mut tx, dispute_id, &clock, &cal).await?;
            core_op(&mut tx, &head, op::CREDIT, "credit", json!({}), me.id, now).await?;
        }
        on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_credits SET status = $1, decided_by = $2, decided_at = $3, \
             decision_note = $4 WHERE id = $5",
        )
        .bind(if input.approve { "approved" } else { "refused" })
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(&note)
        .bind(input.proposal_id)
        .execute(c)
        .await?
        .rows_affected());
        // The holder's screen showed the dispute before the credit: it reloads, never overwrites.
        bump(&mut tx, dispute_id).await?;
        let action = if input.approve {
            "team.dispute_credit_approved"
        } else {
            "team.dispute_credit_refused"
        };
        tx.audit(head.audit(me, action).detail(json!({
            "proposalId": input.proposal_id,
            "proposedBy": proposer,
            "note": note,
        })));
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, dispute_id, today).await
    }

    /// Regulation E: the customer was told of the provisional credit today.
    pub async fn dispute_customer_told(
        &self,
        me: &TeamMember,
        id: i64,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, id, version).await?;
        let (_, cal) = settings_in(&mut tx).await?;
        head.clock(&cal)?.customer_told(today).map_err(desk::rule)?;
        set_date(&mut tx, id, "told_on", today).await?;
        tx.audit(
            head.audit(me, "team.dispute_customer_told")
                .detail(json!({ "toldOn": today.to_string() })),
        );
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, id, today).await
    }

    /// Regulation E: extends the investigation (45 or 90 days), only as the rule allows.
    pub async fn extend_dispute(
        &self,
        me: &TeamMember,
        id: i64,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, id, version).await?;
        let (_, cal) = settings_in(&mut tx).await?;
        let clock = head.clock(&cal)?.extend(today, &cal).map_err(desk::rule)?;
        set_date(&mut tx, id, "extended_on", today).await?;
        save_due(&mut tx, id, &clock, &cal).await?;
        let due = clock.due_date(&cal).map_err(desk::rule)?;
        tx.audit(
            head.audit(me, "team.dispute_extended")
                .detail(json!({ "dueOn": due.to_string() })),
        );
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, id, today).await
    }

    /// The holder decides for the customer or the bank with findings (under the China set an
    /// unauthorised payment is decided for the bank only with the user's fault proven). For
    /// the bank after a provisional credit, the core is to reverse the credit.
    pub async fn decide_dispute(
        &self,
        me: &TeamMember,
        input: &DisputeDecisionInput,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let findings = desk::text("findings", &input.findings)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, input.dispute_id, version).await?;
        let (cfg, cal) = settings_in(&mut tx).await?;
        let reason = desk::decision_reason(&cfg, &head.row.reason);
        head.policy
            .check_decision(&reason, input.for_customer, input.user_fault_proven)
            .map_err(desk::rule)?;
        head.clock(&cal)?.decide(today).map_err(desk::rule)?;
        let status = if input.for_customer {
            DisputeStatus::DecidedCustomer
        } else {
            DisputeStatus::DecidedBank
        };
        on_tx!(tx, c => sqlx::query(
            "UPDATE team_disputes SET status = $1, decided_on = $2, findings = $3, \
             user_fault_proven = $4 WHERE id = $5",
        )
        .bind(status.as_str())
        .bind(today.to_string())
        .bind(&findings)
        .bind(input.user_fault_proven)
        .bind(head.row.id)
        .execute(c)
        .await?
        .rows_affected());
        let in_favour_of = if input.for_customer {
            "customer"
        } else {
            "bank"
        };
        core_op(
            &mut tx,
            &head,
            op::DECIDE,
            "decide",
            json!({ "inFavourOf": in_favour_of, "findings": findings }),
            me.id,
            now,
        )
        .await?;
        let reverse = !input.for_customer && head.events[0].is_some();
        if reverse {
            core_op(
                &mut tx,
                &head,
                op::REVERSE,
                "reverse",
                json!({}),
                me.id,
                now,
            )
            .await?;
        }
        tx.audit(head.audit(me, "team.dispute_decided").detail(json!({
            "forCustomer": input.for_customer,
            "userFaultProven": input.user_fault_proven,
            "reversal": reverse,
        })));
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, input.dispute_id, today).await
    }

    /// Files a card chargeback within the reason's window.
    pub async fn dispute_chargeback(
        &self,
        me: &TeamMember,
        id: i64,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::WorkDisputes)?;
        let mut tx = self.begin(now).await?;
        let head = claim(&mut tx, me, id, version).await?;
        if head.chargeback_on.is_some() {
            return Err(Error::conflict_on("dispute", "dispute_chargeback_filed"));
        }
        let (cfg, cal) = settings_in(&mut tx).await?;
        let reason = cfg
            .reasons
            .get(&head.row.reason)
            .ok_or_else(|| Error::conflict_on("dispute", "dispute_reason_unknown"))?;
        let deadline =
            chargeback_deadline(head.facts.transaction_on, reason, &cal).map_err(desk::rule)?;
        if today > deadline {
            return Err(desk::rule(
                policy::DisputeRuleError::ChargebackWindowClosed { deadline },
            ));
        }
        set_date(&mut tx, id, "chargeback_on", today).await?;
        core_op(
            &mut tx,
            &head,
            op::CHARGEBACK,
            "chargeback",
            json!({ "reasonCode": reason.code }),
            me.id,
            now,
        )
        .await?;
        tx.audit(
            head.audit(me, "team.dispute_chargeback_filed")
                .detail(json!({
                    "reasonCode": reason.code,
                    "deadline": deadline.to_string(),
                })),
        );
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, id, today).await
    }

    /// A dispute supervisor sends an op that needs attention again: back to `pending`, its
    /// attempts reset and its next attempt now, so the sender takes it on its next round
    /// under the same key (the core dedupes on it). Allowed for an op the core refused with a
    /// code that cannot succeed unchanged too: the supervisor may have fixed things at the
    /// core. Any state but `attention` is refused (a pending op is still the sender's).
    pub async fn resend_dispute_op(
        &self,
        me: &TeamMember,
        dispute_id: i64,
        op_id: i64,
        version: i64,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::ApproveDisputeCredit)?;
        let mut tx = self.begin(now).await?;
        let (head, found) = op_in_attention(&mut tx, dispute_id, op_id, version).await?;
        on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_core_ops SET state = 'pending', attempts = 0, \
             next_attempt_at = NULL, claimed_by = NULL, claimed_until = NULL, \
             last_error = NULL, last_error_detail = NULL WHERE id = $1",
        )
        .bind(op_id)
        .execute(c)
        .await?
        .rows_affected());
        tx.audit(head.audit(me, "team.dispute_core_resent").detail(json!({
            "kind": found.kind,
            "opKey": found.op_key,
            "code": found.last_error,
            "attempts": found.attempts,
        })));
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, dispute_id, today).await
    }

    /// A dispute supervisor sets an op that needs attention aside, saying why: state
    /// `discarded`, never sent again, and the dispute's later ops may go. A `done` op is the
    /// core's truth and is never set aside (`core_op_done`).
    #[allow(clippy::too_many_arguments)]
    pub async fn discard_dispute_op(
        &self,
        me: &TeamMember,
        dispute_id: i64,
        op_id: i64,
        version: i64,
        reason: &str,
        today: NaiveDate,
        now: DateTime<Utc>,
    ) -> Result<TeamDispute> {
        may(me, Permission::ApproveDisputeCredit)?;
        let reason = desk::text("reason", reason)?;
        let mut tx = self.begin(now).await?;
        let (head, found) = op_in_attention(&mut tx, dispute_id, op_id, version).await?;
        on_tx!(tx, c => sqlx::query(
            "UPDATE team_dispute_core_ops SET state = 'discarded', discard_reason = $1, \
             discarded_by = $2, discarded_at = $3, claimed_by = NULL, claimed_until = NULL \
             WHERE id = $4",
        )
        .bind(&reason)
        .bind(me.id)
        .bind(crate::audit::timestamp(now))
        .bind(op_id)
        .execute(c)
        .await?
        .rows_affected());
        tx.audit(head.audit(me, "team.dispute_core_discarded").detail(json!({
            "kind": found.kind,
            "opKey": found.op_key,
            "code": found.last_error,
            "reason": reason,
        })));
        tx.touch(&head.row.team);
        tx.commit().await?;
        self.dispute_for(me, dispute_id, today).await
    }

    /// The team's dispute policy set and reason codes, in the console store's formats: a
    /// supervisor's choice for every console of the team.
    pub async fn save_dispute_config(&self, cfg: &DisputeConfig) -> Result<()> {
        cfg.policy
            .validate()
            .map_err(|e| Error::Internal(anyhow::anyhow!("{e}")))?;
        let policy = serde_json::to_string(&cfg.policy).map_err(anyhow::Error::from)?;
        let reasons = serde_json::to_string(&cfg.reasons).map_err(anyhow::Error::from)?;
        for (key, value) in [(POLICY_KEY, policy), (REASONS_KEY, reasons)] {
            on_pool!(self, p => sqlx::query(
                "INSERT INTO team_settings (key, value) VALUES ($1, $2) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(key)
            .bind(value)
            .execute(p)
            .await?
            .rows_affected());
        }
        Ok(())
    }
}

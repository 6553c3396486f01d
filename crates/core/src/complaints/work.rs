//! Working a case: assignment (with recusal), notes, contact log, representatives, appraisal
//! pauses, the extension chain, repeats (merge or restart), withdrawal; and the case view.

use super::case::{self, CaseHead, ClockEvent, date_text, parse_date, queue_due_on};
use super::clock::{ClockStatus, ComplaintClock, ExtensionKind};
use super::decision::{self, Decision, Survey};
use super::intake::{self, Complainant, LONG_TEXT, SHORT_TEXT};
use super::types::{
    Channel, ComplaintError, ComplaintStatus, ContactKind, ContactOutcome, ExtensionStatus,
    Severity, Text,
};
use crate::access::{Permission, Role};
use crate::calendar::BusinessCalendar;
use crate::console::Actor;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{FromRow, Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AssignInput {
    pub case_id: i64,
    /// `None` returns the case to the unassigned queue.
    pub assignee_id: Option<i64>,
    /// Moves the case to another team as well, when given.
    pub team: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InterestInput {
    pub case_id: i64,
    pub staff_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct CaseTextInput {
    pub case_id: i64,
    /// The note, the reason, the new facts: whatever the command records.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ContactInput {
    pub case_id: i64,
    pub kind: ContactKind,
    pub outcome: ContactOutcome,
    pub summary: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddRepresentativeInput {
    pub case_id: i64,
    pub name: String,
    pub contact: String,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionDecisionInput {
    pub extension_id: i64,
    pub approve: bool,
    /// Required when refusing: the handler needs to know why.
    pub note: Option<String>,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MergeRepeatInput {
    /// The repeat, registered as its own case: it is closed as merged.
    pub repeat_id: i64,
    /// The first case, which keeps its clock.
    pub into_id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawInput {
    pub case_id: i64,
    /// The day the withdrawal arrived; defaults to today. The case closes that day.
    #[ts(type = "string | null")]
    pub arrived_on: Option<NaiveDate>,
    pub note: Option<String>,
}

// ---- views ------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ClockEventView {
    pub kind: String,
    #[ts(type = "string")]
    pub on: NaiveDate,
    pub reason: Option<String>,
    pub approved_by: Option<String>,
    pub recorded_by: i64,
    /// A pause: when the customer was told of it, and how (call, letter, visit, sms).
    pub customer_told_at: Option<String>,
    pub customer_told_by: Option<String>,
}

/// A step on a case. The case view lists the ones the signed-in staff member may take now
/// ([`ComplaintDetail::actions`]); the screen offers exactly those, and each command checks
/// its own rule again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CaseAction {
    AssignToMe,
    AddNote,
    LogContact,
    Pause,
    Resume,
    ExtendComplex,
    RequestExtension,
    Withdraw,
    Decide,
    RequestReview,
    RecordSurvey,
    /// A repeat with no new facts, folded into the first case.
    MergeRepeat,
    /// New facts: the clock restarts today.
    NewFacts,
    /// Record that a staff member has a direct interest (recusal).
    DeclareInterest,
    /// Escalate to a supervisor by hand, with a reason.
    Escalate,
    /// Record that the customer was told of the running appraisal pause.
    PauseTold,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ExtensionView {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ExtensionKind,
    pub reason: String,
    pub requested_by: i64,
    pub requested_at: String,
    #[sqlx(try_from = "String")]
    pub status: ExtensionStatus,
    pub decided_by: Option<i64>,
    pub decided_at: Option<String>,
    pub decision_note: Option<String>,
    pub customer_notified_at: Option<String>,
    /// Whether the signed-in staff member may record now that the customer was told of it.
    #[sqlx(skip)]
    pub may_mark_notified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Representative {
    pub id: i64,
    pub name: String,
    pub contact: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    pub id: i64,
    pub author_id: i64,
    pub at: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct ContactEntry {
    pub id: i64,
    pub staff_id: i64,
    pub at: String,
    #[sqlx(try_from = "String")]
    pub kind: ContactKind,
    #[sqlx(try_from = "String")]
    pub outcome: ContactOutcome,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct InterestedParty {
    pub staff_id: i64,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ComplaintDetail {
    pub id: i64,
    pub case_no: String,
    pub channel: Channel,
    pub complainant: Complainant,
    pub product: String,
    pub category_id: i64,
    pub what_happened: String,
    pub customer_asks: String,
    pub severity: Severity,
    pub branch: String,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    pub assignee_id: Option<i64>,
    pub team: String,
    pub status: ComplaintStatus,
    /// For a paused case, the earliest the due date can be.
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub clock: ClockStatus,
    pub limit_days: u32,
    pub paused_days: u32,
    #[ts(type = "string | null")]
    pub closed_on: Option<NaiveDate>,
    pub on_time: Option<bool>,
    pub linked_id: Option<i64>,
    pub merged_into_id: Option<i64>,
    pub review_of_id: Option<i64>,
    /// The review case opened on this one, if the customer asked for a review.
    pub review_case_id: Option<i64>,
    /// Last day the customer may ask in writing for a review (decided cases only).
    #[ts(type = "string | null")]
    pub review_window_end: Option<NaiveDate>,
    pub decision: Option<Decision>,
    pub events: Vec<ClockEventView>,
    pub extensions: Vec<ExtensionView>,
    pub representatives: Vec<Representative>,
    pub notes: Vec<Note>,
    pub contacts: Vec<ContactEntry>,
    pub interested_parties: Vec<InterestedParty>,
    pub survey: Option<Survey>,
    /// The same complainant's other open cases, oldest first: what a repeat may merge into.
    pub related: Vec<RelatedCase>,
    /// Escalations to a supervisor, by hand or by rule, oldest first.
    pub escalations: Vec<super::escalation::Escalation>,
    /// The steps the signed-in staff member may take on the case now, in the order the
    /// screen shows them.
    pub actions: Vec<CaseAction>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, sqlx::FromRow)]
#[serde(rename_all = "camelCase")]
pub struct RelatedCase {
    pub id: i64,
    pub case_no: String,
    pub received_on: String,
}

/// The complainant's other open cases (same customer, or same name and contact), oldest first.
async fn related_open_cases(
    conn: &mut SqliteConnection,
    id: i64,
    complainant: &Complainant,
) -> Result<Vec<RelatedCase>> {
    let sql = "SELECT id, case_no, received_on FROM complaints WHERE id <> ?                AND status IN ('open','paused') AND ";
    let rows =
        match complainant {
            Complainant::Customer { customer_id } => {
                sqlx::query_as(&format!(
                    "{sql} customer_id = ? ORDER BY received_on, id LIMIT 20"
                ))
                .bind(id)
                .bind(customer_id)
                .fetch_all(&mut *conn)
                .await?
            }
            Complainant::NotACustomer { name, contact } => sqlx::query_as(&format!(
                "{sql} prospect_name = ? AND prospect_contact = ? ORDER BY received_on, id LIMIT 20"
            ))
            .bind(id)
            .bind(name)
            .bind(contact)
            .fetch_all(&mut *conn)
            .await?,
        };
    Ok(rows)
}

// ---- steps ------------------------------------------------------------------------------

/// Loads a case for a handler's step: it must be open and the handler free of interest.
pub async fn open_case_for(
    conn: &mut SqliteConnection,
    case_id: i64,
    actor_id: i64,
) -> Result<CaseHead> {
    let head = case::head(conn, case_id).await?;
    head.require_open()?;
    case::check_not_interested(conn, &head, actor_id).await?;
    Ok(head)
}

/// Recusal and fitness: the assignee must be an active handler with no interest in the case.
pub async fn assign(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    input: &AssignInput,
) -> Result<()> {
    if let Some(staff_id) = input.assignee_id {
        let row = sqlx::query("SELECT role, active FROM staff WHERE id = ?")
            .bind(staff_id)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or_else(|| Error::NotFound(format!("staff {staff_id}")))?;
        let role = Role::parse(row.try_get("role")?);
        let active: bool = row.try_get("active")?;
        if !active || !role.is_some_and(|r| r.may(Permission::WorkComplaints)) {
            return Err(ComplaintError::NotAHandler { staff_id }.into());
        }
        case::check_not_interested(conn, head, staff_id).await?;
    }
    let team = match &input.team {
        Some(t) => Text::parse("team", t, SHORT_TEXT)?.into_string(),
        None => head.team.clone(),
    };
    sqlx::query("UPDATE complaints SET assignee_id = ?, team = ? WHERE id = ?")
        .bind(input.assignee_id)
        .bind(team)
        .bind(head.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Records an interest; if that person holds the case, it goes back to the unassigned queue.
/// Returns whether the case was unassigned.
pub async fn declare_interest(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    staff_id: i64,
    reason: &Text,
) -> Result<bool> {
    intake::insert_interest(conn, head.id, staff_id, reason.as_str()).await?;
    if head.assignee_id == Some(staff_id) {
        sqlx::query("UPDATE complaints SET assignee_id = NULL WHERE id = ?")
            .bind(head.id)
            .execute(&mut *conn)
            .await?;
        return Ok(true);
    }
    Ok(false)
}

pub async fn add_note(
    conn: &mut SqliteConnection,
    case_id: i64,
    author_id: i64,
    body: &Text,
    now: DateTime<Utc>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_notes (complaint_id, author_id, at, body) VALUES (?,?,?,?) \
         RETURNING id",
    )
    .bind(case_id)
    .bind(author_id)
    .bind(crate::audit::timestamp(now))
    .bind(body.as_str())
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn log_contact(
    conn: &mut SqliteConnection,
    input: &ContactInput,
    staff_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let summary = Text::parse("summary", &input.summary, LONG_TEXT)?;
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_contacts (complaint_id, staff_id, at, kind, outcome, summary) \
         VALUES (?,?,?,?,?,?) RETURNING id",
    )
    .bind(input.case_id)
    .bind(staff_id)
    .bind(crate::audit::timestamp(now))
    .bind(input.kind.as_str())
    .bind(input.outcome.as_str())
    .bind(summary.as_str())
    .fetch_one(&mut *conn)
    .await?)
}

/// A group sends at most the configured number of representatives (default 5). Counted in the
/// inserting transaction; the single writer means no second insert can slip in between.
pub async fn add_representative(
    conn: &mut SqliteConnection,
    case_id: i64,
    name: &Text,
    contact: &Text,
) -> Result<i64> {
    let max = case::max_representatives(conn).await?;
    let count: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM complaint_representatives WHERE complaint_id = ?")
            .bind(case_id)
            .fetch_one(&mut *conn)
            .await?;
    if count >= i64::from(max) {
        return Err(ComplaintError::TooManyRepresentatives { max }.into());
    }
    intake::insert_representative(conn, case_id, name, contact).await
}

async fn insert_extension(
    conn: &mut SqliteConnection,
    case_id: i64,
    kind: ExtensionKind,
    reason: &str,
    actor_id: i64,
    now: DateTime<Utc>,
    status: ExtensionStatus,
) -> Result<i64> {
    let kind = match kind {
        ExtensionKind::Complex => "complex",
        ExtensionKind::ParticularlyComplex => "particularly_complex",
    };
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_extensions (complaint_id, kind, reason, requested_by, \
         requested_at, status) VALUES (?,?,?,?,?,?) RETURNING id",
    )
    .bind(case_id)
    .bind(kind)
    .bind(reason)
    .bind(actor_id)
    .bind(crate::audit::timestamp(now))
    .bind(status.as_str())
    .fetch_one(&mut *conn)
    .await?)
}

/// Complex: the handler extends to the complex-case limit (30 days) at once, with a reason.
pub async fn extend_complex(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    calendar: &BusinessCalendar,
    reason: &str,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let today = crate::clock::local_date(now);
    case::apply_event(
        conn,
        head,
        calendar,
        ClockEvent::ExtendComplex {
            reason: reason.to_owned(),
        },
        today,
        actor_id,
        now,
    )
    .await?;
    insert_extension(
        conn,
        head.id,
        ExtensionKind::Complex,
        reason.trim(),
        actor_id,
        now,
        ExtensionStatus::Applied,
    )
    .await
}

/// Particularly complex: a request waiting for the level above. Checked now against the clock
/// so a request that could never be approved (no complex extension yet, beyond the maximum,
/// case closed) is refused at once rather than at approval.
pub async fn request_particularly_complex(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    reason: &str,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let pending: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM complaint_extensions \
         WHERE complaint_id = ? AND status = 'pending')",
    )
    .bind(head.id)
    .fetch_one(&mut *conn)
    .await?;
    if pending {
        return Err(Error::Conflict(format!(
            "case {} already has an extension waiting for approval",
            head.case_no
        )));
    }
    let clock = case::replay(conn, head).await?;
    ClockEvent::ExtendParticularlyComplex {
        reason: reason.to_owned(),
        approved_by: "pending approval".to_owned(),
    }
    .apply(&clock, crate::clock::local_date(now))?;
    insert_extension(
        conn,
        head.id,
        ExtensionKind::ParticularlyComplex,
        reason.trim(),
        actor_id,
        now,
        ExtensionStatus::Pending,
    )
    .await
}

/// A particularly complex extension waiting for the level above, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PendingExtensionRow {
    pub extension_id: i64,
    pub case_id: i64,
    pub case_no: String,
    pub reason: String,
    pub requested_by: i64,
    pub requested_at: String,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
}

pub async fn pending_extensions(pool: &SqlitePool) -> Result<Vec<PendingExtensionRow>> {
    sqlx::query(
        "SELECT e.id, e.complaint_id, c.case_no, e.reason, e.requested_by, e.requested_at, \
         c.due_on FROM complaint_extensions e JOIN complaints c ON c.id = e.complaint_id \
         WHERE e.status = 'pending' ORDER BY e.requested_at, e.id LIMIT 500",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(PendingExtensionRow {
            extension_id: r.try_get("id")?,
            case_id: r.try_get("complaint_id")?,
            case_no: r.try_get("case_no")?,
            reason: r.try_get("reason")?,
            requested_by: r.try_get("requested_by")?,
            requested_at: r.try_get("requested_at")?,
            due_on: parse_date(r.try_get("due_on")?)?,
        })
    })
    .collect()
}

/// The extension request as the approver sees it.
#[derive(Debug, Clone)]
pub struct PendingExtension {
    pub id: i64,
    pub complaint_id: i64,
    pub reason: String,
    pub requested_by: i64,
    pub status: ExtensionStatus,
}

pub async fn extension(conn: &mut SqliteConnection, id: i64) -> Result<PendingExtension> {
    let row = sqlx::query(
        "SELECT id, complaint_id, reason, requested_by, status FROM complaint_extensions \
         WHERE id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("extension request {id}")))?;
    Ok(PendingExtension {
        id: row.try_get("id")?,
        complaint_id: row.try_get("complaint_id")?,
        reason: row.try_get("reason")?,
        requested_by: row.try_get("requested_by")?,
        status: ExtensionStatus::parse(row.try_get("status")?)?,
    })
}

/// The level above decides: never the requester. Approval applies the extension to the clock
/// (which may still refuse it, e.g. the case was decided meanwhile).
#[allow(clippy::too_many_arguments)]
pub async fn decide_extension(
    conn: &mut SqliteConnection,
    ext: &PendingExtension,
    head: &CaseHead,
    calendar: &BusinessCalendar,
    approve: bool,
    note: Option<&str>,
    approver_id: i64,
    approver: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    if ext.status != ExtensionStatus::Pending {
        return Err(ComplaintError::ExtensionAlreadyDecided {
            id: ext.id,
            status: ext.status,
        }
        .into());
    }
    if ext.requested_by == approver_id {
        return Err(ComplaintError::SelfApproval.into());
    }
    let note = note.map(str::trim).filter(|n| !n.is_empty());
    if !approve && note.is_none() {
        return Err(Error::InvalidInput(
            "note: say why the extension is refused".into(),
        ));
    }
    if approve {
        case::apply_event(
            conn,
            head,
            calendar,
            ClockEvent::ExtendParticularlyComplex {
                reason: ext.reason.clone(),
                approved_by: approver.to_owned(),
            },
            crate::clock::local_date(now),
            approver_id,
            now,
        )
        .await?;
    }
    let status = if approve {
        ExtensionStatus::Approved
    } else {
        ExtensionStatus::Refused
    };
    sqlx::query(
        "UPDATE complaint_extensions SET status = ?, decided_by = ?, decided_at = ?, \
         decision_note = ? WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(approver_id)
    .bind(crate::audit::timestamp(now))
    .bind(note)
    .bind(ext.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// The customer is told of an applied or approved extension.
pub async fn mark_extension_notified(
    conn: &mut SqliteConnection,
    ext: &PendingExtension,
    now: DateTime<Utc>,
) -> Result<()> {
    if !matches!(
        ext.status,
        ExtensionStatus::Applied | ExtensionStatus::Approved
    ) {
        return Err(Error::Conflict(
            "only an extension in force can be notified to the customer".into(),
        ));
    }
    sqlx::query("UPDATE complaint_extensions SET customer_notified_at = ? WHERE id = ?")
        .bind(crate::audit::timestamp(now))
        .bind(ext.id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// A repeat without new facts: closed as merged; the first case's clock records it and keeps
/// its deadline.
pub async fn merge_repeat(
    conn: &mut SqliteConnection,
    repeat: &CaseHead,
    into: &CaseHead,
    calendar: &BusinessCalendar,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if repeat.id == into.id || into.status == ComplaintStatus::Merged {
        return Err(ComplaintError::BadMerge.into());
    }
    case::apply_event(
        conn,
        into,
        calendar,
        ClockEvent::MergeRepeat,
        repeat.received_on,
        actor_id,
        now,
    )
    .await?;
    sqlx::query(
        "UPDATE complaints SET status = 'merged', merged_into_id = ?, closed_on = ?, \
         assignee_id = NULL WHERE id = ?",
    )
    .bind(into.id)
    .bind(date_text(crate::clock::local_date(now)))
    .bind(repeat.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

// ---- the case view ----------------------------------------------------------------------

/// The columns of a case the view shows (the decision's are read by `decision::from_row`).
#[derive(sqlx::FromRow)]
struct CaseRow {
    customer_id: Option<String>,
    prospect_name: Option<String>,
    prospect_contact: Option<String>,
    #[sqlx(try_from = "String")]
    channel: Channel,
    product: String,
    category_id: i64,
    what_happened: String,
    customer_asks: String,
    #[sqlx(try_from = "String")]
    severity: Severity,
    branch: String,
    closed_on: Option<String>,
    on_time: Option<bool>,
    linked_id: Option<i64>,
}

/// A clock event as stored: its day is text.
#[derive(sqlx::FromRow)]
struct EventRow {
    kind: String,
    on_date: String,
    reason: Option<String>,
    approved_by: Option<String>,
    recorded_by: i64,
    customer_told_at: Option<String>,
    customer_told_by: Option<String>,
}

impl TryFrom<EventRow> for ClockEventView {
    type Error = Error;

    fn try_from(e: EventRow) -> Result<ClockEventView> {
        Ok(ClockEventView {
            on: parse_date(&e.on_date)?,
            kind: e.kind,
            reason: e.reason,
            approved_by: e.approved_by,
            recorded_by: e.recorded_by,
            customer_told_at: e.customer_told_at,
            customer_told_by: e.customer_told_by,
        })
    }
}

/// What decides the steps offered on a case, besides its clock.
#[derive(Debug)]
pub struct ActionFacts<'a> {
    pub actor: &'a Actor,
    pub status: ComplaintStatus,
    pub assignee_id: Option<i64>,
    /// The staff member has a direct interest in the case (recusal): no step at all.
    pub interested: bool,
    pub extension_pending: bool,
    pub is_review: bool,
    pub review_case_id: Option<i64>,
    pub surveyed: bool,
    pub escalated_by_hand: bool,
    /// The running pause's customer has not been told of it yet.
    pub pause_untold: bool,
}

/// The steps `facts.actor` may take on the case now. Each is the rule its command applies:
/// the desk's permission, recusal, the case's state, and what the clock would accept today
/// (an extension it would refuse is not offered). Pure, so it is tested without a store.
pub fn allowed_actions(
    facts: &ActionFacts<'_>,
    clock: &ComplaintClock,
    today: NaiveDate,
    calendar: &BusinessCalendar,
) -> Vec<CaseAction> {
    let role = facts.actor.role;
    if !role.may(Permission::WorkComplaints) || facts.interested {
        return Vec::new();
    }
    let clock_takes = |event: ClockEvent| event.apply(clock, today).is_ok();
    let mut actions = Vec::new();
    if facts.status.is_open() {
        if facts.assignee_id != Some(facts.actor.staff_id) {
            actions.push(CaseAction::AssignToMe);
        }
        actions.extend([CaseAction::AddNote, CaseAction::LogContact]);
        if clock_takes(ClockEvent::Resume) {
            actions.push(CaseAction::Resume);
        }
        if clock_takes(ClockEvent::Pause { reason: "?".into() }) {
            actions.push(CaseAction::Pause);
        }
        if clock_takes(ClockEvent::ExtendComplex { reason: "?".into() }) {
            actions.push(CaseAction::ExtendComplex);
        }
        if !facts.extension_pending
            && clock_takes(ClockEvent::ExtendParticularlyComplex {
                reason: "?".into(),
                approved_by: "?".into(),
            })
        {
            actions.push(CaseAction::RequestExtension);
        }
        if clock_takes(ClockEvent::Withdraw) {
            actions.push(CaseAction::Withdraw);
        }
        // Decided once the appraisal is back: the clock would close a running pause, but a
        // decision taken while the outside appraisal runs would lack its result. A review
        // case is decided by the level above only.
        if facts.status == ComplaintStatus::Open
            && clock_takes(ClockEvent::Decide)
            && (!facts.is_review || role.may(Permission::DecideComplaintReview))
        {
            actions.push(CaseAction::Decide);
        }
        // The repeat and recusal steps, after the ordinary ones.
        if clock_takes(ClockEvent::Restart { reason: "?".into() }) {
            actions.push(CaseAction::NewFacts);
        }
        if !facts.is_review {
            actions.push(CaseAction::MergeRepeat);
        }
        actions.push(CaseAction::DeclareInterest);
        if !facts.escalated_by_hand {
            actions.push(CaseAction::Escalate);
        }
        if facts.status == ComplaintStatus::Paused && facts.pause_untold {
            actions.push(CaseAction::PauseTold);
        }
    }
    if facts.status == ComplaintStatus::Decided
        && facts.review_case_id.is_none()
        && !facts.is_review
        && clock.can_request_review(today, calendar).unwrap_or(false)
    {
        actions.push(CaseAction::RequestReview);
    }
    if matches!(
        facts.status,
        ComplaintStatus::Decided | ComplaintStatus::Withdrawn
    ) && !facts.surveyed
    {
        actions.push(CaseAction::RecordSurvey);
    }
    actions
}

pub async fn detail(
    pool: &SqlitePool,
    id: i64,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    actor: &Actor,
) -> Result<ComplaintDetail> {
    let mut conn = pool.acquire().await?;
    let head = case::head(&mut conn, id).await?;
    let clock: ComplaintClock = case::replay(&mut conn, &head).await?;
    let r = sqlx::query("SELECT * FROM complaints WHERE id = ?")
        .bind(id)
        .fetch_one(&mut *conn)
        .await?;
    let row = CaseRow::from_row(&r)?;
    let complainant = match row.customer_id {
        Some(customer_id) => Complainant::Customer { customer_id },
        None => Complainant::NotACustomer {
            name: row.prospect_name.unwrap_or_default(),
            contact: row.prospect_contact.unwrap_or_default(),
        },
    };
    let closed_on = row.closed_on.as_deref().map(parse_date).transpose()?;
    let review_case_id: Option<i64> =
        sqlx::query_scalar("SELECT id FROM complaints WHERE review_of_id = ? LIMIT 1")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    let review_window_end = clock.review_window_end(calendar).ok();
    let events = sqlx::query_as::<_, EventRow>(
        "SELECT kind, on_date, reason, approved_by, recorded_by, customer_told_at, \
         customer_told_by FROM complaint_clock_events \
         WHERE complaint_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?
    .into_iter()
    .map(ClockEventView::try_from)
    .collect::<Result<Vec<_>>>()?;
    let extensions: Vec<ExtensionView> = sqlx::query_as(
        "SELECT id, kind, reason, requested_by, requested_at, status, decided_by, decided_at, \
         decision_note, customer_notified_at FROM complaint_extensions \
         WHERE complaint_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let representatives: Vec<Representative> = sqlx::query_as(
        "SELECT id, name, contact FROM complaint_representatives WHERE complaint_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let notes: Vec<Note> = sqlx::query_as(
        "SELECT id, author_id, at, body FROM complaint_notes WHERE complaint_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let contacts: Vec<ContactEntry> = sqlx::query_as(
        "SELECT id, staff_id, at, kind, outcome, summary FROM complaint_contacts \
         WHERE complaint_id = ? ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let interested_parties: Vec<InterestedParty> = sqlx::query_as(
        "SELECT staff_id, reason FROM complaint_interested_parties WHERE complaint_id = ? \
         ORDER BY staff_id",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;

    let survey = decision::survey(&mut conn, id).await?;
    let related = related_open_cases(&mut conn, id, &complainant).await?;
    let escalations = super::escalation::of_case(&mut conn, id).await?;
    let pause_untold = events
        .iter()
        .rev()
        .find(|e| e.kind == "pause")
        .is_some_and(|e| e.customer_told_at.is_none());
    let interested = interested_parties
        .iter()
        .any(|p| p.staff_id == actor.staff_id);
    let actions = allowed_actions(
        &ActionFacts {
            actor,
            status: head.status,
            assignee_id: head.assignee_id,
            interested,
            extension_pending: extensions
                .iter()
                .any(|e| e.status == ExtensionStatus::Pending),
            is_review: head.review_of_id.is_some(),
            review_case_id,
            surveyed: survey.is_some(),
            escalated_by_hand: escalations
                .iter()
                .any(|e| e.rule == super::escalation::EscalationRule::ByHand),
            pause_untold,
        },
        &clock,
        today,
        calendar,
    );
    // Telling the customer of an extension in force is a step on the open case.
    let may_notify = actions.contains(&CaseAction::AddNote);
    let extensions = extensions
        .into_iter()
        .map(|e| ExtensionView {
            may_mark_notified: may_notify
                && e.customer_notified_at.is_none()
                && matches!(
                    e.status,
                    ExtensionStatus::Applied | ExtensionStatus::Approved
                ),
            ..e
        })
        .collect();
    Ok(ComplaintDetail {
        id,
        case_no: head.case_no.clone(),
        channel: row.channel,
        complainant,
        product: row.product,
        category_id: row.category_id,
        what_happened: row.what_happened,
        customer_asks: row.customer_asks,
        severity: row.severity,
        branch: row.branch,
        received_on: head.received_on,
        assignee_id: head.assignee_id,
        team: head.team.clone(),
        status: head.status,
        due_on: queue_due_on(&clock, calendar)?,
        clock: clock
            .status_on(today, calendar)
            .map_err(ComplaintError::from)?,
        limit_days: clock.limit_days(),
        paused_days: clock.paused_days(),
        closed_on,
        on_time: row.on_time,
        linked_id: row.linked_id,
        merged_into_id: head.merged_into_id,
        review_of_id: head.review_of_id,
        review_case_id,
        review_window_end,
        decision: decision::from_row(&r)?,
        related,
        escalations,
        events,
        extensions,
        representatives,
        notes,
        contacts,
        interested_parties,
        survey,
        actions,
    })
}

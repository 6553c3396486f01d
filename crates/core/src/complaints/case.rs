//! A stored case and its clock: loading, replaying the clock from its events, appending an
//! event, and keeping the denormalised columns (status, due_on, closed_on, on_time) in step.

use super::clock::{ClosureKind, ComplaintClock, ComplaintPolicy};
use super::types::{ComplaintError, ComplaintStatus};
use crate::calendar::{BusinessCalendar, china_2026};
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{Row, SqliteConnection, SqlitePool};

/// Settings keys a supervisor's tooling may set; each has a default so a fresh store works.
pub const CALENDAR_KEY: &str = "business_calendar";
pub const POLICY_KEY: &str = "complaint_policy";
pub const MAX_REPRESENTATIVES_KEY: &str = "complaint_max_representatives";
pub const DEFAULT_MAX_REPRESENTATIVES: u32 = 5;

/// The working-day calendar: the supervisor-maintained text in settings, else mainland China 2026.
pub async fn load_calendar(conn: &mut SqliteConnection) -> Result<BusinessCalendar> {
    let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(CALENDAR_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    match text {
        Some(text) => BusinessCalendar::parse(&text)
            .map_err(|e| Error::Internal(anyhow::anyhow!("stored calendar is invalid: {e}"))),
        None => Ok(china_2026()),
    }
}

pub async fn load_calendar_pool(pool: &SqlitePool) -> Result<BusinessCalendar> {
    let mut conn = pool.acquire().await?;
    load_calendar(&mut conn).await
}

/// The policy new cases start under.
pub async fn load_policy(conn: &mut SqliteConnection) -> Result<ComplaintPolicy> {
    let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(POLICY_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    let policy = match text {
        Some(text) => serde_json::from_str(&text)
            .map_err(|e| Error::Internal(anyhow::anyhow!("stored complaint policy: {e}")))?,
        None => ComplaintPolicy::default(),
    };
    policy.validate().map_err(ComplaintError::from)?;
    Ok(policy)
}

pub async fn max_representatives(conn: &mut SqliteConnection) -> Result<u32> {
    let text: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(MAX_REPRESENTATIVES_KEY)
        .fetch_optional(&mut *conn)
        .await?;
    Ok(text
        .and_then(|t| t.parse().ok())
        .unwrap_or(DEFAULT_MAX_REPRESENTATIVES))
}

/// What the rules need to know about a case; the full view is `work::detail`.
#[derive(Debug, Clone)]
pub struct CaseHead {
    pub id: i64,
    pub case_no: String,
    pub customer_id: Option<String>,
    pub status: ComplaintStatus,
    pub assignee_id: Option<i64>,
    pub team: String,
    pub received_on: NaiveDate,
    pub policy: ComplaintPolicy,
    pub review_of_id: Option<i64>,
    pub merged_into_id: Option<i64>,
}

pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| Error::Internal(anyhow::anyhow!("stored date {text:?}: {e}")))
}

pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

pub fn parse_policy(text: &str) -> Result<ComplaintPolicy> {
    serde_json::from_str(text)
        .map_err(|e| Error::Internal(anyhow::anyhow!("stored case policy: {e}")))
}

/// The id of `policy` in the policy table, adding it the first time it is used.
pub async fn policy_id(conn: &mut SqliteConnection, policy: &ComplaintPolicy) -> Result<i64> {
    let text = serde_json::to_string(policy).map_err(anyhow::Error::from)?;
    // The no-op update makes RETURNING yield the existing row's id on conflict.
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_policies (policy) VALUES (?) \
         ON CONFLICT (policy) DO UPDATE SET policy = excluded.policy RETURNING id",
    )
    .bind(text)
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn head(conn: &mut SqliteConnection, id: i64) -> Result<CaseHead> {
    let row = sqlx::query(
        "SELECT c.id, c.case_no, c.customer_id, c.status, c.assignee_id, c.team, c.received_on, \
         p.policy, c.review_of_id, c.merged_into_id \
         FROM complaints c JOIN complaint_policies p ON p.id = c.policy_id WHERE c.id = ?",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?
    .ok_or_else(|| Error::NotFound(format!("complaint {id}")))?;
    Ok(CaseHead {
        id: row.try_get("id")?,
        case_no: row.try_get("case_no")?,
        customer_id: row.try_get("customer_id")?,
        status: ComplaintStatus::parse(row.try_get("status")?)?,
        assignee_id: row.try_get("assignee_id")?,
        team: row.try_get("team")?,
        received_on: parse_date(row.try_get("received_on")?)?,
        policy: parse_policy(row.try_get("policy")?)?,
        review_of_id: row.try_get("review_of_id")?,
        merged_into_id: row.try_get("merged_into_id")?,
    })
}

impl CaseHead {
    pub fn require_open(&self) -> Result<()> {
        if self.status.is_open() {
            Ok(())
        } else {
            Err(ComplaintError::NotOpen {
                case_no: self.case_no.clone(),
                status: self.status,
            }
            .into())
        }
    }
}

/// Recusal: refuses `staff_id` if they have a direct interest in the case.
pub async fn check_not_interested(
    conn: &mut SqliteConnection,
    case: &CaseHead,
    staff_id: i64,
) -> Result<()> {
    let interested: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM complaint_interested_parties \
         WHERE complaint_id = ? AND staff_id = ?)",
    )
    .bind(case.id)
    .bind(staff_id)
    .fetch_one(&mut *conn)
    .await?;
    if interested {
        return Err(ComplaintError::Recused {
            case_no: case.case_no.clone(),
            staff_id,
        }
        .into());
    }
    Ok(())
}

/// One stored clock event. Replaying every event of a case in id order rebuilds its clock.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClockEvent {
    ExtendComplex { reason: String },
    ExtendParticularlyComplex { reason: String, approved_by: String },
    Pause { reason: String },
    Resume,
    Restart { reason: String },
    MergeRepeat,
    Withdraw,
    Decide,
}

impl ClockEvent {
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            ClockEvent::ExtendComplex { .. } => "extend_complex",
            ClockEvent::ExtendParticularlyComplex { .. } => "extend_particularly_complex",
            ClockEvent::Pause { .. } => "pause",
            ClockEvent::Resume => "resume",
            ClockEvent::Restart { .. } => "restart",
            ClockEvent::MergeRepeat => "merge_repeat",
            ClockEvent::Withdraw => "withdraw",
            ClockEvent::Decide => "decide",
        }
    }

    pub(crate) fn reason(&self) -> Option<&str> {
        match self {
            ClockEvent::ExtendComplex { reason }
            | ClockEvent::ExtendParticularlyComplex { reason, .. }
            | ClockEvent::Pause { reason }
            | ClockEvent::Restart { reason } => Some(reason),
            _ => None,
        }
    }

    pub(crate) fn from_row(
        kind: &str,
        reason: Option<String>,
        approved_by: Option<String>,
    ) -> Result<Self> {
        let reason_text = reason.unwrap_or_default();
        Ok(match kind {
            "extend_complex" => ClockEvent::ExtendComplex {
                reason: reason_text,
            },
            "extend_particularly_complex" => ClockEvent::ExtendParticularlyComplex {
                reason: reason_text,
                approved_by: approved_by.unwrap_or_default(),
            },
            "pause" => ClockEvent::Pause {
                reason: reason_text,
            },
            "resume" => ClockEvent::Resume,
            "restart" => ClockEvent::Restart {
                reason: reason_text,
            },
            "merge_repeat" => ClockEvent::MergeRepeat,
            "withdraw" => ClockEvent::Withdraw,
            "decide" => ClockEvent::Decide,
            other => {
                return Err(Error::Internal(anyhow::anyhow!(
                    "unknown clock event {other:?} in the store"
                )));
            }
        })
    }

    /// The clock after this event, or the rule that refuses it.
    pub fn apply(
        &self,
        clock: &ComplaintClock,
        on: NaiveDate,
    ) -> std::result::Result<ComplaintClock, ComplaintError> {
        Ok(match self {
            ClockEvent::ExtendComplex { reason } => clock.extend_complex(on, reason)?,
            ClockEvent::ExtendParticularlyComplex {
                reason,
                approved_by,
            } => clock.extend_particularly_complex(on, reason, approved_by)?,
            ClockEvent::Pause { .. } => clock.pause_for_appraisal(on)?,
            ClockEvent::Resume => clock.resume(on)?,
            ClockEvent::Restart { .. } => clock.restart_with_new_facts(on)?,
            ClockEvent::MergeRepeat => clock.merge_repeat(on)?,
            ClockEvent::Withdraw => clock.withdraw(on)?,
            ClockEvent::Decide => clock.decide(on)?,
        })
    }
}

/// Rebuilds the clock from receipt and the stored events.
pub async fn replay(conn: &mut SqliteConnection, case: &CaseHead) -> Result<ComplaintClock> {
    let rows = sqlx::query(
        "SELECT complaint_id, kind, on_date, reason, approved_by FROM complaint_clock_events \
         WHERE complaint_id = ? ORDER BY id",
    )
    .bind(case.id)
    .fetch_all(&mut *conn)
    .await?;
    let events = rows
        .iter()
        .map(StoredEvent::from_row)
        .collect::<Result<Vec<_>>>()?;
    replay_events(&case.case_no, case.policy, case.received_on, &events)
}

/// A clock event as read back from the store.
#[derive(Debug, Clone)]
pub struct StoredEvent {
    pub complaint_id: i64,
    pub on: NaiveDate,
    pub event: ClockEvent,
}

impl StoredEvent {
    pub fn from_row(row: &sqlx::sqlite::SqliteRow) -> Result<StoredEvent> {
        Ok(StoredEvent {
            complaint_id: row.try_get("complaint_id")?,
            on: parse_date(row.try_get("on_date")?)?,
            event: ClockEvent::from_row(
                row.try_get("kind")?,
                row.try_get("reason")?,
                row.try_get("approved_by")?,
            )?,
        })
    }
}

pub fn replay_events(
    case_no: &str,
    policy: ComplaintPolicy,
    received_on: NaiveDate,
    events: &[StoredEvent],
) -> Result<ComplaintClock> {
    let mut clock =
        ComplaintClock::received_under(policy, received_on).map_err(ComplaintError::from)?;
    for stored in events {
        // A stored history the rules now refuse means the store was edited outside the desk.
        clock = stored.event.apply(&clock, stored.on).map_err(|e| {
            Error::Internal(anyhow::anyhow!("case {case_no} clock does not replay: {e}"))
        })?;
    }
    Ok(clock)
}

/// The due date the queues sort by. While paused, the earliest it can be (pause ending today
/// would add nothing more than the days already passed; ending the day it began adds none).
pub fn queue_due_on(
    clock: &ComplaintClock,
    calendar: &BusinessCalendar,
) -> std::result::Result<NaiveDate, ComplaintError> {
    match clock.paused_since() {
        Some(since) => Ok(clock.resume(since)?.due_date(calendar)?),
        None => Ok(clock.due_date(calendar)?),
    }
}

/// Applies `event` on `on` to the case's replayed clock, stores it, and refreshes the
/// denormalised columns. Returns the new clock.
pub async fn apply_event(
    conn: &mut SqliteConnection,
    case: &CaseHead,
    calendar: &BusinessCalendar,
    event: ClockEvent,
    on: NaiveDate,
    actor_id: i64,
    at: DateTime<Utc>,
) -> Result<ComplaintClock> {
    let clock = replay(conn, case).await?;
    let next = event.apply(&clock, on)?;
    let approved_by = match &event {
        ClockEvent::ExtendParticularlyComplex { approved_by, .. } => Some(approved_by.as_str()),
        _ => None,
    };
    sqlx::query(
        "INSERT INTO complaint_clock_events \
         (complaint_id, kind, on_date, reason, approved_by, recorded_by, recorded_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(case.id)
    .bind(event.kind())
    .bind(date_text(on))
    .bind(event.reason())
    .bind(approved_by)
    .bind(actor_id)
    .bind(crate::audit::timestamp(at))
    .execute(&mut *conn)
    .await?;
    refresh(conn, case, &next, calendar).await?;
    Ok(next)
}

/// Writes status, due_on, closed_on and on_time from the clock. A merged case keeps `merged`.
pub async fn refresh(
    conn: &mut SqliteConnection,
    case: &CaseHead,
    clock: &ComplaintClock,
    calendar: &BusinessCalendar,
) -> Result<()> {
    let due = queue_due_on(clock, calendar)?;
    let (status, closed_on, on_time) = match clock.closed() {
        Some((on, kind)) => {
            let status = match kind {
                ClosureKind::Decided => ComplaintStatus::Decided,
                ClosureKind::Withdrawn => ComplaintStatus::Withdrawn,
            };
            (status, Some(date_text(on)), Some(on <= due))
        }
        None if clock.paused_since().is_some() => (ComplaintStatus::Paused, None, None),
        None => (ComplaintStatus::Open, None, None),
    };
    let status = if case.status == ComplaintStatus::Merged {
        ComplaintStatus::Merged
    } else {
        status
    };
    sqlx::query(
        "UPDATE complaints SET status = ?, due_on = ?, closed_on = ?, on_time = ? WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(date_text(due))
    .bind(closed_on)
    .bind(on_time)
    .bind(case.id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// After a calendar correction every running deadline follows the corrected calendar: replays
/// each open case and rewrites its due date where it moved. Closed cases keep the on-time mark
/// they were closed with. Returns how many due dates moved.
pub async fn recompute_open(
    conn: &mut SqliteConnection,
    calendar: &BusinessCalendar,
) -> Result<u64> {
    let cases = sqlx::query(
        "SELECT c.id, c.case_no, c.received_on, c.due_on, p.policy FROM complaints c \
         JOIN complaint_policies p ON p.id = c.policy_id WHERE c.status IN ('open','paused')",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut events: std::collections::HashMap<i64, Vec<StoredEvent>> =
        std::collections::HashMap::new();
    let rows = sqlx::query(
        "SELECT e.complaint_id, e.kind, e.on_date, e.reason, e.approved_by \
         FROM complaint_clock_events e JOIN complaints c ON c.id = e.complaint_id \
         WHERE c.status IN ('open','paused') ORDER BY e.complaint_id, e.id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for row in &rows {
        let event = StoredEvent::from_row(row)?;
        events.entry(event.complaint_id).or_default().push(event);
    }
    let mut moved = 0;
    for row in cases {
        let id: i64 = row.try_get("id")?;
        let case_no: String = row.try_get("case_no")?;
        let clock = replay_events(
            &case_no,
            parse_policy(row.try_get("policy")?)?,
            parse_date(row.try_get("received_on")?)?,
            events.get(&id).map(Vec::as_slice).unwrap_or_default(),
        )?;
        let due = date_text(queue_due_on(&clock, calendar)?);
        if due != row.try_get::<String, _>("due_on")? {
            sqlx::query("UPDATE complaints SET due_on = ? WHERE id = ?")
                .bind(due)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            moved += 1;
        }
    }
    Ok(moved)
}

/// Stores the supervisor's calendar text (checked by parsing it first).
pub async fn save_calendar(conn: &mut SqliteConnection, calendar: &BusinessCalendar) -> Result<()> {
    sqlx::query(
        "INSERT INTO settings (key, value) VALUES (?, ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(CALENDAR_KEY)
    .bind(calendar.to_text())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

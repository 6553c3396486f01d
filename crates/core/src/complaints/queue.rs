//! Work queues: open cases in due-date order, keyset-paged on (due_on, id) so a deep page costs
//! the same as the first, each row showing the clock's own status for today.

use super::case::{self, StoredEvent, date_text, parse_date, parse_policy};
use super::clock::{ClockStatus, ComplaintPolicy};
use super::types::{Channel, ComplaintError, ComplaintStatus, Severity};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool};
use std::collections::HashMap;
use ts_rs::TS;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum QueueKind {
    /// Assigned to the signed-in handler.
    Mine,
    /// Everything open for a team (the query's `team`).
    Team,
    Unassigned,
    /// Running (not paused) and due within the policy's warning days, today included.
    DueSoon,
    /// Running and past its due date.
    Overdue,
    /// Escalated to a supervisor, by hand or by a rule (`escalation.rs`).
    Escalated,
}

/// Where the next page starts: the last row's due date and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueCursor {
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    pub id: i64,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueQuery {
    pub queue: QueueKind,
    pub team: Option<String>,
    pub status: Option<ComplaintStatus>,
    pub channel: Option<Channel>,
    /// Includes the categories below it.
    pub category_id: Option<i64>,
    pub after: Option<QueueCursor>,
    /// 1-200; 0 means the default of 50.
    pub limit: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueueRow {
    pub id: i64,
    pub case_no: String,
    pub channel: Channel,
    /// Customer id, or the name of someone who is not a customer.
    pub complainant: String,
    pub product: String,
    pub category_id: i64,
    pub category_name: String,
    pub severity: Severity,
    pub assignee_id: Option<i64>,
    pub team: String,
    pub status: ComplaintStatus,
    #[ts(type = "string")]
    pub received_on: NaiveDate,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    /// Days left, due today, overdue by, or paused since: from the replayed clock.
    pub clock: ClockStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct QueuePage {
    pub rows: Vec<QueueRow>,
    /// Present when there may be more rows.
    pub next: Option<QueueCursor>,
}

pub const DEFAULT_PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 200;

/// `me`: the signed-in staff id (for [`QueueKind::Mine`]).
pub async fn page(
    pool: &SqlitePool,
    q: &QueueQuery,
    me: i64,
    today: NaiveDate,
    policy: &ComplaintPolicy,
    calendar: &BusinessCalendar,
) -> Result<QueuePage> {
    let limit = match q.limit {
        0 => DEFAULT_PAGE,
        n if n > MAX_PAGE => {
            return Err(Error::InvalidInput(format!(
                "limit: at most {MAX_PAGE} rows a page"
            )));
        }
        n => n,
    };
    let categories = match q.category_id {
        Some(root) => Some(super::intake::subtree(pool, root).await?),
        None => None,
    };
    // The status term must read exactly like the partial indexes' WHERE for SQLite to use them.
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT c.id, c.case_no, c.channel, c.customer_id, c.prospect_name, c.product, \
         c.category_id, g.name AS category_name, c.severity, c.assignee_id, c.team, c.status, \
         c.received_on, c.due_on, p.policy \
         FROM complaints c JOIN complaint_categories g ON g.id = c.category_id \
         JOIN complaint_policies p ON p.id = c.policy_id \
         WHERE c.status IN ('open','paused')",
    );
    match q.queue {
        QueueKind::Mine => {
            sql.push(" AND c.assignee_id = ").push_bind(me);
        }
        QueueKind::Team => {
            let Some(team) = q.team.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
                return Err(Error::InvalidInput(
                    "team: required for the team queue".into(),
                ));
            };
            sql.push(" AND c.team = ").push_bind(team.to_owned());
        }
        QueueKind::Unassigned => {
            sql.push(" AND c.assignee_id IS NULL");
        }
        QueueKind::DueSoon => {
            let until = today
                .checked_add_days(Days::new(u64::from(policy.due_soon_warning_days)))
                .unwrap_or(today);
            sql.push(" AND c.status = 'open' AND c.due_on >= ")
                .push_bind(date_text(today))
                .push(" AND c.due_on <= ")
                .push_bind(date_text(until));
        }
        QueueKind::Overdue => {
            sql.push(" AND c.status = 'open' AND c.due_on < ")
                .push_bind(date_text(today));
        }
        QueueKind::Escalated => {
            sql.push(
                " AND EXISTS (SELECT 1 FROM complaint_escalations s WHERE s.complaint_id = c.id)",
            );
        }
    }
    if q.queue != QueueKind::Team
        && let Some(team) = q.team.as_deref().map(str::trim).filter(|t| !t.is_empty())
    {
        sql.push(" AND c.team = ").push_bind(team.to_owned());
    }
    if let Some(status) = q.status {
        sql.push(" AND c.status = ").push_bind(status.as_str());
    }
    if let Some(channel) = q.channel {
        sql.push(" AND c.channel = ").push_bind(channel.as_str());
    }
    if let Some(ids) = &categories {
        sql.push(" AND c.category_id IN (");
        let mut list = sql.separated(", ");
        for id in ids {
            list.push_bind(*id);
        }
        sql.push(")");
    }
    if let Some(after) = &q.after {
        sql.push(" AND (c.due_on, c.id) > (")
            .push_bind(date_text(after.due_on))
            .push(", ")
            .push_bind(after.id)
            .push(")");
    }
    sql.push(" ORDER BY c.due_on, c.id LIMIT ")
        .push_bind(i64::from(limit));
    let rows = sql.build().fetch_all(pool).await?;

    let ids: Vec<i64> = rows
        .iter()
        .map(|r| r.try_get("id"))
        .collect::<std::result::Result<_, _>>()?;
    let mut events = events_of(pool, &ids).await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let id: i64 = r.try_get("id")?;
        let case_no: String = r.try_get("case_no")?;
        let received_on = parse_date(r.try_get("received_on")?)?;
        let clock = case::replay_events(
            &case_no,
            parse_policy(r.try_get("policy")?)?,
            received_on,
            &events.remove(&id).unwrap_or_default(),
        )?;
        let status = clock
            .status_on(today, calendar)
            .map_err(ComplaintError::from)?;
        let customer: Option<String> = r.try_get("customer_id")?;
        let prospect: Option<String> = r.try_get("prospect_name")?;
        out.push(QueueRow {
            id,
            case_no,
            channel: Channel::parse(r.try_get("channel")?)?,
            complainant: customer.or(prospect).unwrap_or_default(),
            product: r.try_get("product")?,
            category_id: r.try_get("category_id")?,
            category_name: r.try_get("category_name")?,
            severity: Severity::parse(r.try_get("severity")?)?,
            assignee_id: r.try_get("assignee_id")?,
            team: r.try_get("team")?,
            status: ComplaintStatus::parse(r.try_get("status")?)?,
            received_on,
            due_on: parse_date(r.try_get("due_on")?)?,
            clock: status,
        });
    }
    let next = (out.len() == limit as usize)
        .then(|| out.last())
        .flatten()
        .map(|last| QueueCursor {
            due_on: last.due_on,
            id: last.id,
        });
    Ok(QueuePage { rows: out, next })
}

/// The clock events of a page of cases in one query, grouped by case in event order.
async fn events_of(pool: &SqlitePool, ids: &[i64]) -> Result<HashMap<i64, Vec<StoredEvent>>> {
    let mut map: HashMap<i64, Vec<StoredEvent>> = HashMap::new();
    if ids.is_empty() {
        return Ok(map);
    }
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT complaint_id, kind, on_date, reason, approved_by FROM complaint_clock_events \
         WHERE complaint_id IN (",
    );
    let mut list = sql.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    sql.push(") ORDER BY complaint_id, id");
    for row in sql.build().fetch_all(pool).await? {
        let event = StoredEvent::from_row(&row)?;
        map.entry(event.complaint_id).or_default().push(event);
    }
    Ok(map)
}

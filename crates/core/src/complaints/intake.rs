//! Registering a complaint: who complains, about what, through which channel; the case
//! number; the category tree.

use super::case::{self, date_text};
use super::clock::{ComplaintClock, ComplaintPolicy};
use super::types::{CaseNo, Channel, ComplaintError, ComplaintStatus, Severity, Text};
use crate::calendar::BusinessCalendar;
use crate::error::{Error, Result};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

/// Who complains: a customer the core bank knows, or someone who is not (yet) one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Complainant {
    #[serde(rename_all = "camelCase")]
    Customer { customer_id: String },
    #[serde(rename_all = "camelCase")]
    NotACustomer { name: String, contact: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct RepresentativeInput {
    pub name: String,
    pub contact: String,
}

// Serialize: team mode seals it while the team server is away (team::counter).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewComplaintInput {
    pub channel: Channel,
    pub complainant: Complainant,
    pub product: String,
    pub category_id: i64,
    pub what_happened: String,
    pub customer_asks: String,
    pub severity: Severity,
    /// The day the complaint reached the bank; not counted (Civil Code art. 201). Defaults to today.
    #[ts(type = "string | null")]
    pub received_on: Option<NaiveDate>,
    pub team: String,
    /// A group complaining in person: its representatives (at most 5 by default).
    pub representatives: Vec<RepresentativeInput>,
    /// Staff with a direct interest (e.g. the one complained about): never assigned the case.
    pub interested_staff_ids: Vec<i64>,
    /// An earlier case this one relates to (not a merge: both stay open).
    pub linked_id: Option<i64>,
}

/// A complaint that passed every intake check, ready to store.
#[derive(Debug, Clone)]
pub struct ParsedComplaint {
    pub channel: Channel,
    pub customer_id: Option<String>,
    pub prospect: Option<(Text, Text)>,
    pub product: Text,
    pub category_id: i64,
    pub what_happened: Text,
    pub customer_asks: Text,
    pub severity: Severity,
    pub received_on: NaiveDate,
    pub team: Text,
    pub representatives: Vec<(Text, Text)>,
    pub interested_staff_ids: Vec<i64>,
    pub linked_id: Option<i64>,
}

pub const LONG_TEXT: usize = 4000;
pub const SHORT_TEXT: usize = 120;

pub fn parse(input: NewComplaintInput, today: NaiveDate) -> Result<ParsedComplaint> {
    let (customer_id, prospect) = match input.complainant {
        Complainant::Customer { customer_id } => {
            // A resident ID or a mobile typed where the customer's reference belongs would be
            // stored in the clear on the case (and kept as a draft on screen): refused here,
            // so the screen marks the field rather than guessing from the text's shape.
            let typed = crate::domain::normalize_typed(&customer_id);
            if crate::domain::ResidentId::parse(typed.trim()).is_ok()
                || crate::domain::Mobile::parse(typed.trim()).is_ok()
            {
                return Err(Error::field("customerId", "identity_number_not_reference"));
            }
            (
                Some(Text::parse("customerId", &customer_id, 64)?.into_string()),
                None,
            )
        }
        Complainant::NotACustomer { name, contact } => (
            None,
            Some((
                Text::parse("name", &name, SHORT_TEXT)?,
                Text::parse("contact", &contact, SHORT_TEXT)?,
            )),
        ),
    };
    let received_on = input.received_on.unwrap_or(today);
    if received_on > today {
        return Err(Error::field("receivedOn", "date_in_future"));
    }
    let representatives = input
        .representatives
        .iter()
        .map(|r| {
            Ok((
                Text::parse("representatives", &r.name, SHORT_TEXT)?,
                Text::parse("representatives", &r.contact, SHORT_TEXT)?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ParsedComplaint {
        channel: input.channel,
        customer_id,
        prospect,
        product: Text::parse("product", &input.product, SHORT_TEXT)?,
        category_id: input.category_id,
        what_happened: Text::parse("whatHappened", &input.what_happened, LONG_TEXT)?,
        customer_asks: Text::parse("customerAsks", &input.customer_asks, LONG_TEXT)?,
        severity: input.severity,
        received_on,
        team: Text::parse("team", &input.team, SHORT_TEXT)?,
        representatives,
        interested_staff_ids: input.interested_staff_ids,
        linked_id: input.linked_id,
    })
}

/// The next case number of `year`, without gaps (the single writer serialises this).
pub async fn next_case_no(conn: &mut SqliteConnection, year: i32) -> Result<CaseNo> {
    let serial: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_case_numbers (year, last) VALUES (?, 1) \
         ON CONFLICT (year) DO UPDATE SET last = last + 1 RETURNING last",
    )
    .bind(year)
    .fetch_one(&mut *conn)
    .await?;
    Ok(CaseNo::new(year, serial))
}

pub async fn check_category(conn: &mut SqliteConnection, category_id: i64) -> Result<()> {
    let active: Option<bool> =
        sqlx::query_scalar("SELECT active FROM complaint_categories WHERE id = ?")
            .bind(category_id)
            .fetch_optional(&mut *conn)
            .await?;
    match active {
        Some(true) => Ok(()),
        Some(false) => Err(Error::field("categoryId", "category_retired")),
        None => Err(Error::field("categoryId", "category_unknown")),
    }
}

/// Stores the case and its representatives and interested parties; returns (id, case number).
#[allow(clippy::too_many_arguments)]
pub async fn insert(
    conn: &mut SqliteConnection,
    c: &ParsedComplaint,
    policy: ComplaintPolicy,
    calendar: &BusinessCalendar,
    branch: &str,
    actor_id: i64,
    now: DateTime<Utc>,
    review_of_id: Option<i64>,
) -> Result<(i64, CaseNo)> {
    check_category(conn, c.category_id).await?;
    let max = case::max_representatives(conn).await?;
    if c.representatives.len() > max as usize {
        return Err(ComplaintError::TooManyRepresentatives { max }.into());
    }
    let clock =
        ComplaintClock::received_under(policy, c.received_on).map_err(ComplaintError::from)?;
    let due_on = clock.due_date(calendar).map_err(ComplaintError::from)?;
    let case_no = next_case_no(conn, crate::clock::local_date(now).year()).await?;
    let policy_id = case::policy_id(conn, &policy).await?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaints (case_no, channel, customer_id, prospect_name, prospect_contact, \
         product, category_id, what_happened, customer_asks, severity, branch, received_on, team, \
         status, policy_id, due_on, linked_id, review_of_id, created_by, created_at) \
         VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id",
    )
    .bind(case_no.as_str())
    .bind(c.channel.as_str())
    .bind(c.customer_id.as_deref())
    .bind(c.prospect.as_ref().map(|p| p.0.as_str()))
    .bind(c.prospect.as_ref().map(|p| p.1.as_str()))
    .bind(c.product.as_str())
    .bind(c.category_id)
    .bind(c.what_happened.as_str())
    .bind(c.customer_asks.as_str())
    .bind(c.severity.as_str())
    .bind(branch)
    .bind(date_text(c.received_on))
    .bind(c.team.as_str())
    .bind(ComplaintStatus::Open.as_str())
    .bind(policy_id)
    .bind(date_text(due_on))
    .bind(c.linked_id)
    .bind(review_of_id)
    .bind(actor_id)
    .bind(crate::audit::timestamp(now))
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            Error::InvalidInput("linked case does not exist".into())
        }
        other => other.into(),
    })?;
    for (name, contact) in &c.representatives {
        insert_representative(conn, id, name, contact).await?;
    }
    for staff_id in &c.interested_staff_ids {
        insert_interest(conn, id, *staff_id, "named at intake").await?;
    }
    Ok((id, case_no))
}

pub async fn insert_representative(
    conn: &mut SqliteConnection,
    complaint_id: i64,
    name: &Text,
    contact: &Text,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_representatives (complaint_id, name, contact) \
         VALUES (?, ?, ?) RETURNING id",
    )
    .bind(complaint_id)
    .bind(name.as_str())
    .bind(contact.as_str())
    .fetch_one(&mut *conn)
    .await?)
}

pub async fn insert_interest(
    conn: &mut SqliteConnection,
    complaint_id: i64,
    staff_id: i64,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO complaint_interested_parties (complaint_id, staff_id, reason) \
         VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    )
    .bind(complaint_id)
    .bind(staff_id)
    .bind(reason)
    .execute(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
            Error::InvalidInput(format!("staff {staff_id} does not exist"))
        }
        other => other.into(),
    })?;
    Ok(())
}

// ---- category tree ----------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Category {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub code: String,
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct NewCategoryInput {
    pub parent_id: Option<i64>,
    /// Stable key for statistics, e.g. "wallet.refund": lower case, digits, '.', '_'.
    pub code: String,
    pub name: String,
}

pub async fn categories(pool: &SqlitePool) -> Result<Vec<Category>> {
    let rows = sqlx::query(
        "SELECT id, parent_id, code, name, active FROM complaint_categories ORDER BY code",
    )
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(Category {
                id: r.try_get("id")?,
                parent_id: r.try_get("parent_id")?,
                code: r.try_get("code")?,
                name: r.try_get("name")?,
                active: r.try_get("active")?,
            })
        })
        .collect()
}

pub async fn insert_category(
    conn: &mut SqliteConnection,
    input: &NewCategoryInput,
) -> Result<Category> {
    let code = input.code.trim();
    let valid = !code.is_empty()
        && code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
    if !valid {
        return Err(Error::InvalidInput(
            "code: 1-64 of a-z, 0-9, '.', '_'".into(),
        ));
    }
    let name = Text::parse("name", &input.name, SHORT_TEXT)?;
    if let Some(parent) = input.parent_id {
        check_category(conn, parent).await?;
    }
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO complaint_categories (parent_id, code, name) VALUES (?, ?, ?) RETURNING id",
    )
    .bind(input.parent_id)
    .bind(code)
    .bind(name.as_str())
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            Error::Conflict(format!("category code {code} already exists"))
        }
        other => other.into(),
    })?;
    Ok(Category {
        id,
        parent_id: input.parent_id,
        code: code.to_owned(),
        name: name.into_string(),
        active: true,
    })
}

/// A category and every category below it: filtering by "wallet" includes "wallet.payment".
pub async fn subtree(pool: &SqlitePool, root: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "WITH RECURSIVE t(id) AS (SELECT ? UNION ALL \
         SELECT c.id FROM complaint_categories c JOIN t ON c.parent_id = t.id) \
         SELECT id FROM t",
    )
    .bind(root)
    .fetch_all(pool)
    .await?)
}

//! Leads: people who stop at the booth but do not sign up. Kept only with their separate
//! consent to be contacted (PIPL: no consent, nothing stored), followed up by the staff member
//! who took them (due today, overdue), closed with an outcome, or converted into a sign-up
//! that keeps the lead's campaign, booth and staff member. A lead that did not become a
//! customer is deleted after the retention (default 90 days, a setting), one audit record per
//! deletion.

use super::signups::{SignUpConsent, SignUpInput, SignUpRow};
use crate::access::{Permission, Role};
use crate::audit::{self, NewAudit};
use crate::console::{Actor, Console};
use crate::domain::Mobile;
use crate::error::{Error, FieldError, Result};
use crate::store::WriteTx;
use crate::sync::outbox;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// The contact notice the person agrees to (its version is stored with the lead).
pub const CONTACT_CONSENT_VERSION: &str = "2026-01";
/// Days a lead is kept when it does not become a customer (DOMAIN.md default).
pub const DEFAULT_RETENTION_DAYS: u32 = 90;
/// The retention a supervisor may set: at least a week (a follow-up needs time), at most a
/// year (PIPL: no longer than needed).
pub const RETENTION_RANGE: std::ops::RangeInclusive<u32> = 7..=365;
/// Settings key of the retention.
const RETENTION_KEY: &str = "lead_retention_days";
/// Longest interest or note, in characters.
const MAX_TEXT: usize = 200;

/// What staff record about a lead afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum LeadOutcome {
    Open,
    /// Reached; follow up again on the given day.
    Contacted,
    NotInterested,
    Unreachable,
    Converted,
}

impl LeadOutcome {
    fn as_str(self) -> &'static str {
        match self {
            LeadOutcome::Open => "open",
            LeadOutcome::Contacted => "contacted",
            LeadOutcome::NotInterested => "not_interested",
            LeadOutcome::Unreachable => "unreachable",
            LeadOutcome::Converted => "converted",
        }
    }

    fn parse(text: &str) -> LeadOutcome {
        match text {
            "contacted" => LeadOutcome::Contacted,
            "not_interested" => LeadOutcome::NotInterested,
            "unreachable" => LeadOutcome::Unreachable,
            "converted" => LeadOutcome::Converted,
            _ => LeadOutcome::Open,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadInput {
    pub booth: String,
    pub campaign: String,
    pub mobile: String,
    /// Optional.
    pub name: String,
    /// What they asked about.
    pub interest: String,
    /// The person's separate consent to be contacted: without it nothing is stored.
    pub contact_consent: bool,
    /// `YYYY-MM-DD`, or empty for tomorrow.
    pub follow_up_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadOutcomeInput {
    #[ts(type = "number")]
    pub id: i64,
    pub outcome: LeadOutcome,
    pub note: String,
    /// The next follow-up (`YYYY-MM-DD`) when the outcome is "contacted".
    pub follow_up_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadConvertInput {
    #[ts(type = "number")]
    pub id: i64,
    /// The sign-up's consents, each given separately (as at the booth).
    pub consents: Vec<SignUpConsent>,
}

/// A lead as staff see it: the mobile masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    #[ts(type = "number")]
    pub id: i64,
    pub masked_mobile: String,
    pub name: String,
    pub interest: String,
    pub campaign: String,
    pub booth: String,
    pub staff: String,
    pub follow_up_on: Option<String>,
    pub outcome: LeadOutcome,
    pub note: String,
    pub taken_on: String,
    /// The day the retention deletes it, unless it becomes a customer.
    pub deleted_on: Option<String>,
}

/// The staff member's follow-ups (a supervisor's: everyone's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct LeadList {
    pub overdue: Vec<Lead>,
    pub due_today: Vec<Lead>,
    pub later: Vec<Lead>,
    /// Closed (outcome recorded, or converted), newest first.
    pub closed: Vec<Lead>,
    pub retention_days: u32,
}

/// Who a converted lead's sign-up is credited to.
pub(crate) struct LeadCredit {
    pub lead_id: i64,
    pub staff_id: i64,
    pub staff_username: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    mobile: String,
    name: String,
    interest: String,
    campaign: String,
    booth: String,
    staff_id: i64,
    staff_username: String,
    follow_up_on: Option<String>,
    outcome: String,
    outcome_note: String,
    day: String,
}

const COLUMNS: &str = "id, mobile, name, interest, campaign, booth, staff_id, staff_username, \
     follow_up_on, outcome, outcome_note, day";

fn day_text(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(crate::domain::normalize_typed(text).trim(), "%Y-%m-%d").ok()
}

impl Row {
    fn view(self, retention: u32) -> Lead {
        let outcome = LeadOutcome::parse(&self.outcome);
        let deleted_on = (outcome != LeadOutcome::Converted)
            .then(|| parse_day(&self.day))
            .flatten()
            .map(|d| day_text(d + chrono::Duration::days(i64::from(retention))));
        Lead {
            id: self.id,
            masked_mobile: Mobile::parse(&self.mobile)
                .map(|m| m.masked())
                .unwrap_or_default(),
            name: self.name,
            interest: self.interest,
            campaign: self.campaign,
            booth: self.booth,
            staff: self.staff_username,
            follow_up_on: self.follow_up_on,
            outcome,
            note: self.outcome_note,
            taken_on: self.day,
            deleted_on,
        }
    }
}

/// The retention in force (the setting, else the default).
pub async fn retention_days(pool: &sqlx::SqlitePool) -> Result<u32> {
    let value: Option<String> = sqlx::query_scalar("SELECT value FROM settings WHERE key = ?")
        .bind(RETENTION_KEY)
        .fetch_optional(pool)
        .await?;
    Ok(value
        .and_then(|v| v.parse().ok())
        .filter(|d| RETENTION_RANGE.contains(d))
        .unwrap_or(DEFAULT_RETENTION_DAYS))
}

/// The follow-up rule: a day from today on; empty means tomorrow (a lead is always followed up).
pub fn follow_up_day(text: &str, today: NaiveDate) -> std::result::Result<NaiveDate, FieldError> {
    if text.trim().is_empty() {
        return Ok(today + chrono::Duration::days(1));
    }
    parse_day(text)
        .filter(|d| *d >= today)
        .ok_or_else(|| FieldError::new("followUpOn", "follow_up_not_future"))
}

/// Deletes every lead taken more than `retention` days before `today` that did not become a
/// customer, each with its own audit record (in the same transaction). Answers how many.
pub async fn sweep(
    conn: &mut WriteTx,
    today: NaiveDate,
    retention: u32,
    now: DateTime<Utc>,
) -> Result<usize> {
    let cutoff = day_text(today - chrono::Duration::days(i64::from(retention)));
    let expired: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, mobile, campaign, day FROM booth_leads \
         WHERE day < ? AND outcome <> 'converted' ORDER BY id",
    )
    .bind(&cutoff)
    .fetch_all(&mut **conn)
    .await?;
    for (id, mobile, campaign, day) in &expired {
        sqlx::query("DELETE FROM booth_leads WHERE id = ?")
            .bind(id)
            .execute(&mut **conn)
            .await?;
        audit::append(
            conn,
            now,
            NewAudit::new(None, "system".to_owned(), "lead.deleted_by_retention")
                .subject("lead", id.to_string())
                .detail(json!({
                    "maskedMobile": Mobile::parse(mobile).map(|m| m.masked()).unwrap_or_default(),
                    "campaign": campaign, "takenOn": day, "retentionDays": retention,
                })),
        )
        .await?;
    }
    Ok(expired.len())
}

/// Closes `lead` as converted into sign-up `signup_id`, in the sign-up's transaction.
pub(crate) async fn mark_converted(
    conn: &mut WriteTx,
    actor: &Actor,
    lead: &LeadCredit,
    signup_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let closed = sqlx::query(
        "UPDATE booth_leads SET outcome = 'converted', follow_up_on = NULL, signup_id = ?, \
         updated_at = ? WHERE id = ? AND outcome <> 'converted'",
    )
    .bind(signup_id)
    .bind(outbox::timestamp(now))
    .bind(lead.lead_id)
    .execute(&mut **conn)
    .await?;
    if closed.rows_affected() == 0 {
        return Err(Error::Conflict("the lead was already converted".to_owned()));
    }
    audit::append(
        conn,
        now,
        NewAudit::new(
            Some(actor.staff_id),
            actor.username.clone(),
            "lead.converted",
        )
        .subject("lead", lead.lead_id.to_string())
        .detail(json!({ "signupId": signup_id, "staff": lead.staff_username })),
    )
    .await?;
    Ok(())
}

impl Console {
    /// Runs the retention sweep (what listing the leads does first), answering how many went.
    pub(crate) async fn lead_sweep(&self) -> Result<usize> {
        let retention = retention_days(self.store().read()).await?;
        let today = crate::clock::local_date(self.now());
        let mut tx = self.store().begin().await?;
        let gone = sweep(&mut tx, today, retention, self.now()).await?;
        tx.commit().await?;
        Ok(gone)
    }

    /// Takes a lead at one of the staff member's booths: only with the contact consent.
    pub async fn lead_take(&self, input: LeadInput) -> Result<Lead> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let today = crate::clock::local_date(self.now());
        let mut problems = Vec::new();
        // No consent, no lead: checked first, and nothing of the person is kept or logged.
        if !input.contact_consent {
            return Err(Error::field("contactConsent", "contact_consent_required"));
        }
        let (booths, campaigns) = super::campaigns::all(self.store().read(), today).await?;
        let mine = super::campaigns::visible_to(actor.role, &actor.username, booths, campaigns);
        let booth = input.booth.trim();
        if !mine.booths.iter().any(|b| b.code == booth) {
            problems.push(FieldError::new("booth", "booth_not_yours"));
        }
        let campaign = input.campaign.trim();
        if !mine
            .campaigns
            .iter()
            .any(|c| c.code == campaign && c.booths.iter().any(|b| b == booth))
        {
            problems.push(FieldError::new("campaign", "campaign_not_at_booth"));
        }
        let mobile = Mobile::parse(&input.mobile).ok();
        if mobile.is_none() {
            problems.push(FieldError::new("mobile", "mobile_invalid"));
        }
        let name = input.name.trim().to_owned();
        if name.chars().count() > 64 || name.chars().any(char::is_control) {
            problems.push(FieldError::new("name", "text_length"));
        }
        let interest = input.interest.trim().to_owned();
        if interest.chars().count() > MAX_TEXT || interest.chars().any(char::is_control) {
            problems.push(FieldError::new("interest", "text_length"));
        }
        let follow_up = follow_up_day(&input.follow_up_on, today)
            .map_err(|p| problems.push(p))
            .ok();
        if let Some(mobile) = &mobile {
            let customer: Option<String> =
                sqlx::query_scalar("SELECT id FROM core_customers WHERE mobile = ? LIMIT 1")
                    .bind(mobile.expose())
                    .fetch_optional(self.store().read())
                    .await?;
            if customer.is_some() {
                problems.push(FieldError::new("mobile", "already_customer"));
            }
            let open: Option<i64> = sqlx::query_scalar(
                "SELECT id FROM booth_leads WHERE campaign = ? AND mobile = ? \
                 AND outcome IN ('open', 'contacted') LIMIT 1",
            )
            .bind(campaign)
            .bind(mobile.expose())
            .fetch_optional(self.store().read())
            .await?;
            if open.is_some() {
                problems.push(FieldError::new("mobile", "lead_exists"));
            }
        }
        let (Some(mobile), Some(follow_up), true) = (mobile, follow_up, problems.is_empty()) else {
            return Err(Error::InvalidFields(problems));
        };
        let now = self.now();
        let at = outbox::timestamp(now);
        let mut tx = self.store().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO booth_leads (mobile, name, interest, consent_version, consented_at, \
             campaign, booth, staff_id, staff_username, follow_up_on, created_at, day, \
             updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(mobile.expose())
        .bind(&name)
        .bind(&interest)
        .bind(CONTACT_CONSENT_VERSION)
        .bind(&at)
        .bind(campaign)
        .bind(booth)
        .bind(actor.staff_id)
        .bind(&actor.username)
        .bind(day_text(follow_up))
        .bind(&at)
        .bind(day_text(today))
        .bind(&at)
        .fetch_one(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(actor.staff_id), actor.username.clone(), "lead.taken")
                .subject("lead", id.to_string())
                .detail(json!({ "booth": booth, "campaign": campaign,
                    "maskedMobile": mobile.masked(), "followUpOn": day_text(follow_up) })),
        )
        .await?;
        tx.commit().await?;
        self.lead(id).await
    }

    async fn lead_row(&self, id: i64) -> Result<Row> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM booth_leads WHERE id = ?"))
            .bind(id)
            .fetch_optional(self.store().read())
            .await?
            .ok_or_else(|| Error::NotFound(format!("lead {id}")))
    }

    async fn lead(&self, id: i64) -> Result<Lead> {
        let retention = retention_days(self.store().read()).await?;
        Ok(self.lead_row(id).await?.view(retention))
    }

    /// A lead the actor may work: their own, or any for a supervisor.
    async fn own_lead(&self, actor: &Actor, id: i64) -> Result<Row> {
        let row = self.lead_row(id).await?;
        if actor.role != Role::Supervisor && row.staff_id != actor.staff_id {
            return Err(Error::Forbidden);
        }
        Ok(row)
    }

    /// The signed-in staff member's leads (a supervisor's: everyone's), sorted into overdue,
    /// due today, later and closed; the retention sweep runs first.
    pub async fn booth_leads(&self) -> Result<LeadList> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        self.lead_sweep().await?;
        let retention = retention_days(self.store().read()).await?;
        let today = day_text(crate::clock::local_date(self.now()));
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM booth_leads WHERE (?1 OR staff_id = ?2) \
             ORDER BY follow_up_on IS NULL, follow_up_on, id DESC"
        ))
        .bind(actor.role == Role::Supervisor)
        .bind(actor.staff_id)
        .fetch_all(self.store().read())
        .await?;
        let mut list = LeadList {
            overdue: Vec::new(),
            due_today: Vec::new(),
            later: Vec::new(),
            closed: Vec::new(),
            retention_days: retention,
        };
        for row in rows {
            let lead = row.view(retention);
            match lead.follow_up_on.as_deref() {
                None => list.closed.push(lead),
                Some(day) if day < today.as_str() => list.overdue.push(lead),
                Some(day) if day == today.as_str() => list.due_today.push(lead),
                Some(_) => list.later.push(lead),
            }
        }
        list.closed.sort_by_key(|l| std::cmp::Reverse(l.id));
        Ok(list)
    }

    /// Records what came of a follow-up: "contacted" sets the next follow-up; the others close
    /// the lead. Converting goes through `lead_convert`.
    pub async fn lead_outcome(&self, input: LeadOutcomeInput) -> Result<Lead> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let row = self.own_lead(&actor, input.id).await?;
        let today = crate::clock::local_date(self.now());
        if matches!(
            LeadOutcome::parse(&row.outcome),
            LeadOutcome::Converted | LeadOutcome::NotInterested | LeadOutcome::Unreachable
        ) {
            return Err(Error::field("outcome", "lead_closed"));
        }
        let note = input.note.trim().to_owned();
        if note.chars().count() > MAX_TEXT || note.chars().any(char::is_control) {
            return Err(Error::field("note", "text_length"));
        }
        let follow_up = match input.outcome {
            LeadOutcome::Contacted => Some(
                follow_up_day(&input.follow_up_on, today)
                    .map_err(|p| Error::InvalidFields(vec![p]))?,
            ),
            LeadOutcome::NotInterested | LeadOutcome::Unreachable => None,
            LeadOutcome::Open | LeadOutcome::Converted => {
                return Err(Error::field("outcome", "outcome_invalid"));
            }
        };
        let now = self.now();
        let mut tx = self.store().begin().await?;
        sqlx::query(
            "UPDATE booth_leads SET outcome = ?, outcome_note = ?, follow_up_on = ?, \
             updated_at = ? WHERE id = ?",
        )
        .bind(input.outcome.as_str())
        .bind(&note)
        .bind(follow_up.map(day_text))
        .bind(outbox::timestamp(now))
        .bind(input.id)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "lead.outcome_recorded",
            )
            .subject("lead", input.id.to_string())
            .detail(json!({ "outcome": input.outcome.as_str(), "note": note,
                "followUpOn": follow_up.map(day_text) })),
        )
        .await?;
        tx.commit().await?;
        self.lead(input.id).await
    }

    /// Signs the lead up (tier 4, as at the booth), credited to the lead's campaign, booth and
    /// staff member; the lead closes as converted in the sign-up's transaction.
    pub async fn lead_convert(&self, input: LeadConvertInput) -> Result<SignUpRow> {
        let actor = self.authorize(Permission::WorkBooth).await?;
        let row = self.own_lead(&actor, input.id).await?;
        if LeadOutcome::parse(&row.outcome) == LeadOutcome::Converted {
            return Err(Error::field("outcome", "lead_closed"));
        }
        let credit = LeadCredit {
            lead_id: row.id,
            staff_id: row.staff_id,
            staff_username: row.staff_username.clone(),
        };
        self.sign_up_for(
            &actor,
            SignUpInput {
                booth: row.booth,
                campaign: row.campaign,
                mobile: row.mobile,
                name: row.name,
                consents: input.consents,
            },
            Some(&credit),
        )
        .await
    }

    /// Sets how long leads that do not become customers are kept (days), audited.
    pub async fn lead_retention_set(&self, days: u32) -> Result<LeadList> {
        let actor = self.authorize(Permission::ManageCampaigns).await?;
        if !RETENTION_RANGE.contains(&days) {
            return Err(Error::field("retentionDays", "retention_range"));
        }
        let before = retention_days(self.store().read()).await?;
        let mut tx = self.store().begin().await?;
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(RETENTION_KEY)
        .bind(days.to_string())
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            self.now(),
            NewAudit::new(
                Some(actor.staff_id),
                actor.username.clone(),
                "lead.retention_set",
            )
            .detail(json!({ "from": before, "to": days })),
        )
        .await?;
        tx.commit().await?;
        self.booth_leads().await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("day")
    }

    #[test]
    fn a_lead_is_followed_up_from_today_on_and_tomorrow_by_default() {
        let today = day("2026-12-06");
        assert_eq!(follow_up_day("", today), Ok(day("2026-12-07")));
        assert_eq!(follow_up_day("2026-12-06", today), Ok(today));
        assert_eq!(
            follow_up_day("２０２６-１２-０９", today),
            Ok(day("2026-12-09"))
        );
        assert_eq!(
            follow_up_day("2026-12-05", today).map_err(|e| e.code),
            Err("follow_up_not_future".to_owned())
        );
    }

    #[test]
    fn lead_retention_defaults_to_90_days_within_a_week_and_a_year() {
        assert_eq!(DEFAULT_RETENTION_DAYS, 90);
        assert!(RETENTION_RANGE.contains(&DEFAULT_RETENTION_DAYS));
        assert!(!RETENTION_RANGE.contains(&6) && !RETENTION_RANGE.contains(&366));
    }
}

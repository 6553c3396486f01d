//! Deciding a case, the review that may follow, the satisfaction survey, the suggestion box.

use super::case::{self, CaseHead, ClockEvent};
use super::clock::ComplaintPolicy;
use super::intake::{self, LONG_TEXT, ParsedComplaint};
use super::types::{Channel, ComplaintError, ComplaintStatus, RootCause, Severity, Text};
use crate::calendar::BusinessCalendar;
use crate::domain::Money;
use crate::error::{Error, Result};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection, SqlitePool};
use ts_rs::TS;

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DecideInput {
    pub case_id: i64,
    pub findings: String,
    pub reasons: String,
    /// What the bank does for the customer, if anything.
    pub remedy: Option<String>,
    pub compensation: Option<Money>,
    pub root_cause: RootCause,
    /// The fix made at the source, so the cause does not repeat.
    pub source_fix: String,
}

/// What the decision letter must offer besides the decision itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum CustomerOption {
    Review,
    Mediation,
    Arbitration,
    Court,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Decision {
    pub findings: String,
    pub reasons: String,
    pub remedy: Option<String>,
    pub compensation: Option<Money>,
    pub root_cause: RootCause,
    pub source_fix: String,
    pub decided_by: Option<i64>,
    /// Review is not offered on a review case: the level above has already looked at it.
    pub options: Vec<CustomerOption>,
}

#[derive(Debug, Clone)]
pub struct ParsedDecision {
    findings: Text,
    reasons: Text,
    remedy: Option<Text>,
    compensation_fen: Option<i64>,
    root_cause: RootCause,
    source_fix: Text,
}

pub fn parse(input: &DecideInput) -> Result<ParsedDecision> {
    let compensation_fen = match input.compensation {
        Some(m) if m.is_negative() => {
            return Err(Error::InvalidInput(
                "compensation: cannot be negative".into(),
            ));
        }
        Some(m) => Some(
            m.to_minor_units()
                .map_err(|e| Error::InvalidInput(format!("compensation: {e}")))?,
        ),
        None => None,
    };
    Ok(ParsedDecision {
        findings: Text::parse("findings", &input.findings, LONG_TEXT)?,
        reasons: Text::parse("reasons", &input.reasons, LONG_TEXT)?,
        remedy: match input.remedy.as_deref().map(str::trim) {
            Some(r) if !r.is_empty() => Some(Text::parse("remedy", r, LONG_TEXT)?),
            _ => None,
        },
        compensation_fen,
        root_cause: input.root_cause,
        source_fix: Text::parse("sourceFix", &input.source_fix, LONG_TEXT)?,
    })
}

pub async fn decide(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    calendar: &BusinessCalendar,
    d: &ParsedDecision,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    // Fields first: the table's CHECK wants them present once the status says decided.
    sqlx::query(
        "UPDATE complaints SET findings = ?, reasons = ?, remedy = ?, compensation_fen = ?, \
         root_cause = ?, source_fix = ?, decided_by = ? WHERE id = ?",
    )
    .bind(d.findings.as_str())
    .bind(d.reasons.as_str())
    .bind(d.remedy.as_ref().map(Text::as_str))
    .bind(d.compensation_fen)
    .bind(d.root_cause.as_str())
    .bind(d.source_fix.as_str())
    .bind(actor_id)
    .bind(head.id)
    .execute(&mut *conn)
    .await?;
    case::apply_event(
        conn,
        head,
        calendar,
        ClockEvent::Decide,
        crate::clock::local_date(now),
        actor_id,
        now,
    )
    .await?;
    Ok(())
}

pub fn from_row(r: &SqliteRow) -> Result<Option<Decision>> {
    let status = ComplaintStatus::parse(r.try_get("status")?)?;
    if status != ComplaintStatus::Decided {
        return Ok(None);
    }
    let review_of: Option<i64> = r.try_get("review_of_id")?;
    let mut options = vec![
        CustomerOption::Mediation,
        CustomerOption::Arbitration,
        CustomerOption::Court,
    ];
    if review_of.is_none() {
        options.insert(0, CustomerOption::Review);
    }
    Ok(Some(Decision {
        findings: r
            .try_get::<Option<String>, _>("findings")?
            .unwrap_or_default(),
        reasons: r
            .try_get::<Option<String>, _>("reasons")?
            .unwrap_or_default(),
        remedy: r.try_get("remedy")?,
        compensation: r
            .try_get::<Option<i64>, _>("compensation_fen")?
            .map(Money::from_minor_units),
        root_cause: RootCause::parse(
            &r.try_get::<Option<String>, _>("root_cause")?
                .unwrap_or_default(),
        )?,
        source_fix: r
            .try_get::<Option<String>, _>("source_fix")?
            .unwrap_or_default(),
        decided_by: r.try_get("decided_by")?,
        options,
    }))
}

// ---- review -----------------------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequestInput {
    pub case_id: i64,
    /// The date on the customer's written request; defaults to today.
    #[ts(type = "string | null")]
    pub requested_on: Option<NaiveDate>,
    pub grounds: String,
    /// The team of the level above that reviews it.
    pub team: String,
}

/// Opens the review case linked to a decided case, if the request is inside the window. The
/// review runs on its own clock: decided within the review period from the request. Whoever
/// decided the original is an interested party in the review.
#[allow(clippy::too_many_arguments)]
pub async fn open_review(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    input: &ReviewRequestInput,
    today: NaiveDate,
    calendar: &BusinessCalendar,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<(i64, super::types::CaseNo)> {
    if head.review_of_id.is_some() {
        return Err(ComplaintError::ReviewOfReview.into());
    }
    let existing: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM complaints WHERE review_of_id = ?)")
            .bind(head.id)
            .fetch_one(&mut *conn)
            .await?;
    if existing {
        return Err(ComplaintError::AlreadyReviewed {
            case_no: head.case_no.clone(),
        }
        .into());
    }
    let requested_on = input.requested_on.unwrap_or(today);
    if requested_on > today {
        return Err(Error::InvalidInput(
            "requested on: cannot be in the future".into(),
        ));
    }
    let clock = case::replay(conn, head).await?;
    clock
        .review_due_date(requested_on, calendar)
        .map_err(ComplaintError::from)?;
    let grounds = Text::parse("grounds", &input.grounds, LONG_TEXT)?;
    let team = Text::parse("team", &input.team, intake::SHORT_TEXT)?;

    let r = sqlx::query(
        "SELECT channel, customer_id, prospect_name, prospect_contact, product, category_id, \
         severity, branch, decided_by FROM complaints WHERE id = ?",
    )
    .bind(head.id)
    .fetch_one(&mut *conn)
    .await?;
    let mut interested: Vec<i64> = sqlx::query_scalar(
        "SELECT staff_id FROM complaint_interested_parties WHERE complaint_id = ?",
    )
    .bind(head.id)
    .fetch_all(&mut *conn)
    .await?;
    // The level above reviews: never the team that handled the case or its branch.
    let same_level = [head.team.as_str(), r.try_get::<&str, _>("branch")?];
    if same_level.contains(&team.as_str()) {
        return Err(ComplaintError::ReviewSameLevel {
            team: team.into_string(),
        }
        .into());
    }
    if let Some(decider) = r.try_get::<Option<i64>, _>("decided_by")? {
        interested.push(decider);
    }
    let prospect = match (
        r.try_get::<Option<String>, _>("prospect_name")?,
        r.try_get::<Option<String>, _>("prospect_contact")?,
    ) {
        (Some(name), contact) => Some((
            Text::parse("name", &name, intake::SHORT_TEXT)?,
            Text::parse(
                "contact",
                &contact.unwrap_or_else(|| "-".into()),
                intake::SHORT_TEXT,
            )?,
        )),
        _ => None,
    };
    let parsed = ParsedComplaint {
        channel: Channel::parse(r.try_get("channel")?)?,
        customer_id: r.try_get("customer_id")?,
        prospect,
        product: Text::parse("product", r.try_get("product")?, intake::SHORT_TEXT)?,
        category_id: r.try_get("category_id")?,
        what_happened: grounds,
        customer_asks: Text::parse(
            "asks",
            &format!("review of the decision on {}", head.case_no),
            LONG_TEXT,
        )?,
        severity: Severity::parse(r.try_get("severity")?)?,
        received_on: requested_on,
        team,
        representatives: Vec::new(),
        interested_staff_ids: interested,
        linked_id: Some(head.id),
    };
    let review_policy = review_policy(&head.policy);
    let branch: String = r.try_get("branch")?;
    intake::insert(
        conn,
        &parsed,
        review_policy,
        calendar,
        &branch,
        actor_id,
        now,
        Some(head.id),
    )
    .await
}

/// The review's clock: the review period is its ordinary limit; the extension limits never
/// fall below it, so the policy stays valid.
pub fn review_policy(original: &ComplaintPolicy) -> ComplaintPolicy {
    let days = original.review_decide_within_days;
    ComplaintPolicy {
        decide_within_days: days,
        complex_limit_days: original.complex_limit_days.max(days),
        max_limit_days: original.max_limit_days.max(days),
        ..*original
    }
}

// ---- survey and suggestions -------------------------------------------------------------

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SurveyInput {
    pub case_id: i64,
    /// 1 (very dissatisfied) to 5 (very satisfied).
    pub score: u8,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Survey {
    pub score: u8,
    pub comment: String,
    pub recorded_by: i64,
    pub at: String,
}

pub async fn record_survey(
    conn: &mut SqliteConnection,
    head: &CaseHead,
    input: &SurveyInput,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    if !(1..=5).contains(&input.score) {
        return Err(Error::InvalidInput("score: 1 to 5".into()));
    }
    if !matches!(
        head.status,
        ComplaintStatus::Decided | ComplaintStatus::Withdrawn
    ) {
        return Err(ComplaintError::SurveyNotAllowed.into());
    }
    let comment = input.comment.trim();
    if comment.chars().count() > LONG_TEXT {
        return Err(Error::InvalidInput(format!(
            "comment: at most {LONG_TEXT} characters"
        )));
    }
    sqlx::query(
        "INSERT INTO complaint_surveys (complaint_id, score, comment, recorded_by, at) \
         VALUES (?,?,?,?,?)",
    )
    .bind(head.id)
    .bind(i64::from(input.score))
    .bind(comment)
    .bind(actor_id)
    .bind(crate::audit::timestamp(now))
    .execute(&mut *conn)
    .await
    .map_err(|e| match e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ComplaintError::SurveyNotAllowed.into()
        }
        other => Error::from(other),
    })?;
    Ok(())
}

pub async fn survey(conn: &mut SqliteConnection, case_id: i64) -> Result<Option<Survey>> {
    let row = sqlx::query(
        "SELECT score, comment, recorded_by, at FROM complaint_surveys WHERE complaint_id = ?",
    )
    .bind(case_id)
    .fetch_optional(&mut *conn)
    .await?;
    row.map(|r| {
        Ok(Survey {
            score: u8::try_from(r.try_get::<i64, _>("score")?).unwrap_or(0),
            comment: r.try_get("comment")?,
            recorded_by: r.try_get("recorded_by")?,
            at: r.try_get("at")?,
        })
    })
    .transpose()
}

#[derive(Debug, Clone, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SuggestionInput {
    /// The case that prompted it, if any.
    pub case_id: Option<i64>,
    pub idea: String,
    /// Who suggested it: a customer's name, or a colleague's.
    pub suggested_by: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    pub id: i64,
    pub case_id: Option<i64>,
    pub idea: String,
    pub suggested_by: String,
    pub at: String,
    pub reward_granted: bool,
    pub reward_granted_by: Option<i64>,
}

pub async fn add_suggestion(
    conn: &mut SqliteConnection,
    input: &SuggestionInput,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<i64> {
    let idea = Text::parse("idea", &input.idea, LONG_TEXT)?;
    let by = Text::parse("suggestedBy", &input.suggested_by, intake::SHORT_TEXT)?;
    if let Some(case_id) = input.case_id {
        case::head(conn, case_id).await?;
    }
    Ok(sqlx::query_scalar(
        "INSERT INTO complaint_suggestions (complaint_id, idea, suggested_by, recorded_by, at) \
         VALUES (?,?,?,?,?) RETURNING id",
    )
    .bind(input.case_id)
    .bind(idea.as_str())
    .bind(by.as_str())
    .bind(actor_id)
    .bind(crate::audit::timestamp(now))
    .fetch_one(&mut *conn)
    .await?)
}

/// Marks the reward granted; granting twice is refused so a reward is never paid twice.
pub async fn grant_reward(
    conn: &mut SqliteConnection,
    id: i64,
    actor_id: i64,
    now: DateTime<Utc>,
) -> Result<()> {
    let granted: Option<bool> =
        sqlx::query_scalar("SELECT reward_granted FROM complaint_suggestions WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await?;
    match granted {
        None => return Err(Error::NotFound(format!("suggestion {id}"))),
        Some(true) => {
            return Err(Error::Conflict(format!(
                "suggestion {id} was already rewarded"
            )));
        }
        Some(false) => {}
    }
    sqlx::query(
        "UPDATE complaint_suggestions SET reward_granted = 1, reward_granted_by = ?, \
         reward_granted_at = ? WHERE id = ?",
    )
    .bind(actor_id)
    .bind(crate::audit::timestamp(now))
    .bind(id)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

pub async fn suggestions(pool: &SqlitePool) -> Result<Vec<Suggestion>> {
    sqlx::query(
        "SELECT id, complaint_id, idea, suggested_by, at, reward_granted, reward_granted_by \
         FROM complaint_suggestions ORDER BY id DESC LIMIT 500",
    )
    .fetch_all(pool)
    .await?
    .into_iter()
    .map(|r| {
        Ok(Suggestion {
            id: r.try_get("id")?,
            case_id: r.try_get("complaint_id")?,
            idea: r.try_get("idea")?,
            suggested_by: r.try_get("suggested_by")?,
            at: r.try_get("at")?,
            reward_granted: r.try_get("reward_granted")?,
            reward_granted_by: r.try_get("reward_granted_by")?,
        })
    })
    .collect()
}

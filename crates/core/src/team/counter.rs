//! Counter intake in team mode, when the team server cannot be reached.
//!
//! A teller registers a complaint; the customer leaves with a receipt. If the team server is
//! down, the complaint is kept in the console's own store (`team_intake_held`, sealed with
//! the data key like the outbox) and the teller is told it will reach the team. It is
//! forwarded when the server answers again: exactly once, because every counter intake
//! carries a key the team store registers it under (a second forward of the same key finds
//! the first case), and with its original receipt date, which the clock counts from.
//!
//! The key is drawn before the first try, not when holding: a server that committed the case
//! but whose answer was lost looks down to the counter, and the held copy's later forward
//! then finds that case instead of making a second one.

use super::{TeamCase, TeamMember, TeamStore};
use crate::access::Role;
use crate::audit::{self, NewAudit};
use crate::complaints::case::{date_text, parse_date};
use crate::complaints::intake::{self, NewComplaintInput};
use crate::console::Actor;
use crate::crypto::Sealer;
use crate::error::{Error, Result};
use crate::store::Store;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use ts_rs::TS;

/// What the counter was told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum CounterIntake {
    /// In the team queue now.
    Registered { case: Box<TeamCase> },
    /// Kept on this console until the team server answers; the clock runs from `received_on`.
    #[serde(rename_all = "camelCase")]
    Held {
        intake_key: String,
        received_on: String,
    },
}

/// What is sealed: the complaint as typed and who took it.
#[derive(Debug, Serialize, Deserialize)]
struct Sealed {
    input: NewComplaintInput,
    branch: String,
    username: String,
    display_name: String,
    role: String,
    team: String,
}

fn context(key: &str) -> String {
    format!("team-intake:{key}")
}

/// The errors that mean "the team server is not there", as opposed to a refusal.
pub fn unreachable(err: &Error) -> bool {
    matches!(
        err,
        Error::Store(
            sqlx::Error::Io(_)
                | sqlx::Error::Tls(_)
                | sqlx::Error::PoolTimedOut
                | sqlx::Error::PoolClosed
                | sqlx::Error::WorkerCrashed
        )
    )
}

/// Registers a counter complaint in the team queue, or keeps it here if the server is away.
/// A complaint the rules refuse is refused either way (checked before anything is kept).
#[allow(clippy::too_many_arguments)]
pub async fn register_at_counter(
    local: &Store,
    sealer: &Sealer,
    team: &TeamStore,
    actor: &Actor,
    member: &TeamMember,
    mut input: NewComplaintInput,
    branch: &str,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<CounterIntake> {
    input.received_on = Some(input.received_on.unwrap_or(today));
    intake::parse(input.clone(), today)?;
    let key = uuid::Uuid::new_v4().to_string();
    match team
        .register(member, input.clone(), branch, Some(&key), today, now)
        .await
    {
        Ok(case) => Ok(CounterIntake::Registered {
            case: Box::new(case),
        }),
        Err(err) if unreachable(&err) => {
            tracing::warn!(error = %err, "team server unreachable: the complaint is kept here");
            hold(local, sealer, actor, member, &key, input, branch, now).await
        }
        Err(err) => Err(err),
    }
}

#[allow(clippy::too_many_arguments)]
async fn hold(
    local: &Store,
    sealer: &Sealer,
    actor: &Actor,
    member: &TeamMember,
    key: &str,
    input: NewComplaintInput,
    branch: &str,
    now: DateTime<Utc>,
) -> Result<CounterIntake> {
    let received_on = input
        .received_on
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("receipt date not set")))?;
    let sealed = Sealed {
        input,
        branch: branch.to_owned(),
        username: member.username.clone(),
        display_name: member.display_name.clone(),
        role: member.role.clone(),
        team: member.team.clone(),
    };
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(&sealed).map_err(anyhow::Error::from)?);
    let sealed = sealer
        .seal(&plain, &context(key))
        .map_err(|e| Error::Internal(e.into()))?;
    let mut tx = local.begin().await?;
    sqlx::query(
        "INSERT INTO team_intake_held (intake_key, received_on, sealed, held_by, held_at) \
         VALUES (?, ?, ?, ?, ?)",
    )
    .bind(key)
    .bind(date_text(received_on))
    .bind(sealed)
    .bind(actor.staff_id)
    .bind(audit::timestamp(now))
    .execute(&mut *tx)
    .await?;
    audit::append(
        &mut tx,
        now,
        NewAudit::new(
            Some(actor.staff_id),
            &actor.username,
            "complaint.held_for_team",
        )
        .subject("team_intake", key)
        .detail(json!({ "receivedOn": date_text(received_on), "team": sealed_team(member) })),
    )
    .await?;
    tx.commit().await?;
    Ok(CounterIntake::Held {
        intake_key: key.to_owned(),
        received_on: date_text(received_on),
    })
}

fn sealed_team(member: &TeamMember) -> &str {
    &member.team
}

/// How many complaints wait on this console for the team server.
pub async fn held_count(local: &Store) -> Result<i64> {
    Ok(
        sqlx::query_scalar("SELECT COUNT(*) FROM team_intake_held WHERE forwarded_at IS NULL")
            .fetch_one(local.read())
            .await?,
    )
}

/// Forwards every held complaint, oldest first. Stops at the first "still unreachable" (the
/// rest wait for the next round); a complaint the team store refuses stays held and is
/// reported in the log (it passed the same rules when kept, so that means a changed setup,
/// e.g. a retired category, for an administrator to look at). Returns how many went.
pub async fn forward_held(
    local: &Store,
    sealer: &Sealer,
    team: &TeamStore,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<usize> {
    let waiting: Vec<(String, Vec<u8>, i64)> = sqlx::query_as(
        "SELECT intake_key, sealed, held_by FROM team_intake_held \
         WHERE forwarded_at IS NULL ORDER BY held_at, intake_key",
    )
    .fetch_all(local.read())
    .await?;
    let mut forwarded = 0;
    for (key, sealed, held_by) in waiting {
        let plain = sealer
            .open(&sealed, &context(&key))
            .map_err(|e| Error::Internal(e.into()))?;
        let held: Sealed = serde_json::from_slice(&plain).map_err(anyhow::Error::from)?;
        let received_on = held
            .input
            .received_on
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("held intake without a date")))?;
        let role = Role::parse(&held.role)
            .ok_or_else(|| Error::Internal(anyhow::anyhow!("held intake: role {}", held.role)))?;
        let outcome = async {
            let member = team
                .enrol(&super::NewTeamMember {
                    username: held.username.clone(),
                    display_name: held.display_name.clone(),
                    role,
                    team: held.team.clone(),
                })
                .await?;
            team.register(
                &member,
                held.input.clone(),
                &held.branch,
                Some(&key),
                today,
                now,
            )
            .await
        }
        .await;
        let case = match outcome {
            Ok(case) => case,
            Err(err) if unreachable(&err) => break,
            Err(err) => {
                tracing::error!(error = %err, intake_key = %key, "the team store refused a held complaint");
                continue;
            }
        };
        debug_assert_eq!(parse_date(&case.received_on).ok(), Some(received_on));
        let mut tx = local.begin().await?;
        sqlx::query(
            "UPDATE team_intake_held SET forwarded_at = ?, case_no = ? \
             WHERE intake_key = ? AND forwarded_at IS NULL",
        )
        .bind(audit::timestamp(now))
        .bind(&case.case_no)
        .bind(&key)
        .execute(&mut *tx)
        .await?;
        audit::append(
            &mut tx,
            now,
            NewAudit::new(Some(held_by), &held.username, "complaint.forwarded_to_team")
                .subject("team_intake", key.as_str())
                .detail(json!({ "caseNo": case.case_no, "receivedOn": case.received_on })),
        )
        .await?;
        tx.commit().await?;
        forwarded += 1;
    }
    Ok(forwarded)
}

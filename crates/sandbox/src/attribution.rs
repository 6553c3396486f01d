//! Attribution written by the console: a counter sign-up's (`POST /v1/customers` with
//! `attribution`) and a supervisor's correction (`POST /v1/customers/{ref}/attribution`).
//! The columns are the customer's own (`campaign`, `booth`, `staff_id`, `channel`), plain so
//! they can be grouped; each correction also leaves a row in `attribution_changes` with the
//! reason, the core's record of why a credit moved.

use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::SqliteConnection;
use walletdesk_corebank::v1;

fn refused(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "attribution store access failed");
    Problem::internal()
}

/// An attribution as stored: campaign and booth (either may be absent), staff, channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub campaign: Option<String>,
    pub booth: Option<String>,
    pub staff: String,
    pub channel: String,
}

/// Trimmed, 1 to `max` characters: exactly what the schema's pattern states (the console
/// refuses control characters before it sends; the core takes what the document allows).
fn short(text: &str, max: usize) -> Option<String> {
    let text = text.trim();
    let chars = text.chars().count();
    (1..=max).contains(&chars).then(|| text.to_owned())
}

/// Checks the fields the contract states: codes in their pattern, a booth only with the
/// campaign it runs (credit to a booth is credit to one of its campaigns), staff 1 to 64
/// characters, a known channel.
pub(crate) fn check(
    campaign: Option<&str>,
    booth: Option<&str>,
    staff: &str,
    channel: &str,
) -> Result<Checked, Problem> {
    for (field, code) in [("campaign", campaign), ("booth", booth)] {
        if code.is_some_and(|c| !v1::is_valid_campaign_code(c)) {
            return Err(refused(format!("{field}: a campaign or booth code")));
        }
    }
    if booth.is_some() && campaign.is_none() {
        return Err(refused("booth: only with the campaign it runs".to_owned()));
    }
    let staff = short(staff, 64).ok_or_else(|| refused("staffId: 1 to 64 characters".into()))?;
    if !matches!(channel, "booth" | "counter" | "qr") {
        return Err(refused("channel: booth, counter or qr".to_owned()));
    }
    Ok(Checked {
        campaign: campaign.map(str::to_owned),
        booth: booth.map(str::to_owned),
        staff,
        channel: channel.to_owned(),
    })
}

/// Writes `attribution` onto customer `id` (in the caller's transaction).
pub(crate) async fn store(
    conn: &mut SqliteConnection,
    id: i64,
    attribution: &Checked,
) -> Result<(), Problem> {
    sqlx::query(
        "UPDATE customers SET campaign = ?, booth = ?, staff_id = ?, channel = ? WHERE id = ?",
    )
    .bind(&attribution.campaign)
    .bind(&attribution.booth)
    .bind(&attribution.staff)
    .bind(&attribution.channel)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn change(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Idempotent<v1::AttributionChange>,
) -> Response {
    let write = ChangeAttribution {
        reference,
        change: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct ChangeAttribution {
    reference: String,
    change: v1::AttributionChange,
}

impl Write for ChangeAttribution {
    const OPERATION: &'static str = "change-attribution";
    type Output = v1::Attribution;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Attribution), Problem> {
        let c = self.change;
        let id = crate::customers::resolve(conn, &self.reference).await?;
        let checked = check(
            c.campaign.as_deref(),
            c.booth.as_deref(),
            &c.staff_id,
            &c.channel,
        )?;
        let reason =
            short(&c.reason, 500).ok_or_else(|| refused("reason: 1 to 500 characters".into()))?;
        let by = short(&c.changed_by, 64)
            .ok_or_else(|| refused("changedBy: 1 to 64 characters".into()))?;
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        sqlx::query(
            "INSERT INTO attribution_changes (customer_id, campaign, booth, staff_id, channel, \
             old_campaign, old_booth, old_staff_id, old_channel, reason, changed_by, changed_at) \
             SELECT id, ?, ?, ?, ?, campaign, booth, staff_id, channel, ?, ?, ? \
             FROM customers WHERE id = ?",
        )
        .bind(&checked.campaign)
        .bind(&checked.booth)
        .bind(&checked.staff)
        .bind(&checked.channel)
        .bind(&reason)
        .bind(&by)
        .bind(&at)
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        store(conn, id, &checked).await?;
        crate::changes::record(conn, "customer", &id.to_string(), now)
            .await
            .map_err(internal)?;
        Ok((
            StatusCode::OK,
            v1::Attribution {
                campaign: checked.campaign.unwrap_or_default(),
                booth: checked.booth.unwrap_or_default(),
                staff_id: checked.staff,
                channel: checked.channel,
            },
        ))
    }
}

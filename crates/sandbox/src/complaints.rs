//! The bank's complaints register (`POST /v1/complaints`, `GET /v1/complaints/{id}`,
//! `POST /v1/complaints/{id}/status`) and campaign incentive claims
//! (`POST /v1/incentives/claims`). Both enter the change feed (`complaint`,
//! `incentive-claim`).

use crate::customers;
use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::wallets::yuan;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{QueryBuilder, Row, Sqlite, SqliteConnection};
use walletdesk_core::domain::Money;
use walletdesk_corebank::v1;

const MAX_SHORT_CHARS: usize = 64;
const MAX_LONG_CHARS: usize = 2000;
const COLUMNS: &str = "id, case_number, customer_id, category, channel, summary, received_on, \
                       status, decision, root_cause, fix, registered_at, updated_at";
const CLAIM_COLUMNS: &str = "id, campaign, booth, staff_id, customer_id, amount_fen, claimed_at";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "complaint store access failed");
    Problem::internal()
}

fn invalid(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

fn text(field: &str, value: &str, max: usize) -> Result<String, Problem> {
    let value = value.trim();
    let chars = value.chars().count();
    if chars == 0 || chars > max {
        return Err(invalid(format!("{field}: 1 to {max} characters")));
    }
    Ok(value.to_owned())
}

fn stamp(now: DateTime<Utc>) -> String {
    now.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn from_row(row: &SqliteRow) -> Result<v1::Complaint, sqlx::Error> {
    Ok(v1::Complaint {
        id: row.try_get::<i64, _>("id")?.to_string(),
        case_number: row.try_get("case_number")?,
        customer_id: row.try_get::<i64, _>("customer_id")?.to_string(),
        category: row.try_get("category")?,
        channel: row.try_get("channel")?,
        summary: row.try_get("summary")?,
        received_on: row.try_get("received_on")?,
        status: row.try_get("status")?,
        decision: row.try_get("decision")?,
        root_cause: row.try_get("root_cause")?,
        fix: row.try_get("fix")?,
        registered_at: row.try_get("registered_at")?,
        updated_at: row.try_get("updated_at")?,
    })
}

fn claim_from_row(row: &SqliteRow) -> Result<v1::IncentiveClaim, sqlx::Error> {
    Ok(v1::IncentiveClaim {
        id: row.try_get::<i64, _>("id")?.to_string(),
        campaign: row.try_get("campaign")?,
        booth: row.try_get("booth")?,
        staff_id: row.try_get("staff_id")?,
        customer_id: row.try_get::<i64, _>("customer_id")?.to_string(),
        amount: yuan(row.try_get("amount_fen")?),
        claimed_at: row.try_get("claimed_at")?,
    })
}

async fn read(conn: &mut SqliteConnection, id: i64) -> Result<Option<v1::Complaint>, Problem> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM complaints WHERE id = ?"))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .map_err(internal)?;
    row.map(|row| from_row(&row)).transpose().map_err(internal)
}

/// The feed's renderers.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let select_from = format!("SELECT {COLUMNS} FROM complaints");
    crate::changes::render_numeric(conn, &select_from, ids, from_row, |r: &v1::Complaint| {
        r.id.clone()
    })
    .await
}

pub async fn render_claims(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let mut query = QueryBuilder::<Sqlite>::new(format!(
        "SELECT {CLAIM_COLUMNS} FROM incentive_claims WHERE id IN "
    ));
    query.push_tuples(ids, |mut t, id| {
        t.push_bind(id.parse::<i64>().unwrap_or(-1));
    });
    let rows = query.build().fetch_all(&mut *conn).await?;
    rows.iter()
        .map(|row| {
            let claim = claim_from_row(row)?;
            Ok((claim.id.clone(), serde_json::to_value(claim)?))
        })
        .collect()
}

fn not_found(id: &str) -> Problem {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        "Not found",
        Some(format!("no complaint {id:?}")),
    )
}

fn number(id: &str) -> Result<i64, Problem> {
    id.parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == id)
        .ok_or_else(|| not_found(id))
}

pub async fn register(
    State(state): State<AppState>,
    request: Idempotent<v1::NewComplaint>,
) -> Response {
    let write = Register(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Complaint>, Problem> {
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    read(&mut conn, number(&id)?)
        .await?
        .map(Json)
        .ok_or_else(|| not_found(&id))
}

pub async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::ComplaintStatusChange>,
) -> Response {
    let write = SetStatus {
        id,
        change: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn claim(
    State(state): State<AppState>,
    request: Idempotent<v1::NewIncentiveClaim>,
) -> Response {
    let write = Claim(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct Register(v1::NewComplaint);

impl Write for Register {
    const OPERATION: &'static str = "register-complaint";
    type Output = v1::Complaint;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Complaint), Problem> {
        let c = self.0;
        let case_number = text("caseNumber", &c.case_number, MAX_SHORT_CHARS)?;
        let customer = customers::resolve(conn, &c.customer_id).await?;
        let category = text("category", &c.category, MAX_SHORT_CHARS)?;
        let channel = text("channel", &c.channel, MAX_SHORT_CHARS)?;
        let summary = text("summary", &c.summary, MAX_LONG_CHARS)?;
        let received = NaiveDate::parse_from_str(&c.received_on, "%Y-%m-%d").map_err(|_| {
            invalid(format!(
                "receivedOn: a date YYYY-MM-DD, not {:?}",
                c.received_on
            ))
        })?;
        if received > crate::wallets::china_day(now) {
            return Err(invalid("receivedOn: not in the future".to_owned()));
        }
        let at = stamp(now);
        let inserted = sqlx::query_scalar(
            "INSERT INTO complaints (case_number, customer_id, category, channel, summary, \
             received_on, status, registered_at, updated_at) \
             VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        )
        .bind(&case_number)
        .bind(customer)
        .bind(&category)
        .bind(&channel)
        .bind(&summary)
        .bind(received.format("%Y-%m-%d").to_string())
        .bind(&at)
        .bind(&at)
        .fetch_one(&mut *conn)
        .await;
        let id: i64 = match inserted {
            Ok(id) => id,
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "duplicate-case-number",
                    "Case number already registered",
                    Some(format!("the register already has case {case_number:?}")),
                ));
            }
            Err(err) => return Err(internal(err)),
        };
        crate::changes::record(conn, "complaint", &id.to_string(), now)
            .await
            .map_err(internal)?;
        crate::insights::on_complaint(conn, customer, received)
            .await
            .map_err(internal)?;
        let complaint = read(conn, id).await?.ok_or_else(|| internal("vanished"))?;
        Ok((StatusCode::CREATED, complaint))
    }
}

#[derive(Debug)]
struct SetStatus {
    id: String,
    change: v1::ComplaintStatusChange,
}

/// The statuses each status may move to. Withdrawn and closed are final.
fn allowed(from: &str, to: &str) -> bool {
    matches!(
        (from, to),
        ("open", "in-progress" | "decided" | "withdrawn")
            | ("in-progress", "decided" | "withdrawn")
            | ("decided", "closed")
    )
}

impl Write for SetStatus {
    const OPERATION: &'static str = "complaint-status";
    type Output = v1::Complaint;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Complaint), Problem> {
        let id = number(&self.id)?;
        let current = read(conn, id).await?.ok_or_else(|| not_found(&self.id))?;
        let to = self.change.status.as_str();
        if matches!(current.status.as_str(), "withdrawn" | "closed") {
            return Err(Problem::new(
                StatusCode::CONFLICT,
                "complaint-closed",
                "Complaint closed",
                Some(format!("complaint {id} is {}", current.status)),
            ));
        }
        if !allowed(&current.status, to) {
            return Err(invalid(format!(
                "status: {:?} cannot move to {to:?}",
                current.status
            )));
        }
        let optional = |field: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|v| text(field, v, MAX_LONG_CHARS))
                .transpose()
        };
        let decision = optional("decision", &self.change.decision)?;
        let root_cause = optional("rootCause", &self.change.root_cause)?;
        let fix = optional("fix", &self.change.fix)?;
        if to == "decided" && (decision.is_none() || root_cause.is_none()) {
            return Err(invalid(
                "a decided complaint records its decision and rootCause".to_owned(),
            ));
        }
        sqlx::query(
            "UPDATE complaints SET status = ?, decision = COALESCE(?, decision), \
             root_cause = COALESCE(?, root_cause), fix = COALESCE(?, fix), updated_at = ? \
             WHERE id = ?",
        )
        .bind(to)
        .bind(&decision)
        .bind(&root_cause)
        .bind(&fix)
        .bind(stamp(now))
        .bind(id)
        .execute(&mut *conn)
        .await
        .map_err(internal)?;
        crate::changes::record(conn, "complaint", &id.to_string(), now)
            .await
            .map_err(internal)?;
        let complaint = read(conn, id).await?.ok_or_else(|| not_found(&self.id))?;
        Ok((StatusCode::OK, complaint))
    }
}

fn duplicate_claim(customer: i64, campaign: &str) -> Problem {
    Problem::new(
        StatusCode::CONFLICT,
        "duplicate-claim",
        "Incentive already claimed",
        Some(format!("customer {customer} already claimed {campaign:?}")),
    )
}

/// One incentive to pay: a claim on its own, or a sign-up's.
#[derive(Debug)]
pub struct Payment<'a> {
    pub campaign: &'a str,
    pub booth: &'a str,
    pub staff: &'a str,
    pub customer: i64,
    pub amount_fen: i64,
    /// The person's key (campaign and normalised mobile or ID, hashed by the console).
    pub person_key: Option<&'a str>,
}

/// Pays `p` once per person: "already claimed" first (by customer, or by the person's key, so
/// the same person under two customer rows is still one person), then the campaign's rules
/// (dates, booth, amount, eligibility, budget), then the claim, in the caller's transaction.
/// Answers the claim's id.
pub async fn pay(
    conn: &mut SqliteConnection,
    p: Payment<'_>,
    now: DateTime<Utc>,
) -> Result<i64, Problem> {
    // "Already claimed" before any other campaign rule: it is the answer staff can give the
    // customer, whatever else has changed since (the budget ran out, the day ended).
    let claimed: Option<i64> = sqlx::query_scalar(
        "SELECT id FROM incentive_claims WHERE campaign = ?1 AND (customer_id = ?2 \
         OR (?3 IS NOT NULL AND person_key = ?3))",
    )
    .bind(p.campaign)
    .bind(p.customer)
    .bind(p.person_key)
    .fetch_optional(&mut *conn)
    .await
    .map_err(internal)?;
    if claimed.is_some() {
        return Err(duplicate_claim(p.customer, p.campaign));
    }
    crate::campaigns::check_claim(conn, p.campaign, p.booth, p.customer, p.amount_fen, now).await?;
    let inserted = sqlx::query_scalar(
        "INSERT INTO incentive_claims (campaign, booth, staff_id, customer_id, amount_fen, \
         claimed_at, person_key) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(p.campaign)
    .bind(p.booth)
    .bind(p.staff)
    .bind(p.customer)
    .bind(p.amount_fen)
    .bind(stamp(now))
    .bind(p.person_key)
    .fetch_one(&mut *conn)
    .await;
    let id: i64 = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
            return Err(duplicate_claim(p.customer, p.campaign));
        }
        Err(err) => return Err(internal(err)),
    };
    crate::changes::record(conn, "incentive-claim", &id.to_string(), now)
        .await
        .map_err(internal)?;
    crate::insights::on_incentive(conn, id, now)
        .await
        .map_err(internal)?;
    // The campaign's record carries what its budget has paid: consoles see it move.
    crate::changes::record(conn, "campaign", p.campaign, now)
        .await
        .map_err(internal)?;
    Ok(id)
}

#[derive(Debug)]
struct Claim(v1::NewIncentiveClaim);

impl Write for Claim {
    const OPERATION: &'static str = "incentive-claim";
    type Output = v1::IncentiveClaim;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::IncentiveClaim), Problem> {
        let c = self.0;
        let campaign = text("campaign", &c.campaign, MAX_SHORT_CHARS)?;
        let booth = text("booth", &c.booth, MAX_SHORT_CHARS)?;
        let staff = text("staffId", &c.staff_id, MAX_SHORT_CHARS)?;
        let customer = customers::resolve(conn, &c.customer_id).await?;
        // The documented form first (v1::AMOUNT_PATTERN), so the sandbox takes exactly what
        // the contract says; then the money rules.
        let amount = Some(&c.amount)
            .filter(|text| v1::is_valid_amount(text))
            .and_then(|text| Money::parse(text).ok())
            .filter(|m| m.amount().is_sign_positive() && !m.amount().is_zero())
            .and_then(|m| m.to_minor_units().ok())
            .ok_or_else(|| {
                invalid("amount: a decimal string above 0 with at most two places".to_owned())
            })?;
        let person_key = c
            .person_key
            .as_deref()
            .map(|key| {
                let key = key.trim().to_ascii_lowercase();
                if key.len() == 64 && key.bytes().all(|b| b.is_ascii_hexdigit()) {
                    Ok(key)
                } else {
                    Err(invalid("personKey: 64 hex digits".to_owned()))
                }
            })
            .transpose()?;
        let id = pay(
            conn,
            Payment {
                campaign: &campaign,
                booth: &booth,
                staff: &staff,
                customer,
                amount_fen: amount,
                person_key: person_key.as_deref(),
            },
            now,
        )
        .await?;
        let row = sqlx::query(&format!(
            "SELECT {CLAIM_COLUMNS} FROM incentive_claims WHERE id = ?"
        ))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        Ok((StatusCode::CREATED, claim_from_row(&row).map_err(internal)?))
    }
}

//! Consents (PIPL): `POST /v1/customers/{ref}/consents`, `GET /v1/customers/{ref}/consents`,
//! `POST /v1/consents/{id}/withdraw`. Every grant and withdrawal enters the change feed as a
//! `consent`.

use crate::customers;
use crate::extract::Path;
use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteConnection};
use walletdesk_corebank::v1;
use walletdesk_corebank::v1::consent_scopes;

/// Under this age a guardian consents for the customer (PIPL art. 31).
const GUARDIAN_AGE: i32 = 14;
const MAX_TEXT_CHARS: usize = 100;

const COLUMNS: &str = "id, customer_id, scope, version, third_party, guardian_name, status, \
                       granted_at, ended_at";

fn internal(err: impl std::fmt::Display) -> Problem {
    tracing::error!(error = %err, "consent store access failed");
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

fn from_row(row: &SqliteRow) -> Result<v1::Consent, sqlx::Error> {
    Ok(v1::Consent {
        id: row.try_get::<i64, _>("id")?.to_string(),
        customer_id: row.try_get::<i64, _>("customer_id")?.to_string(),
        scope: row.try_get("scope")?,
        version: row.try_get("version")?,
        third_party: row.try_get("third_party")?,
        guardian_name: row.try_get("guardian_name")?,
        status: row.try_get("status")?,
        granted_at: row.try_get("granted_at")?,
        ended_at: row.try_get("ended_at")?,
    })
}

async fn read(conn: &mut SqliteConnection, id: i64) -> Result<v1::Consent, Problem> {
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM consents WHERE id = ?"))
        .bind(id)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
    from_row(&row).map_err(internal)
}

/// The feed's renderer: consents `ids` as they are now.
pub async fn render(
    conn: &mut SqliteConnection,
    ids: &[&str],
) -> anyhow::Result<Vec<(String, serde_json::Value)>> {
    let select_from = format!("SELECT {COLUMNS} FROM consents");
    crate::changes::render_numeric(conn, &select_from, ids, from_row, |r: &v1::Consent| {
        r.id.clone()
    })
    .await
}

fn bounded(field: &str, text: &str) -> Result<String, Problem> {
    let text = text.trim();
    let chars = text.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS || text.chars().any(char::is_control) {
        return Err(invalid(format!(
            "{field}: 1 to {MAX_TEXT_CHARS} characters"
        )));
    }
    Ok(text.to_owned())
}

pub async fn grant(
    State(state): State<AppState>,
    Path(reference): Path<String>,
    request: Idempotent<v1::NewConsent>,
) -> Response {
    let write = Grant {
        reference,
        consent: request.body.clone(),
    };
    idempotency::execute(&state.store, request, write).await
}

pub async fn list(
    State(state): State<AppState>,
    Path(reference): Path<String>,
) -> Result<Json<v1::ConsentList>, Problem> {
    let mut conn = state.store.pool().acquire().await.map_err(internal)?;
    let customer = customers::resolve(&mut conn, &reference).await?;
    let rows = sqlx::query(&format!(
        "SELECT {COLUMNS} FROM consents WHERE customer_id = ? ORDER BY id DESC"
    ))
    .bind(customer)
    .fetch_all(&mut *conn)
    .await
    .map_err(internal)?;
    let consents = rows
        .iter()
        .map(from_row)
        .collect::<Result<_, _>>()
        .map_err(internal)?;
    Ok(Json(v1::ConsentList { consents }))
}

pub async fn withdraw(
    State(state): State<AppState>,
    Path(id): Path<String>,
    request: Idempotent<v1::ConsentWithdrawal>,
) -> Response {
    let write = Withdraw { id };
    idempotency::execute(&state.store, request, write).await
}

#[derive(Debug)]
struct Grant {
    reference: String,
    consent: v1::NewConsent,
}

fn age_on(birth: NaiveDate, day: NaiveDate) -> i32 {
    let years = day.year() - birth.year();
    years - i32::from((day.month(), day.day()) < (birth.month(), birth.day()))
}

impl Write for Grant {
    const OPERATION: &'static str = "grant-consent";
    type Output = v1::Consent;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Consent), Problem> {
        let customer = customers::resolve(conn, &self.reference).await?;
        let scope = self.consent.scope.as_str();
        let known = [
            consent_scopes::GENERAL_PROCESSING,
            consent_scopes::SENSITIVE_FINANCIAL,
            consent_scopes::THIRD_PARTY_SHARING,
        ];
        if !known.contains(&scope) {
            return Err(invalid(format!("scope: one of {known:?}, not {scope:?}")));
        }
        let version = bounded("version", &self.consent.version)?;
        let third_party = match (scope, self.consent.third_party.as_deref()) {
            (consent_scopes::THIRD_PARTY_SHARING, Some(party)) => {
                Some(bounded("thirdParty", party)?)
            }
            (consent_scopes::THIRD_PARTY_SHARING, None) => {
                return Err(invalid(
                    "thirdParty: sharing consent names who receives the data".to_owned(),
                ));
            }
            (_, Some(_)) => {
                return Err(invalid(
                    "thirdParty: only for third-party-sharing consent".to_owned(),
                ));
            }
            (_, None) => None,
        };
        let birth: Option<String> =
            sqlx::query_scalar("SELECT birth_date FROM customers WHERE id = ?")
                .bind(customer)
                .fetch_one(&mut *conn)
                .await
                .map_err(internal)?;
        let birth = birth
            .as_deref()
            .map(|b| NaiveDate::parse_from_str(b, "%Y-%m-%d").map_err(internal))
            .transpose()?;
        let guardian = self
            .consent
            .guardian_name
            .as_deref()
            .map(|g| bounded("guardianName", g))
            .transpose()?;
        // A customer signed up with the mobile only has no birth date on file: the age is
        // unknown, and a guardian cannot be required from what the core does not know.
        let under_age =
            birth.is_some_and(|b| age_on(b, crate::wallets::china_day(now)) < GUARDIAN_AGE);
        if under_age && guardian.is_none() {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "guardian-consent-required",
                "A guardian consents for this customer",
                Some(format!(
                    "the customer is under {GUARDIAN_AGE}: name the consenting guardian in \
                     guardianName"
                )),
            ));
        }
        let at = now.to_rfc3339_opts(SecondsFormat::Secs, true);
        let superseded: Vec<i64> = sqlx::query_scalar(
            "UPDATE consents SET status = 'superseded', ended_at = ? WHERE customer_id = ? \
             AND scope = ? AND COALESCE(third_party, '') = COALESCE(?, '') \
             AND status = 'granted' RETURNING id",
        )
        .bind(&at)
        .bind(customer)
        .bind(scope)
        .bind(&third_party)
        .fetch_all(&mut *conn)
        .await
        .map_err(internal)?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO consents (customer_id, scope, version, third_party, guardian_name, \
             status, granted_at) VALUES (?, ?, ?, ?, ?, 'granted', ?) RETURNING id",
        )
        .bind(customer)
        .bind(scope)
        .bind(&version)
        .bind(&third_party)
        .bind(&guardian)
        .bind(&at)
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
        for old in superseded.into_iter().chain([id]) {
            crate::changes::record(conn, "consent", &old.to_string(), now)
                .await
                .map_err(internal)?;
        }
        Ok((StatusCode::CREATED, read(conn, id).await?))
    }
}

#[derive(Debug)]
struct Withdraw {
    id: String,
}

impl Write for Withdraw {
    const OPERATION: &'static str = "withdraw-consent";
    type Output = v1::Consent;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Consent), Problem> {
        let not_found = || {
            Problem::new(
                StatusCode::NOT_FOUND,
                "not-found",
                "Not found",
                Some(format!("no consent {:?}", self.id)),
            )
        };
        let id = self
            .id
            .parse::<i64>()
            .ok()
            .filter(|n| n.to_string() == self.id)
            .ok_or_else(not_found)?;
        let status: String = sqlx::query_scalar("SELECT status FROM consents WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *conn)
            .await
            .map_err(internal)?
            .ok_or_else(not_found)?;
        // Withdrawing what is no longer granted changes nothing: the answer is the record.
        if status == "granted" {
            sqlx::query("UPDATE consents SET status = 'withdrawn', ended_at = ? WHERE id = ?")
                .bind(now.to_rfc3339_opts(SecondsFormat::Secs, true))
                .bind(id)
                .execute(&mut *conn)
                .await
                .map_err(internal)?;
            crate::changes::record(conn, "consent", &id.to_string(), now)
                .await
                .map_err(internal)?;
        }
        Ok((StatusCode::OK, read(conn, id).await?))
    }
}

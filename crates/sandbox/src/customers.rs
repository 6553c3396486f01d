//! `POST /v1/customers` and `GET /v1/customers/{id}`.

use crate::http::{AppState, Problem};
use crate::idempotency::{self, Idempotent, Write};
use crate::store::{Counts, add_to_stats};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::{Row, SqliteConnection};
use walletdesk_core::domain::{Mobile, ResidentId, Sex};
use walletdesk_corebank::v1;

/// Longest accepted name, in characters: generous for Chinese and transliterated names alike.
const MAX_NAME_CHARS: usize = 64;

pub async fn create(
    State(state): State<AppState>,
    request: Idempotent<v1::NewCustomer>,
) -> Response {
    let write = CreateCustomer(request.body.clone());
    idempotency::execute(&state.store, request, write).await
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<v1::Customer>, Problem> {
    let not_found = || {
        Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            Some(format!("no customer {id:?}")),
        )
    };
    // Only canonical numbers: "007" and "7" must not name the same customer.
    let number = id
        .parse::<i64>()
        .ok()
        .filter(|n| *n > 0 && n.to_string() == id)
        .ok_or_else(not_found)?;
    let row =
        sqlx::query("SELECT id, name, resident_id, mobile, created_at FROM customers WHERE id = ?")
            .bind(number)
            .fetch_optional(state.store.pool())
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "reading a customer failed");
                Problem::internal()
            })?
            .ok_or_else(not_found)?;
    let customer = (|| -> Result<v1::Customer, sqlx::Error> {
        let resident_id: String = row.try_get("resident_id")?;
        let mobile: String = row.try_get("mobile")?;
        Ok(v1::Customer {
            id: row.try_get::<i64, _>("id")?.to_string(),
            name: row.try_get("name")?,
            masked_resident_id: mask_resident_id(&resident_id),
            masked_mobile: Mobile::parse(&mobile)
                .map(|m| m.masked())
                .unwrap_or_else(|_| "***********".to_owned()),
            created_at: row.try_get("created_at")?,
        })
    })()
    .map_err(|err| {
        tracing::error!(error = %err, "decoding a customer failed");
        Problem::internal()
    })?;
    Ok(Json(customer))
}

/// The masking rule of DOMAIN.md (first 6 and last 4 shown) for an ID already in the store.
/// Not `ResidentId::parse`: that refuses birth dates after today, and demo data may be
/// generated as of a later date.
pub fn mask_resident_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() < 10 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..6].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 10))
}

#[derive(Debug)]
struct CreateCustomer(v1::NewCustomer);

fn refused(detail: String) -> Problem {
    Problem::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation-failed",
        "Validation failed",
        Some(detail),
    )
}

impl Write for CreateCustomer {
    const OPERATION: &'static str = "create-customer";
    type Output = v1::Customer;

    async fn apply(
        self,
        conn: &mut SqliteConnection,
        now: DateTime<Utc>,
    ) -> Result<(StatusCode, v1::Customer), Problem> {
        let name = self.0.name.trim().to_owned();
        let name_chars = name.chars().count();
        if name_chars == 0 || name_chars > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(refused(format!(
                "name: 1 to {MAX_NAME_CHARS} characters, no control characters"
            )));
        }
        let resident_id = ResidentId::parse(&self.0.resident_id)
            .map_err(|err| refused(format!("residentId: {err}")))?;
        if resident_id.expose().len() != 18 {
            return Err(refused(
                "residentId: new customers need the 18-character ID".to_owned(),
            ));
        }
        let mobile =
            Mobile::parse(&self.0.mobile).map_err(|err| refused(format!("mobile: {err}")))?;
        let created_at = now.to_rfc3339_opts(SecondsFormat::Secs, true);

        let inserted = sqlx::query(
            "INSERT INTO customers (name, resident_id, mobile, birth_date, sex, created_at) \
             VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(&name)
        .bind(resident_id.expose())
        .bind(mobile.expose())
        .bind(resident_id.birth_date().format("%Y-%m-%d").to_string())
        .bind(match resident_id.sex() {
            Sex::Male => "male",
            Sex::Female => "female",
        })
        .bind(&created_at)
        .fetch_one(&mut *conn)
        .await;
        let id: i64 = match inserted {
            Ok(row) => row.try_get(0).map_err(|err| {
                tracing::error!(error = %err, "reading the new customer id failed");
                Problem::internal()
            })?,
            Err(sqlx::Error::Database(err)) if err.is_unique_violation() => {
                return Err(Problem::new(
                    StatusCode::CONFLICT,
                    "duplicate-customer",
                    "Customer already exists",
                    Some("a customer with this resident ID or mobile already exists".to_owned()),
                ));
            }
            Err(err) => {
                tracing::error!(error = %err, "inserting a customer failed");
                return Err(Problem::internal());
            }
        };
        // In this write's transaction: a rolled-back create leaves the count as it was.
        let added = Counts {
            customers: 1,
            wallets: 0,
            transactions: 0,
        };
        add_to_stats(conn, added).await.map_err(|err| {
            tracing::error!(error = %err, "counting the new customer failed");
            Problem::internal()
        })?;
        crate::changes::record(conn, "customer", &id.to_string(), now)
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "recording the new customer's change failed");
                Problem::internal()
            })?;
        Ok((
            StatusCode::CREATED,
            v1::Customer {
                id: id.to_string(),
                name,
                masked_resident_id: resident_id.masked(),
                masked_mobile: mobile.masked(),
                created_at,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_are_masked_to_first_six_and_last_four() {
        assert_eq!(mask_resident_id("11010519491231002X"), "110105********002X");
        assert_eq!(mask_resident_id("short"), "*****");
    }
}
